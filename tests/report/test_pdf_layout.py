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
    problems = [p for pdf in pdfs for p in misplaced(pdf, margins)]
    assert not problems, f"{len(problems)} words outside the text area:\n" + "\n".join(
        problems[:60]
    )


def test_hashes_are_printed_whole_with_no_hyphen_added(built_sample):
    """A SHA-256 may wrap in print, but no hyphen may be added to it (it would not match)."""
    for pdf in sorted(built_sample["reports"].glob("*/evidence-pack.pdf")):
        soup = BeautifulSoup(
            (pdf.parent / "evidence-pack.html").read_text(encoding="utf-8"), "html.parser"
        )
        for hidden in soup.select(".appendix"):  # the appendix is not printed
            hidden.decompose()
        hashes = set(re.findall(r"\b[0-9a-f]{64}\b", str(soup)))
        assert hashes, f"{pdf.parent.name}: no SHA-256 on the printed part of the page"
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        squashed = "".join(text.split())
        missing = sorted(h for h in hashes if h not in squashed)
        assert not missing, f"{pdf.parent.name}: hashes broken in print: {missing}"
