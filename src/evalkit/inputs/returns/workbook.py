"""Write one officer return workbook from a :class:`~evalkit.inputs.returns.template.Template`.

The workbook is built cell by cell with openpyxl: a "Start here" sheet, the register facts
to confirm or correct, one sheet per checklist framework, the finance, indicators, risks
and SWOT sheets, last round's actions and a sign-off. Headings and prefilled cells are
locked and the input cells unlocked (sheet protection without a password: it stops slips,
not a determined person). Dropdowns come from a very hidden list sheet, and a very hidden
metadata sheet records the template version, round, partnership and structure hash.
Every prefilled text goes through :func:`evalkit.spreadsheet.safe_cell`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from evalkit import __version__
from evalkit.inputs.contract import PARTNERSHIPS, ColumnSpec
from evalkit.inputs.returns.template import (
    ACTION_HEADERS,
    ACTION_STATUSES,
    ACTIONS_SHEET,
    CHECKLIST_HEADERS,
    CONFIRM_CHOICES,
    INPUT_ROWS,
    LISTS_SHEET,
    META_SHEET,
    REGISTER_HEADERS,
    REGISTER_SHEET,
    SIGN_OFF_FIELDS,
    SIGN_OFF_HEADERS,
    SIGN_OFF_SHEET,
    START_SHEET,
    TEMPLATE_VERSION,
    Template,
)
from evalkit.spreadsheet import new_workbook, put_cell, save_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_CONTACT = "the policy team that sent you this workbook"
_WIDTHS = {"narrow": 14, "middle": 28, "wide": 60}


@dataclass(frozen=True)
class ReturnRequest:
    """What one workbook is for and what its "Start here" sheet says.

    Attributes:
        partnership_id: the partnership, as in the register.
        round: the assessment round the return is for.
        register: the partnership's register row (contract column → value).
        actions: last round's actions for it (round, priority, action, finding, owner,
            due date), in the order shown.
        due: the date the return is due, when known.
        contact: who to ask, in words.
        notice: the invented-data notice, when the register is invented.
    """

    partnership_id: str
    round: str
    register: Mapping[str, Any]
    actions: Sequence[Sequence[Any]] = ()
    due: dt.date | None = None
    contact: str = DEFAULT_CONTACT
    notice: str | None = None


def register_text(value: Any, spec: ColumnSpec) -> Any:
    """A register value as an officer reads it (yes/no, a date, a number or text)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if spec.kind == "bool":
        return "yes" if bool(value) else "no"
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[str]) -> None:
    """A bold, frozen header row with the columns sized for what they hold."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    last = max(sheet.max_row, INPUT_ROWS + 1)
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), 1):
        put_cell(sheet, 1, column, text, bold=True)
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = _WIDTHS[width]
        if width == "wide":
            for row in range(2, last + 1):
                sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "A2"


def _unlock(sheet: Worksheet, cells: str) -> None:
    """Let the officer type in a block of cells (the rest of the sheet stays locked)."""
    from openpyxl.styles import Protection

    for row in sheet[cells]:
        for cell in row:
            cell.protection = Protection(locked=False)


def _protect(sheet: Worksheet) -> None:
    """Lock headings and prefilled cells; rows may still be inserted and columns widened."""
    sheet.protection.sheet = True
    sheet.protection.insertRows = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


class _Lists:
    """The very hidden sheet that dropdowns read their choices from."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "veryHidden"
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, choices: Sequence[str]) -> str:
        """The absolute range holding these choices (written once)."""
        from openpyxl.utils import get_column_letter

        key = tuple(choices)
        if key not in self.ranges:
            column = len(self.ranges) + 1
            for row, choice in enumerate(key, 1):
                put_cell(self.sheet, row, column, choice)
            letter = get_column_letter(column)
            self.ranges[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(key)}"
        return self.ranges[key]

    def dropdown(self, sheet: Worksheet, cells: str, choices: Sequence[str], what: str) -> None:
        """A list dropdown (its arrow shown) on ``cells``, with a prompt and an error message."""
        from openpyxl.worksheet.datavalidation import DataValidation

        rule = DataValidation(
            type="list",
            formula1=self.range_for(choices),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle=what[:32],
            prompt=("Choose from the list: " + ", ".join(choices))[:255],
            errorTitle="Not in the list",
            error=("Please choose one of: " + ", ".join(choices))[:255],
        )
        sheet.add_data_validation(rule)
        rule.add(cells)


def _number_rule(sheet: Worksheet, cells: str, spec: ColumnSpec) -> None:
    """Whole-number or decimal checks for a numeric contract column with limits."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kind: Literal["whole", "decimal"] = "whole" if spec.kind == "integer" else "decimal"
    low = spec.minimum if spec.minimum is not None else -1e15
    high = spec.maximum if spec.maximum is not None else 1e15
    rule = DataValidation(
        type=kind,
        operator="between",
        formula1=f"{low:g}",
        formula2=f"{high:g}",
        allow_blank=True,
        showErrorMessage=True,
        error=spec.expected[:255],
    )
    sheet.add_data_validation(rule)
    rule.add(cells)


def _start_sheet(book: Workbook, template: Template, request: ReturnRequest) -> None:
    """Plain-English instructions: what to do, by when and who to ask."""
    sheet = book.active
    assert sheet is not None
    sheet.title = START_SHEET
    name = request.register.get("name") or request.partnership_id
    due = (
        f"{request.due.day} {request.due:%B %Y}"
        if request.due
        else "the date given in the covering e-mail"
    )
    lines: list[tuple[str, bool]] = [
        (f"Partnership return for {name}, round {request.round}", True),
    ]
    if request.notice:
        lines.append((request.notice, True))
    lines += [
        ("", False),
        ("What to do", True),
        (
            "1. Check the register facts on the Register sheet; say yes or no, and give the "
            "correct value where one is wrong.",
            False,
        ),
        (
            "2. Rate each statement on the checklist sheets, using the dropdown, and say where "
            "the evidence is.",
            False,
        ),
        ("3. Fill in the finance, indicators, risks and SWOT sheets, one row each.", False),
        ("4. Give the status of each action from last round on the Actions sheet.", False),
        (
            "5. Sign off (name, role, date) and send the workbook back as it is: please do not "
            "rename, add or remove sheets or headings.",
            False,
        ),
        ("", False),
        (f"By when: {due}", True),
        (f"Who to ask: {request.contact}", True),
        ("", False),
        ("Sheets in this workbook", True),
        *((title, False) for title in template.sheet_titles[1:]),
    ]
    for row, (text, bold) in enumerate(lines, 1):
        put_cell(sheet, row, 1, text, bold=bold)
    sheet.column_dimensions["A"].width = 110
    _protect(sheet)


def _register_sheet(book: Workbook, lists: _Lists, request: ReturnRequest) -> None:
    """Each register fact with a yes/no and a place for the correct value."""
    sheet = book.create_sheet(REGISTER_SHEET)
    columns = [c for c in PARTNERSHIPS.columns if c.name != "partnership_id"]
    for row, spec in enumerate(columns, 2):
        put_cell(sheet, row, 1, spec.display_label)
        put_cell(sheet, row, 2, register_text(request.register.get(spec.name), spec))
    _header(sheet, REGISTER_HEADERS, ("middle", "wide", "narrow", "wide"))
    last = len(columns) + 1
    _unlock(sheet, f"C2:D{last}")
    lists.dropdown(sheet, f"C2:C{last}", CONFIRM_CHOICES, "Correct?")
    _protect(sheet)


def _checklist_sheets(book: Workbook, lists: _Lists, template: Template) -> None:
    """One sheet per checklist framework: item, section, statement, then the inputs."""
    for checklist in template.checklists:
        sheet = book.create_sheet(checklist.title)
        for row, item in enumerate(checklist.items, 2):
            for column, value in enumerate(item, 1):
                put_cell(sheet, row, column, value)
        _header(sheet, CHECKLIST_HEADERS, ("narrow", "middle", "wide", "middle", "middle", "wide"))
        last = len(checklist.items) + 1
        _unlock(sheet, f"D2:F{last}")
        lists.dropdown(sheet, f"D2:D{last}", checklist.choices, "Rating")
        _protect(sheet)


def _table_sheets(book: Workbook, lists: _Lists, template: Template) -> None:
    """The contract's tables, blank rows to fill, dropdowns where the contract has a list."""
    from openpyxl.utils import get_column_letter

    last = INPUT_ROWS + 1
    for table in template.tables:
        sheet = book.create_sheet(table.title)
        widths = [
            "wide" if c.kind == "text" and c.name != "year" else "middle" for c in table.columns
        ]
        _header(sheet, table.headers, widths)
        for column, spec in enumerate(table.columns, 1):
            letter = get_column_letter(column)
            cells = f"{letter}2:{letter}{last}"
            if spec.allowed:
                lists.dropdown(sheet, cells, spec.allowed, spec.display_label)
            elif spec.kind in ("integer", "number", "money"):
                _number_rule(sheet, cells, spec)
        _unlock(sheet, f"A2:{get_column_letter(len(table.columns))}{last}")
        _protect(sheet)


def _actions_sheet(book: Workbook, lists: _Lists, request: ReturnRequest) -> None:
    """Last round's actions, each with a status dropdown and a comment."""
    sheet = book.create_sheet(ACTIONS_SHEET)
    for row, action in enumerate(request.actions, 2):
        for column, value in enumerate(action, 1):
            put_cell(sheet, row, column, value)
    _header(
        sheet,
        ACTION_HEADERS,
        ("narrow", "narrow", "wide", "middle", "middle", "narrow", "middle", "wide"),
    )
    if request.actions:
        last = len(request.actions) + 1
        _unlock(sheet, f"G2:H{last}")
        lists.dropdown(sheet, f"G2:G{last}", ACTION_STATUSES, "Status")
    else:
        put_cell(sheet, 2, 1, "No actions from last round.")
    _protect(sheet)


def _sign_off_sheet(book: Workbook) -> None:
    """Name, role and date of the officer signing the return off."""
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(SIGN_OFF_SHEET)
    for row, field in enumerate(SIGN_OFF_FIELDS, 2):
        put_cell(sheet, row, 1, field)
    _header(sheet, SIGN_OFF_HEADERS, ("narrow", "wide"))
    last = len(SIGN_OFF_FIELDS) + 1
    _unlock(sheet, f"B2:B{last}")
    rule = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        error="Please type a date, for example 31/03/2025.",
    )
    sheet.add_data_validation(rule)
    rule.add(f"B{last}")
    sheet.cell(row=last, column=2).number_format = "dd/mm/yyyy"
    _protect(sheet)


def metadata(template: Template, request: ReturnRequest) -> dict[str, str]:
    """What the hidden metadata sheet holds (key → value)."""
    return {
        "template_version": TEMPLATE_VERSION,
        "round": request.round,
        "partnership_id": request.partnership_id,
        "structure_sha256": template.structure_sha256,
        "made_by": f"evalkit {__version__}",
    }


def _meta_sheet(book: Workbook, template: Template, request: ReturnRequest) -> None:
    sheet = book.create_sheet(META_SHEET)
    sheet.sheet_state = "veryHidden"
    for row, (key, value) in enumerate(metadata(template, request).items(), 1):
        put_cell(sheet, row, 1, key)
        put_cell(sheet, row, 2, value)
    _protect(sheet)


def write_return(path: Path, template: Template, request: ReturnRequest) -> Path:
    """Write one partnership's return workbook atomically; return its path."""
    from openpyxl.workbook.protection import WorkbookProtection

    book = new_workbook()
    _start_sheet(book, template, request)
    lists = _Lists(book)
    _register_sheet(book, lists, request)
    _checklist_sheets(book, lists, template)
    _table_sheets(book, lists, template)
    _actions_sheet(book, lists, request)
    _sign_off_sheet(book)
    _meta_sheet(book, template, request)
    # Lists first was convenient for ranges; show it (hidden) at the end, after the rest.
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 0
    return save_workbook(book, path)
