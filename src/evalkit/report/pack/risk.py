"""Risk: the heatmap of likelihood against impact, and every risk, highest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import para
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, appendix, downloads

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


#: Columns of the printed table of the risks rated high.
HIGH_RISK_COLUMNS = ["risk_id", "description", "score", "owner", "mitigation"]


def headline(risks: pd.DataFrame) -> str:
    """A heading that says what was found: how many risks are rated high."""
    if risks.empty:
        return "Risk: no risks recorded"
    high = int((risks["rating"] == "high").sum())
    return f"Risk: {'none' if high == 0 else high} of {plural(len(risks), 'risk')} rated high"


def html(pack: Pack) -> str:
    """Risk heatmap and the risks rated high; every risk in the appendix."""
    risks = pack.scores["risks"]
    out = anchors.section_heading(2, headline(risks), anchors.RISK)
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
    out += anchors.compact(downloads.figure(pack, charts.risk_heatmap(risks), data="risks"))
    if high:
        out += downloads.table(
            pack,
            labelled(risks[risks["rating"] == "high"], "risks", HIGH_RISK_COLUMNS),
            name="high-risks",
            caption="Risks rated high, with their owners and mitigations",
        )
    return out + appendix.table(
        pack,
        labelled(risks, "risks", RISK_COLUMNS),
        section="Risk",
        name="risks",
        caption="Risks, highest first",
    )
