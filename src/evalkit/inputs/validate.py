"""Validate a folder of input tables in one pass and report every problem.

Each problem names the file, the sheet, the row as the user sees it in Excel (or the
line in a CSV file), the column, the value found and what was expected. Reading
never changes the input files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import pandera.pandas as pa

from evalkit import names
from evalkit.config import Settings
from evalkit.inputs import schemas
from evalkit.inputs.contract import (
    INCORPORATED_FORMS,
    TABLES,
    TABLES_BY_NAME,
    ColumnSpec,
    TableSpec,
)
from evalkit.inputs.files import ERROR, INFO, WARNING, ReadIssue, UnreadableInputError
from evalkit.inputs.ingest import META_COLUMNS, RawTable, combine, discover, read_table
from evalkit.inputs.messages import grouped_summary
from evalkit.inputs.normalise import (
    SERIAL_YEARS,
    amount_problem,
    is_valid,
    map_unique,
    normalise_column,
    token,
)
from evalkit.terminal import inert

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

__all__ = [
    "ERROR",
    "INFO",
    "WARNING",
    "Problem",
    "ValidationReport",
    "ValidationResult",
    "validate",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located precisely."""

    code: str
    severity: str
    message: str
    table: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def location(self) -> str:
        """``file, sheet 'x', row 7, column legal_form`` (parts present only)."""
        parts = [p for p in (self.file,) if p]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts) or "(input folder)"

    def __str__(self) -> str:
        """One terminal line: control characters in any value are shown escaped."""
        return inert(f"{self.severity.upper()} {self.location()}: {self.message} [{self.code}]")

    @classmethod
    def from_read_issue(cls, issue: ReadIssue) -> Problem:
        """The problem for a file that could not be read (or was read with a caveat)."""
        message = f"{issue.message} — {issue.expected}" if issue.expected else issue.message
        return cls(
            code=issue.code,
            severity=issue.severity,
            message=message,
            table=issue.table,
            file=issue.file,
            sheet=issue.sheet,
            row=issue.row,
            column=issue.column,
            expected=issue.expected,
        )


@dataclass
class ValidationReport:
    """Every problem found, and what was read."""

    input_dir: str
    problems: list[Problem] = field(default_factory=list)
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop the data being used."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth fixing that do not stop the data being used."""
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def valid(self) -> bool:
        """True when there are no errors."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "input_dir": self.input_dir,
            "valid": self.valid,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "tables": self.tables,
            "problems": [asdict(p) for p in self.problems],
        }

    def to_json(self) -> str:
        """Pretty JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @property
    def infos(self) -> list[Problem]:
        """Notes on how the input was read (e.g. a header found below a title)."""
        return [p for p in self.problems if p.severity == INFO]

    def summary(self) -> str:
        """Plain-text report for the terminal: problems grouped by cause, then a count.

        Root causes come first; each group gives its count and its first few places.
        """
        lines = grouped_summary(self.problems)
        verdict = "valid" if self.valid else "INVALID"
        lines.append(
            inert(
                f"{self.input_dir}: {verdict} — {len(self.errors)} error(s), "
                f"{len(self.warnings)} warning(s)"
            )
        )
        return "\n".join(lines)


@dataclass
class ValidationResult:
    """The report plus the normalised, typed tables (complete only when valid)."""

    report: ValidationReport
    tables: dict[str, pd.DataFrame]


def _show(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _closest(value: object, allowed: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(token(value), [token(a) for a in allowed], n=1, cutoff=0.6)
    if not match:
        return ""
    original = next(a for a in allowed if token(a) == match[0])
    return f" Did you mean '{original}'?"


class _Locator:
    """Turns a table row index into a problem with file, sheet and row."""

    def __init__(self, raw: RawTable, spec: TableSpec):
        self.raw = raw
        self.spec = spec

    def problem(
        self,
        code: str,
        message: str,
        index: int | None,
        column: str | None,
        expected: str | None = None,
        severity: str = ERROR,
    ) -> Problem:
        frame = self.raw.frame
        row = None
        value = None
        file = self.raw.source.file
        sheet = self.raw.source.sheet
        if index is not None and index in frame.index:
            row = int(cast(int, frame.at[index, "_row"]))
            file = str(frame.at[index, "_file"])
            found_sheet = frame.at[index, "_sheet"]
            sheet = found_sheet if isinstance(found_sheet, str) else None
            if column and column in frame.columns:
                value = _show(frame.at[index, column])
        header = self.raw.headers.get(column, column) if column else None
        return Problem(
            code=code,
            severity=severity,
            message=message,
            table=self.spec.name,
            file=file,
            sheet=sheet,
            row=row,
            column=header,
            value=value,
            expected=expected,
        )


def _message(
    check: str,
    spec: ColumnSpec | None,
    raw_value: str | None,
    context: Mapping[str, Any],
) -> tuple[str, str, str | None]:
    """Return (code, message, expected) for one pandera failure."""
    shown = names.shown(raw_value) if raw_value is not None else "blank"
    if spec is None:
        return check, f"{check} failed", None
    expected = spec.expected
    if check == "not_nullable":
        return "required-missing", f"{spec.name} is required but the cell is blank", expected
    if check == "field_uniqueness":
        return "duplicate-id", f"duplicate {spec.name} {shown}: ids must be unique", "a unique id"
    if check == schemas.NOT_ALLOWED:
        hint = _closest(raw_value, spec.allowed) if raw_value else ""
        return check, f"{shown} is not an allowed {spec.name}.{hint}", expected
    if check == schemas.BAD_VALUE:
        reason = names.id_problem(raw_value) if spec.kind == "slug" and raw_value else None
        if reason:
            return check, f"{shown} is not a usable {spec.name}: {reason}", expected
        if spec.kind == "money" and raw_value:
            return check, f"{shown} is not {expected}: {amount_problem(raw_value)}", expected
        if spec.kind == "date" and raw_value and raw_value.replace(".", "", 1).isdigit():
            low, high = SERIAL_YEARS
            return (
                check,
                f"{shown} is not {expected}: as an Excel date number it is not a day "
                f"from {low} to {high}",
                expected,
            )
        return check, f"{shown} is not {expected}", expected
    if check == schemas.OUT_OF_RANGE:
        return check, f"{shown} is out of range: expected {expected}", expected
    if check == schemas.UNKNOWN_REFERENCE:
        table_name = (spec.references or "").split(".")[0]
        where = context.get("sources", {}).get(table_name, table_name)
        return (
            check,
            f"{shown} is not a known {spec.name} (not found in {where})",
            f"an id listed in {where}",
        )
    return check, f"{shown} failed check {check}", expected


def _failures_to_problems(
    error: pa.errors.SchemaErrors,
    raw: RawTable,
    spec: TableSpec,
    context: Mapping[str, Any],
) -> list[Problem]:
    locator = _Locator(raw, spec)
    problems: list[Problem] = []
    seen: set[tuple[Any, ...]] = set()
    cases = error.failure_cases
    for case in cases.itertuples(index=False):
        check = str(case.check)
        index = None if pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) else None
        if check == "column_in_dataframe":
            continue  # reported as missing-column before validation
        if check == schemas.REASON_MISSING:
            column = "out_of_scope_reason"
        key = (check, index, column if check not in _ROW_CHECKS else None)
        if key in seen:
            continue
        seen.add(key)
        problems.append(_one_problem(check, index, column, case, locator, spec, context))
    return problems


_ROW_CHECKS = {schemas.REASON_MISSING, schemas.UNKNOWN_ITEM, schemas.NOT_ON_SCALE}


def _one_problem(
    check: str,
    index: int | None,
    column: str | None,
    case: Any,
    locator: _Locator,
    spec: TableSpec,
    context: Mapping[str, Any],
) -> Problem:
    frame = locator.raw.frame
    if check == schemas.REASON_MISSING:
        return locator.problem(
            "reason-missing",
            "out_of_scope_reason is required when in_scope is no",
            index,
            "out_of_scope_reason",
            "why the partnership is out of scope (e.g. purely contractual)",
        )
    if check == schemas.UNKNOWN_ITEM:
        framework = str(frame.at[index, "framework_id"]) if index is not None else None
        item = _show(frame.at[index, "item_id"]) if index is not None else None
        return locator.problem(
            "unknown-item",
            f"'{item}' is not an item of framework {framework}",
            index,
            "item_id",
            f"an item id of {framework} (see `evalkit frameworks show {framework}`)",
        )
    if check == schemas.NOT_ON_SCALE:
        value_column = "response" if "response" in spec.column_names else "status"
        framework = str(frame.at[index, "framework_id"]).strip().lower()
        scale = context.get("scales", {}).get(framework, "")
        raw_value = _show(frame.at[index, value_column]) if index is not None else None
        return locator.problem(
            "not-on-scale",
            f"'{raw_value}' is not on the answer scale of {framework}: expected {scale}",
            index,
            value_column,
            scale,
        )
    if "uniqueness" in check and column is None or check == "multiple_fields_uniqueness":
        key = ", ".join(spec.key)
        return locator.problem(
            "duplicate-row",
            f"another row has the same {key}",
            index,
            spec.key[-1],
            f"one row per {key}",
        )
    col_spec = spec.column(column) if column in spec.column_names else None
    raw_value = _show(frame.at[index, column]) if index is not None and column else None
    code, message, expected = _message(check, col_spec, raw_value, context)
    if code == "duplicate-id" and index is not None and column:
        others = frame.loc[
            (frame[column].map(token) == token(frame.at[index, column])) & (frame.index != index),
            "_row",
        ].tolist()
        if others:
            message += f" (also on row {', '.join(str(r) for r in others)})"
    return locator.problem(code, message, index, column, expected)


def _frameworks_context(
    frameworks: Mapping[str, Framework] | None,
) -> tuple[dict[str, set[str]] | None, dict[str, set[str]] | None, dict[str, str]]:
    if frameworks is None:
        return None, None, {}
    items = {fid: {item.id for item in fw.items} for fid, fw in frameworks.items()}
    tokens: dict[str, set[str]] = {}
    described: dict[str, str] = {}
    for fid, fw in frameworks.items():
        scale = fw.scale_def
        tokens[fid] = set(scale.code_map()) | set(scale.missing_tokens())
        labels = ", ".join(level.label for level in scale.levels)
        described[fid] = f"one of {labels} (or a blank, 'n/a' or 'don't know')"
    return items, tokens, described


def _valid_or_none(value: object, spec: ColumnSpec) -> object:
    return value if is_valid(value, spec) else None


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in spec.columns:
        values = frame[col.name] if col.name in frame else pd.Series(None, index=frame.index)
        # Values that failed validation are dropped here; they are already reported.
        values = map_unique(values, functools.partial(_valid_or_none, spec=col))
        if col.kind in ("money", "number"):
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.kind == "integer":
            out[col.name] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif col.kind == "bool":
            out[col.name] = values.astype(object).astype("boolean")
        elif col.kind == "date":
            out[col.name] = pd.to_datetime(values, errors="coerce")
        else:
            out[col.name] = values.astype("string")
    if spec.name == "partnerships":
        out["incorporated"] = out["legal_form"].isin(INCORPORATED_FORMS)
    for meta in META_COLUMNS:
        out[meta] = frame[meta]
    return out.reset_index(drop=True)


def validate(
    raw_dir: Path,
    frameworks: Mapping[str, Framework] | None = None,
    settings: Settings | None = None,
    interim_dir: Path | None = None,
) -> ValidationResult:
    """Read and check every table in ``raw_dir`` and ``interim_dir``; never raises for bad data.

    ``raw_dir`` is a folder, or one workbook or CSV file; ``interim_dir`` is searched
    with its sub-folders.

    The sources of one table are read as one table whose rows keep their own file,
    sheet and row; the same key in two sources is one error naming both places.

    Files that cannot be read (legacy, encrypted or damaged workbooks, undecodable or
    oversized files, folders or broken links with a table's name) are problems like any
    other, all reported together.

    Args:
        raw_dir: the input folder, or one workbook or CSV file (then tables it does not
            hold are not reported missing).
        frameworks: loaded frameworks; when given, framework ids, item ids and answers
            are checked against them.
        settings: the input limits (default: ``Settings()``).
        interim_dir: the folder of tables derived from returns and survey exports
            (default: none; ``prepare`` and the CLI pass ``Settings.interim_dir``).

    Raises:
        InputFileError: the input folder itself is missing or cannot be listed.
    """
    report = ValidationReport(input_dir=str(raw_dir))
    raws = _read_tables(raw_dir, settings or Settings(), report, interim_dir)
    if raw_dir.is_dir():
        from evalkit.inputs.history import snapshot_problems

        report.problems.extend(snapshot_problems(raw_dir, settings or Settings()))
    return check_tables(raws, report, frameworks)


def check_tables(
    raws: Mapping[str, RawTable],
    report: ValidationReport,
    frameworks: Mapping[str, Framework] | None = None,
) -> ValidationResult:
    """Check tables already read, adding their problems to ``report``.

    The second half of :func:`validate`, also used for tables read from elsewhere (a
    register snapshot, :mod:`evalkit.inputs.history`).
    """
    items, tokens, scales = _frameworks_context(frameworks)
    context: dict[str, Any] = {
        "sources": {name: _labels(raw) for name, raw in raws.items()},
        "scales": scales,
    }
    normalised: dict[str, pd.DataFrame] = {}
    references: dict[str, set[str]] = {}
    if frameworks is not None:
        references["frameworks.framework_id"] = set(frameworks)
        context["sources"]["frameworks"] = "the loaded frameworks"
    for spec in TABLES:  # parents come before children in TABLES
        raw = raws.get(spec.name)
        if raw is None:
            continue
        report.problems.extend(_check_headers(raw, spec))
        frame = raw.frame.copy()
        for col in spec.columns:
            if col.name in frame:
                frame[col.name] = normalise_column(frame[col.name], col)
        across, shared = _duplicates_across_sources(frame, raw, spec)
        report.problems.extend(across)
        present = [c for c in spec.columns if c.name in frame]
        sub_spec = TableSpec(spec.name, spec.description, tuple(present), spec.required, spec.key)
        schema = schemas.table_schema(
            sub_spec,
            references,
            items if "framework_id" in frame else None,
            tokens if "framework_id" in frame else None,
        )
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            found = _failures_to_problems(exc, raw, spec, context)
            report.problems.extend(
                p
                for p in found
                if not (p.code in _DUPLICATE_CODES and (p.file, p.sheet, p.row) in shared)
            )
        normalised[spec.name] = frame
        for col in spec.columns:
            if col.unique and col.name in frame:
                references[f"{spec.name}.{col.name}"] = set(frame[col.name].dropna().map(str))
        report.tables[spec.name] = {
            "source": _labels(raw),
            "rows": len(frame),
            "encoding": raw.encoding,
        }
    report.problems.extend(_cross_table_warnings(normalised, raws))
    report.problems.extend(_missing_from_register(normalised, references, raws))
    rank = {ERROR: 0, WARNING: 1, INFO: 2}
    report.problems.sort(
        key=lambda p: (
            rank.get(p.severity, 3),
            p.file or "",
            p.sheet or "",
            p.row or 0,
            p.column or "",
        )
    )
    typed = {name: _typed(frame, TABLES_BY_NAME[name]) for name, frame in normalised.items()}
    return ValidationResult(report, typed)


def _read_tables(
    raw_dir: Path, settings: Settings, report: ValidationReport, interim_dir: Path | None
) -> dict[str, RawTable]:
    """Every table that can be read, its sources combined.

    The problems of finding and reading them go on ``report``.
    """
    found = discover(raw_dir, settings, interim_dir)
    report.problems.extend(Problem.from_read_issue(issue) for issue in found.issues)
    unread = sorted({i.file for i in found.issues if i.severity == ERROR and i.table is None})
    raws: dict[str, RawTable] = {}
    for spec in TABLES:
        sources = found.sources.get(spec.name, [])
        if not sources:
            missing = spec.required and not any(i.table == spec.name for i in found.issues)
            if missing and not raw_dir.is_file():
                report.problems.append(_missing_table(spec, unread))
            continue
        parts: list[RawTable] = []
        for source in sources:
            try:
                raw = read_table(spec.name, source, settings)
            except UnreadableInputError as exc:
                issue = replace(exc.issue, table=spec.name, file=source.file)
                report.problems.append(Problem.from_read_issue(issue))
                continue
            report.problems.extend(
                Problem.from_read_issue(replace(issue, file=source.file)) for issue in raw.issues
            )
            parts.append(raw)
        if parts:
            raws[spec.name] = combine(parts)
            if len(parts) > 1:
                report.problems.extend(p for part in parts for p in _check_headers(part, spec))
                raws[spec.name].header_found = False  # headers already checked per part
    return raws


def _labels(raw: RawTable) -> str:
    """The places a table was read from, e.g. ``portfolio.xlsx, sheet 'risks'``."""
    return "; ".join(dict.fromkeys(s.label for s in raw.sources)) or raw.source.label


_DUPLICATE_CODES = {"duplicate-row", "duplicate-id"}


def _duplicates_across_sources(
    frame: pd.DataFrame, raw: RawTable, spec: TableSpec
) -> tuple[list[Problem], set[tuple[str | None, str | None, int | None]]]:
    """One error for each key found in more than one source, naming every place.

    Returns the problems and the places (file, sheet, row) they cover, whose ordinary
    duplicate errors are then left out.
    """
    key = list(spec.key) or [c.name for c in spec.columns if c.unique][:1]
    if len(raw.sources) < 2 or not key or any(k not in frame for k in key):
        return [], set()
    keys = frame[key].map(lambda v: token(v) if v is not None else "")
    place = frame["_file"].astype(str) + "\x00" + frame["_sheet"].map(lambda v: v or "")
    problems: list[Problem] = []
    shared: set[tuple[str | None, str | None, int | None]] = set()
    by = keys[key[0]] if len(key) == 1 else [keys[k] for k in key]
    for values, group in frame.groupby(by, sort=False).groups.items():
        if len(group) < 2 or place.loc[group].nunique() < 2:
            continue
        values = values if isinstance(values, tuple) else (values,)
        if not all(values):
            continue
        where = []
        for index in group:
            sheet = frame.at[index, "_sheet"]
            sheet = sheet if isinstance(sheet, str) else None
            row = int(cast(int, frame.at[index, "_row"]))
            shared.add((str(frame.at[index, "_file"]), sheet, row))
            label = str(frame.at[index, "_file"]) + (f", sheet '{sheet}'" if sheet else "")
            where.append(f"{label}, row {row}")
        shown = ", ".join(f"{k} {names.shown(str(frame.at[group[0], k]))}" for k in key)
        first = group[0]
        problems.append(
            _Locator(raw, spec).problem(
                "duplicate-across-sources",
                f"{shown} is in more than one place: {'; '.join(where)}",
                int(first),
                key[-1],
                "each row in one place only: remove it from all but one file",
            )
        )
    return problems, shared


def _missing_from_register(
    tables: Mapping[str, pd.DataFrame],
    references: Mapping[str, set[str]],
    raws: Mapping[str, RawTable],
) -> list[Problem]:
    """Root causes of unknown references: ids used in other tables but not in a register.

    Each names the register's unused id it was most likely renamed to, when there is one.
    """
    problems: list[Problem] = []
    for target in sorted({c.references for s in TABLES for c in s.columns if c.references}):
        if target is None or target not in references or target.split(".")[0] not in raws:
            continue
        known = references[target]
        uses: dict[str, dict[str, int]] = {}
        for spec in TABLES:
            frame = tables.get(spec.name)
            for col in spec.columns:
                if col.references != target or frame is None or col.name not in frame:
                    continue
                for value, count in frame[col.name].dropna().map(str).value_counts().items():
                    uses.setdefault(str(value), {})[spec.name] = int(count)
        used = set(uses)
        unused = sorted(known - used)
        register, column = target.split(".")
        raw = raws[register]
        for value, by_table in sorted(uses.items()):
            if value in known:
                continue
            total = sum(by_table.values())
            where = ", ".join(f"{t} ({n})" for t, n in by_table.items())
            message = (
                f"{column} {names.shown(value)} is used in {total} row(s) of other tables "
                f"({where}) but is not in the {register} register ({_labels(raw)})"
            )
            renamed = difflib.get_close_matches(value, unused, n=1, cutoff=0.5)
            if not renamed and len(unused) == 1 and sum(1 for v in uses if v not in known) == 1:
                renamed = unused
            index = None
            if renamed:
                message += f"; was it renamed to {names.shown(renamed[0])}?"
                frame = tables[register]
                matches = frame.index[frame[column].map(str) == renamed[0]].tolist()
                index = matches[0] if matches else None
            problems.append(
                _Locator(raw, TABLES_BY_NAME[register]).problem(
                    "missing-from-register",
                    message,
                    index,
                    column if index is not None else None,
                    f"add {names.shown(value)} to the {register} register, or correct the "
                    "other tables",
                )
            )
    return problems


def _missing_table(spec: TableSpec, unread: list[str]) -> Problem:
    """A required table found nowhere, naming the files that could not be read."""
    message = (
        f"table '{spec.name}' not found: expected {spec.name}.csv or a sheet "
        f"named '{spec.name}' in a workbook"
    )
    if unread:
        message += f" (it may be in {', '.join(unread)}, which could not be read)"
    return Problem("missing-table", ERROR, message, table=spec.name)


def _check_headers(raw: RawTable, spec: TableSpec) -> list[Problem]:
    """Missing required columns and unknown columns of one source, at its header row."""
    problems: list[Problem] = []
    if not raw.header_found:
        return problems  # reported once as no-header-row, or per part
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.frame]
    for name in missing:
        problems.append(
            Problem(
                "missing-column",
                ERROR,
                f"required column '{name}' is missing",
                table=spec.name,
                file=raw.source.file,
                sheet=raw.source.sheet,
                row=raw.header_row,
                column=name,
                expected=spec.column(name).description,
            )
        )
    for header in raw.unknown_columns:
        problems.append(
            Problem(
                "unknown-column",
                WARNING,
                f"column '{header}' is not in the data contract and is ignored",
                table=spec.name,
                file=raw.source.file,
                sheet=raw.source.sheet,
                row=raw.header_row,
                column=header,
            )
        )
    return problems


def _cross_table_warnings(
    tables: Mapping[str, pd.DataFrame], raws: Mapping[str, RawTable]
) -> list[Problem]:
    problems: list[Problem] = []
    orgs = tables.get("organisations")
    if orgs is not None and "is_council" in orgs:
        council_rows = orgs.index[orgs["is_council"].map(lambda v: v is True)].tolist()
        if len(council_rows) > 1:
            raw = raws["organisations"]
            locator = _Locator(raw, TABLES_BY_NAME["organisations"])
            for index in council_rows[1:]:
                problems.append(
                    locator.problem(
                        "several-councils",
                        "more than one organisation is marked is_council",
                        index,
                        "is_council",
                        "exactly one organisation marked as the council",
                    )
                )
        elif not council_rows:
            problems.append(
                Problem(
                    "no-council",
                    WARNING,
                    "no organisation is marked is_council: the council's view cannot be "
                    "compared with its partners'",
                    table="organisations",
                    file=raws["organisations"].source.file,
                    sheet=raws["organisations"].source.sheet,
                    column="is_council",
                )
            )
    partnerships = tables.get("partnerships")
    members = tables.get("memberships")
    if partnerships is not None and members is not None and "partnership_id" in partnerships:
        with_members = set(members.get("partnership_id", pd.Series(dtype=object)).dropna())
        raw = raws["partnerships"]
        locator = _Locator(raw, TABLES_BY_NAME["partnerships"])
        for index, pid in zip(partnerships.index, partnerships["partnership_id"], strict=True):
            if pid in names.PORTFOLIO_FOLDERS:
                problems.append(
                    locator.problem(
                        "reserved-id",
                        f"'{pid}' is the folder of a portfolio-wide report, so it cannot "
                        "be a partnership's id",
                        index,
                        "partnership_id",
                        expected=f"an id other than {' or '.join(sorted(names.PORTFOLIO_FOLDERS))}",
                    )
                )
            if pid is not None and pid not in with_members:
                problems.append(
                    locator.problem(
                        "no-members",
                        f"partnership '{pid}' has no rows in memberships",
                        index,
                        "partnership_id",
                        severity=WARNING,
                    )
                )
    return problems
