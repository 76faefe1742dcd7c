"""The index in headless Chromium: its script runs under the page's own policy, sorts and
filters; the page is accessible with and without it, and whole with JavaScript off.

The portfolio is tests/small_portfolio.py's five packs; the orders and counts below are
worked out by hand from INDEX_SUMMARIES (findings high / medium / low: csp 2/3/1,
flood 1/1/0, hub 0/4/2, parks 0/0/0, roads not known; tiers: csp strategic, hub
significant, the rest operational; lead directorate Growth: flood and parks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evalkit.build.index import index_rows, render_page, write_index
from evalkit.report.render import write_html
from small_portfolio import INDEX_MANIFEST, INDEX_ORDER, NOTICE, write_index_summaries

pytestmark = pytest.mark.browser

NAMES = {
    "csp": "Community Safety Partnership",
    "flood": "Flood Resilience Board",
    "hub": "Armed Forces Covenant Hub",
    "parks": "Parks Friends",
    "roads": "Highways <Board> & Co",
}


@pytest.fixture
def index(tmp_path: Path) -> Path:
    write_index_summaries(tmp_path)
    manifest = {"packs": INDEX_MANIFEST}
    return write_index(tmp_path, manifest, notice=NOTICE, generated="2026-11-26T10:00:00+00:00")


def _visible_names(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#packs tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent)"
    )


def _names(ids: list[str]) -> list[str]:
    return [NAMES[pid] for pid in ids]


def test_the_script_runs_under_the_pages_own_policy(index, open_offline):
    page, errors, failed, external = open_offline(index, bypass_csp=False)
    assert errors == [] and failed == [] and external == []
    assert page.locator("#packs-filter").is_visible()  # the script showed the filter
    assert page.locator("#packs thead button.sort-button").count() == 7
    assert page.locator("#packs-shown").text_content() == "Showing 5 of 5 partnerships."
    assert _visible_names(page) == _names(INDEX_ORDER)


def test_sort_buttons_reorder_the_rows_and_say_how(index, open_offline):
    page, errors, *_ = open_offline(index, bypass_csp=False)
    low = page.get_by_role("button", name="Low priority findings")
    low.click()  # counts sort most first; ties keep the default order (flood before parks)
    assert _visible_names(page) == _names(["hub", "csp", "flood", "parks", "roads"])
    header = page.locator("#packs thead th").nth(4)
    assert header.get_attribute("aria-sort") == "descending"
    low.click()
    assert _visible_names(page) == _names(["roads", "flood", "parks", "csp", "hub"])
    assert header.get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Partnership").click()
    assert _visible_names(page) == sorted(NAMES.values())
    assert header.get_attribute("aria-sort") is None  # only one column is sorted
    assert page.locator("#packs thead th").first.get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Tier").click()  # strategic, significant, operational
    assert _visible_names(page) == _names(["csp", "hub", "flood", "parks", "roads"])
    assert errors == []


def test_the_filter_hides_rows_by_text_and_priority(index, open_offline):
    page, errors, *_ = open_offline(index, bypass_csp=False)
    page.get_by_label("Show rows containing").fill("growth")
    assert _visible_names(page) == _names(["flood", "parks"])
    assert page.locator("#packs-shown").text_content() == "Showing 2 of 5 partnerships."
    page.get_by_label("Most serious finding").select_option("high")
    assert _visible_names(page) == _names(["flood"])
    page.get_by_label("Show rows containing").fill("")
    assert _visible_names(page) == _names(["csp", "flood"])
    page.get_by_label("Most serious finding").select_option("medium")
    assert _visible_names(page) == _names(["hub"])
    page.get_by_label("Most serious finding").select_option("none")
    assert _visible_names(page) == _names(["parks"])
    page.get_by_label("Most serious finding").select_option("")
    assert page.locator("#packs-shown").text_content() == "Showing 5 of 5 partnerships."
    assert errors == []


def test_with_javascript_off_every_row_is_there_in_the_default_order(index, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(index.resolve().as_uri(), wait_until="load")
        assert _visible_names(page) == _names(INDEX_ORDER)
        assert not page.locator("#packs-filter").is_visible()  # no control that cannot work
        assert page.locator("#packs thead button").count() == 0
        assert page.get_by_role("link", name="PDF for Community Safety Partnership").count() == 1
    finally:
        context.close()


def test_axe_finds_nothing_with_the_script_after_sorting_and_filtering(
    index, open_offline, run_axe, describe_violations
):
    page, errors, failed, external = open_offline(index)
    page.get_by_role("button", name="High priority findings").click()
    page.get_by_label("Show rows containing").fill("o")
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    assert errors == [] and failed == [] and external == []


def test_axe_finds_nothing_on_the_page_without_the_script(
    tmp_path, open_offline, run_axe, describe_violations
):
    rows = index_rows(INDEX_MANIFEST, write_index_summaries(tmp_path))
    page_html = render_page(rows, notice=NOTICE, overview_href="overview/portfolio-overview.html",
                            data_href=None, generated=None, with_script=False)  # fmt: skip
    page, errors, failed, external = open_offline(write_html(page_html, tmp_path / "index.html"))
    assert page.locator("#packs-filter").is_hidden()
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    assert errors == [] and failed == [] and external == []
