"""Evidence of impact: outputs and outcomes against baseline and target, and equity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import para
from evalkit.report.labels import label, labelled
from evalkit.report.pack import anchors, appendix, downloads

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

INDICATOR_COLUMNS = [
    "name",
    "kind",
    "period",
    "baseline",
    "target",
    "actual",
    "unit",
    "good_direction",
    "moved",
    "target_met",
]
EQUITY_COLUMNS = ["name", "period", "group", "baseline", "actual", "moved"]
WHOLE = "{:,.0f}"


def html(pack: Pack) -> str:
    """Outcomes and outputs against baseline and target; equity split."""
    costs = pack.scores["vfm_indicators"]
    latest = latest_periods(costs)
    out = anchors.section_heading(2, headline(latest), anchors.IMPACT)
    if costs.empty:
        return out + para("No output or outcome indicators were recorded.")
    out += para(_reading(latest))
    out += anchors.compact(
        downloads.figure(pack, charts.indicator_chart(latest), data="indicators")
    )
    out += appendix.table(
        pack,
        labelled(costs, "vfm_indicators", INDICATOR_COLUMNS),
        section="Evidence of impact",
        name="indicators",
        caption="Outputs and outcomes against baseline and target",
        formats=_whole("vfm_indicators", ["baseline", "target", "actual"]),
    )
    return out + _equity(pack, pack.scores["equity"])


def latest_periods(costs: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's row for its latest period."""
    if costs.empty:
        return costs
    return costs[costs["period"] == costs.groupby("indicator_id")["period"].transform("max")]


def headline(latest: pd.DataFrame) -> str:
    """A heading that says what was found: indicators that moved the right way."""
    if latest.empty:
        return "Evidence of impact: no indicators recorded"
    better = int((latest["moved"] == "better").sum())
    return f"Evidence of impact: {better} of {plural(len(latest), 'indicator')} moved the right way"


def _reading(latest: pd.DataFrame) -> str:
    better = int((latest["moved"] == "better").sum())
    worse = int((latest["moved"] == "worse").sum())
    met = latest["target_met"].astype(str)
    with_target = int(met.isin(["True", "False"]).sum())
    return (
        f"In each indicator's latest period: {better} of {len(latest)} moved the right way "
        f"from its baseline and {worse} the wrong way; {int(met.eq('True').sum())} of "
        f"{with_target} with a target met it."
    )


def _equity(pack: Pack, equity: pd.DataFrame) -> str:
    """Indicators split by place or group ('' when none are)."""
    if not len(equity):
        return ""
    return appendix.table(
        pack,
        labelled(equity, "equity", EQUITY_COLUMNS),
        section="Evidence of impact",
        name="equity",
        caption="Indicators split by place or group",
        formats=_whole("equity", ["baseline", "actual"]),
    )


def _whole(table: str, columns: list[str]) -> dict[str, str]:
    """Whole-number formats for these columns, keyed by their headings."""
    return {label(table, c): WHOLE for c in columns}
