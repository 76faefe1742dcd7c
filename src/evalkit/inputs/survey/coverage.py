"""What an import left out or could not place: the coverage report.

Printed after every import and written as ``coverage.json`` beside the imported table.
It names columns and answer texts (the form's own wording), row numbers and respondent
ids, never a name, an e-mail address or a free-text answer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from evalkit.names import shown

#: Row numbers shown per problem in the printed report.
FIRST_ROWS = 5


@dataclass(frozen=True)
class TextCount:
    """Text found in a column that the mapping does not cover, how often, and where first."""

    column: str
    text: str
    count: int
    rows: tuple[int, ...]

    def line(self, what: str, fix: str) -> str:
        """One line for the report."""
        rows = ", ".join(str(r) for r in self.rows[:FIRST_ROWS])
        more = ", ..." if self.count > FIRST_ROWS else ""
        return (
            f"{self.column}: {what} {shown(self.text)} in {self.count} row(s) ({rows}{more}); {fix}"
        )


@dataclass(frozen=True)
class Duplicate:
    """One respondent who answered twice for a partnership: the row kept and those dropped."""

    respondent_id: str
    partnership_id: str
    kept_row: int
    dropped_rows: tuple[int, ...]


@dataclass
class Coverage:
    """The coverage report of one import.

    Attributes:
        export: the export's file name.
        layout: the layout read (``microsoft-forms``...).
        framework: the framework id.
        round: the assessment round.
        rows_read: answer rows in the export.
        respondents: rows imported (after dropping duplicates and unplaced rows).
        responses: rows written to the responses table.
        missing_answers: answers read as missing (blank, "Don't know", "Not applicable").
        unmapped_columns: question columns that are no item and not ignored.
        items_not_asked: framework items no column maps to.
        unmapped_answers: answer texts neither on the scale nor in the mapping (fatal).
        unmapped_ids: partnership or organisation texts the mapping cannot turn into
            an id (fatal).
        duplicates: respondents who answered more than once (the latest kept).
        without_partnership: rows with no partnership (not imported).
        without_organisation: rows with no organisation (not imported).
        unidentified: rows with no e-mail address or name, so not checked for duplicates.
    """

    export: str
    layout: str
    framework: str
    round: str
    rows_read: int = 0
    respondents: int = 0
    responses: int = 0
    missing_answers: int = 0
    unmapped_columns: list[str] = field(default_factory=list)
    items_not_asked: list[str] = field(default_factory=list)
    unmapped_answers: list[TextCount] = field(default_factory=list)
    unmapped_ids: list[TextCount] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    without_partnership: list[int] = field(default_factory=list)
    without_organisation: list[int] = field(default_factory=list)
    unidentified: int = 0

    def problems(self) -> list[str]:
        """What stops the mapping being applied: unmapped answers and ids, one line each."""
        answers = [
            t.line("answer", "add it under 'answers:' in the mapping (a scale value or missing)")
            for t in self.unmapped_answers
        ]
        ids = [
            t.line("text", "add it under 'values:' in the mapping, with the id it means")
            for t in self.unmapped_ids
        ]
        return answers + ids

    def summary(self) -> str:
        """The report as text for a terminal (the caller makes it inert)."""
        lines = [
            f"{self.export} ({self.layout}): {self.rows_read} rows read, {self.respondents} "
            f"respondents imported, {self.responses} answers for {self.framework} "
            f"{self.round} ({self.missing_answers} missing: blank, don't know or not "
            "applicable)"
        ]
        if self.unmapped_columns:
            lines.append(
                f"Columns not imported ({len(self.unmapped_columns)}; list them "
                "under 'ignore:' if that is meant):"
            )
            lines += [f"  {c}" for c in self.unmapped_columns]
        if self.items_not_asked:
            lines.append(f"Framework items with no column: {', '.join(self.items_not_asked)}")
        for dup in self.duplicates:
            dropped = ", ".join(str(r) for r in dup.dropped_rows)
            lines.append(
                f"Duplicate: respondent {dup.respondent_id} answered for {dup.partnership_id} "
                f"more than once: row {dup.kept_row} kept (the latest), row(s) {dropped} left out"
            )
        for what, rows in (
            ("partnership", self.without_partnership),
            ("organisation", self.without_organisation),
        ):
            if rows:
                shown_rows = ", ".join(str(r) for r in rows[:FIRST_ROWS])
                more = ", ..." if len(rows) > FIRST_ROWS else ""
                lines.append(
                    f"Rows with no {what} (not imported): {len(rows)} ({shown_rows}{more})"
                )
        if self.unidentified:
            lines.append(
                f"Rows with no e-mail address or name: {self.unidentified} (each counted as "
                "a different respondent; duplicates cannot be found)"
            )
        lines += [f"ERROR {p}" for p in self.problems()]
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON (sorted keys, two-space indent, one final newline)."""
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
