"""Helpers for the survey-import tests (tests/inputs/survey): real export files, a framework.

The fixtures that use them are in tests/inputs/survey/conftest.py.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from pathlib import Path

import yaml
from openpyxl import Workbook

#: A framework of three statements on the four-point agreement scale (1 to 4).
TINY = {
    "id": "tiny-survey",
    "title": "Tiny survey framework (test)",
    "edition": "1",
    "source": {"citation": "Written for the tests"},
    "confirmation": "evalkit",
    "confirmation_note": "Test only.",
    "mode": "survey",
    "scale": "agree4",
    "dimensions": [{"id": "D1", "title": "Working together"}],
    "items": [
        {
            "id": "T1",
            "dimension": "D1",
            "text": "Partners share information openly.",
            "evidence_level": "D",
        },
        {
            "id": "T2",
            "dimension": "D1",
            "text": "The joint aims are clear to every partner.",
            "evidence_level": "D",
        },
        {
            "id": "T3",
            "dimension": "D1",
            "text": "Decisions are taken in the open.",
            "evidence_level": "D",
        },
    ],
}
SECRET = bytes(range(32))


def expected_id(who: str) -> str:
    """A respondent id worked out in the test: HMAC-SHA256, first 16 hex characters."""
    return "r-" + hmac.new(SECRET, who.encode(), hashlib.sha256).hexdigest()[:16]


def write_xlsx_rows(path: Path, rows: list[list[object]]) -> Path:
    """A workbook whose first sheet holds ``rows``, as a survey tool writes it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv_rows(path: Path, rows: list[list[object]], delimiter: str = ",") -> Path:
    """A CSV file of ``rows`` (UTF-8 with a byte-order mark, as Excel saves it)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_mapping(path: Path, mapping: dict[str, object]) -> Path:
    """A mapping YAML file."""
    path.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), "utf-8")
    return path
