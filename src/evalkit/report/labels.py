"""Column headings for every table a report shows, taken from the data contract.

Input tables' headings come from :class:`evalkit.inputs.contract.ColumnSpec`; score
tables' from :data:`evalkit.method.results.SCORE_COLUMN_LABELS`. Report code picks
columns with :func:`labelled` instead of typing headings by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from evalkit.inputs.contract import TABLES_BY_NAME, column_words
from evalkit.method.results import SCORE_COLUMN_LABELS, SCORE_TABLE_BASIS


def label(table: str, column: str) -> str:
    """The heading of ``column`` of ``table`` (an input or a score table)."""
    own = SCORE_COLUMN_LABELS.get(table, {})
    if column in own:
        return own[column]
    spec = TABLES_BY_NAME.get(SCORE_TABLE_BASIS.get(table, table))
    if spec is not None and column in spec.column_names:
        return spec.column(column).display_label
    return column_words(column)


def labelled(
    frame: pd.DataFrame,
    table: str,
    columns: Sequence[str],
    overrides: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """``frame``'s ``columns``, in that order, headed by their labels.

    Args:
        frame: rows of ``table`` (or a frame with some of its columns).
        table: the input or score table the columns belong to.
        columns: which columns to show.
        overrides: headings that differ in this one table (column → heading).
    """
    names = {c: (overrides or {}).get(c) or label(table, c) for c in columns}
    return frame[list(columns)].rename(columns=names)
