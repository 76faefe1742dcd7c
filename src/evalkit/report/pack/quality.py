"""Data quality and caveats: how far to trust the scores, and the views by sector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import missing_share, percent_text
from evalkit.report.fragments import bullets
from evalkit.report.pack import anchors, appendix, frameworks

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

CAVEATS = (
    "Scores summarise what partners said; they are a starting point for "
    "discussion, not a verdict (formal tools can mislead when used alone).",
    "'Don't know', 'not applicable' and blank answers are treated as missing, never as zero.",
)


def html(pack: Pack) -> str:
    """Data quality and caveats, then the views by sector."""
    notes = [pack.notice, *CAVEATS] if pack.notice else list(CAVEATS)
    return (
        anchors.section_heading(2, "Data quality and caveats", anchors.QUALITY)
        + bullets(notes)
        + frameworks.print_notes(pack)
        + appendix.table(
            pack,
            _confirmation(pack),
            section="Data quality and caveats",
            name="framework-confidence",
            caption="How far each framework's content is confirmed, and missing answers",
        )
        + frameworks.by_sector_html(pack)
    )


def _confirmation(pack: Pack) -> pd.DataFrame:
    """Per framework: how far its content is confirmed, the share of answers missing."""
    share = missing_share(pack.dims())
    rows = []
    for fid in pack.frameworks_present():
        fw = pack.frameworks[fid]
        rows.append((fw.title, fw.confirmation, _missing_text(share, fid), fw.label or "—"))
    return pd.DataFrame(
        rows, columns=["Framework", "Content confirmed", "Answers missing", "Caveat"]
    )


def _missing_text(share: pd.DataFrame, framework_id: str) -> str:
    """Missing answers ÷ expected answers, e.g. "17% (2 of 12)"."""
    rows = share[share["framework_id"] == framework_id]
    if rows.empty or rows["missing_rate"].isna().all():
        return "—"
    rate, missing, expected = rows[["missing_rate", "n_missing", "n_expected"]].iloc[0]
    return f"{percent_text(float(rate))} ({int(missing)} of {int(expected)})"
