r"""Small pieces every report section uses: headings, paragraphs and values in words.

Text from data is escaped here (:func:`escape`), so a section never builds markup from
raw values. Escaping makes text inert and visible:

* ``<``, ``>``, ``&`` and quotes become entities, so ``<script>`` is shown, never run;
* control characters, which HTML and XML forbid and which a terminal would obey, are
  shown as visible escapes: ``ESC [31m`` appears as ``\x1b[31m``, a NUL as ``\x00``
  (C0 except tab and newline, DEL, C1, U+FFFE and U+FFFF; a carriage return becomes a
  newline). The rule is :func:`evalkit.spreadsheet.show_controls`, the same one the
  workbooks use, so a value reads the same on a page and in a download;
* everything else, ``$...$`` and ``=HYPERLINK(...)`` included, is shown as typed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from evalkit.dates import date_words
from evalkit.spreadsheet import show_controls
from evalkit.values import is_missing

if TYPE_CHECKING:  # nothing here needs pandas loaded: the build's index uses these too
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


def escape(value: object) -> str:
    """``value`` as inert, visible HTML text (markup objects pass through as they are).

    Args:
        value: Text from data, or an object with ``__html__`` (already markup, such as
            :class:`markupsafe.Markup`).

    Returns:
        HTML-escaped text with control characters shown as visible escapes.
    """
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(show_controls(str(value)), quote=True)


def heading(level: int, text: str) -> str:
    """An ``<hN>`` heading."""
    return f"<h{level}>{escape(text)}</h{level}>"


def para(text: str) -> str:
    """A paragraph."""
    return f"<p>{escape(text)}</p>"


def bullets(items: Iterable[str]) -> str:
    """An unordered list."""
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def in_framework_order(framework_ids: Iterable[str]) -> list[str]:
    """Framework ids in report order: the shipped order, then the rest by id."""
    present = set(framework_ids)
    ordered = [f for f in FRAMEWORK_ORDER if f in present]
    return ordered + sorted(present - set(ordered))


def date_text(value: Any) -> str:
    """A date in words ("15 March 2022"), or "not recorded"."""
    return NOT_RECORDED if is_missing(value) else date_words(value)


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


def first_upper(value: Any, default: str = NOT_RECORDED) -> str:
    """A controlled value as a table cell shows it: its first letter a capital.

    "strategic" → "Strategic"; the rest is kept as written ("s75 NHS Act 2006
    agreement" → "S75 NHS Act 2006 agreement"); blank → ``default``.
    """
    text = text_or(value, default)
    return text[:1].upper() + text[1:]


def and_list(items: Sequence[str]) -> str:
    """Items joined as a sentence says them: "A", "A and B", "A, B and C"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
