"""The pack's summary: one line per framework and the most serious findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import SEVERITY_WORDS, heading, para
from evalkit.report.labels import labelled
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

#: How many findings the summary lists.
TOP_FINDINGS = 5


def html(pack: Pack) -> str:
    """One line per framework and the top findings."""
    f = pack.findings()
    out = heading(2, "Summary") + para(_reading(pack))
    out += table_html(
        _results_by_framework(pack),
        caption="Results by framework (bands only where the framework publishes them)",
    )
    if len(f):
        shown = f[f["severity"] != "info"].head(TOP_FINDINGS)
        shown = shown.assign(severity=shown["severity"].map(SEVERITY_WORDS))
        out += table_html(
            labelled(shown, "findings", ["severity", "message"]), caption="Top findings"
        )
    return out


def _reading(pack: Pack) -> str:
    f = pack.findings()
    counts = f["severity"].value_counts().to_dict() if len(f) else {}
    text = (
        f"{len(f)} findings: {counts.get('high', 0)} high, {counts.get('medium', 0)} "
        f"medium and {counts.get('low', 0)} low priority."
    )
    top = pack.top_finding()
    if top:
        text += f" The most serious: {top}"
    return text


def _results_by_framework(pack: Pack) -> pd.DataFrame:
    rows = []
    for fid in pack.frameworks_present():
        fw = pack.frameworks[fid]
        d = pack.dims(fid)
        lowest = d.sort_values("score").iloc[0]
        diverged = int(d.get("diverged", pd.Series(dtype=bool)).fillna(False).astype(bool).sum())
        rows.append(
            (
                fw.title,
                _headline(pack, fid, d),
                f"{lowest['dimension_id']} {lowest['dimension_title']}",
                diverged if fw.mode == "survey" else "—",
            )
        )
    return pd.DataFrame(
        rows, columns=["Framework", "Result", "Weakest area", "Areas where partners disagree"]
    )


def _headline(pack: Pack, framework_id: str, d: pd.DataFrame) -> str:
    """The framework's total and band, or else the range of its dimension scores."""
    fw = pack.frameworks[framework_id]
    totals = pack.scores["framework_scores"]
    total = totals[totals["framework_id"] == framework_id] if len(totals) else totals
    if len(total) and pd.notna(total.iloc[0].get("total")):
        t = total.iloc[0]
        band = f" — {t['band']}" if pd.notna(t.get("band")) else " (no band: incomplete)"
        return f"Total {t['total']:.0f}{band}"
    return (
        f"{fw.dimension_label.capitalize()} scores {d['score'].min():.1f} to "
        f"{d['score'].max():.1f} on a {fw.scale_def.min:g}–{fw.scale_def.max:g} scale"
    )
