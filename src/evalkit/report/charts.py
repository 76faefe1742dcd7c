"""Figures for the evidence packs, readable without colour and described in words.

Every function takes plain DataFrames and returns a :class:`Chart`: the matplotlib
figure, an ``alt`` text that states what the chart shows *and its key numbers* (worked
out from the data, so a screen-reader user gets the same facts), and a caption.

Design rules, applied throughout:

* Colours come from the Okabe–Ito palette (:data:`OKABE_ITO`), which stays distinct
  for the common forms of colour blindness. Colour is never the only cue: groups also
  get distinct marker shapes (:data:`MARKERS`) or hatching, legends use words, and
  values are written on the chart.
* Figures are sized for the text width of an A4 page (:data:`FIGURE_WIDTH_IN` at
  :data:`FIGURE_DPI`) and use ``layout="constrained"`` rather than ``tight_layout``.
* Figures are built with :class:`matplotlib.figure.Figure`, not ``pyplot``, so they
  work under any backend (``Agg`` included), hold no global state, and are freed as
  soon as nothing refers to them. :func:`close` releases one early.
* Text is text: names from data are drawn exactly as typed. Mathtext and TeX are off
  in the chart style and whenever a figure is drawn, so "from $5m to $7m" keeps its
  dollar signs and ``$...$`` is never parsed.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from evalkit.spreadsheet import show_controls

__all__ = [
    "FIGURE_DPI",
    "FIGURE_WIDTH_IN",
    "HATCHES",
    "MARKERS",
    "OKABE_ITO",
    "RISK_CMAP",
    "Chart",
    "bar_chart",
    "close",
    "format_gbp",
    "indicator_chart",
    "money_chart",
    "profile_chart",
    "risk_heatmap",
    "trend_chart",
]

#: The eight Okabe–Ito colours (Okabe & Ito 2008), in the order used for groups.
#: Black comes last because black marks overall means; yellow is late because it is
#: faint on white (it is always drawn with a dark edge).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Marker shapes paired with the colours, so groups differ by shape as well.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")

#: Hatch patterns for stacked bars, the non-colour cue for each segment.
HATCHES: tuple[str, ...] = ("", "///", "...", "xx", "\\\\", "++", "oo", "--")

#: Text width of an A4 page with 15 mm side margins is about 7 inches.
FIGURE_WIDTH_IN = 7.0
#: Resolution used for every PNG (see :func:`evalkit.report.render.figure_html`).
FIGURE_DPI = 110

#: A single-hue sequential map from cream to dark vermillion (Okabe–Ito derived).
#: Lightness falls steadily from one end to the other, so it reads the same in
#: greyscale and to colour-blind readers.
RISK_CMAP = LinearSegmentedColormap.from_list(
    "evalkit_risk", ["#FBF3E4", "#F0C987", "#E69F00", "#D55E00", "#7A2E00"]
)

_INK = "#1A1A1A"
_MUTED = "#4D4D4D"
_GOOD = "#009E73"
_WRONG = "#D55E00"
_NEUTRAL = "#767676"

_STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.edgecolor": _MUTED,
    "axes.labelcolor": _INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "text.color": _INK,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    # Text from data is drawn as typed: "$5m to $7m" is not mathtext, and nothing is TeX.
    "text.parse_math": False,
    "text.usetex": False,
}

_LIKELIHOOD_WORDS = ("Rare", "Unlikely", "Possible", "Likely", "Almost\ncertain")
_IMPACT_WORDS = ("Negligible", "Minor", "Moderate", "Major", "Severe")

P = ParamSpec("P")


@dataclass(frozen=True)
class Chart:
    """A figure together with the words that describe it.

    Attributes:
        figure: The matplotlib figure.
        alt: Alternative text: what the chart shows and its key numbers.
        caption: A visible caption for the figure.
    """

    figure: Figure
    alt: str
    caption: str


def close(chart: Chart) -> None:
    """Release the memory held by a chart's figure.

    Args:
        chart: The chart to free. Its figure is cleared and must not be used again.
    """
    chart.figure.clear()
    try:  # Only matters if someone registered the figure with pyplot.
        from matplotlib import _pylab_helpers

        _pylab_helpers.Gcf.destroy_fig(chart.figure)
    except Exception:  # pragma: no cover - private API moved; clearing is enough
        pass


def _styled(func: Callable[P, Chart]) -> Callable[P, Chart]:
    """Build the chart inside evalkit's matplotlib style, whatever the caller set."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Chart:
        with mpl.rc_context(cast(Any, _STYLE)):
            return func(*args, **kwargs)

    return wrapper


def _text_as_text(figure: Figure) -> None:
    r"""Make every text on ``figure`` plain: no mathtext, no TeX, control characters visible.

    A control character from data (an escape sequence, a NUL) is drawn as its visible
    escape (``\x1b``), as on pages, instead of a missing-glyph box.
    """
    for text in figure.findobj(Text):
        text.set_usetex(False)
        text.set_parse_math(False)
        shown = show_controls(text.get_text())
        if shown != text.get_text():
            text.set_text(shown)


#: What text on an evalkit figure is, whatever the caller's rcParams say.
_PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}


class _PlainTextFigure(Figure):
    r"""A figure whose text is never mathtext or TeX, however and whenever it is drawn.

    Names from data hold ``$`` ("from $5m to $7m", or ``$\input{...}$`` from someone
    testing us): they are drawn as typed. Text made while a chart is built follows
    :data:`_STYLE`; tick labels are made when the figure is drawn, usually after
    :func:`_styled` has returned, and text may be added by a caller, so every draw
    switches math off for all of it.
    """

    def draw(self, renderer: Any) -> None:
        """Draw the figure with mathtext and TeX switched off for every text.

        Titles and texts written on the axes wrap at the figure's edge (matplotlib's
        ``wrap``), so that a long name is never cut off; the layout makes room for the
        extra lines.
        """
        with mpl.rc_context(cast(Any, _PLAIN_TEXT)):
            _text_as_text(self)
            engine = self.get_layout_engine()
            if _wrap_at_the_edge(self, renderer) and engine is not None:
                # Lay the figure out, then wrap again where the texts now stand.
                engine.execute(self)
                _wrap_at_the_edge(self, renderer)
            super().draw(renderer)


#: Texts with no line longer than this (a value label, "range 1.0–5.0") never wrap.
_SHORT_TEXT = 24


def _wrap_at_the_edge(figure: Figure, renderer: Any) -> bool:
    """Let every long title and text on the figure's axes wrap at the figure's edge.

    A text with a ``$`` in it is wrapped here, by measuring its lines as plain text
    (:func:`_wrap_plain`): matplotlib's own wrapping measures the lines it tries as
    mathtext whenever they hold a pair of ``$``, whatever ``parse_math`` says.

    Returns:
        Whether any text was wrapped here (its room depends on the layout).
    """
    wrapped = False
    for ax in figure.axes:
        for child in ax.get_children():
            if isinstance(child, Text) and child.get_rotation() == 0:
                text = child.get_text()
                long = max((len(line) for line in text.split("\n")), default=0) > _SHORT_TEXT
                child.set_wrap(long and "$" not in text)
                if long and "$" in text:
                    _wrap_plain(child, renderer)
                    wrapped = True
    return wrapped


def _wrap_plain(text: Text, renderer: Any) -> None:
    """Break a text's words into lines that fit between its anchor and the figure's edge.

    Each candidate line is measured as plain text (never mathtext), with the same room
    matplotlib's own wrapping allows (``Text._get_wrap_line_width``: to the edge the
    text's alignment runs towards, or twice the nearer edge when centred). The text is
    set again on every draw, so it follows a change of layout; words are never split.
    """
    room = float(cast(Any, text)._get_wrap_line_width())
    font = text.get_fontproperties()

    def width(line: str) -> float:
        return float(renderer.get_text_width_height_descent(line, font, ismath=False)[0])

    lines: list[str] = []
    for word in text.get_text().split():
        if lines and width(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    text.set_text("\n".join(lines))


# --------------------------------------------------------------------------- formatting


def format_gbp(value: float) -> str:
    """Format a sum of money compactly: ``£950``, ``£12.3k``, ``£1.25m``.

    Args:
        value: An amount in pounds.

    Returns:
        The formatted amount, with a leading minus sign if negative.
    """
    sign = "-" if value < 0 else ""
    amount = abs(float(value))
    if round(amount / 1e3, 1) >= 1000:
        return f"{sign}£{amount / 1e6:.2f}m"
    if round(amount) >= 1000:
        return f"{sign}£{amount / 1e3:.1f}k"
    return f"{sign}£{amount:.0f}"


def _num(value: float) -> str:
    """Format a number for reading: whole numbers plainly, others to one decimal."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.2f}"
    return f"{value:,.1f}"


def _with_unit(value: float, unit: str | None) -> str:
    """Format a value with its unit (``40%``, ``£12.3k``, ``12 days``)."""
    unit = (unit or "").strip()
    if unit == "%":
        return f"{_num(value)}%"
    if unit.lower() in {"£", "gbp", "pounds", "£k"}:
        return format_gbp(value * (1000 if unit.lower() == "£k" else 1))
    return f"{_num(value)} {unit}".strip()


def _scale(value: float) -> str:
    """Format a scale end point (``1``, ``2.5``)."""
    return f"{value:g}"


def _noun(column: str | None, default: str) -> str:
    """Turn a column name such as ``organisation_name`` into a noun (``organisation``)."""
    if not column:
        return default
    words = column.lower()
    for suffix in ("_title", "_name", "_label", "_id", "_code"):
        words = words.removesuffix(suffix)
    return words.replace("_", " ").strip() or default


def _plural(count: int, noun: str) -> str:
    """Return ``"1 organisation"`` or ``"3 organisations"``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _is_are(count: int) -> str:
    """Return the verb that agrees with ``count``."""
    return "is" if count == 1 else "are"


def _wrap(label: object, width: int = 30) -> str:
    """Wrap a long axis label onto several lines (control characters shown as escapes)."""
    text = show_controls(str(label))
    return "\n".join(textwrap.wrap(text, width)) or text


def _ordered_unique(values: Iterable[Any]) -> list[Any]:
    """Return unique values in order of first appearance (keeps framework order)."""
    return list(dict.fromkeys(values))


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise a clear error if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{what} needs column(s) {missing}; got {list(frame.columns)}")


def _text_colour(fill: Any) -> str:
    """Black or white, whichever contrasts more with ``fill``."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(fill))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


# --------------------------------------------------------------------------- figure helpers


def _figure(height: float) -> Figure:
    """Create an A4-width figure of the given height in inches."""
    return _PlainTextFigure(figsize=(FIGURE_WIDTH_IN, height), dpi=FIGURE_DPI, layout="constrained")


def _empty_chart(title: str, message: str) -> Chart:
    """Build a small figure that says there is nothing to show."""
    fig = _figure(1.6)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, fontsize=10)
    alt = f"{title}: {message[0].lower()}{message[1:]} There is nothing to chart."
    return Chart(fig, alt, f"{title}. {message}")


#: Characters of legend text that fit across the figure (8.5 pt type, 7 in wide), less
#: the room each entry's marker takes.
_LEGEND_CHARACTERS = 104
_LEGEND_MARKER_CHARACTERS = 5
#: Height of one more row of legend (inches).
_LEGEND_ROW_IN = 0.19
#: Height of one row (dimension) of a profile chart, in inches: a two-line label at
#: :data:`_PROFILE_LABEL_PT` and the two-line "mean / range" note at 8 pt just fit.
_PROFILE_ROW_IN = 0.28
#: Size of a profile chart's row labels (points), and the characters a line holds.
_PROFILE_LABEL_PT = 8.5
_PROFILE_LABEL_CHARACTERS = 34
#: Height of one bar of a bar chart, and the room its title and axis take (inches).
_BAR_ROW_IN = 0.23
_BAR_FRAME_IN = 0.95
#: Size of a bar chart's labels (points), and the characters a line of a label holds.
_BAR_LABEL_PT = 8.0
_BAR_LABEL_CHARACTERS = 46


def _bottom_legend(fig: Figure, handles: list[Any], ncol: int | None = None) -> None:
    """Add a worded legend centred below the plot: every entry, every word inside the figure.

    The columns are as many as asked (four at most) while every label fits in two lines
    of its column; labels are wrapped to their column's width, and the figure is made
    taller for the rows beyond one per four entries (which the charts allow for).
    """
    if not handles:
        return
    labels = [show_controls(str(h.get_label())) for h in handles]
    columns = min(ncol or 4, len(handles))

    def width(cols: int) -> int:
        return max(12, _LEGEND_CHARACTERS // cols - _LEGEND_MARKER_CHARACTERS)

    while columns > 1 and any(len(textwrap.wrap(label, width(columns))) > 2 for label in labels):
        columns -= 1
    wrapped = ["\n".join(textwrap.wrap(label, width(columns))) or label for label in labels]
    rows = [
        max(label.count("\n") + 1 for label in wrapped[i : i + columns])
        for i in range(0, len(wrapped), columns)
    ]
    expected = math.ceil(len(handles) / 4)
    if sum(rows) > expected:
        fig.set_figheight(fig.get_figheight() + _LEGEND_ROW_IN * (sum(rows) - expected))
    fig.legend(handles=handles, labels=wrapped, loc="outside lower center", ncol=columns)


def _group_style(index: int) -> tuple[str, str]:
    """Colour and marker for the ``index``-th group (marker cycles separately)."""
    colour = OKABE_ITO[index % (len(OKABE_ITO) - 1)]  # black is reserved for means
    return colour, MARKERS[index % len(MARKERS)]


# --------------------------------------------------------------------------- profile chart


def _profile_table(
    frame: pd.DataFrame, category: str, value: str, group: str | None
) -> tuple[list[Any], list[Any], pd.DataFrame]:
    """Mean score per category and group, in order of first appearance."""
    data = frame.dropna(subset=[value])
    categories = _ordered_unique(data[category])
    if group is None:
        groups: list[Any] = [None]
        table = data.groupby(category, sort=False)[value].mean().to_frame(name="all")
    else:
        groups = _ordered_unique(data[group])
        table = data.pivot_table(index=category, columns=group, values=value, aggfunc="mean")
    table = table.reindex(index=categories)
    return categories, groups, table


def _profile_alt(
    summary: pd.DataFrame,
    *,
    noun: str,
    group_noun: str,
    n_groups: int,
    grouped: bool,
    scale: tuple[float, float],
    agree_line: float | None,
) -> str:
    """Describe a profile chart: size, lowest/highest mean, widest spread, agree line."""
    n = len(summary)
    head = f"Dot plot of {n} {noun} scores on a {_scale(scale[0])}–{_scale(scale[1])} scale"
    head += f" for {_plural(n_groups, group_noun)}." if grouped else "."
    low, high = str(summary["mean"].idxmin()), str(summary["mean"].idxmax())
    label = "mean" if grouped else "score"
    parts = [head]
    if n == 1:
        parts.append(f"{low}: {label} {float(summary['mean'].min()):.1f}.")
    else:
        parts.append(
            f"Lowest {label}: {low}, {float(summary['mean'].min()):.1f}; "
            f"highest {label}: {high}, {float(summary['mean'].max()):.1f}."
        )
    if grouped and n_groups > 1:
        wide = str(summary["range"].idxmax())
        parts.append(f"Widest spread: {wide} (range {float(summary['range'].max()):.1f}).")
    if agree_line is not None:
        below = int((summary["mean"] < agree_line).sum())
        parts.append(
            f"{below} of {n} have a {label} below the agree / disagree line at "
            f"{_scale(agree_line)}."
        )
    return " ".join(parts)


@_styled
def profile_chart(
    frame: pd.DataFrame,
    *,
    category: str = "dimension_title",
    value: str = "score",
    group: str | None = "organisation_name",
    scale_min: float,
    scale_max: float,
    agree_line: float | None = None,
    title: str,
) -> Chart:
    """Horizontal dot plot of scores: one row per dimension, one marker per group.

    Each group (organisation) gets its own colour *and* marker shape and a legend
    entry; a black tick marks the mean across groups, and the mean and range are
    written at the right of each row. Several rows per category and group are
    averaged.

    Args:
        frame: One row per score, with ``category``, ``value`` and (unless ``group``
            is None) ``group`` columns.
        category: Column naming the row (dimension) each score belongs to.
        value: Column holding the score.
        group: Column naming the group (organisation), or None for a single series.
        scale_min: Lowest point of the scale.
        scale_max: Highest point of the scale.
        agree_line: Where to draw the dashed "agree / disagree line", if anywhere.
        title: Chart title.

    Returns:
        The chart with its alt text and caption.
    """
    _require(frame, [category, value] + ([group] if group else []), "profile_chart")
    if frame[value].notna().sum() == 0:
        return _empty_chart(title, "No scores were recorded.")
    categories, groups, table = _profile_table(frame, category, value, group)
    summary = pd.DataFrame(
        {
            "mean": table.mean(axis=1),
            "range": table.max(axis=1) - table.min(axis=1),
            "low": table.min(axis=1),
            "high": table.max(axis=1),
        }
    )
    n = len(categories)
    # A row holds a two-line label and a two-line "mean / range" note at 8 pt. Printed
    # at the text width (88% of its size) that text is still over 7 pt, and a 20-item
    # framework's chart, its heading and its reading fit on one A4 page.
    fig = _figure(1.3 + _PROFILE_ROW_IN * n + (0.25 * math.ceil(len(groups) / 4) if group else 0))
    ax = fig.add_subplot()
    ys = np.arange(n)
    grouped = group is not None
    handles = _draw_profile_markers(ax, table, ys, labelled=grouped)
    if grouped:
        ax.scatter(summary["mean"], ys, marker="|", s=400, color="black", linewidths=2.2, zorder=4)
        handles.append(_legend_marker("|", "black", f"Mean of {_noun(group, 'group')}s", size=14))
    _label_profile_rows(
        ax,
        summary,
        ys,
        grouped=grouped,
        many=len(groups) > 1,
        offset=(scale_max - scale_min) * 0.03,
    )
    if agree_line is not None:
        ax.axvline(agree_line, ls="--", lw=1.2, color=_MUTED, zorder=2)
        ax.text(
            agree_line,
            1.0,
            "agree / disagree line",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=8,
            color=_MUTED,
        )
    _scale_axis(ax, scale_min, scale_max)
    ax.set_yticks(
        ys,
        [_wrap(c, _PROFILE_LABEL_CHARACTERS) for c in categories],
        fontsize=_PROFILE_LABEL_PT,
    )
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(f"Score ({_scale(scale_min)} to {_scale(scale_max)})")
    ax.set_title(title, pad=14 if agree_line is not None else 6)
    _bottom_legend(fig, handles)
    noun, group_noun = _noun(category, "dimension"), _noun(group, "group")
    alt = _profile_alt(
        summary,
        noun=noun,
        group_noun=group_noun,
        n_groups=len(groups),
        grouped=grouped,
        scale=(scale_min, scale_max),
        agree_line=agree_line,
    )
    caption = (
        f"{title}. Each marker is one {group_noun}'s score; the black tick is the mean; "
        "the mean and range are written at the right."
        if grouped
        else f"{title}. Each marker is one {noun}'s score, written beside it."
    )
    return Chart(fig, alt, caption)


def _legend_marker(marker: str, colour: str, label: str, size: float = 7) -> Line2D:
    """Return a legend entry showing one marker shape in one colour."""
    width = 2.2 if marker == "|" else 1.0
    return Line2D(
        [],
        [],
        ls="none",
        marker=marker,
        markersize=size,
        markeredgewidth=width,
        color=colour,
        markeredgecolor=_INK if marker != "|" else colour,
        label=label,
    )


def _draw_profile_markers(
    ax: Axes, table: pd.DataFrame, ys: np.ndarray, *, labelled: bool
) -> list[Any]:
    """Plot one column of ``table`` per group, nudged apart; return legend entries."""
    n = table.shape[1]
    offsets = np.linspace(-0.27, 0.27, n) if n > 1 else np.zeros(1)
    handles: list[Any] = []
    for i, name in enumerate(table.columns):
        colour, marker = _group_style(i)
        ax.scatter(
            table.iloc[:, i].to_numpy(),
            ys + offsets[i],
            marker=marker,
            s=46,
            color=colour,
            edgecolors=_INK,
            linewidths=0.6,
            zorder=3,
        )
        if labelled:
            handles.append(_legend_marker(marker, colour, str(name)))
    return handles


def _label_profile_rows(
    ax: Axes, summary: pd.DataFrame, ys: np.ndarray, *, grouped: bool, many: bool, offset: float
) -> None:
    """Write each row's mean and range at the right, or a lone score beside its marker."""
    for y, (_, row) in zip(ys, summary.iterrows(), strict=True):
        if not grouped:
            ax.text(row["mean"] + offset, y, f"{row['mean']:.1f}", va="center", fontsize=8.5)
            continue
        text = f"mean {row['mean']:.1f}"
        if many:
            text += f"\nrange {row['low']:.1f}–{row['high']:.1f}"
        ax.text(1.01, y, text, transform=ax.get_yaxis_transform(), va="center", fontsize=8)


def _scale_axis(ax: Axes, scale_min: float, scale_max: float) -> None:
    """Set x limits with a little padding and whole-number ticks when they fit."""
    pad = (scale_max - scale_min) * 0.04
    ax.set_xlim(scale_min - pad, scale_max + pad)
    if float(scale_min).is_integer() and float(scale_max).is_integer():
        if scale_max - scale_min <= 12:
            ax.set_xticks(np.arange(scale_min, scale_max + 1))


# --------------------------------------------------------------------------- bar chart


def _band_of(value: float, bands: Sequence[dict[str, Any]]) -> str | None:
    """Return the label of the first band containing ``value``."""
    for band in bands:
        if band["min"] <= value <= band["max"]:
            return str(band["label"])
    return None


def _bar_alt(
    series: pd.Series,
    *,
    noun: str,
    fmt: str,
    scale: tuple[float, float],
    bands: Sequence[dict[str, Any]] | None,
    dropped: int,
) -> str:
    """Describe a bar chart: size, highest, lowest, every value, counts per band."""
    n = len(series)
    parts = [f"Bar chart of {_plural(n, noun)} on a {_scale(scale[0])}–{_scale(scale[1])} scale."]
    if n > 1:
        hi, lo = series.idxmax(), series.idxmin()
        parts.append(
            f"Highest: {hi} ({fmt.format(series.max())}); "
            f"lowest: {lo} ({fmt.format(series.min())})."
        )
    if n <= 12:
        values = "; ".join(f"{k} {fmt.format(v)}" for k, v in series.items())
        parts.append(f"Values: {values}.")
    if bands:
        counts = pd.Series([_band_of(v, bands) for v in series]).value_counts()
        words = [f"{counts.get(str(b['label']), 0)} in “{b['label']}”" for b in bands]
        parts.append(f"Of {n}: " + ", ".join(words) + ".")
    if dropped:
        parts.append(f"{_plural(dropped, noun)} with no value {_is_are(dropped)} not shown.")
    return " ".join(parts)


def _draw_bands(ax: Axes, bands: Sequence[dict[str, Any]]) -> None:
    """Shade each band lightly and write its label at the top."""
    shades = ("#F2F2F2", "#E3E3E3")
    for i, band in enumerate(bands):
        ax.axvspan(band["min"], band["max"], color=shades[i % 2], zorder=0, lw=0)
        ax.text(
            (band["min"] + band["max"]) / 2,
            1.0,
            _wrap(band["label"], 18),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=_MUTED,
        )


@_styled
def bar_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    scale_min: float,
    scale_max: float,
    title: str,
    value_format: str = "{:.1f}",
    bands: Sequence[dict[str, Any]] | None = None,
) -> Chart:
    """Horizontal bars with each value printed at the end of its bar.

    Args:
        frame: One row per bar (rows sharing a category are averaged).
        category: Column naming each bar.
        value: Column holding each bar's value.
        scale_min: Where bars start.
        scale_max: The top of the scale.
        title: Chart title.
        value_format: :meth:`str.format` pattern for the printed values.
        bands: Optional shaded regions, each a dict with ``min``, ``max`` and ``label``.

    Returns:
        The chart with its alt text and caption.
    """
    _require(frame, [category, value], "bar_chart")
    dropped = int(frame[value].isna().sum())
    data = frame.dropna(subset=[value])
    if data.empty:
        return _empty_chart(title, "No values were recorded.")
    series = data.groupby(category, sort=False)[value].mean()
    n = len(series)
    # Rows are close (a committee-sized pack): one-line labels of up to 46 characters at
    # 8 pt, which print at over 7 pt at the text width.
    fig = _figure(_BAR_FRAME_IN + _BAR_ROW_IN * n + (0.25 if bands else 0))
    ax = fig.add_subplot()
    ys = np.arange(n)
    ax.barh(
        ys, series.to_numpy() - scale_min, left=scale_min, height=0.7, color=OKABE_ITO[0], zorder=2
    )
    span = scale_max - scale_min
    for y, v in zip(ys, series, strict=True):
        ax.text(
            v + span * 0.01, float(y), value_format.format(v), va="center", fontsize=8, zorder=3
        )
    if bands:
        _draw_bands(ax, bands)
    ax.set_xlim(scale_min, scale_max + span * 0.08)
    if float(scale_min).is_integer() and float(scale_max).is_integer() and span <= 12:
        ax.set_xticks(np.arange(scale_min, scale_max + 1))
    ax.set_yticks(
        ys, [_wrap(c, _BAR_LABEL_CHARACTERS) for c in series.index], fontsize=_BAR_LABEL_PT
    )
    ax.tick_params(axis="x", labelsize=_BAR_LABEL_PT)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_title(title, pad=22 if bands else 6)
    noun = _noun(category, "item")
    alt = _bar_alt(
        series,
        noun=noun,
        fmt=value_format,
        scale=(scale_min, scale_max),
        bands=bands,
        dropped=dropped,
    )
    caption = f"{title}. Each bar's value is written at its end."
    if bands:
        caption += " Shaded regions mark the labelled bands."
    return Chart(fig, alt, caption)


# --------------------------------------------------------------------------- trend chart


@_styled
def trend_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    period: str,
    value: str,
    scale_min: float,
    scale_max: float,
    title: str,
) -> Chart:
    """One row per category: its score in each period, joined in order, values written out.

    Each period has its own marker shape (named in the legend) and the row's values are
    written at its right, oldest first, so neither colour nor position alone carries them.

    Args:
        frame: One row per category and period.
        category: Column naming each row (a dimension).
        period: Column naming the period (a round); periods sort as text.
        value: Column holding the score.
        scale_min: The bottom of the scale.
        scale_max: The top of the scale.
        title: Chart title.

    Returns:
        The chart with its alt text and caption.
    """
    _require(frame, [category, period, value], "trend_chart")
    data = frame.dropna(subset=[value])
    if data.empty:
        return _empty_chart(title, "No values were recorded.")
    table = data.pivot_table(
        index=category, columns=period, values=value, aggfunc="mean", sort=False
    )
    periods = sorted(str(p) for p in table.columns)
    table = table[periods]
    n = len(table)
    fig = _figure(1.5 + 0.36 * n)
    ax = fig.add_subplot()
    ys = np.arange(n)
    span = scale_max - scale_min
    for y, (_, row) in zip(ys, table.iterrows(), strict=True):
        known = row.dropna()
        ax.plot(known.to_numpy(), [y] * len(known), color=_INK, lw=0.8, zorder=2)
    handles = []
    for index, name in enumerate(periods):
        colour, marker = _group_style(index)
        ax.scatter(table[name], ys, marker=marker, s=30, color=colour, edgecolor=_INK, zorder=3)
        handles.append(_legend_marker(marker, colour, name))
    for y, (_, row) in zip(ys, table.iterrows(), strict=True):
        text = " → ".join("–" if pd.isna(v) else f"{v:.1f}" for v in row)
        ax.text(scale_max + span * 0.04, float(y), text, va="center", fontsize=8.5)
    ax.set_xlim(scale_min - span * 0.03, scale_max + span * 0.45)
    if float(scale_min).is_integer() and float(scale_max).is_integer() and span <= 12:
        ax.set_xticks(np.arange(scale_min, scale_max + 1))
    ax.set_yticks(ys, [_wrap(c) for c in table.index])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_title(title)
    _bottom_legend(fig, handles)
    rows = "; ".join(
        f"{name} " + ", ".join("not scored" if pd.isna(v) else f"{v:.1f}" for v in row)
        for name, row in table.iterrows()
    )
    alt = (
        f"{title}: {_plural(n, _noun(category, 'row'))} scored on a {_scale(scale_min)} to "
        f"{_scale(scale_max)} scale in {', '.join(periods)}, in that order: {rows}."
    )
    caption = f"{title}. Each row's scores are written at its right, oldest first."
    return Chart(fig, alt, caption)


# --------------------------------------------------------------------------- risk heatmap


def _risk_cell_text(ids: list[str], limit: int = 9) -> str:
    """Risk ids for one cell, three to a line, with an overflow count."""
    shown = ids[:limit]
    lines = [", ".join(shown[i : i + 3]) for i in range(0, len(shown), 3)]
    if len(ids) > limit:
        lines.append(f"+{len(ids) - limit} more")
    return "\n".join(lines)


def _risk_alt(rated: pd.DataFrame, unrated: int) -> str:
    """Describe a risk matrix: count, score range, the highest-scoring risks."""
    n = len(rated)
    parts = [
        f"Risk matrix placing {_plural(n, 'risk')} on a 5 × 5 grid of likelihood (1–5, "
        "across) against impact (1–5, up); each cell is shaded by its score, "
        "likelihood × impact."
    ]
    if n:
        parts.append(
            f"Scores range from {int(rated['score'].min())} to {int(rated['score'].max())}."
        )
        top = rated.sort_values(["score", "impact"], ascending=False, kind="stable").head(3)
        items = [
            f"{r.risk_id} {r.description} (likelihood {r.likelihood}, impact {r.impact}, "
            f"score {r.score})"
            for r in top.itertuples()
        ]
        parts.append(("Highest: " if len(items) == 1 else "Highest scoring: ") + "; ".join(items))
        parts[-1] += "."
    if unrated:
        parts.append(
            f"{_plural(unrated, 'risk')} without both ratings {_is_are(unrated)} not shown."
        )
    return " ".join(parts)


@_styled
def risk_heatmap(risks: pd.DataFrame) -> Chart:
    """Draw a 5 × 5 likelihood × impact matrix with each risk's id in its cell.

    Cells are shaded by score (likelihood × impact) with :data:`RISK_CMAP`; the score
    is printed in each cell's corner and the ids of the risks in that cell are
    written in the middle.

    Args:
        risks: Columns ``risk_id``, ``description``, ``likelihood`` (1–5) and
            ``impact`` (1–5). Rows missing either rating are left out (and counted in
            the alt text).

    Returns:
        The chart with its alt text and caption.

    Raises:
        ValueError: If a rating lies outside 1–5.
    """
    _require(risks, ["risk_id", "description", "likelihood", "impact"], "risk_heatmap")
    rated = risks.dropna(subset=["likelihood", "impact"]).copy()
    unrated = len(risks) - len(rated)
    for col in ("likelihood", "impact"):
        bad = rated[~rated[col].between(1, 5) | (rated[col] % 1 != 0)]
        if not bad.empty:
            raise ValueError(f"{col} must be a whole number 1–5; risk(s) {list(bad['risk_id'])}")
        rated[col] = rated[col].astype(int)
    rated["score"] = rated["likelihood"] * rated["impact"]
    rated["risk_id"] = rated["risk_id"].astype(str)

    fig = _figure(5.6)
    ax = fig.add_subplot()
    scores = np.outer(np.arange(1, 6), np.arange(1, 6))  # rows: impact, cols: likelihood
    ax.imshow(scores, cmap=RISK_CMAP, vmin=1, vmax=25, origin="lower", extent=(0.5, 5.5, 0.5, 5.5))
    cells = rated.groupby(["likelihood", "impact"])["risk_id"].apply(list)
    for impact in range(1, 6):
        for likelihood in range(1, 6):
            colour = _text_colour(RISK_CMAP((likelihood * impact - 1) / 24))
            ax.text(
                likelihood - 0.44,
                impact + 0.42,
                f"score {likelihood * impact}",
                fontsize=7,
                ha="left",
                va="top",
                color=colour,
            )
            ids = cells.get((likelihood, impact))
            if ids:
                ax.text(
                    likelihood,
                    impact - 0.08,
                    _risk_cell_text(ids),
                    ha="center",
                    va="center",
                    fontsize=8,
                    fontweight="bold",
                    color=colour,
                )
    for edge in np.arange(0.5, 6):
        ax.axhline(edge, color="white", lw=2)
        ax.axvline(edge, color="white", lw=2)
    ax.set_xticks(range(1, 6), [f"{i}\n{w}" for i, w in enumerate(_LIKELIHOOD_WORDS, 1)])
    ax.set_yticks(range(1, 6), [f"{w} {i}" for i, w in enumerate(_IMPACT_WORDS, 1)])
    ax.set_xlabel("Likelihood (1 = rare, 5 = almost certain)")
    ax.set_ylabel("Impact (1 = negligible, 5 = severe)")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title("Risk matrix: likelihood × impact")
    caption = (
        "Risk matrix. Each risk id sits in the cell for its likelihood and impact; the "
        "number in each cell's corner is likelihood × impact, and darker cells score higher."
    )
    return Chart(fig, _risk_alt(rated, unrated), caption)


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class _Assessment:
    """How one indicator's actual compares with its baseline and target."""

    direction: str  # "good", "wrong", "unchanged" or "unknown"
    target_met: bool | None


def _assess(baseline: float, actual: float, target: float, good: str) -> _Assessment:
    """Judge the direction of travel and whether the target was met."""
    up = str(good).strip().lower() == "up"
    if pd.isna(actual) or pd.isna(baseline):
        direction = "unknown"
    elif actual == baseline:
        direction = "unchanged"
    else:
        direction = "good" if (actual > baseline) == up else "wrong"
    if pd.isna(actual) or pd.isna(target):
        met = None
    else:
        met = bool(actual >= target) if up else bool(actual <= target)
    return _Assessment(direction, met)


def _indicator_sentence(row: Any, result: _Assessment) -> str:
    """One alt-text sentence for one indicator."""
    better = "up is better" if str(row.good_direction).strip().lower() == "up" else "down is better"
    known = [
        f"{label} {_with_unit(v, row.unit)}"
        for label, v in (("baseline", row.baseline), ("actual", row.actual), ("target", row.target))
        if not pd.isna(v)
    ]
    move = {
        "good": f"moved the good way from baseline ({better})",
        "wrong": f"moved the wrong way from baseline ({better})",
        "unchanged": "did not change from baseline",
        "unknown": "direction of travel cannot be judged (a value is missing)",
    }[result.direction]
    if result.target_met is None:
        target = "no target to compare" if pd.isna(row.target) else "no actual value yet"
    else:
        target = "met the target" if result.target_met else "did not meet the target"
    return f"{row.name}: {', '.join(known) or 'no values recorded'}; {move}; {target}."


def _indicator_verdict(result: _Assessment) -> str:
    """Short words for a row title."""
    move = {
        "good": "moved the good way",
        "wrong": "moved the wrong way",
        "unchanged": "no change",
        "unknown": "direction unknown",
    }[result.direction]
    target = {True: "target met", False: "target not met", None: "no target comparison"}
    return f"{move}; {target[result.target_met]}"


def _draw_indicator(ax: Axes, row: Any, result: _Assessment) -> None:
    """Baseline, target and actual as labelled markers on one line."""
    points = {"Baseline": row.baseline, "Target": row.target, "Actual": row.actual}
    known = {k: float(v) for k, v in points.items() if not pd.isna(v)}
    ax.set_yticks([])
    ax.set_ylim(-1.3, 1.3)
    for spine in ("left", "top", "right"):
        ax.spines[spine].set_visible(False)
    if not known:
        ax.text(0.5, 0, "No values recorded", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        return
    lo, hi = min(known.values()), max(known.values())
    pad = (hi - lo) * 0.18 or max(abs(hi) * 0.1, 1.0)
    ax.set_xlim(lo - pad, hi + pad)
    ax.hlines(0, lo, hi, color="#BBBBBB", lw=2, zorder=1)
    actual_colour = {"good": _GOOD, "wrong": _WRONG}.get(result.direction, _NEUTRAL)
    if "Baseline" in known and "Actual" in known and result.direction in {"good", "wrong"}:
        ax.annotate(
            "",
            xy=(known["Actual"], 0),
            xytext=(known["Baseline"], 0),
            arrowprops={"arrowstyle": "-|>", "color": actual_colour, "lw": 1.6},
            zorder=2,
        )
    styles: dict[str, dict[str, Any]] = {
        "Baseline": {"marker": "o", "color": "white"},
        "Target": {"marker": "D", "color": OKABE_ITO[0]},
        "Actual": {"marker": "s", "color": actual_colour},
    }
    for label, x in known.items():
        ax.scatter([x], [0], s=60, edgecolors=_INK, linewidths=0.8, zorder=3, **styles[label])
    for label, x in known.items():
        y = _label_side(label, known)
        ax.text(
            x,
            0.42 * y,
            f"{label} {_with_unit(x, row.unit)}",
            ha="center",
            va="bottom" if y > 0 else "top",
            fontsize=8,
        )
    ax.tick_params(axis="x", labelsize=7.5, colors=_MUTED)


def _label_side(label: str, known: dict[str, float]) -> int:
    """+1 to write a marker's label above the line, -1 below, avoiding collisions."""
    if label == "Actual":
        return 1
    if label == "Baseline":
        return -1
    # Target: go to the side whose existing label is further away.
    span = (max(known.values()) - min(known.values())) or 1.0
    gap_above = abs(known["Target"] - known.get("Actual", math.inf)) / span
    gap_below = abs(known["Target"] - known.get("Baseline", math.inf)) / span
    return 1 if gap_above >= gap_below else -1


@_styled
def indicator_chart(indicators: pd.DataFrame) -> Chart:
    """One small-multiple row per indicator: baseline, actual and target on a line.

    The actual marker is a square, coloured bluish green when it moved the good way
    from baseline and vermillion when it moved the wrong way, with an arrow from the
    baseline; every marker has its value and name written beside it, and each row's
    title says in words whether it moved the good way and met the target.

    Args:
        indicators: Columns ``name``, ``unit``, ``baseline``, ``target``, ``actual``
            and ``good_direction`` (``"up"`` or ``"down"``).

    Returns:
        The chart with its alt text and caption.
    """
    columns = ["name", "unit", "baseline", "target", "actual", "good_direction"]
    _require(indicators, columns, "indicator_chart")
    if indicators.empty:
        return _empty_chart("Outcome indicators", "No indicators were recorded.")
    rows: list[Any] = list(indicators[columns].itertuples(index=False))
    results = [_assess(r.baseline, r.actual, r.target, r.good_direction) for r in rows]
    fig = _figure(0.7 + 1.05 * len(rows))
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, row, result in zip(axes, rows, results, strict=True):
        _draw_indicator(ax, row, result)
        unit = f" ({row.unit})" if isinstance(row.unit, str) and row.unit.strip() else ""
        ax.set_title(f"{row.name}{unit}: {_indicator_verdict(result)}", fontsize=9, loc="left")
    handles = [
        _legend_marker("o", "white", "Baseline"),
        _legend_marker("D", OKABE_ITO[0], "Target"),
        _legend_marker("s", _GOOD, "Actual, moved the good way"),
        _legend_marker("s", _WRONG, "Actual, moved the wrong way"),
    ]
    _bottom_legend(fig, handles)
    good = sum(r.direction == "good" for r in results)
    met = sum(r.target_met is True for r in results)
    alt = (
        f"Indicator chart of {_plural(len(rows), 'outcome indicator')}: {good} moved the good "
        f"way from baseline and {met} met their target. "
        + " ".join(_indicator_sentence(r, a) for r, a in zip(rows, results, strict=True))
    )
    caption = (
        "Outcome indicators. For each, the circle is the baseline, the diamond the target and "
        "the square the latest actual; the row title says whether it moved the good way."
    )
    return Chart(fig, alt, caption)


# --------------------------------------------------------------------------- money


def _money_alt(totals: pd.Series, parts: pd.DataFrame | None, noun: str, stack_noun: str) -> str:
    """Describe a money chart: grand total, largest and smallest, every value."""
    n = len(totals)
    grand = totals.sum()
    text = [f"Bar chart of money for {_plural(n, noun)}, {format_gbp(grand)} in total."]
    if n > 1:
        hi, lo = totals.idxmax(), totals.idxmin()
        share = f" ({totals.max() / grand:.0%} of the total)" if grand > 0 else ""
        text.append(
            f"Largest: {hi} {format_gbp(totals.max())}{share}; "
            f"smallest: {lo} {format_gbp(totals.min())}."
        )
    if parts is not None:
        by_kind = "; ".join(f"{k} {format_gbp(v)}" for k, v in parts.sum().items())
        text.append(f"By {stack_noun}: {by_kind}.")
    if n <= 12:
        text.append("Values: " + "; ".join(f"{k} {format_gbp(v)}" for k, v in totals.items()) + ".")
    return " ".join(text)


@_styled
def money_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    stack: str | None = None,
) -> Chart:
    """Horizontal bars of £ values labelled like ``£12.3k``.

    Without ``stack``, one bar per category (values summed). With ``stack`` (for
    example a column holding "cash", "in kind", "officer time"), each bar is split
    into segments with their own colour *and* hatching, a worded legend, the segment
    value written inside when there is room, and the bar total at its end.

    Args:
        frame: One or more rows per category.
        category: Column naming each bar.
        value: Column holding amounts in pounds.
        title: Chart title.
        stack: Optional column whose values split each bar into segments.

    Returns:
        The chart with its alt text and caption.
    """
    _require(frame, [category, value] + ([stack] if stack else []), "money_chart")
    data = frame.dropna(subset=[value])
    if data.empty:
        return _empty_chart(title, "No amounts were recorded.")
    if stack:
        parts = data.pivot_table(
            index=category, columns=stack, values=value, aggfunc="sum", fill_value=0, sort=False
        ).astype(float)
        parts = parts.reindex(
            index=_ordered_unique(data[category]), columns=_ordered_unique(data[stack])
        )
    else:
        parts = data.groupby(category, sort=False)[value].sum().to_frame(name=value)
    totals = parts.sum(axis=1)
    n = len(totals)
    fig = _figure(1.3 + 0.38 * n + (0.3 if stack else 0))
    ax = fig.add_subplot()
    ys = np.arange(n)
    biggest = float(totals.max()) if totals.max() > 0 else 1.0
    left = np.zeros(n)
    handles: list[Any] = []
    for i, kind in enumerate(parts.columns):
        colour = OKABE_ITO[i % len(OKABE_ITO)] if stack else OKABE_ITO[0]
        widths = parts[kind].to_numpy(dtype=float)
        ax.barh(
            ys,
            widths,
            left=left,
            height=0.62,
            color=colour,
            edgecolor="white",
            hatch=HATCHES[i % len(HATCHES)] if stack else None,
            zorder=2,
        )
        if stack:
            handles.append(
                Patch(
                    facecolor=colour,
                    edgecolor="white",
                    hatch=HATCHES[i % len(HATCHES)],
                    label=str(kind),
                )
            )
            for y, x0, w in zip(ys, left, widths, strict=True):
                if w >= biggest * 0.14:
                    ax.text(
                        x0 + w / 2,
                        float(y),
                        format_gbp(w),
                        ha="center",
                        va="center",
                        fontsize=7.5,
                        color=_text_colour(colour),
                        bbox={"facecolor": colour, "edgecolor": "none", "pad": 0.6},
                    )
        left += widths
    for y, total in zip(ys, totals, strict=True):
        ax.text(
            total + biggest * 0.01,
            float(y),
            format_gbp(total),
            va="center",
            fontsize=8.5,
            fontweight="bold" if stack else "normal",
        )
    ax.set_xlim(0, biggest * 1.15)
    ax.xaxis.set_major_formatter(lambda x, _pos: format_gbp(x).replace(".0k", "k"))
    ax.set_yticks(ys, [_wrap(c) for c in totals.index])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_title(title)
    _bottom_legend(fig, handles)
    noun = _noun(category, "item")
    alt = _money_alt(totals, parts if stack else None, noun, _noun(stack, "type"))
    caption = f"{title}. Amounts are written on the bars" + (
        "; segments are told apart by hatching as well as colour." if stack else "."
    )
    return Chart(fig, alt, caption)


# --------------------------------------------------------------------------- portfolio charts

#: Sequential blues (Okabe–Ito derived), light to dark: higher scores are darker.
SCORE_CMAP = LinearSegmentedColormap.from_list(
    "evalkit_score", ["#F2F7FB", "#A9D3EE", "#56B4E9", "#0072B2", "#003A5C"]
)


@_styled
def score_heatmap(
    frame: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    scale_min: float,
    scale_max: float,
    title: str,
) -> Chart:
    """Grid of scores (e.g. partnerships × dimensions) with every value written in its cell.

    Args:
        frame: One row per cell (rows sharing row and column are averaged).
        row: Column naming each grid row.
        column: Column naming each grid column.
        value: Column holding the score.
        scale_min: Lowest possible score (lightest shade).
        scale_max: Highest possible score (darkest shade).
        title: Chart title.
    """
    _require(frame, [row, column, value], "score_heatmap")
    grid = frame.pivot_table(index=row, columns=column, values=value, aggfunc="mean")
    if grid.empty:
        return _empty_chart(title, "No scores were recorded.")
    rows, cols = list(grid.index), list(grid.columns)
    fig = _figure(max(1.8, 0.32 * len(rows) + 1.4))
    ax = fig.add_subplot()
    ax.imshow(
        grid.to_numpy(dtype=float), cmap=SCORE_CMAP, vmin=scale_min, vmax=scale_max, aspect="auto"
    )
    for i, name in enumerate(rows):
        for j, col in enumerate(cols):
            cell = grid.loc[name, col]
            if pd.isna(cell):
                ax.text(j, i, "–", ha="center", va="center", fontsize=8, color=_INK)
                continue
            fill = SCORE_CMAP((cell - scale_min) / (scale_max - scale_min or 1))
            ax.text(
                j, i, f"{cell:.1f}", ha="center", va="center", fontsize=8, color=_text_colour(fill)
            )
    ax.set_xticks(range(len(cols)), [_wrap(c, 12) for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)), [_wrap(r, 34) for r in rows], fontsize=8)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title)
    means = grid.mean(axis=0)
    low_col, high_col = means.idxmin(), means.idxmax()
    alt = (
        f"Grid of scores for {_plural(len(rows), str(row).replace('_', ' '))} across "
        f"{len(cols)} columns on a {_scale(scale_min)}–{_scale(scale_max)} scale, darker "
        f"is higher, each value written in its cell. Highest column on average: {high_col} "
        f"({means.max():.1f}); lowest: {low_col} ({means.min():.1f})."
    )
    return Chart(fig, alt, title)


@_styled
def network_chart(links: pd.DataFrame, *, title: str) -> Chart:
    """Two-column network: partnerships on the left, organisations on the right.

    Args:
        links: Columns ``partnership`` and ``organisation`` (names), one row per membership.
        title: Chart title.
    """
    _require(links, ["partnership", "organisation"], "network_chart")
    if links.empty:
        return _empty_chart(title, "No memberships were recorded.")
    degree = links["organisation"].value_counts()
    parts = sorted(links["partnership"].unique())
    orgs = list(degree.sort_values(ascending=False).index)
    height = max(2.5, 0.22 * max(len(parts), len(orgs)) + 1.0)
    fig = _figure(height)
    ax = fig.add_subplot()
    ax.set_axis_off()

    def ys(n: int) -> list[float]:
        return [1 - (i + 0.5) / n for i in range(n)]

    y_part = dict(zip(parts, ys(len(parts)), strict=True))
    y_org = dict(zip(orgs, ys(len(orgs)), strict=True))
    for link in links.itertuples():
        ax.plot(
            [0.35, 0.65],
            [y_part[link.partnership], y_org[link.organisation]],
            color="#9CB8CC",
            linewidth=0.7,
            zorder=1,
        )
    ax.scatter(
        [0.35] * len(parts),
        list(y_part.values()),
        marker="s",
        s=28,
        color=OKABE_ITO[0],
        zorder=2,
        label="partnership",
    )
    sizes = [20 + 14 * degree[o] for o in orgs]
    ax.scatter(
        [0.65] * len(orgs),
        list(y_org.values()),
        marker="o",
        s=sizes,
        color=OKABE_ITO[1],
        zorder=2,
        label="organisation (size = partnerships)",
    )
    for name, y in y_part.items():
        ax.text(0.33, y, _wrap(name, 40), ha="right", va="center", fontsize=7.5)
    for name, y in y_org.items():
        ax.text(
            0.67, y, f"{_wrap(name, 36)} ({degree[name]})", ha="left", va="center", fontsize=7.5
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    _bottom_legend(fig, list(ax.get_legend_handles_labels()[0]), ncol=2)
    busiest = ", ".join(f"{o} ({degree[o]})" for o in orgs[:3])
    alt = (
        f"Network of {len(parts)} partnerships (left) and {len(orgs)} organisations (right), "
        f"a line for each of {len(links)} memberships. Organisations in the most "
        f"partnerships: {busiest}."
    )
    return Chart(fig, alt, title)
