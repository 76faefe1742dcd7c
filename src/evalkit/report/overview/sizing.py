"""How long the overview's tables may be, so that its printed length does not grow.

One rule for every per-partnership table in the overview: a table of up to
:data:`FULL_TABLE_ROWS` rows is shown in full; a longer one shows its first and last
:data:`END_ROWS` rows (for example the ten with most dimensions in the bottom quarter
and the ten with fewest), says how many rows it has, and names the sheet of the
portfolio workbook that holds it in full. :func:`rule_text` says the rule on the page.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evalkit.method.rules import plural
from evalkit.names import PORTFOLIO_WORKBOOK
from evalkit.report.fragments import para
from evalkit.report.render import table_html

#: Longest table shown in full.
FULL_TABLE_ROWS = 15
#: Rows shown at each end of a longer table.
END_ROWS = 10


def rule_text() -> str:
    """The rule, in words, for the page."""
    return (
        f"Tables of up to {FULL_TABLE_ROWS} rows are shown in full. A longer table shows "
        f"its first {END_ROWS} and last {END_ROWS} rows, so that the overview stays the "
        f"same length however many partnerships there are; every row is in the Excel "
        f"workbook {PORTFOLIO_WORKBOOK}."
    )


def is_short(rows: int) -> bool:
    """Whether a table of ``rows`` rows is shown in full."""
    return rows <= FULL_TABLE_ROWS


def long_table_html(
    frame: pd.DataFrame,
    *,
    caption: str,
    sheet: str,
    first: str,
    last: str,
    formats: Mapping[str, str] | None = None,
    empty_text: str = "No data recorded.",
) -> str:
    """``frame`` in full if short; otherwise its two ends as two tables and a sentence.

    Args:
        frame: the table, already sorted (its first rows are the ones to see first).
        caption: the whole table's caption.
        sheet: the workbook sheet that holds every row.
        first: what the first rows are, for their caption ("most overdue"); blank when
            the order means nothing (a long table is then only named, not shown).
        last: what the last rows are ("least overdue").
        formats: as for :func:`evalkit.report.render.table_html`.
        empty_text: shown when there are no rows.
    """
    if is_short(len(frame)):
        return table_html(frame, caption=caption, formats=formats, empty_text=empty_text)
    if not first:
        return para(
            f"{caption}: {plural(len(frame), 'row')}, too many to print; every row is in "
            f"the workbook {PORTFOLIO_WORKBOOK}, sheet '{sheet}'."
        )
    shown = plural(END_ROWS, "row")
    note = para(
        f"{caption}: {plural(len(frame), 'row')} in all, too many to print. Below are the "
        f"first {shown} ({first}) and the last {shown} ({last}); every row is in the "
        f"workbook {PORTFOLIO_WORKBOOK}, sheet '{sheet}'."
    )
    return (
        note
        + table_html(
            frame.head(END_ROWS),
            caption=f"{caption}: the first {END_ROWS} ({first})",
            formats=formats,
        )
        + table_html(
            frame.tail(END_ROWS),
            caption=f"{caption}: the last {END_ROWS} ({last})",
            formats=formats,
        )
    )


#: Workbook sheets holding the overview's own long tables in full (the score tables'
#: sheets are named in :data:`evalkit.report.overview.downloads.SHEETS`).
REGISTER_SHEET = "Register"
ORGANISATIONS_SHEET = "Organisations"
MEMBERSHIPS_SHEET = "Memberships"
INPUTS_SHEET = "Council inputs"
OVERDUE_SHEET = "Reviews overdue"
BENCHMARK_SHEET = "Benchmarking"
BY_PARTNERSHIP_SHEET = "Findings by partnership"
