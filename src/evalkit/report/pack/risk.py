"""Risk: the heatmap of likelihood against impact, and every risk, highest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import heading, para
from evalkit.report.labels import labelled
from evalkit.report.pack import downloads

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
    risks = risks.sort_values("score", ascending=False, kind="stable")
    high = int((risks["rating"] == "high").sum())
    top = risks.iloc[0]
    out += para(
        f"{plural(len(risks), 'risk')} recorded; {high} rated high (likelihood × impact of "
        f"15 or more, evalkit's default banding). The highest scoring: "
        f"{str(top['description']).rstrip('.')} (score {int(top['score'])})."
    )
    out += downloads.figure(pack, charts.risk_heatmap(risks), data="risks")
    return out + downloads.table(
        pack, labelled(risks, "risks", RISK_COLUMNS), name="risks", caption="Risks, highest first"
    )
