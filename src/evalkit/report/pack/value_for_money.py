"""Value for money: what goes in (economy), cost per output and per outcome, leverage."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import gbp_text, para
from evalkit.report.labels import label, labelled
from evalkit.report.pack import anchors, appendix, downloads

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

INPUT_TYPES = {"cash_gbp": "cash", "in_kind_gbp": "in kind", "officer_time_gbp": "officer time"}
INPUT_COLUMNS = [
    "year",
    "cash_gbp",
    "in_kind_gbp",
    "officer_days",
    "officer_time_gbp",
    "total_gbp",
    "partners",
]
POUNDS = "£{:,.0f}"
SECTION = "Value for money"


def html(pack: Pack) -> str:
    """Value for money: inputs, unit costs, leverage."""
    inputs = pack.scores["vfm_inputs"]
    out = anchors.section_heading(2, "Value for money", anchors.VALUE_FOR_MONEY)
    if inputs.empty:
        return out + para("No inputs were recorded.")
    out += para(_reading(pack, inputs))
    out += anchors.compact(downloads.figure(pack, _inputs_chart(inputs), data="inputs"))
    out += _inputs_table(pack, inputs)
    out += _share_table(pack, pack.scores["vfm_share"])
    return out + _unit_costs_table(pack, pack.scores["vfm_indicators"])


def _reading(pack: Pack, inputs: pd.DataFrame) -> str:
    latest = inputs.sort_values("year", kind="stable").iloc[-1]
    days = float(latest["officer_days"]) if pd.notna(latest["officer_days"]) else 0.0
    whose = (
        "the council's inputs (from the register)"
        if latest.get("source") == "register"
        else "the partnership's inputs from all partners"
    )
    text = (
        f"In {latest['year']} {whose} came to {gbp_text(latest['total_gbp'])}, including "
        f"officer time valued at £{pack.scoring.officer_day_rate_gbp:,.0f} a day "
        f"({plural(round(days), 'day') if days == round(days) else f'{days:,.1f} days'}). "
        "Economy is the cost of inputs; efficiency the cost per output; effectiveness the "
        "change in outcomes for that cost."
    )
    if (inputs["source"] == "register").any():
        text += (
            " No finance breakdown was recorded, so only the council's figures "
            "from the register are used."
        )
    return text


def _inputs_chart(inputs: pd.DataFrame) -> charts.Chart:
    long = inputs.melt(
        id_vars=["year"], value_vars=list(INPUT_TYPES), var_name="type", value_name="gbp"
    )
    long["type"] = long["type"].map(INPUT_TYPES)
    return charts.money_chart(
        long, category="year", value="gbp", stack="type", title="Inputs by year and type"
    )


def _inputs_table(pack: Pack, inputs: pd.DataFrame) -> str:
    money = ("cash_gbp", "in_kind_gbp", "officer_time_gbp", "total_gbp")
    return appendix.table(
        pack,
        labelled(inputs, "vfm_inputs", INPUT_COLUMNS),
        section=SECTION,
        name="inputs",
        caption="Inputs (economy)",
        formats={label("vfm_inputs", c): POUNDS for c in money},
    )


def _share_table(pack: Pack, share: pd.DataFrame) -> str:
    """What the council puts in against what the other partners add ('' when unknown)."""
    if not len(share):
        return ""
    columns = ["year", "council_gbp", "partners_gbp", "partner_gbp_per_council_gbp"]
    formats = {
        "council_gbp": POUNDS,
        "partners_gbp": POUNDS,
        "partner_gbp_per_council_gbp": "{:.2f}",
    }
    return appendix.table(
        pack,
        labelled(share, "vfm_share", columns),
        section=SECTION,
        name="council-and-partners",
        caption="What the council puts in and what partners add",
        formats={label("vfm_share", c): f for c, f in formats.items()},
    )


def _unit_costs_table(pack: Pack, costs: pd.DataFrame) -> str:
    """Cost per unit of output, or per unit of improvement ('' when none was worked out)."""
    unit = costs[costs["cost_per_unit"].notna() | costs["cost_per_improvement"].notna()]
    if not len(unit):
        return ""
    unit = unit.assign(cost=unit["cost_per_unit"].fillna(unit["cost_per_improvement"]))
    cost = "Cost (£)"
    return appendix.table(
        pack,
        labelled(
            unit, "vfm_indicators", ["name", "period", "measure", "actual", "cost"], {"cost": cost}
        ),
        section=SECTION,
        name="unit-costs",
        caption="Unit costs (efficiency and effectiveness)",
        formats={cost: "£{:,.2f}", label("vfm_indicators", "actual"): "{:,.0f}"},
    )
