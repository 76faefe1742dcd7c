"""Issue 11 item 4: every word of every printed page lies inside the page's text area.

The sample's pack PDFs and its overview are read with poppler's
``pdftotext -bbox-layout``, which gives each word's box in points. The text area is A4
less the ``@page`` margins of evalkit's stylesheet (read from it, not copied here). A
word is in place when it lies inside the text area, or wholly inside the top or bottom
margin band and between the side margins (the running header, the data notice and the
page number live there). A word that crosses the edge of the text area, or runs past a
side margin, is cut off or runs off the page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalkit.config import TEMPLATES_DIR

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]

MM = 72 / 25.4
#: A4 in points.
A4 = (210 * MM, 297 * MM)
#: Rounding in the word boxes poppler reports (points).
TOLERANCE = 0.75

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def page_margins_mm(css: str) -> tuple[float, float, float, float]:
    """Top, right, bottom and left margins (mm) of the stylesheet's ``@page`` rule."""
    rule = re.search(r"@page\s*\{(.*?)@", css, re.DOTALL)
    assert rule, "evalkit.css has no @page rule"
    found = re.search(r"(?<![-\w])margin:\s*([^;]+);", rule.group(1))
    assert found, "evalkit.css's @page rule has no margin"
    values = [float(v.removesuffix("mm")) for v in found.group(1).split()]
    assert all(v.endswith("mm") for v in found.group(1).split()), "margins must be in mm"
    top, right, bottom, left = {
        1: lambda v: (v[0], v[0], v[0], v[0]),
        2: lambda v: (v[0], v[1], v[0], v[1]),
        3: lambda v: (v[0], v[1], v[2], v[1]),
        4: lambda v: tuple(v),
    }[len(values)](values)
    return top, right, bottom, left


def test_page_margins_are_read_from_the_stylesheet():
    margins = page_margins_mm("@page { size: A4; margin: 18mm 15mm; @top-left {}}")
    assert margins == (18, 15, 18, 15)
    assert page_margins_mm("@page { margin: 10mm 11mm 12mm 13mm; @x {}}") == (10, 11, 12, 13)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: Path) -> list[tuple[int, float, float, list[Word]]]:
    """Each page's number, width, height and words, from ``pdftotext -bbox-layout``."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for number, match in enumerate(_PAGE.finditer(out), start=1):
        width, height = float(match.group(1)), float(match.group(2))
        found = [
            Word(number, text, float(a), float(b), float(c), float(d))
            for a, b, c, d, text in _WORD.findall(match.group(3))
        ]
        pages.append((number, width, height, found))
    return pages


def misplaced(pdf: Path, margins_mm: tuple[float, float, float, float]) -> list[str]:
    """The words of a PDF that are not where the page's text area allows, described."""
    top, right, bottom, left = (m * MM for m in margins_mm)
    problems = []
    for number, width, height, found in words(pdf):
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, f"page {number} is not A4"
        x_min, x_max = left - TOLERANCE, width - right + TOLERANCE
        y_min, y_max = top - TOLERANCE, height - bottom + TOLERANCE
        for w in found:
            inside_x = w.x0 >= x_min and w.x1 <= x_max
            in_body = w.y0 >= y_min and w.y1 <= y_max
            in_band = w.y1 <= y_min or w.y0 >= y_max
            if not (inside_x and (in_body or in_band)):
                problems.append(
                    f"{pdf.parent.name} p{number}: {w.text!r} at x {w.x0:.0f}-{w.x1:.0f}, "
                    f"y {w.y0:.0f}-{w.y1:.0f} (text area x {left:.0f}-{width - right:.0f}, "
                    f"y {top:.0f}-{height - bottom:.0f} pt)"
                )
    return problems


def test_every_word_of_every_pack_and_overview_page_is_inside_the_margins(built_sample):
    margins = page_margins_mm((TEMPLATES_DIR / "evalkit.css").read_text(encoding="utf-8"))
    pdfs = sorted(built_sample["reports"].glob("*/evidence-pack.pdf"))
    assert len(pdfs) == len(built_sample["in_scope"])
    pdfs += sorted((built_sample["reports"] / "overview").glob("*.pdf"))
    pdfs += sorted((built_sample["reports"] / "committee").glob("*.pdf"))  # the cover report
    problems = [p for pdf in pdfs for p in misplaced(pdf, margins)]
    assert not problems, f"{len(problems)} words outside the text area:\n" + "\n".join(
        problems[:60]
    )


def test_hashes_are_printed_whole_with_no_hyphen_added(built_sample):
    """A SHA-256 may wrap in print, but no hyphen may be added to it (it would not match).

    Packs print their provenance in a sentence (the hashes are in the appendix, which is
    not printed); the overview prints every input file's hash.
    """
    reports = built_sample["reports"]
    pdfs = sorted(reports.glob("*/evidence-pack.pdf"))
    pdfs += sorted((reports / "overview").glob("*.pdf"))
    printed = 0
    for pdf in pdfs:
        soup = BeautifulSoup(pdf.with_suffix(".html").read_text(encoding="utf-8"), "html.parser")
        for hidden in soup.select(".appendix"):  # the appendix is not printed
            hidden.decompose()
        hashes = set(re.findall(r"\b[0-9a-f]{64}\b", str(soup)))
        printed += len(hashes)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        squashed = "".join(text.split())
        missing = sorted(h for h in hashes if h not in squashed)
        assert not missing, f"{pdf.parent.name}: hashes broken in print: {missing}"
    assert printed, "no SHA-256 on the printed part of any page"


#: A line this tall (points) is a heading: h3 in print is 11.5 pt on a 12.8 pt line, h2
#: 14 pt on 15.6; body, table and caption lines are 11.2 pt or less.
HEADING_LINE = 12.0
_LINE = re.compile(
    r'<line xMin="[\d.-]+" yMin="([\d.-]+)" xMax="[\d.-]+" yMax="([\d.-]+)">(.*?)</line>',
    re.DOTALL,
)


def stranded_headings(pdf: Path, margins_mm: tuple[float, float, float, float]) -> list[str]:
    """Pages whose last line of text (above the bottom margin) is a heading, described."""
    top, _, bottom, _ = (m * MM for m in margins_mm)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    problems = []
    for number, page in enumerate(_PAGE.finditer(out), start=1):
        height = float(page.group(2))
        lines = [
            (float(y0), float(y1), " ".join(re.findall(r">([^<]*)</word>", inner)))
            for y0, y1, inner in _LINE.findall(page.group(3))
        ]
        body = [line for line in lines if line[0] >= top - 1 and line[1] <= height - bottom + 1]
        if not body:
            continue
        y0, y1, text = max(body, key=lambda line: line[1])
        if y1 - y0 > HEADING_LINE:
            problems.append(f"{pdf.parent.name} p{number}: {text!r} ends the page")
    return problems


def _pdf(tmp_path: Path, heading_style: str) -> Path:
    """A two-page PDF: a tall block, then a heading in its own output, then a paragraph."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from evalkit.report.render import html_to_pdf, notebook_to_html

    def shown(fragment: str) -> object:
        return new_output("display_data", data={"text/html": fragment})

    nb = new_notebook()
    nb.cells = [
        new_code_cell("a", outputs=[shown('<h1>Title</h1><div style="height: 220mm">Tall</div>')]),
        new_code_cell("b", outputs=[shown(f'<h2 style="{heading_style}">Partners disagree</h2>')]),
        new_code_cell("c", outputs=[shown("<p>" + "Words after the heading. " * 80 + "</p>")]),
    ]
    page = notebook_to_html(nb, title="Title", running_header="R")
    return html_to_pdf(page, tmp_path / "page.pdf")


def test_a_heading_at_a_page_end_is_found_and_the_stylesheet_moves_it(tmp_path):
    margins = page_margins_mm((TEMPLATES_DIR / "evalkit.css").read_text(encoding="utf-8"))
    forced = _pdf(tmp_path, "break-after: page")  # a heading made to end the page
    assert stranded_headings(forced, margins) == [
        f"{tmp_path.name} p1: 'Partners disagree' ends the page"
    ]
    kept = _pdf(tmp_path, "")  # as evalkit prints it: the heading goes with its text
    assert stranded_headings(kept, margins) == []


def test_no_heading_is_left_alone_at_a_page_end(built_sample):
    margins = page_margins_mm((TEMPLATES_DIR / "evalkit.css").read_text(encoding="utf-8"))
    pdfs = sorted(built_sample["reports"].glob("*/evidence-pack.pdf"))
    assert len(pdfs) == len(built_sample["in_scope"])
    pdfs += sorted((built_sample["reports"] / "overview").glob("*.pdf"))
    problems = [p for pdf in pdfs for p in stranded_headings(pdf, margins)]
    assert not problems, "headings alone at a page end:\n" + "\n".join(problems)


#: The most A4 pages a sample pack may print on, and the most the typical (median) pack
#: may (issue 11 item 3: "about ten A4 pages for a typical partnership"). The longest
#: are the packs with three rounds, an officer return and a register change.
MAX_PACK_PAGES = 12
MAX_MEDIAN_PAGES = 11


def test_every_sample_pack_prints_on_about_ten_pages(built_sample):
    pdfs = sorted(built_sample["reports"].glob("*/evidence-pack.pdf"))
    assert len(pdfs) == len(built_sample["in_scope"])
    pages = {pdf.parent.name: len(words(pdf)) for pdf in pdfs}
    counts = sorted(pages.values())
    assert counts[len(counts) // 2] <= MAX_MEDIAN_PAGES, pages
    too_long = {name: n for name, n in pages.items() if n > MAX_PACK_PAGES}
    assert not too_long, f"packs over {MAX_PACK_PAGES} pages: {too_long} (all: {pages})"
