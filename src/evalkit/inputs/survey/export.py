"""Read a survey tool's export: its columns (with their roles) and one row per respondent.

The file is checked and decoded by the same code as every other input
(:func:`evalkit.inputs.ingest.read_rows`); only the header rows differ from tool to tool
(:mod:`evalkit.inputs.survey.layouts`). The file is opened read-only and never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from evalkit.config import Settings
from evalkit.errors import InputFileError
from evalkit.inputs.ingest import read_rows
from evalkit.inputs.normalise import clean_text, token
from evalkit.inputs.survey.layouts import (
    LAYOUTS,
    QUALTRICS,
    SURVEYMONKEY,
    Layout,
    detect,
)

#: SurveyMonkey's second header row says this when a column is the question's only answer.
_SINGLE_ANSWER = {"response", "open-ended response", "open ended response"}


@dataclass(frozen=True)
class Column:
    """One column of an export.

    Attributes:
        position: 0 for column A.
        header: the question or metadata heading as the tool wrote it (after any
            header aliases; SurveyMonkey's two rows joined as ``question - option``).
        field_id: Qualtrics' field id (``Q1_1``), when the export has one.
        role: the metadata role (:mod:`~evalkit.inputs.survey.layouts`), None for a question.
    """

    position: int
    header: str
    field_id: str | None = None
    role: str | None = None

    @property
    def letter(self) -> str:
        """The column's letter as Excel shows it (A, B, ..., AA)."""
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.position + 1)

    @property
    def label(self) -> str:
        """The column in messages: its letter and heading."""
        return f"column {self.letter} ({self.header!r})" if self.header else f"column {self.letter}"


@dataclass(frozen=True)
class ExportRow:
    """One respondent's row: its number as seen in Excel or a text editor, and its cells."""

    number: int
    values: tuple[object, ...]

    def get(self, column: Column) -> object:
        """The cell in ``column`` (None past the end of a short row)."""
        return self.values[column.position] if column.position < len(self.values) else None


@dataclass(frozen=True)
class Export:
    """A survey export as read: its layout, columns and answer rows."""

    path: Path
    layout: Layout
    columns: tuple[Column, ...]
    rows: tuple[ExportRow, ...]

    def with_role(self, role: str) -> list[Column]:
        """The columns with one metadata role, left to right."""
        return [c for c in self.columns if c.role == role]

    @property
    def questions(self) -> list[Column]:
        """The columns that are not the tool's metadata."""
        return [c for c in self.columns if c.role is None]


def _text(value: object) -> str:
    text = clean_text(value)
    return "" if text is None else str(text)


def _aliased(row: list[object], aliases: Mapping[str, str]) -> list[str]:
    """Header cells as text, each replaced by its alias (compared ignoring case and spaces)."""
    wanted = {token(k): v for k, v in aliases.items()}
    return [wanted.get(token(cell), _text(cell)) for cell in row]


def _pad(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row))


def _columns(layout: Layout, header_rows: list[list[str]]) -> list[Column]:
    """The columns from the layout's header rows."""
    width = max(len(row) for row in header_rows)
    rows = [_pad(row, width) for row in header_rows]
    columns: list[Column] = []
    question = ""
    for position in range(width):
        first = rows[0][position]
        if layout is SURVEYMONKEY:
            question = first or question
            option = rows[1][position]
            role = layout.role(first) if first else None
            if role is not None or not option or token(option) in _SINGLE_ANSWER:
                header = first or question
            else:
                header = f"{question} - {option}" if question else option
            columns.append(Column(position, header, role=role))
        elif layout is QUALTRICS:
            header = rows[1][position] or first
            columns.append(Column(position, header, first or None, layout.role(first)))
        else:
            columns.append(Column(position, first, role=layout.role(first) if first else None))
    return columns


def read_time(value: object) -> datetime | None:
    """A completion time as a datetime: a date cell, or text (day first unless year first)."""
    import pandas as pd

    if isinstance(value, datetime):
        return value
    text = clean_text(value)
    if text is None:
        return None
    year_first = re.match(r"\d{4}[-/]", str(text)) is not None  # 2024-05-01, 2024/05/01
    parsed = pd.to_datetime(str(text), errors="coerce", dayfirst=not year_first)
    return None if pd.isna(parsed) else parsed.to_pydatetime().replace(tzinfo=None)


def read_export(
    path: Path,
    *,
    layout: str | None = None,
    aliases: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> Export:
    """Read a survey export.

    Args:
        path: the exported file (.xlsx or .csv).
        layout: the layout's name (:data:`~evalkit.inputs.survey.layouts.LAYOUTS`);
            detected from the first row when None.
        aliases: header text -> the heading the mapping uses (another language's
            headings, e.g. Welsh), applied before anything else.
        settings: the input limits.

    Raises:
        UnreadableInputError: the file cannot be read.
        InputFileError: it holds fewer rows than its layout's header rows.
    """
    rows = read_rows(path, settings)
    if not rows:
        raise InputFileError(f"{path.name}: the export is empty (no headings, no answers)")
    first = _aliased(rows[0][1], aliases or {})
    chosen = LAYOUTS[layout] if layout else detect(list(first))
    if len(rows) < chosen.header_rows:
        raise InputFileError(
            f"{path.name}: a {chosen.title} export has {chosen.header_rows} header rows, "
            f"but the file holds only {len(rows)} rows"
        )
    header_rows = [first] + [_aliased(r, aliases or {}) for _, r in rows[1 : chosen.header_rows]]
    columns = _columns(chosen, header_rows)
    body = tuple(ExportRow(n, tuple(values)) for n, values in rows[chosen.header_rows :])
    return Export(path, chosen, tuple(columns), body)
