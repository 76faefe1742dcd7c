"""``evalkit score``: processed tables → scores, findings and action lists.

Reads ``data/processed/``, writes ``data/processed/scores/``. Only in-scope
partnerships are scored. Every assessment round found in the answers is scored, and
findings and actions are made for each round on its own: its own dimension scores, the
money and indicators of the years up to its end, and its own as-at date (the round's
end). Each round is also compared with the one before it (``changes``, see
:mod:`evalkit.method.change`). Every table that differs by round carries a ``round``
column, and
:func:`for_round` is the one place that keeps a round's rows for a pack or overview.
The latest round stays the default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.config import Settings
from evalkit.inputs.dataset import load_dataset_meta, load_tables
from evalkit.method import carried, change, register_changes, risk, rules, scoring, vfm
from evalkit.method.disclosure import Policy
from evalkit.method.findings import findings_frame
from evalkit.method.results import SCORE_FILES
from evalkit.spreadsheet import frame_to_csv, read_csv_frame

if TYPE_CHECKING:
    from evalkit.method.framework import Framework


@dataclass
class PortfolioResults:
    """Every derived table for the in-scope portfolio."""

    tables: dict[str, pd.DataFrame]
    assessment_round: str
    as_of: pd.Timestamp
    rounds: tuple[str, ...] = ()

    def summary(self) -> str:
        """Short plain-text summary for the terminal."""
        f = self.tables["findings"]
        if len(f) and "round" in f:
            f = f[f["round"] == self.assessment_round]
        counts = f["severity"].value_counts().to_dict() if len(f) else {}
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low", "info"))
        d = self.tables["dimension_scores"]
        n = d.loc[d["round"] == self.assessment_round, "partnership_id"].nunique() if len(d) else 0
        earlier = [r for r in self.rounds if r != self.assessment_round]
        also = f" Earlier round(s) also scored: {', '.join(earlier)}." if earlier else ""
        return (
            f"Scored {n} partnership(s) for round {self.assessment_round} "
            f"(as at {self.as_of:%d/%m/%Y}); findings: {parts}.{also}"
        )


def assessment_rounds(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Every assessment round found in responses or checklist, oldest first."""
    rounds = pd.concat(
        [tables["responses"]["round"], tables["checklist"]["round"]], ignore_index=True
    ).dropna()
    return sorted({str(r) for r in rounds})


def latest_round(tables: Mapping[str, pd.DataFrame]) -> str:
    """The latest assessment round found in responses or checklist ('' if none)."""
    rounds = assessment_rounds(tables)
    return rounds[-1] if rounds else ""


#: Score tables with a year or period rather than a round: a round shows the years
#: that end no later than the round does.
PERIOD_COLUMNS = {
    "vfm_inputs": "year",
    "vfm_share": "year",
    "vfm_indicators": "period",
    "equity": "period",
}


def _period_end(text: object) -> pd.Timestamp | None:
    """When a round, year or period ends ("2023-24" → 31/03/2024); None if it has no year."""
    if not isinstance(text, str) or not re.search(r"\d{4}", text):
        return None
    return rules.round_end(text)


def in_round(periods: pd.Series, assessment_round: str) -> pd.Series:
    """True where a year or period ends no later than ``assessment_round`` does.

    A round or period without a year in it cannot be placed, so it is kept.
    """
    end = _period_end(assessment_round)
    if end is None:
        return pd.Series(True, index=periods.index)
    ends = periods.map(_period_end)
    return ends.isna() | (ends <= end)


def for_round(scores: Mapping[str, pd.DataFrame], assessment_round: str) -> dict[str, pd.DataFrame]:
    """Each score table cut to one round: the one filter every pack and overview uses.

    Tables with a ``round`` column keep that round's rows; money and indicator tables
    (:data:`PERIOD_COLUMNS`) keep the years up to the round's end; the risk register,
    which has no round, is kept whole.
    """
    out: dict[str, pd.DataFrame] = {}
    for name, frame in scores.items():
        if "round" in frame.columns:
            frame = frame[frame["round"].astype(str) == str(assessment_round)]
        elif PERIOD_COLUMNS.get(name) in frame.columns:
            frame = frame[in_round(frame[PERIOD_COLUMNS[name]], assessment_round)]
        out[name] = frame.reset_index(drop=True)
    return out


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One table from the rounds' tables (an empty round's table leaves no trace on types)."""
    full = [f for f in frames if len(f)]
    return pd.concat(full, ignore_index=True) if full else frames[0]


def _first(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    """``frame`` with ``column`` = ``value`` as its first column."""
    return pd.concat(
        [pd.DataFrame({column: [value] * len(frame)}, index=frame.index, dtype=object), frame],
        axis=1,
    )


def round_scope(in_scope: pd.DataFrame, snapshot: pd.DataFrame | None) -> pd.DataFrame:
    """The partnerships judged in a round: those in scope now that were in scope then.

    Without a register snapshot for the round, every partnership in scope now. With
    one, only those the snapshot also has in scope, so that a partnership added or
    brought into scope since gets no findings for a round it was not part of.
    """
    if snapshot is None or snapshot.empty:
        return in_scope
    then = snapshot.loc[snapshot["in_scope"].fillna(False).astype(bool), "partnership_id"]
    return in_scope[in_scope["partnership_id"].isin(set(then.astype(str)))]


def compute(
    tables: Mapping[str, pd.DataFrame],
    frameworks: Mapping[str, Framework],
    settings: Settings,
    *,
    lower_on_disagreement: bool = False,
    evidence_kinds: Mapping[str, Any] | None = None,
    action_statuses: pd.DataFrame | None = None,
    registers: Mapping[str, pd.DataFrame] | None = None,
) -> PortfolioResults:
    """Score the in-scope portfolio; pure apart from reading its arguments.

    ``action_statuses`` are the officer returns' statuses of last round's actions
    (:func:`read_action_statuses`); without them no action progress is judged.
    ``registers`` are the register snapshots by round (:mod:`evalkit.inputs.history`);
    the whole register now is compared with the latest one before the latest round.
    """
    partnerships = tables["partnerships"]
    in_scope = partnerships[partnerships["in_scope"].fillna(False).astype(bool)]
    ids = set(in_scope["partnership_id"])

    def only(name: str) -> pd.DataFrame:
        frame = tables[name]
        return frame[frame["partnership_id"].isin(ids)]

    scores = scoring.score_all(
        only("responses"),
        only("checklist"),
        tables["organisations"],
        frameworks,
        lower_on_disagreement=lower_on_disagreement,
        min_cell_size=settings.min_cell_size,
        min_respondents=settings.min_respondents,
        min_organisations=settings.min_organisations,
        evidence_kinds=evidence_kinds,
    )
    inputs = vfm.inputs_by_year(only("finance"), in_scope, settings.officer_day_rate_gbp)
    orgs = tables["organisations"]
    council = orgs.loc[orgs["is_council"].fillna(False).astype(bool), "organisation_id"]
    share = vfm.council_share(
        only("finance"),
        str(council.iloc[0]) if len(council) else None,
        settings.officer_day_rate_gbp,
    )
    costs = vfm.unit_costs(only("indicators"), inputs)
    risks = risk.scored_risks(only("risks"))
    rounds = assessment_rounds(tables) or [""]
    dims = scores.dimensions
    findings: list[pd.DataFrame] = []
    actions: list[pd.DataFrame] = []
    trends: list[pd.DataFrame] = []
    progresses: list[pd.DataFrame] = []
    statuses = action_statuses if action_statuses is not None else pd.DataFrame()
    scopes = {r: round_scope(in_scope, (registers or {}).get(r)) for r in rounds}
    for this_round in rounds:
        # each round judged as at its own end, on its own scores and the years up to it
        round_costs = costs[in_round(costs["period"], this_round)] if len(costs) else costs
        round_trend = vfm.unit_cost_trend(round_costs)
        evidence = rules.Evidence(
            partnerships=scopes[this_round],
            dimensions=dims[dims["round"] == this_round] if len(dims) else dims,
            vfm_costs=round_costs,
            cost_trend=round_trend,
            risks=risks,
            frameworks=frameworks,
            as_of=rules.round_end(this_round),
            min_respondents=settings.min_respondents,
            min_organisations=settings.min_organisations,
        )
        progress = carried.action_progress(
            _stack(actions) if actions else pd.DataFrame(), statuses, this_round, rounds
        )
        progress = progress[progress["partnership_id"].isin(ids)]
        round_findings = findings_frame(rules.run_rules(evidence) + rules.action_overdue(progress))
        round_actions = rules.action_list(round_findings, scopes[this_round], evidence.as_of)
        progresses.append(progress)
        actions.append(_first(round_actions, "round", this_round))
        findings.append(_first(round_findings, "round", this_round))
        trends.append(_first(round_trend, "round", this_round))
    survey_fw = {k: v for k, v in frameworks.items() if v.mode == "survey"}
    responses = only("responses")
    coded = (
        scoring.code_answers(responses, "response", survey_fw)
        if survey_fw and len(responses)
        else None
    )
    rule = change.ChangeRule(
        settings.min_cell_size,
        settings.min_respondents,
        settings.min_organisations,
        settings.min_change_share,
    )
    policy = Policy(settings.min_cell_size, dict(evidence_kinds or {}))
    assessment_round = rounds[-1]
    looked_at = pd.concat(
        [
            dims.reindex(columns=["round", "partnership_id", "framework_id"]),
            *(
                pd.DataFrame(
                    {"round": r, "partnership_id": scope["partnership_id"], "framework_id": ""}
                )
                for r, scope in scopes.items()
            ),
        ],
        ignore_index=True,
    )
    marked = carried.mark_carried(_stack(findings), rounds, looked_at)
    out = {
        "dimension_scores": dims,
        "organisation_scores": scores.organisations,
        "item_scores": scores.items,
        "framework_scores": scores.frameworks,
        "sector_scores": scores.sectors,
        "findings": marked,
        "resolved_findings": carried.resolved_by_round(marked, rounds, looked_at),
        "actions": _stack(actions),
        "vfm_inputs": inputs,
        "vfm_share": share,
        "vfm_indicators": costs,
        "vfm_trend": _stack(trends),
        "equity": vfm.equity_split(only("indicators")),
        "risks": risks,
        "changes": change.changes(dims, coded, frameworks, policy, rule),
        "action_progress": _stack(progresses),
        "register_changes": register_changes.register_changes(
            partnerships, assessment_round, registers or {}
        ),
    }
    return PortfolioResults(out, assessment_round, rules.round_end(assessment_round), tuple(rounds))


def read_action_statuses(interim_dir: Path) -> pd.DataFrame:
    """Every ingested return's statuses of last round's actions (empty when none).

    Read from ``<interim>/returns/<round>/<partnership>/action-statuses.csv``.
    """
    from evalkit.inputs.returns.ledger import ACTION_STATUS_FILE

    files = sorted((interim_dir / "returns").glob(f"*/*/{ACTION_STATUS_FILE}"))
    frames = [read_csv_frame(f, dtype=str) for f in files]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    if "evidence" in out:
        out["evidence"] = out["evidence"].map(lambda e: json.dumps(e, sort_keys=True, default=str))
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    drop = [c for c in ("_file", "_sheet", "_row") if c in out]
    return frame_to_csv(out.drop(columns=drop), float_format="%.6g")


def write_results(results: PortfolioResults, scores_dir: Path, meta: dict[str, Any]) -> None:
    """Write every table atomically, plus ``scoring.json``."""
    scores_dir.mkdir(parents=True, exist_ok=True)
    for name in SCORE_FILES:
        atomic_write_text(scores_dir / f"{name}.csv", _csv(results.tables[name]))
    atomic_write_text(
        scores_dir / "scoring.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    )


def run_scoring(
    settings: Settings,
    frameworks: Mapping[str, Framework],
    *,
    lower_on_disagreement: bool = False,
) -> str:
    """Score the prepared portfolio and write the results; return a summary line."""
    from evalkit.inputs.dataset import file_sha256
    from evalkit.inputs.history import read_history

    tables = load_tables(settings.processed_dir)
    dataset = load_dataset_meta(settings.processed_dir).get("dataset", {})
    history = read_history(settings.raw_dir, settings)
    results = compute(
        tables,
        frameworks,
        settings,
        lower_on_disagreement=lower_on_disagreement,
        evidence_kinds=dataset.get("evidence_kinds"),
        action_statuses=read_action_statuses(settings.interim_dir),
        registers=history.registers,
    )
    overdue = {
        r: register_changes.overdue_count(frame, r) for r, frame in history.registers.items()
    }
    overdue[results.assessment_round] = register_changes.overdue_count(
        tables["partnerships"], results.assessment_round
    )
    statuses = sorted((settings.interim_dir / "returns").glob("*/*/action-statuses.csv"))
    meta = {
        "evalkit_version": __version__,
        "assessment_round": results.assessment_round,
        "as_of": f"{results.as_of:%Y-%m-%d}",
        "rounds": {r: f"{rules.round_end(r):%Y-%m-%d}" for r in results.rounds},
        "lower_on_disagreement": lower_on_disagreement,
        "officer_day_rate_gbp": settings.officer_day_rate_gbp,
        "min_cell_size": settings.min_cell_size,
        "min_respondents": settings.min_respondents,
        "min_organisations": settings.min_organisations,
        "min_change_share": settings.min_change_share,
        # the returns' action statuses feed findings, so a pack rebuilds when they change
        "action_statuses": {
            f"{p.parent.parent.name}/{p.parent.name}": file_sha256(p) for p in statuses
        },
        # a changed snapshot changes what each pack says about its register entry
        "registers": {
            s.round: file_sha256(s.path) for s in history.snapshots if s.round in history.registers
        },
        "reviews_overdue": overdue,
        "frameworks": {fid: fw.edition for fid, fw in frameworks.items()},
        "framework_dirs": sorted(
            {str(fw.source_path.parent) for fw in frameworks.values() if fw.source_path}
        ),
        "dataset": dataset,
    }
    write_results(results, settings.scores_dir, meta)
    return results.summary() + f" Written to {settings.scores_dir}."
