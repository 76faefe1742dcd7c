"""A framework's section (reading, chart, table, total) and the views by sector.

Each organisation's view is kept apart in survey frameworks; small groups in the
views by sector are suppressed (disclosure control).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report import charts
from evalkit.report.fragments import heading, para
from evalkit.report.labels import label, labelled
from evalkit.report.render import callout_html, figure_html, table_html

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.pack.evidence import Pack

DIMENSIONS = "dimension_scores"
#: Columns of a survey framework's table, and the format of each number shown.
SURVEY_COLUMNS: dict[str, str | None] = {
    "dimension_id": None,
    "dimension_title": None,
    "score": "{:.2f}",
    "min_org": "{:.2f}",
    "max_org": "{:.2f}",
    "sd": "{:.2f}",
    "n_organisations": None,
    "n_respondents": None,
    "diverged": None,
    "council_gap": "{:+.2f}",
}
#: Columns of a checklist framework's table, and the format of each number shown.
CHECKLIST_COLUMNS: dict[str, str | None] = {
    "dimension_id": None,
    "dimension_title": None,
    "score": "{:.2f}",
    "n_items": None,
    "n_missing": None,
    "n_no_evidence": None,
}


def html(pack: Pack, framework_id: str) -> str:
    """A framework's section: reading, chart and table; each organisation kept apart."""
    fw = pack.frameworks[framework_id]
    d = pack.dims(framework_id)
    out = heading(2, fw.title)
    if fw.label:
        out += callout_html(fw.label, kind="note")
    if d.empty:
        return out + para("No answers were recorded for this framework in this round.")
    out += para(_reading(fw, d))
    if fw.mode == "survey":
        out += figure_html(_profile_chart(pack, framework_id, d))
        out += _dimension_table(fw, d, SURVEY_COLUMNS)
    else:
        out += figure_html(_bar_chart(fw, d))
        out += _dimension_table(fw, d, CHECKLIST_COLUMNS, {"score": "Mean rating"})
    return out + _total(pack, framework_id)


def _reading(fw: Framework, d: pd.DataFrame) -> str:
    low = d.sort_values("score").iloc[0]
    high = d.sort_values("score").iloc[-1]
    text = (
        f"Strongest {fw.dimension_label}: {high['dimension_title']} ({high['score']:.1f}); "
        f"weakest: {low['dimension_title']} ({low['score']:.1f}), on a "
        f"{fw.scale_def.min:g}–{fw.scale_def.max:g} scale."
    )
    if fw.mode == "survey":
        diverged = d[d["diverged"].fillna(False).astype(bool)]
        if len(diverged):
            names = ", ".join(diverged["dimension_title"])
            text += f" Organisations are on opposite sides of the agree line on: {names}."
        else:
            text += " No organisations sit on opposite sides of the agree line."
        n_orgs = int(d["n_organisations"].max())
        text += f" {n_orgs} organisations answered; each organisation's view counts once."
    if not fw.bands:
        text += " The source publishes no score bands, so none are applied."
    return text


def _profile_chart(pack: Pack, framework_id: str, d: pd.DataFrame) -> charts.Chart:
    """Each organisation's score on each dimension (survey frameworks)."""
    fw = pack.frameworks[framework_id]
    orgs = pack.scores["organisation_scores"]
    orgs = orgs[
        (orgs["framework_id"] == framework_id)
        & (orgs["round"].astype(str) == pack.assessment_round)
    ].copy()
    orgs["organisation_name"] = orgs["organisation_id"].map(pack.org_names())
    orgs = orgs.merge(d[["dimension_id", "dimension_title"]], on="dimension_id")
    return charts.profile_chart(
        orgs,
        scale_min=fw.scale_def.min,
        scale_max=fw.scale_def.max,
        agree_line=fw.scale_def.agree_line,
        title=f"{fw.short_title or fw.title}: each organisation's view",
    )


def _bar_chart(fw: Framework, d: pd.DataFrame) -> charts.Chart:
    """The agreed rating of each dimension (checklist frameworks), with its bands."""
    bands = [b.model_dump() for b in fw.bands] if fw.bands_level == "dimension" else None
    return charts.bar_chart(
        d,
        category="dimension_title",
        value="score",
        scale_min=fw.scale_def.min,
        scale_max=fw.scale_def.max,
        title=f"{fw.short_title or fw.title}: rating by {fw.dimension_label}",
        bands=bands,
    )


def _dimension_table(
    fw: Framework,
    d: pd.DataFrame,
    columns: Mapping[str, str | None],
    overrides: Mapping[str, str] | None = None,
) -> str:
    """The dimension scores as a table, with each dimension's band where there are any."""
    headings = {"dimension_title": fw.dimension_label.capitalize(), **(overrides or {})}
    table = labelled(d, DIMENSIONS, list(columns), headings)
    formats = {
        headings.get(c) or label(DIMENSIONS, c): f for c, f in columns.items() if f is not None
    }
    if fw.bands_level == "dimension" and fw.bands:
        table[label(DIMENSIONS, "band")] = d["band"].fillna("—").to_numpy()
    scale = fw.scale_def
    return table_html(
        table,
        caption=f"{fw.title} by {fw.dimension_label} (scale {scale.min:g}–{scale.max:g})",
        formats=formats,
    )


def _total(pack: Pack, framework_id: str) -> str:
    """The framework's total, where its scoring allows one and it was worked out."""
    totals = pack.scores["framework_scores"]
    if not (pack.frameworks[framework_id].scoring.totals_allowed and len(totals)):
        return ""
    t = totals[totals["framework_id"] == framework_id]
    if not (len(t) and pd.notna(t.iloc[0]["total"])):
        return ""
    row = t.iloc[0]
    band = row["band"] if pd.notna(row.get("band")) else "no band (incomplete)"
    return para(
        f"Total: {row['total']:.0f} ({int(row['items_answered'])} of "
        f"{int(row['items_expected'])} items answered) — {band}."
    )


def by_sector_html(pack: Pack) -> str:
    """Views by sector, small groups suppressed (disclosure control); '' when none."""
    s = pack.scores["sector_scores"]
    if s.empty:
        return ""
    s = s[s["round"].astype(str) == pack.assessment_round]
    if s.empty:
        return ""
    minimum = pack.scoring.min_cell_size
    suppressed = s["suppressed"].fillna(False).astype(bool)
    shown = list(dict.fromkeys(s.loc[~suppressed, "sector"]))
    hidden = sorted(set(s["sector"]) - set(shown))
    reading = (
        "Scores by sector of organisation. Any group with fewer than "
        f"{minimum} respondents is suppressed so that no individual's answers can be "
        f"inferred; {int(suppressed.sum())} of {len(s)} groups are suppressed here."
    )
    if hidden:
        reading += (
            f" These sectors never reach {minimum} respondents, so they are left out "
            f"of the table: {', '.join(hidden)}."
        )
    out = heading(3, "Views by sector") + para(reading)
    if not shown:
        return out
    return out + table_html(
        _sector_table(pack, s, shown),
        caption=f"Scores by sector, one column a sector (groups under {minimum} "
        "respondents suppressed)",
    )


def _sector_table(pack: Pack, s: pd.DataFrame, sectors: list[str]) -> pd.DataFrame:
    """One row a dimension, one column a sector; rows with every group suppressed dropped."""
    cells = s.assign(
        framework_id=s["framework_id"].map(lambda f: pack.frameworks[f].short_title or f),
        score=s["score"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.2f}"),
    )
    keys = ["framework_id", "dimension_id"]
    table = (
        cells[cells["sector"].isin(sectors)]
        .pivot_table(index=keys, columns="sector", values="score", aggfunc="first", sort=False)
        .reindex(columns=sectors)
        .fillna("no answers")
        .reset_index()
        .rename(columns={k: label("sector_scores", k) for k in keys})
    )
    table.columns.name = None
    return table[(table[sectors] != "suppressed").any(axis=1)]
