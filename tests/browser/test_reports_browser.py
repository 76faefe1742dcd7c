"""The real built reports in headless Chromium: offline, no errors, no axe violations."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def reports(built_sample):
    out = built_sample["reports"]
    return {
        "index": out / "index.html",
        "pack": out / built_sample["pack_id"] / "evidence-pack.html",
        "overview": out / "overview" / "portfolio-overview.html",
        "committee": out / "committee" / "committee-report.html",
    }


@pytest.mark.parametrize("page_name", ["index", "pack", "overview", "committee"])
def test_page_loads_offline_without_errors(reports, page_name, open_offline):
    page, errors, failed, external = open_offline(reports[page_name], bypass_csp=False)
    assert page.locator("h1").count() == 1
    assert errors == [] and failed == [] and external == []


@pytest.mark.parametrize("page_name", ["index", "pack", "overview", "committee"])
def test_page_has_no_wcag_violations(
    reports, page_name, open_offline, run_axe, describe_violations
):
    page, errors, failed, external = open_offline(reports[page_name])
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
    assert external == []


def test_every_image_has_alt_text(reports, open_offline):
    page, *_ = open_offline(reports["pack"])
    alts = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt') || '')")
    assert alts and all(len(a) > 40 for a in alts)


#: A phone's screen width in CSS pixels.
PHONE = 390


@pytest.mark.parametrize("page_name", ["pack", "overview"])
def test_a_phone_screen_never_scrolls_sideways(
    reports, page_name, open_offline, run_axe, describe_violations
):
    page, *_ = open_offline(reports[page_name], width=PHONE)
    assert page.evaluate("window.innerWidth") == PHONE
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    violations = run_axe(page)
    assert violations == [], describe_violations(violations)
