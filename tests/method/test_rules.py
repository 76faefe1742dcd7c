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
        "no-evidence",  # no dimension scores at all in this evidence
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
    assert (
        found["review-overdue"].message
        == "The review due on 01/01/2025 is 89 days overdue at 31/03/2025."
    )


def test_findings_become_actions_with_owners():
    from evalkit.method.findings import findings_frame

    findings = findings_frame(rules.run_rules(_evidence()))
    assert findings["severity"].tolist()[:3] == ["high", "high", "high"]
    actions = rules.action_list(findings, _evidence().partnerships)
    assert set(actions["owner"]) == {"A. Officer"}
    assert len(actions) == len(findings)


# -- evidence at all -------------------------------------------------------------------------


def _answers(n_missing: list[int], n_expected: list[float], mode: str = "survey") -> pd.DataFrame:
    """Dimension rows of one framework for partnership "p" (counts only)."""
    n = len(n_missing)
    expected = "n_expected" if mode == "survey" else "n_items"
    return pd.DataFrame(
        {
            "partnership_id": ["p"] * n,
            "framework_id": ["fw"] * n,
            "dimension_id": [f"D{i}" for i in range(1, n + 1)],
            "n_missing": n_missing,
            expected: n_expected,
            "score": [
                float("nan") if m == e else 2.0 for m, e in zip(n_missing, n_expected, strict=True)
            ],
        }
    )


def test_no_evidence_fires_for_a_partnership_without_any_answer():
    found = rules.no_evidence(_evidence())  # no dimension rows at all
    assert [(f.partnership_id, f.code, f.severity.value) for f in found] == [
        ("p", "no-evidence", "high")
    ]
    assert found[0].message.startswith("No evidence was recorded for this partnership")
    # rows recorded but every answer missing ("don't know" throughout): still no evidence
    assert len(rules.no_evidence(_evidence(dimensions=_answers([4, 6], [4, 6])))) == 1


def test_no_evidence_is_quiet_when_one_answer_was_recorded():
    assert rules.no_evidence(_evidence(dimensions=_answers([4, 5], [4, 6]))) == []
    checklist = _answers([0], [3], mode="checklist")
    assert rules.no_evidence(_evidence(dimensions=checklist)) == []


# -- missing answers: pooled, never a mean of section rates ------------------------------------


def test_missing_share_is_missing_answers_over_expected_answers():
    # section rates 1/2 = 50 % and 1/10 = 10 %: their mean is 30 %, but the framework's
    # share is (1 + 1) / (2 + 10) = 2/12 = 16.7 %, under the 25 % line
    dims = _answers([1, 1], [2, 10])
    share = rules.missing_share(dims)
    assert share[["n_missing", "n_expected"]].values.tolist() == [[2, 12]]
    assert share["missing_rate"].iloc[0] == 2 / 12
    assert rules.many_missing(_evidence(dimensions=dims)) == []


def test_missing_share_pools_checklist_items_too():
    # 3 of 4 items and 0 of 8 items missing: 3/12 = 25 %, not "more than a quarter"
    dims = _answers([3, 0], [4, 8], mode="checklist")
    assert rules.missing_share(dims)["missing_rate"].iloc[0] == 0.25
    assert rules.many_missing(_evidence(dimensions=dims)) == []


def test_many_missing_says_how_many_of_how_many():
    # 4 + 3 missing of 10 + 10 expected = 7/20 = 35 %
    (found,) = rules.many_missing(_evidence(dimensions=_answers([4, 3], [10, 10])))
    assert found.message == (
        "7 of 20 answers to fw (35%) were missing, don't know or not applicable: "
        "more than a quarter (evalkit's threshold)."
    )
    assert found.evidence == {"missing": 7, "expected": 20, "missing_rate": 0.35}


def test_plural_words():
    assert rules.plural(1, "finding") == "1 finding"
    assert rules.plural(0, "finding") == "0 findings"
    assert rules.plural(2, "opportunity", "opportunities") == "2 opportunities"
