"""Reviews overdue, reviews never held, and use of the council's partnership toolkit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report.fragments import date_text, heading, para
from evalkit.report.labels import labelled
from evalkit.report.overview.sizing import OVERDUE_SHEET, long_table_html
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: The overdue table's columns; ``days`` is worked out from the review date.
OVERDUE_COLUMNS = ("name", "lead_officer", "last_review", "next_review_due", "days")
#: Headings that differ in the overdue table from the register's.
OVERDUE_HEADINGS = {"next_review_due": "Due", "days": "Days overdue"}


def reviews_html(view: Overview) -> str:
    """How many in-scope partnerships are overdue or never reviewed, and toolkit use."""
    reg, as_of = view.in_scope, view.as_of
    overdue, never = overdue_and_never(reg, as_of)
    toolkit = _toolkit_use(reg)
    out = heading(2, "Reviews and the partnership toolkit") + para(
        f"At {date_text(as_of)}, {plural(len(overdue), 'in-scope partnership')} "
        f"{'is' if len(overdue) == 1 else 'are'} overdue for review and {len(never)} "
        f"{'has' if len(never) == 1 else 'have'} no review recorded at all. The council's "
        f"partnership toolkit was used for {int(toolkit.get('used', 0))} of {len(reg)}."
    )
    out += long_table_html(
        overdue_table(reg, as_of),
        caption="Reviews overdue",
        sheet=OVERDUE_SHEET,
        first="most overdue",
        last="least overdue",
        empty_text="No review is overdue.",
    )
    return out + table_html(
        toolkit.rename_axis("Toolkit").reset_index(name="Partnerships"),
        caption="Use of the partnership toolkit",
    )


def overdue_and_never(reg: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The partnerships overdue for review at ``as_of``, and those with no review recorded."""
    due = reg["next_review_due"]
    return reg[due.notna() & (due < as_of)], reg[due.isna() & reg["last_review"].isna()]


def overdue_table(reg: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """In-scope partnerships overdue for review, most days overdue first."""
    overdue = overdue_and_never(reg, as_of)[0]
    overdue = overdue.assign(days=(as_of - overdue["next_review_due"]).dt.days)
    overdue = overdue.sort_values(["days", "name"], ascending=[False, True])
    return labelled(overdue, "partnerships", OVERDUE_COLUMNS, OVERDUE_HEADINGS)


def _toolkit_use(reg: pd.DataFrame) -> pd.Series:
    """Partnerships by whether the toolkit was used ('used', 'not used', 'not recorded')."""
    return (
        reg["toolkit_used"]
        .map({True: "used", False: "not used"})
        .fillna("not recorded")
        .value_counts()
    )
