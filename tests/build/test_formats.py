"""The output formats: the registry's entries, and a new entry built, listed and indexed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalkit.build import FORMATS, BuildOptions, OutputFormat, Sources, run_build
from evalkit.build.formats import make_html, make_pdf, resolve
from evalkit.config import Settings
from evalkit.errors import BuildError

PAGE = '<!DOCTYPE html><html lang="en-GB"><title>T</title><main><h1>Hello</h1></main></html>'


def _sources(tmp_path: Path) -> Sources:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    return Sources(notebook=tmp_path / "pack.ipynb", page=page)


def make_text(sources: Sources, out: Path) -> None:
    """A plain-text format: the words of the page's main part."""
    soup = BeautifulSoup(sources.page.read_text(encoding="utf-8"), "html.parser")
    out.write_text(soup.main.get_text(" ", strip=True) + "\n", encoding="utf-8")


def test_the_registry_has_the_web_page_then_the_pdf():
    entries = [(f.name, f.suffix, f.label, f.in_kernel) for f in FORMATS.values()]
    assert entries == [
        ("html", ".html", "HTML", False),
        ("pdf", ".pdf", "PDF", True),
    ]
    assert FORMATS["pdf"].file_name("evidence-pack") == "evidence-pack.pdf"
    assert FORMATS["pdf"].make_path == ("evalkit.build.formats", "make_pdf")


def test_formats_resolve_in_registry_order_and_unknown_ones_are_refused():
    assert [f.name for f in resolve(["pdf", "html"])] == ["html", "pdf"]
    with pytest.raises(BuildError, match=r"one or more of html,pdf \(got docx\)"):
        resolve(["docx"])
    with pytest.raises(BuildError, match=r"\(got \)"):
        resolve([])


def test_a_format_made_in_a_kernel_needs_a_function_it_can_import():
    def local(sources: Sources, out: Path) -> None: ...

    with pytest.raises(ValueError, match="kernel imports make by name"):
        OutputFormat("x", ".x", "X", local, in_kernel=True)
    assert OutputFormat("x", ".x", "X", local).file_name("a") == "a.x"


def test_the_web_page_is_the_page_itself(tmp_path):
    make_html(_sources(tmp_path), tmp_path / "out.html")
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == PAGE


def test_the_pdf_is_the_page_printed(tmp_path):
    make_pdf(_sources(tmp_path), tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_plain_text_format_function_writes_the_pages_words(tmp_path):
    make_text(_sources(tmp_path), tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Hello\n"


@pytest.mark.slow
def test_a_new_format_is_one_entry_the_build_makes_lists_and_indexes(
    built_sample, tmp_path, monkeypatch
):
    monkeypatch.setitem(FORMATS, "txt", OutputFormat("txt", ".txt", "TXT", make_text))
    # A function evalkit's kernels can import, made in the kernel under another name.
    copy = OutputFormat("copy", ".copy.html", "COPY", make_html, in_kernel=True)
    monkeypatch.setitem(FORMATS, "copy", copy)
    reports = tmp_path / "reports"
    shutil.copytree(built_sample["reports"], reports)
    settings = Settings().with_paths(
        raw_dir=built_sample["raw"], processed_dir=built_sample["processed"], reports_dir=reports
    )
    pid = built_sample["pack_id"]
    shutil.rmtree(reports / pid)
    options = BuildOptions(only=(pid,), formats=("copy", "txt"), force=True, progress=False)
    result = run_build(settings, options)

    assert result.ok, result.summary()
    folder = reports / pid
    names = ["evidence-pack.copy.html", "evidence-pack.ipynb", "evidence-pack.txt"]
    # The notebook writes summary.json, its downloads and its workbook itself; the build
    # writes the rest and no scratch file.
    notebook_files = ["downloads", f"{pid}-data.xlsx", "summary.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, *notebook_files])
    assert built_sample["names"][pid] in (folder / "evidence-pack.txt").read_text()
    record = json.loads((reports / "manifest.json").read_text())["packs"][pid]
    on_disk = [p for p in folder.rglob("*") if p.is_file()]
    assert record["files"] == {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in on_disk
    }
    assert set(names) < set(record["files"])
    assert list(record["stages"]) == ["execute", "page", "txt", "copy"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(index, "html.parser")
    # the pack's row lists a link per file it has, formats in registry order, then its data
    (row,) = [tr for tr in soup.select("tbody tr") if tr.find("a", href=f"{pid}/evidence-pack.txt")]
    links = [a.contents[0] for a in row.select("ul.index-links a")]
    assert links == ["TXT", "COPY", "Excel"]
    assert f'<a href="{pid}/evidence-pack.txt">TXT' in index
    assert f'<a href="{pid}/evidence-pack.copy.html">COPY' in index
    assert f'href="{pid}/evidence-pack.html"' not in index
