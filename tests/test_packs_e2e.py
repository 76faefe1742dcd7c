"""End to end on the bundled sample: every in-scope partnership gets an HTML and a PDF pack."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from evalkit.spreadsheet import read_csv_frame

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(built_sample) -> dict:
    return built_sample


def _top_finding(processed: Path, pid: str) -> str:
    """The pack's most serious finding: of the round the packs are built for (the latest)."""
    latest = json.loads((processed / "scores" / "scoring.json").read_text())["assessment_round"]
    findings = read_csv_frame(processed / "scores" / "findings.csv", dtype={"round": str})
    mine = findings[
        (findings["round"] == latest)
        & (findings["partnership_id"] == pid)
        & (findings["severity"] != "info")
    ]
    return str(mine.iloc[0]["message"])


def _pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_every_in_scope_partnership_has_html_and_pdf(built):
    for pid in built["in_scope"]:
        folder = built["reports"] / pid
        assert (folder / "evidence-pack.html").stat().st_size > 10_000
        assert (folder / "evidence-pack.pdf").stat().st_size > 10_000
    for pid in built["out_of_scope"]:
        assert not (built["reports"] / pid).exists()


def test_packs_contain_name_and_top_finding(built):
    for pid in built["in_scope"]:
        name = built["names"][pid]
        top = _top_finding(built["processed"], pid)
        html = (built["reports"] / pid / "evidence-pack.html").read_text(encoding="utf-8")
        assert name.replace("&", "&amp;") in html
        assert top.replace("&", "&amp;").replace("'", "&#x27;") in html or top in html
        pdf = _squash(_pdf_text(built["reports"] / pid / "evidence-pack.pdf"))
        assert _squash(name) in pdf
        # the top finding's first words survive PDF text extraction (lines may wrap)
        assert _squash(top)[:40] in pdf


def test_detailed_tables_are_on_the_page_and_in_the_downloads_but_not_in_print(built):
    pid = built["pack_id"]
    folder = built["reports"] / pid
    html = (folder / "evidence-pack.html").read_text(encoding="utf-8")
    pdf = _squash(_pdf_text(folder / "evidence-pack.pdf"))
    # the main points come before the facts about the partnership, on page 1
    first = _squash(PdfReader(folder / "evidence-pack.pdf").pages[0].extract_text() or "")
    assert "Main points" in first
    assert html.index('id="main-points"') < html.index('id="about"')
    assert 'id="appendix"' in html and "Appendix: detailed tables" not in pdf
    captions = [c.get_text() for c in BeautifulSoup(html, "html.parser").find_all("caption")]
    for caption, slug in [("Risks, highest first", "risks"), ("Member organisations", "members")]:
        assert caption in captions
        assert caption not in pdf
        assert (folder / "downloads" / f"{slug}.csv").is_file()


def test_invented_data_is_labelled_everywhere(built):
    notice = json.loads((built["processed"] / "dataset.json").read_text())["dataset"]["notice"]
    assert "INVENTED" in notice
    pages = [
        built["reports"] / "index.html",
        built["reports"] / "overview" / "portfolio-overview.html",
    ]
    pages += [built["reports"] / pid / "evidence-pack.html" for pid in built["in_scope"]]
    for page in pages:
        assert "INVENTED SAMPLE DATA" in page.read_text(encoding="utf-8"), page
    pdf = PdfReader(built["reports"] / built["pack_id"] / "evidence-pack.pdf")
    assert all("INVENTED" in (p.extract_text() or "") for p in pdf.pages)


def test_pdf_is_tagged_a4_and_paginated(built):
    path = built["reports"] / built["pack_id"] / "evidence-pack.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) > 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    n = len(reader.pages)
    assert f"Page {n} of {n}" in (reader.pages[-1].extract_text() or "")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_index_and_manifest(built):
    index = (built["reports"] / "index.html").read_text(encoding="utf-8")
    for pid in built["in_scope"]:
        assert f"{pid}/evidence-pack.html" in index and f"{pid}/evidence-pack.pdf" in index
    assert "overview/portfolio-overview.html" in index
    manifest = json.loads((built["reports"] / "manifest.json").read_text())
    assert manifest


def test_every_link_on_every_page_resolves_to_a_file(built):
    """Each pack's tables and charts link their CSV files and its workbook; all exist."""
    from bs4 import BeautifulSoup

    reports = built["reports"]
    pages = [reports / "index.html", *sorted(reports.glob("*/*.html"))]
    broken = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a", href=True):
            href = str(link["href"])
            if not href.startswith("#") and not (page.parent / href).is_file():
                broken.append(f"{page.relative_to(reports)}: {href}")
    assert broken == []
    pid = built["pack_id"]
    page = (reports / pid / "evidence-pack.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    # one link under each table (and each chart), all to CSV files in downloads/
    assert len(soup.select(".download a")) >= len(soup.find_all("table"))
    assert f'href="{pid}-data.xlsx"' in page
    overview = (reports / "overview" / "portfolio-overview.html").read_text(encoding="utf-8")
    assert 'href="portfolio-data.xlsx"' in overview


def test_the_manifest_lists_every_download_with_its_sha256(built):
    import hashlib

    reports = built["reports"]
    manifest = json.loads((reports / "manifest.json").read_text())
    for pid in built["in_scope"]:
        folder = reports / pid
        files = manifest["packs"][pid]["files"]
        on_disk = {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*")
            if p.is_file()
        }
        assert files == on_disk
        assert f"{pid}-data.xlsx" in files and "downloads/cover.csv" in files
    assert "portfolio-data.xlsx" in manifest["overview"]["files"]
