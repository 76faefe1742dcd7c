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
from evalkit.inputs.files import ERROR, WARNING, ReadIssue, UnreadableInputError
from evalkit.inputs.ingest import META_COLUMNS, RawTable, discover, read_table
from evalkit.inputs.normalise import is_valid, map_unique, normalise_column, token
from evalkit.terminal import inert

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

__all__ = ["ERROR", "WARNING", "Problem", "ValidationReport", "ValidationResult", "validate"]


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

    def summary(self) -> str:
        """Plain-text report for the terminal: one line per problem, then a count."""
        lines = [str(p) for p in self.problems]
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
        if index is not None and index in frame.index:
            row = int(cast(int, frame.at[index, "_row"]))
            if column and column in frame.columns:
                value = _show(frame.at[index, column])
        header = self.raw.headers.get(column, column) if column else None
        return Problem(
            code=code,
            severity=severity,
            message=message,
            table=self.spec.name,
            file=self.raw.source.path.name,
            sheet=self.raw.source.sheet,
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
) -> ValidationResult:
    """Read and check every table in ``raw_dir``; never raises for bad data.

    Files that cannot be read (legacy, encrypted or damaged workbooks, undecodable or
    oversized files, folders or broken links with a table's name) are problems like any
    other, all reported together.

    Args:
        raw_dir: the input folder.
        frameworks: loaded frameworks; when given, framework ids, item ids and answers
            are checked against them.
        settings: the input limits (default: ``Settings()``).

    Raises:
        InputFileError: the input folder itself is missing or cannot be listed.
    """
    report = ValidationReport(input_dir=str(raw_dir))
    raws = _read_tables(raw_dir, settings or Settings(), report)

    items, tokens, scales = _frameworks_context(frameworks)
    context: dict[str, Any] = {
        "sources": {name: raw.source.label for name, raw in raws.items()},
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
            report.problems.extend(_failures_to_problems(exc, raw, spec, context))
        normalised[spec.name] = frame
        for col in spec.columns:
            if col.unique and col.name in frame:
                references[f"{spec.name}.{col.name}"] = set(frame[col.name].dropna().map(str))
        report.tables[spec.name] = {
            "source": raw.source.label,
            "rows": len(frame),
            "encoding": raw.encoding,
        }
    report.problems.extend(_cross_table_warnings(normalised, raws))
    report.problems.sort(
        key=lambda p: (p.severity != ERROR, p.file or "", p.sheet or "", p.row or 0, p.column or "")
    )
    typed = {name: _typed(frame, TABLES_BY_NAME[name]) for name, frame in normalised.items()}
    return ValidationResult(report, typed)


def _read_tables(
    raw_dir: Path, settings: Settings, report: ValidationReport
) -> dict[str, RawTable]:
    """Every table that can be read; the problems of finding and reading them go on ``report``."""
    found = discover(raw_dir, settings)
    report.problems.extend(Problem.from_read_issue(issue) for issue in found.issues)
    unread = sorted({i.file for i in found.issues if i.severity == ERROR and i.table is None})
    raws: dict[str, RawTable] = {}
    for spec in TABLES:
        sources = found.sources.get(spec.name, [])
        if not sources:
            if spec.required and not any(i.table == spec.name for i in found.issues):
                report.problems.append(_missing_table(spec, unread))
            continue
        if len(sources) > 1:
            places = "; ".join(s.label for s in sources)
            report.problems.append(
                Problem(
                    "duplicate-table",
                    ERROR,
                    f"table '{spec.name}' appears more than once ({places}): keep one",
                    table=spec.name,
                )
            )
            continue
        try:
            raw = read_table(spec.name, sources[0], settings)
        except UnreadableInputError as exc:
            report.problems.append(Problem.from_read_issue(replace(exc.issue, table=spec.name)))
            continue
        report.problems.extend(Problem.from_read_issue(issue) for issue in raw.issues)
        raws[spec.name] = raw
    return raws


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
    problems = []
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.frame]
    for name in missing:
        problems.append(
            Problem(
                "missing-column",
                ERROR,
                f"required column '{name}' is missing",
                table=spec.name,
                file=raw.source.path.name,
                sheet=raw.source.sheet,
                row=1,
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
                file=raw.source.path.name,
                sheet=raw.source.sheet,
                row=1,
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
                    file=raws["organisations"].source.path.name,
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
