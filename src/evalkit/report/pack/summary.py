"""The pack's summary of results: the findings by priority and one line per framework."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.findings import Severity
from evalkit.method.rules import has_answers, plural
from evalkit.report.fragments import SEVERITY_WORDS, para
from evalkit.report.pack import anchors, downloads

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def html(pack: Pack) -> str:
    """The findings by priority, the most serious, and one line per framework."""
    out = anchors.section_heading(2, "Summary of results", anchors.SUMMARY) + para(_reading(pack))
    out += downloads.table(
        pack,
        _results_by_framework(pack),
        name="results-by-framework",
        caption="Results by framework (bands only where the framework publishes them)",
        empty_text="No framework could be scored: no evidence was recorded in this round.",
    )
    return out


def _reading(pack: Pack) -> str:
    f = pack.findings()
    text = ""
    dims = pack.dims()
    if dims.empty or not has_answers(dims).any():
        text = (
            f"No evidence was recorded for this partnership in {pack.assessment_round}: "
            "no survey answers and no checklist ratings, so no framework could be scored. "
        )
    counts = f["severity"].value_counts().to_dict() if len(f) else {}
    text += (
        f"{plural(len(f), 'finding')}: {counts.get('high', 0)} high, "
        f"{counts.get('medium', 0)} medium and {counts.get('low', 0)} low priority"
    )
    if counts.get("info", 0):
        text += f", and {counts['info']} for information"
    text += "."
    top = most_serious(f)
    if top is not None:
        text += (
            f" The most serious ({SEVERITY_WORDS[str(top['severity'])].lower()} priority): "
            f"{top['message']}"
        )
    return text


def most_serious(findings: pd.DataFrame) -> pd.Series | None:
    """The first finding of the highest severity present (information-only left out)."""
    if findings.empty:
        return None
    acted = findings[findings["severity"] != Severity.INFO.value]
    if acted.empty:
        return None
    rank = acted["severity"].map({s.value: s.rank for s in Severity})
    first: pd.Series = acted.loc[rank.sort_values(kind="stable").index[0]]
    return first


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
                fw.statements_words,
                f"{lowest['dimension_id']} {lowest['dimension_title']}",
                diverged if fw.mode == "survey" else "—",
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "Framework",
            "Result",
            "Statements",
            "Weakest area",
            "Areas where partners disagree",
        ],
    )


def _headline(pack: Pack, framework_id: str, d: pd.DataFrame) -> str:
    """The framework's total and band, or else the range of its dimension scores."""
    fw = pack.frameworks[framework_id]
    totals = pack.scores["framework_scores"]
    total = totals[totals["framework_id"] == framework_id] if len(totals) else totals
    if len(total) and "round" in total:
        total = total[total["round"].astype(str) == pack.assessment_round]
    if len(total) and pd.notna(total.iloc[0].get("total")):
        t = total.iloc[0]
        if pd.notna(t.get("band")):
            band = f" — {t['band']}" + (" (indicative band)" if fw.band_indicative else "")
        elif not bool(t.get("complete", True)):
            band = " (no band: not every item was answered)"
        else:
            band = ""
        return f"Total {t['total']:.0f}{band}"
    return (
        f"{fw.dimension_label.capitalize()} scores {d['score'].min():.1f} to "
        f"{d['score'].max():.1f} on a {fw.scale_def.min:g}–{fw.scale_def.max:g} scale"
    )
