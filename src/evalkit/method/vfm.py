"""Value for money: economy, efficiency, effectiveness and equity.

* **Inputs (economy)**: cash, in-kind and officer time (days × a configurable day
  rate) from every partner, by year. Where the ``finance`` table has nothing for a
  partnership, the council's own figures from the register are used and flagged.
* **Efficiency**: cost per output — the year's total inputs divided by an output
  indicator's actual value in that year.
* **Effectiveness**: each outcome against its baseline and target, read in the
  direction that is good; cost per unit of improvement where there is improvement.
* **Equity**: outcomes split by place or group where the data gives one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def inputs_by_year(
    finance: pd.DataFrame, partnerships: pd.DataFrame, day_rate: float
) -> pd.DataFrame:
    """Total inputs per partnership and year, by type.

    Returns columns partnership_id, year, cash_gbp, in_kind_gbp, officer_days,
    officer_time_gbp, total_gbp, partners, source ("finance table" or "register").
    """
    fin = finance.copy()
    fin["in_kind_gbp"] = fin["in_kind_gbp"].fillna(0.0)
    fin["officer_days"] = fin["officer_days"].fillna(0.0)
    by_year = (
        fin.groupby(["partnership_id", "year"], observed=True)
        .agg(
            cash_gbp=("cash_gbp", "sum"),
            in_kind_gbp=("in_kind_gbp", "sum"),
            officer_days=("officer_days", "sum"),
            partners=("organisation_id", "nunique"),
        )
        .reset_index()
    )
    by_year["source"] = "finance table"
    missing = partnerships.loc[
        ~partnerships["partnership_id"].isin(set(fin["partnership_id"])),
        ["partnership_id", "council_cash_gbp", "in_kind_gbp", "officer_days_per_year"],
    ]
    if len(missing):
        fallback = pd.DataFrame(
            {
                "partnership_id": missing["partnership_id"],
                "year": "per year (register)",
                "cash_gbp": missing["council_cash_gbp"].fillna(0.0),
                "in_kind_gbp": missing["in_kind_gbp"].fillna(0.0),
                "officer_days": missing["officer_days_per_year"].fillna(0.0),
                "partners": 1,
                "source": "register",
            }
        )
        by_year = pd.concat([by_year, fallback], ignore_index=True)
    by_year["officer_time_gbp"] = by_year["officer_days"] * day_rate
    by_year["total_gbp"] = (
        by_year["cash_gbp"] + by_year["in_kind_gbp"] + by_year["officer_time_gbp"]
    )
    return by_year.sort_values(["partnership_id", "year"]).reset_index(drop=True)


def council_share(finance: pd.DataFrame, council_id: str | None, day_rate: float) -> pd.DataFrame:
    """Council and partner inputs per partnership and year, and partner £ per council £."""
    fin = finance.copy()
    fin["value_gbp"] = (
        fin["cash_gbp"].fillna(0.0)
        + fin["in_kind_gbp"].fillna(0.0)
        + fin["officer_days"].fillna(0.0) * day_rate
    )
    fin["who"] = np.where(fin["organisation_id"] == council_id, "council", "partners")
    table = fin.pivot_table(
        index=["partnership_id", "year"], columns="who", values="value_gbp", aggfunc="sum"
    ).reset_index()
    for column in ("council", "partners"):
        if column not in table:
            table[column] = 0.0
    table = table.fillna({"council": 0.0, "partners": 0.0})
    table["partner_gbp_per_council_gbp"] = np.where(
        table["council"] > 0,
        table["partners"] / table["council"].where(table["council"] > 0),
        np.nan,
    )
    table.columns.name = None
    return table.rename(columns={"council": "council_gbp", "partners": "partners_gbp"})


def outcome_progress(indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator row (whole-partnership rows) read against baseline and target.

    Adds: change (actual − baseline), improvement (change in the good direction),
    moved ("better", "worse", "no change" or "unknown"), target_met, and
    progress_to_target (share of the baseline→target distance covered).
    """
    ind = indicators[indicators["group"].isna()].copy()
    sign = np.where(ind["good_direction"] == "down", -1.0, 1.0)
    ind["change"] = ind["actual"] - ind["baseline"]
    ind["improvement"] = ind["change"] * sign
    ind["moved"] = np.select(
        [ind["improvement"] > 0, ind["improvement"] < 0, ind["improvement"] == 0],
        ["better", "worse", "no change"],
        default="unknown",
    )
    gap = (ind["target"] - ind["actual"]) * sign
    known = ind["target"].notna() & ind["actual"].notna()
    ind["target_met"] = (gap <= 0).astype("boolean").where(known)
    distance = (ind["target"] - ind["baseline"]) * sign
    ind["progress_to_target"] = np.where(distance > 0, ind["improvement"] / distance, np.nan)
    return ind.reset_index(drop=True)


def unit_costs(indicators: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Cost per output and cost per unit of outcome improvement, by indicator and period.

    The period of an indicator is matched to the finance year of the same name.
    """
    progress = outcome_progress(indicators)
    merged = progress.merge(
        inputs[["partnership_id", "year", "total_gbp"]],
        left_on=["partnership_id", "period"],
        right_on=["partnership_id", "year"],
        how="left",
    )
    is_output = merged["kind"] == "output"
    merged["cost_per_unit"] = np.where(
        is_output & (merged["actual"] > 0), merged["total_gbp"] / merged["actual"], np.nan
    )
    merged["cost_per_improvement"] = np.where(
        ~is_output & (merged["improvement"] > 0),
        merged["total_gbp"] / merged["improvement"],
        np.nan,
    )
    merged["measure"] = np.where(is_output, "cost per output", "cost per unit improved")
    cols = [
        "partnership_id",
        "indicator_id",
        "name",
        "kind",
        "unit",
        "period",
        "baseline",
        "target",
        "actual",
        "good_direction",
        "change",
        "improvement",
        "moved",
        "target_met",
        "progress_to_target",
        "total_gbp",
        "cost_per_unit",
        "cost_per_improvement",
        "measure",
    ]
    return (
        merged[cols]
        .sort_values(["partnership_id", "indicator_id", "period"])
        .reset_index(drop=True)
    )


def unit_cost_trend(costs: pd.DataFrame) -> pd.DataFrame:
    """Latest vs previous period cost per output, per output indicator."""
    outputs = costs[(costs["kind"] == "output") & costs["cost_per_unit"].notna()]
    rows = []
    for (pid, iid), group in outputs.groupby(["partnership_id", "indicator_id"], observed=True):
        group = group.sort_values("period")
        if len(group) < 2:
            continue
        prev, last = group.iloc[-2], group.iloc[-1]
        rows.append(
            {
                "partnership_id": pid,
                "indicator_id": iid,
                "name": last["name"],
                "previous_period": prev["period"],
                "latest_period": last["period"],
                "previous_cost": prev["cost_per_unit"],
                "latest_cost": last["cost_per_unit"],
                "change_pct": (last["cost_per_unit"] / prev["cost_per_unit"] - 1) * 100,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "partnership_id",
            "indicator_id",
            "name",
            "previous_period",
            "latest_period",
            "previous_cost",
            "latest_cost",
            "change_pct",
        ],
    )


def equity_split(indicators: pd.DataFrame) -> pd.DataFrame:
    """Group-level rows (e.g. by district): change from baseline in the good direction."""
    groups = indicators[indicators["group"].notna()].copy()
    sign = np.where(groups["good_direction"] == "down", -1.0, 1.0)
    groups["improvement"] = (groups["actual"] - groups["baseline"]) * sign
    groups["moved"] = np.select(
        [groups["improvement"] > 0, groups["improvement"] < 0],
        ["better", "worse"],
        default="no change",
    )
    return groups.sort_values(["partnership_id", "indicator_id", "period", "group"]).reset_index(
        drop=True
    )
