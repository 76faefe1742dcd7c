"""Risk: likelihood × impact scores, ratings and the 5 × 5 matrix, worked by hand."""

from __future__ import annotations

import pandas as pd

from evalkit.method import risk


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


def test_rating_bands_and_other_thresholds():
    scores = pd.Series([25, 15, 14, 8, 7, 1, 0])
    assert risk.rate(scores).tolist() == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "low",
        "unrated",
    ]
    assert risk.rate(scores, ((20, "red"), (1, "green"))).tolist()[:3] == ["red", "green", "green"]
