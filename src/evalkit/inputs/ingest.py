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
from typing import cast

import pandas as pd

from evalkit.config import Settings, describe_limit
from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.files import (
    ERROR,
    INFO,
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
from evalkit.inputs.layout import (
    HEADER_SEARCH_ROWS,
    Rows,
    fill_merged,
    find_header,
    header_is_convincing,
    header_names,
    letter,
    scan_sheet_xml,
)
from evalkit.inputs.normalise import header_key, serial_date

META_COLUMNS = ("_file", "_sheet", "_row")
#: Separators a CSV header is tried with, and their names.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


@dataclass(frozen=True)
class Source:
    """Where a table was found.

    Attributes:
        path: the file.
        sheet: the sheet, for a workbook.
        name: the file as reports name it: its name, or for a file in a sub-folder of
            the interim folder its path from there (e.g. ``interim/survey/x/responses.csv``).
    """

    path: Path
    sheet: str | None = None
    name: str = ""

    @property
    def file(self) -> str:
        """The file as reports name it."""
        return self.name or self.path.name

    @property
    def label(self) -> str:
        """Human-readable location, e.g. ``portfolio.xlsx, sheet 'partnerships'``."""
        return f"{self.file}, sheet '{self.sheet}'" if self.sheet else self.file


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
        header_row: the row number of the header (below any title and note rows).
        header_found: False when no row looked like the header (then nothing is read).
        sources: every place the rows came from (several when a table is combined).
    """

    name: str
    source: Source
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str | None = None
    issues: list[ReadIssue] = field(default_factory=list)
    header_row: int = 1
    header_found: bool = True
    sources: list[Source] = field(default_factory=list)


# -- discovering -----------------------------------------------------------------------


def discover(
    raw_dir: Path, settings: Settings | None = None, interim_dir: Path | None = None
) -> Discovery:
    """List every place each contract table appears in ``raw_dir`` and ``interim_dir``.

    ``raw_dir`` may also be one workbook or CSV file. ``interim_dir`` (tables evalkit
    derived from returns and survey exports) is searched with its sub-folders; a missing
    interim folder holds nothing.

    Files that cannot be read (a legacy or encrypted workbook, a damaged or oversized
    file, a folder with a table's name, a broken link) are listed as issues; the other
    files are still read.

    Args:
        raw_dir: the input folder.
        settings: the input limits (default: ``Settings()``).
        interim_dir: the interim folder, searched with its sub-folders (default: none).

    Raises:
        InputFileError: the folder itself does not exist or cannot be listed.
    """
    limits = settings or Settings()
    found = Discovery()
    if raw_dir.is_file():
        _discover_file(raw_dir, limits, found)
        return found
    if not raw_dir.is_dir():
        raise InputFileError(f"{raw_dir}: input folder not found")
    try:
        entries = sorted(raw_dir.iterdir())
    except OSError as exc:
        raise InputFileError(f"{raw_dir}: input folder cannot be read ({exc.strerror})") from None
    for path in entries:
        if not path.name.startswith((".", "~$")):
            _discover_one(path, limits, found)
    if interim_dir is not None and interim_dir.is_dir():
        for path in sorted(interim_dir.rglob("*")):
            relative = path.relative_to(interim_dir)
            if path.is_dir() or any(p.startswith((".", "~$")) for p in relative.parts):
                continue
            _discover_one(path, limits, found, f"{interim_dir.name}/{relative.as_posix()}")
    return found


def _discover_file(path: Path, settings: Settings, found: Discovery) -> None:
    """Add the tables of one file given on its own (not a folder) to ``found``."""
    suffix = path.suffix.lower()
    if suffix == ".csv" and path.stem.strip().lower() not in TABLES_BY_NAME:
        found.issues.append(
            file_issue(
                path,
                "not-a-table-file",
                "is not named like an input table, so evalkit cannot tell which table it holds",
                "name the file after its table, e.g. partnerships.csv (the tables are: "
                + ", ".join(TABLES_BY_NAME)
                + ")",
            )
        )
        return
    if suffix not in (".csv", *WORKBOOK_SUFFIXES, *LEGACY_FORMATS):
        found.issues.append(
            file_issue(
                path,
                "not-an-input-file",
                "is not a CSV file or an Excel workbook",
                "give a .csv file, an .xlsx workbook or a folder of them",
            )
        )
        return
    _discover_one(path, settings, found)


def _discover_one(path: Path, settings: Settings, found: Discovery, name: str = "") -> None:
    """Add one folder entry's tables, or the reason it cannot be read, to ``found``."""
    suffix = path.suffix.lower()
    table = path.stem.strip().lower()
    if suffix == ".csv" and table in TABLES_BY_NAME:
        issue = check_file(path, "a CSV file", settings)
        if issue is None:
            found.sources.setdefault(table, []).append(Source(path, name=name))
        else:
            found.issues.append(replace(issue, table=table, file=name or issue.file))
    elif suffix in WORKBOOK_SUFFIXES:
        try:
            check_workbook(path, settings)
            sheets = workbook_sheets(path)
        except UnreadableInputError as exc:
            found.issues.append(replace(exc.issue, file=name or exc.issue.file))
            return
        for sheet in sheets:
            if sheet.strip().lower() in TABLES_BY_NAME:
                found.sources.setdefault(sheet.strip().lower(), []).append(
                    Source(path, sheet, name)
                )
    elif suffix in LEGACY_FORMATS:
        issue = legacy_issue(path, settings)
        found.issues.append(replace(issue, file=name or issue.file))


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


@dataclass
class SheetRows:
    """A sheet's rows as a person sees them, and what reading them found.

    Attributes:
        rows: non-blank rows with their numbers, merged ranges filled.
        date1904: the workbook counts dates in the 1904 date system.
        uncached: cells holding a formula saved without its result.
        copies: cells given the value of the merged range they are in (row, position).
    """

    rows: Rows
    date1904: bool = False
    uncached: list[str] = field(default_factory=list)
    copies: set[tuple[int, int]] = field(default_factory=set)


def _rows_from_sheet(path: Path, sheet: str, settings: Settings) -> SheetRows:
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
        rows = list(_bounded_rows(worksheet.iter_rows(values_only=True), path, sheet, settings))
        xml = scan_sheet_xml(path, str(getattr(worksheet, "_worksheet_path", "")))
        rows, copies = fill_merged(rows, xml.merged, settings.max_sheet_cells)
        date1904 = getattr(workbook, "epoch", None) is not None and workbook.epoch.year == 1904
        return SheetRows(rows, date1904, xml.uncached, copies)
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
        read = _rows_from_sheet(source.path, source.sheet, limits)
        table = _table_from_rows(name, source, read.rows, copies=read.copies)
        if read.date1904:
            _dates_1904(table)
        table.issues.extend(_uncached_issues(source, name, read.uncached))
        return table
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
        return _rows_from_sheet(path, sheets[0], limits).rows if sheets else []
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
    rows: Rows,
    encoding: str | None = None,
    copies: set[tuple[int, int]] | None = None,
) -> RawTable:
    """Build a RawTable from numbered rows (the csv module path and sheets).

    ``copies`` are cells filled from a merged range: not headers of their own, and not
    values under a blank header.
    """
    copies = copies or set()
    rows = [(n, values) for n, values in rows if not _is_blank_row(values)]
    if not rows:
        return _empty_table(name, source, encoding)
    choice = find_header(name, rows)
    if not header_is_convincing(name, choice):
        return _no_header(name, source, rows, choice.position, encoding)
    header_number, header = rows[choice.position]
    header = [None if (header_number, i) in copies else v for i, v in enumerate(header)]
    positions, headers, unknown, issues = _match_headers(name, source, header_number, header)
    body = rows[choice.position + 1 :]
    issues.extend(_unnamed_columns(name, source, header, body, copies))
    data: dict[str, list[object]] = {}
    for column, position in positions.items():
        data[column] = [vals[position] if position < len(vals) else None for _, vals in body]
    frame = pd.DataFrame(data, dtype=object)
    frame["_file"] = source.file
    frame["_sheet"] = source.sheet
    frame["_row"] = [n for n, _ in body]
    frame = frame.reset_index(drop=True)
    if choice.position:
        issues.append(_header_below(name, source, rows[0][0], header_number))
    return RawTable(
        name, source, frame, headers, unknown, encoding, issues, header_number, sources=[source]
    )


def _header_below(name: str, source: Source, first: int, header: int) -> ReadIssue:
    """Info: the header was found below title or note rows, which are not read."""
    above = f"row {first}" if header - first == 1 else f"rows {first} to {header - 1}"
    return ReadIssue(
        "header-row",
        INFO,
        source.file,
        f"the header is row {header}; {above} above it (a title or notes) are not read",
        sheet=source.sheet,
        table=name,
        row=header,
    )


def _no_header(name: str, source: Source, rows: Rows, best: int, encoding: str | None) -> RawTable:
    """An empty table and one error: no row of the first ones looks like the header."""
    number, values = rows[best]
    accepted = header_names(name)
    named = [str(v).strip() for v in values if header_key(v) in accepted]
    spec = TABLES_BY_NAME[name]
    required = [c.name for c in spec.columns if c.required]
    if named:
        closest = (
            f"the closest is row {number}, which names only {', '.join(named)} "
            f"of the {len(required)} required columns"
        )
    else:
        closest = f"none of them names a column of the table (row {number} is the first)"
    table = _empty_table(name, source, encoding)
    table.header_found = False
    table.issues.append(
        ReadIssue(
            "no-header-row",
            ERROR,
            source.file,
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows for table "
            f"'{name}': {closest}; nothing in it is read",
            "a header row naming the required columns: " + ", ".join(required),
            sheet=source.sheet,
            table=name,
            row=number,
        )
    )
    return table


def _unnamed_columns(
    name: str,
    source: Source,
    header: list[object],
    body: Rows,
    copies: set[tuple[int, int]] | None = None,
) -> list[ReadIssue]:
    """Errors for columns holding values under a blank header (they would be dropped)."""
    issues: list[ReadIssue] = []
    width = max((len(values) for _, values in body), default=0)
    for position in range(width):
        if position < len(header) and not _is_blank(header[position]):
            continue
        filled = [(n, vals[position]) for n, vals in body if position < len(vals)]
        filled = [(n, v) for n, v in filled if not _is_blank(v)]
        filled = [(n, v) for n, v in filled if (n, position) not in (copies or set())]
        if not filled:
            continue
        column = letter(position)
        issues.append(
            ReadIssue(
                "unnamed-column",
                ERROR,
                source.file,
                f"column {column} has no header but holds {len(filled)} value(s) "
                f"(first {column}{filled[0][0]}: {_short(filled[0][1])}); they are not read",
                "give the column a header from the data contract, or clear its values",
                sheet=source.sheet,
                table=name,
                row=filled[0][0],
                column=column,
            )
        )
    return issues


def _short(value: object) -> str:
    text = str(value).strip()
    return f"'{text[:40]}...'" if len(text) > 40 else f"'{text}'"


def _uncached_issues(source: Source, name: str, cells: list[str]) -> list[ReadIssue]:
    """Errors for formulas saved without their result: evalkit would read them as blank."""
    return [
        ReadIssue(
            "formula-without-value",
            ERROR,
            source.file,
            f"cell {cell} holds a formula saved without its result, so it reads as blank",
            "open the workbook in Excel or LibreOffice and save it again (this saves "
            "the results), or type the value",
            sheet=source.sheet,
            table=name,
            row=_cell_row(cell),
            column="".join(ch for ch in cell if ch.isalpha()) or None,
        )
        for cell in cells
    ]


def _cell_row(cell: str) -> int | None:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else None


def _dates_1904(table: RawTable) -> None:
    """Read numbers in date columns of a 1904-system workbook as dates of that system."""
    for col in TABLES_BY_NAME[table.name].columns:
        if col.kind != "date" or col.name not in table.frame:
            continue
        table.frame[col.name] = [
            (serial_date(v, date1904=True) or v)
            if isinstance(v, int | float) and not isinstance(v, bool)
            else v
            for v in table.frame[col.name]
        ]


def _table_from_frame(name: str, source: Source, raw: pd.DataFrame, encoding: str) -> RawTable:
    """Build a RawTable from a frame whose index is the line number (fast CSV path).

    A file whose header is not its first non-blank line, or has a column with values
    under a blank header, is read by :func:`_table_from_rows` instead, which reports it.
    """
    blank = (raw.apply(lambda col: col.str.strip()) == "").all(axis=1)
    raw = raw[~blank]
    if raw.empty:
        return _empty_table(name, source, encoding)
    top = [
        (int(cast(int, n)), list(values)) for n, values in raw.head(HEADER_SEARCH_ROWS).iterrows()
    ]
    choice = find_header(name, top)
    header_row = raw.iloc[0].tolist()
    body = raw.iloc[1:]
    unnamed = [
        i
        for i, cell in enumerate(header_row)
        if _is_blank(cell) and (body.iloc[:, i].str.strip() != "").any()
    ]
    if choice.position or unnamed or not header_is_convincing(name, choice):
        rows = [(int(cast(int, n)), list(values)) for n, values in raw.iterrows()]
        return _table_from_rows(name, source, rows, encoding)
    positions, headers, unknown, issues = _match_headers(
        name, source, int(raw.index[0]), header_row
    )
    frame = pd.DataFrame(
        {
            column: body.iloc[:, position].replace("", None).astype(object)
            for column, position in positions.items()
        }
    )
    frame["_file"] = source.file
    frame["_sheet"] = source.sheet
    frame["_row"] = body.index.to_numpy()
    return RawTable(
        name,
        source,
        frame.reset_index(drop=True),
        headers,
        unknown,
        encoding,
        issues,
        int(raw.index[0]),
        sources=[source],
    )


def _match_headers(
    name: str, source: Source, row: int, header: list[object]
) -> tuple[dict[str, int], dict[str, str], list[str], list[ReadIssue]]:
    """Match a header row to the contract's columns.

    Returns contract column → position, contract column → header as written, unknown
    headers, and an error for each column named twice (the first is read).
    """
    wanted = header_names(name)
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    issues: list[ReadIssue] = []
    for position, cell in enumerate(header):
        if _is_blank(cell):
            continue
        column = wanted.get(header_key(cell))
        if column is None:
            unknown.append(str(cell).strip())
        elif column not in positions:
            positions[column] = position
            headers[column] = str(cell).strip()
        else:
            first = letter(positions[column])
            issues.append(
                ReadIssue(
                    "duplicate-header",
                    ERROR,
                    source.file,
                    f"headers {first}{row} '{headers[column]}' and {letter(position)}{row} "
                    f"'{str(cell).strip()}' both name column {column}; only {first} is read",
                    "keep one of the two columns, or rename the other",
                    sheet=source.sheet,
                    table=name,
                    row=row,
                    column=letter(position),
                )
            )
    return positions, headers, unknown, issues


def combine(parts: list[RawTable]) -> RawTable:
    """One table from its several sources: rows concatenated, each keeping its place."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    headers: dict[str, str] = {}
    for part in parts:
        for column, written in part.headers.items():
            headers.setdefault(column, written)
    frames = [p.frame for p in parts if not p.frame.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else first.frame
    frame = frame.astype(object).where(frame.notna(), None)
    return RawTable(
        first.name,
        first.source,
        frame,
        headers,
        [],
        first.encoding,
        [],
        first.header_row,
        all(p.header_found for p in parts),
        [s for p in parts for s in p.sources],
    )
