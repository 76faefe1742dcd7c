"""The portfolio's main points: what a reader who stops after the first page should know.

The same points open the overview and the committee cover report (which adds its
recommendations): the register and how much of it was scored, the findings by priority,
the commonest findings, the partnerships with a high-priority finding, reviews overdue,
and the money the council puts in. Each point gives its number and what it is out of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report.fragments import and_list, date_text, escape, heading
from evalkit.report.overview.money import with_inputs
from evalkit.report.overview.reviews import overdue_and_never
from evalkit.report.words import finding_phrase

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: The priorities counted, most urgent first.
PRIORITIES = ("high", "medium", "low")
#: How many of the most common findings a point names.
MOST_COMMON = 3


def in_scope_rows(view: Overview, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a score table that belong to in-scope partnerships."""
    if frame.empty or "partnership_id" not in frame:
        return frame
    keep = frame["partnership_id"].isin(set(view.in_scope["partnership_id"]))
    return frame[keep].reset_index(drop=True)


def by_code(findings: pd.DataFrame) -> pd.DataFrame:
    """Per code: its priority, findings and partnerships affected, most partnerships first."""
    return (
        findings.groupby("code")
        .agg(
            severity=("severity", "first"),
            findings=("code", "size"),
            partnerships=("partnership_id", "nunique"),
        )
        .reset_index()
        .sort_values(["partnerships", "findings", "code"], ascending=[False, False, True])
        .reset_index(drop=True)
    )


def findings_points(view: Overview, findings: pd.DataFrame) -> list[str]:
    """Scope, findings by priority, the commonest findings and the high priorities.

    Args:
        view: the portfolio.
        findings: the round's findings for in-scope partnerships (:func:`in_scope_rows`).
    """
    register, in_scope = len(view.register), len(view.in_scope)
    points = [
        f"The register holds {plural(register, 'partnership')}; {in_scope} "
        f"{'is' if in_scope == 1 else 'are'} in scope for review, and {_assessed(view)} of "
        f"them had evidence scored against at least one framework in {view.assessment_round}."
    ]
    if findings.empty:
        return [*points, "No findings were raised for the partnerships in scope."]
    counts = []
    for severity in PRIORITIES:
        rows = findings[findings["severity"] == severity]
        if rows.empty:
            counts.append(f"no {severity}-priority findings")
            continue
        counts.append(
            f"{plural(len(rows), f'{severity}-priority finding')} affecting "
            f"{plural(int(rows['partnership_id'].nunique()), 'partnership')}"
        )
    points.append(f"Across the portfolio there are {and_list(counts)}.")
    top = by_code(findings).head(MOST_COMMON)
    named = [
        f"{finding_phrase(code)} ({plural(n, 'partnership')})"
        for code, n in zip(top["code"], top["partnerships"], strict=True)
    ]
    most = "findings are" if len(named) > 1 else "finding is"
    points.append(f"The most common {most} {and_list(named)}.")
    high = findings[findings["severity"] == "high"]
    names = sorted({view.names.get(p, p) for p in high["partnership_id"]})
    if names:
        have = "has a high-priority finding" if len(names) == 1 else "have high-priority findings"
        points.append(f"{plural(len(names), 'partnership')} {have}: {and_list(names)}.")
    else:
        points.append("No partnership in scope has a high-priority finding.")
    return points


def reviews_point(view: Overview) -> str:
    """How many in-scope partnerships are overdue for review, and how many never reviewed."""
    overdue, never = overdue_and_never(view.in_scope, view.as_of)
    total = len(view.in_scope)
    return (
        f"At {date_text(view.as_of)}, {len(overdue)} of the {plural(total, 'partnership')} in "
        f"scope {'is' if len(overdue) == 1 else 'are'} overdue for review and {len(never)} "
        f"{'has' if len(never) == 1 else 'have'} no review recorded at all."
    )


def money_point(view: Overview) -> str | None:
    """What the council puts in a year, and the partnership that takes the largest share."""
    reg = with_inputs(view)
    total = float(reg["total"].sum())
    if reg.empty or total <= 0:
        return None
    top = reg.iloc[0]
    share = 100 * float(top["total"]) / total
    return (
        f"The council puts about £{total:,.0f} a year into its "
        f"{plural(len(reg), 'in-scope partnership')} (cash, in kind and officer time at "
        f"£{view.scoring.officer_day_rate_gbp:,.0f} a day); the most, £{float(top['total']):,.0f} "
        f"({share:.0f}%), goes to {top['name']}."
    )


def points(view: Overview) -> list[str]:
    """The overview's main points, in order."""
    findings = in_scope_rows(view, view.scores.get("findings", pd.DataFrame()))
    found = [*findings_points(view, findings), reviews_point(view), money_point(view)]
    return [p for p in found if p is not None]


def main_points_html(view: Overview) -> str:
    """The "Main points" section: a heading and the bullets."""
    items = "".join(f"<li>{escape(p)}</li>" for p in points(view))
    return heading(2, "Main points") + f'<ul class="main-points">{items}</ul>'


def _assessed(view: Overview) -> int:
    """In-scope partnerships with framework scores in the round."""
    scored = set(view.round_dimension_scores().get("partnership_id", pd.Series(dtype=str)))
    return len(scored & set(view.in_scope["partnership_id"]))
