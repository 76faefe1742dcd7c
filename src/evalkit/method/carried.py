"""Findings and actions carried forward from one round to the next.

* Each finding of a round is marked against the partnership's findings of the round
  before it (``since_last_round``): ``new`` or ``continuing``, matched on the stable
  code, the partnership and the framework; blank in the first round scored. A finding
  about a framework the partnership was not scored against in the round before, or
  about the register facts of a partnership not in scope then (a register snapshot
  says so), is ``first assessed``, not ``new``: nothing was looked at then. A finding
  of the earlier round that is gone is ``resolved`` (:func:`resolved`), unless it was
  not looked at again this round.
* Last round's actions get their status from the officer returns
  (``action-statuses.csv``, one per partnership and round, under
  ``data/interim/returns/``) when a return gave any: ``done``, ``dropped``,
  ``in progress``, ``not started`` or ``not reported`` (the return left it out), and
  ``overdue`` when its due date has passed by the end of the new round and it is not
  done or dropped. Partnerships without a return for the round get no rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import pandas as pd

NEW = "new"
CONTINUING = "continuing"
RESOLVED = "resolved"
FIRST_ASSESSED = "first assessed"

DONE = "done"
DROPPED = "dropped"
IN_PROGRESS = "in progress"
NOT_STARTED = "not started"
NOT_REPORTED = "not reported"
OVERDUE = "overdue"

#: What matches a finding between rounds.
FINDING_KEY = ["partnership_id", "code", "framework_id"]


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Each finding's key as one text (a blank framework counts as '')."""
    parts = frame[FINDING_KEY].astype("object").fillna("").astype(str)
    return parts["partnership_id"] + "|" + parts["code"] + "|" + parts["framework_id"]


def previous_round(rounds: Sequence[str], this_round: str) -> str | None:
    """The round scored before ``this_round`` (None for the first)."""
    ordered = sorted(rounds)
    index = ordered.index(this_round) if this_round in ordered else -1
    return ordered[index - 1] if index > 0 else None


def _scored_in(findings: pd.DataFrame, assessed: pd.DataFrame | None, round_: str) -> pd.Series:
    """Whether each finding could have been raised in ``round_``.

    ``assessed`` has rows (round, partnership_id, framework_id): a framework scored for
    a partnership in a round, or, with a blank framework, a partnership in scope in a
    round (its register facts were judged). A finding about a framework needs that
    framework's row; one about register facts needs the partnership's blank row when
    ``assessed`` gives any blank row for ``round_``, and is otherwise comparable. With
    no ``assessed`` every finding is comparable.
    """
    if assessed is None:
        return pd.Series(True, index=findings.index)
    rows = assessed[assessed["round"].astype(str) == round_]
    pids = rows["partnership_id"].astype(str)
    fids = rows["framework_id"].astype("object").fillna("").astype(str)
    pairs = set(zip(pids, fids, strict=True))
    scope_known = "" in set(fids)
    own = findings["framework_id"].astype("object").fillna("").astype(str)
    comparable = [
        (not scope_known or (str(p), "") in pairs) if f == "" else (str(p), f) in pairs
        for p, f in zip(findings["partnership_id"], own, strict=True)
    ]
    return pd.Series(comparable, index=findings.index, dtype=bool)


def mark_carried(
    findings: pd.DataFrame, rounds: Sequence[str], assessed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add ``since_last_round``: ``new``, ``continuing`` or ``first assessed``.

    Blank in the first round scored.

    Args:
        findings: every round's findings (round, partnership_id, code, framework_id).
        rounds: the rounds scored.
        assessed: which frameworks were scored for which partnership in which round
            (``dimension_scores`` rows will do), and, with a blank framework, which
            partnerships were in scope in which round; without it everything counts as
            looked at in every round.
    """
    out = findings.copy()
    out["since_last_round"] = ""
    if out.empty:
        return out
    keys = _keys(out)
    for this_round in sorted({str(r) for r in out["round"]}):
        before = previous_round(rounds, this_round)
        if before is None:
            continue
        seen = set(keys[out["round"].astype(str) == before])
        mine = out["round"].astype(str) == this_round
        compared = _scored_in(out[mine], assessed, before)
        out.loc[mine, "since_last_round"] = [
            CONTINUING if k in seen else (NEW if ok else FIRST_ASSESSED)
            for k, ok in zip(keys[mine], compared, strict=True)
        ]
    return out


def resolved(
    findings: pd.DataFrame,
    this_round: str,
    rounds: Sequence[str],
    assessed: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The previous round's findings that this round no longer has (``resolved``).

    A finding about a framework that was not scored this round is not resolved: it was
    not looked at (``assessed`` as for :func:`mark_carried`).
    """
    before = previous_round(rounds, this_round)
    if before is None or findings.empty:
        return findings.iloc[0:0]
    keys = _keys(findings)
    now = set(keys[findings["round"].astype(str) == this_round])
    earlier = (findings["round"].astype(str) == before) & ~keys.isin(now)
    gone = findings[earlier]
    return gone[_scored_in(gone, assessed, this_round)].reset_index(drop=True)


def resolved_by_round(
    findings: pd.DataFrame, rounds: Sequence[str], assessed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every round's resolved findings (``resolved_findings``).

    One row per finding of the round before that the round no longer has: ``round`` is
    the round it was resolved by, ``previous_round`` the round it was found in
    (``assessed`` as for :func:`mark_carried`).
    """
    parts = []
    for this_round in sorted(rounds):
        gone = resolved(findings, this_round, rounds, assessed)
        if len(gone):
            parts.append(
                gone.drop(columns=["since_last_round"], errors="ignore").assign(
                    previous_round=gone["round"].astype(str), round=this_round
                )
            )
    if not parts:
        columns = [c for c in findings.columns if c != "since_last_round"]
        return pd.DataFrame(columns=[*columns, "previous_round"])
    return pd.concat(parts, ignore_index=True)


def _date(value: object) -> pd.Timestamp | None:
    """An ISO date as a timestamp (None when blank or unreadable)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return pd.Timestamp(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class ActionProgress:
    """One action of the previous round and where it stands.

    Attributes:
        round: the round the progress is judged in.
        previous_round: the round the action was set in.
        partnership_id: whose action it is.
        finding: the finding code the action answers.
        priority: the action's priority.
        action: what was to be done.
        due_date: when it was due (ISO).
        reported: what the officer's return said ('not reported' when it said nothing).
        status: ``done``, ``dropped``, ``in progress``, ``not started``,
            ``not reported`` or ``overdue``.
    """

    round: str
    previous_round: str
    partnership_id: str
    finding: str
    priority: str
    action: str
    due_date: str
    reported: str
    status: str


PROGRESS_COLUMNS = tuple(f.name for f in fields(ActionProgress))


def action_progress(
    actions: pd.DataFrame, statuses: pd.DataFrame, this_round: str, rounds: Sequence[str]
) -> pd.DataFrame:
    """Last round's actions with their status, for partnerships whose return gave any.

    Args:
        actions: the action lists of every round (``actions``).
        statuses: every return's ``action-statuses.csv`` rows (round, partnership_id,
            finding, action, status).
        this_round: the round the progress is judged in (as at its end).
        rounds: every round scored.
    """
    from evalkit.method.rules import round_end

    before = previous_round(rounds, this_round)
    empty = pd.DataFrame(columns=list(PROGRESS_COLUMNS))
    if before is None or actions.empty or statuses.empty:
        return empty
    told = statuses[statuses["round"].astype(str) == before]
    reported = {
        (str(p), str(f)): str(s)
        for p, f, s in zip(told["partnership_id"], told["finding"], told["status"], strict=True)
        if isinstance(s, str) and s
    }
    returned = set(told["partnership_id"].astype(str))
    last = actions[
        (actions["round"].astype(str) == before)
        & actions["partnership_id"].astype(str).isin(returned)
    ]
    as_of = round_end(this_round)
    rows = []
    for act in last.itertuples(index=False):
        said = reported.get((str(act.partnership_id), str(act.finding)), NOT_REPORTED)
        due = _date(act.due_date)
        late = due is not None and due < as_of and said not in (DONE, DROPPED)
        rows.append(
            ActionProgress(
                round=this_round,
                previous_round=before,
                partnership_id=str(act.partnership_id),
                finding=str(act.finding),
                priority=str(act.priority),
                action=str(act.action),
                due_date="" if due is None else f"{due:%Y-%m-%d}",
                reported=said,
                status=OVERDUE if late else said,
            )
        )
    if not rows:
        return empty
    return pd.DataFrame([asdict(r) for r in rows], columns=list(PROGRESS_COLUMNS))
