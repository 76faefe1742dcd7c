"""Stable ids for the pack's sections, and the section a finding rests on.

Every section heading of a pack carries an ``id`` that does not change between rounds
or partnerships (``#risk``, ``#framework-nuffield-pat``), so a finding can link to the
evidence behind it, a contents list can point at a section, and a reader can share a
link to one part of a pack. :func:`evidence_anchor` says which section holds the
evidence for a finding code.
"""

from __future__ import annotations

from evalkit.report.fragments import escape

MAIN_POINTS = "main-points"
ABOUT = "about"
SUMMARY = "summary"
GOVERNANCE = "governance"
VALUE_FOR_MONEY = "value-for-money"
RISK = "risk"
SWOT = "swot"
IMPACT = "impact"
CHANGE = "change"
FINDINGS = "findings"
ACTIONS = "action-plan"
ACTION_PROGRESS = "action-progress"
QUALITY = "data-quality"
PROVENANCE = "provenance"
DATA = "data"
APPENDIX = "appendix"

#: The section holding the evidence for each finding code that is not about a framework.
EVIDENCE_SECTION = {
    "no-evidence": SUMMARY,
    "no-governing-document": GOVERNANCE,
    "governing-document-old": GOVERNANCE,
    "no-exit-arrangements": GOVERNANCE,
    "review-overdue": GOVERNANCE,
    "review-never-recorded": GOVERNANCE,
    "toolkit-not-used": GOVERNANCE,
    "council-accountable-body": GOVERNANCE,
    "outcome-wrong-way": IMPACT,
    "target-missed": IMPACT,
    "unit-cost-rising": VALUE_FOR_MONEY,
    "high-risk": RISK,
    "action-overdue": ACTIONS,
}


def framework_anchor(framework_id: str) -> str:
    """The id of a framework's section: ``framework-<id>``."""
    return f"framework-{framework_id}"


def evidence_anchor(code: str, framework_id: object = None) -> str:
    """The id of the section a finding rests on: its framework's, else by its code."""
    if isinstance(framework_id, str) and framework_id:
        return framework_anchor(framework_id)
    return EVIDENCE_SECTION.get(code, SUMMARY)


def section_heading(level: int, text: str, anchor: str) -> str:
    """A heading with a stable ``id`` (text escaped)."""
    return f'<h{level} id="{escape(anchor)}">{escape(text)}</h{level}>'


def compact(figure: str) -> str:
    """A chart printed at three quarters of the text width (``.compact-chart`` in the CSS).

    For charts of a few bars or cells, which stay legible smaller; a committee-sized pack
    keeps its length down this way. On screen nothing changes.
    """
    return f'<div class="compact-chart">{figure}</div>'


def link(anchor: str, text: str) -> str:
    """An in-page link to a section (text escaped)."""
    return f'<a href="#{escape(anchor)}">{escape(text)}</a>'


#: Each fixed section's title as a finding's evidence link shows it.
SECTION_TITLES = {
    SUMMARY: "Summary of results",
    GOVERNANCE: "Register facts and governance",
    VALUE_FOR_MONEY: "Value for money",
    RISK: "Risk",
    IMPACT: "Evidence of impact",
    ACTIONS: "Action plan",
}
