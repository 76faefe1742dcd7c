"""Findings across the portfolio, counted by partnership and priority and by code."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report.fragments import SEVERITY_WORDS, heading, para
from evalkit.report.overview.sizing import BY_PARTNERSHIP_SHEET, long_table_html
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def findings_html(view: Overview) -> str:
    """How many findings, the commonest, and the two count tables."""
    f = view.scores["findings"]
    out = heading(2, "Findings across the portfolio")
    if f.empty:
        return out + para("No findings.")
    by_code = findings_by_code(f)
    out += para(_reading(f, by_code))
    return (
        out
        + long_table_html(
            by_partnership(f, view.names),
            caption="Findings by partnership and priority",
            sheet=BY_PARTNERSHIP_SHEET,
            first="most high-priority findings",
            last="fewest",
        )
        + table_html(by_directorate(f, view.register), caption="Findings by lead directorate")
        + table_html(by_code, caption="Findings by code")
    )


def by_directorate(findings: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Per lead directorate: partnerships with findings, and findings of each priority."""
    directorate = register.set_index("partnership_id")["lead_directorate"].fillna("not recorded")
    f = findings.assign(directorate=findings["partnership_id"].map(directorate))
    counts = pd.crosstab(f["directorate"], f["severity"])
    counts = counts.reindex(columns=list(SEVERITY_WORDS), fill_value=0)
    counts.insert(0, "partnerships", f.groupby("directorate")["partnership_id"].nunique())
    order = ["high", "partnerships"]
    counts = counts.sort_values(order, ascending=[False, False], kind="stable")
    return (
        counts.rename_axis("Lead directorate")
        .reset_index()
        .rename(columns={"partnerships": "Partnerships with findings"} | SEVERITY_WORDS)
    )


def findings_by_code(findings: pd.DataFrame) -> pd.DataFrame:
    """Per code: how many findings and how many partnerships they concern (most first)."""
    return (
        findings.groupby("code")
        .agg(findings=("code", "size"), partnerships=("partnership_id", "nunique"))
        .reset_index()
        .sort_values(["partnerships", "findings", "code"], ascending=[False, False, True])
        .rename(
            columns={
                "code": "Finding",
                "findings": "Findings",
                "partnerships": "Partnerships affected",
            }
        )
        .reset_index(drop=True)
    )


def _reading(findings: pd.DataFrame, by_code: pd.DataFrame) -> str:
    """How many findings, the commonest code(s), and partnerships with no evidence at all."""
    most = int(by_code["Partnerships affected"].max())
    top = [f"'{c}'" for c in by_code.loc[by_code["Partnerships affected"] == most, "Finding"]]
    names = top[0] if len(top) == 1 else ", ".join(top[:-1]) + " and " + top[-1]
    text = (
        f"{plural(len(findings), 'finding')} in all. The most common "
        f"{'is' if len(top) == 1 else 'are'} {names}, {'' if len(top) == 1 else 'each '}"
        f"affecting {plural(most, 'partnership')}."
    )
    bare = int(findings.loc[findings["code"] == "no-evidence", "partnership_id"].nunique())
    if bare:
        text += (
            f" {plural(bare, 'in-scope partnership')} {'has' if bare == 1 else 'have'} no "
            "evidence recorded in this round (no survey answers and no checklist ratings)."
        )
    return text


def by_partnership(findings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per partnership with findings: how many of each priority, most urgent first."""
    if findings.empty:
        return pd.DataFrame(columns=["Partnership", *SEVERITY_WORDS.values()])
    counts = pd.crosstab(findings["partnership_id"].map(names), findings["severity"])
    counts = counts.reindex(columns=list(SEVERITY_WORDS), fill_value=0)
    order = [*SEVERITY_WORDS]
    counts = counts.sort_values(order, ascending=[False] * len(order), kind="stable")
    return counts.rename_axis("Partnership").reset_index().rename(columns=SEVERITY_WORDS)
