"""Value for money, risk and findings rules, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.method import risk, rules, vfm
from evalkit.inputs.contract import table

RATE = 350.0

FINANCE = pd.DataFrame(
    [
        # 2023-24: 10,000 cash, nothing else -> 10,000
        ("p", "council", "2023-24", 10000.0, None, None),
        # 2024-25: 10,000 + 2,000 in kind + 10 days x 350 = 15,500 (council) + 5,000 police
        ("p", "council", "2024-25", 10000.0, 2000.0, 10.0),
        ("p", "police", "2024-25", 5000.0, None, None),
    ],
    columns=[
        "partnership_id",
        "organisation_id",
        "year",
        "cash_gbp",
        "in_kind_gbp",
        "officer_days",
    ],
)
REGISTER = pd.DataFrame(
    {
        "partnership_id": ["p", "q"],
        "council_cash_gbp": [10000.0, 7000.0],
        "in_kind_gbp": [2000.0, None],
        "officer_days_per_year": [10.0, 4.0],
    }
)
INDICATORS = pd.DataFrame(
    [
        (
            "p",
            "visits",
            "Visits made",
            "output",
            "visits",
            "2023-24",
            None,
            None,
            None,
            100.0,
            "up",
        ),
        (
            "p",
            "visits",
            "Visits made",
            "output",
            "visits",
            "2024-25",
            None,
            None,
            None,
            100.0,
            "up",
        ),
        (
            "p",
            "asb",
            "ASB incidents",
            "outcome",
            "incidents",
            "2024-25",
            None,
            200.0,
            150.0,
            180.0,
            "down",
        ),
        (
            "p",
            "asb",
            "ASB incidents",
            "outcome",
            "incidents",
            "2024-25",
            "North",
            100.0,
            None,
            110.0,
            "down",
        ),
    ],
    columns=table("indicators").column_names,
)


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


def test_risk_scores_and_matrix():
    risks = pd.DataFrame(
        {
            "partnership_id": ["p", "p", "p"],
            "risk_id": ["R1", "R2", "R3"],
            "description": ["a", "b", "c"],
            "likelihood": pd.array([4, 2, 3], dtype="Int64"),
            "impact": pd.array([4, 3, 3], dtype="Int64"),
        }
    )
    scored = risk.scored_risks(risks)
    assert scored["risk_id"].tolist() == ["R1", "R3", "R2"]  # 16, 9, 6
    assert scored["rating"].tolist() == ["high", "medium", "low"]
    grid = risk.matrix(risks)
    assert grid.loc[4, 4] == 1 and grid.loc[3, 3] == 1 and grid.to_numpy().sum() == 3


def test_round_end():
    assert rules.round_end("2024-25") == pd.Timestamp(2025, 3, 31)
    assert rules.round_end("2024") == pd.Timestamp(2024, 12, 31)


def _evidence(**overrides):
    partnerships = pd.DataFrame(
        {
            "partnership_id": ["p"],
            "lead_officer": ["A. Officer"],
            "governing_document": pd.array([False], dtype="boolean"),
            "governing_document_date": pd.to_datetime([None]),
            "exit_arrangements": pd.array([False], dtype="boolean"),
            "next_review_due": pd.to_datetime(["2025-01-01"]),
            "last_review": pd.to_datetime(["2023-01-01"]),
            "toolkit_used": pd.array([True], dtype="boolean"),
            "council_role": ["member"],
            "total_budget_gbp": [None],
        }
    )
    inputs = vfm.inputs_by_year(FINANCE, REGISTER, RATE)
    costs = vfm.unit_costs(INDICATORS, inputs)
    base = dict(
        partnerships=partnerships,
        dimensions=pd.DataFrame(),
        vfm_costs=costs,
        cost_trend=vfm.unit_cost_trend(costs),
        risks=risk.scored_risks(
            pd.DataFrame(
                {
                    "partnership_id": ["p"],
                    "risk_id": ["R1"],
                    "description": ["x"],
                    "likelihood": [5],
                    "impact": [3],
                }
            )
        ),
        frameworks={},
        as_of=rules.round_end("2024-25"),
    )
    base.update(overrides)
    return rules.Evidence(**base)


def test_register_and_vfm_rules_fire():
    found = {f.code: f for f in rules.run_rules(_evidence())}
    assert set(found) == {
        "no-governing-document",
        "no-exit-arrangements",
        "review-overdue",
        "target-missed",
        "unit-cost-rising",
        "high-risk",
    }
    # 1 January to 31 March 2025 is 31 + 28 + 30 = 89 days
    assert found["review-overdue"].evidence["days_overdue"] == 89
    assert found["high-risk"].evidence["score"] == 15
    assert found["unit-cost-rising"].evidence["change_pct"] == 105.0


def test_findings_become_actions_with_owners():
    from evalkit.method.findings import findings_frame

    findings = findings_frame(rules.run_rules(_evidence()))
    assert findings["severity"].tolist()[:2] == ["high", "high"]
    actions = rules.action_list(findings, _evidence().partnerships)
    assert set(actions["owner"]) == {"A. Officer"}
    assert len(actions) == len(findings)
