"""Scoring: pure functions over DataFrames, for a whole portfolio at once.

Rules (each also stated in ``docs/scoring.md``):

* Answers are coded with the framework's scale. ``don't know``, ``n/a`` and blanks are
  missing, never zero. Reverse-scored items are flipped (``min + max - value``).
* Survey frameworks keep each organisation's view apart. An organisation's item score
  is the mean of its respondents' answers; its dimension score is the mean of its item
  scores. The partnership's dimension score is the mean of the organisations' dimension
  scores, so every organisation counts once however many of its staff answered.
* Disclosure control (:mod:`evalkit.method.disclosure`) decides the *published
  groups*: for an individual survey, organisations under the respondent floor are
  pooled into "Other partners"; for organisational returns every organisation is a
  group. Only published groups are written (``organisation_scores``).
* Spread is reported across the published groups: minimum, maximum, range and standard
  deviation (population form, ``ddof=0``). Groups *diverge* on a dimension when at
  least one scores below the scale's agree line and another above it. The council's
  gap is its score minus the mean of the other organisations' scores, given only when
  the council is shown by name.
* With ``lower_on_disagreement`` a diverging dimension takes the lowest group's score
  instead of the mean (the "Lisbon" rule).
* A partnership figure resting on fewer respondents than the floor is blank.
* Checklist frameworks hold one agreed rating per item; a dimension score is the mean
  of its rated items.
* Bands apply only where the framework defines them; totals only where it allows them,
  and a total is banded only when every item was answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from evalkit.inputs.normalise import map_unique, token
from evalkit.method.disclosure import (
    DIMENSION_FIGURES,
    ITEM_FIGURES,
    POOLED_ID,
    Policy,
    blank_small_partnership_figures,
    group_organisations,
    sector_cells,
)

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

KEYS = ["round", "partnership_id", "framework_id"]
DIM_KEYS = [*KEYS, "dimension_id"]


def code_table(frameworks: Mapping[str, Framework]) -> pd.DataFrame:
    """Every accepted answer token per framework with its numeric value (NaN = missing)."""
    rows = []
    for fid, fw in frameworks.items():
        scale = fw.scale_def
        for tok, value in scale.code_map().items():
            rows.append((fid, tok, float(value)))
        for tok in scale.missing_tokens():
            rows.append((fid, tok, np.nan))
    return pd.DataFrame(rows, columns=["framework_id", "token", "value"]).drop_duplicates(
        ["framework_id", "token"]
    )


def item_table(frameworks: Mapping[str, Framework]) -> pd.DataFrame:
    """framework_id, item_id, dimension_id, reverse, scale_min, scale_max, agree_line."""
    frames = []
    for fid, fw in frameworks.items():
        items = fw.items_frame()[["item_id", "dimension_id", "reverse"]].copy()
        items["framework_id"] = fid
        items["scale_min"] = float(fw.scale_def.min)
        items["scale_max"] = float(fw.scale_def.max)
        items["agree_line"] = (
            np.nan if fw.scale_def.agree_line is None else float(fw.scale_def.agree_line)
        )
        frames.append(items)
    return pd.concat(frames, ignore_index=True)


def code_answers(
    frame: pd.DataFrame, value_column: str, frameworks: Mapping[str, Framework]
) -> pd.DataFrame:
    """Add ``dimension_id``, numeric ``value`` (reverse-scored where needed) and ``missing``.

    Rows for frameworks not in ``frameworks`` are dropped.
    """
    out = frame[frame["framework_id"].isin(list(frameworks))].copy()
    out["framework_id"] = out["framework_id"].astype(str)
    out["item_id"] = out["item_id"].astype(str)
    out["token"] = map_unique(out[value_column], token)
    out = out.merge(code_table(frameworks), on=["framework_id", "token"], how="left")
    out = out.merge(item_table(frameworks), on=["framework_id", "item_id"], how="inner")
    flip = out["reverse"].astype(bool)
    out.loc[flip, "value"] = (
        out.loc[flip, "scale_min"] + out.loc[flip, "scale_max"] - out.loc[flip, "value"]
    )
    out["missing"] = out["value"].isna()
    return out.drop(columns=["token"])


@dataclass
class Scores:
    """Every score table for a set of partnerships.

    Attributes:
        items: one row per partnership × framework × item (consensus, spread, counts).
        organisations: one row per partnership × framework × dimension × organisation
            (survey frameworks only).
        dimensions: one row per partnership × framework × dimension.
        frameworks: one row per partnership × framework (totals where allowed).
        sectors: dimension scores by sector of organisation, small groups suppressed.
    """

    items: pd.DataFrame
    organisations: pd.DataFrame
    dimensions: pd.DataFrame
    frameworks: pd.DataFrame
    sectors: pd.DataFrame


def score_survey(
    coded: pd.DataFrame,
    council_id: str | None,
    lower_on_disagreement: bool = False,
    policy: Policy | None = None,
    organisations: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Score survey answers (already coded); return (items, groups, dimensions, sectors).

    Every figure returned is safe to publish under ``policy`` (see
    :mod:`evalkit.method.disclosure`): the second table holds the *published groups*
    (organisations shown by name, and the pooled group of small ones), not every
    organisation; extremes, spread, divergence and the council's gap are over those
    groups; partnership figures under the floor are blank.
    """
    policy = policy or Policy()
    org_item = (
        coded.groupby([*DIM_KEYS, "item_id", "organisation_id"], observed=True)
        .agg(value=("value", "mean"), answers=("value", "count"), rows=("value", "size"))
        .reset_index()
    )
    org_dims = _organisation_dimensions(coded, org_item)
    groups = group_organisations(org_dims, policy)
    org_dims = org_dims.merge(groups, on=[*KEYS, "organisation_id"], how="left")
    org_item = org_item.merge(groups, on=[*KEYS, "organisation_id"], how="left")
    floors = _floors(groups, policy)

    group_item = (
        org_item.groupby([*DIM_KEYS, "item_id", "group_id"], observed=True)
        .agg(value=("value", "mean"), answers=("answers", "sum"))
        .reset_index()
        .merge(floors, on=KEYS, how="left")
    )
    publishable = group_item[group_item["answers"] >= group_item["floor"]]
    items = (
        org_item.groupby([*DIM_KEYS, "item_id"], observed=True)
        .agg(
            score=("value", "mean"),
            n_organisations=("value", "count"),
            n_answers=("answers", "sum"),
            n_rows=("rows", "sum"),
        )
        .reset_index()
    )
    extremes = (
        publishable.groupby([*DIM_KEYS, "item_id"], observed=True)["value"]
        .agg(min_org="min", max_org="max")
        .reset_index()
    )
    items = items.merge(extremes, on=[*DIM_KEYS, "item_id"], how="left")
    items = items[
        [
            *DIM_KEYS,
            "item_id",
            "score",
            "min_org",
            "max_org",
            "n_organisations",
            "n_answers",
            "n_rows",
        ]
    ]
    items["n_missing"] = items["n_rows"] - items["n_answers"]
    items = items.drop(columns="n_rows").merge(floors, on=KEYS, how="left")
    items = blank_small_partnership_figures(items, "n_answers", items["floor"], ITEM_FIGURES)
    items = items.drop(columns=["floor", "suppressed"])

    published = _published_groups(org_dims)
    answered_groups = published.dropna(subset=["score"])
    dims = (
        org_dims.dropna(subset=["score"])
        .groupby(DIM_KEYS, observed=True)["score"]
        .agg(mean="mean", n_organisations="count")
        .reset_index()
    )
    spread = (
        answered_groups.groupby(DIM_KEYS, observed=True)["score"]
        .agg(min_org="min", max_org="max", sd=lambda s: float(np.std(s, ddof=0)))
        .reset_index()
    )
    dims = dims.merge(spread, on=DIM_KEYS, how="left")
    counts = (
        coded.groupby(DIM_KEYS, observed=True)
        .agg(n_rows=("value", "size"), n_missing=("missing", "sum"))
        .reset_index()
    )
    people = (
        coded[~coded["missing"]]
        .groupby(DIM_KEYS, observed=True)["respondent_id"]
        .nunique()
        .rename("n_respondents")
        .reset_index()
    )
    dims = counts.merge(dims, on=DIM_KEYS, how="left").merge(people, on=DIM_KEYS, how="left")
    dims["n_respondents"] = dims["n_respondents"].fillna(0).astype(int)
    dims["n_organisations"] = dims["n_organisations"].fillna(0).astype(int)
    dims["missing_rate"] = dims["n_missing"] / dims["n_rows"]
    dims["range"] = dims["max_org"] - dims["min_org"]
    lines = coded.groupby(KEYS, observed=True)["agree_line"].first().reset_index()
    dims = dims.merge(lines, on=KEYS, how="left")
    dims["diverged"] = (dims["min_org"] < dims["agree_line"]) & (
        dims["max_org"] > dims["agree_line"]
    )
    dims = _council_gap(dims, org_dims, council_id)
    dims["score"] = dims["mean"]
    dims["rule"] = "mean of organisations"
    if lower_on_disagreement:
        lower = dims["diverged"]
        dims.loc[lower, "score"] = dims.loc[lower, "min_org"]
        dims.loc[lower, "rule"] = "lowest organisation (partners disagree)"
    pool = (
        groups[groups["group_id"] == POOLED_ID]
        .groupby(KEYS, observed=True)
        .size()
        .rename("n_pooled")
        .reset_index()
    )
    kinds = groups[[*KEYS, "evidence_kind"]].drop_duplicates(KEYS)
    dims = dims.merge(floors, on=KEYS, how="left").merge(pool, on=KEYS, how="left")
    dims = dims.merge(kinds, on=KEYS, how="left")
    dims["n_pooled"] = dims["n_pooled"].fillna(0).astype(int)
    dims = blank_small_partnership_figures(dims, "n_respondents", dims["floor"], DIMENSION_FIGURES)
    dims = dims.drop(columns="floor")
    published = published.merge(dims[[*DIM_KEYS, "suppressed"]], on=DIM_KEYS, how="left")
    published = published[~published["suppressed"].fillna(False).astype(bool)]
    sectors = (
        sector_cells(org_dims, organisations, policy)
        if organisations is not None
        else pd.DataFrame()
    )
    dims = dims.rename(columns={"n_rows": "n_expected"})
    return items, published.drop(columns="suppressed"), dims, sectors


def _organisation_dimensions(coded: pd.DataFrame, org_item: pd.DataFrame) -> pd.DataFrame:
    """Internal: each organisation's dimension score and respondents (never written)."""
    orgs = (
        org_item.groupby([*DIM_KEYS, "organisation_id"], observed=True)
        .agg(score=("value", "mean"), n_items=("value", "count"))
        .reset_index()
    )
    respondents = (
        coded[~coded["missing"]]
        .groupby([*DIM_KEYS, "organisation_id"], observed=True)["respondent_id"]
        .nunique()
        .rename("n_respondents")
        .reset_index()
    )
    orgs = orgs.merge(respondents, on=[*DIM_KEYS, "organisation_id"], how="left")
    orgs["n_respondents"] = orgs["n_respondents"].fillna(0).astype(int)
    return orgs


def _floors(groups: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """The floor of each round × partnership × framework."""
    keys = groups[KEYS].drop_duplicates().reset_index(drop=True)
    keys["floor"] = [
        policy.floor(str(r), str(f))
        for r, f in zip(keys["round"], keys["framework_id"], strict=True)
    ]
    return keys


def _published_groups(org_dims: pd.DataFrame) -> pd.DataFrame:
    """The groups a reviewer sees: named organisations and the pooled group.

    A pooled group's score is the mean of its organisations' scores (each counts once,
    as in the partnership score).
    """
    answered = org_dims.dropna(subset=["score"])
    out = (
        answered.groupby([*DIM_KEYS, "group_id"], observed=True, dropna=False)
        .agg(
            score=("score", "mean"),
            n_items=("n_items", "max"),
            n_respondents=("n_respondents", "sum"),
            n_organisations=("organisation_id", "nunique"),
            group_name=("group_name", "first"),
            evidence_kind=("evidence_kind", "first"),
        )
        .reset_index()
        .rename(columns={"group_id": "organisation_id"})
    )
    return out[
        [
            *DIM_KEYS,
            "organisation_id",
            "group_name",
            "score",
            "n_items",
            "n_respondents",
            "n_organisations",
            "evidence_kind",
        ]
    ]


def _council_gap(
    dims: pd.DataFrame, org_dims: pd.DataFrame, council_id: str | None
) -> pd.DataFrame:
    """The council's score against the others' mean, only where the council is named."""
    if council_id is None:
        dims["council_score"] = np.nan
        dims["others_score"] = np.nan
    else:
        answered = org_dims.dropna(subset=["score"])
        is_council = answered["organisation_id"] == council_id
        named = is_council & (answered["group_id"] == council_id)
        council = answered[named].groupby(DIM_KEYS)["score"].mean().rename("council_score")
        others = answered[~is_council].groupby(DIM_KEYS)["score"].mean().rename("others_score")
        dims = dims.merge(council.reset_index(), on=DIM_KEYS, how="left")
        dims = dims.merge(others.reset_index(), on=DIM_KEYS, how="left")
        dims.loc[dims["council_score"].isna(), "others_score"] = np.nan
    dims["council_gap"] = dims["council_score"] - dims["others_score"]
    return dims


def score_checklist(coded: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score checklist ratings (already coded); return (items, dimensions)."""
    coded = coded.copy()
    has_evidence = coded.get("evidence_ref", pd.Series(pd.NA, index=coded.index)).notna()
    coded["no_evidence"] = ~coded["missing"] & ~has_evidence
    items = coded[[*DIM_KEYS, "item_id", "value", "missing", "no_evidence"]].rename(
        columns={"value": "score"}
    )
    items["n_answers"] = (~items["missing"]).astype(int)
    items["n_missing"] = items["missing"].astype(int)
    items = items.drop(columns="missing")
    dims = (
        coded.groupby(DIM_KEYS, observed=True)
        .agg(
            score=("value", "mean"),
            min_item=("value", "min"),
            n_items=("value", "size"),
            n_missing=("missing", "sum"),
            n_no_evidence=("no_evidence", "sum"),
        )
        .reset_index()
    )
    dims["missing_rate"] = dims["n_missing"] / dims["n_items"]
    dims["rule"] = "mean of items"
    return items, dims


def _apply_bands(
    frame: pd.DataFrame, frameworks: Mapping[str, Framework], level: str, column: str
) -> pd.DataFrame:
    """Add ``band`` and ``rag`` where the framework publishes bands at ``level``."""
    frame["band"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["rag"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    for fid, fw in frameworks.items():
        if not fw.bands or fw.bands_level != level:
            continue
        rows = frame.index[(frame["framework_id"] == fid) & frame[column].notna()]
        if len(rows) == 0:
            continue
        unique_scores = frame.loc[rows, column].astype(float)
        found = {v: fw.band_for(v, level) for v in unique_scores.unique()}
        bands = unique_scores.map(found)
        frame.loc[rows, "band"] = bands.map(lambda b: b.label if b else pd.NA)
        frame.loc[rows, "rag"] = bands.map(lambda b: b.rag if b else pd.NA)
    return frame


def _framework_totals(
    items: pd.DataFrame, frameworks: Mapping[str, Framework], expected_items: pd.Series
) -> pd.DataFrame:
    rows = []
    answered = items.dropna(subset=["score"])
    grouped = answered.groupby(KEYS, observed=True)["score"]
    sums = grouped.sum()
    means = grouped.mean()
    counts = grouped.count()
    for key in sums.index.union(items.set_index(KEYS).index.unique()):
        fid = key[2]
        fw = frameworks[fid]
        n_expected = int(expected_items.loc[fid]) if fid in expected_items.index else 0
        n_answered = int(counts.get(key, 0))
        total = np.nan
        if fw.scoring.totals_allowed and fw.scoring.total != "none":
            total = sums.get(key, np.nan) if fw.scoring.total == "sum" else means.get(key, np.nan)
        rows.append(
            (*key, total, n_answered, n_expected, n_answered == n_expected, fw.scoring.total)
        )
    out = pd.DataFrame(
        rows,
        columns=[*KEYS, "total", "items_answered", "items_expected", "complete", "total_rule"],
    )
    out = _apply_bands(out, frameworks, "total", "total")
    incomplete = ~out["complete"]
    out.loc[incomplete, ["band", "rag"]] = pd.NA
    return out


def score_all(
    responses: pd.DataFrame,
    checklist: pd.DataFrame,
    organisations: pd.DataFrame,
    frameworks: Mapping[str, Framework],
    *,
    lower_on_disagreement: bool = False,
    min_cell_size: int = 3,
    min_respondents: int = 3,
    min_organisations: int = 2,
    evidence_kinds: Mapping[str, Any] | None = None,
) -> Scores:
    """Score every partnership against every framework it has answers for.

    Every survey table returned has passed the disclosure policy (``min_cell_size``
    and ``evidence_kinds``; see :mod:`evalkit.method.disclosure`).
    """
    policy = Policy(min_cell_size, dict(evidence_kinds or {}))
    council = organisations.loc[organisations["is_council"].fillna(False).astype(bool)]
    council_id = str(council["organisation_id"].iloc[0]) if len(council) else None
    survey_fw = {k: v for k, v in frameworks.items() if v.mode == "survey"}
    check_fw = {k: v for k, v in frameworks.items() if v.mode == "checklist"}

    coded_s = code_answers(responses, "response", survey_fw) if survey_fw else None
    coded_c = code_answers(checklist, "status", check_fw) if check_fw else None
    item_frames, dim_frames, org_frames = [], [], []
    sectors = pd.DataFrame()
    if coded_s is not None and len(coded_s):
        s_items, s_orgs, s_dims, sectors = score_survey(
            coded_s, council_id, lower_on_disagreement, policy, organisations
        )
        item_frames.append(s_items)
        dim_frames.append(s_dims)
        org_frames.append(s_orgs)
    if coded_c is not None and len(coded_c):
        c_items, c_dims = score_checklist(coded_c)
        item_frames.append(c_items)
        dim_frames.append(c_dims)
    items = _concat(item_frames)
    dims = _concat(dim_frames)
    orgs = _concat(org_frames)
    if len(dims):
        dims = _decorate_dimensions(dims, frameworks)
        survey = dims["mode"] == "survey"
        few = (dims.get("n_respondents", 0) < min_respondents) | (
            dims.get("n_organisations", 0) < min_organisations
        )
        dims["low_evidence"] = survey & few
    expected = item_table(frameworks).groupby("framework_id").size() if frameworks else pd.Series()
    totals = _framework_totals(items, frameworks, expected) if len(items) else pd.DataFrame()
    return Scores(items, orgs, dims, totals, sectors)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()


def _decorate_dimensions(dims: pd.DataFrame, frameworks: Mapping[str, Framework]) -> pd.DataFrame:
    meta = []
    for fid, fw in frameworks.items():
        for dim in fw.dimensions:
            meta.append((fid, dim.id, dim.title, fw.scale_def.min, fw.scale_def.max, fw.mode))
    info = pd.DataFrame(
        meta,
        columns=[
            "framework_id",
            "dimension_id",
            "dimension_title",
            "scale_min",
            "scale_max",
            "mode",
        ],
    )
    dims = dims.merge(info, on=["framework_id", "dimension_id"], how="left")
    span = dims["scale_max"] - dims["scale_min"]
    dims["score_pct"] = (dims["score"] - dims["scale_min"]) / span * 100
    dims = _apply_bands(dims, frameworks, "dimension", "score")
    order = {(fid, d.id): i for fid, fw in frameworks.items() for i, d in enumerate(fw.dimensions)}
    dims["_order"] = [
        order.get((f, d), 0)
        for f, d in zip(dims["framework_id"], dims["dimension_id"], strict=True)
    ]
    dims = dims.sort_values(["round", "partnership_id", "framework_id", "_order"])
    return dims.drop(columns="_order").reset_index(drop=True)
