"""Framework scores compared across partnerships, dimension by dimension.

Frameworks whose sources say their dimensions must not be added up are never totalled:
each grid shows one score per partnership and dimension.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report import charts
from evalkit.report.fragments import heading, in_framework_order, para
from evalkit.report.render import figure_html

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.overview.portfolio import Overview

#: Most partnerships in one comparison grid (a taller grid would not fit an A4 page).
HEATMAP_ROWS = 30


def comparison_html(view: Overview) -> str:
    """One heading per framework scored this round, with its grid (in parts if large)."""
    d = view.round_dimension_scores()
    out = heading(2, "Framework scores compared") + para(
        "Each grid compares partnerships dimension by dimension. Scores are not added "
        "up across dimensions where the framework's source says they should not be."
    )
    if d.empty:
        return out + para("No scores yet.")
    for fid in in_framework_order(d["framework_id"]):
        fw = view.frameworks.get(fid)
        if fw is not None:
            out += heading(3, fw.title) + _grids(fw, d[d["framework_id"] == fid])
    return out


def _grids(fw: Framework, scores: pd.DataFrame) -> str:
    """A framework's grid: one figure per HEATMAP_ROWS partnerships, so each fits a page."""
    names = sorted(scores["partnership"].astype(str).unique())
    out = ""
    for first in range(0, len(names), HEATMAP_ROWS):
        part = names[first : first + HEATMAP_ROWS]
        title = f"{fw.short_title or fw.title} by {fw.dimension_label}"
        if len(names) > HEATMAP_ROWS:
            title += f" (partnerships {first + 1}–{first + len(part)} of {len(names)})"
        out += figure_html(
            charts.score_heatmap(
                scores[scores["partnership"].astype(str).isin(part)],
                row="partnership",
                column="dimension_id",
                value="score",
                scale_min=fw.scale_def.min,
                scale_max=fw.scale_def.max,
                title=title,
            )
        )
    return out
