"""Disclosure control: no respondent-level data, and no small groups.

Scores are published by organisation (each partner's view is the point of the
Nuffield tool). Any breakdown by another grouping — sector, place, role — hides the
values of a group with fewer than the minimum number of respondents and says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

SUPPRESSED_NOTE = "suppressed: fewer than {n} respondents"


def suppress_small(
    frame: pd.DataFrame, count_column: str, min_size: int, value_columns: Sequence[str]
) -> pd.DataFrame:
    """Blank ``value_columns`` where ``count_column`` is below ``min_size``.

    Adds ``suppressed`` (bool) and ``note`` columns. The count itself is kept only as
    "fewer than N" (set to missing) so the group's size is not disclosed either.
    """
    out = frame.copy()
    small = out[count_column] < min_size
    out["suppressed"] = small
    out["note"] = ""
    out.loc[small, "note"] = SUPPRESSED_NOTE.format(n=min_size)
    for column in value_columns:
        out[column] = out[column].astype("float64")
        out.loc[small, column] = float("nan")
    out[count_column] = out[count_column].astype("Int64")
    out.loc[small, count_column] = pd.NA
    return out
