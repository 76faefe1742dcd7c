"""Framework scores compared across partnerships, dimension by dimension.

Frameworks whose sources say their dimensions must not be added up are never totalled.
Each framework gets a key and spread table (each dimension's code, name and the spread
of its scores across the portfolio), which stays the same length however many
partnerships there are; up to :data:`HEATMAP_ROWS` partnerships, a grid above it shows
every score, its columns in the framework's order and a colour bar for its scale.
Beyond that, the grid would run to many pages, so every score is in the workbook instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.names import PORTFOLIO_WORKBOOK
from evalkit.report.fragments import heading, in_framework_order, para
from evalkit.report.overview.downloads import SHEETS
from evalkit.report.overview.figures import score_grid
from evalkit.report.render import figure_html, table_html

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.overview.portfolio import Overview

#: Most partnerships in one comparison grid (a taller grid would not fit an A4 page).
HEATMAP_ROWS = 20
#: Headings of the key and spread table.
SPREAD_HEADINGS = (
    "Code",
    "Name",
    "Partnerships scored",
    "Lowest",
    "Middle half",
    "Median",
    "Highest",
)


def comparison_html(view: Overview) -> str:
    """One heading per framework scored this round: its grid (if small), key and spread."""
    d = view.round_dimension_scores()
    out = heading(2, "Framework scores compared") + para(
        "Each framework's dimensions are compared one by one. Scores are not added up "
        "across dimensions where the framework's source says they should not be. The "
        "table under each heading names every code and gives the spread of its scores: "
        "the lowest, the middle half of partnerships (from the lower to the upper "
        "quarter), the median and the highest."
    )
    if d.empty:
        return out + para("No scores yet.")
    for fid in in_framework_order(d["framework_id"]):
        fw = view.frameworks.get(fid)
        if fw is not None:
            out += heading(3, fw.title) + _framework_html(fw, d[d["framework_id"] == fid])
    return out


def dimension_order(fw: Framework, codes: pd.Series) -> list[str]:
    """The codes present, in the framework's order; any others after, in natural order."""
    present = set(codes.astype(str))
    ordered = [dim.id for dim in fw.dimensions if dim.id in present]
    return ordered + sorted(present - set(ordered), key=natural_key)


def natural_key(text: str) -> tuple[object, ...]:
    """Sort key reading digits as numbers: M2 before M10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def score_table(fw: Framework, scores: pd.DataFrame) -> pd.DataFrame:
    """Partnership × dimension scores, partnerships by name, dimensions in framework order."""
    grid = scores.pivot_table(index="partnership", columns="dimension_id", values="score")
    return grid.reindex(columns=dimension_order(fw, scores["dimension_id"])).sort_index()


def spread_table(fw: Framework, scores: pd.DataFrame) -> pd.DataFrame:
    """Per dimension, in framework order: code, name and the spread of its scores."""
    titles = {dim.id: dim.title for dim in fw.dimensions}
    rows = []
    for code in dimension_order(fw, scores["dimension_id"]):
        s = scores.loc[scores["dimension_id"].astype(str) == code, "score"].dropna()
        q1, median, q3 = (float(s.quantile(q)) for q in (0.25, 0.5, 0.75))
        rows.append(
            (
                code,
                titles.get(code, code),
                len(s),
                float(s.min()),
                f"{q1:.1f} to {q3:.1f}",
                median,
                float(s.max()),
            )
        )
    return pd.DataFrame(rows, columns=list(SPREAD_HEADINGS))


def _framework_html(fw: Framework, scores: pd.DataFrame) -> str:
    """The grid (up to HEATMAP_ROWS partnerships) or a note, then the key and spread."""
    scored = scores.dropna(subset=["score"])
    count = int(scored["partnership"].nunique())
    short = fw.short_title or fw.title
    scale = f"{fw.scale_def.title}, {fw.scale_def.min:g} to {fw.scale_def.max:g}"
    out = ""
    if count <= HEATMAP_ROWS:
        out += figure_html(
            score_grid(
                score_table(fw, scored),
                scale_min=fw.scale_def.min,
                scale_max=fw.scale_def.max,
                scale_name=_short_scale(fw),
                title=f"{short} by {fw.dimension_label}",
            )
        )
    else:
        out += para(
            f"{plural(count, 'partnership')} {'has' if count == 1 else 'have'} {short} "
            f"scores this round: too many for a grid on paper. Every score is in the "
            f"workbook {PORTFOLIO_WORKBOOK}, sheet '{SHEETS['dimension_scores'][0]}'."
        )
    return out + table_html(
        spread_table(fw, scored),
        caption=f"{short}: key to the {fw.dimension_label} codes and spread of scores ({scale})",
    )


def _short_scale(fw: Framework) -> str:
    """The colour bar's label: the scale's ends."""
    return f"Score, {fw.scale_def.min:g} to {fw.scale_def.max:g}"
