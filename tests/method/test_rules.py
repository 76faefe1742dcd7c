"""Findings rules and the action list, worked by hand."""

from __future__ import annotations

import pandas as pd

from evalkit.method import risk, rules, vfm
from small_portfolio import FINANCE, INDICATORS, RATE, REGISTER


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
