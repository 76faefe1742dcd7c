"""The portfolio as the overview sees it: the register with its scores and findings.

:func:`load_overview` opens a scored folder through
:class:`evalkit.method.results.ScoredFolder` and keeps the overview's round of every
score table, once (:func:`evalkit.method.run.for_round`); each section module of
:mod:`evalkit.report.overview` turns the :class:`Overview` into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.results import DatasetMeta, ScoredFolder, ScoringMeta
from evalkit.method.run import for_round
from evalkit.report.pack.evidence import folder_for_round

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

#: The input tables the overview reads.
OVERVIEW_TABLES = ("partnerships", "organisations", "memberships")


@dataclass
class Overview:
    """The whole register with its scores and findings.

    Attributes:
        assessment_round: the round whose scores are compared.
        tables: the prepared ``partnerships``, ``organisations`` and ``memberships``.
        scores: the score tables for this round only (the years up to its end for money
            and indicators; findings' evidence left as text).
        frameworks: the frameworks scoring used, by id.
        dataset: what the data is, with the invented-data notice.
        scoring: how the data was scored (the review date, the officer day rate).
    """

    assessment_round: str
    tables: dict[str, pd.DataFrame]
    scores: dict[str, pd.DataFrame]
    frameworks: Mapping[str, Framework]
    dataset: DatasetMeta
    scoring: ScoringMeta

    @property
    def notice(self) -> str | None:
        """The invented-data notice, when the data is invented."""
        return self.dataset.notice

    @property
    def register(self) -> pd.DataFrame:
        """Every partnership in the register."""
        return self.tables["partnerships"]

    @property
    def in_scope(self) -> pd.DataFrame:
        """The partnerships in scope for review."""
        return self.register[self.register["in_scope"].fillna(False).astype(bool)]

    @property
    def names(self) -> dict[str, str]:
        """Partnership id → name."""
        return dict(zip(self.register["partnership_id"], self.register["name"], strict=True))

    @property
    def as_of(self) -> pd.Timestamp:
        """The date reviews are judged against."""
        return pd.Timestamp(self.scoring.as_of or pd.Timestamp.today())

    def round_dimension_scores(self) -> pd.DataFrame:
        """This round's dimension scores, with each partnership's name as ``partnership``."""
        d = self.scores.get("dimension_scores", pd.DataFrame())
        if d.empty:
            return d
        d = d[d["round"].astype(str) == self.assessment_round]
        return d.assign(partnership=d["partnership_id"].map(self.names))


def load_overview(
    assessment_round: str,
    processed_dir: Path | str,
    frameworks: Mapping[str, Framework] | None = None,
) -> Overview:
    """Load the whole portfolio for the overview notebook.

    Args:
        assessment_round: the round to compare; blank means the round scoring made
            findings for.
        processed_dir: the prepared and scored folder.
        frameworks: the frameworks by id; by default the ones scoring used (a
            council's own included).

    Raises:
        InputFileError: the data has not been prepared and scored.
    """
    folder = ScoredFolder.open(processed_dir)
    this_round = folder.round_or_latest(assessment_round)
    return Overview(
        assessment_round=this_round,
        tables=folder.inputs(OVERVIEW_TABLES),
        scores=for_round(folder.scores(evidence=False), this_round),
        frameworks=folder.frameworks() if frameworks is None else frameworks,
        dataset=folder.dataset,
        scoring=folder_for_round(folder, this_round).scoring,
    )
