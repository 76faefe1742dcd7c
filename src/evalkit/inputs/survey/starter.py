"""A first mapping for an export, for a person to check: ``evalkit survey mapping``.

Each question column is matched to the framework item whose statement reads most like
it: the mean of difflib's similarity of the two texts and the share of words they have
in common (Dice). Each item goes to at most one column, best matches first; a match
below :data:`THRESHOLD` is left out and the column listed as unmatched. The match score
is written beside each item as a YAML comment, so the person checking knows where to
look hardest.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.inputs.normalise import clean_text, token
from evalkit.inputs.survey import layouts
from evalkit.inputs.survey.export import Column, Export, read_time
from evalkit.terminal import inert, inert_json

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

#: Lowest score accepted as a match (0 to 1).
THRESHOLD = 0.45
_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "a an and are as at be by for from has have how in is it its of on or our that the "
    "their them there this to was we were what which who with your you".split()
)
_PARTNERSHIP = re.compile(r"partnership", re.IGNORECASE)
_ORGANISATION = re.compile(r"organi[sz]ation|employer|work for|agency", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """A question column matched to an item, and how well (0 to 1)."""

    column: Column
    item_id: str
    statement: str
    score: float


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def similarity(question: str, statement: str) -> float:
    """How alike a question and an item statement read, 0 to 1 (see the module docstring).

    A question written as ``Matrix title - statement`` (SurveyMonkey, Qualtrics, Google
    Forms grids) is also compared by its last part alone, and the better score kept.
    """
    candidates = {question, re.split(r" - |\[", question)[-1].strip(" ]")}
    best = 0.0
    for text in candidates:
        a, b = token(text), token(statement)
        ratio = difflib.SequenceMatcher(None, a, b).ratio()
        wa, wb = _words(a), _words(b)
        dice = 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0
        best = max(best, (ratio + dice) / 2)
    return best


def match_items(export: Export, framework: Framework) -> list[Match]:
    """The best match for each item, each column used once, in the export's column order."""
    pairs = sorted(
        (
            (similarity(column.header, item.text), column.position, index)
            for column in export.questions
            for index, item in enumerate(framework.items)
            if column.header
        ),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    taken_columns: set[int] = set()
    taken_items: set[int] = set()
    matches: list[Match] = []
    for score, position, index in pairs:
        if score < THRESHOLD or position in taken_columns or index in taken_items:
            continue
        taken_columns.add(position)
        taken_items.add(index)
        item = framework.items[index]
        matches.append(Match(export.columns[position], item.id, item.text, score))
    return sorted(matches, key=lambda m: m.column.position)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return inert_json(json.dumps(text, ensure_ascii=False))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "change-me"


def _guess_round(export: Export) -> str | None:
    """The financial year (April to March) of the latest completion time, when there is one."""
    columns = export.with_role(layouts.COMPLETED)
    times = [t for row in export.rows if columns and (t := read_time(row.get(columns[0])))]
    if not times:
        return None
    latest = max(times)
    start = latest.year if latest.month >= 4 else latest.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _answers_of(export: Export, column: Column) -> list[str]:
    """The column's non-blank cells as text."""
    return [str(t) for row in export.rows if (t := clean_text(row.get(column)))]


def _is_scale_column(export: Export, column: Column, scale_answers: set[str]) -> bool:
    """True when most of a column's answers are on the scale (a question, not a choice of id)."""
    texts = _answers_of(export, column)
    return sum(token(t) in scale_answers for t in texts) * 2 > len(texts)


def _source_lines(
    key: str, export: Export, pattern: re.Pattern[str], taken: set[int], scale_answers: set[str]
) -> list[str]:
    """The ``partnership:`` or ``organisation:`` block: a guessed column and its values.

    The column is the first whose heading names a partnership (or an organisation) and
    whose answers are mostly not on the scale.
    """
    column = next(
        (
            c
            for c in export.questions
            if pattern.search(c.header)
            and c.position not in taken
            and not _is_scale_column(export, c, scale_answers)
        ),
        None,
    )
    if column is None:
        return [
            f"{key}:",
            f"  value: CHANGE-ME   # CHECK: the {key} id in the register, or name a column",
        ]
    taken.add(column.position)
    texts = sorted(set(_answers_of(export, column)))
    lines = [f"{key}:", f"  column: {_quoted(column.header)}   # column {column.letter}"]
    lines.append(f"  values:   # CHECK: each text people chose -> the {key} id in the register")
    lines += [f"    {_quoted(text)}: {_slug(text)}" for text in texts]
    if not texts:
        lines[-1] = "  values: {}"
    return lines


def starter_mapping(export: Export, framework: Framework, round_: str | None = None) -> str:
    """The text of a starter mapping for ``export`` and ``framework`` (YAML with comments)."""
    matches = match_items(export, framework)
    taken = {m.column.position for m in matches}
    scale = framework.scale_def
    scale_answers = set(scale.code_map()) | scale.missing_tokens()
    guessed = _guess_round(export)
    if round_ or guessed:
        note = "" if round_ else "   # CHECK: from the latest completion time"
        round_line = f"round: {_quoted(str(round_ or guessed))}{note}"
    else:
        round_line = 'round: ""   # CHECK: the assessment round, e.g. 2024-25'

    lines = [
        f"# Starter survey mapping for {inert(export.path.name)} (evalkit survey mapping).",
        "# CHECK every line marked CHECK and every item match before importing.",
        "# Fields: docs/survey-import.md.",
        f"framework: {framework.id}",
        round_line,
        f"layout: {export.layout.name}",
        *_source_lines("partnership", export, _PARTNERSHIP, taken, scale_answers),
        *_source_lines("organisation", export, _ORGANISATION, taken, scale_answers),
        "items:",
    ]
    for match in matches:
        lines.append(
            f"  - {{item: {match.item_id}, column: {_quoted(match.column.header)}}}"
            f"   # column {match.column.letter}, match {match.score:.2f}: "
            f"{inert(match.statement)}"
        )
    missing = [i.id for i in framework.items if i.id not in {m.item_id for m in matches}]
    if missing:
        lines.append(f"  # no column matched items: {', '.join(missing)}")
    lines += _answer_lines(export, framework, matches)
    unmatched = [c for c in export.questions if c.position not in taken]
    lines.append("ignore: []")
    if unmatched:
        lines.append("# Columns matched to nothing (add them to items or ignore):")
        lines += [f"#   column {c.letter}: {inert(c.header)}" for c in unmatched]
    return "\n".join(lines) + "\n"


def _answer_lines(export: Export, framework: Framework, matches: list[Match]) -> list[str]:
    """``answers: {}`` and, as comments, answer texts that are not on the scale."""
    scale = framework.scale_def
    known = set(scale.code_map()) | scale.missing_tokens() | {""}
    unknown: Counter[str] = Counter()
    for row in export.rows:
        for match in matches:
            text = clean_text(row.get(match.column))
            if text is not None and token(text) not in known:
                unknown[str(text)] += 1
    lines = ["answers: {}"]
    if unknown:
        labels = ", ".join(f"{level.value:g} = {level.label}" for level in scale.levels)
        lines.append(f"# CHECK: answers not on the scale {scale.id} ({labels}); map each one:")
        lines += [f"#   {_quoted(text)}: ?   # {n} answers" for text, n in sorted(unknown.items())]
    return lines
