"""Text is text on pages: hostile names, SWOT, risk and indicator text shown inert and visible.

A pack whose data carries markup (``<script>``), formulas (``=HYPERLINK``), mathtext
(``$...$``), terminal escape sequences, NUL and newlines must render every section, show
each value as the literal text (HTML-escaped), and carry no raw control character, which
HTML and XML forbid. Control characters are shown as visible escapes (``\\x1b``).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from evalkit.report.fragments import bullets, escape, heading, para
from evalkit.report.pack import (
    Pack,
    appendix,
    cover,
    findings,
    governance,
    impact,
    risk,
    summary,
    swot,
    value_for_money,
)
from evalkit.report.render import notebook_to_html
from small_portfolio import html_output

#: Values as an attacker types them; what a reader sees; how the page's source holds it.
SCRIPT = "<script>alert('x')</script>"
ANSI = "\x1b[31mred\x1b[0m"
NUL = "nul\x00here"
FORMULA = '=HYPERLINK("http://x","y")'
DOLLARS = "$\\input{/etc/passwd}$ from $5m to $7m"
TWO_LINES = "first line\nsecond line"

SEEN = {
    SCRIPT: SCRIPT,
    ANSI: "\\x1b[31mred\\x1b[0m",
    NUL: "nul\\x00here",
    FORMULA: FORMULA,
    DOLLARS: DOLLARS,
    TWO_LINES: TWO_LINES,
}
IN_SOURCE = {
    SCRIPT: "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;",
    ANSI: "\\x1b[31mred\\x1b[0m",
    NUL: "nul\\x00here",
    FORMULA: "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)",
    DOLLARS: DOLLARS,
    TWO_LINES: TWO_LINES,
}
#: A control character drawn on a chart would warn of a missing glyph: fail on any warning.
pytestmark = pytest.mark.filterwarnings("error")

_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

NAME = f"Safer {SCRIPT} {ANSI} {NUL} {FORMULA} {DOLLARS}"


def test_escape_shows_control_characters_and_markup_as_text() -> None:
    assert escape("a<b>\x1b[31m\x00\x7f\x9b&\"'") == (
        "a&lt;b&gt;\\x1b[31m\\x00\\x7f\\x9b&amp;&quot;&#x27;"
    )
    assert escape("tab\there\r\nnext") == "tab\there\nnext"
    assert heading(2, ANSI) == "<h2>\\x1b[31mred\\x1b[0m</h2>"
    assert para(NUL) == "<p>nul\\x00here</p>"
    assert bullets([SCRIPT]) == f"<ul><li>{IN_SOURCE[SCRIPT]}</li></ul>"


def _hostile_pack(make_pack: Any) -> Pack:
    """A pack whose every free text holds each hostile value."""
    values = list(SEEN)
    organisations = pd.DataFrame(
        {
            "organisation_id": [f"o{i}" for i in range(len(values))],
            "name": values,
            "sector": "police",
        }
    )
    memberships = pd.DataFrame(
        {
            "organisation_id": organisations["organisation_id"],
            "role": "member",
            "voting": pd.array([True] * len(values), dtype="boolean"),
        }
    )
    swot_rows = pd.DataFrame({"category": "threat", "text": values})
    risks = pd.DataFrame(
        {
            "risk_id": [f"R{i}" for i in range(len(values))],
            "description": values,
            "likelihood": 4,
            "impact": 4,
            "score": 16,
            "rating": "high",
            "owner": values,
            "mitigation": values,
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": [f"i{i}" for i in range(len(values))],
            "name": values,
            "kind": "outcome",
            "unit": "people",
            "period": "2024-25",
            "baseline": 10.0,
            "target": 20.0,
            "actual": 15.0,
            "good_direction": "up",
            "moved": "better",
            "target_met": False,
            "measure": "per person",
            "cost_per_unit": 12.5,
            "cost_per_improvement": None,
        }
    )
    found = pd.DataFrame(
        {"severity": "high", "code": "high-risk", "message": [f"Risk: {v}" for v in values]}
    )
    actions = pd.DataFrame(
        {
            "priority": "high",
            "action": values,
            "finding": "high-risk",
            "owner": values,
            "timescale": "now",
        }
    )
    pack: Pack = make_pack(
        register={"name": NAME, "lead_officer": ANSI, "objectives": TWO_LINES + NUL},
        tables={"organisations": organisations, "memberships": memberships, "swot": swot_rows},
        scores={
            "risks": risks,
            "vfm_indicators": indicators,
            "findings": found,
            "actions": actions,
        },
    )
    return pack


SECTIONS = (cover, governance, swot, risk, value_for_money, impact, summary, findings)


def _fragments(pack: Pack) -> dict[str, str]:
    """Each section's HTML followed by the appendix its detailed tables went to."""
    out = {"title": cover.title_html(pack)}
    for module in SECTIONS:
        section = module.html(pack)
        out[module.__name__.rsplit(".", 1)[1]] = section + appendix.html(pack)
        pack.appendix.clear()
    return out


def test_every_section_shows_hostile_text_escaped_and_inert(make_pack: Any) -> None:
    fragments = _fragments(_hostile_pack(make_pack))
    for section, fragment in fragments.items():
        assert _RAW_CONTROL.findall(fragment) == [], section
        assert "<script" not in fragment, section
    page = "".join(fragments.values())
    for value, held in IN_SOURCE.items():
        assert held in page, value
    text = BeautifulSoup(page, "html.parser").get_text()
    for value, seen in SEEN.items():
        assert seen in text, value
    # the name in the title, the SWOT entries and the risk table, as a reader sees them
    title = BeautifulSoup(fragments["title"], "html.parser").h1
    assert title is not None
    assert title.get_text() == (
        "Evidence pack: Safer <script>alert('x')</script> \\x1b[31mred\\x1b[0m nul\\x00here "
        '=HYPERLINK("http://x","y") $\\input{/etc/passwd}$ from $5m to $7m'
    )


def test_hostile_tables_hold_the_literal_text(make_pack: Any, read_tables: Any) -> None:
    fragments = _fragments(_hostile_pack(make_pack))
    threats = read_tables(fragments["swot"])["Strengths, weaknesses, opportunities and threats"]
    assert [row[1] for row in threats[1:]] == list(SEEN.values())
    risks = read_tables(fragments["risk"])["Risks, highest first"]
    assert [row[1] for row in risks[1:]] == list(SEEN.values())
    members = read_tables(fragments["governance"])["Member organisations"]
    assert sorted(row[0] for row in members[1:]) == sorted(SEEN.values())


def test_the_page_made_from_hostile_sections_is_inert(make_pack: Any) -> None:
    fragments = _fragments(_hostile_pack(make_pack))
    notebook = new_notebook(cells=[new_markdown_cell("# Evidence pack")])
    for number, fragment in enumerate(fragments.values(), 1):
        cell = new_code_cell("", execution_count=number, outputs=[html_output(fragment)])
        notebook.cells.append(cell)
    page = notebook_to_html(
        notebook, title=f"Evidence pack: {NAME}", running_header=NAME, notice=ANSI
    )
    assert _RAW_CONTROL.findall(page) == []
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None
    assert "\\x1b[31mred\\x1b[0m" in soup.get_text()
    assert soup.title is not None and "$\\input{/etc/passwd}$" in soup.title.get_text()
