"""Reproducible packs: the same inputs built twice give byte-identical files."""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from pypdf import PdfReader

from evalkit.build import BuildOptions, run_build
from evalkit.build.job import stable_cell_ids
from evalkit.build.plan import PACK_STEM
from evalkit.config import Settings
from evalkit.errors import EvalkitError
from evalkit.report.render import html_to_pdf, notebook_to_html, source_date

#: The files a pack is made of, compared byte for byte.
PACK_FILES = (f"{PACK_STEM}.html", f"{PACK_STEM}.pdf", f"{PACK_STEM}.ipynb")


@pytest.mark.slow
def test_building_the_same_pack_twice_gives_identical_bytes(sample_scored, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    settings = Settings().with_paths(
        raw_dir=sample_scored["raw"],
        processed_dir=sample_scored["processed"],
        reports_dir=tmp_path / "reports",
    )
    pack_id = sample_scored["pack_id"]
    folder = settings.reports_dir / pack_id

    def build(force: bool) -> dict[str, bytes]:
        options = BuildOptions(only=(pack_id,), workers=1, force=force, progress=False)
        assert run_build(settings, options).ok
        return {name: (folder / name).read_bytes() for name in PACK_FILES}

    first = build(force=False)
    second = build(force=True)
    for name in PACK_FILES:
        assert first[name] == second[name], f"{name} differs between two builds"
    page = first[f"{PACK_STEM}.html"].decode()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert "built at" not in page and today not in page  # no build time anywhere
    assert "data as at" in page
    notebook = nbformat.reads(first[f"{PACK_STEM}.ipynb"].decode(), as_version=4)
    assert not any("execution" in cell.metadata for cell in notebook.cells)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    info = PdfReader(folder / f"{PACK_STEM}.pdf").metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info


def test_new_cells_get_ids_from_the_notebook_name_and_place():
    def notebook():
        nb = new_notebook(cells=[new_markdown_cell("# A", id="keep0001")])
        nb.cells.insert(0, new_markdown_cell("injected"))  # a random id, as papermill's
        return nb

    one, two = notebook(), notebook()
    assert one.cells[0].id != two.cells[0].id
    stable_cell_ids(one, {"keep0001"}, "evidence_pack.ipynb")
    stable_cell_ids(two, {"keep0001"}, "evidence_pack.ipynb")
    assert [c.id for c in one.cells] == [c.id for c in two.cells]
    assert one.cells[1].id == "keep0001"
    nbformat.validate(one)


def _page(date: str | None) -> str:
    nb = new_notebook(cells=[new_markdown_cell("# Harbour pack\n\nSome text.")])
    return notebook_to_html(nb, title="Harbour pack", running_header="Harbour", date=date)


def test_pdf_metadata_is_fixed(tmp_path):
    page = _page(None)
    one = html_to_pdf(page, tmp_path / "one.pdf").read_bytes()
    two = html_to_pdf(page, tmp_path / "two.pdf").read_bytes()
    assert one == two
    reader = PdfReader(tmp_path / "one.pdf")
    info = reader.metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert info["/Title"] == "Harbour pack"
    assert reader.trailer["/ID"]  # an identifier, derived from the page


def test_source_date_epoch_dates_the_page_and_the_pdf(tmp_path, monkeypatch):
    # 1 700 000 000 s after 1970-01-01 00:00 UTC is 14 November 2023, 22:13:20 UTC.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date() == "2023-11-14T22:13:20Z"
    page = _page(source_date())
    assert '<meta name="dcterms.created" content="2023-11-14T22:13:20Z">' in page
    one = html_to_pdf(page, tmp_path / "one.pdf").read_bytes()
    assert one == html_to_pdf(page, tmp_path / "two.pdf").read_bytes()
    info = PdfReader(tmp_path / "one.pdf").metadata or {}
    assert str(info["/CreationDate"]).startswith("D:20231114221320")
    assert str(info["/ModDate"]).startswith("D:20231114221320")


@pytest.mark.parametrize("value", ["yesterday", "1.5"])
def test_a_bad_source_date_epoch_is_refused(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(EvalkitError, match="SOURCE_DATE_EPOCH"):
        source_date()


def test_no_source_date_epoch_means_no_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date() is None
    assert "dcterms" not in _page(None)
