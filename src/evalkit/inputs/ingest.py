"""Find and read input tables from CSV files and Excel sheets, with bounded work.

A table named ``partnerships`` is read from ``partnerships.csv`` or from a sheet named
``partnerships`` in any ``.xlsx`` workbook in the input folder (names match ignoring
case). Every row keeps where it came from: file, sheet and the row number the user
sees in Excel or a text editor. Files are opened read-only and never written.

Nothing is trusted before it is read: files have a size limit, a workbook's zip its
unpacked size and compression ratio, and a sheet is read by its real cells (never by the
size it declares) up to a cell limit (:class:`evalkit.config.Settings`). A file that
cannot be read becomes a :class:`ReadIssue` naming the file and saying what to do, and
every one is reported together with the other problems of the input.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from evalkit.config import Settings, describe_limit
from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.normalise import header_key

ENCODINGS = ("utf-8-sig", "cp1252")
META_COLUMNS = ("_file", "_sheet", "_row")
ERROR = "error"
WARNING = "warning"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats evalkit does not read, and what each is called.
LEGACY_FORMATS = {
    ".xls": "an Excel 97-2003 workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
}
CONVERT = (
    "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx), "
    "or run: soffice --headless --convert-to xlsx"
)
SAVE_AS_CSV = "save it from Excel as 'CSV UTF-8 (Comma delimited)'"
#: Separators a CSV header is tried with, and their names.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_SIGNATURE = b"PK\x03\x04"
#: Parts of a workbook smaller than this unpacked are never refused for their ratio.
RATIO_FLOOR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Source:
    """Where a table was found."""

    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        """Human-readable location, e.g. ``portfolio.xlsx, sheet 'partnerships'``."""
        return f"{self.path.name}, sheet '{self.sheet}'" if self.sheet else self.path.name


@dataclass(frozen=True)
class ReadIssue:
    """Why an input file could not be read (or was read with a caveat), and what to do.

    Attributes:
        code: stable kebab-case code, e.g. ``encrypted-workbook``.
        severity: ``error`` (the file was not read) or ``warning`` (read, with a caveat).
        file: the file's name in the input folder.
        message: what was found, in plain English.
        expected: what to do about it, in plain English.
        sheet: the sheet, for a problem inside one sheet.
        table: the contract table the file or sheet holds, when known.
    """

    code: str
    severity: str
    file: str
    message: str
    expected: str | None = None
    sheet: str | None = None
    table: str | None = None


class UnreadableInputError(InputFileError):
    """One input file cannot be read; carries the :class:`ReadIssue` that says why."""

    def __init__(self, issue: ReadIssue) -> None:
        where = f"{issue.file}, sheet '{issue.sheet}'" if issue.sheet else issue.file
        super().__init__(f"{where}: {issue.message}")
        self.issue = issue


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


def _issue(path: Path, code: str, message: str, expected: str | None = None) -> ReadIssue:
    return ReadIssue(code, ERROR, path.name, message, expected)


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


def check_file(path: Path, kind: str, settings: Settings) -> ReadIssue | None:
    """Why a file cannot be read at all (None when it can): link, folder, size, access."""
    if path.is_symlink() and not path.exists():
        return _issue(
            path,
            "broken-link",
            "is a link to a file that does not exist",
            "replace the link with the file itself",
        )
    if path.is_dir():
        return _issue(
            path,
            "not-a-file",
            f"is a folder, but {kind} was expected (its name ends in {path.suffix})",
            f"rename the folder or move it out of the input folder, and put {kind} here",
        )
    if not path.is_file():
        return _issue(path, "not-a-file", f"is not a regular file, but {kind} was expected")
    size = path.stat().st_size
    if size > settings.max_input_bytes:
        return _issue(
            path,
            "file-too-large",
            f"is {size:,} bytes, more than the limit of {settings.max_input_bytes:,} bytes",
            f"use a smaller file, or raise the limit: {describe_limit('max_input_bytes')}",
        )
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        return _issue(
            path,
            "unreadable-file",
            f"cannot be read: {(exc.strerror or type(exc).__name__).lower()}",
            "give the account running evalkit permission to read it",
        )
    return None


def _head(path: Path, size: int = 8) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def check_workbook(path: Path, settings: Settings) -> None:
    """Check a workbook file before openpyxl opens it.

    Raises:
        UnreadableInputError: not a file, too large, an encrypted or legacy workbook
            under an .xlsx name, not a zip archive, or a zip that unpacks too far.
    """
    issue = check_file(path, "an Excel workbook", settings)
    if issue is None:
        head = _head(path)
        if head.startswith(OLE2_SIGNATURE):
            issue = ole2_issue(path, settings)
        elif not head.startswith(ZIP_SIGNATURE):
            issue = _not_a_workbook(path, head)
        else:
            issue = check_zip(path, settings, "xl/workbook.xml")
    if issue is not None:
        raise UnreadableInputError(issue)


def _not_a_workbook(path: Path, head: bytes) -> ReadIssue:
    looks = "text" if head and all(32 <= b < 127 or b in b"\t\r\n" for b in head) else "data"
    return _issue(
        path,
        "not-a-workbook",
        f"is not an Excel workbook: it holds {looks}, not the zip archive an .xlsx file is "
        "(a damaged file, or another format renamed to .xlsx)",
        f"{CONVERT} '{path.name}'",
    )


def check_zip(path: Path, settings: Settings, required_part: str) -> ReadIssue | None:
    """Why a zip-based spreadsheet must not be opened (None when it may).

    Sizes are those the archive declares; Python's zipfile never unpacks more than a
    part declares, so a lying archive fails its checksum instead of filling memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return _issue(
            path,
            "damaged-workbook",
            f"is a damaged zip archive and cannot be opened ({exc})",
            "open it in Excel or LibreOffice and save it again",
        )
    total = sum(part.file_size for part in parts)
    if total > settings.max_workbook_uncompressed_bytes:
        return _issue(
            path,
            "workbook-too-large",
            f"unpacks to {total:,} bytes, more than the limit of "
            f"{settings.max_workbook_uncompressed_bytes:,} bytes",
            f"use a smaller workbook, or raise the limit: "
            f"{describe_limit('max_workbook_uncompressed_bytes')}",
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > settings.max_compression_ratio:
            return _issue(
                path,
                "compression-ratio",
                f"part {part.filename} unpacks {ratio:,.0f} times larger than it is packed, "
                f"more than the limit of {settings.max_compression_ratio:,} "
                "(a 'zip bomb' looks like this)",
                f"use a workbook saved by Excel or LibreOffice, or raise the limit: "
                f"{describe_limit('max_compression_ratio')}",
            )
    if required_part not in {part.filename for part in parts}:
        return _issue(
            path,
            "not-a-workbook",
            f"is a zip archive but not a spreadsheet (it has no {required_part})",
            f"{CONVERT} '{path.name}'",
        )
    return None


def ole2_issue(path: Path, settings: Settings) -> ReadIssue:
    """What an OLE2 compound file (signature D0 CF 11 E0) with a workbook's name is.

    Excel stores a password-protected workbook as an OLE2 file holding an
    ``EncryptedPackage`` stream; an Excel 97-2003 workbook holds a ``Workbook`` (or
    ``Book``) stream. Stream names are stored in UTF-16 in the file's directory.
    """
    with path.open("rb") as handle:
        data = handle.read(settings.max_input_bytes)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _issue(
            path,
            "encrypted-workbook",
            "is a password-protected (encrypted) workbook, which evalkit cannot open",
            "remove the password (Excel: File > Info > Protect Workbook > Encrypt with "
            "Password, clear it) and save it again as .xlsx",
        )
    if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
        return _issue(
            path,
            "legacy-workbook",
            f"is an Excel 97-2003 workbook (.xls format) under a {path.suffix} name",
            f"{CONVERT} '{path.name}'",
        )
    return _issue(
        path,
        "not-a-workbook",
        "is an older Microsoft Office file (OLE2 format), not an .xlsx workbook",
        f"{CONVERT} '{path.name}'",
    )


def legacy_issue(path: Path, settings: Settings) -> ReadIssue:
    """A spreadsheet in a format evalkit does not read: what it is and how to convert it.

    An error when it may hold a table (its name is a table's, an .ods sheet is named
    like one, or its sheets cannot be listed, as for .xls and .xlsb); a warning for an
    .ods file none of whose sheets is a table.
    """
    kind = LEGACY_FORMATS[path.suffix.lower()]
    issue = check_file(path, kind, settings)
    if issue is not None:
        return issue
    tables = sorted(_ods_tables(path, settings)) if path.suffix.lower() == ".ods" else None
    message = f"is {kind}, which evalkit does not read"
    if tables:
        message += f"; its sheets {', '.join(tables)} look like input tables"
    if tables == [] and path.stem.strip().lower() not in TABLES_BY_NAME:
        return ReadIssue(
            "legacy-workbook",
            WARNING,
            path.name,
            message + "; none of its sheets is named like an input table, so it is ignored",
            f"to use it, {CONVERT} '{path.name}'",
        )
    return _issue(path, "legacy-workbook", message, f"{CONVERT} '{path.name}'")


def _ods_tables(path: Path, settings: Settings) -> list[str]:
    """Sheet names of an .ods file that are contract tables (empty when unreadable)."""
    from defusedxml.ElementTree import iterparse

    if check_zip(path, settings, "content.xml") is not None:
        return []
    name_key = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}name"
    table_tag = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table"
    names: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            for _, element in iterparse(content, events=("start",)):
                if element.tag == table_tag:
                    names.append(str(element.get(name_key, "")))
    except Exception:  # noqa: BLE001 - a damaged file still gets its legacy-format message
        return []
    return [n.strip().lower() for n in names if n.strip().lower() in TABLES_BY_NAME]


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
            _issue(
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


def read_text(path: Path, settings: Settings | None = None) -> tuple[str, str]:
    """Decode a text file: UTF-8 or UTF-16 (by their byte-order marks), else Windows-1252.

    Raises:
        UnreadableInputError: a workbook saved with a .csv name, binary data, or bytes
            no encoding tried can decode.
    """
    limits = settings or Settings()
    with path.open("rb") as handle:
        data = handle.read(limits.max_input_bytes + 1)
    if len(data) > limits.max_input_bytes:
        issue = check_file(path, "a CSV file", limits)
        raise UnreadableInputError(issue or _issue(path, "file-too-large", "is too large"))
    encoding = _bom_encoding(data) or _unmarked_utf16(data)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    _refuse_binary(path, data)
    failure: UnicodeDecodeError | None = None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            failure = failure or exc
    where = f" (byte {failure.start:,} is 0x{data[failure.start]:02x})" if failure else ""
    raise UnreadableInputError(
        _issue(
            path,
            "csv-encoding",
            f"is not text in an encoding evalkit reads: tried UTF-8, UTF-16 and "
            f"Windows-1252{where}",
            SAVE_AS_CSV,
        )
    )


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces (UTF-32 first: it starts like UTF-16)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _unmarked_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII text with every other byte zero."""
    sample = data[:2000]
    if len(sample) < 4 or len(sample) % 2 or b"\x00" not in sample:
        return None
    if not any(sample[1::2]) and all(sample[0::2]):
        return "utf-16-le"
    if not any(sample[0::2]) and all(sample[1::2]):
        return "utf-16-be"
    return None


def _refuse_binary(path: Path, data: bytes) -> None:
    """Refuse a workbook or other binary file saved with a .csv name."""
    if data.startswith(ZIP_SIGNATURE):
        found = "an Excel workbook (a zip archive)"
    elif data.startswith(OLE2_SIGNATURE):
        found = "an Excel 97-2003 workbook or other Office file"
    elif b"\x00" in data[:4096]:
        found = "binary data (it holds zero bytes)"
    else:
        return
    raise UnreadableInputError(
        _issue(
            path,
            "not-a-csv-file",
            f"is {found}, not CSV text",
            f"rename a workbook to .xlsx, or {SAVE_AS_CSV}",
        )
    )


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
