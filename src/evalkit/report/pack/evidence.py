"""One partnership's evidence for one assessment round: what every pack section reads.

:func:`load_pack` opens the prepared and scored folder through
:class:`evalkit.method.results.ScoredFolder` and keeps this partnership's rows of the
pack's round, once (:func:`evalkit.method.run.for_round`), so no section can show
another round's figure; the section modules beside this one turn a :class:`Pack` into
HTML. Nothing here shows respondent-level data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit.errors import InputFileError
from evalkit.method.results import DatasetMeta, ScoredFolder, ScoringMeta
from evalkit.method.rules import round_end
from evalkit.method.run import for_round, in_round
from evalkit.report.fragments import in_framework_order
from evalkit.report.pack.downloads import Downloads

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.pack.appendix import Detail

#: The prepared input tables a pack reads.
PACK_TABLES = ("partnerships", "organisations", "memberships", "checklist", "swot", "indicators")


@dataclass
class Pack:
    """The evidence for one partnership in one assessment round.

    Attributes:
        partnership_id: the partnership's register id.
        assessment_round: the round the pack is for.
        folder: the prepared and scored folder it was read from.
        register: the partnership's row of the register.
        tables: the partnership's rows of the prepared input tables (its members only
            in ``organisations``).
        scores: the partnership's rows of every score table, for this round only (the
            years up to its end for money and indicators).
        frameworks: the frameworks scoring used, by id.
        downloads: the tables the pack's sections have shown so far, for the
            downloads (:mod:`evalkit.report.pack.downloads`).
        appendix: the detailed tables kept for the appendix, by slug
            (:mod:`evalkit.report.pack.appendix`).
    """

    partnership_id: str
    assessment_round: str
    folder: ScoredFolder
    register: pd.Series
    tables: dict[str, pd.DataFrame]
    scores: dict[str, pd.DataFrame]
    frameworks: Mapping[str, Framework]
    downloads: Downloads = field(default_factory=Downloads)
    appendix: dict[str, Detail] = field(default_factory=dict)

    @property
    def dataset(self) -> DatasetMeta:
        """What the input data is (title, invented-data notice, input file hashes)."""
        return self.folder.dataset

    @property
    def scoring(self) -> ScoringMeta:
        """How the data was scored (as-of date, officer day rate, minimum cell size...)."""
        return self.folder.scoring

    @property
    def name(self) -> str:
        """The partnership's name."""
        return str(self.register["name"])

    @property
    def notice(self) -> str | None:
        """The invented-data notice, when the data is invented."""
        return self.folder.notice

    def org_names(self) -> dict[str, str]:
        """organisation_id → name."""
        orgs = self.tables["organisations"]
        return dict(zip(orgs["organisation_id"], orgs["name"], strict=True))

    def dims(self, framework_id: str | None = None) -> pd.DataFrame:
        """This pack's dimension scores (optionally for one framework)."""
        d = self.scores["dimension_scores"]
        if d.empty:
            return d
        d = d[d["round"].astype(str) == self.assessment_round]
        return d if framework_id is None else d[d["framework_id"] == framework_id]

    def findings(self) -> pd.DataFrame:
        """Findings, most severe first."""
        return self.scores["findings"]

    def frameworks_present(self) -> list[str]:
        """Framework ids with scores in this pack, in report order."""
        d = self.dims()
        return in_framework_order(d["framework_id"] if len(d) else [])

    def top_finding(self) -> str | None:
        """The most severe finding's message, or None."""
        f = self.findings()
        f = f[f["severity"] != "info"] if len(f) else f
        return None if f.empty else str(f.iloc[0]["message"])

    def summary_record(self) -> dict[str, Any]:
        """A small machine-readable summary of the pack (no respondent data)."""
        f = self.findings()
        return {
            "partnership_id": self.partnership_id,
            "name": self.name,
            "assessment_round": self.assessment_round,
            "invented_data": bool(self.notice),
            "top_finding": self.top_finding(),
            "findings": f["severity"].value_counts().to_dict() if len(f) else {},
            "frameworks": self.frameworks_present(),
        }

    def write_summary(self, output_dir: Path | str) -> Path:
        """Write ``summary.json`` for the index and for checks, atomically.

        It holds :meth:`summary_record` and the pack's headline
        (:func:`evalkit.report.pack.headline.headline_of`), which the index shows.
        """
        from evalkit.atomic import atomic_write_text
        from evalkit.report.pack.headline import headline_of

        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        record = {**self.summary_record(), **headline_of(self).record()}
        text = json.dumps(record, indent=2, ensure_ascii=False)
        return atomic_write_text(folder / "summary.json", text + "\n")


def load_pack(
    partnership_id: str,
    assessment_round: str,
    processed_dir: Path | str,
    frameworks: Mapping[str, Framework] | None = None,
) -> Pack:
    """Load one partnership's evidence from the prepared and scored folder.

    Args:
        partnership_id: the partnership's register id.
        assessment_round: the round to show; blank means the round scoring used.
        processed_dir: the folder ``evalkit prepare`` and ``evalkit score`` wrote.
        frameworks: the frameworks by id; by default the ones scoring used.

    Raises:
        InputFileError: the data has not been prepared/scored, or the id is unknown.
    """
    folder = ScoredFolder.open(processed_dir)
    tables = folder.inputs(PACK_TABLES)
    parts = tables["partnerships"]
    match = parts[parts["partnership_id"] == partnership_id]
    if match.empty:
        raise InputFileError(
            f"partnership '{partnership_id}' is not in the register; known: "
            + ", ".join(sorted(parts["partnership_id"].astype(str)))
        )
    this_round = folder.round_or_latest(assessment_round)
    return Pack(
        partnership_id=partnership_id,
        assessment_round=this_round,
        folder=folder_for_round(folder, this_round),
        register=match.iloc[0],
        tables=_own_rows(tables, partnership_id, this_round),
        scores=for_round(folder.scores(partnership_id), this_round),
        frameworks=folder.frameworks() if frameworks is None else frameworks,
    )


def folder_for_round(folder: ScoredFolder, assessment_round: str) -> ScoredFolder:
    """The folder as seen from one round: its round and as-at date in the scoring facts.

    Scoring judges every round as at its own end (``evalkit score``); a pack or overview
    for an earlier round states that round's date, not the latest round's.
    """
    scoring = folder.scoring
    if assessment_round == scoring.assessment_round:
        return folder
    as_of = f"{round_end(assessment_round):%Y-%m-%d}" if assessment_round else scoring.as_of
    return replace(folder, scoring=replace(scoring, assessment_round=assessment_round, as_of=as_of))


def _own_rows(
    tables: dict[str, pd.DataFrame], partnership_id: str, assessment_round: str
) -> dict[str, pd.DataFrame]:
    """The partnership's rows of each table, for organisations its members.

    Tables with a round keep this round's rows, indicators the periods up to its end.
    """
    own = {
        name: frame[frame["partnership_id"] == partnership_id]
        if "partnership_id" in frame
        else frame
        for name, frame in tables.items()
        if name != "organisations"
    }
    own = {
        name: frame[frame["round"].astype(str) == assessment_round] if "round" in frame else frame
        for name, frame in own.items()
    }
    if "indicators" in own and "period" in own["indicators"]:
        ind = own["indicators"]
        own["indicators"] = ind[in_round(ind["period"].astype(str), assessment_round)]
    orgs = tables["organisations"]
    own["organisations"] = orgs[orgs["organisation_id"].isin(own["memberships"]["organisation_id"])]
    return own
