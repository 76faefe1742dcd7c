"""The shape of an officer return, worked out from the data contract and the frameworks.

Nothing here is written for one framework or one table: every checklist framework (its
items rated by officers, ``mode: checklist``) gets a sheet of its own with a dropdown from
its scale, and the finance, indicators, risks and SWOT sheets take their columns from the
contract. A council's own framework in ``data/raw/frameworks/`` therefore gets a sheet
with no code. The structure is summed up in a SHA-256 (:attr:`Template.structure_sha256`)
that the workbook carries, so a returned workbook whose sheets or headings were changed is
recognised.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.inputs.contract import (
    CHECKLIST,
    FINANCE,
    INDICATORS,
    RISKS,
    SWOT,
    ColumnSpec,
    column_words,
)
from evalkit.spreadsheet import sheet_title

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

#: Bumped whenever the layout of a return changes in a way old returns cannot be read.
TEMPLATE_VERSION = "1"
START_SHEET = "Start here"
REGISTER_SHEET = "Register"
ACTIONS_SHEET = "Actions"
SIGN_OFF_SHEET = "Sign-off"
META_SHEET = "_metadata"
LISTS_SHEET = "_lists"
#: The statuses an officer gives last round's actions.
ACTION_STATUSES = ("done", "in progress", "not started", "dropped")
#: Register answers: is the value in the register right?
CONFIRM_CHOICES = ("yes", "no")
#: Tables an officer fills in, one sheet each, in the order the workbook shows them.
CONTRACT_SHEETS = (FINANCE, INDICATORS, RISKS, SWOT)
#: Blank rows offered for typing on each table sheet.
INPUT_ROWS = 40

REGISTER_HEADERS = ("Field", "In the register", "Correct?", "Correct value")
ACTION_HEADERS = (
    "Round",
    "Priority",
    "Action",
    "Finding",
    "Owner",
    "Due date",
    "Status",
    "Comment",
)
SIGN_OFF_HEADERS = ("Field", "Value")
SIGN_OFF_FIELDS = ("Name", "Role", "Date")
CHECKLIST_HEADERS = ("Item", "Section", "Statement", "Rating", "Evidence reference", "Note")


@dataclass(frozen=True)
class ChecklistSheet:
    """One framework's sheet: its items, rated on its scale.

    Attributes:
        title: the sheet's name in the workbook.
        framework_id: the framework it rates.
        choices: the dropdown (scale labels, then "not applicable").
        items: (item id, section title, statement) in framework order.
    """

    title: str
    framework_id: str
    choices: tuple[str, ...]
    items: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TableSheet:
    """A sheet laid out as one contract table (without its partnership column).

    Attributes:
        title: the sheet's name in the workbook.
        table: the contract table's name.
        columns: the contract columns shown, in contract order.
    """

    title: str
    table: str
    columns: tuple[ColumnSpec, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """Column headings: each contract column's name in words ("Cash (£)").

        The contract matches headings ignoring case, spaces and punctuation, so each
        reads back as its column name (``cash_gbp``).
        """
        return tuple(column_words(c.name) for c in self.columns)

    @property
    def names(self) -> tuple[str, ...]:
        """The contract column names, in sheet order."""
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class Template:
    """Every sheet of a return and the hash of that structure."""

    checklists: tuple[ChecklistSheet, ...]
    tables: tuple[TableSheet, ...]

    @property
    def structure(self) -> dict[str, object]:
        """The sheets, their headings and dropdowns: what the hash covers."""
        return {
            "version": TEMPLATE_VERSION,
            "fixed": {
                REGISTER_SHEET: REGISTER_HEADERS,
                ACTIONS_SHEET: ACTION_HEADERS,
                SIGN_OFF_SHEET: SIGN_OFF_HEADERS,
            },
            "checklists": [
                [c.title, c.framework_id, list(c.choices), [i[0] for i in c.items]]
                for c in self.checklists
            ],
            "tables": [[t.title, t.table, list(t.headers)] for t in self.tables],
        }

    @property
    def structure_sha256(self) -> str:
        """SHA-256 of :attr:`structure` as canonical JSON."""
        text = json.dumps(self.structure, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def sheet_titles(self) -> tuple[str, ...]:
        """Every visible sheet's name, in workbook order."""
        return (
            START_SHEET,
            REGISTER_SHEET,
            *(c.title for c in self.checklists),
            *(t.title for t in self.tables),
            ACTIONS_SHEET,
            SIGN_OFF_SHEET,
        )


def _table_title(name: str) -> str:
    """A table's sheet name: "Finance", "Risks", "SWOT"."""
    return "SWOT" if name == "swot" else name.capitalize()


def build_template(frameworks: Mapping[str, Framework]) -> Template:
    """The return's structure for these frameworks (checklist ones only, sorted by id)."""
    taken = {START_SHEET, REGISTER_SHEET, ACTIONS_SHEET, SIGN_OFF_SHEET, META_SHEET, LISTS_SHEET}
    taken |= {_table_title(spec.name) for spec in CONTRACT_SHEETS}
    checklists = []
    for framework_id in sorted(frameworks):
        framework = frameworks[framework_id]
        if framework.mode != "checklist":
            continue
        title = sheet_title(framework.short_title or framework.title, taken)
        taken.add(title)
        scale = framework.scale_def
        choices = (*(level.label for level in scale.levels), "not applicable")
        sections = {d.id: d.title for d in framework.dimensions}
        items = tuple((i.id, sections[i.dimension], i.text) for i in framework.items)
        checklists.append(ChecklistSheet(title, framework.id, choices, items))
    tables = tuple(
        TableSheet(
            _table_title(spec.name),
            spec.name,
            tuple(c for c in spec.columns if c.name != "partnership_id"),
        )
        for spec in CONTRACT_SHEETS
    )
    return Template(tuple(checklists), tables)


#: The contract's checklist table, which checklist sheets fill.
CHECKLIST_TABLE = CHECKLIST
