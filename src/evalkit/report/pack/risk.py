"""Risk: the heatmap of likelihood against impact, and every risk, highest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.report import charts
from evalkit.report.fragments import heading, para
from evalkit.report.labels import labelled
from evalkit.report.render import figure_html, table_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

RISK_COLUMNS = [
    "risk_id",
    "description",
    "likelihood",
    "impact",
    "score",
    "rating",
    "owner",
    "mitigation",
]


def html(pack: Pack) -> str:
    """Risk heatmap and the highest risks."""
    risks = pack.scores["risks"]
    out = heading(2, "Risk")
    if risks.empty:
        return out + para("No risks were recorded for this partnership.")
    high = int((risks["rating"] == "high").sum())
    top = risks.iloc[0]
    out += para(
        f"{len(risks)} risks recorded; {high} rated high (likelihood × impact of 15 or "
        f"more, evalkit's default banding). The highest: {top['description']} "
        f"(score {int(top['score'])})."
    )
    out += figure_html(charts.risk_heatmap(risks))
    return out + table_html(labelled(risks, "risks", RISK_COLUMNS), caption="Risks, highest first")
