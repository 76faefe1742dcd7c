"""Value for money: inputs, council share, unit costs, outcomes and equity, worked by hand."""

from __future__ import annotations

import pytest

from evalkit.method import vfm
from small_portfolio import FINANCE, INDICATORS, RATE, REGISTER


def test_inputs_include_in_kind_and_officer_time():
    inputs = vfm.inputs_by_year(FINANCE, REGISTER, RATE).set_index(["partnership_id", "year"])
    assert inputs.loc[("p", "2023-24"), "total_gbp"] == 10000.0
    assert inputs.loc[("p", "2024-25"), "total_gbp"] == 10000 + 2000 + 10 * 350 + 5000  # 20,500
    assert inputs.loc[("p", "2024-25"), "partners"] == 2
    # q has no finance rows: the register's council figures, 7,000 + 4 x 350 = 8,400
    q = inputs.loc[("q", "per year (register)")]
    assert q["total_gbp"] == 8400.0 and q["source"] == "register"


def test_council_share_and_leverage():
    share = vfm.council_share(FINANCE, "council", RATE).set_index("year")
    assert share.loc["2024-25", "council_gbp"] == 15500.0
    assert share.loc["2024-25", "partners_gbp"] == 5000.0
    assert share.loc["2024-25", "partner_gbp_per_council_gbp"] == pytest.approx(5000 / 15500)


def test_unit_costs_and_outcomes():
    inputs = vfm.inputs_by_year(FINANCE, REGISTER, RATE)
    costs = vfm.unit_costs(INDICATORS, inputs).set_index(["indicator_id", "period"])
    assert costs.loc[("visits", "2023-24"), "cost_per_unit"] == 100.0  # 10,000 / 100
    assert costs.loc[("visits", "2024-25"), "cost_per_unit"] == 205.0  # 20,500 / 100
    asb = costs.loc[("asb", "2024-25")]
    assert asb["change"] == -20.0 and asb["improvement"] == 20.0 and asb["moved"] == "better"
    assert asb["target_met"] is False or asb["target_met"] == False  # noqa: E712  180 > 150
    assert asb["progress_to_target"] == pytest.approx(20 / 50)
    assert asb["cost_per_improvement"] == pytest.approx(20500 / 20)  # 1,025 per incident
    trend = vfm.unit_cost_trend(vfm.unit_costs(INDICATORS, inputs)).iloc[0]
    assert trend["change_pct"] == pytest.approx((205 / 100 - 1) * 100)  # +105%


def test_equity_split():
    eq = vfm.equity_split(INDICATORS).iloc[0]
    assert (eq["group"], eq["improvement"], eq["moved"]) == ("North", -10.0, "worse")
