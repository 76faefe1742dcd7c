"""Ways round a page: contents list, links, glossary, scrolling tables, notebook styles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_notebook

from evalkit.errors import EvalkitError
from evalkit.method.framework import load_frameworks
from evalkit.method.results import SCORE_COLUMN_LABELS
from evalkit.report import fragments
from evalkit.report.glossary import (
    GlossaryEntry,
    framework_entries,
    glossary_html,
    load_glossary,
    page_glossary,
    read_glossary,
    used_on,
)
from evalkit.report.navigation import PageLink
from evalkit.report.render import (
    NOTEBOOK_STYLE_CLASS,
    callout_html,
    notebook_css,
    notebook_to_html,
    table_html,
)
from small_portfolio import NOTICE, html_output

RULES = Path(fragments.__file__).resolve().parents[1] / "method" / "rules.py"

#: Column labels a councillor would not know without an explanation (hand-picked).
JARGON_LABELS = (
    "Spread (SD)",
    "Council minus others",
    "Partners disagree",
    "Band",
    "Lowest group",
    "Highest group",
    "Not rated",
    "Rated without evidence",
    "Partner £ per council £",
    "Cost per unit of improvement (£)",
    "Since baseline",
    "Priority",
)


def _pack_notebook() -> object:
    """A small pack: title and banner, two sections (one with a sub-section), a table."""
    scores = pd.DataFrame(
        {
            "Id": ["P1", "P2"],
            "Principle": ["Shared purpose", "Trust"],
            "Spread (SD)": [0.5, 1.25],
            "Council minus others": [-0.5, 1.0],
        }
    )
    findings = pd.DataFrame({"Code": ["partners-diverge"], "Finding": ["Views differ on P2."]})
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "title",
            outputs=[
                html_output(
                    fragments.heading(1, "Evidence pack: Harbour")
                    + callout_html(NOTICE, kind="invented")
                )
            ],
        ),
        new_code_cell(
            "s",
            outputs=[
                html_output(
                    fragments.heading(2, "Scores")
                    + table_html(scores, caption="Scores by principle (n = 9)")
                )
            ],
        ),
        new_code_cell(
            "f",
            outputs=[
                html_output(
                    fragments.heading(2, "Findings")
                    + fragments.heading(3, "Where partners disagree")
                    + table_html(findings, caption="Findings")
                )
            ],
        ),
    ]
    return nb


@pytest.fixture(scope="module")
def soup() -> BeautifulSoup:
    links = [
        PageLink("This pack as a PDF", "evidence-pack.pdf"),
        PageLink("All evidence packs", "../index.html"),
    ]
    page = notebook_to_html(
        _pack_notebook(), title="Evidence pack: Harbour", running_header="Harbour", links=links
    )
    return BeautifulSoup(page, "html.parser")


# --------------------------------------------------------------------------- contents


def test_contents_list_after_title_and_banner_with_nested_h3(soup):
    nav = soup.find("nav", attrs={"aria-label": "Contents"})
    assert nav is not None
    # It follows the h1 and the invented-data banner, before the first section.
    assert nav.find_previous_sibling("div", class_="callout-invented") is not None
    top = nav.find("ol")
    items = top.find_all("li", recursive=False)
    assert [li.a.get_text() for li in items] == ["Scores", "Findings", "Glossary"]
    assert [li.a["href"] for li in items] == ["#scores", "#findings", "#glossary"]
    nested = items[1].find("ol").find_all("a")
    assert [(a.get_text(), a["href"]) for a in nested] == [
        ("Where partners disagree", "#where-partners-disagree")
    ]
    assert soup.find("h3", id="where-partners-disagree") is not None


def test_heading_ids_keep_a_sections_own_and_are_unique():
    from evalkit.report.navigation import heading_ids

    body = BeautifulSoup(
        '<h2 id="mine">Risk</h2><h2>Risk</h2><h2>Risk</h2><figure id="risk"></figure>',
        "html.parser",
    )
    heading_ids(body)
    assert [h["id"] for h in body.find_all("h2")] == ["mine", "risk-2", "risk-3"]


def test_links_under_the_masthead_and_not_in_print(soup):
    nav = soup.find("nav", class_="page-links")
    assert nav["aria-label"] == "Related pages and files"
    assert [(a.get_text(), a["href"]) for a in nav.find_all("a")] == [
        ("This pack as a PDF", "evidence-pack.pdf"),
        ("All evidence packs", "../index.html"),
    ]
    css = soup.find("style").get_text()
    assert "nav.contents, nav.page-links { display: none; }" in css


def test_no_links_no_links_nav():
    page = notebook_to_html(_pack_notebook(), title="T", running_header="R")
    assert 'class="page-links"' not in page


# --------------------------------------------------------------------------- tables


def test_every_table_scrolls_in_a_named_focusable_region(soup):
    tables = soup.find_all("table")
    assert len(tables) == 2
    for table in tables:
        region = table.parent
        assert region.name == "div"
        assert region["class"] == ["table-scroll"]
        assert region["role"] == "region" and region["tabindex"] == "0"
        caption = table.find("caption")
        assert region["aria-labelledby"] == caption["id"]
    assert tables[0].caption.get_text() == "Scores by principle (n = 9)"


# --------------------------------------------------------------------------- glossary


def test_glossary_lists_only_the_terms_on_the_page(soup):
    section = soup.find("section", class_="glossary")
    assert section.find("h2").get_text() == "Glossary"
    terms = [dt.get_text() for dt in section.find_all("dt")]
    # On the page: the two jargon columns, n, the finding code, P1/P2 (Nuffield), the
    # heading "Where partners disagree" and the invented-data banner. Not on it: Band,
    # Wilder's F01-F20, other finding codes.
    assert terms == [
        "Council minus others",
        "Invented sample data",
        "n",
        "P1–P6",
        "Partners disagree",
        "partners-diverge",
        "Spread (SD)",
    ]
    assert section.find("dt", id="glossary-partners-diverge").code is not None


def test_table_terms_link_to_their_entry(soup):
    head = [th for th in soup.find_all("th", scope="col")]
    links = {th.get_text(): th.a["href"] for th in head if th.a}
    assert links == {
        "Spread (SD)": "#glossary-spread-sd",
        "Council minus others": "#glossary-council-minus-others",
    }
    code_cell = soup.find(string="partners-diverge").parent
    assert code_cell.name == "a" and code_cell["href"] == "#glossary-partners-diverge"
    for href in [*links.values(), code_cell["href"]]:
        assert soup.find(id=href[1:]) is not None


def test_used_on_matches_whole_words_and_codes_exactly():
    entries = (
        GlossaryEntry("Band", "A range.", ("bands",)),
        GlossaryEntry("high-risk", "A risk of 15 or more.", code=True),
        GlossaryEntry("n", "The base.", pattern=r"(?<![\w-])n\s*=\s*\d"),
    )
    assert used_on("Husband and wife", entries) == []
    assert used_on("Two bands apply", entries) == [entries[0]]
    assert used_on("HIGH-RISK", entries) == []
    assert used_on("a not-high-risk-ish", entries) == []
    assert used_on("code high-risk.", entries) == [entries[1]]
    assert used_on("answers (n = 12)", entries) == [entries[2]]
    assert used_on("in = 12", entries) == []


def test_glossary_html_is_a_dl_with_escaped_text():
    html = glossary_html([GlossaryEntry("A & B", "<b>not bold</b>")])
    assert html == (
        '<section class="glossary" aria-labelledby="glossary"><h2 id="glossary">Glossary</h2>'
        "<p>The terms and codes used on this page.</p>"
        '<dl><dt id="glossary-a-b">A &amp; B</dt><dd>&lt;b&gt;not bold&lt;/b&gt;</dd></dl>'
        "</section>"
    )
    assert glossary_html([]) == ""


def test_every_finding_code_in_the_rules_has_an_entry():
    tree = ast.parse(RULES.read_text(encoding="utf-8"))
    codes = {
        call.args[1].value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and getattr(call.func, "id", None) == "Finding"
        and len(call.args) > 1
        and isinstance(call.args[1], ast.Constant)
    }
    assert len(codes) >= 18 and "partners-diverge" in codes
    glossary = {e.term for e in load_glossary() if e.code}
    assert codes - glossary == set()


def test_every_jargon_column_label_has_an_entry():
    labels = {label for table in SCORE_COLUMN_LABELS.values() for label in table.values()}
    assert set(JARGON_LABELS) <= labels, "a jargon label was renamed: update this list"
    entries = load_glossary()
    for label in JARGON_LABELS:
        assert any(e.names(label) for e in entries), label


def test_every_framework_code_has_an_entry():
    frameworks = load_frameworks()
    entries = framework_entries(frameworks.values())
    wilder = next(e for e in entries if e.term == "F01–F20")
    assert wilder.definition == (
        "The codes of the 20 factors of the Wilder Collaboration Factors Inventory, "
        "numbered as in the framework; tables give each factor's name beside its code."
    )
    for fw in frameworks.values():
        for dim in fw.dimensions:
            assert used_on(f"row {dim.id} here", page_glossary()), dim.id


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("terms: [{term: X}]", "entry 1 (X): definition must be non-empty text"),
        ("terms: [{term: X, definition: Y, colour: red}]", "unknown key(s) ['colour']"),
        ("terms: [{term: X, definition: Y, pattern: '('}]", "pattern is not a valid"),
        ("terms: [{term: X, definition: Y}, {term: x, definition: Z}]", "in the glossary twice"),
        ("words: []", "must hold a list called 'terms'"),
    ],
)
def test_a_bad_glossary_file_is_refused_with_its_fault(tmp_path, text, message):
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalkitError, match=re.escape(message)):
        read_glossary(path)


# --------------------------------------------------------------------------- notebook styles


def test_the_banner_in_a_notebook_brings_its_styles_scoped_to_outputs():
    shown = callout_html(NOTICE, kind="invented")
    assert shown.startswith('<div class="callout callout-invented">')
    assert shown.endswith(
        f'</div><style class="{NOTEBOOK_STYLE_CLASS}">\n{notebook_css()}\n</style>'
    )
    assert NOTEBOOK_STYLE_CLASS not in callout_html("Few answers.", kind="warning")
    css = notebook_css()
    # Tables left-aligned with numbers right, and the banner's border, inside outputs only.
    scope = ":is(.jp-RenderedHTMLCommon, .rendered_html)"
    assert f"{scope} .num {{text-align: right;}}" in css
    assert f"{scope} .callout-invented {{border: 3px solid var(--invented);" in css
    assert f"{scope} {{--ink: #0b0c0c;" in css
    for line in css.splitlines():
        assert line.startswith(scope), line
    assert "@page" not in css and "html {" not in css


def test_the_built_page_has_the_stylesheet_once(soup):
    styles = soup.find_all("style")
    assert len(styles) == 1
    assert NOTEBOOK_STYLE_CLASS not in str(soup)
    assert "jp-RenderedHTMLCommon" not in styles[0].get_text()
    assert styles[0].get_text().count("border-left-width: 12px") == 1
