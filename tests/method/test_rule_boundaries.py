"""Every finding threshold at, just below and just above its boundary, worked by hand.

docs/scoring.md states the rule: a measured value is rounded to 6 decimal places before
it meets a threshold, so floating-point error never carries it across the line.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from evalkit.method import risk, rules, vfm

AS_OF = pd.Timestamp("2025-03-31")


def _evidence_of(**tables: Any) -> rules.Evidence:
    """Evidence with nothing in it but the tables given (one in-scope partnership "p")."""
    empty = pd.DataFrame()
    base: dict[str, Any] = dict(
        partnerships=pd.DataFrame({"partnership_id": ["p"]}),
        dimensions=empty,
        vfm_costs=empty,
        cost_trend=empty,
        risks=pd.DataFrame(columns=["partnership_id", "rating"]),
        frameworks={},
        as_of=AS_OF,
    )
    return rules.Evidence(**(base | tables))


def _dimension(**values: Any) -> pd.DataFrame:
    """One dimension row of partnership "p" with the columns the score rules read."""
    row = {
        "partnership_id": "p",
        "framework_id": "fw",
        "dimension_id": "D1",
        "dimension_title": "Trust",
        "mode": "checklist",
        "scale_min": 0.0,
        "scale_max": 3.0,
        "agree_line": float("nan"),
        "rag": pd.NA,
        "band": pd.NA,
        "n_missing": 0,
        "n_items": 3,
        **values,
    }
    if "score_pct" not in values:  # as scoring.py works it out
        span = row["scale_max"] - row["scale_min"]
        row["score_pct"] = (row["score"] - row["scale_min"]) / span * 100
    return pd.DataFrame([row])


def _codes(findings: list[Any]) -> list[str]:
    return [f.code for f in findings]


# -- weak: a checklist dimension "under a third" of its scale ------------------------------


@pytest.mark.parametrize(
    ("score", "weak"),
    [
        (1.0, False),  # 1 on 0–3 is exactly a third (33.33…% as scoring computes it)
        (0.99, True),  # 33.0 %
        (1.01, False),  # 33.67 %: the old 34 % line called this weak
    ],
)
def test_weak_checklist_dimension_is_under_a_third_exactly(score, weak):
    found = rules.weak_dimension(_evidence_of(dimensions=_dimension(score=score)))
    assert _codes(found) == (["weak-dimension"] if weak else [])


def test_a_third_reached_by_a_mean_of_items_is_not_weak():
    # the mean (0.1 + 0.2 + 0.3 + 1.4 + 0.5) / 5 = 0.5 on a 0–1.5 scale is exactly a third
    score = (0.1 + 0.2 + 0.3 + 1.4 + 0.5) / 5
    dims = _dimension(score=score, scale_max=1.5)
    assert dims["score_pct"].iloc[0] != 100 / 3  # floating point lands a hair off
    assert rules.weak_dimension(_evidence_of(dimensions=dims)) == []


def test_weak_message_says_why_and_that_the_line_is_evalkits():
    (found,) = rules.weak_dimension(_evidence_of(dimensions=_dimension(score=0.5)))
    assert found.message == (
        "1 dimension of the fw is weak: D1 Trust. Weakest: D1 Trust, 0.5 on a 0–3 scale, "
        "under a third of its scale (evalkit's convention)."
    )


@pytest.mark.parametrize(("score", "weak"), [(2.5, False), (2.49, True), (2.51, False)])
def test_weak_survey_dimension_is_below_the_agree_line(score, weak):
    dims = _dimension(score=score, mode="survey", scale_min=1.0, scale_max=4.0, agree_line=2.5)
    found = rules.weak_dimension(_evidence_of(dimensions=dims))
    assert _codes(found) == (["weak-dimension"] if weak else [])


# -- council view: one scale point or more -------------------------------------------------


@pytest.mark.parametrize(
    ("council", "others", "fires"),
    [
        (3.3, 2.3, True),  # 1 point; 3.3 − 2.3 is 0.9999999999999996 in floating point
        (3.29, 2.3, False),  # 0.99
        (3.31, 2.3, True),  # 1.01
        (1.3, 2.3, True),  # 1 point the other way
    ],
)
def test_council_view_differs_at_one_scale_point(council, others, fires):
    dims = _dimension(
        score=2.5,
        mode="survey",
        council_score=council,
        others_score=others,
        council_gap=council - others,
    )
    found = rules.council_view_differs(_evidence_of(dimensions=dims))
    assert _codes(found) == (["council-view-differs"] if fires else [])


# -- missing answers: more than a quarter of expected answers ----------------------------------


@pytest.mark.parametrize(
    ("missing", "expected", "fires"),
    [
        (1, 4, False),  # exactly 25 %
        (6, 25, False),  # 24 %
        (26, 100, True),  # 26 %
        (251, 1000, True),  # 25.1 %
    ],
)
def test_many_missing_is_more_than_a_quarter(missing, expected, fires):
    dims = _dimension(score=2.0, n_missing=missing, n_items=expected)
    found = rules.many_missing(_evidence_of(dimensions=dims))
    assert _codes(found) == (["many-missing-answers"] if fires else [])


def test_many_missing_just_over_a_quarter_does_not_read_as_25_percent():
    dims = _dimension(score=2.0, n_missing=251, n_items=1000)
    (found,) = rules.many_missing(_evidence_of(dimensions=dims))
    assert "(25.1%)" in found.message


# -- unit cost: a rise of more than 10 % ----------------------------------------------------


def _trend(previous_cost: float, latest_cost: float) -> pd.DataFrame:
    """Two periods of one output; inputs £1,000 a year so cost per output = 1000 / actual."""
    costs = pd.DataFrame(
        {
            "partnership_id": ["p", "p"],
            "indicator_id": ["O1", "O1"],
            "name": ["Visits", "Visits"],
            "kind": ["output", "output"],
            "period": ["2023-24", "2024-25"],
            "cost_per_unit": [previous_cost, latest_cost],
        }
    )
    return vfm.unit_cost_trend(costs)


@pytest.mark.parametrize(
    ("latest", "fires"),
    [
        (110.0, False),  # exactly 10 %: (110 / 100 − 1) × 100 = 10.000000000000009
        (109.99, False),  # 9.99 %
        (110.01, True),  # 10.01 %
    ],
)
def test_unit_cost_rising_is_more_than_ten_percent(latest, fires):
    found = rules.unit_cost_rising(_evidence_of(cost_trend=_trend(100.0, latest)))
    assert _codes(found) == (["unit-cost-rising"] if fires else [])


def test_unit_cost_message_shows_pence_and_one_decimal():
    (found,) = rules.unit_cost_rising(_evidence_of(cost_trend=_trend(12.5, 14.0)))
    # 14 / 12.5 = 1.12: a 12 % rise
    assert found.message == (
        "Cost per 'Visits' rose 12.0% from £12.50 (2023-24) to £14.00 (2024-25): "
        "more than 10% (evalkit's threshold)."
    )


# -- response: at least 3 respondents from at least 2 organisations -------------------------


@pytest.mark.parametrize(
    ("respondents", "organisations", "fires"),
    [(3, 2, False), (2, 2, True), (4, 2, False), (3, 1, True), (3, 3, False)],
)
def test_low_response_below_three_respondents_or_two_organisations(
    respondents, organisations, fires
):
    dims = _dimension(
        score=2.5, mode="survey", n_respondents=respondents, n_organisations=organisations
    )
    found = rules.low_response(_evidence_of(dimensions=dims))
    assert _codes(found) == (["low-response"] if fires else [])


def test_low_response_counts_in_words():
    dims = _dimension(score=2.5, mode="survey", n_respondents=1, n_organisations=1)
    (found,) = rules.low_response(_evidence_of(dimensions=dims))
    assert found.message.startswith("Only 1 respondent from 1 organisation answered fw")


# -- dates: a document more than 3 years old; a review past its date ------------------------


@pytest.mark.parametrize(
    ("dated", "fires"),
    [("2022-03-31", False), ("2022-03-30", True), ("2022-04-01", False)],
)
def test_governing_document_old_after_more_than_three_years(dated, fires):
    register = pd.DataFrame(
        {
            "partnership_id": ["p"],
            "governing_document": [True],
            "governing_document_date": pd.to_datetime([dated]),
        }
    )
    found = rules.old_governing_document(_evidence_of(partnerships=register))
    assert _codes(found) == (["governing-document-old"] if fires else [])


@pytest.mark.parametrize(
    ("due", "days"), [("2025-03-31", None), ("2025-03-30", 1), ("2025-04-01", None)]
)
def test_review_overdue_the_day_after_it_was_due(due, days):
    register = pd.DataFrame(
        {
            "partnership_id": ["p"],
            "next_review_due": pd.to_datetime([due]),
            "last_review": pd.to_datetime(["2024-01-01"]),
        }
    )
    found = rules.review_overdue(_evidence_of(partnerships=register))
    if days is None:
        assert found == []
    else:
        (f,) = found
        assert f.message == "The review due on 30 March 2025 is 1 day overdue at 31 March 2025."


# -- risk: 15 or more on the 5 × 5 matrix ------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact", "fires"),
    [(5, 3, True), (4, 3, False), (4, 4, True)],  # 15; 12 (no 13 or 14 exists); 16
)
def test_high_risk_from_fifteen(likelihood, impact, fires):
    risks = risk.scored_risks(
        pd.DataFrame(
            {
                "partnership_id": ["p"],
                "risk_id": ["R1"],
                "description": ["Funding ends."],
                "likelihood": [likelihood],
                "impact": [impact],
            }
        )
    )
    found = rules.high_risk(_evidence_of(risks=risks))
    assert _codes(found) == (["high-risk"] if fires else [])
    if fires:
        # no owner or mitigation in this register: act now
        assert found[0].message.endswith(": Funding ends. No mitigation or owner is recorded.")
        assert found[0].severity.value == "high"
