"""Register changes since the last round: the current register against its latest snapshot.

The snapshot compared with is the latest one saved for a round before the round now
reported on (:mod:`evalkit.inputs.history`). One :class:`RegisterChange` per change:

* ``added``: in the register now, not in the snapshot; ``ended``: in the snapshot, gone
  from the register now;
* ``in scope``, ``legal form``, ``tier``: the value then and now;
* ``council cash``, ``in kind``, ``whole budget``: the register's money columns (each a
  yearly amount), with the change in pounds and as a percentage of the amount then;
* ``review overdue``: a review overdue at the end of one round and not at the end of the
  other (the next review date before the round's end, as the review-overdue finding
  judges it), for partnerships in scope at the time.

With no earlier snapshot there is nothing to compare and no row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from evalkit.method.rules import round_end

ADDED = "added"
ENDED = "ended"
SCOPE = "in scope"
LEGAL_FORM = "legal form"
TIER = "tier"
REVIEW = "review overdue"
#: The register's money columns and what a change in each is called.
MONEY = {
    "council_cash_gbp": "council cash",
    "in_kind_gbp": "in kind",
    "total_budget_gbp": "whole budget",
}
#: Every kind of change, in the order a reader meets them.
KINDS = (ADDED, ENDED, SCOPE, LEGAL_FORM, TIER, *MONEY.values(), REVIEW)
OVERDUE = "overdue"
NOT_OVERDUE = "not overdue"


@dataclass(frozen=True)
class RegisterChange:
    """One change to a partnership's register entry between two rounds.

    Attributes:
        partnership_id: the partnership.
        name: its name (now, or in the snapshot when it has ended).
        what: the kind of change (one of :data:`KINDS`).
        before: the value in the snapshot ('' when added); money as a plain number.
        after: the value now ('' when ended); money as a plain number.
        change_gbp: for money, after minus before (None otherwise or when either is blank).
        change_percent: for money, the change as a percentage of before, to one decimal
            place (None when before is blank or nil).
        round_before: the round of the snapshot.
        round_now: the round reported on.
    """

    partnership_id: str
    name: str
    what: str
    before: str
    after: str
    change_gbp: float | None
    change_percent: float | None
    round_before: str
    round_now: str


CHANGE_COLUMNS = tuple(f.name for f in fields(RegisterChange))


def latest_before(rounds: Mapping[str, object], round_now: str) -> str | None:
    """The latest snapshot round before ``round_now`` (None when there is none)."""
    earlier = sorted(r for r in rounds if r < round_now)
    return earlier[-1] if earlier else None


def _text(value: Any) -> str:
    """A register value as text ('' when blank)."""
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _scope(row: pd.Series) -> str:
    """'in scope', or 'out of scope' with its reason."""
    if _in_scope(row):
        return "in scope"
    reason = _text(row.get("out_of_scope_reason"))
    return f"out of scope: {reason}" if reason else "out of scope"


def _in_scope(row: pd.Series) -> bool:
    value = row["in_scope"]
    return False if pd.isna(value) else bool(value)


def _overdue(row: pd.Series, at: pd.Timestamp) -> bool:
    due = row.get("next_review_due")
    return due is not None and not pd.isna(due) and pd.Timestamp(due) < at


def compare(
    register: pd.DataFrame, round_now: str, snapshot: pd.DataFrame, round_before: str
) -> list[RegisterChange]:
    """Every change between the snapshot (``round_before``) and the register now.

    Rows come partnership by partnership in the order of the register now (ended ones
    after, in the snapshot's order), each partnership's changes in :data:`KINDS` order.
    """
    now = {str(r["partnership_id"]): r for _, r in register.iterrows()}
    then = {str(r["partnership_id"]): r for _, r in snapshot.iterrows()}
    end_now, end_then = round_end(round_now), round_end(round_before)
    out: list[RegisterChange] = []

    def add(pid: str, name: str, what: str, before: str, after: str, **money: float | None) -> None:
        out.append(
            RegisterChange(
                pid,
                name,
                what,
                before,
                after,
                money.get("gbp"),
                money.get("percent"),
                round_before,
                round_now,
            )
        )

    for pid, row in now.items():
        name = _text(row["name"])
        old = then.get(pid)
        if old is None:
            add(pid, name, ADDED, "", _scope(row))
            continue
        if _in_scope(old) != _in_scope(row):
            add(pid, name, SCOPE, _scope(old), _scope(row))
        for column, what in (("legal_form", LEGAL_FORM), ("tier", TIER)):
            if _text(old[column]) != _text(row[column]):
                add(pid, name, what, _text(old[column]), _text(row[column]))
        for column, what in MONEY.items():
            before, after = old.get(column), row.get(column)
            if _text(before) == _text(after):
                continue
            gbp = percent = None
            if not pd.isna(before) and not pd.isna(after):
                gbp = float(after) - float(before)
                percent = round(gbp / float(before) * 100, 1) if float(before) else None
            add(pid, name, what, _text(before), _text(after), gbp=gbp, percent=percent)
        late_then = _in_scope(old) and _overdue(old, end_then)
        late_now = _in_scope(row) and _overdue(row, end_now)
        if late_then != late_now:
            add(
                pid,
                name,
                REVIEW,
                OVERDUE if late_then else NOT_OVERDUE,
                OVERDUE if late_now else NOT_OVERDUE,
            )
    for pid, old in then.items():
        if pid not in now:
            add(pid, _text(old["name"]), ENDED, _scope(old), "")
    return out


def overdue_count(register: pd.DataFrame, assessment_round: str) -> int:
    """Partnerships in scope whose review was overdue at the end of ``assessment_round``."""
    at = round_end(assessment_round)
    return sum(_in_scope(r) and _overdue(r, at) for _, r in register.iterrows())


def changes_frame(changes: list[RegisterChange]) -> pd.DataFrame:
    """The changes as the table ``scores/register_changes.csv`` holds.

    The change in pounds is kept as text, exactly ("1234567", not "1.23457e+06").
    """
    frame = pd.DataFrame([asdict(c) for c in changes], columns=list(CHANGE_COLUMNS))
    frame["change_gbp"] = frame["change_gbp"].map(_text).astype(object)
    return frame


def register_changes(
    register: pd.DataFrame, round_now: str, snapshots: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """The changes since the latest snapshot before ``round_now`` (no rows without one)."""
    before = latest_before(snapshots, round_now)
    if before is None:
        return changes_frame([])
    return changes_frame(compare(register, round_now, snapshots[before], before))
