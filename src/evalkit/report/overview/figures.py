"""The overview's own charts: a score grid with its colour scale, and a membership matrix.

Both are drawn in :mod:`evalkit.report.charts`' style (its figure, colours, wrapping and
plain-text rules), so they look like the other charts and their text from data is drawn
as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.method.rules import plural
from evalkit.report.charts import (
    OKABE_ITO,
    SCORE_CMAP,
    Chart,
    _empty_chart,
    _figure,
    _scale,
    _styled,
    _text_colour,
    _wrap,
)

#: Height of one grid row (inches), and room for the title and column labels.
ROW_IN = 0.3
FRAME_IN = 1.6
#: The matrix's row height, and room for its title and its turned organisation names.
MATRIX_ROW_IN = 0.26
MATRIX_FRAME_IN = 2.4


@_styled
def score_grid(
    grid: pd.DataFrame, *, scale_min: float, scale_max: float, scale_name: str, title: str
) -> Chart:
    """Scores as a grid (rows × columns, in the frame's order), each value in its cell.

    A colour bar beside the grid shows the scale; the value written in each cell is the
    cue that does not depend on colour.

    Args:
        grid: one row per partnership, one column per dimension code, scores as values.
        scale_min: lowest possible score (lightest shade).
        scale_max: highest possible score (darkest shade).
        scale_name: what the scale is, for the colour bar ("Agreement, 1–5").
        title: chart title.
    """
    if grid.empty or grid.isna().all().all():
        return _empty_chart(title, "No scores were recorded.")
    rows, cols = [str(r) for r in grid.index], [str(c) for c in grid.columns]
    values = grid.to_numpy(dtype=float)
    fig = _figure(max(2.2, ROW_IN * len(rows) + FRAME_IN))
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap=SCORE_CMAP, vmin=scale_min, vmax=scale_max, aspect="auto")
    span = scale_max - scale_min or 1
    for i in range(len(rows)):
        for j in range(len(cols)):
            cell = values[i, j]
            if np.isnan(cell):
                ax.text(j, i, "–", ha="center", va="center", fontsize=8, color="black")
                continue
            colour = _text_colour(SCORE_CMAP((cell - scale_min) / span))
            ax.text(j, i, f"{cell:.1f}", ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(cols)), cols, fontsize=8)
    ax.set_yticks(range(len(rows)), [_wrap(r, 34) for r in rows], fontsize=8)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    bar = fig.colorbar(image, ax=ax, shrink=min(1.0, 4 / max(len(rows), 1) + 0.4), pad=0.02)
    bar.set_label(f"{scale_name} (darker is higher)", fontsize=8)
    bar.ax.tick_params(labelsize=8)
    means = pd.Series(np.nanmean(values, axis=0), index=cols)
    alt = (
        f"Grid of scores for {plural(len(rows), 'partnership')} across "
        f"{plural(len(cols), 'column')} ({', '.join(cols)}) on a {_scale(scale_min)}–"
        f"{_scale(scale_max)} scale, with a colour bar: darker is higher, each value "
        f"written in its cell. Highest column on average: {means.idxmax()} "
        f"({means.max():.1f}); lowest: {means.idxmin()} ({means.min():.1f})."
    )
    return Chart(fig, alt, title)


@_styled
def membership_matrix(
    members: pd.DataFrame, *, rows: Sequence[str], columns: Sequence[str], title: str
) -> Chart:
    """Which organisation (column) sits on which partnership (row): a square where it does.

    Args:
        members: columns ``partnership`` and ``organisation`` (names), one row per
            membership; memberships outside ``rows`` × ``columns`` are not drawn.
        rows: the partnerships, top to bottom.
        columns: the organisations, left to right.
        title: chart title.
    """
    if not len(rows) or not len(columns):
        return _empty_chart(title, "No memberships were recorded.")
    row_at = {name: i for i, name in enumerate(rows)}
    col_at = {name: j for j, name in enumerate(columns)}
    shown = members[members["partnership"].isin(row_at) & members["organisation"].isin(col_at)]
    shown = shown.drop_duplicates(["partnership", "organisation"])
    fig = _figure(MATRIX_ROW_IN * len(rows) + MATRIX_FRAME_IN)
    ax = fig.add_subplot()
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for i in range(len(rows) + 1):
        ax.axhline(i - 0.5, color="#D9D9D9", linewidth=0.6, zorder=0)
    for j in range(len(columns) + 1):
        ax.axvline(j - 0.5, color="#D9D9D9", linewidth=0.6, zorder=0)
    ax.scatter(
        [col_at[o] for o in shown["organisation"]],
        [row_at[p] for p in shown["partnership"]],
        marker="s",
        s=60,
        color=OKABE_ITO[0],
        zorder=2,
    )
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(columns)), [_wrap(c, 20) for c in columns], fontsize=7.5, rotation=90)
    ax.set_yticks(range(len(rows)), [_wrap(r, 40) for r in rows], fontsize=7.5)
    ax.tick_params(length=0)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    per_org = shown["organisation"].value_counts()
    busiest = ", ".join(f"{o} ({per_org[o]})" for o in columns[:3] if o in per_org)
    alt = (
        f"Matrix of {plural(len(rows), 'partnership')} (rows) and "
        f"{plural(len(columns), 'organisation')} (columns), a square where the organisation "
        f"sits on the partnership: {plural(len(shown), 'membership')} in all. Organisations "
        f"on most of these partnerships: {busiest}."
    )
    return Chart(fig, alt, title)
