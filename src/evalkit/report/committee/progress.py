"""Progress since the last round, for the committee: the twelve-month progress report.

When the portfolio has a round before the one reported on, the cover report gains a
section on what changed since then (:func:`progress_section`): how many partnerships
could be compared, which improved or declined reliably (the rule of
:mod:`evalkit.method.change`, set out in each pack), how many of this round's findings
are new, and what the officer returns say about last round's actions. The web page,
the PDF and the Word document lay out the same :class:`ProgressSection`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.change import DECLINED, IMPROVED
from evalkit.method.rules import plural
from evalkit.report.fragments import and_list

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: The statuses of last round's actions, in the order the report counts them.
ACTION_STATUSES = ("done", "in progress", "not started", "overdue", "dropped", "not reported")


@dataclass(frozen=True)
class ProgressRow:
    """One partnership compared with its last round.

    Attributes:
        name: the partnership's name.
        previous_round: the round it is compared with.
        improved: dimensions that improved reliably.
        declined: dimensions that declined reliably.
        unchanged: dimensions with no reliable change.
    """

    name: str
    previous_round: str
    improved: int
    declined: int
    unchanged: int


@dataclass(frozen=True)
class ProgressSection:
    """What the cover report says about progress since the last round.

    Attributes:
        previous_round: the round compared with (the latest, when partnerships differ).
        points: one sentence a point.
        rows: one row per partnership compared, by name.
    """

    previous_round: str
    points: tuple[str, ...]
    rows: tuple[ProgressRow, ...]

    @property
    def title(self) -> str:
        """The section's heading."""
        return f"Progress since {self.previous_round}"

    def frame(self) -> pd.DataFrame:
        """The table of partnerships compared (the web page, the PDF and the document)."""
        return pd.DataFrame(
            {
                "Partnership": [r.name for r in self.rows],
                "Compared with": [r.previous_round for r in self.rows],
                "Improved": [r.improved for r in self.rows],
                "Declined": [r.declined for r in self.rows],
                "No reliable change": [r.unchanged for r in self.rows],
            }
        )


#: The caption of the table of partnerships compared.
PROGRESS_CAPTION = "Framework dimensions compared with the last round, by partnership"


def progress_section(view: Overview) -> ProgressSection | None:
    """The progress section, or None when no in-scope partnership has an earlier round."""
    in_scope = set(view.in_scope["partnership_id"])
    changes = view.scores.get("changes", pd.DataFrame())
    if not changes.empty:
        changes = changes[changes["partnership_id"].isin(in_scope)]
    if changes.empty:
        return None
    previous = str(max(changes["previous_round"].astype(str)))
    rows = []
    for pid, group in changes.groupby("partnership_id", sort=False):
        calls = group["call"].astype(str)
        improved, declined = int((calls == IMPROVED).sum()), int((calls == DECLINED).sum())
        rows.append(
            ProgressRow(
                view.names.get(str(pid), str(pid)),
                str(max(group["previous_round"].astype(str))),
                improved,
                declined,
                len(group) - improved - declined,
            )
        )
    rows.sort(key=lambda r: r.name)
    return ProgressSection(
        previous, tuple(_points(view, changes, rows, len(in_scope))), tuple(rows)
    )


def _points(
    view: Overview, changes: pd.DataFrame, rows: list[ProgressRow], in_scope: int
) -> list[str]:
    compared = len(rows)
    up = sum(r.improved > 0 for r in rows)
    down = sum(r.declined > 0 for r in rows)
    improved, declined = sum(r.improved for r in rows), sum(r.declined for r in rows)
    rest = len(changes) - improved - declined
    points = [
        f"{compared} of the {plural(in_scope, 'partnership')} in scope "
        f"{'was' if compared == 1 else 'were'} scored in an earlier round too, so "
        f"{'its' if compared == 1 else 'their'} results can be compared; "
        f"{up} improved reliably on at least one framework dimension and {down} declined "
        "on at least one.",
        f"Of the {plural(len(changes), 'dimension')} compared, {improved} improved, "
        f"{declined} declined and {rest} show no reliable change. A change is called only "
        "when enough people answered in both rounds and it is large enough (each pack's "
        "'Change since the last round' section gives the rule).",
    ]
    points.append(_findings_point(view, in_scope=set(view.in_scope["partnership_id"])))
    points.append(_actions_point(view))
    points.append(_returns_point(view, in_scope))
    return points


def _returns_point(view: Overview, in_scope: int) -> str:
    """How many partnerships in scope sent their officer return for the round."""
    ids = set(view.in_scope["partnership_id"])
    received = len(ids & set(view.scoring.returns_received.get(view.assessment_round, ())))
    return (
        f"Officer returns for {view.assessment_round} came from {received} of the "
        f"{plural(in_scope, 'partnership')} in scope."
    )


def _findings_point(view: Overview, in_scope: set[str]) -> str:
    """This round's findings: how many are new and how many continue."""
    findings = view.scores.get("findings", pd.DataFrame())
    if findings.empty or "since_last_round" not in findings:
        return "No findings were raised this round."
    mine = findings[findings["partnership_id"].isin(in_scope)]
    marks = mine["since_last_round"].astype("object").fillna("").astype(str)
    new, continuing = int((marks == "new").sum()), int((marks == "continuing").sum())
    return (
        f"Of this round's {plural(len(mine), 'finding')}, {new} "
        f"{'is' if new == 1 else 'are'} new and {continuing} "
        f"{'continues' if continuing == 1 else 'continue'} from the last round."
    )


def _actions_point(view: Overview) -> str:
    """Last round's actions, by the status the officer returns gave them."""
    progress = view.scores.get("action_progress", pd.DataFrame())
    if not progress.empty:
        progress = progress[progress["partnership_id"].isin(set(view.in_scope["partnership_id"]))]
    if progress.empty:
        return "No officer return reported on last round's actions."
    counts = progress["status"].astype(str).value_counts()
    listed = [f"{int(counts[s])} {s}" for s in ACTION_STATUSES if s in counts]
    listed += [f"{int(n)} {s}" for s, n in counts.items() if s not in ACTION_STATUSES]
    return f"Of last round's {plural(len(progress), 'action')}: {and_list(listed)}."
