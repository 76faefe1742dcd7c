"""The committee cover report in the build: its job, its manifest record, its files."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from build_helpers import prepare_and_score, sha, snapshot, tiny_notebook, write_raw
from evalkit.build import BuildOptions, run_build
from evalkit.build.manifest import write_manifest
from evalkit.build.plan import (
    COMMITTEE_NOTEBOOK,
    overview_parameters,
    pack_folder,
    plan_build,
)
from evalkit.build.records import PackOutcome
from evalkit.config import Settings
from evalkit.errors import BuildError
from evalkit.method.results import ScoredFolder

FILES = ("committee-report.ipynb", "committee-report.html", "committee-report.docx")


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio (csp and hub in scope), prepared and scored."""
    base = tmp_path_factory.mktemp("committee")
    return prepare_and_score(write_raw(base / "raw"), base / "processed")


def _settings(processed: Path, tmp_path: Path) -> Settings:
    settings = Settings().with_paths(processed_dir=processed, reports_dir=tmp_path / "reports")
    return dataclasses.replace(settings, logs_dir=tmp_path / "logs")


def test_the_cover_report_is_planned_beside_the_overview_not_with_only(processed, tmp_path):
    settings = _settings(processed, tmp_path)
    scored = ScoredFolder.open(processed)
    plan = plan_build(settings, BuildOptions(), scored, {"packs": {}})
    *packs, committee, overview = plan.jobs
    assert sorted(job.id for job in packs) == ["csp", "hub"]
    assert (committee.id, committee.stem, committee.alone) == (
        "committee",
        "committee-report",
        False,
    )
    assert committee.notebook == COMMITTEE_NOTEBOOK
    assert committee.out_dir == settings.reports_dir / "committee"
    assert committee.params == overview_parameters(
        plan.assessment_round, processed, settings.reports_dir / "committee"
    )
    assert committee.masthead == "Committee cover report"
    assert overview.id == "overview"
    only = plan_build(settings, BuildOptions(only=("csp",)), scored, {"packs": {}})
    assert [job.id for job in only.jobs] == ["csp"]


def test_the_manifest_keeps_the_cover_report_out_of_the_packs(tmp_path):
    path = tmp_path / "manifest.json"
    outcomes = [
        PackOutcome("csp", "CSP", "built", "k1"),
        PackOutcome("committee", "Cover", "built", "k2", files={"committee-report.docx": "d"}),
    ]
    manifest = write_manifest(
        path, outcomes, workers=1, assessment_round="2024-25", updated="2026-01-01T00:00:00+00:00"
    )
    assert list(manifest["packs"]) == ["csp"]
    assert manifest["committee"]["files"] == {"committee-report.docx": "d"}
    # a later --only build keeps the cover report's record
    again = write_manifest(
        path, outcomes[:1], workers=1, assessment_round="2024-25", updated="2026-01-02"
    )
    assert again["committee"] == manifest["committee"]


def test_a_linked_word_file_in_the_committee_folder_is_refused(tmp_path):
    folder = tmp_path / "reports" / "committee"
    folder.mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere.docx", folder / "committee-report.docx")
    with pytest.raises(BuildError, match="committee-report.docx"):
        pack_folder(tmp_path / "reports", "committee", "committee-report")


@pytest.mark.slow
def test_the_word_file_is_staged_listed_and_kept_when_a_rebuild_fails(processed, tmp_path):
    settings = _settings(processed, tmp_path)
    options = BuildOptions(workers=1, formats=("html",), progress=False)
    first = run_build(settings, options)
    assert first.ok
    folder = settings.reports_dir / "committee"
    before = snapshot(folder)
    assert sorted(before) == sorted(FILES)
    manifest = json.loads((settings.reports_dir / "manifest.json").read_text(encoding="utf-8"))
    record = manifest["committee"]
    assert record["status"] == "built" and "committee" not in manifest["packs"]
    assert record["files"] == {name: sha(before[name]) for name in FILES}

    broken = tiny_notebook(tmp_path / "broken.ipynb", "raise ValueError('broken')")
    second = run_build(settings, dataclasses.replace(options, committee_notebook=broken))
    assert [o.id for o in second.failed] == ["committee"]  # packs and overview up to date
    assert {k: v for k, v in snapshot(folder).items() if not k.endswith("failed.ipynb")} == before
    manifest = json.loads((settings.reports_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["committee"]["status"] == "stale"
    assert manifest["committee"]["files"] == record["files"]


@pytest.mark.slow
def test_the_sample_cover_report_in_three_formats(built_sample):
    import docx
    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    reports = built_sample["reports"]
    folder = reports / "committee"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["committee"]["files"]
    assert {"committee-report.html", "committee-report.pdf", "committee-report.docx"} <= set(files)
    notice = ScoredFolder.open(built_sample["processed"]).notice
    assert notice  # the sample is invented: all three formats say so first
    pdf = PdfReader(folder / "committee-report.pdf")
    assert 2 <= len(pdf.pages) <= 6
    assert pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
    assert "INVENTED SAMPLE DATA" in pdf.pages[0].extract_text()
    page = BeautifulSoup((folder / "committee-report.html").read_text("utf-8"), "html.parser")
    assert notice in page.get_text()
    links = [a["href"] for a in page.select("table a")]
    assert sorted(links) == sorted(
        f"../{pid}/evidence-pack.html" for pid in built_sample["in_scope"]
    )
    assert all((folder / href).resolve().is_file() for href in links)
    document = docx.Document(str(folder / "committee-report.docx"))
    assert document.paragraphs[0].text == notice
    # the progress table first (the sample has an earlier round), the register changes
    # since the 2023-24 snapshot by kind and by partnership, the resolved findings (ten
    # listed), then the packs' table
    progress, by_kind, changes, resolved, packs = document.tables
    assert progress.rows[0].cells[0].text == "Partnership" and len(progress.rows) > 1
    assert len(packs.rows) == len(built_sample["in_scope"]) + 1
    assert len(resolved.rows) == 10 + 1
    assert [[c.text for c in row.cells] for row in by_kind.rows] == [
        ["Change", "Number"],
        ["Added to the register", "1"],
        ["Ended (gone from the register)", "1"],
        ["Scope", "1"],
        ["Legal form", "1"],
        ["Tier", "1"],
        ["Council cash per year", "2"],
        ["Council in-kind support per year", "1"],
        ["Review overdue", "1"],
    ]
    # tools/make_sample_data.py SNAPSHOT_CHANGES, worked by hand: 2,400,000 - 2,200,000 =
    # 200,000 (9.09%); 500,000 - 550,000 = -50,000 (-9.09%); 12,000 - 10,000 = 2,000 (20%)
    assert [[c.text for c in row.cells][1:] for row in changes.rows][1:] == [
        ["Council in-kind support per year", "£10,000", "£12,000", "£2,000 more (+20.0%)"],
        ["Council cash per year", "£2,200,000", "£2,400,000", "£200,000 more (+9.1%)"],
        ["Council cash per year", "£550,000", "£500,000", "£50,000 less (−9.1%)"],
        ["Legal form", "forum or network", "memorandum of understanding", ""],
        ["Tier", "Operational", "Significant", ""],
        ["Added to the register", "not in the register", "in scope", ""],
        ["Scope", "out of scope: informal liaison; no agreed objectives", "in scope", ""],
        ["Review overdue", "overdue", "not overdue", ""],
        ["Ended (gone from the register)", "in scope", "not in the register", ""],
    ]
