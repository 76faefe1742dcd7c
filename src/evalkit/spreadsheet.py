r"""Tables evalkit writes for people to open in a spreadsheet: CSV and XLSX, formula-safe.

A spreadsheet program treats a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, so text typed into a SWOT entry or a risk owner, such as
``=HYPERLINK("http://x","y")``, would run when a reader opens a processed table or a
download. Every CSV and XLSX evalkit writes goes through this module, which applies the
OWASP rule to text cells (:func:`neutralise`):

* a string whose first character, after any leading whitespace or control characters,
  is ``=``, ``+``, ``-`` or ``@``, or which begins with a tab or a carriage return, gets
  a leading apostrophe ``'``, which spreadsheet programs show as text;
* a string that is a plain number (``-5``, ``+3.2``, ``-1e3``) is left as it is, and
  numbers, dates and booleans are never changed;
* so that the rule can be undone exactly, a string that begins with ``'`` followed by
  text that would itself be quoted (``'=x``) gets one more; any other apostrophe, as in
  ``'Jobs created' missed``, is left alone. :func:`restore` drops the apostrophe only
  where :func:`neutralise` would have added it, and evalkit reads its own CSV files back
  with :func:`read_csv_frame`, getting the text exactly as it was typed.

XLSX workbooks (:func:`write_xlsx`) also store every string as a string, never as a
formula, and show control characters that XML cannot hold (see :func:`show_controls`).

Control characters (C0 except tab and newline, DEL, C1, and U+FFFE/U+FFFF) are shown
as visible escapes such as ``\x1b`` wherever text is displayed to a reader (pages,
tables, workbooks). They are invalid in HTML and XML, and an escape sequence such as
``ESC [31m`` then shows as the inert text ``\x1b[31m``. A carriage return is a line
break: ``\r\n`` and a lone ``\r`` are shown as a newline.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.atomic import atomic_path, atomic_write_text

if TYPE_CHECKING:
    import os

    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_TRIGGERS",
    "frame_to_csv",
    "neutralise",
    "read_csv_frame",
    "new_workbook",
    "put_cell",
    "restore",
    "safe_cell",
    "save_workbook",
    "sheet_title",
    "show_controls",
    "write_csv",
    "write_xlsx",
]

#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
_ALWAYS_QUOTED = ("\t", "\r")
_QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_COLUMN_WIDTH = (8, 60)
_WIDTH_SAMPLE_ROWS = 1000
_CHUNK_ROWS = 10_000
_DATE_FORMAT = "yyyy-mm-dd"


# --------------------------------------------------------------------------- one cell


def _first_significant(text: str) -> str:
    """The first character that is neither whitespace nor a control character ("" if none)."""
    for char in text:
        if not (char.isspace() or _CONTROL.match(char)):
            return char
    return ""


def _needs_quote(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    if text.startswith(_ALWAYS_QUOTED):
        return True
    if _first_significant(text) not in FORMULA_TRIGGERS:
        return False
    return _PLAIN_NUMBER.fullmatch(text.strip(" ")) is None


def neutralise(value: object) -> object:
    """Make one cell safe to open in a spreadsheet (the OWASP rule).

    Args:
        value: A cell's value.

    Returns:
        ``value`` with a leading ``'`` when it is a string a spreadsheet could read as a
        formula (or ``'`` and such a string); otherwise ``value`` itself.
        Plain numbers written as text (``"-5"``) and non-strings are returned unchanged.
    """
    return _quoted(value) if isinstance(value, str) else value


def _quoted(text: str) -> str:
    """:func:`neutralise` for a string."""
    return _QUOTE + text if _gets_quote(text) else text


def _gets_quote(text: str) -> bool:
    """True when :func:`neutralise` prefixes ``text`` with ``'``.

    Either a spreadsheet could read it as a formula, or it is an apostrophe followed by
    text that itself gets one (so that :func:`restore` can tell the two apart).
    """
    while text.startswith(_QUOTE):
        text = text[1:]
    return _needs_quote(text)


def restore(value: object) -> object:
    """Undo :func:`neutralise`: drop the leading ``'`` it added, and only that.

    Args:
        value: A cell's value as evalkit wrote it.

    Returns:
        The value as it was before :func:`neutralise`.
    """
    if isinstance(value, str) and value.startswith(_QUOTE) and _gets_quote(value[1:]):
        return value[1:]
    return value


def show_controls(text: str) -> str:
    r"""``text`` with control characters shown as visible escapes (``\x1b``, ``\x00``).

    Tab and newline are kept; ``\r\n`` and a lone ``\r`` become a newline; every other
    C0 character, DEL, every C1 character and the non-characters U+FFFE and U+FFFF
    become ``\xNN`` (``\uFFFE``). The result is valid in HTML and XML.

    Args:
        text: Text from data.

    Returns:
        The text, safe to display.
    """
    text = _LINE_BREAK.sub("\n", text)
    return _CONTROL.sub(_escape_control, text)


def _escape_control(match: re.Match[str]) -> str:
    """The visible escape of one control character."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04X}"


# --------------------------------------------------------------------------- CSV


def _map_text(frame: pd.DataFrame, func: Any) -> pd.DataFrame:
    """A copy of ``frame`` with ``func`` applied to every string cell of its text columns."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(func, na_action="ignore")
    return out


def frame_to_csv(frame: pd.DataFrame, *, notice: str | None = None, **kwargs: Any) -> str:
    r"""CSV text of ``frame`` with every text cell neutralised (numbers stay numbers).

    Args:
        frame: The table.
        notice: A line written above the header row, as a one-cell row (for example
            the invented-data notice), when given; neutralised and with control
            characters shown like any other text.
        **kwargs: Passed to :meth:`pandas.DataFrame.to_csv` (``index=False`` and
            ``lineterminator="\n"`` unless given).

    Returns:
        The CSV text.
    """
    import csv

    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    buffer = io.StringIO()
    if notice:
        line = _quoted(show_controls(notice).replace("\n", " "))
        csv.writer(buffer, lineterminator=kwargs["lineterminator"]).writerow([line])
    _map_text(frame, neutralise).to_csv(buffer, **kwargs)
    return buffer.getvalue()


def write_csv(
    path: str | os.PathLike[str],
    frame: pd.DataFrame,
    *,
    notice: str | None = None,
    excel: bool = False,
) -> Path:
    """Write ``frame`` as a formula-safe CSV file, atomically (see :func:`frame_to_csv`).

    Args:
        path: The ``.csv`` file to write.
        frame: The table.
        notice: A line above the header row, when given (see :func:`frame_to_csv`).
        excel: Begin the file with a UTF-8 byte-order mark, so that Excel reads it as
            UTF-8 rather than in the computer's legacy code page (``£`` and ``—``
            would otherwise show as ``Â£`` and ``â€”``). For downloads people open in a
            spreadsheet; pandas and Python's ``csv`` read such a file as usual
            (``encoding="utf-8-sig"``; pandas strips the mark itself).

    Returns:
        The path written.
    """
    text = frame_to_csv(frame, notice=notice)
    return atomic_write_text(path, text, encoding="utf-8-sig" if excel else "utf-8")


def read_csv_text(path: str | os.PathLike[str]) -> list[dict[str, str]]:
    """Read a CSV file evalkit wrote as text, a dict per row, each cell restored as typed.

    The plain-text counterpart of :func:`read_csv_frame` (with ``dtype=str`` and
    ``keep_default_na=False``), for code that must not load pandas, such as the
    build's planning in its main process. An empty cell reads as ``""``.

    Args:
        path: The CSV file.

    Returns:
        The rows, keyed by the header row's names.
    """
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {name: str(restore(value or "")) for name, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def read_csv_frame(path: str | os.PathLike[str], **kwargs: Any) -> pd.DataFrame:
    """Read a CSV file evalkit wrote, with its text cells restored as typed.

    Args:
        path: The CSV file.
        **kwargs: Passed to :func:`pandas.read_csv`.

    Returns:
        The table.
    """
    import pandas as pd

    return _map_text(pd.read_csv(path, **kwargs), restore)


# --------------------------------------------------------------------------- XLSX


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    r"""A valid, unused worksheet name made from ``name``.

    Excel refuses names longer than 31 characters, names holding ``[]:*?/\``, names
    beginning or ending with ``'``, blank names and two names differing only in case.

    Args:
        name: The wanted name.
        taken: Names already used in the workbook (compared without case).

    Returns:
        The name to use.
    """
    clean = show_controls(_SHEET_NAME_BAD.sub("_", name)).replace("\n", " ").strip().strip("'")
    clean = clean[:_SHEET_NAME_MAX].strip() or "Sheet"
    used = {t.casefold() for t in taken or set()}
    candidate, number = clean, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = clean[: _SHEET_NAME_MAX - len(suffix)] + suffix
    return candidate


def _cell_value(value: Any) -> Any:
    """A value openpyxl stores as itself: Python numbers, dates, booleans, text or None."""
    import pandas as pd

    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # a spreadsheet has no infinity: "inf", as text
    if isinstance(value, bool | int | float | date):
        return value
    return str(value)


def _shown(value: Any) -> tuple[Any, int]:
    """A cell's stored value (strings made inert) and its shown width in characters."""
    value = _cell_value(value)
    if isinstance(value, str):
        text = _quoted(show_controls(value))
        return text, max(len(line) for line in text.split("\n"))
    if isinstance(value, date):
        return value, len(_DATE_FORMAT)
    return value, len(str(value)) if value is not None else 0


def safe_cell(value: Any) -> Any:
    """A value ready for an openpyxl cell: text shown inert and formula-safe, others typed."""
    return _shown(value)[0]


def new_workbook() -> Workbook:
    """An empty workbook to build cell by cell (an officer return), for :func:`put_cell`.

    Tables go through :func:`write_xlsx`; a workbook laid out by hand (instructions,
    dropdowns, protected cells) is built here, every value written with :func:`put_cell`
    and the file saved with :func:`save_workbook`.
    """
    from openpyxl import Workbook

    return Workbook()


def put_cell(sheet: Worksheet, row: int, column: int, value: Any, *, bold: bool = False) -> None:
    """Write one value into a cell, formula-safe; text is stored as text, dates as dates.

    Text is neutralised (:func:`neutralise`) and its control characters shown, and is
    given the string type, so that ``#N/A`` is not read as an error code.
    """
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=column, value=safe_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    elif isinstance(cell.value, date):
        cell.number_format = "dd/mm/yyyy"
    if bold:
        cell.font = Font(bold=True)


def save_workbook(book: Workbook, path: str | os.PathLike[str]) -> Path:
    """Save a workbook built with :func:`new_workbook` atomically, with no time stamped in it."""
    final = Path(path)
    with atomic_path(final) as tmp:
        scratch = tmp.with_name(tmp.name + ".unfixed")
        try:
            book.save(scratch)
            _fix_times(scratch, tmp)
        finally:
            scratch.unlink(missing_ok=True)
    return final


def _typed(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Any:
    """A cell for a value that needs a type or a style; other values are appended as they are.

    openpyxl types a plain value itself, which is right for numbers, booleans and
    most text (text never begins with ``=`` once neutralised, so it is never a
    formula). Text equal to an error code (``#N/A``) would become an error cell, so it is
    a string cell here; dates get a date format; headings and the notice are bold.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, date):
        cell.number_format = _DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _column(sheet: WriteOnlyWorksheet, series: pd.Series) -> tuple[list[Any], int]:
    """A column's values as appended, and the widest of its first 1,000 shown (characters).

    Whole columns of numbers or booleans are converted at once (missing values become
    None); a column of anything else is converted cell by cell (:func:`_shown`).
    """
    import numpy as np
    import pandas as pd
    from openpyxl.cell.cell import ERROR_CODES

    kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else ""
    numeric = pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
    if numeric and not (kind == "f" and np.isinf(series.to_numpy(dtype=float)).any()):
        values = series.astype(object).where(series.notna(), None).tolist()
        widths = [len(str(v)) for v in values[:_WIDTH_SAMPLE_ROWS] if v is not None]
        return values, max(widths, default=0)
    values, widest = [], 0
    for index, value in enumerate(series):
        stored, width = _shown(value)
        if index < _WIDTH_SAMPLE_ROWS:
            widest = max(widest, width)
        if isinstance(stored, date) or (isinstance(stored, str) and stored in ERROR_CODES):
            stored = _typed(sheet, stored)
        values.append(stored)
    return values, widest


def _fill_sheet(sheet: WriteOnlyWorksheet, frame: pd.DataFrame, notice: str | None) -> None:
    """One frame as a sheet: the notice, a bold frozen header row, then the rows.

    The sheet is streamed (openpyxl's write-only mode) and converted 10,000 rows at a
    time, whole columns of numbers at once, so a workbook of a large portfolio's scores
    is never held in memory cell by cell. Column widths come from the header and the
    first 1,000 rows, worked out before any row is written.
    """
    from openpyxl.utils import get_column_letter

    def chunk(start: int) -> list[tuple[list[Any], int]]:
        rows = frame.iloc[start : start + _CHUNK_ROWS]
        return [_column(sheet, rows.iloc[:, j]) for j in range(frame.shape[1])]

    header = [_shown(str(name)) for name in frame.columns]
    first = chunk(0)
    low, high = _COLUMN_WIDTH
    # A write-only sheet has column widths (Worksheet._setup makes them); the stubs miss them.
    dimensions = sheet.column_dimensions  # type: ignore[attr-defined]
    for j, ((_, head), (_, body)) in enumerate(zip(header, first, strict=True), 1):
        width = max(head, body)
        dimensions[get_column_letter(j)].width = min(max(width, low), high) + 2
    top = 2 if notice else 1
    sheet.freeze_panes = f"A{top + 1}"
    if notice:
        sheet.append([_typed(sheet, _shown(notice)[0], bold=True)])
    sheet.append([_typed(sheet, value, bold=True) for value, _ in header])
    for start in range(0, len(frame), _CHUNK_ROWS):
        columns = first if start == 0 else chunk(start)
        for row in zip(*(values for values, _ in columns), strict=True):
            sheet.append(list(row))


def write_xlsx(
    path: str | os.PathLike[str],
    sheets: Mapping[str, pd.DataFrame],
    *,
    notice: str | None = None,
) -> Path:
    """Write an Excel workbook atomically, one sheet per frame, formula-safe.

    Strings are stored as strings (never formulas) and neutralised with the same rule
    as CSV cells; numbers stay numbers and dates are dates. Each sheet has a bold
    header row, frozen, and columns sized to their contents (8 to 60 characters). The
    rows are streamed to the file, so memory does not grow with the number of cells.

    Args:
        path: The ``.xlsx`` file to write.
        sheets: Sheet name → table, in order. Names are made valid with
            :func:`sheet_title`.
        notice: A line written above the header of every sheet (for example the
            invented-data notice), when given.

    Returns:
        The path written.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    taken: set[str] = set()
    for name, frame in sheets.items():
        title = sheet_title(name, taken)
        taken.add(title)
        _fill_sheet(book.create_sheet(title), frame, notice)
    if not sheets:
        book.create_sheet("Sheet")
    return save_workbook(book, path)


#: The time stamped on every part of a workbook: the earliest a zip file can hold.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def _fix_times(source: Path, target: Path) -> None:
    """Copy a workbook with no time in it, so the same tables give the same bytes.

    openpyxl stamps each part of the zip with the time it was written and records the
    time of saving as the document's created and modified dates; both would make two
    builds of the same pack differ. The parts are stamped 1980-01-01 (the earliest a
    zip can hold) and the two dates are left out, as the packs' PDFs leave theirs out.
    Parts are streamed, never read whole.
    """
    import shutil
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            part.compress_type = zipfile.ZIP_DEFLATED
            part.external_attr = 0o644 << 16
            if info.filename == "docProps/core.xml":
                new.writestr(part, _CORE_DATES.sub(b"", old.read(info)))
                continue
            with old.open(info) as reader, new.open(part, "w", force_zip64=True) as writer:
                shutil.copyfileobj(reader, writer, 1 << 20)
