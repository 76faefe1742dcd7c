"""Small pieces every report section uses: headings, paragraphs and values in words.

Text from data is escaped here, so a section never builds markup from raw values.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

#: The order frameworks appear in a pack and in the overview; others follow by id.
FRAMEWORK_ORDER = (
    "nuffield-pat",
    "lga-drivers",
    "iso44001-lifecycle",
    "governance-checklist",
    "jrf-members",
    "wilder-factors",
    "vichealth-pat",
)
SEVERITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "info": "For information"}
NOT_RECORDED = "not recorded"


def heading(level: int, text: str) -> str:
    """An ``<hN>`` heading."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def para(text: str) -> str:
    """A paragraph."""
    return f"<p>{html.escape(text)}</p>"


def bullets(items: Iterable[str]) -> str:
    """An unordered list."""
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def in_framework_order(framework_ids: Iterable[str]) -> list[str]:
    """Framework ids in report order: the shipped order, then the rest by id."""
    present = set(framework_ids)
    ordered = [f for f in FRAMEWORK_ORDER if f in present]
    return ordered + sorted(present - set(ordered))


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    return value is None or bool(pd.isna(value))


def date_text(value: Any) -> str:
    """A date as dd/mm/yyyy, or "not recorded"."""
    return NOT_RECORDED if is_missing(value) else f"{pd.Timestamp(value):%d/%m/%Y}"


def yes_no_text(value: Any, missing: str = NOT_RECORDED) -> str:
    """Yes or No, or ``missing``."""
    return missing if is_missing(value) else ("Yes" if bool(value) else "No")


def yes_no(series: pd.Series) -> pd.Series:
    """A column of Yes/No with a dash where nothing was recorded."""
    return series.map(lambda v: yes_no_text(v, "—"))


def gbp_text(value: Any) -> str:
    """Whole pounds with thousands separators, or "not recorded"."""
    return NOT_RECORDED if is_missing(value) else f"£{float(value):,.0f}"


def whole_text(value: Any) -> str:
    """A whole number with thousands separators, or "not recorded"."""
    return NOT_RECORDED if is_missing(value) else f"{float(value):,.0f}"


def text_or(value: Any, default: str = NOT_RECORDED) -> str:
    """The value as text, or ``default`` when blank."""
    return default if is_missing(value) or str(value) == "" else str(value)
