"""Read a returned workbook and check it again, cell by cell.

Excel does not enforce dropdowns (a pasted value bypasses them), so every cell is read
back through the contract's normalisers (:mod:`evalkit.inputs.normalise`) and checked
against its column, scale or list. Problems name the workbook, sheet and cell (A1), the
value found and what was expected, all in one pass. A return whose metadata or structure
does not match (another partnership or round, an older template, renamed sheets or
headings, the metadata sheet deleted) is refused as a whole; a return with bad cells is
read without those cells (a row whose required cell is bad is left out) and its problems
listed for the officer to correct.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit.errors import InputFileError
from evalkit.inputs.contract import CHECKLIST, PARTNERSHIPS, ColumnSpec
from evalkit.inputs.files import check_workbook
from evalkit.inputs.normalise import clean_text, header_key, is_valid, normalise_column, token
from evalkit.inputs.returns.template import (
    ACTION_HEADERS,
    ACTION_STATUSES,
    ACTIONS_SHEET,
    CHECKLIST_HEADERS,
    CONFIRM_CHOICES,
    META_SHEET,
    REGISTER_HEADERS,
    REGISTER_SHEET,
    SIGN_OFF_FIELDS,
    SIGN_OFF_HEADERS,
    SIGN_OFF_SHEET,
    TEMPLATE_VERSION,
    ChecklistSheet,
    TableSheet,
    Template,
)
from evalkit.names import id_problem, shown, without_paths

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from evalkit.config import Settings
    from evalkit.method.framework import Framework

#: Columns of the action statuses table an ingested return writes.
ACTION_STATUS_COLUMNS = ("round", "partnership_id", "finding", "action", "status", "comment")
#: Columns of the register corrections listed for the register keeper.
CORRECTION_COLUMNS = ("partnership_id", "column", "in_register", "proposed", "sheet_cell")


@dataclass(frozen=True)
class ReturnProblem:
    """One problem in a returned workbook, located to the cell.

    Attributes:
        workbook: the file's name (never its folder).
        sheet: the sheet, or "" for the whole workbook.
        cell: the A1 reference, or "" for a whole sheet.
        found: the value found, shown inert.
        expected: what was expected, in plain words.
        refuses: True when the whole return cannot be used (metadata or structure).
    """

    workbook: str
    sheet: str
    cell: str
    found: str
    expected: str
    refuses: bool = False

    def line(self) -> str:
        """One line for the terminal: workbook → sheet → cell: found; expected."""
        where = " → ".join(p for p in (self.workbook, self.sheet, self.cell) if p)
        return f"{where}: found {self.found}; expected {self.expected}"


@dataclass
class ReadReturn:
    """What one returned workbook holds, and what is wrong with it.

    Attributes:
        path: the workbook read.
        partnership_id: from its metadata ("" when unreadable).
        round: from its metadata ("" when unreadable).
        tables: contract table name (plus ``action_statuses``) → rows read.
        corrections: register corrections the officer proposes.
        problems: every problem, refusing ones first.
    """

    path: Path
    partnership_id: str = ""
    round: str = ""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)
    problems: list[ReturnProblem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """True when the return cannot be used at all."""
        return any(p.refuses for p in self.problems)


def _show(value: object) -> str:
    """A value found, for a message: quoted, or 'blank'."""
    return "blank" if clean_text(value) is None else shown(value)


class _Reader:
    """Collects problems while reading one workbook."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.problems: list[ReturnProblem] = []

    def problem(
        self, sheet: str, cell: str, found: object, expected: str, *, refuses: bool = False
    ) -> None:
        found_text = found if isinstance(found, str) and refuses else _show(found)
        self.problems.append(ReturnProblem(self.name, sheet, cell, found_text, expected, refuses))

    def headers(self, sheet: Worksheet, wanted: Sequence[str]) -> bool:
        """Check the header row; a changed heading refuses the return."""
        from openpyxl.utils import get_column_letter

        ok = True
        for column, heading in enumerate(wanted, 1):
            value = sheet.cell(row=1, column=column).value
            if header_key(value) != header_key(heading):
                ref = f"{get_column_letter(column)}1"
                self.problem(
                    sheet.title, ref, _show(value), f"the heading '{heading}'", refuses=True
                )
                ok = False
        return ok

    def cell(self, sheet: str, ref: str, value: object, spec: ColumnSpec) -> tuple[bool, object]:
        """Normalise one cell with the contract's rules; (usable, value)."""
        typed = normalise_column(pd.Series([value], dtype=object), spec).iloc[0]
        if typed is None:
            if spec.required:
                self.problem(sheet, ref, value, f"{spec.expected} (required)")
                return False, None
            return True, None
        bad = not is_valid(typed, spec)
        if not bad and isinstance(typed, int | float) and not isinstance(typed, bool):
            too_low = spec.minimum is not None and typed < spec.minimum
            too_high = spec.maximum is not None and typed > spec.maximum
            bad = too_low or too_high
        if bad:
            self.problem(sheet, ref, value, spec.expected)
            return False, None
        return True, typed


def _rows(sheet: Worksheet, width: int) -> list[tuple[int, list[Any]]]:
    """(Excel row number, values) of every non-blank row below the header."""
    out = []
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), 2):
        cells = list(values) + [None] * (width - len(values))
        if any(clean_text(v) is not None for v in cells):
            out.append((number, cells))
    return out


def _ref(column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _metadata(book: Any, reader: _Reader) -> dict[str, str]:
    """The hidden metadata (key → value); a problem when it is gone."""
    if META_SHEET not in book.sheetnames:
        reader.problem(
            "",
            "",
            "no metadata sheet",
            f"the hidden sheet '{META_SHEET}' that says which partnership and round this "
            "return is for (it was deleted: send the officer a fresh workbook)",
            refuses=True,
        )
        return {}
    sheet = book[META_SHEET]
    return {
        str(k): str(v) for k, v in sheet.iter_rows(max_col=2, values_only=True) if k is not None
    }


def _check_metadata(
    meta: Mapping[str, str],
    reader: _Reader,
    template: Template,
    partnerships: Collection[str],
    expected_round: str | None,
) -> None:
    """Right partnership, round, template version and structure."""
    if not meta:
        return
    checks = [
        (
            "partnership_id",
            meta.get("partnership_id", "") in partnerships,
            "an in-scope partnership in the register",
        ),
        (
            "round",
            expected_round is None or meta.get("round") == expected_round,
            f"round {expected_round}",
        ),
        (
            "template_version",
            meta.get("template_version") == TEMPLATE_VERSION,
            f"template version {TEMPLATE_VERSION} (make a fresh return: evalkit returns make)",
        ),
        (
            "structure_sha256",
            meta.get("structure_sha256") == template.structure_sha256,
            "the structure of the returns made now (the sheets or frameworks have changed "
            "since this one was made)",
        ),
    ]
    for key, ok, expected in checks:
        if not ok:
            found = shown(meta.get(key, "")) if meta.get(key) else "blank"
            reader.problem(META_SHEET, key, f"{key} {found}", expected, refuses=True)


def _checklist(
    sheet: Worksheet,
    reader: _Reader,
    checklist: ChecklistSheet,
    framework: Framework,
    meta: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Checklist rows from one framework sheet (unanswered items left out)."""
    scale = framework.scale_def
    accepted = set(scale.code_map()) | scale.missing_tokens()
    items = {i[0] for i in checklist.items}
    rows = []
    for number, cells in _rows(sheet, len(CHECKLIST_HEADERS)):
        item, rating, evidence, note = cells[0], cells[3], cells[4], cells[5]
        if all(clean_text(v) is None for v in (rating, evidence, note)):
            continue
        item_text = clean_text(item)
        if item_text not in items:
            reader.problem(sheet.title, _ref(1, number), item, f"an item id of {framework.id}")
            continue
        if clean_text(rating) is not None and token(rating) not in accepted:
            reader.problem(
                sheet.title, _ref(4, number), rating, "one of: " + ", ".join(checklist.choices)
            )
            rating = None
        rows.append(
            {
                "round": meta["round"],
                "partnership_id": meta["partnership_id"],
                "framework_id": framework.id,
                "item_id": item_text,
                "status": clean_text(rating),
                "evidence_ref": clean_text(evidence),
                "note": clean_text(note),
            }
        )
    return rows


def _table(
    sheet: Worksheet, reader: _Reader, table: TableSheet, partnership_id: str
) -> pd.DataFrame:
    """One contract table's rows; a row with a bad required cell is left out."""
    rows = []
    for number, cells in _rows(sheet, len(table.columns)):
        row: dict[str, Any] = {"partnership_id": partnership_id}
        keep = True
        for column, (spec, value) in enumerate(zip(table.columns, cells, strict=True), 1):
            ok, typed = reader.cell(sheet.title, _ref(column, number), value, spec)
            keep = keep and (ok or not spec.required)
            row[spec.name] = typed
        if keep:
            rows.append(row)
    columns = ["partnership_id", *table.names]
    return pd.DataFrame(rows, columns=columns)


def _register(sheet: Worksheet, reader: _Reader, partnership_id: str) -> pd.DataFrame:
    """Corrections the officer proposes to the register (checked, never applied here)."""
    columns = [c for c in PARTNERSHIPS.columns if c.name != "partnership_id"]
    confirm = ColumnSpec(
        "correct", "enum", False, "", "", allowed=CONFIRM_CHOICES, aliases={"y": "yes", "n": "no"}
    )
    out = []
    for row, spec in enumerate(columns, 2):
        answer, proposed = sheet.cell(row=row, column=3).value, sheet.cell(row=row, column=4).value
        ok, said = reader.cell(sheet.title, _ref(3, row), answer, confirm)
        if clean_text(proposed) is None:
            if said == "no":
                reader.problem(sheet.title, _ref(4, row), proposed, "the correct value")
            continue
        ok, typed = reader.cell(sheet.title, _ref(4, row), proposed, spec)
        if ok:
            out.append(
                {
                    "partnership_id": partnership_id,
                    "column": spec.name,
                    "in_register": clean_text(sheet.cell(row=row, column=2).value),
                    "proposed": clean_text(proposed),
                    "sheet_cell": f"{REGISTER_SHEET}!{_ref(4, row)}",
                }
            )
    return pd.DataFrame(out, columns=list(CORRECTION_COLUMNS))


def _actions(sheet: Worksheet, reader: _Reader, partnership_id: str) -> pd.DataFrame:
    """The status and comment the officer gave each of last round's actions."""
    status_spec = ColumnSpec("status", "enum", False, "", "", allowed=ACTION_STATUSES)
    out = []
    for number, cells in _rows(sheet, len(ACTION_HEADERS)):
        action_round, finding, action = cells[0], cells[3], cells[2]
        if clean_text(action) is None:
            continue
        ok, status = reader.cell(sheet.title, _ref(7, number), cells[6], status_spec)
        out.append(
            {
                "round": clean_text(action_round),
                "partnership_id": partnership_id,
                "finding": clean_text(finding),
                "action": clean_text(action),
                "status": status,
                "comment": clean_text(cells[7]),
            }
        )
    return pd.DataFrame(out, columns=list(ACTION_STATUS_COLUMNS))


def _sign_off(sheet: Worksheet, reader: _Reader) -> None:
    """Name, role and date must all be given; the date must read as a date."""
    specs = {
        "Name": ColumnSpec("name", "text", True, "", ""),
        "Role": ColumnSpec("role", "text", True, "", ""),
        "Date": ColumnSpec("date", "date", True, "", ""),
    }
    for row, field_name in enumerate(SIGN_OFF_FIELDS, 2):
        reader.cell(
            sheet.title, _ref(2, row), sheet.cell(row=row, column=2).value, specs[field_name]
        )


def read_return(
    path: Path,
    template: Template,
    frameworks: Mapping[str, Framework],
    partnerships: Collection[str],
    settings: Settings,
    expected_round: str | None = None,
) -> ReadReturn:
    """Read and check one returned workbook; never raises for a problem in the file.

    Args:
        path: the workbook.
        template: the structure returns are made with now.
        frameworks: the loaded frameworks (for checklist scales and items).
        partnerships: ids of the in-scope partnerships in the register.
        settings: the input limits (a workbook is checked before it is opened).
        expected_round: the round returns are being collected for (any when None).
    """
    from openpyxl import load_workbook

    reader = _Reader(path)
    result = ReadReturn(path)
    try:
        check_workbook(path, settings)
        book = load_workbook(path, data_only=True)
    except (InputFileError, OSError, ValueError, KeyError) as exc:
        reason = without_paths(str(exc))
        reader.problem(
            "", "", "a file that cannot be read", f"an Excel workbook ({reason})", refuses=True
        )
        result.problems = reader.problems
        return result
    meta = _metadata(book, reader)
    result.partnership_id = meta.get("partnership_id", "")
    result.round = meta.get("round", "")
    _check_metadata(meta, reader, template, partnerships, expected_round)
    fixed = {
        REGISTER_SHEET: REGISTER_HEADERS,
        ACTIONS_SHEET: ACTION_HEADERS,
        SIGN_OFF_SHEET: SIGN_OFF_HEADERS,
    }
    wanted = {
        **fixed,
        **{c.title: CHECKLIST_HEADERS for c in template.checklists},
        **{t.title: t.headers for t in template.tables},
    }
    for title, headers in wanted.items():
        if title not in book.sheetnames:
            reader.problem(title, "", "no such sheet", f"the sheet '{title}'", refuses=True)
        else:
            reader.headers(book[title], headers)
    if any(p.refuses for p in reader.problems):
        result.problems = reader.problems
        return result
    pid = meta["partnership_id"]
    result.corrections = _register(book[REGISTER_SHEET], reader, pid)
    checklist_rows: list[dict[str, Any]] = []
    for checklist in template.checklists:
        framework = frameworks[checklist.framework_id]
        checklist_rows += _checklist(book[checklist.title], reader, checklist, framework, meta)
    result.tables[CHECKLIST.name] = pd.DataFrame(checklist_rows, columns=CHECKLIST.column_names)
    for table in template.tables:
        result.tables[table.table] = _table(book[table.title], reader, table, pid)
    result.tables["action_statuses"] = _actions(book[ACTIONS_SHEET], reader, pid)
    _sign_off(book[SIGN_OFF_SHEET], reader)
    result.problems = reader.problems
    return result


def safe_id(value: str) -> str:
    """``value`` when it is a safe id (a file name part), else "unknown"."""
    return value if value and id_problem(value) is None else "unknown"
