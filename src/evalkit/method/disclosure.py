"""Disclosure control: one policy, decided here, for every figure a reviewer sees.

Survey answers come in two kinds, stated in the data per framework and round
(``evidence_kinds`` in ``dataset.yaml``, see ``docs/disclosure.md``):

* **individual** (the default): a survey of people. The respondent is protected. No
  published figure rests on fewer than ``min_cell_size`` respondents:

  - an organisation is shown by name only when it has at least ``min_cell_size``
    respondents on every dimension of the framework; the others are pooled into one
    labelled group, ``Other partners (k organisations)``;
  - when the pool itself would fall under the floor on any dimension, the smallest
    named organisation joins it (complementary pooling), so the pool cannot be
    worked out from the partnership mean and the named organisations either;
  - lowest / highest organisation, range, spread, the "partners disagree" flag and
    the take-the-lower rule are computed over the published groups only;
  - the council's gap from the others is given only when the council is shown by name
    (so both sides meet the floor);
  - a partnership figure (dimension or item) resting on fewer than the floor is blanked;
  - a sector cell is shown only when it meets the floor and cannot be recovered by
    differencing it against the named organisations and the pooled group.

* **organisational**: one agreed return per organisation. Each organisation's view is
  its official position, shown by name, and nothing is pooled.

:func:`group_organisations` decides the groups, :func:`blank_small_partnership_figures`
blanks partnership figures under the floor and :func:`sector_cells` decides the sector
view. :mod:`evalkit.method.scoring` computes every reviewer-facing survey figure over
these groups only, so the score tables written to ``data/processed/scores/`` (and
everything the packs show from them) are already safe; no unsafe table is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evalkit.inputs.dataset import EVIDENCE_KINDS, INDIVIDUAL, ORGANISATIONAL

__all__ = [
    "EVIDENCE_KINDS",
    "INDIVIDUAL",
    "ORGANISATIONAL",
    "POOLED_ID",
    "Policy",
    "blank_small_partnership_figures",
    "group_organisations",
    "pooled_label",
    "sector_cells",
    "suppress_small",
]

SUPPRESSED_NOTE = "suppressed: fewer than {n} respondents"
DIFFERENCING_NOTE = "suppressed: could be worked out from other published figures"
#: The id of the pooled group of small organisations in ``organisation_scores``.
POOLED_ID = "other-partners"

KEYS = ["round", "partnership_id", "framework_id"]
DIM_KEYS = [*KEYS, "dimension_id"]

#: Partnership-level survey columns blanked when a dimension rests on too few people.
DIMENSION_FIGURES = (
    "mean",
    "score",
    "min_org",
    "max_org",
    "sd",
    "range",
    "council_score",
    "others_score",
    "council_gap",
)
ITEM_FIGURES = ("score", "min_org", "max_org")


def pooled_label(n_organisations: int) -> str:
    """The label of the pooled group: ``Other partners (3 organisations)``."""
    noun = "organisation" if n_organisations == 1 else "organisations"
    return f"Other partners ({n_organisations} {noun})"


@dataclass(frozen=True)
class Policy:
    """The disclosure policy of one scoring run.

    Attributes:
        min_cell_size: the fewest respondents any published figure may rest on.
        evidence_kinds: framework id → kind, or round → {framework id → kind}; a
            round's own entry wins. Frameworks not named are ``individual``.
    """

    min_cell_size: int = 3
    evidence_kinds: Mapping[str, Any] = field(default_factory=dict)

    def kind(self, round_: str, framework_id: str) -> str:
        """``individual`` or ``organisational`` for a framework in a round."""
        per_round = self.evidence_kinds.get(str(round_))
        if isinstance(per_round, Mapping) and framework_id in per_round:
            return str(per_round[framework_id])
        value = self.evidence_kinds.get(framework_id)
        return str(value) if isinstance(value, str) else INDIVIDUAL

    def floor(self, round_: str, framework_id: str) -> int:
        """The fewest respondents a figure may rest on (1 for organisational returns)."""
        return self.min_cell_size if self.kind(round_, framework_id) == INDIVIDUAL else 1


def group_organisations(orgs: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Decide the published group of every organisation, per partnership and framework.

    Args:
        orgs: one row per round × partnership × framework × dimension × organisation,
            with ``n_respondents`` (people who answered at least one item of it).
        policy: the disclosure policy.

    Returns:
        One row per round × partnership × framework × organisation: ``group_id`` (the
        organisation's own id, or :data:`POOLED_ID`), ``group_name`` (None when shown by
        name; the pooled label otherwise) and ``evidence_kind``.
    """
    rows: list[tuple[Any, ...]] = []
    for key, frame in orgs.groupby(KEYS, observed=True, sort=True):
        kind = policy.kind(str(key[0]), str(key[2]))
        per_dim = frame.pivot_table(
            index="organisation_id",
            columns="dimension_id",
            values="n_respondents",
            aggfunc="sum",
            fill_value=0,
        )
        pooled = _pooled(per_dim, policy.min_cell_size) if kind == INDIVIDUAL else set()
        label = pooled_label(len(pooled)) if pooled else None
        for org in per_dim.index:
            inside = org in pooled
            rows.append((*key, org, POOLED_ID if inside else org, label if inside else None, kind))
    return pd.DataFrame(
        rows, columns=[*KEYS, "organisation_id", "group_id", "group_name", "evidence_kind"]
    )


def _pooled(per_dim: pd.DataFrame, floor: int) -> set[str]:
    """Organisations to pool: those under the floor anywhere, plus enough to protect them."""
    answered = per_dim.where(per_dim > 0)
    smallest = answered.min(axis=1).fillna(0)
    pooled = set(smallest.index[smallest < floor])
    while pooled:
        pool = per_dim.loc[sorted(pooled)].sum(axis=0)
        if not ((pool > 0) & (pool < floor)).any():
            break
        named = smallest.drop(index=sorted(pooled))
        if named.empty:
            break
        # Complementary pooling: the smallest named organisation joins the pool.
        pooled.add(str(named.sort_values(kind="stable").index[0]))
    return pooled


def blank_small_partnership_figures(
    frame: pd.DataFrame, count_column: str, floors: pd.Series, columns: Sequence[str]
) -> pd.DataFrame:
    """Blank ``columns`` (and flags) where ``count_column`` is under each row's floor.

    Adds ``suppressed`` (bool). Counts stay: a count of people is not their answers.
    """
    out = frame.copy()
    small = (out[count_column].fillna(0).astype(float) < floors.astype(float)).to_numpy()
    out["suppressed"] = small
    for column in columns:
        if column in out:
            out[column] = out[column].astype("float64")
            out.loc[small, column] = np.nan
    if "diverged" in out:
        out["diverged"] = out["diverged"].astype("boolean")
        out.loc[small, "diverged"] = pd.NA
    return out


def sector_cells(org_dims: pd.DataFrame, sectors: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Dimension scores by sector, each organisation counting once, made safe.

    Args:
        org_dims: the internal per-organisation dimension scores with ``n_respondents``,
            ``group_id`` and ``evidence_kind`` (never written).
        sectors: organisation_id → sector.
        policy: the disclosure policy.

    A cell of an individual survey is shown when it has at least the floor of
    respondents and its pooled members are either none or, together, at least the floor,
    with the rest of the pool also empty or at least the floor; otherwise it is
    suppressed, with its count, and a note says why.
    """
    frame = org_dims.merge(
        sectors[["organisation_id", "sector"]].astype({"sector": "string"}),
        on="organisation_id",
        how="left",
    )
    frame["sector"] = frame["sector"].fillna("sector not recorded")
    frame["pooled_n"] = frame["n_respondents"].where(frame["group_id"] == POOLED_ID, 0)
    cells = (
        frame.groupby([*DIM_KEYS, "sector"], observed=True)
        .agg(
            score=("score", "mean"),
            n_respondents=("n_respondents", "sum"),
            pooled_n=("pooled_n", "sum"),
            evidence_kind=("evidence_kind", "first"),
        )
        .reset_index()
    )
    cells["suppressed"] = False
    cells["note"] = ""
    for _, index in cells.groupby(DIM_KEYS, observed=True).groups.items():
        block = cells.loc[index]
        if str(block["evidence_kind"].iloc[0]) != INDIVIDUAL:
            continue
        floor = policy.min_cell_size
        small = block.index[block["n_respondents"] < floor]
        _hide(cells, list(small), SUPPRESSED_NOTE.format(n=floor))
        mixed = block.index[(block["pooled_n"] > 0) & (block["pooled_n"] < floor)]
        mixed = mixed.difference(small)
        _hide(cells, list(mixed), DIFFERENCING_NOTE)
        # What the pool leaves once the shown cells' pooled parts are taken away must be
        # empty or at least the floor; otherwise hide the smallest shown pooled part too.
        pool_total = float(block["pooled_n"].sum())
        while True:
            shown = cells.loc[index][~cells.loc[index, "suppressed"]]
            rest = pool_total - float(shown["pooled_n"].sum())
            if rest == 0 or rest >= floor:
                break
            candidates = shown[shown["pooled_n"] > 0].sort_values("pooled_n", kind="stable")
            if candidates.empty:
                break
            _hide(cells, [candidates.index[0]], DIFFERENCING_NOTE)
    hidden = cells["suppressed"].to_numpy()
    cells["score"] = cells["score"].astype("float64")
    cells.loc[hidden, "score"] = np.nan
    cells["n_respondents"] = cells["n_respondents"].astype("Int64")
    cells.loc[hidden, "n_respondents"] = pd.NA
    return cells.drop(columns=["pooled_n"])


def _hide(cells: pd.DataFrame, index: list[Any], note: str) -> None:
    """Mark sector cells suppressed, with the reason."""
    cells.loc[index, "suppressed"] = True
    cells.loc[index, "note"] = note


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
