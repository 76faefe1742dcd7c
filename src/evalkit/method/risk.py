"""Risk: the likelihood × impact score, its rating and the 5 × 5 matrix.

Scores run from 1 to 25. The rating bands are evalkit's default convention (many
councils use similar 5 × 5 matrices, but none is published in the sources) and can
be changed by passing other thresholds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Lowest score of each rating, highest rating first.
DEFAULT_THRESHOLDS: tuple[tuple[int, str], ...] = ((15, "high"), (8, "medium"), (1, "low"))


def rate(
    score: pd.Series, thresholds: tuple[tuple[int, str], ...] = DEFAULT_THRESHOLDS
) -> pd.Series:
    """Rating label for each likelihood × impact score."""
    conditions = [score >= low for low, _ in thresholds]
    return pd.Series(
        np.select(conditions, [label for _, label in thresholds], default="unrated"),
        index=score.index,
    )


def scored_risks(risks: pd.DataFrame) -> pd.DataFrame:
    """Add ``score`` (likelihood × impact) and ``rating``; highest first per partnership."""
    out = risks.copy()
    out["score"] = (out["likelihood"].astype("float") * out["impact"].astype("float")).astype(
        "Int64"
    )
    out["rating"] = rate(out["score"].astype(float))
    return out.sort_values(
        ["partnership_id", "score", "risk_id"], ascending=[True, False, True]
    ).reset_index(drop=True)


def matrix(risks: pd.DataFrame) -> pd.DataFrame:
    """5 × 5 counts: rows impact 5→1, columns likelihood 1→5."""
    grid = pd.crosstab(risks["impact"], risks["likelihood"])
    grid = grid.reindex(index=range(5, 0, -1), columns=range(1, 6), fill_value=0)
    grid.index.name = "impact"
    grid.columns.name = "likelihood"
    return grid
