"""Progress since the last round, for the committee: the twelve-month progress report.

When the portfolio has a round before the one reported on, the cover report gains a
section on what changed since then (:func:`progress_section`): how many partnerships
could be compared, which improved or declined reliably (the rule of
:mod:`evalkit.method.change`, set out in each pack), how many of this round's findings
are new, and what the officer returns say about last round's actions. The web page,
the PDF and the Word document lay out the same :class:`ProgressSection`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method import register_changes as rc
from evalkit.method.carried import FIRST_ASSESSED
from evalkit.method.change import DECLINED, IMPROVED
from evalkit.method.findings import Severity
from evalkit.method.rules import plural
from evalkit.report.fragments import and_list, first_upper
from evalkit.report.overview.main_points import in_scope_rows
from evalkit.report.pack.register_change import CHANGE_LABELS, change_frame, register_rows
from evalkit.report.words import finding_phrase
from evalkit.values import is_missing

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
class ProgressTable:
    """A table of the progress section with its caption."""

    caption: str
    frame: pd.DataFrame = field(compare=False)


@dataclass(frozen=True)
class ProgressPart:
    """A part of the progress section under its own heading: sentences, then tables.

    Attributes:
        title: the part's heading.
        previous_round: the round it compares with.
        sentences: one paragraph each.
        tables: the part's tables, in order.
    """

    title: str
    previous_round: str
    sentences: tuple[str, ...]
    tables: tuple[ProgressTable, ...] = ()


@dataclass(frozen=True)
class ProgressSection:
    """What the cover report says about progress since the last round.

    Attributes:
        previous_round: the round compared with (the latest, when partnerships differ).
        points: one sentence a point.
        rows: one row per partnership compared, by name.
        parts: the register changes and the findings resolved, when there are any.
    """

    previous_round: str
    points: tuple[str, ...]
    rows: tuple[ProgressRow, ...]
    parts: tuple[ProgressPart, ...] = ()

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
    """The progress section, or None when there is nothing to compare with a round before.

    That is: no in-scope partnership has an earlier round, no register snapshot shows a
    change and no finding was resolved.
    """
    in_scope = set(view.in_scope["partnership_id"])
    changes = in_scope_rows(view, view.scores.get("changes", pd.DataFrame()))
    parts = tuple(p for p in (register_part(view), resolved_part(view)) if p is not None)
    if changes.empty:
        if not parts:
            return None
        return ProgressSection(parts[0].previous_round, (), (), parts)
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
        previous, tuple(_points(view, changes, rows, len(in_scope))), tuple(rows), parts
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
    points.append(_findings_point(view))
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


def _findings_point(view: Overview) -> str:
    """This round's findings: how many are new and how many continue."""
    findings = view.scores.get("findings", pd.DataFrame())
    if findings.empty or "since_last_round" not in findings:
        return "No findings were raised this round."
    mine = in_scope_rows(view, findings)
    marks = mine["since_last_round"].astype("object").fillna("").astype(str)
    new, continuing = int((marks == "new").sum()), int((marks == "continuing").sum())
    first = int((marks == FIRST_ASSESSED).sum())
    text = (
        f"Of this round's {plural(len(mine), 'finding')}, {new} "
        f"{'is' if new == 1 else 'are'} new and {continuing} "
        f"{'continues' if continuing == 1 else 'continue'} from the last round"
    )
    if first:
        text += (
            f"; {first} {'is' if first == 1 else 'are'} about a partnership or framework "
            "first assessed this round, so neither"
        )
    return text + "."


def _actions_point(view: Overview) -> str:
    """Last round's actions, by the status the officer returns gave them."""
    progress = in_scope_rows(view, view.scores.get("action_progress", pd.DataFrame()))
    if progress.empty:
        return "No officer return reported on last round's actions."
    counts = progress["status"].astype(str).value_counts()
    listed = [f"{int(counts[s])} {s}" for s in ACTION_STATUSES if s in counts]
    listed += [f"{int(n)} {s}" for s, n in counts.items() if s not in ACTION_STATUSES]
    return f"Of last round's {plural(len(progress), 'action')}: {and_list(listed)}."


# -- register changes -----------------------------------------------------------------


def _change_phrases(rows: pd.DataFrame) -> list[str]:
    """The register's changes counted in words, in the order of :data:`rc.KINDS`."""
    what = rows["what"].astype(str)
    after = rows["after"].astype("object").fillna("").astype(str)
    money = int(what.isin(list(rc.MONEY.values())).sum())
    review = what == rc.REVIEW
    counted = [
        (int((what == rc.ADDED).sum()), "partnership added", "partnerships added"),
        (int((what == rc.ENDED).sum()), "ended", "ended"),
        (int(((what == rc.SCOPE) & (after == "in scope")).sum()), "brought into scope", None),
        (int(((what == rc.SCOPE) & (after != "in scope")).sum()), "taken out of scope", None),
        (int((what == rc.LEGAL_FORM).sum()), "change of legal form", "changes of legal form"),
        (int((what == rc.TIER).sum()), "change of tier", "changes of tier"),
        (money, "change of money", "changes of money"),
        (int((review & (after == rc.NOT_OVERDUE)).sum()), "review no longer overdue",
         "reviews no longer overdue"),
        (int((review & (after == rc.OVERDUE)).sum()), "review now overdue", "reviews now overdue"),
    ]  # fmt: skip
    return [f"{n} {one if n == 1 or many is None else many}" for n, one, many in counted if n]


def register_part(view: Overview) -> ProgressPart | None:
    """Register changes since the last snapshot: counts by kind, then every change."""
    rows = register_rows(view.scores.get("register_changes", pd.DataFrame()), view.assessment_round)
    if rows.empty:
        return None
    before = str(rows["round_before"].iloc[0])
    sentences = [
        f"Comparing the register now with the register as it stood in {before}: "
        f"{and_list(_change_phrases(rows))}."
    ]
    overdue = view.scoring.reviews_overdue
    if before in overdue and view.assessment_round in overdue:
        sentences.append(
            f"Partnerships in scope with an overdue review: {overdue[before]} at the end of "
            f"{before}, {overdue[view.assessment_round]} at the end of {view.assessment_round}."
        )
    what = rows["what"].astype(str)
    counts = pd.DataFrame(
        {
            "Change": [CHANGE_LABELS[k] for k in rc.KINDS if (what == k).any()],
            "Number": [int((what == k).sum()) for k in rc.KINDS if (what == k).any()],
        }
    )
    return ProgressPart(
        f"Register changes since {before}",
        before,
        tuple(sentences),
        (
            ProgressTable(f"Register changes since {before}, by kind", counts),
            ProgressTable(
                f"Register changes since {before}, by partnership",
                change_frame(rows, view.names),
            ),
        ),
    )


# -- findings resolved ----------------------------------------------------------------

#: The most resolved findings listed; the rest are counted and left to the packs.
RESOLVED_SHOWN = 10
_SEVERITY_ORDER = {s.value: s.rank for s in Severity}


def resolved_part(view: Overview) -> ProgressPart | None:
    """Last round's findings this round no longer has, highest priority first (capped)."""
    gone = in_scope_rows(view, view.scores.get("resolved_findings", pd.DataFrame()))
    if gone.empty:
        return None
    before = str(gone["previous_round"].iloc[0])
    names = view.names
    gone = gone.assign(
        _rank=gone["severity"].map(_SEVERITY_ORDER).fillna(9),
        _name=gone["partnership_id"].map(lambda p: names.get(str(p), str(p))),
    ).sort_values(["_rank", "_name", "code"], kind="stable")
    shown = gone.head(RESOLVED_SHOWN)
    sentences = [
        f"{plural(len(gone), 'finding')} of {before} "
        f"{'is' if len(gone) == 1 else 'are'} no longer found in {view.assessment_round}."
    ]
    if len(gone) > RESOLVED_SHOWN:
        sentences.append(
            f"The {RESOLVED_SHOWN} of highest priority are listed; the other "
            f"{len(gone) - RESOLVED_SHOWN} are listed in each partnership's evidence pack "
            "(under Findings)."
        )
    table = pd.DataFrame(
        {
            "Partnership": list(shown["_name"]),
            "Finding": [first_upper(finding_phrase(str(c))) for c in shown["code"]],
            f"What it was in {before}": [
                str(m) if not is_missing(m) else finding_phrase(str(c))
                for c, m in zip(shown["code"], shown["message"], strict=True)
            ],
        }
    )
    return ProgressPart(
        f"Findings resolved since {before}",
        before,
        tuple(sentences),
        (ProgressTable(f"Findings of {before} resolved by {view.assessment_round}", table),),
    )
