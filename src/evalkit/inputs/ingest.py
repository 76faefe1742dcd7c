"""Find and read input tables from CSV files and Excel sheets, with bounded work.

A table named ``partnerships`` is read from ``partnerships.csv`` or from a sheet named
``partnerships`` in any ``.xlsx`` workbook in the input folder (names match ignoring
case). Every row keeps where it came from: file, sheet and the row number the user
sees in Excel or a text editor. Files are opened read-only and never written.

Each file is checked before it is read (:mod:`evalkit.inputs.files`), and a sheet is
read by its real cells (never by the size it declares) up to a cell limit
(:class:`evalkit.config.Settings`). A file or sheet that cannot be read becomes a
:class:`~evalkit.inputs.files.ReadIssue`, reported together with the other problems of
the input.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from evalkit.config import Settings, describe_limit
from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.files import (
    ERROR,
    LEGACY_FORMATS,
    SAVE_AS_CSV,
    WARNING,
    WORKBOOK_SUFFIXES,
    ReadIssue,
    UnreadableInputError,
    check_file,
    check_workbook,
    file_issue,
    legacy_issue,
    read_text,
)
from evalkit.inputs.normalise import header_key

META_COLUMNS = ("_file", "_sheet", "_row")
#: Separators a CSV header is tried with, and their names.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class Source:
    """Where a table was found."""

    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        """Human-readable location, e.g. ``portfolio.xlsx, sheet 'partnerships'``."""
        return f"{self.path.name}, sheet '{self.sheet}'" if self.sheet else self.path.name


@dataclass
class Discovery:
    """Every place each contract table appears, and every file that could not be read."""

    sources: dict[str, list[Source]] = field(default_factory=dict)
    issues: list[ReadIssue] = field(default_factory=list)


@dataclass
class RawTable:
    """One table as read: raw cell values plus the location of each row.

    Attributes:
        name: contract table name.
        source: where it was read from.
        frame: one column per contract column found (raw values, object dtype) plus
            ``_file``, ``_sheet`` and ``_row``.
        headers: normalised header -> header as written.
        unknown_columns: headers that match no contract column, as written.
        encoding: text encoding used (CSV only).
        issues: caveats of the reading (e.g. a CSV separated by semicolons).
    """

    name: str
    source: Source
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    issues: list[ReadIssue] = field(default_factory=list)


# -- discovering -----------------------------------------------------------------------


def discover(raw_dir: Path, settings: Settings | None = None) -> Discovery:
    """List every place each contract table appears in ``raw_dir``.

    Files that cannot be read (a legacy or encrypted workbook, a damaged or oversized
    file, a folder with a table's name, a broken link) are listed as issues; the other
    files are still read.

    Args:
        raw_dir: the input folder.
        settings: the input limits (default: ``Settings()``).

    Raises:
        InputFileError: the folder itself does not exist or cannot be listed.
    """
    limits = settings or Settings()
    if not raw_dir.is_dir():
        raise InputFileError(f"{raw_dir}: input folder not found")
    try:
        entries = sorted(raw_dir.iterdir())
    except OSError as exc:
        raise InputFileError(f"{raw_dir}: input folder cannot be read ({exc.strerror})") from None
    found = Discovery()
    for path in entries:
        if not path.name.startswith((".", "~$")):
            _discover_one(path, limits, found)
    return found


def _discover_one(path: Path, settings: Settings, found: Discovery) -> None:
    """Add one folder entry's tables, or the reason it cannot be read, to ``found``."""
    suffix = path.suffix.lower()
    table = path.stem.strip().lower()
    if suffix == ".csv" and table in TABLES_BY_NAME:
        issue = check_file(path, "a CSV file", settings)
        if issue is None:
            found.sources.setdefault(table, []).append(Source(path))
        else:
            found.issues.append(replace(issue, table=table))
    elif suffix in WORKBOOK_SUFFIXES:
        try:
            check_workbook(path, settings)
            sheets = workbook_sheets(path)
        except UnreadableInputError as exc:
            found.issues.append(exc.issue)
            return
        for sheet in sheets:
            if sheet.strip().lower() in TABLES_BY_NAME:
                found.sources.setdefault(sheet.strip().lower(), []).append(Source(path, sheet))
    elif suffix in LEGACY_FORMATS:
        found.issues.append(legacy_issue(path, settings))


def workbook_sheets(path: Path) -> list[str]:
    """Sheet names of a workbook.

    Raises:
        UnreadableInputError: openpyxl cannot open it (a damaged workbook).
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UnreadableInputError(
            file_issue(
                path,
                "damaged-workbook",
                f"cannot be opened as an Excel workbook ({_reason(exc)})",
                "open it in Excel or LibreOffice and save it again as .xlsx",
            )
        ) from None
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _reason(exc: BaseException) -> str:
    """An exception in a few words: its type and the start of its message."""
    text = str(exc).strip()
    text = text if len(text) <= 160 else text[:157] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# -- CSV -------------------------------------------------------------------------------


def _first_record(text: str, separator: str) -> list[str]:
    """The first non-blank record of the text, split by ``separator``."""
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
        if any(cell.strip() for cell in record):
            return record
    return []


def sniff_separator(text: str, name: str) -> str:
    """The separator that splits the header into the most contract columns of ``name``.

    Ties (including a header with no known column) go to the separator giving the most
    fields, and then to the comma.
    """
    wanted = {header_key(c) for c in TABLES_BY_NAME[name].column_names}

    def score(separator: str) -> tuple[int, int, bool]:
        fields = _first_record(text, separator)
        known = sum(1 for cell in fields if header_key(cell) in wanted)
        return known, len(fields), separator == ","

    return max(SEPARATORS, key=score)


def _separator_issue(path: Path, name: str, separator: str) -> ReadIssue:
    return ReadIssue(
        "csv-separator",
        WARNING,
        path.name,
        f"fields are separated by {SEPARATORS[separator]}, not commas: read with "
        f"{SEPARATORS[separator]} as the separator",
        f"nothing to do; to read it without this warning, {SAVE_AS_CSV}",
        table=name,
    )


def _rows_from_csv(text: str, separator: str) -> list[tuple[int, list[object]]]:
    """Every record with the line it ends on (the line a text editor shows)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[int, list[object]]] = []
    for record in reader:
        rows.append((reader.line_num, list(record)))
    return rows


def _frame_from_csv(text: str, separator: str) -> pd.DataFrame | None:
    """Fast path with pandas' C parser when every record sits on one line.

    Returns None when a quoted cell spans lines (then line numbers need the csv module).
    """
    if '"' in text and any("\n" in cell for cell in _quoted_cells(text)):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            header=None,
            skip_blank_lines=False,
            engine="c",
        ).fillna("")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None  # ragged or empty: the csv module path reports it row by row
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # line numbers
    return frame


def _quoted_cells(text: str) -> list[str]:
    return text.split('"')[1::2]


# -- sheets ----------------------------------------------------------------------------


def _rows_from_sheet(path: Path, sheet: str, settings: Settings) -> list[tuple[int, list[object]]]:
    """The sheet's non-blank rows with their numbers, read by the cells really present.

    Raises:
        UnreadableInputError: the sheet's XML is damaged, or its rows times its widest
            row pass ``settings.max_sheet_cells``.
    """
    from openpyxl import load_workbook

    def damaged(exc: BaseException) -> UnreadableInputError:
        return UnreadableInputError(
            ReadIssue(
                "damaged-sheet",
                ERROR,
                path.name,
                f"cannot be read ({_reason(exc)})",
                "open the workbook in Excel or LibreOffice and save it again",
                sheet=sheet,
            )
        )

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise damaged(exc) from None
    try:
        worksheet = workbook[sheet]
        worksheet.reset_dimensions()  # never pad rows to the size the sheet declares
        return list(_bounded_rows(worksheet.iter_rows(values_only=True), path, sheet, settings))
    except UnreadableInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged XML raises parser errors of many types
        raise damaged(exc) from None
    finally:
        workbook.close()


def _bounded_rows(
    rows: Iterator[tuple[object, ...]], path: Path, sheet: str, settings: Settings
) -> Iterator[tuple[int, list[object]]]:
    """Non-blank rows, trailing blanks cut, refusing a sheet wider times longer than allowed."""
    widest = 1
    for number, values in enumerate(rows, start=1):
        width = len(values)
        while width and _is_blank(values[width - 1]):
            width -= 1
        widest = max(widest, width)
        if number * widest > settings.max_sheet_cells:
            raise UnreadableInputError(
                ReadIssue(
                    "sheet-too-large",
                    ERROR,
                    path.name,
                    f"holds more than {settings.max_sheet_cells:,} cells (rows times its "
                    f"widest row: {number:,} rows, up to {widest:,} columns)",
                    f"use a smaller sheet, or raise the limit: {describe_limit('max_sheet_cells')}",
                    sheet=sheet,
                )
            )
        if width:
            yield number, list(values[:width])


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_row(values: list[object]) -> bool:
    return all(_is_blank(v) for v in values)


# -- tables ----------------------------------------------------------------------------


def read_table(name: str, source: Source, settings: Settings | None = None) -> RawTable:
    """Read one table, dropping blank rows but keeping every row's original number.

    Raises:
        UnreadableInputError: the file or sheet cannot be read (see :class:`ReadIssue`).
    """
    limits = settings or Settings()
    if source.sheet is not None:
        return _table_from_rows(name, source, _rows_from_sheet(source.path, source.sheet, limits))
    text, encoding = read_text(source.path, limits)
    separator = sniff_separator(text, name)
    issues = [] if separator == "," else [_separator_issue(source.path, name, separator)]
    fast = _frame_from_csv(text, separator)
    if fast is not None:
        table = _table_from_frame(name, source, fast, encoding)
    else:
        table = _table_from_rows(name, source, _rows_from_csv(text, separator), encoding)
    table.issues.extend(issues)
    return table


def read_rows(path: Path, settings: Settings | None = None) -> list[tuple[int, list[object]]]:
    """Every non-blank row of a CSV file or a workbook's first sheet, with its number.

    For files laid out other than as a contract table (survey exports): the same checks,
    text decoding and cell limits as :func:`read_table`; a CSV file's separator is the
    one that splits its first record into the most fields (commas on a tie).

    Raises:
        UnreadableInputError: the file or sheet cannot be read (see :class:`ReadIssue`).
    """
    limits = settings or Settings()
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        check_workbook(path, limits)
        sheets = workbook_sheets(path)
        return _rows_from_sheet(path, sheets[0], limits) if sheets else []
    issue = check_file(path, "a CSV file", limits)
    if issue is not None:
        raise UnreadableInputError(issue)
    text, _ = read_text(path, limits)
    separator = max(SEPARATORS, key=lambda s: (len(_first_record(text, s)), s == ","))
    rows = _rows_from_csv(text, separator)
    return [(number, values) for number, values in rows if not _is_blank_row(values)]


def _empty_table(name: str, source: Source, encoding: str | None) -> RawTable:
    spec = TABLES_BY_NAME[name]
    frame = pd.DataFrame(columns=[*spec.column_names, *META_COLUMNS])
    return RawTable(name, source, frame, encoding=encoding)


def _table_from_rows(
    name: str,
    source: Source,
    rows: list[tuple[int, list[object]]],
    encoding: str | None = None,
) -> RawTable:
    """Build a RawTable from numbered rows (the csv module path and sheets)."""
    rows = [(n, values) for n, values in rows if not _is_blank_row(values)]
    if not rows:
        return _empty_table(name, source, encoding)
    _, header = rows[0]
    positions, headers, unknown = _match_headers(name, header)
    body = rows[1:]
    data: dict[str, list[object]] = {}
    for column, position in positions.items():
        data[column] = [vals[position] if position < len(vals) else None for _, vals in body]
    frame = pd.DataFrame(data, dtype=object)
    frame["_file"] = source.path.name
    frame["_sheet"] = source.sheet
    frame["_row"] = [n for n, _ in body]
    frame = frame.reset_index(drop=True)
    return RawTable(name, source, frame, headers, unknown, encoding)


def _table_from_frame(name: str, source: Source, raw: pd.DataFrame, encoding: str) -> RawTable:
    """Build a RawTable from a frame whose index is the line number (fast CSV path)."""
    blank = (raw.apply(lambda col: col.str.strip()) == "").all(axis=1)
    raw = raw[~blank]
    if raw.empty:
        return _empty_table(name, source, encoding)
    header_row = raw.iloc[0].tolist()
    body = raw.iloc[1:]
    positions, headers, unknown = _match_headers(name, header_row)
    frame = pd.DataFrame(
        {
            column: body.iloc[:, position].replace("", None).astype(object)
            for column, position in positions.items()
        }
    )
    frame["_file"] = source.path.name
    frame["_sheet"] = source.sheet
    frame["_row"] = body.index.to_numpy()
    return RawTable(name, source, frame.reset_index(drop=True), headers, unknown, encoding)


def _match_headers(
    name: str, header: list[object]
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Contract column → position, contract column → header as written, unknown headers."""
    spec = TABLES_BY_NAME[name]
    wanted = {header_key(c): c for c in spec.column_names}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for position, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        column = wanted.get(header_key(cell))
        if column is None:
            unknown.append(str(cell).strip())
        elif column not in positions:
            positions[column] = position
            headers[column] = str(cell).strip()
    return positions, headers, unknown
