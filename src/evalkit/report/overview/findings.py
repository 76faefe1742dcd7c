"""Findings across the portfolio, counted by partnership and priority and by code."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import SEVERITY_WORDS, heading, para
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def findings_html(view: Overview) -> str:
    """How many findings, the commonest, and the two count tables."""
    f = view.scores["findings"]
    out = heading(2, "Findings across the portfolio")
    if f.empty:
        return out + para("No findings.")
    by_code = (
        f["code"].value_counts().rename_axis("Finding").reset_index(name="Partnerships affected")
    )
    top = by_code.iloc[0]
    out += para(
        f"{len(f)} findings in all. The most common is '{top['Finding']}' "
        f"({int(top['Partnerships affected'])} times)."
    )
    return (
        out
        + table_html(_by_partnership(f, view.names), caption="Findings by partnership and priority")
        + table_html(by_code, caption="Findings by code")
    )


def _by_partnership(findings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per partnership with findings: how many of each priority."""
    counts = pd.crosstab(findings["partnership_id"].map(names), findings["severity"])
    return (
        counts.reindex(columns=list(SEVERITY_WORDS), fill_value=0)
        .reset_index()
        .rename(columns={"partnership_id": "Partnership"} | SEVERITY_WORDS)
    )
