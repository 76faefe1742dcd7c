"""Fixtures for tests that open evalkit's pages in headless Chromium, offline.

The browser is Debian's system Chromium driven by Playwright's Python API (Playwright's
own browser download is never used). Every page is opened with the network cut off:
``file:`` and ``data:`` URLs load, anything else is recorded and aborted. Accessibility
is checked with axe-core from ``node_modules`` (``make browser-deps`` installs both).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from small_portfolio import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "about:")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the system Chromium; fails (never skips) when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed: run `make browser-deps`.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


def open_offline(
    browser: Any, path: str | Path, *, bypass_csp: bool = True, width: int | None = None
) -> tuple[Any, list[str], list[str], list[str]]:
    """Open a local file with the network cut off.

    Args:
        browser: A Playwright browser.
        path: The HTML file to open.
        bypass_csp: Ignore the page's Content-Security-Policy. Needed to inject
            axe-core; pass False to check the page loads cleanly under its own policy.
        width: The window's width in CSS pixels (a phone is 390), if not the default.

    Returns:
        ``(page, console_errors, failed_requests, external_requests)``. The lists keep
        filling while the page is used; the page's context closes with the browser.
    """
    size = {"viewport": {"width": width, "height": 844}} if width else {}
    context = browser.new_context(bypass_csp=bypass_csp, java_script_enabled=True, **size)
    page = context.new_page()
    console_errors: list[str] = []
    failed_requests: list[str] = []
    external_requests: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            if url not in external_requests:
                external_requests.append(url)
            route.abort("internetdisconnected")

    def on_request(request: Any) -> None:
        url = request.url
        if not url.startswith(LOCAL_SCHEMES) and url not in external_requests:
            external_requests.append(url)

    context.route("**/*", route)
    page.on("request", on_request)
    page.on("requestfailed", lambda r: failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(f"page error: {e}"))
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    return page, console_errors, failed_requests, external_requests


def run_axe(page: Any, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its violations (WCAG 2.0–2.2 A and AA rules)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make browser-deps`.", pytrace=False)
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations;
        }""",
        tags or AXE_TAGS,
    )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Format axe violations for a readable assertion message."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {node.get('target')}: {node.get('failureSummary', '')}")
            lines.append(f"       {node.get('html', '')[:160]}")
    return "\n".join(lines)


@pytest.fixture(name="open_offline")
def open_offline_fixture(
    browser: Any,
) -> Iterator[Callable[..., tuple[Any, list[str], list[str], list[str]]]]:
    """:func:`open_offline` bound to the session browser; closes its pages afterwards."""
    pages: list[Any] = []

    def opener(path: str | Path, **kwargs: Any) -> tuple[Any, list[str], list[str], list[str]]:
        result = open_offline(browser, path, **kwargs)
        pages.append(result[0])
        return result

    yield opener
    for page in pages:
        page.context.close()


@pytest.fixture(name="run_axe")
def run_axe_fixture() -> Callable[..., list[dict[str, Any]]]:
    """:func:`run_axe` as a fixture."""
    return run_axe


@pytest.fixture(name="describe_violations")
def describe_violations_fixture() -> Callable[[list[dict[str, Any]]], str]:
    """:func:`describe_violations` as a fixture."""
    return describe_violations
