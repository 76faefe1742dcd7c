"""Finding codes and dates as a councillor reads them (committee cover report, overview)."""

from __future__ import annotations

from evalkit.dates import date_words

#: Each finding code as a phrase that follows "partnerships with …" (docs/scoring.md
#: says when each one fires). A code not listed here is shown as the code itself.
FINDING_PHRASES: dict[str, str] = {
    "no-evidence": "no evidence recorded this round",
    "no-governing-document": "no governing document",
    "governing-document-old": "a governing document more than three years old",
    "no-exit-arrangements": "no written exit arrangements",
    "review-overdue": "an overdue review",
    "review-never-recorded": "no review ever recorded",
    "toolkit-not-used": "the partnership toolkit not used",
    "council-accountable-body": "the council as accountable body",
    "partners-diverge": "partners disagreeing about how well it works",
    "council-view-differs": "the council's view differing from its partners'",
    "weak-dimension": "a weak area in a framework",
    "low-response": "too few survey responses",
    "many-missing-answers": "many survey answers missing",
    "evidence-missing": "ratings given without evidence",
    "outcome-wrong-way": "an outcome moving the wrong way",
    "target-missed": "a missed target",
    "unit-cost-rising": "a rising cost per output",
    "high-risk": "a risk scoring 15 or more",
}


def finding_phrase(code: str) -> str:
    """What a finding code means, as a phrase; an unknown code is quoted as it is."""
    return FINDING_PHRASES.get(code, f"the finding '{code}'")


def date_in_words(value: str) -> str:
    """An ISO date as people write it ("31 March 2025"); blank stays blank."""
    return date_words(value) if value else ""
