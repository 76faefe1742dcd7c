"""The HTML and PDF layer: accessible self-contained pages, tagged A4 PDFs, atomic writes."""

from __future__ import annotations

import base64
import datetime
import os
import re
import stat
import struct
from html.parser import HTMLParser

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from evalkit.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from evalkit.config import TEMPLATES_DIR
from evalkit.errors import EvalkitError
from evalkit.report import charts
from evalkit.report.render import (
    NOTEBOOK_ONLY_TAG,
    callout_html,
    figure_html,
    html_to_pdf,
    notebook_to_html,
    render_index,
    table_html,
    write_html,
)

NOTICE = "INVENTED SAMPLE DATA — this is not a real council's assessment."
RUNNING_HEADER = "Harbour Health Partnership"
TINY_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5Erk"
    "Jggg=="
)


# --------------------------------------------------------------------------- helpers


class Tags(HTMLParser):
    """Collect every start tag with its attributes, and the text inside <caption>."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.captions: list[str] = []
        self._in_caption = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_caption = tag == "caption"
        if self._in_caption:
            self.captions.append("")

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self.captions[-1] += data

    def named(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def html_output(fragment: str):
    return new_output("display_data", data={"text/html": fragment, "text/plain": "<HTML>"})


def long_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Activity name": [f"Activity {i:03d}" for i in range(120)],
            "Score out of four": [1 + (i % 30) / 10 for i in range(120)],
            "Spend to date": [1000.0 + 250 * i for i in range(120)],
        }
    )


def sample_notebook():
    scores = pd.DataFrame(
        {
            "dimension_title": ["P1 Purpose", "P2 Trust", "P1 Purpose", "P2 Trust"],
            "organisation_name": ["County", "County", "District", "District"],
            "score": [3.0, 2.0, 2.0, 1.0],
        }
    )
    chart = charts.profile_chart(scores, scale_min=1, scale_max=4, agree_line=2.5, title="Profile")
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell(f"# {RUNNING_HEADER}\n\nWhat the pack shows.\n\n### Jumps a level"),
        new_code_cell("fig", outputs=[html_output(figure_html(chart, figure_id="profile"))]),
        new_markdown_cell("# A second top heading\n\n#### Too deep"),
        new_code_cell(
            "tab",
            outputs=[
                html_output(callout_html("Only two organisations answered.", kind="warning")),
                html_output(
                    table_html(
                        long_table(),
                        caption="Activities and spend",
                        formats={"Spend to date": "£{:,.0f}"},
                    )
                ),
            ],
        ),
        new_code_cell(
            "js",
            outputs=[
                new_output(
                    "display_data",
                    data={"application/javascript": "alert(1)", "text/plain": "<JS>"},
                )
            ],
        ),
    ]
    return nb


@pytest.fixture(scope="module")
def page() -> str:
    return notebook_to_html(
        sample_notebook(),
        title=f"{RUNNING_HEADER}: evidence pack",
        running_header=RUNNING_HEADER,
        notice=NOTICE,
    )


@pytest.fixture(scope="module")
def pdf(page, tmp_path_factory) -> PdfReader:
    out = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    assert html_to_pdf(page, out) == out
    return PdfReader(out)


# --------------------------------------------------------------------------- the HTML page


def test_page_has_language_title_and_skip_link(page):
    tags = Tags(page)
    assert tags.named("html") == [{"lang": "en-GB"}]
    assert re.search(r"<title>Harbour Health Partnership: evidence pack</title>", page)
    skip = tags.named("a")[0]
    assert skip == {"class": "skip-link", "href": "#content"}
    assert tags.named("main")[0]["id"] == "content"


def test_page_has_exactly_one_h1_and_no_skipped_levels(page):
    levels = [int(tag[1]) for tag, _ in Tags(page).tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert re.search(r"<h1>Harbour Health Partnership</h1>", page)
    assert '<h2 id="a-second-top-heading">A second top heading</h2>' in page
    assert '<h3 id="too-deep">Too deep</h3>' in page


def test_page_is_self_contained(page):
    tags = Tags(page)
    assert "<script" not in page.lower()
    assert not tags.named("link")
    for _, attrs in tags.tags:
        for name in ("src", "href"):
            assert not str(attrs.get(name) or "").lower().startswith(("http:", "https:", "//"))
    for word in ("cdnjs", "require.js", "mathjax", "@import"):
        assert word not in page.lower()
    assert "¶" not in page


def test_every_image_has_real_alt_text(page):
    images = Tags(page).named("img")
    assert images
    for img in images:
        assert img["src"].startswith("data:image/png;base64,")
        assert img["alt"] and len(img["alt"]) > 20
        assert "No description" not in img["alt"]
        assert int(img["width"]) == 770


def test_tables_have_captions_and_scoped_headers(page):
    tags = Tags(page)
    assert len(tags.named("table")) == len(tags.captions) == 1
    assert tags.captions[0] == "Activities and spend"
    scopes = [attrs.get("scope") for attrs in tags.named("th")]
    assert scopes.count("col") == 3
    assert scopes.count("row") == 120


def test_notice_is_a_banner_and_in_the_footer(page):
    main_start, footer_start = page.index("<main"), page.index("<footer")
    first = page.index("INVENTED SAMPLE DATA")
    assert main_start < first < page.index("<h1>")
    assert "INVENTED SAMPLE DATA" in page[footer_start:]
    assert page.count("INVENTED SAMPLE DATA") == 2


def test_css_is_inline_with_print_rules(page):
    assert "@page" in page and "size: A4" in page
    assert "counter(pages)" in page and "string(partnership)" in page
    assert ":focus-visible" in page


def test_notebook_can_be_read_from_a_path(tmp_path):
    import nbformat

    path = tmp_path / "pack.ipynb"
    nbformat.write(sample_notebook(), path)
    html = notebook_to_html(path, title="T", running_header="R")
    assert "<h1>Harbour Health Partnership</h1>" in html


def test_missing_title_heading_is_made_from_title():
    nb = new_notebook()
    nb.cells = [new_markdown_cell("## Only a subheading\n\nText.")]
    html = notebook_to_html(nb, title="Made-up title", running_header="R")
    assert re.search(r"<h1>Made-up title</h1>", html)
    assert '<h2 id="only-a-subheading">Only a subheading</h2>' in html


def test_notebook_only_cells_are_left_off_the_page():
    nb = new_notebook()
    note = new_markdown_cell("# Notes for the analyst\n\nHow to run this notebook.")
    note.metadata["tags"] = [NOTEBOOK_ONLY_TAG]
    nb.cells = [note, new_markdown_cell("# The page\n\nWhat the page says.")]
    html = notebook_to_html(nb, title="T", running_header="R")
    assert "Notes for the analyst" not in html and "How to run" not in html
    assert re.search(r"<h1>The page</h1>", html) and "What the page says." in html


def test_image_without_alt_is_refused():
    nb = new_notebook()
    output = new_output("display_data", data={"image/png": TINY_PNG, "text/plain": "<Figure>"})
    nb.cells = [new_markdown_cell("# T"), new_code_cell("plt.show()", outputs=[output])]
    with pytest.raises(EvalkitError, match="no alt text"):
        notebook_to_html(nb, title="T", running_header="R")
    nb.cells[1].metadata["alt"] = "A single pixel."
    assert 'alt="A single pixel."' in notebook_to_html(nb, title="T", running_header="R")


def test_table_without_caption_is_refused():
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# T"),
        new_code_cell("df", outputs=[html_output(pd.DataFrame({"a": [1]}).to_html())]),
    ]
    with pytest.raises(EvalkitError, match="no caption"):
        notebook_to_html(nb, title="T", running_header="R")


def test_external_image_and_active_content_are_refused_or_removed():
    nb = new_notebook()
    nb.cells = [new_markdown_cell("# T\n\n![Logo of the council](https://example.com/logo.png)")]
    with pytest.raises(EvalkitError, match="not self-contained"):
        notebook_to_html(nb, title="T", running_header="R")
    nb.cells = [
        new_markdown_cell("# T"),
        new_code_cell(
            "x",
            outputs=[
                html_output(
                    "<script src='https://cdn.example/x.js'></script>"
                    "<link rel='stylesheet' href='https://cdn.example/x.css'>"
                    "<p onclick='steal()' style='background: url(https://x.example/a.png)'>hi</p>"
                )
            ],
        ),
    ]
    html = notebook_to_html(nb, title="T", running_header="R")
    assert "<script" not in html and "<link" not in html
    assert "onclick" not in html and "x.example" not in html
    assert "<p>hi</p>" in html


# --------------------------------------------------------------------------- fragments


def test_figure_html_embeds_png_with_alt_size_and_caption():
    chart = charts.bar_chart(
        pd.DataFrame({"name": ["A & B", "C"], "value": [2.0, 3.0]}),
        category="name",
        value="value",
        scale_min=1,
        scale_max=4,
        title="Means",
    )
    height = round(chart.figure.get_size_inches()[1] * 110)
    html = figure_html(chart, figure_id="fig-means")
    img = Tags(html).named("img")[0]
    assert html.startswith('<figure class="chart" id="fig-means">')
    assert img["src"].startswith("data:image/png;base64,")
    assert img["width"] == "770" and abs(int(img["height"]) - height) <= 1
    # The bitmap is nearly twice as dense: 7 in at 205 dpi is 1,435 pixels, printed at
    # the text width (180 mm) 202.5 ppi, over 200.
    png = base64.b64decode(img["src"].removeprefix("data:image/png;base64,"))
    pixels = struct.unpack(">I", png[16:20])[0]
    assert pixels == 1435 and pixels / (180 / 25.4) >= 200
    assert "A &amp; B 2.0" in html  # alt text is escaped
    assert "<figcaption>Means." in html
    assert chart.figure.axes == []  # closed


def test_figure_html_refuses_empty_alt():
    chart = charts.bar_chart(
        pd.DataFrame({"name": ["A"], "value": [2.0]}),
        category="name",
        value="value",
        scale_min=1,
        scale_max=4,
        title="T",
    )
    with pytest.raises(EvalkitError, match="alt text"):
        figure_html(charts.Chart(chart.figure, "  ", "caption"))


def test_table_html_structure_escaping_and_formats():
    df = pd.DataFrame(
        {"Organisation": ["<County>", "District"], "Score": [2.25, None], "Members": [12, 30000]}
    )
    html = table_html(df, caption="Scores & members", formats={"Score": "{:.2f}"})
    assert "<caption>Scores &amp; members</caption>" in html
    assert '<th scope="col">Organisation</th>' in html
    assert '<th scope="col" class="num">Score</th>' in html
    assert '<th scope="row">&lt;County&gt;</th>' in html
    assert '<td class="num">2.25</td>' in html
    assert '<td class="num">—</td>' in html
    assert '<td class="num">30,000</td>' in html and '<td class="num">12</td>' in html


def test_table_html_index_empty_and_caption_rules():
    indexed = table_html(
        pd.DataFrame({"v": [1.0]}, index=pd.Index(["x"], name="k")), caption="C", index=True
    )
    assert '<th scope="col">k</th>' in indexed and '<th scope="row">x</th>' in indexed
    empty = table_html(pd.DataFrame(columns=["a", "b"]), caption="Nothing", empty_text="None yet.")
    assert '<td colspan="2" class="empty">None yet.</td>' in empty
    with pytest.raises(EvalkitError):
        table_html(pd.DataFrame({"a": [1]}), caption=" ")


def test_callouts_are_labelled_in_words():
    assert '<strong class="callout-label">Note:</strong> Read &lt;this&gt;' in callout_html(
        "Read <this>"
    )
    assert "Warning:" in callout_html("Careful", kind="warning")
    invented = callout_html("this is not a real council's assessment.", kind="invented")
    assert "INVENTED SAMPLE DATA</strong> — this is not a real council" in invented
    assert callout_html(NOTICE, kind="invented").count("INVENTED SAMPLE DATA") == 1
    assert "not a real council" in callout_html("", kind="invented")
    with pytest.raises(EvalkitError):
        callout_html("x", kind="shout")  # type: ignore[arg-type]


def test_render_index_lists_packs_with_links_and_failures():
    packs = [
        {"id": "P1", "name": "Harbour <Health>", "tier": 1, "status": "built",
         "links": [("HTML", "P1/pack.html"), ("PDF", "P1/pack.pdf")], "error": None},
        {"id": "P2", "name": "Moor", "tier": 2, "status": "failed",
         "links": [("HTML", None), ("PDF", None)], "error": "KeyError in cell 4"},
    ]  # fmt: skip
    html = render_index(
        packs,
        columns=["Web page", "PDF"],
        title="Packs",
        notice=NOTICE,
        overview_href="overview.html",
        generated="today",
    )
    tags = Tags(html)
    assert tags.named("html") == [{"lang": "en-GB"}]
    assert html.count("<h1>") == 1
    hrefs = [a["href"] for a in tags.named("a")]
    assert {"P1/pack.html", "P1/pack.pdf", "overview.html", "#content"} <= set(hrefs)
    assert "Harbour &lt;Health&gt;" in html and "KeyError in cell 4" in html
    assert tags.captions and "INVENTED SAMPLE DATA" in html
    assert "<script" not in html


# --------------------------------------------------------------------------- the PDF


def test_pdf_pages_are_a4(pdf):
    assert len(pdf.pages) >= 3
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595) <= 1 and abs(height - 842) <= 1


def test_every_pdf_page_has_running_header_and_page_x_of_n(pdf):
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        text = page.extract_text()
        assert RUNNING_HEADER in text, f"page {number}"
        assert f"Page {number} of {total}" in text, f"page {number}"
        assert "INVENTED SAMPLE DATA" in text, f"page {number}"


def test_pdf_is_tagged_with_title_and_language(pdf):
    catalog = pdf.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert pdf.metadata.title == f"{RUNNING_HEADER}: evidence pack"


def figure_alts(node, found=None) -> list[str]:
    """Alt texts of every /Figure in a PDF structure tree."""
    found = [] if found is None else found
    node = node.get_object()
    if not hasattr(node, "get"):
        return found
    if node.get("/S") == "/Figure":
        found.append(str(node.get("/Alt", "")))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        figure_alts(kid, found)
    return found


def test_pdf_figures_carry_their_alt_text(pdf):
    alts = figure_alts(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert len(alts) == 1
    assert alts[0].startswith("Dot plot of 2 dimension scores on a 1–4 scale for 2 organisations.")


def test_long_table_splits_with_header_repeated(pdf):
    texts = [page.extract_text() for page in pdf.pages]
    pages_with_rows = [text for text in texts if re.search(r"Activity \d{3}", text)]
    assert len(pages_with_rows) >= 2
    for text in pages_with_rows:
        assert "Activity name" in text and "Spend to date" in text
    all_text = "".join(pages_with_rows)
    assert "Activity 000" in all_text and "Activity 119" in all_text


def test_outputs_are_written_atomically(page, tmp_path):
    html_path = write_html(page, tmp_path / "out" / "pack.html")
    pdf_path = html_to_pdf(page, tmp_path / "out" / "pack.pdf")
    assert html_path.read_text(encoding="utf-8") == page
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["pack.html", "pack.pdf"]


# --------------------------------------------------------------------------- atomic writes


def test_atomic_path_failure_leaves_nothing_behind(tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a file")
        raise RuntimeError("renderer crashed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_failure_keeps_the_old_file(tmp_path):
    target = atomic_write_text(tmp_path / "report.html", "old")
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_text("new but broken")
        raise ValueError
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_atomic_writes_replace_and_create_folders(tmp_path):
    target = tmp_path / "a" / "b" / "data.bin"
    assert atomic_write_bytes(target, b"one") == target
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    with atomic_path(tmp_path / "a" / "c.txt") as tmp:
        assert tmp.parent == tmp_path / "a" and tmp.exists()
        tmp.write_text("written by name")
    assert (tmp_path / "a" / "c.txt").read_text() == "written by name"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b", "c.txt"]
    assert atomic_write_text(tmp_path / "t.txt", "é\n").read_bytes() == "é\n".encode()


def test_atomic_files_get_ordinary_permissions(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = atomic_write_text(tmp_path / "x.html", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_table_shows_dates_in_words_never_iso_timestamps():
    frame = pd.DataFrame(
        {
            "Agreement": ["Harbour", "Moor", "Vale"],
            "Signed": pd.to_datetime(["2022-03-15", "2019-06-01", None]),
            "Reviewed": [datetime.date(2024, 1, 9), datetime.date(2023, 11, 30), None],
        }
    )
    html = table_html(frame, caption="Agreements")
    assert '<td class="date">15 March 2022</td>' in html
    assert '<td class="date">1 June 2019</td>' in html
    assert '<td class="date">9 January 2024</td>' in html
    assert '<td class="date">30 November 2023</td>' in html
    assert "00:00:00" not in html and "2022-03-15" not in html
    assert html.count("<td>—</td>") == 2


def test_a_date_in_words_is_kept_on_one_line() -> None:
    frame = pd.DataFrame({"Action": ["Agree a plan"], "Due by": ["30 September 2025"]})
    page = table_html(frame, caption="Action plan")
    assert '<td class="date">30 September 2025</td>' in page
    assert 'class="date"' not in table_html(
        pd.DataFrame({"Note": ["due 30 September 2025"]}), caption="Notes"
    )


def test_a_short_one_word_cell_is_never_hyphenated():
    frame = pd.DataFrame(
        {
            "Partnership": ["Harbourside", "Vale"],
            "Tier": ["Operational", "Strategic"],
            "Form": ["Unincorporated", "Joint committee"],
            "Members": [12, 30],
        }
    )
    html = table_html(frame, caption="Tiers")
    # One word of up to 12 letters keeps whole; a longer word or two words may hyphenate.
    assert '<td class="word">Operational</td>' in html
    assert '<td class="word">Strategic</td>' in html
    assert "<td>Unincorporated</td>" in html and "<td>Joint committee</td>" in html
    assert '<td class="num">12</td>' in html  # a number is never a "word"
    assert '<th scope="row">Harbourside</th>' in html  # a row's header never hyphenates anyway
    css = (TEMPLATES_DIR / "evalkit.css").read_text(encoding="utf-8")
    assert "td.word { hyphens: manual; }" in css
