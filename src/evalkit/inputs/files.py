"""Check an input file before its rows are read, and decode a CSV file's text.

Nothing is trusted before it is read: a file has a size limit, a workbook's zip its
unpacked size and compression ratio (:class:`evalkit.config.Settings`), and a file's
first bytes tell an encrypted or Excel 97-2003 workbook, a renamed file or binary data
from what its name promises. A file that cannot be read becomes a :class:`ReadIssue`
naming the file and saying what to do, and every one is reported together with the
other problems of the input.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

from evalkit.config import Settings, describe_limit
from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME

ENCODINGS = ("utf-8-sig", "cp1252")
ERROR = "error"
WARNING = "warning"
INFO = "info"
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
OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_SIGNATURE = b"PK\x03\x04"
#: Parts of a workbook smaller than this unpacked are never refused for their ratio.
RATIO_FLOOR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ReadIssue:
    """Why an input file could not be read (or was read with a caveat), and what to do.

    Attributes:
        code: stable kebab-case code, e.g. ``encrypted-workbook``.
        severity: ``error`` (the file or part of it was not read), ``warning`` (read,
            with a caveat) or ``info`` (read; how, for the record).
        file: the file's name in the input folder.
        message: what was found, in plain English.
        expected: what to do about it, in plain English.
        sheet: the sheet, for a problem inside one sheet.
        table: the contract table the file or sheet holds, when known.
        row: the row (or CSV line), for a problem with one row or cell.
        column: the column letter or header, for a problem with one column or cell.
    """

    code: str
    severity: str
    file: str
    message: str
    expected: str | None = None
    sheet: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None


class UnreadableInputError(InputFileError):
    """One input file cannot be read; carries the :class:`ReadIssue` that says why."""

    def __init__(self, issue: ReadIssue) -> None:
        where = f"{issue.file}, sheet '{issue.sheet}'" if issue.sheet else issue.file
        super().__init__(f"{where}: {issue.message}")
        self.issue = issue


def file_issue(path: Path, code: str, message: str, expected: str | None = None) -> ReadIssue:
    """An error about the file at ``path`` as a whole (no sheet, no table)."""
    return ReadIssue(code, ERROR, path.name, message, expected)


# -- checking files --------------------------------------------------------------------


def check_file(path: Path, kind: str, settings: Settings) -> ReadIssue | None:
    """Why a file cannot be read at all (None when it can): link, folder, size, access."""
    if path.is_symlink() and not path.exists():
        return file_issue(
            path,
            "broken-link",
            "is a link to a file that does not exist",
            "replace the link with the file itself",
        )
    if path.is_dir():
        return file_issue(
            path,
            "not-a-file",
            f"is a folder, but {kind} was expected (its name ends in {path.suffix})",
            f"rename the folder or move it out of the input folder, and put {kind} here",
        )
    if not path.is_file():
        return file_issue(path, "not-a-file", f"is not a regular file, but {kind} was expected")
    size = path.stat().st_size
    if size > settings.max_input_bytes:
        return file_issue(
            path,
            "file-too-large",
            f"is {size:,} bytes, more than the limit of {settings.max_input_bytes:,} bytes",
            f"use a smaller file, or raise the limit: {describe_limit('max_input_bytes')}",
        )
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        return file_issue(
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
    return file_issue(
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
        return file_issue(
            path,
            "damaged-workbook",
            f"is a damaged zip archive and cannot be opened ({exc})",
            "open it in Excel or LibreOffice and save it again",
        )
    total = sum(part.file_size for part in parts)
    if total > settings.max_workbook_uncompressed_bytes:
        return file_issue(
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
            return file_issue(
                path,
                "compression-ratio",
                f"part {part.filename} unpacks {ratio:,.0f} times larger than it is packed, "
                f"more than the limit of {settings.max_compression_ratio:,} "
                "(a 'zip bomb' looks like this)",
                f"use a workbook saved by Excel or LibreOffice, or raise the limit: "
                f"{describe_limit('max_compression_ratio')}",
            )
    if required_part not in {part.filename for part in parts}:
        return file_issue(
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
        return file_issue(
            path,
            "encrypted-workbook",
            "is a password-protected (encrypted) workbook, which evalkit cannot open",
            "remove the password (Excel: File > Info > Protect Workbook > Encrypt with "
            "Password, clear it) and save it again as .xlsx",
        )
    if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
        return file_issue(
            path,
            "legacy-workbook",
            f"is an Excel 97-2003 workbook (.xls format) under a {path.suffix} name",
            f"{CONVERT} '{path.name}'",
        )
    return file_issue(
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
    return file_issue(path, "legacy-workbook", message, f"{CONVERT} '{path.name}'")


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


# -- decoding text ---------------------------------------------------------------------


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
        raise UnreadableInputError(issue or file_issue(path, "file-too-large", "is too large"))
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
        file_issue(
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
        file_issue(
            path,
            "not-a-csv-file",
            f"is {found}, not CSV text",
            f"rename a workbook to .xlsx, or {SAVE_AS_CSV}",
        )
    )
