"""Find and read input tables from CSV files and Excel sheets.

A table named ``partnerships`` is read from ``partnerships.csv`` or from a sheet named
``partnerships`` in any ``.xlsx`` workbook in the input folder (names match ignoring
case). Every row keeps where it came from: file, sheet and the row number the user
sees in Excel or a text editor. Files are opened read-only and never written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.normalise import header_key

ENCODINGS = ("utf-8-sig", "cp1252")
META_COLUMNS = ("_file", "_sheet", "_row")


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
    """

    name: str
    source: Source
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None


def discover(raw_dir: Path) -> dict[str, list[Source]]:
    """List every place each contract table appears in ``raw_dir``.

    Raises:
        InputFileError: the folder does not exist or a workbook cannot be opened.
    """
    if not raw_dir.is_dir():
        raise InputFileError(f"{raw_dir}: input folder not found")
    found: dict[str, list[Source]] = {}
    for path in sorted(raw_dir.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        suffix = path.suffix.lower()
        if suffix == ".csv" and path.stem.lower() in TABLES_BY_NAME:
            found.setdefault(path.stem.lower(), []).append(Source(path))
        elif suffix in (".xlsx", ".xlsm"):
            for sheet in workbook_sheets(path):
                if sheet.strip().lower() in TABLES_BY_NAME:
                    found.setdefault(sheet.strip().lower(), []).append(Source(path, sheet))
    return found


def workbook_sheets(path: Path) -> list[str]:
    """Sheet names of a workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise InputFileError(f"{path.name}: cannot open as an Excel workbook ({exc})") from exc
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_text(path: Path) -> tuple[str, str]:
    """Decode a text file as UTF-8 (with or without BOM), else Windows-1252."""
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{path.name}: not UTF-8 or Windows-1252 text")


def _rows_from_csv(path: Path) -> tuple[list[tuple[int, list[object]]], str]:
    """Every record with the line it ends on (the line a text editor shows)."""
    text, encoding = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[object]]] = []
    for record in reader:
        rows.append((reader.line_num, list(record)))
    return rows, encoding


def _frame_from_csv(path: Path) -> tuple[pd.DataFrame, str] | None:
    """Fast path with pandas' C parser when every record sits on one line.

    Returns None when a quoted cell spans lines (then line numbers need the csv module).
    """
    text, encoding = read_text(path)
    if '"' in text and any("\n" in cell for cell in _quoted_cells(text)):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            header=None,
            skip_blank_lines=False,
            engine="c",
        ).fillna("")
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None  # ragged or empty: the csv module path reports it row by row
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # line numbers
    return frame, encoding


def _quoted_cells(text: str) -> list[str]:
    return text.split('"')[1::2]


def _rows_from_sheet(path: Path, sheet: str) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet]
        return [
            (number, list(values))
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _is_blank_row(values: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_table(name: str, source: Source) -> RawTable:
    """Read one table, dropping blank rows but keeping every row's original number."""
    encoding = None
    if source.sheet is None:
        fast = _frame_from_csv(source.path)
        if fast is not None:
            return _table_from_frame(name, source, *fast)
        rows, encoding = _rows_from_csv(source.path)
    else:
        rows = _rows_from_sheet(source.path, source.sheet)
    rows = [(n, values) for n, values in rows if not _is_blank_row(values)]
    if not rows:
        spec = TABLES_BY_NAME[name]
        frame = pd.DataFrame(columns=[*spec.column_names, *META_COLUMNS])
        return RawTable(name, source, frame, encoding=encoding)
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
        spec = TABLES_BY_NAME[name]
        frame = pd.DataFrame(columns=[*spec.column_names, *META_COLUMNS])
        return RawTable(name, source, frame, encoding=encoding)
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
