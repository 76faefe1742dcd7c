"""What the committee cover report says, worked out once from the scored portfolio.

:func:`cover_report` turns the portfolio (:class:`evalkit.report.overview.Overview`,
read by :func:`evalkit.report.overview.load_overview`) into a :class:`CoverReport`:
every sentence, recommendation and table row the report shows. The web page
(:mod:`.page`) and the Word document (:mod:`.document`) only lay it out, so the three
formats always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from evalkit import __version__
from evalkit.method.rules import plural
from evalkit.report.committee.progress import ProgressSection, progress_section
from evalkit.report.fragments import and_list, text_or
from evalkit.report.overview.main_points import PRIORITIES, findings_points, in_scope_rows
from evalkit.report.overview.main_points import by_code as findings_by_code
from evalkit.report.overview.provenance import frameworks_used
from evalkit.report.words import date_in_words, finding_phrase

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: Recommendations made from findings at most (then one on reporting progress).
MAX_FINDING_RECOMMENDATIONS = 4
#: A recommendation names the partnerships when there are at most this many.
MAX_NAMED = 4
#: The pack each row links to, relative to the reports folder (``{id}``: the partnership).
PACK_PDF = "{id}/evidence-pack.pdf"
PACK_HTML = "{id}/evidence-pack.html"


@dataclass(frozen=True)
class PackRow:
    """One partnership's line in the table of evidence packs.

    Attributes:
        partnership_id: the partnership's id (its pack's folder).
        name: the partnership's name.
        lead: the lead officer and directorate, as one line.
        counts: findings by priority (``high``, ``medium``, ``low``).
    """

    partnership_id: str
    name: str
    lead: str
    counts: dict[str, int]

    @property
    def page(self) -> str:
        """The pack's web page, relative to the reports folder."""
        return PACK_HTML.format(id=self.partnership_id)

    @property
    def pdf(self) -> str:
        """The pack's PDF, relative to the reports folder."""
        return PACK_PDF.format(id=self.partnership_id)


@dataclass(frozen=True)
class CoverReport:
    """Everything the committee cover report says, in the order it says it.

    Attributes:
        title: the report's title.
        dataset: the name of the portfolio's data.
        assessment_round: the round reported on.
        as_of: the date the position is given at, in words ("31 March 2025").
        as_of_iso: the same date as ISO text ("2025-03-31"; blank if unknown).
        notice: the invented-data notice, when the data is invented.
        purpose: why the committee has the report, in one sentence.
        summary: what was found, one sentence a point.
        recommendations: what the committee is asked to do, in order.
        packs: one row per in-scope partnership, by name.
        method: how the report was produced, one sentence a point.
        progress: what changed since the last round, when there was one (the
            twelve-month progress report); None in a first round.
    """

    title: str
    dataset: str
    assessment_round: str
    as_of: str
    as_of_iso: str
    notice: str | None
    purpose: str
    summary: tuple[str, ...]
    recommendations: tuple[str, ...]
    packs: tuple[PackRow, ...]
    method: tuple[str, ...]
    progress: ProgressSection | None = None

    @property
    def dated(self) -> str:
        """The round and the date, as one line under the title."""
        when = f"; position as at {self.as_of}" if self.as_of else ""
        return f"Assessment round {self.assessment_round}{when}."


def cover_report(view: Overview) -> CoverReport:
    """Work out the cover report's every sentence and row from the portfolio."""
    findings = in_scope_rows(view, view.scores.get("findings", pd.DataFrame()))
    pack_rows = _pack_rows(view, findings)
    return CoverReport(
        title=f"Partnership review {view.assessment_round}: report to the scrutiny committee",
        dataset=view.dataset.title,
        assessment_round=view.assessment_round,
        as_of=date_in_words(view.scoring.as_of),
        as_of_iso=view.scoring.as_of,
        notice=view.notice,
        purpose=(
            f"This report summarises the evidence packs on the council's "
            f"{plural(len(pack_rows), 'partnership')} in scope for review in the "
            f"{view.assessment_round} round, and asks the committee to agree what happens next."
        ),
        summary=tuple(findings_points(view, findings)),
        recommendations=tuple(_recommendations(view, findings)),
        packs=tuple(pack_rows),
        method=tuple(_method(view)),
        progress=progress_section(view),
    )


def _mode(values: pd.Series) -> str | None:
    """The commonest text in a column (the first in order of a tie), or None."""
    values = values.dropna().astype(str)
    values = values[values != ""]
    return str(values.value_counts(sort=True).index[0]) if len(values) else None


def _timescale(view: Overview, code: str) -> str | None:
    """The commonest timescale the action list gives a finding code."""
    actions = view.scores.get("actions", pd.DataFrame())
    if actions.empty or "finding" not in actions or "timescale" not in actions:
        return None
    answers = actions["finding"].astype(str).str.split(r",\s*").map(lambda codes: code in codes)
    return _mode(actions.loc[answers, "timescale"])


def _recommendation(view: Overview, findings: pd.DataFrame, code: str) -> str:
    """Ask the lead officers of the partnerships with one finding to act on it."""
    rows = findings[findings["code"] == code]
    names = sorted({view.names.get(p, p) for p in rows["partnership_id"]})
    who = f"the {plural(len(names), 'partnership')}" if len(names) > 1 else "the partnership"
    listed = f" ({and_list(names)})" if len(names) <= MAX_NAMED else ""
    when = _timescale(view, code)
    action = _mode(rows["action"]) if "action" in rows else None
    text = (
        f"Ask the lead {'officers' if len(names) > 1 else 'officer'} of {who} with "
        f"{finding_phrase(code)}{listed} to report back"
    )
    text += f" {when}" if when else ""
    if action:
        action = action.strip()
        return f"{text} on this action: {action}{'' if action.endswith(('.', '?', '!')) else '.'}"
    return f"{text} on what they will do about it."


def _recommendations(view: Overview, findings: pd.DataFrame) -> list[str]:
    """Every high-priority code, then the commonest medium ones, then reporting progress."""
    if findings.empty:
        return ["Note that no findings were raised for the partnerships in scope this round."]
    by_code = findings_by_code(findings)
    chosen = list(by_code.loc[by_code["severity"] == "high", "code"])
    medium = [c for c in by_code.loc[by_code["severity"] == "medium", "code"] if c not in chosen]
    chosen += medium[: max(0, MAX_FINDING_RECOMMENDATIONS - len(chosen))]
    recommendations = [_recommendation(view, findings, code) for code in chosen]
    actions = in_scope_rows(view, view.scores.get("actions", pd.DataFrame()))
    recommendations.append(
        f"Note the {plural(len(actions), 'action')} in the evidence packs, each with an owner "
        "and a timescale, and ask officers to report progress on them with the next round's "
        "packs."
    )
    return recommendations


def _pack_rows(view: Overview, findings: pd.DataFrame) -> list[PackRow]:
    """One row per in-scope partnership, by name, with its findings by priority."""
    rows = []
    for record in view.in_scope.sort_values("name").itertuples(index=False):
        pid = str(record.partnership_id)
        own = findings[findings["partnership_id"] == pid] if len(findings) else findings
        counts = {s: int((own["severity"] == s).sum()) if len(own) else 0 for s in PRIORITIES}
        lead = f"{text_or(record.lead_officer)}, {text_or(record.lead_directorate)}"
        rows.append(PackRow(pid, str(record.name), lead, counts))
    return rows


def _method(view: Overview) -> list[str]:
    """How the report was made: the frameworks, the round, evalkit's version."""
    used = frameworks_used(view)
    titles = [view.frameworks[f].name if f in view.frameworks else f for f in used]
    frameworks = (
        f"Partnerships were scored against {plural(len(titles), 'published framework')}: "
        f"{and_list(titles)}."
        if titles
        else "No framework was scored this round."
    )
    return [
        frameworks,
        f"Scores, findings and actions are for the {view.assessment_round} assessment round; "
        "each finding follows a published rule, and each partnership's evidence pack shows the "
        "evidence behind it.",
        f"Made with evalkit version {__version__}, from the same data as the evidence packs "
        "and the portfolio overview.",
    ]
