"""``reports/index.html``: what each pack found, with links to its files.

One row per partnership in the manifest: its most serious finding with its priority,
its findings counted by priority, the bands of the frameworks that publish them, the
lead directorate and tier (all from the ``summary.json`` the pack wrote, through
:class:`evalkit.report.pack.headline.Headline`), links to its web page, PDF and
workbook (:data:`evalkit.build.formats.FORMATS`, then :func:`evalkit.names.workbook_name`),
and, last, the build status and date in words (:func:`status_text`, :func:`built_text`).

Rows come with the most high-priority findings first. A small script
(``templates/index.js``) adds sort buttons to the column headings and a filter by text
and priority; the page's Content-Security-Policy allows exactly that script by its
SHA-256 (:func:`script_hash`), and without it the page is complete, in that order.

Links go to the files the manifest lists, which are always the ones on disk: for a
pack whose rebuild failed, its last good version, and the status says so.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from evalkit.build.formats import FORMATS
from evalkit.build.plan import COMMITTEE_ID, COMMITTEE_STEM, OVERVIEW_ID, OVERVIEW_STEM, PACK_STEM
from evalkit.config import TEMPLATES_DIR
from evalkit.dates import date_words
from evalkit.inputs.contract import TIERS
from evalkit.names import PORTFOLIO_WORKBOOK, without_paths, workbook_name
from evalkit.report.pack.headline import PRIORITIES, Headline
from evalkit.spreadsheet import show_controls

INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
SCRIPT_FILE = "index.js"
TITLE = "Partnership evidence packs"
#: The link text of each pack's workbook.
DATA_LABEL = "Excel"


def links(folder: str, stem: str, files: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """One (link text, relative link or None) per format, for the files a record lists."""
    return [
        (fmt.label, f"{folder}/{name}" if (name := fmt.file_name(stem)) in files else None)
        for fmt in FORMATS.values()
    ]


def data_link(folder: str, files: Mapping[str, str]) -> tuple[str, str | None]:
    """(link text, relative link or None) for a pack's workbook, if its record lists one."""
    name = workbook_name(folder)
    return (DATA_LABEL, f"{folder}/{name}" if name in files else None)


def portfolio_data_link(record: Mapping[str, Any] | None) -> str | None:
    """A link to the portfolio's workbook, if the overview's record lists one."""
    files = (record or {}).get("files", {})
    return f"{OVERVIEW_ID}/{PORTFOLIO_WORKBOOK}" if PORTFOLIO_WORKBOOK in files else None


def overview_link(record: Mapping[str, Any] | None) -> str | None:
    """A link to the overview's first file in registry order (its web page), if any."""
    return _first_link(OVERVIEW_ID, OVERVIEW_STEM, record)


def committee_link(record: Mapping[str, Any] | None) -> str | None:
    """A link to the committee cover report's web page (or first file), if any."""
    return _first_link(COMMITTEE_ID, COMMITTEE_STEM, record)


def _first_link(folder: str, stem: str, record: Mapping[str, Any] | None) -> str | None:
    files = (record or {}).get("files", {})
    return next((href for _, href in links(folder, stem, files) if href), None)


def read_headline(summary_path: Path) -> Headline | None:
    """What a pack found, from the ``summary.json`` it wrote.

    None when there is none (a pack never built, or one that failed before writing it)
    or it cannot be read.
    """
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        return Headline.from_summary(summary) if isinstance(summary, dict) else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def day_text(moment: str | None) -> str | None:
    """A manifest time as a day in words (``26 November 2026``), or None if there is none."""
    if not moment:
        return None
    try:
        when = datetime.fromisoformat(moment).astimezone(UTC)
    except ValueError:
        return None
    return date_words(when)


def _reason(error: Mapping[str, Any]) -> str:
    """A failure in a few words (a timeout's message says it all), without server paths."""
    name, message = error.get("name") or "Error", error.get("message") or ""
    return without_paths(str(message) if name == "Timeout" else f"{name}: {message}")


def status_text(record: Mapping[str, Any]) -> str:
    """What the index says of a pack's state, in words.

    ``Up to date`` for a pack built now or unchanged since; ``Failed — last good version
    from <day> shown`` for a pack whose rebuild failed but whose last good version is
    kept and linked; ``Failed — no version to show`` when there is none;
    ``Waiting to be built`` (with the day of the version shown, if any) for one this
    build has not reached.
    """
    status = str(record.get("status") or "")
    day = day_text(record.get("built"))
    shown = f"last good version from {day} shown" if day else "last good version shown"
    if status in ("built", "up-to-date"):
        return "Up to date"
    if status == "stale":
        return f"Failed — {shown}"
    if status == "failed":
        return "Failed — no version to show"
    if status == "pending":
        return f"Waiting to be built — {shown}" if record.get("files") else "Waiting to be built"
    return status.capitalize() or "Not known"


def built_text(record: Mapping[str, Any]) -> str | None:
    """When an up-to-date pack was built, in words (``Built on 26 November 2026``).

    None for any other pack: its status already gives the day of the version shown.
    """
    day = day_text(record.get("built"))
    return f"Built on {day}" if day and record.get("status") in ("built", "up-to-date") else None


def lead_text(rows: Sequence[IndexRow]) -> str:
    """The page's first sentence: how many partnerships, and how many need action now."""
    total = len(rows)
    text = f"{total} partnership{'' if total == 1 else 's'}"
    if not any(row.known for row in rows):
        return text + "."
    high = sum(bool(row.high) for row in rows)
    verb = "has" if high == 1 else "have"
    return f"{text}: {high} {verb} at least one high-priority finding (high means act now)."


@dataclass(frozen=True)
class IndexRow:
    """One partnership's row of the index; every text is shown as it is (escaped later).

    Attributes:
        id: the partnership id (its folder).
        name: the partnership's name.
        found: its most serious finding, or None if nothing calls for action or it
            is not known (``headline`` None).
        priority: that finding's priority (``high``, ``medium``, ``low``) or None.
        high, medium, low: its findings by priority; None when not known.
        bands: its bands in words, one per framework that publishes them.
        directorate: the lead directorate, if recorded.
        tier: its tier, if recorded.
        links: one (link text, relative link or None) per format, then its workbook.
        status: its build status in words (:func:`status_text`).
        built: when the version shown was built, in words (:func:`built_text`).
        error: why this build failed, if it did.
        alert: the pack failed or is stale (flagged in words and bold).
        known: a summary was read, so the headline columns are known.
    """

    id: str
    name: str
    found: str | None
    priority: str | None
    high: int | None
    medium: int | None
    low: int | None
    bands: tuple[str, ...]
    directorate: str | None
    tier: str | None
    links: list[tuple[str, str | None]]
    status: str
    built: str | None
    error: str | None
    alert: bool
    known: bool

    @property
    def priority_rank(self) -> int:
        """0 for high, 1 medium, 2 low, 3 nothing to act on, 4 not known (for sorting)."""
        if not self.known or (self.found and self.priority not in PRIORITIES):
            return len(PRIORITIES) + 1  # a summary from before priorities were written
        return PRIORITIES.index(self.priority) if self.priority in PRIORITIES else len(PRIORITIES)

    @property
    def tier_rank(self) -> int:
        """The tier's place in the register's order (strategic first; unknown last)."""
        return TIERS.index(self.tier) if self.tier in TIERS else len(TIERS)

    def order(self) -> tuple[int, int, int, str]:
        """The default order: most high, then medium, then low priority findings first."""
        counts = [-(n if n is not None else -1) for n in (self.high, self.medium, self.low)]
        return counts[0], counts[1], counts[2], self.name.casefold()


def _shown(text: Any) -> str | None:
    """Text from data with control characters made visible; None for blank."""
    return None if text is None or str(text) == "" else show_controls(str(text))


def index_row(pid: str, record: Mapping[str, Any], headline: Headline | None) -> IndexRow:
    """The index row for one pack's manifest record and its headline (if any)."""
    files = record.get("files") or {}
    error = record.get("error") or {}
    counts = (
        (headline.count("high"), headline.count("medium"), headline.count("low"))
        if headline
        else (None, None, None)
    )
    return IndexRow(
        id=pid,
        name=_shown(record.get("name")) or pid,
        found=_shown(headline.top_finding) if headline else None,
        priority=headline.top_priority if headline else None,
        high=counts[0],
        medium=counts[1],
        low=counts[2],
        bands=tuple(show_controls(b.text()) for b in headline.bands) if headline else (),
        directorate=_shown(headline.lead_directorate) if headline else None,
        tier=_shown((headline.tier if headline else None) or record.get("tier")),
        links=[*links(pid, PACK_STEM, files), data_link(pid, files)],
        status=status_text(record),
        built=built_text(record),
        error=_shown(_reason(error))
        if error and record.get("status") in ("failed", "stale")
        else None,
        alert=record.get("status") in ("failed", "stale"),
        known=headline is not None,
    )


def index_rows(
    packs: Mapping[str, Mapping[str, Any]], reports_dir: Path | None = None
) -> list[IndexRow]:
    """The index's rows in the default order (:meth:`IndexRow.order`).

    With ``reports_dir``, each row carries what its pack found (:func:`read_headline`).
    """
    rows = [
        index_row(
            pid, rec, read_headline(reports_dir / pid / SUMMARY_FILE) if reports_dir else None
        )
        for pid, rec in packs.items()
    ]
    return sorted(rows, key=IndexRow.order)


@lru_cache(maxsize=1)
def script() -> str:
    """The index's sort-and-filter script, exactly as the page holds it."""
    return (TEMPLATES_DIR / SCRIPT_FILE).read_text(encoding="utf-8")


def script_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render_page(
    rows: Sequence[IndexRow],
    *,
    notice: str | None,
    overview_href: str | None,
    data_href: str | None,
    generated: str | None,
    committee_href: str | None = None,
    with_script: bool = True,
) -> str:
    """The index page as HTML (``with_script=False``: the page as it works without it)."""
    from markupsafe import Markup

    from evalkit.report.render import _assert_self_contained, _render

    text = script() if with_script else None
    page = _render(
        "index.html.j2",
        title=TITLE,
        running_header=TITLE,
        notice=_shown(notice),
        packs=list(rows),
        overview=overview_href,
        committee=committee_href,
        data=data_href,
        generated=day_text(generated),
        lead=lead_text(rows),
        flagged=sum(row.alert for row in rows),
        script=Markup(text) if text else None,
        script_hash=script_hash(text) if text else None,
    )
    _assert_self_contained(page.replace(f"<script>{text}</script>", "") if text else page)
    return page


def write_index(
    reports_dir: Path, manifest: Mapping[str, Any], *, notice: str | None, generated: str
) -> Path:
    """Write the index page for the manifest into the reports folder."""
    from evalkit.report.render import write_html

    page = render_page(
        index_rows(manifest.get("packs", {}), reports_dir),
        notice=notice,
        overview_href=overview_link(manifest.get("overview")),
        data_href=portfolio_data_link(manifest.get("overview")),
        committee_href=committee_link(manifest.get(COMMITTEE_ID)),
        generated=generated,
    )
    return write_html(page, reports_dir / INDEX_FILE)
