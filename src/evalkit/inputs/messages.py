"""Validation problems for a person to act on: grouped by cause, root causes first.

One renamed partnership id makes every row that uses the old id fail; listed one per
line, the real cause is lost among thousands of lines. The terminal summary therefore
shows one line per cause, with its count and the first few places, and the root
causes (files that cannot be read, missing tables and columns, ids missing from a
register) before their consequences. The JSON report still lists every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evalkit.inputs.files import ERROR, INFO, WARNING
from evalkit.terminal import inert

if TYPE_CHECKING:
    from evalkit.inputs.validate import Problem

#: How many places are shown for a group of problems.
FIRST_PLACES = 3
#: Problems that explain others: shown before the rest of their severity.
ROOT_CODES = frozenset(
    {
        "missing-from-register",
        "missing-table",
        "no-header-row",
        "duplicate-header",
        "unnamed-column",
        "formula-without-value",
        "missing-column",
        "duplicate-across-sources",
    }
)
_SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass
class ProblemGroup:
    """Problems with one cause: the same severity, code, table, column and message."""

    first: Problem
    places: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many problems the group holds."""
        return len(self.places)

    @property
    def rank(self) -> tuple[int, int]:
        """Sort order: errors, then warnings, then notes; root causes first in each."""
        root = self.first.code in ROOT_CODES or self.first.row is None
        return _SEVERITY_RANK.get(self.first.severity, 3), 0 if root else 1


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """Problems grouped by cause, in report order, root causes first."""
    groups: dict[tuple[str | None, ...], ProblemGroup] = {}
    for problem in problems:
        key = (problem.severity, problem.code, problem.table, problem.column, problem.message)
        group = groups.setdefault(key, ProblemGroup(problem))
        group.places.append(problem.location())
    return sorted(groups.values(), key=lambda g: g.rank)


def grouped_summary(problems: list[Problem]) -> list[str]:
    """Terminal lines: one per group, root causes first.

    A problem alone keeps its single line; a group of several gets a second line with
    its first few places.
    """
    lines: list[str] = []
    for group in group_problems(problems):
        if group.count == 1:
            lines.append(str(group.first))
            continue
        p = group.first
        table = f"table {p.table}" if p.table else "input"
        column = f", column {p.column}" if p.column else ""
        lines.append(
            inert(
                f"{p.severity.upper()} {group.count} rows of {table}{column}: "
                f"{p.message} [{p.code}]"
            )
        )
        shown = "; ".join(group.places[:FIRST_PLACES])
        more = group.count - FIRST_PLACES
        lines.append(inert(f"    first: {shown}" + (f"; and {more} more" if more > 0 else "")))
    return lines
