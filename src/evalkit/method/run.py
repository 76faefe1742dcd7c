"""``evalkit score``: processed tables → scores, findings and action lists.

Reads ``data/processed/``, writes ``data/processed/scores/``. Only in-scope
partnerships are scored. Findings use the latest assessment round.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.config import Settings
from evalkit.inputs.dataset import load_dataset_meta, load_tables
from evalkit.method import risk, rules, scoring, vfm
from evalkit.method.findings import findings_frame
from evalkit.method.results import SCORE_FILES

if TYPE_CHECKING:
    from evalkit.method.framework import Framework


@dataclass
class PortfolioResults:
    """Every derived table for the in-scope portfolio."""

    tables: dict[str, pd.DataFrame]
    assessment_round: str
    as_of: pd.Timestamp

    def summary(self) -> str:
        """Short plain-text summary for the terminal."""
        f = self.tables["findings"]
        counts = f["severity"].value_counts().to_dict() if len(f) else {}
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("high", "medium", "low", "info"))
        n = self.tables["dimension_scores"]["partnership_id"].nunique()
        return (
            f"Scored {n} partnership(s) for round {self.assessment_round} "
            f"(as at {self.as_of:%d/%m/%Y}); findings: {parts}."
        )


def latest_round(tables: Mapping[str, pd.DataFrame]) -> str:
    """The latest assessment round found in responses or checklist ('' if none)."""
    rounds = pd.concat(
        [tables["responses"]["round"], tables["checklist"]["round"]], ignore_index=True
    ).dropna()
    return str(sorted(rounds.unique())[-1]) if len(rounds) else ""


def compute(
    tables: Mapping[str, pd.DataFrame],
    frameworks: Mapping[str, Framework],
    settings: Settings,
    *,
    lower_on_disagreement: bool = False,
) -> PortfolioResults:
    """Score the in-scope portfolio; pure apart from reading its arguments."""
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
    trend = vfm.unit_cost_trend(costs)
    risks = risk.scored_risks(only("risks"))
    assessment_round = latest_round(tables)
    as_of = rules.round_end(assessment_round)
    dims = scores.dimensions
    latest_dims = dims[dims["round"] == assessment_round] if len(dims) else dims
    evidence = rules.Evidence(
        partnerships=in_scope,
        dimensions=latest_dims,
        vfm_costs=costs,
        cost_trend=trend,
        risks=risks,
        frameworks=frameworks,
        as_of=as_of,
        min_respondents=settings.min_respondents,
        min_organisations=settings.min_organisations,
    )
    findings = findings_frame(rules.run_rules(evidence))
    actions = rules.action_list(findings, in_scope)
    out = {
        "dimension_scores": dims,
        "organisation_scores": scores.organisations,
        "item_scores": scores.items,
        "framework_scores": scores.frameworks,
        "sector_scores": scores.sectors,
        "findings": findings,
        "actions": actions,
        "vfm_inputs": inputs,
        "vfm_share": share,
        "vfm_indicators": costs,
        "vfm_trend": trend,
        "equity": vfm.equity_split(only("indicators")),
        "risks": risks,
    }
    return PortfolioResults(out, assessment_round, as_of)


def _csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    if "evidence" in out:
        out["evidence"] = out["evidence"].map(lambda e: json.dumps(e, sort_keys=True, default=str))
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    drop = [c for c in ("_file", "_sheet", "_row") if c in out]
    return out.drop(columns=drop).to_csv(index=False, lineterminator="\n", float_format="%.6g")


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
    tables = load_tables(settings.processed_dir)
    results = compute(tables, frameworks, settings, lower_on_disagreement=lower_on_disagreement)
    dataset = load_dataset_meta(settings.processed_dir).get("dataset", {})
    meta = {
        "evalkit_version": __version__,
        "assessment_round": results.assessment_round,
        "as_of": f"{results.as_of:%Y-%m-%d}",
        "lower_on_disagreement": lower_on_disagreement,
        "officer_day_rate_gbp": settings.officer_day_rate_gbp,
        "min_cell_size": settings.min_cell_size,
        "frameworks": {fid: fw.edition for fid, fw in frameworks.items()},
        "framework_dirs": sorted(
            {str(fw.source_path.parent) for fw in frameworks.values() if fw.source_path}
        ),
        "dataset": dataset,
    }
    write_results(results, settings.scores_dir, meta)
    return results.summary() + f" Written to {settings.scores_dir}."
