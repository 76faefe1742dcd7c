"""Findings rules and the action list, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

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
        == "The review due on 1 January 2025 is 89 days overdue at 31 March 2025."
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


# -- evidence references: one low finding per framework, listing the sections ----------------


def _checklist(n_items: list[int], n_missing: list[int], n_no_evidence: list[int]) -> pd.DataFrame:
    """Sections of the governance checklist for partnership "p" (it asks for evidence)."""
    n = len(n_items)
    return pd.DataFrame(
        {
            "partnership_id": ["p"] * n,
            "framework_id": ["governance-checklist"] * n,
            "dimension_id": [f"G{i}" for i in range(1, n + 1)],
            "dimension_title": ["Legal basis", "Money", "Risk"][:n],
            "mode": ["checklist"] * n,
            "n_items": n_items,
            "n_missing": n_missing,
            "n_no_evidence": n_no_evidence,
        }
    )


def test_evidence_missing_is_one_low_finding_per_framework_naming_each_section(frameworks):
    # 4 + 3 + 5 items, 1 not rated: 11 ratings given; 2 + 0 + 1 = 3 without evidence,
    # 3/11 = 27 %, not more than half: bookkeeping, low priority
    dims = _checklist([4, 3, 5], [1, 0, 0], [2, 0, 1])
    (found,) = rules.evidence_missing(_evidence(dimensions=dims, frameworks=frameworks))
    assert (found.code, found.severity.value, found.framework_id) == (
        "evidence-missing",
        "low",
        "governance-checklist",
    )
    assert found.message == (
        "3 of 11 ratings in Governance checklist have no evidence reference, so they cannot "
        "be checked, in 2 sections: G1 Legal basis (2); G3 Risk (1)."
    )
    assert found.evidence == {
        "items_without_evidence": 3,
        "ratings": 11,
        "dimensions": ["G1", "G3"],
    }


def test_evidence_missing_is_medium_when_more_than_half_the_ratings_have_none(frameworks):
    # exactly half (2 of 4) stays low; 3 of 4 (75 %) is medium
    half = rules.evidence_missing(
        _evidence(dimensions=_checklist([4], [0], [2]), frameworks=frameworks)
    )
    most = rules.evidence_missing(
        _evidence(dimensions=_checklist([4], [0], [3]), frameworks=frameworks)
    )
    assert [f.severity.value for f in half + most] == ["low", "medium"]
    assert most[0].message == (
        "3 of 4 ratings in Governance checklist have no evidence reference, so they cannot "
        "be checked, in 1 section: G1 Legal basis (3)."
    )


def test_evidence_missing_is_quiet_when_every_rating_has_evidence(frameworks):
    dims = _checklist([4, 3], [0, 0], [0, 0])
    assert rules.evidence_missing(_evidence(dimensions=dims, frameworks=frameworks)) == []


# -- a high risk is "act now" only when nobody is managing it ---------------------------------


def _high_risk(owner: object, mitigation: object) -> pd.DataFrame:
    return risk.scored_risks(
        pd.DataFrame(
            {
                "partnership_id": ["p"],
                "risk_id": ["R1"],
                "description": ["Grant ends."],
                "likelihood": [4],
                "impact": [4],
                "owner": [owner],
                "mitigation": [mitigation],
            }
        )
    )


def test_a_high_risk_with_a_mitigation_and_an_owner_is_medium():
    (found,) = rules.high_risk(_evidence(risks=_high_risk("Head of service", "Bid again.")))
    assert found.severity.value == "medium"
    assert found.message == (
        "Risk R1 scores 16 (likelihood 4 × impact 4): Grant ends. Mitigation recorded: "
        "Bid again (owner: Head of service)."
    )
    assert found.evidence["mitigation_recorded"] is True


@pytest.mark.parametrize(
    ("owner", "mitigation", "missing"),
    [
        (None, "Bid again.", "owner"),
        ("Head of service", "  ", "mitigation"),
        (None, None, "mitigation or owner"),
    ],
)
def test_a_high_risk_without_a_mitigation_or_owner_is_high(owner, mitigation, missing):
    (found,) = rules.high_risk(_evidence(risks=_high_risk(owner, mitigation)))
    assert found.severity.value == "high"
    assert found.message.endswith(f"Grant ends. No {missing} is recorded.")


# -- due dates ---------------------------------------------------------------------------------


def test_due_dates_are_month_ends_three_six_and_twelve_months_after_the_round():
    end = rules.round_end("2024-25")  # 31 March 2025
    assert rules.due_date(end, "high") == pd.Timestamp(2025, 6, 30)
    assert rules.due_date(end, "medium") == pd.Timestamp(2025, 9, 30)
    assert rules.due_date(end, "low") == pd.Timestamp(2026, 3, 31)
    assert rules.due_date(end, "info") is None
    # a calendar-year round ends 31 December 2024: three months on is 31 March 2025
    assert rules.due_date(rules.round_end("2024"), "high") == pd.Timestamp(2025, 3, 31)
    # 30 November 2024 + 3 months: the end of February, in a year that is not a leap year
    assert rules.due_date(pd.Timestamp(2024, 11, 30), "high") == pd.Timestamp(2025, 2, 28)


def test_dates_are_written_the_way_people_write_them():
    assert rules.date_words(pd.Timestamp(2025, 6, 30)) == "30 June 2025"
    assert rules.date_words(pd.Timestamp(2025, 3, 1)) == "1 March 2025"


def test_actions_carry_a_due_date_from_the_end_of_the_round():
    from evalkit.method.findings import findings_frame

    ev = _evidence()
    actions = rules.action_list(findings_frame(rules.run_rules(ev)), ev.partnerships, ev.as_of)
    due = dict(zip(actions["finding"], actions["due_date"], strict=True))
    assert due["no-evidence"] == "2025-06-30"  # high
    assert due["review-overdue"] == "2025-09-30"  # medium
    assert due["target-missed"] == "2026-03-31"  # low
    assert list(actions.columns) == rules.ACTION_COLUMNS
