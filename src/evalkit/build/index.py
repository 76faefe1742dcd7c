"""``reports/index.html``: every pack in the manifest, with a link to each of its files.

The index has one column per output format in the registry
(:data:`evalkit.build.formats.FORMATS`), in registry order, then a column for the
pack's data (its workbook, :func:`evalkit.names.workbook_name`), and links the
portfolio's workbook beside the overview. Its links go to the files
the manifest lists, which are always the ones on disk: for a pack whose rebuild failed,
its last good version, and the status says so (:func:`status_text`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evalkit.build.formats import FORMATS
from evalkit.build.plan import OVERVIEW_ID, OVERVIEW_STEM, PACK_STEM
from evalkit.names import PORTFOLIO_WORKBOOK, workbook_name

INDEX_FILE = "index.html"
SUMMARY_FILE = "summary.json"
SEVERITIES = ("high", "medium", "low")
TITLE = "Partnership evidence packs"
#: The heading of the column of each pack's workbook, and its link's text.
DATA_HEADING, DATA_LABEL = "Data", "Excel"


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


def headline(summary_path: Path) -> str:
    """What a pack found, in a line: its most serious finding and counts by priority.

    Read from the ``summary.json`` the pack wrote; empty when there is none (a pack
    never built, or one that failed before writing it).
    """
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    counts = summary.get("findings") or {}
    tally = ", ".join(f"{int(counts.get(s, 0))} {s}" for s in SEVERITIES)
    top = summary.get("top_finding")
    return f"{top} (findings: {tally})" if top else f"Nothing to act on (findings: {tally})"


def _when(built: str | None) -> str:
    """A manifest time as a reader sees it: ``2026-11-26 09:30 UTC``."""
    if not built:
        return "an earlier build"
    try:
        moment = datetime.fromisoformat(built).astimezone(UTC)
    except ValueError:
        return built
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _reason(error: Mapping[str, Any]) -> str:
    """A failure in a few words (a timeout's message says it all)."""
    name, message = error.get("name") or "Error", error.get("message") or ""
    return str(message) if name == "Timeout" else f"{name}: {message}"


def status_text(record: Mapping[str, Any]) -> str:
    """What the index says of a pack's state.

    ``stale — last good version from <date>, this build failed: <reason>`` for a pack
    whose rebuild failed but whose last good version is kept and linked; ``pending``
    (with the date of the version on disk, if any) for one this build has not reached;
    else the status (``built``, ``up-to-date``, ``failed``).
    """
    status = str(record.get("status") or "")
    when = _when(record.get("built"))
    if status == "stale":
        reason = _reason(record.get("error") or {})
        return f"stale — last good version from {when}, this build failed: {reason}"
    if status == "pending" and record.get("files"):
        return f"pending — last good version from {when}"
    return status


def index_rows(
    packs: Mapping[str, Mapping[str, Any]], reports_dir: Path | None = None
) -> list[dict[str, Any]]:
    """The index's rows, by partnership name: the manifest's pack records with links.

    With ``reports_dir``, each row also carries the pack's headline (:func:`headline`).
    """
    rows = []
    for pid, rec in sorted(packs.items(), key=lambda kv: kv[1].get("name") or kv[0]):
        found = headline(reports_dir / pid / SUMMARY_FILE) if reports_dir else ""
        rows.append(
            {
                "id": pid,
                "name": rec.get("name"),
                "tier": rec.get("tier"),
                "status": status_text(rec),
                "links": [
                    *links(pid, PACK_STEM, rec.get("files", {})),
                    data_link(pid, rec.get("files", {})),
                ],
                "error": (rec.get("error") or {}).get("message")
                if rec.get("status") == "failed"
                else None,
                "found": found,
                "alert": rec.get("status") in ("failed", "stale"),
            }
        )
    return rows


def overview_link(record: Mapping[str, Any] | None) -> str | None:
    """A link to the overview's first file in registry order (its web page), if any."""
    files = (record or {}).get("files", {})
    return next((href for _, href in links(OVERVIEW_ID, OVERVIEW_STEM, files) if href), None)


def write_index(
    reports_dir: Path, manifest: Mapping[str, Any], *, notice: str | None, generated: str
) -> Path:
    """Write the index page for the manifest into the reports folder."""
    from evalkit.report.render import render_index, write_html

    page = render_index(
        index_rows(manifest.get("packs", {}), reports_dir),
        columns=[*(fmt.heading for fmt in FORMATS.values()), DATA_HEADING],
        title=TITLE,
        notice=notice,
        overview_href=overview_link(manifest.get("overview")),
        data_href=portfolio_data_link(manifest.get("overview")),
        generated=generated,
    )
    return write_html(page, reports_dir / INDEX_FILE)
