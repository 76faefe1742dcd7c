"""Dates the way people write them ("30 June 2025"), whatever the machine's locale.

Plain :mod:`datetime` only, so that code which writes a date and nothing else (the
build's index) does not load pandas; a value neither a date nor ISO text, such as a
NumPy ``datetime64``, is read with pandas when it comes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

#: Month names, so that dates read the same whatever the machine's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _as_date(value: Any) -> date:
    if isinstance(value, date):  # datetime and pandas.Timestamp are dates too
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    import pandas as pd  # other text and types: as pandas reads them

    return pd.Timestamp(value)


def date_words(value: Any) -> str:
    """A date the way people write it: "30 June 2025" (any time of day is left off).

    Args:
        value: a :class:`datetime.date`, :class:`datetime.datetime`,
            :class:`pandas.Timestamp` or ISO text.
    """
    moment = _as_date(value)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
