"""Money in: council cash, in-kind support and officer time, by partnership."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report import charts
from evalkit.report.fragments import heading, para
from evalkit.report.labels import label, labelled
from evalkit.report.overview.sizing import END_ROWS, INPUTS_SHEET, is_short, long_table_html
from evalkit.report.render import figure_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: The kinds of council input, each with the words the chart's legend uses.
INPUT_WORDS = {
    "council_cash_gbp": "cash",
    "in_kind_gbp": "in kind",
    "officer_time_gbp": "officer time",
}
#: The register's money columns (officer time is worked out from officer days).
TABLE_COLUMNS = (
    "name",
    "council_cash_gbp",
    "in_kind_gbp",
    "officer_days_per_year",
    "officer_time_gbp",
    "total_budget_gbp",
)


def money_html(view: Overview) -> str:
    """The council's yearly inputs to in-scope partnerships: total, chart and table."""
    rate = view.scoring.officer_day_rate_gbp
    reg = with_inputs(view)
    long = _by_input(reg)
    out = heading(2, "Money in") + para(
        f"The council puts about £{long['gbp'].sum():,.0f} a year into its in-scope "
        f"partnerships, counting officer time at £{rate:,.0f} a day."
    )
    title = "Council inputs per year by partnership"
    if not is_short(len(reg)):
        top = set(reg["name"].head(END_ROWS))
        long = long[long["name"].isin(top)]
        title += f": the {END_ROWS} partnerships the council puts most into"
    out += figure_html(
        charts.money_chart(long, category="name", value="gbp", stack="type", title=title)
    )
    table = inputs_table(view)
    days = label("partnerships", "officer_days_per_year")
    formats = {c: "£{:,.0f}" for c in table.columns if "(£)" in c} | {days: "{:,.0f}"}
    return out + long_table_html(
        table,
        caption="Council inputs (from the register)",
        sheet=INPUTS_SHEET,
        first="most council input",
        last="least",
        formats=formats,
    )


def with_inputs(view: Overview) -> pd.DataFrame:
    """In-scope partnerships with officer time in pounds, most council input first."""
    rate = view.scoring.officer_day_rate_gbp
    reg = view.in_scope.assign(
        officer_time_gbp=view.in_scope["officer_days_per_year"].fillna(0) * rate
    )
    total = reg[list(INPUT_WORDS)].fillna(0).sum(axis=1)
    return reg.assign(total=total).sort_values(["total", "name"], ascending=[False, True])


def inputs_table(view: Overview) -> pd.DataFrame:
    """The council's inputs per in-scope partnership, headed by their labels."""
    return labelled(with_inputs(view), "partnerships", TABLE_COLUMNS)


def _by_input(reg: pd.DataFrame) -> pd.DataFrame:
    """One row per partnership and kind of input: ``name``, ``type`` and ``gbp``."""
    long = reg.melt(
        id_vars=["name"], value_vars=list(INPUT_WORDS), var_name="type", value_name="gbp"
    ).fillna({"gbp": 0})
    return long.assign(type=long["type"].map(INPUT_WORDS))
