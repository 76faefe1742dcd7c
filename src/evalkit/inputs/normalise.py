"""Turn what spreadsheets really contain into typed values.

Each ``normalise_<kind>`` function takes a Series of raw cell values (strings from a
CSV, or whatever openpyxl read from a sheet) and returns a Series of the same index
where every value it could read is converted and every value it could not read is
left exactly as found. Blank cells become ``None``. Deciding that an unread value is
an error is the schema's job (:mod:`evalkit.inputs.schemas`), so all problems are reported
together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from evalkit.inputs.contract import ColumnSpec
from evalkit.names import id_problem

TRUE_TOKENS = frozenset({"yes", "y", "true", "t", "x", "1", "✓", "✔"})
FALSE_TOKENS = frozenset({"no", "n", "false", "f", "0"})
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y")
_SPACES = re.compile(r"\s+")
#: Characters a person does not see: zero-width spaces and joiners, the byte-order mark.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def map_unique(series: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``series.map(func)``, calling ``func`` once per distinct value.

    Survey exports repeat the same few values hundreds of thousands of times, so this
    is where validation of a large portfolio spends its time. The fast path is used for
    text, numbers and dates only: mixing ``True`` with ``1`` (which compare equal) would
    let one stand for the other.
    """
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind not in ("string", "empty", "floating", "integer", "datetime", "date"):
        return series.map(func)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for index, value in enumerate(uniques):
        results[index] = func(value)
    results[-1] = func(None)
    return pd.Series(results[codes], index=series.index, dtype=object)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def clean_text(value: object) -> object:
    """Trim a cell's text and collapse its whitespace; blank becomes ``None``.

    Non-breaking spaces count as spaces; characters a person cannot see are dropped,
    and so is a lone leading apostrophe (Excel's mark for "keep as text", never shown:
    ``'0123`` is ``0123``). An apostrophe that opens a quotation closed later in the
    text, as in ``'Jobs created' missed``, is kept.
    """
    if _blank(value):
        return None
    if isinstance(value, str):
        text = _SPACES.sub(" ", _INVISIBLE.sub("", value)).strip()
        if text.startswith("'") and "'" not in text[1:]:
            text = text[1:].strip()
        return text or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def token(value: object) -> str:
    """Lower-case, whitespace-collapsed form used to compare controlled values."""
    text = clean_text(value)
    return "" if text is None else str(text).lower().replace("’", "'")


def normalise_text(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Trim and collapse whitespace."""
    return map_unique(series, clean_text)


def normalise_slug(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Ids are compared lower-case and trimmed; what is still not a safe id is left as found.

    The rule for ids is :func:`evalkit.names.id_problem` (ids become file and folder
    names); the schema reports what breaks it.
    """

    def one(value: object) -> object:
        text = clean_text(value)
        if text is None:
            return None
        lowered = str(text).lower()
        return lowered if id_problem(lowered) is None else text

    return map_unique(series, one)


def normalise_enum(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Match any case and spacing, and the column's aliases, to the canonical spelling."""
    lookup = {token(v): v for v in spec.allowed}
    lookup.update({token(k): v for k, v in spec.aliases.items()})

    def one(value: object) -> object:
        text = clean_text(value)
        if text is None:
            return None
        return lookup.get(token(text), text)

    return map_unique(series, one)


def normalise_bool(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Yes/Y/TRUE/x/1 are true; No/N/FALSE/0 are false."""

    def one(value: object) -> object:
        if isinstance(value, bool | np.bool_):
            return bool(value)
        text = token(value)
        if text == "":
            return None
        if text in TRUE_TOKENS:
            return True
        if text in FALSE_TOKENS:
            return False
        return clean_text(value)

    return map_unique(series, one)


def parse_date(value: object) -> object:
    """Read one date; return it as found if unreadable.

    Accepts an Excel date cell, an Excel serial number (1900 date system) and UK-style
    or ISO text.
    """
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value.date())
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        if np.isnan(float(value)):
            return None
        return serial_date(float(value)) or value
    text = clean_text(value)
    if text is None:
        return None
    if str(text).isdigit():
        return serial_date(float(str(text))) or text
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(str(text), fmt).date())
        except ValueError:
            continue
    return text


def normalise_date(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """UK dates (dd/mm/yyyy), ISO dates and Excel date cells."""
    return map_unique(series, parse_date)


#: Excel's day zero in the 1900 date system (it counts 1900 as a leap year, so serials
#: from 61 onwards, every modern date, are days since 30 December 1899).
EXCEL_1900 = dt.date(1899, 12, 30)
#: Day zero of the 1904 date system, used by workbooks from old Mac Excel.
EXCEL_1904 = dt.date(1904, 1, 1)
#: Dates read from an Excel serial number must fall in these years; any other number in
#: a date column is refused (a year typed alone, an amount pasted in the wrong column).
SERIAL_YEARS = (1950, 2099)


def serial_date(value: float, date1904: bool = False) -> pd.Timestamp | None:
    """The date an Excel serial number stands for.

    None when it is not a whole day within ``SERIAL_YEARS``.
    """
    if not float(value).is_integer():
        return None
    start = EXCEL_1904 if date1904 else EXCEL_1900
    try:
        day = start + dt.timedelta(days=int(value))
    except OverflowError:
        return None
    if not SERIAL_YEARS[0] <= day.year <= SERIAL_YEARS[1]:
        return None
    return pd.Timestamp(day)


#: Words and signs people write for an amount of nothing.
ZERO_TOKENS = frozenset({"-", "–", "—", "nil", "£-", "£–", "£—", "£0", "£nil"})
#: Multipliers written after an amount, e.g. £1.2m, £5k, £1.25 million.
MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
#: Digits alone, or grouped in threes by commas or by spaces, with an optional decimal part.
_PLAIN = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?|\d{1,3}( \d{3})+(\.\d+)?")
_AMOUNT = re.compile(
    r"(?P<sign>-?)\s*(?:£|gbp)?\s*(?P<sign2>-?)\s*(?P<digits>[\d., ]*\d)\s*"
    r"(?P<mult>k|thousand|mn|m|million|bn|billion)?\s*(?:gbp)?",
    re.IGNORECASE,
)


def _strip_text(value: object) -> str | None:
    """A cell as text, trimmed and without a leading apostrophe (None when blank)."""
    text = clean_text(value)
    return None if text is None else str(text)


def _plain_number(text: str) -> float | None:
    """Read ``1250000``, ``1,250,000.00`` or ``1 250 000``; None for anything else."""
    if _PLAIN.fullmatch(text) is None:
        return None
    return float(text.replace(",", "").replace(" ", ""))


def _to_number(value: object) -> object:
    """A number from a cell: Excel numbers, or text with correctly grouped thousands."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return None if np.isnan(float(value)) else float(value)
    text = _strip_text(value)
    if text is None:
        return None
    bracketed = text.startswith("(") and text.endswith(")")
    inner = text[1:-1].strip() if bracketed else text
    minus = inner.startswith("-")
    number = _plain_number(inner[1:].strip() if minus else inner)
    if number is None or (bracketed and minus):
        return text
    return -number if bracketed or minus else number


def read_amount(value: object) -> object:
    """Read an amount in pounds as people write it; return it as found if unreadable.

    ========================  =============  ===========================================
    written                   read as        rule
    ========================  =============  ===========================================
    ``1250000``, ``1250000.5``  1250000.0    plain digits, optional decimal point
    ``1,250,000.00``          1250000.0      commas (or spaces) grouping thousands
    ``£1,250,000``, ``GBP 500``  1250000.0   a pound sign or GBP before or after
    ``£5k``, ``£5 thousand``  5000.0         k or thousand: times 1,000
    ``£1.2m``, ``£1.25 million``  1200000.0  m, mn or million: times 1,000,000
    ``£2bn``                  2000000000.0   bn or billion: times 1,000,000,000
    ``(5,000)``, ``-£5,000``  -5000.0        brackets or a minus sign: a negative amount
    ``-``, ``—``, ``nil``     0.0            a dash or nil on its own: zero
    ========================  =============  ===========================================

    Refused (left as found, reported with :func:`amount_problem`): ranges
    (``£5k-£10k``), approximate amounts (``c. £5k``, ``~5000``), a decimal comma
    (``1,25``), more than one decimal point (``1.2.3``) and any other text.
    """
    if isinstance(value, bool | int | float | np.integer | np.floating):
        return _to_number(value)
    text = _strip_text(value)
    if text is None:
        return None
    if text.lower().replace(" ", "") in ZERO_TOKENS:
        return 0.0
    bracketed = text.startswith("(") and text.endswith(")")
    inner = text[1:-1].strip() if bracketed else text
    match = _AMOUNT.fullmatch(inner)
    if match is None:
        return text
    number = _plain_number(match["digits"].strip())
    if number is None:
        return text
    signs = [bracketed, bool(match["sign"]), bool(match["sign2"])]
    if sum(signs) > 1:
        return text
    if match["mult"]:
        number = round(number * MULTIPLIERS[match["mult"].lower()], 2)
    return -number if any(signs) else number


def amount_problem(text: str) -> str:
    """Why a value in an amount column could not be read, in plain English."""
    lowered = text.lower()
    if re.search(r"\d\s*[a-z]*\s*(-|–|—|to)\s*£?\s*\d", lowered):
        return "it looks like a range: give one amount"
    if re.match(r"(c\.?|ca\.?|circa|approx\.?|about|around|~|<|>|up to|over|under)\s*\S", lowered):
        return "it looks approximate: give the amount itself"
    if lowered.count(".") > 1:
        return "it has more than one decimal point"
    if re.search(r"\d,\d{1,2}(\D|$)", lowered) or re.search(r"\d,\d{4,}", lowered):
        return "its comma does not group thousands (a decimal comma?): write 1.25 or 1,250"
    return "it is not an amount evalkit can read"


def normalise_money(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Amounts as people write them (see :func:`read_amount` for every rule)."""
    return map_unique(series, read_amount)


def normalise_number(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Plain numbers, with commas or spaces grouping thousands."""
    return map_unique(series, _to_number)


def normalise_integer(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Whole numbers; 3.0 is 3, 3.5 is left for the schema to reject."""

    def one(value: object) -> object:
        number = _to_number(value)
        if isinstance(number, float) and number.is_integer():
            return int(number)
        return number

    return map_unique(series, one)


def normalise_list(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Semicolon-separated items, each trimmed, rejoined with '; '."""

    def one(value: object) -> object:
        text = clean_text(value)
        if text is None:
            return None
        parts = [p.strip() for p in str(text).split(";") if p.strip()]
        return "; ".join(parts) if parts else None

    return map_unique(series, one)


NORMALISERS: dict[str, Callable[[pd.Series, ColumnSpec], pd.Series]] = {
    "slug": normalise_slug,
    "text": normalise_text,
    "enum": normalise_enum,
    "bool": normalise_bool,
    "date": normalise_date,
    "money": normalise_money,
    "number": normalise_number,
    "integer": normalise_integer,
    "list": normalise_list,
}


def normalise_column(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Normalise one column according to its spec."""
    return NORMALISERS[spec.kind](series, spec).astype(object)


def header_key(header: object) -> str:
    """Match headers ignoring case, spaces and punctuation, with £ read as 'gbp'.

    ``PartnershipID``, ``Partnership-ID`` and ``partnership id`` all give
    ``partnershipid``; ``Council cash (£)`` gives ``councilcashgbp``.
    """
    text = token(header).replace("£", "gbp")
    return re.sub(r"[^a-z0-9]+", "", text)


def is_valid(value: object, spec: ColumnSpec) -> bool:
    """Whether a normalised value has the right type for its column (blanks pass)."""
    if value is None:
        return True
    kind = spec.kind
    if kind == "slug":
        return isinstance(value, str) and id_problem(value) is None
    if kind in ("text", "list"):
        return isinstance(value, str)
    if kind == "enum":
        return value in spec.allowed
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "date":
        return isinstance(value, pd.Timestamp)
    if kind in ("money", "number"):
        return isinstance(value, float)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    raise ValueError(f"unknown column kind {kind!r}")
