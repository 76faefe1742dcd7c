"""evalkit's rendered pages in a real browser: offline, self-contained, no axe violations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from evalkit.report import charts
from evalkit.report.render import (
    callout_html,
    figure_html,
    notebook_to_html,
    render_index,
    table_html,
    write_html,
)
from small_portfolio import NOTICE, html_output

pytestmark = pytest.mark.browser


def _sample_page(tmp_path: Path) -> Path:
    scores = pd.DataFrame(
        {
            "dimension_title": ["P1 Shared purpose", "P2 Trust"] * 3,
            "organisation_name": ["County", "County", "District", "District", "NHS", "NHS"],
            "score": [3.0, 2.0, 2.5, 1.5, 3.5, 2.5],
        }
    )
    chart = charts.profile_chart(scores, scale_min=1, scale_max=4, agree_line=2.5, title="Profile")
    table = table_html(scores, caption="Scores by organisation", formats={"score": "{:.1f}"})
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Harbour Partnership\n\nWhat this pack shows.\n\n## Scores"),
        new_code_cell("show(chart)", outputs=[html_output(figure_html(chart, figure_id="fig-1"))]),
        new_code_cell("show(table)", outputs=[html_output(table)]),
        new_markdown_cell("## Caveats\n\nSee the [guidance](#content)."),
        new_code_cell(
            "note()", outputs=[html_output(callout_html("Few answers.", kind="warning"))]
        ),
    ]
    page = notebook_to_html(
        nb,
        title="Harbour Partnership: evidence pack",
        running_header="Harbour Partnership",
        notice=NOTICE,
    )
    return write_html(page, tmp_path / "pack.html")


def test_pack_page_is_offline_clean_and_passes_axe(
    tmp_path, open_offline, run_axe, describe_violations
):
    path = _sample_page(tmp_path)

    # Under the page's own Content-Security-Policy: nothing blocked, nothing fetched.
    page, errors, failed, external = open_offline(path, bypass_csp=False)
    assert errors == []
    assert failed == []
    assert external == []
    assert page.locator("h1").count() == 1
    assert page.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    page, errors, failed, external = open_offline(path)
    violations = run_axe(page)
    assert violations == [], "axe violations:\n" + describe_violations(violations)
    assert errors == [] and failed == [] and external == []


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(tmp_path, open_offline):
    page, *_ = open_offline(_sample_page(tmp_path))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_index_page_passes_axe(tmp_path, open_offline, run_axe, describe_violations):
    packs = [
        {"id": "P001", "name": "Harbour Partnership", "tier": 1, "status": "built",
         "links": [("HTML", "P001/pack.html"), ("PDF", "P001/pack.pdf")], "error": None},
        {"id": "P002", "name": "Moor Trust", "tier": 2, "status": "failed",
         "links": [("HTML", None), ("PDF", None)], "error": "cell 4 raised KeyError"},
    ]  # fmt: skip
    page_html = render_index(
        packs, columns=["Web page", "PDF"], title="Partnership evidence packs", notice=NOTICE,
        overview_href="overview/overview.html", generated="2026-11-25 10:00",
    )  # fmt: skip
    path = write_html(page_html, tmp_path / "index.html")
    page, errors, failed, external = open_offline(path)
    violations = run_axe(page)
    assert violations == [], "axe violations:\n" + describe_violations(violations)
    assert errors == [] and failed == [] and external == []


def test_a_wide_table_scrolls_in_its_region_and_the_page_does_not(
    tmp_path, open_offline, run_axe, describe_violations
):
    wide = pd.DataFrame(
        {
            f"Column heading {k}": [f"value-{k}-{r}-without-spaces" for r in range(3)]
            for k in range(9)
        }
    )
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Harbour Partnership\n\n## Scores"),
        new_code_cell("show(table)", outputs=[html_output(table_html(wide, caption="Wide"))]),
        new_markdown_cell("## Caveats\n\nA closing note."),
    ]
    page = notebook_to_html(nb, title="Harbour", running_header="Harbour", notice=NOTICE)
    path = write_html(page, tmp_path / "wide.html")
    view, errors, failed, external = open_offline(path, width=390)
    assert view.evaluate("document.documentElement.scrollWidth") <= 390
    region = view.locator("div.table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table scrolls inside"
    assert region.evaluate("el => el.clientWidth") <= 390
    # The region is reached by keyboard and named by the table's caption.
    assert region.get_attribute("tabindex") == "0"
    assert view.get_by_role("region", name="Wide").count() == 1
    view.get_by_role("navigation", name="Contents").get_by_role("link", name="Caveats").click()
    assert view.evaluate("location.hash") == "#caveats"
    violations = run_axe(view)
    assert violations == [], "axe violations:\n" + describe_violations(violations)
    assert errors == [] and failed == [] and external == []


def test_notebook_outputs_keep_their_styles_under_jupyterlab_rules(tmp_path, open_offline):
    """In JupyterLab every table cell is right-aligned by its own stylesheet; ours wins."""
    frame = pd.DataFrame({"Organisation": ["County", "District"], "Score": [2.5, 3.0]})
    output = callout_html(NOTICE, kind="invented") + table_html(frame, caption="Scores")
    lab = (
        "<!DOCTYPE html><html lang='en'><head><title>Lab</title><style>"
        ".jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { text-align: right; }"
        "</style></head><body><main><div class='jp-RenderedHTMLCommon'>"
        f"{output}</div></main></body></html>"
    )
    path = tmp_path / "lab.html"
    path.write_text(lab, encoding="utf-8")
    page, *_ = open_offline(path)

    def style(selector: str, name: str) -> str:
        return page.locator(selector).first.evaluate(
            f"el => getComputedStyle(el).getPropertyValue('{name}')"
        )

    assert style("tbody th", "text-align") == "left"
    assert style("tbody td.num", "text-align") == "right"
    assert style("thead th", "text-align") == "left"
    assert style(".callout-invented", "border-left-width") == "12px"
    assert style(".callout-invented", "background-color") == "rgb(253, 240, 238)"
