"""Apply a mapping to an export and write the long ``responses`` table to the interim folder.

The table goes to ``<interim>/survey/<export name>/responses.csv`` with the columns of the
data contract's ``responses`` table, and the coverage report beside it as
``coverage.json``. Only ids, item ids and scale labels are written: names and e-mail
addresses become respondent ids (:mod:`~evalkit.inputs.survey.pseudonym`) and free-text
columns are never read. The same export and mapping always give the same bytes.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.atomic import atomic_write_text
from evalkit.config import Settings
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.normalise import clean_text, token
from evalkit.inputs.survey import layouts
from evalkit.inputs.survey.coverage import Coverage, Duplicate, TextCount
from evalkit.inputs.survey.export import Column, Export, ExportRow, read_export, read_time
from evalkit.inputs.survey.mapping import MISSING, ColumnRef, Mapping, MappingError, Source
from evalkit.inputs.survey.pseudonym import RespondentKey, identity, respondent_id
from evalkit.names import id_problem, shown
from evalkit.spreadsheet import write_csv

if TYPE_CHECKING:
    from evalkit.method.framework import Framework, Scale

COLUMNS = list(TABLES_BY_NAME["responses"].column_names)
TABLE_FILE = "responses.csv"
COVERAGE_FILE = "coverage.json"


@dataclass(frozen=True)
class Imported:
    """An import's result: the responses table and its coverage report."""

    responses: pd.DataFrame
    coverage: Coverage


@dataclass(frozen=True)
class _Answer:
    """What one answer text means: a scale value, or None for missing."""

    value: float | None


def folder_name(export: Path) -> str:
    """The interim sub-folder for an export: its name as an id (``Survey (1)`` -> ``survey-1``)."""
    name = re.sub(r"[^a-z0-9]+", "-", export.stem.lower()).strip("-")[:60].strip("-")
    return name if name and id_problem(name) is None else "export"


def interim_folder(settings: Settings, export: Path) -> Path:
    """Where an export's table and coverage report are written."""
    return settings.interim_dir / "survey" / folder_name(export)


# -- resolving the mapping against the export and the framework -------------------------


def _find(export: Export, ref: ColumnRef, where: str, problems: list[str]) -> Column | None:
    """The column a reference names, or None with a problem saying why."""
    from openpyxl.utils import column_index_from_string

    if ref.letter is not None:
        position = column_index_from_string(ref.letter) - 1
        if position < len(export.columns):
            return export.columns[position]
        last = export.columns[-1].letter if export.columns else "A"
        problems.append(f"{where}: column {ref.letter} is past the export's last column ({last})")
        return None
    wanted = token(ref.column)
    found = [
        c
        for c in export.columns
        if token(c.header) == wanted or (c.field_id and token(c.field_id) == wanted)
    ]
    if len(found) == 1:
        return found[0]
    if found:
        letters = ", ".join(c.letter for c in found)
        problems.append(
            f"{where}: {len(found)} columns ({letters}) are headed {shown(ref.column)}; "
            "name one by its letter instead"
        )
        return None
    close = difflib.get_close_matches(
        str(ref.column), [c.header for c in export.columns], n=1, cutoff=0.6
    )
    hint = f"; did you mean {shown(close[0])}?" if close else ""
    problems.append(f"{where}: no column of the export is headed {shown(ref.column)}{hint}")
    return None


def _answer_table(
    mapping: Mapping, scale: Scale, name: str, problems: list[str]
) -> dict[str, _Answer]:
    """Answer text (as a token) -> meaning: the scale's spellings, then the mapping's."""
    table = {spelling: _Answer(value) for spelling, value in scale.code_map().items()}
    table.update({spelling: _Answer(None) for spelling in scale.missing_tokens()})
    table[""] = _Answer(None)
    values = [level.value for level in scale.levels]
    for text, meaning in mapping.answers.items():
        if meaning == MISSING:
            table[token(text)] = _Answer(None)
        elif meaning in values:
            table[token(text)] = _Answer(float(meaning))
        else:
            allowed = ", ".join(f"{v:g}" for v in values)
            problems.append(
                f"{name}: answers[{shown(text)}]: {meaning:g} is not a value of the scale "
                f"{scale.id} ({allowed}, or missing)"
            )
    return table


def _resolve_items(
    export: Export, mapping: Mapping, framework: Framework, name: str, problems: list[str]
) -> list[tuple[str, bool, Column]]:
    """(item id, reverse, column) for each mapped item, in the framework's order."""
    known = {item.id: index for index, item in enumerate(framework.items)}
    scale = framework.scale_def
    values = {level.value for level in scale.levels}
    symmetric = all(scale.min + scale.max - v in values for v in values)
    chosen: dict[str, tuple[str, bool, Column]] = {}
    used: dict[int, str] = {}
    for index, entry in enumerate(mapping.items):
        where = f"{name}: items[{index}]"
        if entry.item not in known:
            ids = ", ".join(list(known)[:8])
            problems.append(
                f"{where}.item: {shown(entry.item)} is not an item of {framework.id} "
                f"(its items are {ids}{', ...' if len(known) > 8 else ''})"
            )
            continue
        if entry.item in chosen:
            problems.append(f"{where}.item: {entry.item} is mapped twice")
            continue
        if entry.reverse and (scale.kind != "ordinal" or not symmetric):
            problems.append(
                f"{where}.reverse: the scale {scale.id} cannot be reversed "
                "(reversing needs an ordinal scale with evenly placed values)"
            )
        column = _find(export, entry, where, problems)
        if column is None:
            continue
        if column.position in used:
            problems.append(
                f"{where}: {column.label} is already item {used[column.position]}'s column"
            )
            continue
        if column.role is not None:
            problems.append(
                f"{where}: {column.label} is the survey tool's own column, not a question"
            )
            continue
        used[column.position] = entry.item
        chosen[entry.item] = (entry.item, entry.reverse, column)
    return sorted(chosen.values(), key=lambda found: known[found[0]])


# -- reading the rows -----------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    """One answer row placed: its number, ids and answers by item."""

    row: int
    partnership_id: str
    organisation_id: str
    respondent_id: str
    identified: bool
    completed: datetime | None
    answers: tuple[float | None, ...]


class _Ids:
    """Partnership or organisation ids for each row, collecting texts that are no id."""

    def __init__(self, export: Export, source: Source, where: str, problems: list[str]) -> None:
        self.source = source
        ref = source.ref
        self.column = _find(export, ref, where, problems) if ref is not None else None
        self.values = {token(k): v for k, v in source.values.items()}
        self.unmapped: dict[str, list[int]] = defaultdict(list)
        fixed = {"value": source.value} if source.value is not None else {}
        for text, value in {
            **fixed,
            **{f"values[{shown(k)}]": v for k, v in source.values.items()},
        }.items():
            reason = id_problem(value)
            if reason is not None:
                problems.append(f"{where}.{text}: {shown(value)} is not an id: {reason}")

    def get(self, row: ExportRow) -> str | None:
        """The id for a row, or None when the cell is blank or its text is no id."""
        if self.source.value is not None:
            return self.source.value
        if self.column is None:
            return None
        text = clean_text(row.get(self.column))
        if text is None:
            return None
        mapped = self.values.get(token(text))
        if mapped is not None:
            return mapped
        if id_problem(str(text)) is None:
            return str(text)
        self.unmapped[str(text)].append(row.number)
        return None

    def counts(self) -> list[TextCount]:
        label = self.column.label if self.column else ""
        return [TextCount(label, t, len(r), tuple(r)) for t, r in sorted(self.unmapped.items())]


def _who(export: Export, mapping: Mapping, row: ExportRow, columns: list[Column]) -> str | None:
    """The identity hashed into the respondent id (None when the row names nobody)."""
    cells = [clean_text(row.get(c)) for c in columns]
    if mapping.identity:
        texts = [token(c) for c in cells if c is not None]
        return "columns:" + "|".join(texts) if texts else None
    roles = {c.role: cell for c, cell in zip(columns, cells, strict=True) if cell is not None}
    name = roles.get(layouts.NAME) or " ".join(
        str(roles[r]) for r in (layouts.FIRST_NAME, layouts.LAST_NAME) if r in roles
    )
    return identity(roles.get(layouts.EMAIL), name or None)


def _identity_columns(
    export: Export, mapping: Mapping, name: str, problems: list[str]
) -> list[Column]:
    if mapping.identity:
        found = [
            _find(export, ref, f"{name}: identity[{i}]", problems)
            for i, ref in enumerate(mapping.identity)
        ]
        return [c for c in found if c is not None]
    wanted = (layouts.EMAIL, layouts.NAME, layouts.FIRST_NAME, layouts.LAST_NAME)
    return [c for c in export.columns if c.role in wanted]


def apply_mapping(
    export: Export, mapping: Mapping, framework: Framework, key: RespondentKey, name: str
) -> Imported:
    """The responses table and coverage report of an export under a mapping.

    Args:
        export: the export as read.
        mapping: the checked mapping.
        framework: the mapping's framework.
        key: the respondent key.
        name: the mapping file's name, for messages.

    Raises:
        MappingError: every reason the mapping cannot be applied (columns not found,
            items not in the framework, answers or ids the mapping does not cover).
    """
    problems: list[str] = []
    scale = framework.scale_def
    partnership = _Ids(export, mapping.partnership, f"{name}: partnership", problems)
    organisation = _Ids(export, mapping.organisation, f"{name}: organisation", problems)
    items = _resolve_items(export, mapping, framework, name, problems)
    answers = _answer_table(mapping, scale, name, problems)
    who_columns = _identity_columns(export, mapping, name, problems)
    completed_column = (
        _find(export, mapping.completed, f"{name}: completed", problems)
        if mapping.completed
        else next(iter(export.with_role(layouts.COMPLETED)), None)
    )
    ignored = [
        _find(export, ref, f"{name}: ignore[{i}]", problems) for i, ref in enumerate(mapping.ignore)
    ]
    coverage = Coverage(export.path.name, export.layout.name, framework.id, mapping.round)
    coverage.rows_read = len(export.rows)
    mapped = {c.position for _, _, c in items} | {c.position for c in ignored if c is not None}
    mapped |= {c.position for c in (partnership.column, organisation.column, completed_column) if c}
    mapped |= {c.position for c in who_columns}
    coverage.unmapped_columns = [c.label for c in export.questions if c.position not in mapped]
    asked = {item_id for item_id, _, _ in items}
    coverage.items_not_asked = [i.id for i in framework.items if i.id not in asked]

    unknown: dict[tuple[str, str], list[int]] = defaultdict(list)
    placed: list[_Placed] = []
    stem = export.path.stem
    for row in export.rows:
        values: list[float | None] = []
        for _, reverse, column in items:
            cell = row.get(column)
            meaning = answers.get(token(cell))
            if meaning is None:
                unknown[(column.label, str(clean_text(cell)))].append(row.number)
                values.append(None)
                continue
            value = meaning.value
            if value is not None and reverse:
                value = scale.min + scale.max - value
            values.append(value)
        p_id, o_id = partnership.get(row), organisation.get(row)
        if p_id is None:
            coverage.without_partnership.append(row.number)
        if o_id is None:
            coverage.without_organisation.append(row.number)
        if p_id is None or o_id is None:
            continue
        who = _who(export, mapping, row, who_columns)
        if who is None:
            ids = export.with_role(layouts.RESPONSE_ID)
            tool_id = clean_text(row.get(ids[0])) if ids else None
            anonymous = f"response:{stem}:{tool_id}" if tool_id else f"row:{stem}:{row.number}"
        completed = read_time(row.get(completed_column)) if completed_column else None
        placed.append(
            _Placed(
                row.number,
                p_id,
                o_id,
                respondent_id(key, who or anonymous),
                who is not None,
                completed,
                tuple(values),
            )
        )
    coverage.unmapped_answers = [
        TextCount(column, text, len(rows), tuple(rows))
        for (column, text), rows in sorted(unknown.items())
    ]
    coverage.unmapped_ids = partnership.counts() + organisation.counts()
    problems += coverage.problems()
    if problems:
        raise MappingError(problems)
    kept = _latest(placed, coverage)
    coverage.unidentified = sum(1 for p in kept if not p.identified)
    frame = _table(kept, items, mapping.round, framework, scale)
    coverage.respondents = len(kept)
    coverage.responses = len(frame)
    coverage.missing_answers = int((frame["response"] == "").sum())
    return Imported(frame, coverage)


def _latest(placed: list[_Placed], coverage: Coverage) -> list[_Placed]:
    """One row per respondent and partnership: the latest completed (then the lowest row)."""
    groups: dict[tuple[str, str], list[_Placed]] = defaultdict(list)
    for row in placed:
        groups[(row.respondent_id, row.partnership_id)].append(row)
    kept: list[_Placed] = []
    for (respondent, partnership_id), rows in groups.items():
        latest = max(rows, key=lambda r: (r.completed or datetime.min, r.row))
        kept.append(latest)
        if len(rows) > 1:
            dropped = tuple(sorted(r.row for r in rows if r is not latest))
            coverage.duplicates.append(Duplicate(respondent, partnership_id, latest.row, dropped))
    coverage.duplicates.sort(key=lambda d: d.kept_row)
    return kept


def _table(
    kept: list[_Placed],
    items: list[tuple[str, bool, Column]],
    round_: str,
    framework: Framework,
    scale: Scale,
) -> pd.DataFrame:
    """The long table, sorted by partnership, organisation, respondent and item order."""
    labels = {level.value: level.label for level in scale.levels}
    records = [
        (
            round_,
            p.partnership_id,
            p.respondent_id,
            p.organisation_id,
            framework.id,
            item_id,
            "" if value is None else labels[value],
        )
        for p in sorted(kept, key=lambda r: (r.partnership_id, r.organisation_id, r.respondent_id))
        for (item_id, _, _), value in zip(items, p.answers, strict=True)
    ]
    return pd.DataFrame(records, columns=COLUMNS, dtype=object)


# -- the whole import -----------------------------------------------------------------


def import_export(
    export_path: Path,
    mapping: Mapping,
    frameworks: dict[str, Framework],
    key: RespondentKey,
    *,
    mapping_name: str,
    settings: Settings | None = None,
) -> Imported:
    """Read an export and apply its mapping (nothing written).

    Raises:
        MappingError: the mapping names an unknown framework or cannot be applied.
        InputFileError: the export cannot be read.
    """
    if mapping.framework not in frameworks:
        known = ", ".join(sorted(frameworks))
        raise MappingError(
            [f"{mapping_name}: framework: no framework {shown(mapping.framework)} (known: {known})"]
        )
    framework = frameworks[mapping.framework]
    if framework.mode != "survey":
        raise MappingError(
            [
                f"{mapping_name}: framework: {framework.id} is a checklist framework; its "
                "ratings go in the checklist table (an officer return), not a survey"
            ]
        )
    export = read_export(
        export_path, layout=mapping.layout, aliases=mapping.aliases, settings=settings
    )
    return apply_mapping(export, mapping, framework, key, mapping_name)


def write_import(imported: Imported, folder: Path) -> list[Path]:
    """Write the responses table and ``coverage.json`` into ``folder`` (atomically)."""
    table = write_csv(folder / TABLE_FILE, imported.responses)
    report = atomic_write_text(folder / COVERAGE_FILE, imported.coverage.to_json())
    return [table, report]
