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
_MONEY_JUNK = re.compile(r"[£,\s]|gbp", re.IGNORECASE)


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
    """Collapse runs of whitespace and trim; blank becomes ``None``."""
    if _blank(value):
        return None
    if isinstance(value, str):
        return _SPACES.sub(" ", value).strip()
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
    """Read one date from an Excel cell or UK-style text; return it as found if unreadable."""
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value.date())
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    text = clean_text(value)
    if text is None:
        return None
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(str(text), fmt).date())
        except ValueError:
            continue
    return text


def normalise_date(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """UK dates (dd/mm/yyyy), ISO dates and Excel date cells."""
    return map_unique(series, parse_date)


def _to_number(value: object, junk: re.Pattern[str] | None) -> object:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return None if np.isnan(float(value)) else float(value)
    text = clean_text(value)
    if text is None:
        return None
    raw = str(text)
    stripped = junk.sub("", raw) if junk else raw.replace(",", "")
    negative = stripped.startswith("(") and stripped.endswith(")")
    if negative:
        stripped = stripped[1:-1]
    try:
        number = float(stripped)
    except ValueError:
        return raw
    return -number if negative else number


def normalise_money(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Accept £ signs, thousands separators, spaces and accounting brackets."""
    return map_unique(series, lambda v: _to_number(v, _MONEY_JUNK))


def normalise_number(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Accept thousands separators."""
    return map_unique(series, lambda v: _to_number(v, None))


def normalise_integer(series: pd.Series, spec: ColumnSpec) -> pd.Series:
    """Whole numbers; 3.0 is 3, 3.5 is left for the schema to reject."""

    def one(value: object) -> object:
        number = _to_number(value, None)
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
    """Match headers ignoring case, spaces, punctuation and a trailing '(£)'."""
    text = token(header)
    text = text.replace("£", "gbp")
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return text


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
