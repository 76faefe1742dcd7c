"""Read a register as an officer lays it out: title rows, merged cells, formulas.

Registers kept by people rarely start with their header in row 1: a title, a note on
who keeps it and a blank row often come first. This module finds the header row by
scoring the first rows against the contract's headers, fills every cell of a merged
range with the value a person sees (its top-left cell), and finds formulas a program
saved without their result, which would otherwise read as blank cells.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils.cell import get_column_letter, range_boundaries

from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.normalise import header_key

#: How many of the first non-blank rows are searched for the header row.
HEADER_SEARCH_ROWS = 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

Rows = list[tuple[int, list[object]]]


@dataclass(frozen=True)
class HeaderChoice:
    """The row chosen as a table's header, and how well it matched.

    Attributes:
        position: its index in the list of non-blank rows.
        row: its row number (as Excel or a text editor shows it).
        matched: contract columns its cells name.
        required_missing: required contract columns none of its cells name.
    """

    position: int
    row: int
    matched: tuple[str, ...]
    required_missing: tuple[str, ...]


def header_names(name: str) -> dict[str, str]:
    """Every accepted header of table ``name`` (compared by :func:`header_key`) → column.

    A column's name is always accepted, and so is its label (the heading evalkit's own
    downloads use), unless the label would also name another column.
    """
    spec = TABLES_BY_NAME[name]
    names = {header_key(c.name): c.name for c in spec.columns}
    for col in spec.columns:
        if col.label:
            names.setdefault(header_key(col.label), col.name)
    return names


def find_header(name: str, rows: Rows) -> HeaderChoice:
    """The first of the first ``HEADER_SEARCH_ROWS`` rows naming the most contract columns."""
    spec = TABLES_BY_NAME[name]
    accepted = header_names(name)
    best: HeaderChoice | None = None
    for position, (number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        matched = tuple(
            dict.fromkeys(accepted[k] for v in values if (k := header_key(v)) in accepted)
        )
        if best is None or len(matched) > len(best.matched):
            missing = tuple(c.name for c in spec.columns if c.required and c.name not in matched)
            best = HeaderChoice(position, number, matched, missing)
    assert best is not None  # rows is never empty here
    return best


def header_is_convincing(name: str, choice: HeaderChoice) -> bool:
    """Whether the chosen row names at least half of the table's required columns."""
    required = sum(1 for c in TABLES_BY_NAME[name].columns if c.required)
    found = required - len(choice.required_missing)
    return bool(choice.matched) and found * 2 >= required


def letter(position: int) -> str:
    """The column letter of a 0-based position: 0 → A, 27 → AB."""
    return get_column_letter(position + 1)


@dataclass
class SheetXml:
    """What openpyxl's read-only mode does not give: merged ranges, unsaved results.

    Attributes:
        merged: merged ranges as (first row, first column, last row, last column), 1-based.
        uncached: cells (e.g. ``C7``) holding a formula saved without its result.
    """

    merged: list[tuple[int, int, int, int]]
    uncached: list[str]


def scan_sheet_xml(path: Path, part: str) -> SheetXml:
    """Stream a sheet's XML once for its merged ranges and formulas saved without a result.

    The workbook has already passed :func:`evalkit.inputs.files.check_zip`, so the part's
    size is bounded; elements are cleared as they are read.
    """
    from defusedxml.ElementTree import iterparse

    found = SheetXml([], [])
    if not part or not _has_formulas_or_merges(path, part.lstrip("/")):
        return found
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as xml:
        for _, element in iterparse(xml, events=("end",)):
            tag = element.tag
            if tag == f"{_MAIN}c":
                formula = element.find(f"{_MAIN}f")
                value = element.find(f"{_MAIN}v")
                # an empty result of type "str" is a formula giving "" (a blank a person
                # sees too); an empty result of any other type was never calculated
                empty = value is None or not (value.text or "")
                if formula is not None and empty and element.get("t") != "str":
                    found.uncached.append(str(element.get("r", "")))
                element.clear()
            elif tag == f"{_MAIN}row":
                element.clear()
            elif tag == f"{_MAIN}mergeCell":
                ref = str(element.get("ref", ""))
                if ":" in ref:
                    min_col, min_row, max_col, max_row = range_boundaries(ref)
                    if None not in (min_col, min_row, max_col, max_row):
                        found.merged.append(
                            (
                                int(min_row or 0),
                                int(min_col or 0),
                                int(max_row or 0),
                                int(max_col or 0),
                            )
                        )
    return found


#: A formula element (with or without a namespace prefix), or a merged range.
_WORTH_PARSING = re.compile(rb"<(?:\w+:)?f[\s>/]|mergeCell")


def _has_formulas_or_merges(path: Path, part: str, chunk: int = 1 << 20) -> bool:
    """Whether a sheet's XML holds a formula or a merged range (a fast byte search)."""
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as xml:
        while block := xml.read(chunk):
            if _WORTH_PARSING.search(tail + block):
                return True
            tail = block[-16:]
    return False


def fill_merged(
    rows: Rows, merged: list[tuple[int, int, int, int]], max_cells: int
) -> tuple[Rows, set[tuple[int, int]]]:
    """Give every cell of a merged range its top-left value, as a person sees it.

    Returns the rows and the cells filled as copies, (row number, 0-based position),
    so that a header or note merged across columns is not read as a second header or
    as values under a blank header. Ranges are cut to the rows and columns the sheet
    really uses, and the cells filled never pass ``max_cells``, so a range declared over
    the whole sheet costs nothing.
    """
    copies: set[tuple[int, int]] = set()
    if not merged or not rows:
        return rows, copies
    by_number = {number: list(values) for number, values in rows}
    last_row = max(by_number)
    widest = max(len(values) for values in by_number.values())
    filled = 0
    for first_row, first_col, last, last_col in merged:
        source = by_number.get(first_row)
        if source is None or first_col > len(source):
            continue
        value = source[first_col - 1]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        for number in range(first_row, min(last, last_row) + 1):
            cells = by_number.setdefault(number, [])
            stop = min(last_col, widest)
            if len(cells) < stop:
                cells.extend([None] * (stop - len(cells)))
            for col in range(first_col, stop + 1):
                cells[col - 1] = value
                if (number, col) != (first_row, first_col):
                    copies.add((number, col - 1))
                filled += 1
                if filled > max_cells:
                    return sorted(by_number.items()), copies
    return sorted(by_number.items()), copies
