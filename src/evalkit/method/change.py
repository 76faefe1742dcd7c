"""Change since the last round: pure functions over score tables, one row per dimension.

Rules (each also stated in ``docs/scoring.md``, "Change since the last round"):

* Each partnership's framework dimension scored in a round is compared with the same
  dimension in the partnership's previous scored round. A partnership that was not
  scored in the later round (it ended, or missed the round) has no change row for it.
* Both rounds' published scores are shown with their n (respondents and organisations
  for a survey, items rated for a checklist), as each round's own pack shows them.
* The change itself is worked out on the **panel**: for a survey, the people who
  answered the dimension in both rounds for the same organisation; when no one can be
  matched between the rounds (ids differ), every person of the organisations that
  answered in both. Each panel organisation's score is worked out from its panel
  members only (item means, then the mean of items, as in scoring), and the change is
  the mean of the organisations' differences, each organisation counting once. For a
  checklist the panel is the partnership's own agreed ratings, so the change is the
  difference of the two scores.
* Disclosure across rounds (individual surveys): the panel's figures are published only
  when they cannot be set against a round's own published figures to work out the
  answers of fewer than ``min_cell_size`` people. So, in each of the two rounds, the
  panel must have at least the floor of people; every organisation's people outside the
  panel (joined since, or left since) must be none or at least the floor; and the panel
  members in organisations that were pooled (not shown by name) must be none or at
  least the floor. Otherwise the panel's figures are blank and no change is called.
  (Each round's own published scores are in that round's pack already; only what the
  panel adds to them is checked here.)
* A change is called "improved" or "declined" only when it is reliable: the panel's
  figures are published, the panel has at least ``min_respondents`` people and
  ``min_organisations`` organisations (surveys), and the change is at least
  ``min_change_share`` of the scale's span (0.5 points on a 1-5 scale) or the panel
  moved into another of the framework's published dimension bands. Otherwise the call
  is "no reliable change", with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evalkit.method.disclosure import INDIVIDUAL, POOLED_ID, Policy, group_organisations

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

KEYS = ["partnership_id", "framework_id", "dimension_id"]

IMPROVED = "improved"
DECLINED = "declined"
NO_RELIABLE_CHANGE = "no reliable change"
CALLS = (IMPROVED, DECLINED, NO_RELIABLE_CHANGE)

#: What the panel is (the ``pairing`` column).
SAME_PEOPLE = "same people"
SAME_ORGANISATIONS = "same organisations"
SAME_RATINGS = "agreed ratings"

#: Why a change was not called, in plain words (the ``reason`` column).
REASON_NO_PANEL = "no one answered in both rounds"
REASON_SUPPRESSED = "too few people answered in both rounds to compare safely"
REASON_DIFFERENCING = "comparing could reveal the answers of people who joined or left"
REASON_FEW_PEOPLE = "fewer than {n} people in the comparison"
REASON_FEW_ORGANISATIONS = "fewer than {n} organisations answered in both rounds"
REASON_SMALL = "the change is smaller than {size:g} points and no band was crossed"
REASON_NOT_RATED = "not rated in both rounds"


@dataclass(frozen=True)
class ChangeRule:
    """When a change between rounds is reliable enough to call.

    Attributes:
        min_cell_size: the fewest people any published figure may rest on.
        min_respondents: the fewest people in the panel for a call.
        min_organisations: the fewest organisations in the panel for a call.
        min_change_share: the smallest change called, as a share of the scale's span
            (0.125: half a point on a 1-5 scale, 0.375 on a 1-4 scale).
    """

    min_cell_size: int = 3
    min_respondents: int = 3
    min_organisations: int = 2
    min_change_share: float = 0.125

    def min_change(self, scale_min: float, scale_max: float) -> float:
        """The smallest change called on a scale, in its own points."""
        return self.min_change_share * (scale_max - scale_min)


@dataclass(frozen=True)
class DimensionChange:
    """One dimension of one partnership, compared with its previous round.

    Attributes:
        round: the later round.
        previous_round: the partnership's previous scored round.
        partnership_id, framework_id, dimension_id: what is compared.
        dimension_title: the dimension's name.
        mode: ``survey`` or ``checklist``.
        previous_score, score: each round's published score (blank when suppressed).
        previous_n, n: respondents (survey) or items rated (checklist) in each round.
        previous_organisations, organisations: organisations answering (survey).
        panel_respondents: people in the panel (survey; the fewer of the two rounds
            when the panel is the same organisations rather than the same people).
        panel_organisations: organisations in the panel (survey).
        pairing: what the panel is: ``same people``, ``same organisations`` (people
            cannot be matched between the rounds) or ``agreed ratings`` (checklist).
        joined, left: people who answered only in the later / only in the earlier round.
        panel_previous, panel_score: the panel's score in each round.
        change: the mean of the panel organisations' differences (later minus earlier).
        previous_band, band: the panel scores' published bands, where there are any.
        min_change: the smallest change called on this scale.
        call: ``improved``, ``declined`` or ``no reliable change``.
        reason: why no change was called ('' when one was).
        suppressed: the panel's figures are blank (disclosure across rounds).
    """

    round: str
    previous_round: str
    partnership_id: str
    framework_id: str
    dimension_id: str
    dimension_title: str
    mode: str
    previous_score: float
    score: float
    previous_n: int
    n: int
    previous_organisations: int
    organisations: int
    panel_respondents: int
    panel_organisations: int
    pairing: str
    joined: int
    left: int
    panel_previous: float
    panel_score: float
    change: float
    previous_band: str
    band: str
    min_change: float
    call: str
    reason: str
    suppressed: bool


CHANGE_COLUMNS = tuple(f.name for f in fields(DimensionChange))


@dataclass(frozen=True)
class _Panel:
    """The panel's figures for one dimension (internal)."""

    pairing: str
    respondents: int
    organisations: int
    joined: int
    left: int
    previous: float
    later: float
    change: float
    safe: bool


def round_pairs(dimensions: pd.DataFrame) -> pd.DataFrame:
    """Each partnership × framework × dimension's rounds with the round before it.

    Returns columns ``partnership_id, framework_id, dimension_id, previous_round, round``
    (rounds sort as text: "2023-24" before "2024-25").
    """
    columns = [*KEYS, "previous_round", "round"]
    if dimensions.empty:
        return pd.DataFrame(columns=columns)
    scored = dimensions[[*KEYS, "round"]].astype(str).drop_duplicates()
    scored = scored.sort_values([*KEYS, "round"])
    scored["previous_round"] = scored.groupby(KEYS)["round"].shift(1)
    pairs = scored.dropna(subset=["previous_round"])
    return pairs[columns].reset_index(drop=True)


def changes(
    dimensions: pd.DataFrame,
    coded: pd.DataFrame | None,
    frameworks: Mapping[str, Framework],
    policy: Policy,
    rule: ChangeRule,
) -> pd.DataFrame:
    """The change table: one row per dimension and round with a previous round.

    Args:
        dimensions: the published dimension scores of every round (``dimension_scores``).
        coded: coded survey answers of every round (from
            :func:`evalkit.method.scoring.code_answers`); None when there are none.
        frameworks: the frameworks scored (for bands).
        policy: the disclosure policy of the scoring run.
        rule: when a change is called.
    """
    pairs = round_pairs(dimensions)
    if pairs.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    published = {
        tuple(str(row[c]) for c in ("round", *KEYS)): row for _, row in dimensions.iterrows()
    }
    people = _people(coded)
    rows: list[DimensionChange] = []
    for pair in pairs.itertuples(index=False):
        key = (str(pair.partnership_id), str(pair.framework_id), str(pair.dimension_id))
        previous, later = str(pair.previous_round), str(pair.round)
        before, after = published[(previous, *key)], published[(later, *key)]
        fw = frameworks.get(key[1])
        if str(after["mode"]) == "survey":
            panel = _survey_panel(people, key, previous, later, policy)
        else:
            panel = _checklist_panel(before, after)
        rows.append(_row(previous, later, key, before, after, panel, fw, rule))
    out = pd.DataFrame([asdict(r) for r in rows], columns=list(CHANGE_COLUMNS))
    return out.sort_values(["round", "partnership_id", "framework_id"], kind="stable").reset_index(
        drop=True
    )


def _people(coded: pd.DataFrame | None) -> pd.DataFrame:
    """Answered survey items with their person, organisation and round (internal)."""
    columns = ["round", *KEYS, "organisation_id", "respondent_id", "item_id", "value"]
    if coded is None or coded.empty:
        return pd.DataFrame(columns=columns)
    out = coded.loc[~coded["missing"], columns].copy()
    for column in ("round", *KEYS, "organisation_id", "respondent_id"):
        out[column] = out[column].astype(str)
    return out


def _survey_panel(
    people: pd.DataFrame, key: tuple[str, str, str], previous: str, later: str, policy: Policy
) -> _Panel:
    """The panel in both rounds, its scores and whether they are safe to show.

    When some people are known in both rounds (their ids match), the panel is those
    people; otherwise it is every person of the organisations that answered in both.
    """
    mine = people[
        (people["partnership_id"] == key[0])
        & (people["framework_id"] == key[1])
        & (people["dimension_id"] == key[2])
    ]
    rounds = {r: mine[mine["round"] == r] for r in (previous, later)}
    members = {
        r: set(zip(f["organisation_id"], f["respondent_id"], strict=True))
        for r, f in rounds.items()
    }
    same_people = members[previous] & members[later]
    if same_people:
        panel = {r: same_people for r in (previous, later)}
        pairing = SAME_PEOPLE
    else:
        orgs_both = {o for o, _ in members[previous]} & {o for o, _ in members[later]}
        panel = {r: {m for m in members[r] if m[0] in orgs_both} for r in (previous, later)}
        pairing = SAME_ORGANISATIONS
    scores = {r: _organisation_scores(rounds[r], panel[r]) for r in (previous, later)}
    orgs = sorted(set(scores[previous].index) & set(scores[later].index))
    if orgs:
        differences = scores[later].loc[orgs] - scores[previous].loc[orgs]
        change = float(differences.mean())
        before, after = (
            float(scores[previous].loc[orgs].mean()),
            float(scores[later].loc[orgs].mean()),
        )
    else:
        change = before = after = np.nan
    floor = max(policy.floor(later, key[1]), 1)
    fewest = min(len(panel[previous]), len(panel[later]))
    safe = fewest >= floor and all(
        _safe_round(people, key, r, members[r], panel[r], policy) for r in (previous, later)
    )
    return _Panel(
        pairing=pairing,
        respondents=fewest,
        organisations=len(orgs),
        joined=len(members[later] - panel[later]),
        left=len(members[previous] - panel[previous]),
        previous=before,
        later=after,
        change=change,
        safe=safe,
    )


def _organisation_scores(frame: pd.DataFrame, panel: set[tuple[str, str]]) -> pd.Series:
    """Each organisation's dimension score from its panel members only (mean of item means)."""
    inside = [
        (o, r) in panel
        for o, r in zip(frame["organisation_id"], frame["respondent_id"], strict=True)
    ]
    kept = frame[inside]
    if kept.empty:
        return pd.Series(dtype="float64")
    items = kept.groupby(["organisation_id", "item_id"])["value"].mean()
    return items.groupby(level="organisation_id").mean()


def _safe_round(
    people: pd.DataFrame,
    key: tuple[str, str, str],
    round_: str,
    members: set[tuple[str, str]],
    panel: set[tuple[str, str]],
    policy: Policy,
) -> bool:
    """True when the panel's figures for ``round_`` cannot isolate a small group of people.

    The people outside the panel in each organisation, and the panel members in pooled
    organisations, must each be none or at least the floor.
    """
    if policy.kind(round_, key[1]) != INDIVIDUAL:
        return True
    floor = policy.min_cell_size

    def ok(count: int) -> bool:
        return count == 0 or count >= floor

    outside: dict[str, int] = {}
    for org, _ in members - panel:
        outside[org] = outside.get(org, 0) + 1
    if not all(ok(c) for c in outside.values()):
        return False
    pooled = _pooled_organisations(people, key, round_, policy)
    return ok(sum(1 for org, _ in panel if org in pooled))


def _pooled_organisations(
    people: pd.DataFrame, key: tuple[str, str, str], round_: str, policy: Policy
) -> set[str]:
    """The organisations pooled (not shown by name) in a round, as scoring decided."""
    frame = people[
        (people["round"] == round_)
        & (people["partnership_id"] == key[0])
        & (people["framework_id"] == key[1])
    ]
    counts = (
        frame.groupby(["round", *KEYS, "organisation_id"])["respondent_id"]
        .nunique()
        .rename("n_respondents")
        .reset_index()
    )
    groups = group_organisations(counts, policy)
    return set(groups.loc[groups["group_id"] == POOLED_ID, "organisation_id"].astype(str))


def _checklist_panel(before: pd.Series, after: pd.Series) -> _Panel:
    """A checklist's panel is the partnership's own agreed ratings."""
    previous, later = _number(before["score"]), _number(after["score"])
    return _Panel(SAME_RATINGS, 0, 0, 0, 0, previous, later, later - previous, True)


def _number(value: object) -> float:
    """A score as a float (NaN when blank)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return np.nan


def _count(value: object) -> int:
    """A count as an int (0 when blank)."""
    number = _number(value)
    return 0 if np.isnan(number) else int(number)


def _evidence(row: pd.Series, survey: bool) -> int:
    """A round's n: respondents for a survey, items rated for a checklist."""
    if survey:
        return _count(row.get("n_respondents"))
    return _count(row.get("n_items")) - _count(row.get("n_missing"))


def _band(fw: Framework | None, score: float) -> str:
    """The published dimension band a score falls in ('' when none)."""
    if fw is None or np.isnan(score):
        return ""
    band = fw.band_for(score, "dimension")
    return band.label if band else ""


def _row(
    previous: str,
    later: str,
    key: tuple[str, str, str],
    before: pd.Series,
    after: pd.Series,
    panel: _Panel,
    fw: Framework | None,
    rule: ChangeRule,
) -> DimensionChange:
    """One row of the change table, with its call."""
    survey = str(after["mode"]) == "survey"
    size = rule.min_change(_number(after["scale_min"]), _number(after["scale_max"]))
    shown = panel.safe
    change = panel.change if shown else np.nan
    panel_previous = panel.previous if shown else np.nan
    panel_later = panel.later if shown else np.nan
    band_before, band_after = _band(fw, panel_previous), _band(fw, panel_later)
    call, reason = _call(panel, survey, shown, change, band_before != band_after, size, rule)
    return DimensionChange(
        round=later,
        previous_round=previous,
        partnership_id=key[0],
        framework_id=key[1],
        dimension_id=key[2],
        dimension_title=str(after.get("dimension_title", key[2])),
        mode=str(after["mode"]),
        previous_score=_number(before["score"]),
        score=_number(after["score"]),
        previous_n=_evidence(before, survey),
        n=_evidence(after, survey),
        previous_organisations=_count(before.get("n_organisations")) if survey else 0,
        organisations=_count(after.get("n_organisations")) if survey else 0,
        panel_respondents=panel.respondents,
        panel_organisations=panel.organisations,
        pairing=panel.pairing,
        joined=panel.joined,
        left=panel.left,
        panel_previous=panel_previous,
        panel_score=panel_later,
        change=change,
        previous_band=band_before,
        band=band_after,
        min_change=size,
        call=call,
        reason=reason,
        suppressed=not shown,
    )


def _call(
    panel: _Panel,
    survey: bool,
    shown: bool,
    change: float,
    crossed: bool,
    size: float,
    rule: ChangeRule,
) -> tuple[str, str]:
    """The call and, when no change is called, why."""
    if not shown:
        if panel.respondents == 0:
            return NO_RELIABLE_CHANGE, REASON_NO_PANEL
        if panel.respondents < rule.min_cell_size:
            return NO_RELIABLE_CHANGE, REASON_SUPPRESSED
        return NO_RELIABLE_CHANGE, REASON_DIFFERENCING
    if np.isnan(change):
        return NO_RELIABLE_CHANGE, REASON_NOT_RATED
    if survey and panel.respondents < rule.min_respondents:
        return NO_RELIABLE_CHANGE, REASON_FEW_PEOPLE.format(n=rule.min_respondents)
    if survey and panel.organisations < rule.min_organisations:
        return NO_RELIABLE_CHANGE, REASON_FEW_ORGANISATIONS.format(n=rule.min_organisations)
    # a small tolerance so that 0.5 worked out as 3.5 - 3.0 counts as 0.5
    if (abs(change) + 1e-9 >= size or crossed) and change != 0:
        return (IMPROVED if change > 0 else DECLINED), ""
    return NO_RELIABLE_CHANGE, REASON_SMALL.format(size=size)
