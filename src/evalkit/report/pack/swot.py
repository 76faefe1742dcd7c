"""The SWOT analysis: strengths, weaknesses, opportunities and threats, in that order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.method.rules import plural
from evalkit.report.fragments import para
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, appendix

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

CATEGORY_ORDER = {"strength": 0, "weakness": 1, "opportunity": 2, "threat": 3}
#: Each category's plural.
PLURALS = {
    "strength": "strengths",
    "weakness": "weaknesses",
    "opportunity": "opportunities",
    "threat": "threats",
}


def html(pack: Pack) -> str:
    """SWOT entries grouped by category."""
    swot = pack.tables["swot"]
    out = anchors.section_heading(2, "SWOT analysis", anchors.SWOT)
    if swot.empty:
        return out + para("No SWOT analysis was recorded.")
    swot = swot.assign(order=swot["category"].map(CATEGORY_ORDER)).sort_values("order")
    counts = swot["category"].value_counts()
    out += para(
        "; ".join(plural(int(counts.get(c, 0)), c, PLURALS[c]) for c in CATEGORY_ORDER) + "."
    )
    return out + appendix.table(
        pack,
        labelled(swot, "swot", ["category", "text"]),
        section="SWOT analysis",
        name="swot",
        caption="Strengths, weaknesses, opportunities and threats",
    )
