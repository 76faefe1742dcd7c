"""Reading a scored folder back: the one typed view of what ``evalkit score`` wrote.

``data/processed/`` holds the prepared tables and ``dataset.json``; its ``scores/``
folder holds one CSV per score table and ``scoring.json``. :class:`ScoredFolder` opens
both and is what the build, the evidence pack and the overview read; nothing else
opens those files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.errors import InputFileError
from evalkit.inputs.dataset import load_dataset_meta, load_tables
from evalkit.spreadsheet import read_csv_frame

# pandas is imported where tables are read: the build's main process opens a scored
# folder for its notice and round, and never loads pandas.
if TYPE_CHECKING:
    import pandas as pd

    from evalkit.method.framework import Framework

#: The score tables ``evalkit score`` writes, one CSV each.
SCORE_FILES = (
    "dimension_scores",
    "organisation_scores",
    "item_scores",
    "framework_scores",
    "sector_scores",
    "findings",
    "actions",
    "vfm_inputs",
    "vfm_share",
    "vfm_indicators",
    "vfm_trend",
    "equity",
    "risks",
    "changes",
    "action_progress",
    "register_changes",
    "resolved_findings",
)
SCORING_JSON = "scoring.json"

#: Score tables whose columns carry an input table's columns (and so its labels).
SCORE_TABLE_BASIS: dict[str, str] = {
    "vfm_inputs": "finance",
    "vfm_indicators": "indicators",
    "equity": "indicators",
    "risks": "risks",
}

#: The heading of each score-table column in reports and downloads (the output side of
#: the data contract); columns not listed here take their input table's label.
SCORE_COLUMN_LABELS: dict[str, dict[str, str]] = {
    "dimension_scores": {
        "dimension_id": "Id",
        "dimension_title": "Dimension",
        "score": "Score",
        "min_org": "Lowest group",
        "max_org": "Highest group",
        "sd": "Spread (SD)",
        "n_organisations": "Organisations",
        "n_respondents": "Respondents",
        "diverged": "Partners disagree",
        "council_gap": "Council minus others",
        "n_items": "Items",
        "n_missing": "Not rated",
        "n_no_evidence": "Rated without evidence",
        "band": "Band",
    },
    "sector_scores": {"framework_id": "Framework", "dimension_id": "Id"},
    "vfm_inputs": {
        "officer_time_gbp": "Officer time (£)",
        "total_gbp": "Total (£)",
        "partners": "Contributing partners",
    },
    "vfm_share": {
        "year": "Year",
        "council_gbp": "Council (£)",
        "partners_gbp": "Partners (£)",
        "partner_gbp_per_council_gbp": "Partner £ per council £",
    },
    "vfm_indicators": {
        "measure": "Measure",
        "moved": "Since baseline",
        "target_met": "Target met",
        "cost_per_unit": "Cost per unit (£)",
        "cost_per_improvement": "Cost per unit of improvement (£)",
    },
    "equity": {"moved": "Since baseline"},
    "risks": {"score": "Score", "rating": "Rating"},
    "findings": {
        "severity": "Priority",
        "code": "Code",
        "message": "Finding",
        "since_last_round": "Since last round",
    },
    "action_progress": {
        "previous_round": "Set in round",
        "finding": "Finding answered",
        "priority": "Priority",
        "action": "Action",
        "due_date": "Due by",
        "reported": "Return says",
        "status": "Status",
    },
    "changes": {
        "previous_round": "Previous round",
        "round": "Round",
        "dimension_id": "Id",
        "dimension_title": "Dimension",
        "previous_score": "Score then",
        "score": "Score now",
        "previous_n": "n then",
        "n": "n now",
        "panel_respondents": "People in both rounds",
        "panel_organisations": "Organisations in both rounds",
        "pairing": "Compared on",
        "joined": "Joined",
        "left": "Left",
        "change": "Change (same people)",
        "call": "Call",
        "reason": "Why no change is called",
    },
    "actions": {
        "priority": "Priority",
        "action": "Action",
        "finding": "Findings answered",
        "owner": "Owner",
        "timescale": "Timescale",
    },
}


@dataclass(frozen=True)
class DatasetMeta:
    """What the input data is and where it came from (``dataset.json``).

    Attributes:
        title: the dataset's name.
        invented: True for sample or synthetic data.
        notice: the invented-data banner (None when the data is real).
        input_files: raw file name → SHA-256.
    """

    title: str
    invented: bool
    notice: str | None
    input_files: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DatasetMeta:
        """Build from the parsed ``dataset.json``."""
        dataset = data.get("dataset", {})
        invented = bool(dataset.get("invented"))
        return cls(
            title=str(dataset.get("title") or "Partnership portfolio"),
            invented=invented,
            notice=dataset.get("notice") if invented else None,
            input_files=dict(data.get("input_files", {})),
        )


@dataclass(frozen=True)
class ScoringMeta:
    """The options and context of a scoring run (``scoring.json``).

    Attributes:
        assessment_round: the round findings were made for.
        as_of: the date reviews are judged against (ISO text, '' if unknown).
        lower_on_disagreement: the take-the-lower rule was on.
        officer_day_rate_gbp: the cost of an officer day.
        min_cell_size: the smallest group shown.
        framework_editions: framework id → edition, for the frameworks scored.
        framework_dirs: the folders the frameworks were loaded from.
        rounds: every round scored → its as-at date (ISO text).
        min_respondents: the fewest people for a reliable change between rounds.
        min_organisations: the fewest organisations for a reliable change.
        min_change_share: the smallest change called, as a share of the scale's span.
        returns_received: round → the partnerships whose officer return for it was
            ingested (each return's tables include its ``action-statuses.csv``, whose
            hash scoring records).
        registers: round → the SHA-256 of its register snapshot
            (:mod:`evalkit.inputs.history`).
        reviews_overdue: round → partnerships in scope whose review was overdue at its
            end, in the register of the time (the snapshot for an earlier round).
    """

    assessment_round: str
    as_of: str
    lower_on_disagreement: bool
    officer_day_rate_gbp: float
    min_cell_size: int
    framework_editions: dict[str, str]
    framework_dirs: tuple[Path, ...]
    rounds: dict[str, str] = field(default_factory=dict)
    min_respondents: int = 3
    min_organisations: int = 2
    min_change_share: float = 0.125
    returns_received: dict[str, tuple[str, ...]] = field(default_factory=dict)
    registers: dict[str, str] = field(default_factory=dict)
    reviews_overdue: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScoringMeta:
        """Build from the parsed ``scoring.json``."""
        return cls(
            assessment_round=str(data.get("assessment_round", "")),
            as_of=str(data.get("as_of") or ""),
            lower_on_disagreement=bool(data.get("lower_on_disagreement")),
            officer_day_rate_gbp=float(data.get("officer_day_rate_gbp", 0)),
            min_cell_size=int(data.get("min_cell_size", 3)),
            framework_editions=dict(data.get("frameworks", {})),
            framework_dirs=tuple(Path(d) for d in data.get("framework_dirs", [])),
            rounds={str(k): str(v) for k, v in (data.get("rounds") or {}).items()},
            min_respondents=int(data.get("min_respondents", 3)),
            min_organisations=int(data.get("min_organisations", 2)),
            min_change_share=float(data.get("min_change_share", 0.125)),
            returns_received=_returns_received(data.get("action_statuses") or {}),
            registers={str(k): str(v) for k, v in (data.get("registers") or {}).items()},
            reviews_overdue={
                str(k): int(v) for k, v in (data.get("reviews_overdue") or {}).items()
            },
        )


def _returns_received(statuses: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """``{"2024-25/csp": hash, …}`` → ``{"2024-25": ("csp", …)}``, ids sorted."""
    received: dict[str, list[str]] = {}
    for key in statuses:
        round_, _, pid = str(key).partition("/")
        if pid:
            received.setdefault(round_, []).append(pid)
    return {r: tuple(sorted(ids)) for r, ids in received.items()}


@dataclass(frozen=True)
class ScoredFolder:
    """A prepared and scored folder, opened once.

    Attributes:
        processed_dir: the prepared folder (``data/processed``).
        dataset: what the data is, with the invented-data notice.
        scoring: how it was scored.
    """

    processed_dir: Path
    dataset: DatasetMeta
    scoring: ScoringMeta

    @classmethod
    def open(cls, processed_dir: Path | str) -> ScoredFolder:
        """Open a folder that ``evalkit prepare`` and ``evalkit score`` wrote.

        Raises:
            InputFileError: the folder has not been prepared or scored.
        """
        processed_dir = Path(processed_dir)
        dataset = DatasetMeta.from_json(load_dataset_meta(processed_dir))
        path = processed_dir / "scores" / SCORING_JSON
        if not path.exists():
            raise InputFileError(f"{path.parent}: no scores; run `evalkit score` first")
        scoring = ScoringMeta.from_json(json.loads(path.read_text(encoding="utf-8")))
        return cls(processed_dir, dataset, scoring)

    @property
    def scores_dir(self) -> Path:
        """The folder of score tables."""
        return self.processed_dir / "scores"

    @property
    def notice(self) -> str | None:
        """The invented-data notice, or None for real data."""
        return self.dataset.notice

    def round_or_latest(self, assessment_round: str | None) -> str:
        """The round asked for, or the round scoring made findings for.

        Raises:
            InputFileError: the round asked for was not scored.
        """
        known = self.scoring.rounds
        if assessment_round and known and assessment_round not in known:
            raise InputFileError(
                f"round {assessment_round!r} was not scored; scored rounds: "
                + ", ".join(sorted(known))
            )
        return assessment_round or self.scoring.assessment_round

    def frameworks(self) -> dict[str, Framework]:
        """The frameworks scoring used, from the same folders (a council's own included)."""
        from evalkit.method.framework import load_frameworks

        return load_frameworks(self.scoring.framework_dirs)

    def inputs(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """Prepared input tables, typed as the data contract says."""
        return load_tables(self.processed_dir, names)

    def scores(
        self, partnership_id: str | None = None, *, evidence: bool = True
    ) -> dict[str, pd.DataFrame]:
        """The score tables, optionally for one partnership."""
        return load_results(self.scores_dir, partnership_id, evidence=evidence)


COUNT_COLUMNS = (
    "n_organisations",
    "n_respondents",
    "n_items",
    "n_missing",
    "n_no_evidence",
    "n_answers",
    "items_answered",
    "items_expected",
    "partners",
    "officer_days",
    "likelihood",
    "impact",
    "score_risk",
    "previous_n",
    "n",
    "previous_organisations",
    "organisations",
    "panel_respondents",
    "panel_organisations",
    "joined",
    "left",
)
BOOL_COLUMNS = (
    "diverged",
    "target_met",
    "complete",
    "suppressed",
    "no_evidence",
    "low_evidence",
)


def _restore_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers and yes/no columns come back from CSV as floats and objects."""
    import pandas as pd

    for column in frame.columns:
        if column in COUNT_COLUMNS and pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].round().astype("Int64")
        elif column in BOOL_COLUMNS:
            frame[column] = (
                frame[column]
                .map({True: True, False: False, "True": True, "False": False})
                .astype("boolean")
            )
    return frame


def load_results(
    scores_dir: Path, partnership_id: str | None = None, *, evidence: bool = True
) -> dict[str, pd.DataFrame]:
    """Read the written score tables back (for notebooks), optionally for one partnership.

    Args:
        scores_dir: the folder ``evalkit score`` wrote.
        partnership_id: keep only this partnership's rows.
        evidence: parse each finding's JSON evidence (left as text when False).
    """
    import pandas as pd

    out: dict[str, pd.DataFrame] = {}
    for name in SCORE_FILES:
        path = scores_dir / f"{name}.csv"
        try:
            frame = read_csv_frame(
                path,
                dtype={
                    "round": str,
                    "previous_round": str,
                    "period": str,
                    "year": str,
                    "round_before": str,
                    "round_now": str,
                    "before": str,
                    "after": str,
                    "change_gbp": str,
                },
            )
        except (FileNotFoundError, pd.errors.EmptyDataError):
            frame = pd.DataFrame()
        if partnership_id is not None and "partnership_id" in frame:
            frame = frame[frame["partnership_id"] == partnership_id].reset_index(drop=True)
        if evidence and "evidence" in frame:
            frame["evidence"] = frame["evidence"].map(json.loads)
        out[name] = _restore_types(frame)
    return out
