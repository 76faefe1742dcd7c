"""The portfolio's workbook: every score, finding and action of the round, one sheet a table.

The overview notebook writes ``portfolio-data.xlsx`` into its folder
(:data:`evalkit.names.PORTFOLIO_WORKBOOK`), which the build commits with the overview's
page and PDF; the overview page (:func:`html`) and the index link it. The workbook holds
the score tables of the overview's round as ``evalkit score`` wrote them (after
disclosure control: small groups pooled, figures under the floor blank), every column
headed by its label, with each partnership's name beside its id:

* a *Contents* sheet: each sheet, what it holds and its number of rows;
* findings and actions first (what a committee acts on), then the framework and
  dimension scores, organisation and sector views, value for money, equity and risks.

Item scores are left out: no report shows them, and their lowest and highest
organisation per item are not checked for small numbers. When the data is invented,
the notice is the first row of every sheet (as in the packs' workbooks, see
:mod:`evalkit.report.pack.downloads`). Sheets are streamed to the file
(:func:`evalkit.spreadsheet.write_xlsx`), so a large portfolio's workbook is not held in
memory cell by cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.names import PORTFOLIO_WORKBOOK
from evalkit.report.fragments import SEVERITY_WORDS, escape, heading, para
from evalkit.report.labels import label
from evalkit.report.overview import benchmark, findings, landscape, money, network, reviews
from evalkit.report.overview.sizing import (
    BENCHMARK_SHEET,
    BY_PARTNERSHIP_SHEET,
    INPUTS_SHEET,
    MEMBERSHIPS_SHEET,
    ORGANISATIONS_SHEET,
    OVERDUE_SHEET,
    REGISTER_SHEET,
)
from evalkit.spreadsheet import write_xlsx

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: Score table → (sheet name, what it holds), in the workbook's order.
SHEETS: dict[str, tuple[str, str]] = {
    "findings": ("Findings", "Findings the rules made, one row a finding"),
    "actions": ("Actions", "Actions answering the findings, with owner and timescale"),
    "framework_scores": ("Framework totals", "Each framework's total and band, where allowed"),
    "dimension_scores": ("Dimension scores", "Each framework's scores by dimension"),
    "organisation_scores": (
        "Organisation scores",
        "Each organisation's (or pooled group's) score by dimension",
    ),
    "sector_scores": ("Sector scores", "Scores by sector of organisation, small groups blank"),
    "vfm_inputs": ("Inputs", "What goes in each year: cash, in kind and officer time"),
    "vfm_share": ("Council and partners", "What the council puts in and what partners add"),
    "vfm_indicators": ("Indicators and unit costs", "Outputs and outcomes, with unit costs"),
    "vfm_trend": ("Unit cost trend", "How unit costs changed between periods"),
    "equity": ("Equity", "Indicators split by place or group"),
    "risks": ("Risks", "Recorded risks with likelihood, impact and rating"),
}
#: The first sheet's name.
CONTENTS = "Contents"
#: The heading of the partnership's name, added beside its id.
NAME = "Partnership"


def _with_names(view: Overview, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` headed by its labels, each partnership's name after its id."""
    out = frame.copy()
    for column in ("severity", "priority"):  # in words, as the pages show them
        if column in out.columns:
            out[column] = out[column].map(lambda v: SEVERITY_WORDS.get(v, v))
    if "partnership_id" in out.columns:
        at = list(out.columns).index("partnership_id") + 1
        out.insert(at, "partnership_name", out["partnership_id"].map(view.names))
    headings = {column: label(table, str(column)) for column in out.columns}
    headings["partnership_id"] = "Partnership id"
    headings["partnership_name"] = NAME
    return out.rename(columns=headings)


def overview_tables(view: Overview) -> dict[str, tuple[str, pd.DataFrame]]:
    """The overview's own long tables, in full: sheet name → (what it holds, table)."""
    links = network.memberships(view)
    return {
        REGISTER_SHEET: (
            "Every partnership in the register",
            landscape.register_table(view.register),
        ),
        ORGANISATIONS_SHEET: (
            "Each organisation and how many partnerships it sits on",
            network.per_organisation(view, links),
        ),
        MEMBERSHIPS_SHEET: (
            "Which organisation sits on which partnership, one row a membership",
            links.rename(columns={"partnership": NAME, "organisation": "Organisation"}),
        ),
        INPUTS_SHEET: ("What the council puts into each partnership", money.inputs_table(view)),
        OVERDUE_SHEET: (
            "In-scope partnerships overdue for review",
            reviews.overdue_table(view.in_scope, view.as_of),
        ),
        BENCHMARK_SHEET: (
            "Each partnership against the portfolio median, dimension by dimension",
            benchmark.benchmark_table(view),
        ),
        BY_PARTNERSHIP_SHEET: (
            "Findings by partnership and priority",
            findings.by_partnership(view.scores.get("findings", pd.DataFrame()), view.names),
        ),
    }


def sheets(view: Overview) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, by name: the contents, one per score table, then the overview's."""
    tables = {
        SHEETS[name][0]: _with_names(view, name, view.scores.get(name, pd.DataFrame()))
        for name in SHEETS
    }
    described = [(sheet, SHEETS[name][1]) for name, (sheet, _) in SHEETS.items()]
    for sheet, (what, table) in overview_tables(view).items():
        tables[sheet] = table
        described.append((sheet, what))
    contents = pd.DataFrame(
        [(sheet, what, len(tables[sheet])) for sheet, what in described],
        columns=["Sheet", "What it holds", "Rows"],
    )
    return {CONTENTS: contents, **tables}


def write(view: Overview, output_dir: Path | str) -> Path:
    """Write the portfolio's workbook into the overview's folder.

    Returns:
        The workbook's path.
    """
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return write_xlsx(folder / PORTFOLIO_WORKBOOK, sheets(view), notice=view.notice)


def html(view: Overview) -> str:
    """The overview's data section: a link to the workbook and what it holds."""
    text = (
        f"Every score, finding and action of the {view.assessment_round} round, for every "
        "partnership, as one Excel workbook with a sheet per table (findings, actions, "
        "framework and dimension scores, organisation and sector views, value for money, "
        "equity and risks), and the overview's long tables in full (the register, "
        "organisations and memberships, council inputs, reviews overdue, benchmarking and "
        "findings by partnership). Each evidence pack has its own workbook and a CSV file per "
        "table, linked from the pack."
    )
    if view.notice:
        text += " Each sheet begins with the notice that the data is invented."
    link = (
        f'<p class="data-links"><a href="{escape(PORTFOLIO_WORKBOOK)}">'
        f"Excel workbook: {escape(PORTFOLIO_WORKBOOK)}</a></p>"
    )
    return heading(2, "Data behind this overview") + para(text) + link
