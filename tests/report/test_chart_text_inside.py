"""Issue 11 item 4: every chart's text lies inside its figure, whatever the names' length.

Each chart kind is built with long organisation, dimension and indicator names and
seven organisations (as in the sample's packs), drawn on an Agg canvas as
:func:`evalkit.report.render.figure_html` draws it, and every visible text artist's
window extent (tick labels, legend entries, titles, labels written on the axes) must
lie inside the figure's box: a word outside it is cut off in the picture.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from evalkit.report import charts
from evalkit.report.charts import Chart

#: Rounding of text boxes (pixels).
TOLERANCE = 1.0

ORGANISATIONS = [
    "Northshire County Council",
    "Westvale District Council Housing and Communities Directorate",
    "Northshire and Westvale Integrated Care Board",
    "Northshire Police and Crime Commissioner",
    "Voluntary and Community Sector Infrastructure Organisation",
    "Northshire Fire and Rescue Service",
    "Harbourside University Hospitals NHS Foundation Trust",
]
DIMENSIONS = [
    "History of collaboration or cooperation in the community",
    "Collaborative group seen as a legitimate leader in the community",
    "Members see collaboration as in their self-interest",
    "Appropriate cross-section of members",
]


def _profile() -> Chart:
    rows = [
        {"dimension_title": d, "organisation_name": o, "score": 1 + (i * 3 + j) % 5}
        for i, d in enumerate(DIMENSIONS)
        for j, o in enumerate(ORGANISATIONS)
    ]
    return charts.profile_chart(
        pd.DataFrame(rows), scale_min=1, scale_max=5, agree_line=3, title=DIMENSIONS[1]
    )


def _bar() -> Chart:
    frame = pd.DataFrame({"name": DIMENSIONS, "v": [1.5, 2.5, 3.5, 4.5]})
    bands = [
        {"min": 1, "max": 3, "label": "Needs attention before the next review"},
        {"min": 3, "max": 5, "label": "A strength to build on"},
    ]
    return charts.bar_chart(
        frame, category="name", value="v", scale_min=1, scale_max=5, title=DIMENSIONS[0],
        bands=bands,
    )  # fmt: skip


def _indicator() -> Chart:
    return charts.indicator_chart(
        pd.DataFrame(
            {
                "name": [
                    "Households in temporary accommodation for more than six weeks",
                    "Residents who feel safe outside after dark in their neighbourhood",
                ],
                "unit": ["households", "% of residents"],
                "baseline": [120.0, 60.0],
                "target": [100.0, 65.0],
                "actual": [130.0, 66.0],
                "good_direction": ["down", "up"],
            }
        )
    )


def _money() -> Chart:
    frame = pd.DataFrame(
        {
            "organisation": ORGANISATIONS * 2,
            "kind": ["Cash"] * 7 + ["Officer time at the standard day rate"] * 7,
            "amount": [120_000.0 + 1_000 * i for i in range(14)],
        }
    )
    return charts.money_chart(
        frame, category="organisation", value="amount", stack="kind", title=ORGANISATIONS[1]
    )


def _score_heatmap() -> Chart:
    rows = [
        {"p": o, "d": f"M{k} {d}", "s": 1 + (i + k) % 4}
        for i, o in enumerate(ORGANISATIONS)
        for k, d in enumerate(DIMENSIONS, start=1)
    ]
    return charts.score_heatmap(
        pd.DataFrame(rows), row="p", column="d", value="s", scale_min=1, scale_max=5,
        title=DIMENSIONS[0],
    )  # fmt: skip


def _network() -> Chart:
    links = pd.DataFrame(
        {
            "partnership": [f"{d[:40]} partnership" for d in DIMENSIONS] * 2,
            "organisation": ORGANISATIONS[:4] + ORGANISATIONS[3:],
        }
    )
    return charts.network_chart(links, title=ORGANISATIONS[1])


def _risk() -> Chart:
    return charts.risk_heatmap(
        pd.DataFrame(
            {
                "risk_id": [f"R{i}" for i in range(1, 13)],
                "description": [d for d in DIMENSIONS for _ in range(3)],
                "likelihood": [4] * 12,
                "impact": [5] * 12,
            }
        )
    )


#: A name from data with dollars: matplotlib's own wrapping would measure it as mathtext.
DOLLARS = (
    "Grant rose from $5m to $7m over the period while the partners' own contributions "
    "fell from $2m to $1.5m and the council's stayed at $1m"
)


def _dollars() -> Chart:
    frame = pd.DataFrame({"name": ["Cost $ per visit", DOLLARS[:40]], "v": [2.0, 4.0]})
    chart = charts.bar_chart(
        frame, category="name", value="v", scale_min=1, scale_max=5, title=DOLLARS
    )
    chart.figure.axes[0].text(0.02, 0.5, DOLLARS, transform=chart.figure.axes[0].transAxes)
    return chart


CHARTS = {
    "dollars": _dollars,
    "profile": _profile,
    "bar": _bar,
    "indicator": _indicator,
    "money": _money,
    "score_heatmap": _score_heatmap,
    "network": _network,
    "risk": _risk,
}


def _tick_labels_not_drawn(figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw (axes switched off, ticks out of view).

    Uses ``Axis._update_ticks``, the list matplotlib itself draws from.
    """
    every, drawn = set(), set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            every |= {id(label) for tick in ticks for label in (tick.label1, tick.label2)}
            if ax.axison and axis.get_visible():
                shown = axis._update_ticks()
                drawn |= {id(label) for tick in shown for label in (tick.label1, tick.label2)}
    return every - drawn


def texts_outside(chart: Chart) -> list[str]:
    """The visible texts of a chart that are not wholly inside its figure, described."""
    figure = chart.figure
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = figure.bbox
    hidden = _tick_labels_not_drawn(figure)
    outside = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in hidden:
            continue
        extent = text.get_window_extent(renderer)
        if (
            extent.x0 < box.x0 - TOLERANCE
            or extent.y0 < box.y0 - TOLERANCE
            or extent.x1 > box.x1 + TOLERANCE
            or extent.y1 > box.y1 + TOLERANCE
        ):
            outside.append(
                f"{text.get_text()!r}: x {extent.x0:.0f}-{extent.x1:.0f}, "
                f"y {extent.y0:.0f}-{extent.y1:.0f} (figure {box.x1:.0f} x {box.y1:.0f} px)"
            )
    return outside


@pytest.mark.parametrize("kind", sorted(CHARTS))
def test_every_text_of_a_chart_with_long_names_is_inside_the_figure(kind):
    chart = CHARTS[kind]()
    try:
        outside = texts_outside(chart)
    finally:
        charts.close(chart)
    assert not outside, f"{kind}: {len(outside)} texts cut off:\n" + "\n".join(outside)


def test_the_legend_of_a_profile_names_every_organisation():
    chart = _profile()
    try:
        labels = [t.get_text() for legend in chart.figure.legends for t in legend.get_texts()]
    finally:
        charts.close(chart)
    shown = {" ".join(label.split()) for label in labels}
    assert set(ORGANISATIONS) <= shown


def test_a_long_text_with_dollars_is_wrapped_as_typed():
    chart = _dollars()
    try:
        assert texts_outside(chart) == []
        shown = [t.get_text() for t in chart.figure.findobj(Text) if "$1m" in t.get_text()]
    finally:
        charts.close(chart)
    assert len(shown) >= 2  # the title and the text written on the axes, at least
    for text in shown:
        assert text.count("\n") >= 1, "a text wider than the figure must be on several lines"
        assert " ".join(text.split()) == DOLLARS, "every word, dollars included, as typed"
