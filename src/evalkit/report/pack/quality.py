"""Data quality and caveats: how far to trust the scores, and the views by sector."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import bullets, heading
from evalkit.report.pack import frameworks
from evalkit.report.render import table_html

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
        heading(2, "Data quality and caveats")
        + bullets(notes)
        + table_html(
            _confirmation(pack),
            caption="How far each framework's content is confirmed, and missing answers",
        )
        + frameworks.by_sector_html(pack)
    )


def _confirmation(pack: Pack) -> pd.DataFrame:
    """Per framework: how far its content is confirmed, the share of answers missing."""
    d = pack.dims()
    rows = []
    for fid in pack.frameworks_present():
        fw = pack.frameworks[fid]
        missing = d[d["framework_id"] == fid]["missing_rate"].mean()
        rows.append((fw.title, fw.confirmation, f"{missing:.0%}", fw.label or "—"))
    return pd.DataFrame(
        rows, columns=["Framework", "Content confirmed", "Answers missing", "Caveat"]
    )
