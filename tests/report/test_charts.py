"""Charts: colour-blind-safe, labelled in text, and described with the right numbers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from evalkit.report import charts
from evalkit.report.charts import Chart


def all_texts(chart: Chart) -> list[str]:
    """Every piece of text drawn on the chart's axes and legends."""
    found = []
    for ax in chart.figure.axes:
        found += [t.get_text() for t in ax.texts]
    for legend in chart.figure.legends:
        found += [t.get_text() for t in legend.get_texts()]
    return found


def assert_labelled(chart: Chart) -> None:
    assert chart.figure.axes, "chart has no axes"
    assert any(ax.texts for ax in chart.figure.axes), "no text labels on the chart"
    assert len(chart.alt) > 40 and chart.alt.endswith(".")
    assert chart.caption
    width, _ = chart.figure.get_size_inches()
    assert width == pytest.approx(7.0) and chart.figure.dpi == 110


@pytest.fixture
def scores() -> pd.DataFrame:
    # Means worked out by hand: P1 (2+3+4)/3 = 3.0 range 2.0; P2 (1+1.5+2)/3 = 1.5 range 1.0;
    # P3 (3+3.5+3.4)/3 = 3.3 range 0.5. Lowest P2, highest P3, widest spread P1.
    return pd.DataFrame(
        {
            "dimension_title": ["P1 Shared purpose"] * 3 + ["P2 Trust"] * 3 + ["P3 Learning"] * 3,
            "organisation_name": ["County", "District", "NHS Trust"] * 3,
            "score": [2.0, 3.0, 4.0, 1.0, 1.5, 2.0, 3.0, 3.5, 3.4],
        }
    )


def test_palette_is_okabe_ito_with_eight_distinct_colours():
    assert len(charts.OKABE_ITO) >= 8
    assert len(set(charts.OKABE_ITO)) == len(charts.OKABE_ITO)
    assert "#E69F00" in charts.OKABE_ITO and "#0072B2" in charts.OKABE_ITO
    for colour in charts.OKABE_ITO:
        to_rgb(colour)  # valid colour
    assert len(set(charts.MARKERS)) >= 8


def test_risk_colour_map_gets_steadily_darker():
    lightness = [np.mean(charts.RISK_CMAP(x)[:3]) for x in np.linspace(0, 1, 11)]
    assert all(b < a for a, b in zip(lightness, lightness[1:], strict=False))


def test_profile_chart_alt_text_has_the_hand_worked_numbers(scores):
    chart = charts.profile_chart(scores, scale_min=1, scale_max=4, agree_line=2.5, title="Profile")
    assert_labelled(chart)
    alt = chart.alt
    assert alt.startswith("Dot plot of 3 dimension scores on a 1–4 scale for 3 organisations.")
    assert "Lowest mean: P2 Trust, 1.5" in alt
    assert "highest mean: P3 Learning, 3.3" in alt
    assert "Widest spread: P1 Shared purpose (range 2.0)" in alt
    assert "1 of 3 have a mean below the agree / disagree line at 2.5" in alt


def test_profile_chart_labels_groups_with_words_and_shapes(scores):
    chart = charts.profile_chart(scores, scale_min=1, scale_max=4, agree_line=2.5, title="Profile")
    texts = all_texts(chart)
    assert {"County", "District", "NHS Trust", "Mean of organisations"} <= set(texts)
    assert "agree / disagree line" in texts
    assert "mean 3.0\nrange 2.0–4.0" in texts
    markers = [h.get_marker() for h in chart.figure.legends[0].legend_handles]
    assert len(set(markers[:3])) == 3  # a different shape for every organisation
    charts.close(chart)
    assert chart.figure.axes == []


def test_profile_chart_single_series_and_averaging():
    frame = pd.DataFrame({"dimension_title": ["A", "A", "B"], "score": [2.0, 3.0, 4.0]})
    chart = charts.profile_chart(frame, group=None, scale_min=1, scale_max=4, title="One")
    assert_labelled(chart)
    assert "Dot plot of 2 dimension scores on a 1–4 scale." in chart.alt
    assert "Lowest score: A, 2.5; highest score: B, 4.0." in chart.alt
    assert {"2.5", "4.0"} <= set(all_texts(chart))


def test_bar_chart_values_bands_and_alt():
    frame = pd.DataFrame({"principle": ["P1", "P2", "P3", "P4"], "mean": [1.5, 2.25, 3.5, 2.75]})
    bands = [
        {"min": 1, "max": 2, "label": "Needs attention"},
        {"min": 2, "max": 3, "label": "Developing"},
        {"min": 3, "max": 4, "label": "Strong"},
    ]
    chart = charts.bar_chart(
        frame, category="principle", value="mean", scale_min=1, scale_max=4, title="Means",
        value_format="{:.2f}", bands=bands,
    )  # fmt: skip
    assert_labelled(chart)
    texts = all_texts(chart)
    assert {"1.50", "2.25", "3.50", "2.75", "Needs attention", "Developing", "Strong"} <= set(texts)
    assert "Highest: P3 (3.50); lowest: P1 (1.50)." in chart.alt
    assert "Values: P1 1.50; P2 2.25; P3 3.50; P4 2.75." in chart.alt
    assert "1 in “Needs attention”, 2 in “Developing”, 1 in “Strong”" in chart.alt


def test_bar_chart_counts_missing_values():
    frame = pd.DataFrame({"item": ["a", "b", "c"], "v": [1.0, None, 3.0]})
    chart = charts.bar_chart(frame, category="item", value="v", scale_min=0, scale_max=4, title="T")
    assert "1 item with no value is not shown." in chart.alt


def test_risk_heatmap_cells_scores_ids_and_alt():
    risks = pd.DataFrame(
        {
            "risk_id": ["R1", "R2", "R3", "R4"],
            "description": ["Funding ends", "Data sharing", "Staff leave", "Unrated"],
            "likelihood": [4, 2, 4, None],
            "impact": [5, 3, 5, 2],
        }
    )
    chart = charts.risk_heatmap(risks)
    assert_labelled(chart)
    texts = all_texts(chart)
    scores = [t for t in texts if t.startswith("score ")]
    assert len(scores) == 25 and "score 20" in scores and "score 25" in scores
    assert "R1, R3" in texts and "R2" in texts
    ax = chart.figure.axes[0]
    assert ax.get_xlabel() == "Likelihood (1 = rare, 5 = almost certain)"
    assert ax.get_ylabel().startswith("Impact (1 = ")
    assert "Scores range from 6 to 20." in chart.alt
    assert "R1 Funding ends (likelihood 4, impact 5, score 20)" in chart.alt
    assert "1 risk without both ratings is not shown." in chart.alt


def test_risk_heatmap_rejects_ratings_off_the_grid():
    risks = pd.DataFrame(
        {"risk_id": ["R1"], "description": ["x"], "likelihood": [6], "impact": [1]}
    )
    with pytest.raises(ValueError, match="likelihood"):
        charts.risk_heatmap(risks)


def test_indicator_chart_states_direction_and_target_in_words():
    indicators = pd.DataFrame(
        {
            "name": ["Households in temporary accommodation", "Residents feeling safe", "Waits"],
            "unit": ["households", "%", "days"],
            "baseline": [120, 60, 30],
            "target": [100, 65, 20],
            "actual": [130, 66, 25],
            "good_direction": ["down", "up", "down"],
        }
    )
    chart = charts.indicator_chart(indicators)
    assert_labelled(chart)
    alt = chart.alt
    assert alt.startswith("Indicator chart of 3 outcome indicators: 2 moved the good way")
    assert "1 met their target" in alt
    assert (
        "Households in temporary accommodation: baseline 120 households, actual 130 households, "
        "target 100 households; moved the wrong way from baseline (down is better); "
        "did not meet the target." in alt
    )
    assert "Residents feeling safe: baseline 60%, actual 66%, target 65%; moved the good way" in alt
    assert "Waits: baseline 30 days, actual 25 days, target 20 days; moved the good way" in alt
    texts = all_texts(chart)
    assert {"Baseline 120 households", "Actual 66%", "Target 20 days"} <= set(texts)
    titles = [ax.get_title(loc="left") for ax in chart.figure.axes]
    assert any("moved the wrong way; target not met" in t for t in titles)


def test_indicator_chart_handles_missing_values_and_no_change():
    indicators = pd.DataFrame(
        {
            "name": ["Flat", "No actual"],
            "unit": ["", "£"],
            "baseline": [5.0, 1000.0],
            "target": [None, 2000.0],
            "actual": [5.0, None],
            "good_direction": ["up", "up"],
        }
    )
    alt = charts.indicator_chart(indicators).alt
    assert "Flat: baseline 5, actual 5; did not change from baseline; no target to compare." in alt
    assert "No actual: baseline £1.0k, target £2.0k; direction of travel cannot be judged" in alt


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (950, "£950"),
        (12_345, "£12.3k"),
        (1_250_000, "£1.25m"),
        (999_990, "£1.00m"),
        (-2500, "-£2.5k"),
    ],
)
def test_format_gbp(value, text):
    assert charts.format_gbp(value) == text


def test_money_chart_plain_and_stacked():
    frame = pd.DataFrame(
        {
            "organisation": ["County", "County", "District", "NHS"],
            "kind": ["Cash", "Officer time", "Cash", "In kind"],
            "amount": [120_000, 32_000, 8_000, 12_345],
        }
    )
    plain = charts.money_chart(frame, category="kind", value="amount", title="By type")
    assert_labelled(plain)
    assert {"£128.0k", "£32.0k", "£12.3k"} <= set(all_texts(plain))
    assert "£172.3k in total" in plain.alt
    assert "Largest: Cash £128.0k (74% of the total); smallest: In kind £12.3k." in plain.alt

    stacked = charts.money_chart(
        frame, category="organisation", value="amount", stack="kind", title="By organisation"
    )
    assert_labelled(stacked)
    texts = set(all_texts(stacked))
    assert {"Cash", "Officer time", "In kind", "£152.0k", "£120.0k"} <= texts
    assert "By kind: Cash £128.0k; Officer time £32.0k; In kind £12.3k." in stacked.alt
    hatches = {p.get_hatch() for p in stacked.figure.axes[0].patches}
    assert len(hatches) >= 3  # segments differ by pattern, not colour alone


def test_empty_inputs_give_a_labelled_placeholder():
    empty = pd.DataFrame({"dimension_title": [], "organisation_name": [], "score": []})
    chart = charts.profile_chart(empty, scale_min=1, scale_max=4, title="Profile")
    assert_labelled(chart)
    assert "no scores were recorded" in chart.alt
    indicators = pd.DataFrame(
        columns=["name", "unit", "baseline", "target", "actual", "good_direction"]
    )
    assert "No indicators" in charts.indicator_chart(indicators).caption


def test_missing_column_is_a_clear_error(scores):
    with pytest.raises(KeyError, match="profile_chart needs column"):
        charts.profile_chart(scores, value="nope", scale_min=1, scale_max=4, title="T")


def test_charts_do_not_touch_pyplot_state(scores):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    chart = charts.profile_chart(scores, scale_min=1, scale_max=4, title="T")
    assert plt.get_fignums() == before
    assert re.search(r"\d", chart.alt)


# --------------------------------------------------------------------------- text is text

#: Names from data that mathtext or TeX would read as markup.
DOLLAR_NAMES = ["$\\input{/etc/passwd}$", "from $5m to $7m"]


def _hostile_charts() -> list[Chart]:
    """Every chart kind, with organisation, partnership and indicator names holding ``$``."""
    a, b = DOLLAR_NAMES
    return [
        charts.profile_chart(
            pd.DataFrame(
                {"dimension_title": [a, b, a, b], "organisation_name": [a, a, b, b],
                 "score": [1.0, 2.0, 3.0, 4.0]}
            ),
            scale_min=1, scale_max=4, agree_line=2.5, title=f"Profile of {a}",
        ),
        charts.bar_chart(
            pd.DataFrame({"name": [a, b], "v": [1.0, 3.0]}),
            category="name", value="v", scale_min=0, scale_max=4, title=b,
            bands=[{"min": 0, "max": 2, "label": a}, {"min": 2, "max": 4, "label": b}],
        ),
        charts.indicator_chart(
            pd.DataFrame(
                {"name": [a, b], "unit": ["$", "$m"], "baseline": [5.0, 7.0],
                 "target": [7.0, 5.0], "actual": [6.0, 6.0], "good_direction": ["up", "down"]}
            )
        ),
        charts.money_chart(
            pd.DataFrame({"org": [a, a, b], "kind": [a, b, b], "amount": [5.0, 7.0, 9.0]}),
            category="org", value="amount", stack="kind", title=a,
        ),
        charts.score_heatmap(
            pd.DataFrame({"p": [a, b], "d": [b, a], "s": [2.0, 3.0]}),
            row="p", column="d", value="s", scale_min=1, scale_max=4, title=b,
        ),
        charts.network_chart(
            pd.DataFrame({"partnership": [a, b, b], "organisation": [b, a, b]}), title=a
        ),
        charts.risk_heatmap(
            pd.DataFrame(
                {"risk_id": [a, b], "description": [b, a], "likelihood": [1, 5], "impact": [2, 5]}
            )
        ),
    ]  # fmt: skip


def test_names_with_dollar_signs_are_drawn_as_the_literal_text(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.text import Text

    for k, chart in enumerate(_hostile_charts()):
        # drawn after the chart is built, outside evalkit's style, as a report draws it
        FigureCanvasAgg(chart.figure).print_png(tmp_path / f"{k}.png")
        FigureCanvasSVG(chart.figure).print_svg(tmp_path / f"{k}.svg")
        texts = [t for t in chart.figure.findobj(Text) if t.get_text()]
        assert [t.get_text() for t in texts if t.get_parse_math() or t.get_usetex()] == []
        assert all(t._preprocess_math(t.get_text()) == (t.get_text(), False) for t in texts)
        drawn = [t.get_text() for t in texts]
        for name in DOLLAR_NAMES:
            assert any(name in text for text in drawn), (k, name)
        assert (tmp_path / f"{k}.png").read_bytes().startswith(b"\x89PNG")
        svg = (tmp_path / f"{k}.svg").read_text(encoding="utf-8")
        assert "<!-- from $5m to $7m" in svg  # the SVG names each text it draws


def test_chart_style_switches_mathtext_and_tex_off():
    assert charts._STYLE["text.parse_math"] is False
    assert charts._STYLE["text.usetex"] is False


def test_control_characters_in_names_are_drawn_as_visible_escapes():
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    frame = pd.DataFrame({"name": ["\x1b[31mred", "nul\x00here"], "v": [1.0, 2.0]})
    chart = charts.bar_chart(frame, category="name", value="v", scale_min=0, scale_max=4, title="T")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph 27 missing from font" warning
        FigureCanvasAgg(chart.figure).draw()
    drawn = [t.get_text() for t in chart.figure.findobj(Text)]
    assert "\\x1b[31mred" in drawn and "nul\\x00here" in drawn
    assert not any("\x1b" in t or "\x00" in t for t in drawn)
