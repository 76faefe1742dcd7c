"""Planning a build on the prepared and scored sample: which jobs, and what they say."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit.atomic import atomic_write_text
from evalkit.build import BuildOptions
from evalkit.build.plan import (
    OVERVIEW_NOTEBOOK,
    PACK_NOTEBOOK,
    Partnership,
    overview_parameters,
    pack_folder,
    pack_parameters,
    plan_build,
    read_register,
    select,
)
from evalkit.config import Settings
from evalkit.errors import BuildError
from evalkit.method.results import ScoredFolder
from evalkit.spreadsheet import frame_to_csv

PACK = "community-safety"


@pytest.fixture
def settings(sample_scored, tmp_path) -> Settings:
    return Settings().with_paths(
        raw_dir=sample_scored["raw"],
        processed_dir=sample_scored["processed"],
        reports_dir=tmp_path / "reports",
    )


def _plan(settings: Settings, manifest: dict | None = None, **options):
    scored = ScoredFolder.open(settings.processed_dir)
    return plan_build(settings, BuildOptions(**options), scored, manifest or {"packs": {}})


def test_every_in_scope_pack_gets_a_job_then_the_overview_alone(settings, sample_scored):
    plan = _plan(settings)
    *packs, committee, overview = plan.jobs  # the cover report: tests/build/test_committee_build.py
    assert committee.id == "committee"
    assert sorted(job.id for job in packs) == sample_scored["in_scope"]
    assert not any(job.alone for job in packs)
    assert (overview.id, overview.alone, overview.stem) == ("overview", True, "portfolio-overview")
    assert overview.notebook == OVERVIEW_NOTEBOOK
    assert overview.params == overview_parameters(
        plan.assessment_round, settings.processed_dir, settings.reports_dir / "overview"
    )
    assert {o.status for o in plan.outcomes} == {"pending"}
    assert [o.id for o in plan.outcomes] == [job.id for job in plan.jobs]


def test_a_pack_job_says_what_to_run_where_and_how_to_title_it(settings, sample_scored):
    scored = ScoredFolder.open(settings.processed_dir)
    plan = _plan(settings, round="2023-24", timeout=90, formats=("pdf",))
    job = next(job for job in plan.jobs if job.id == PACK)
    name = sample_scored["names"][PACK]
    folder = settings.reports_dir / PACK
    assert plan.assessment_round == "2023-24"
    assert plan.notice == scored.dataset.notice and plan.notice
    assert (job.notebook, job.out_dir, job.stem) == (PACK_NOTEBOOK, folder, "evidence-pack")
    assert job.params == pack_parameters(PACK, "2023-24", settings.processed_dir, folder)
    assert (job.title, job.header, job.masthead) == (
        f"Evidence pack: {name}",
        name,
        "Evidence pack",
    )
    assert (job.timeout, job.notice) == (90, plan.notice)
    assert [fmt.name for fmt in job.formats] == ["pdf"]


def test_the_round_defaults_to_the_round_scored(settings):
    scored = ScoredFolder.open(settings.processed_dir)
    assert _plan(settings).assessment_round == scored.scoring.assessment_round


def test_a_pack_is_up_to_date_when_its_key_and_files_match_the_manifest(settings):
    key = next(o.key for o in _plan(settings).outcomes if o.id == PACK)
    (settings.reports_dir / PACK).mkdir(parents=True)
    (settings.reports_dir / PACK / "evidence-pack.html").write_text("page")
    record = {"key": key, "status": "built", "seconds": 1.5, "files": {"evidence-pack.html": "x"}}
    manifest = {"packs": {PACK: record}}
    plan = _plan(settings, manifest)
    outcome = next(o for o in plan.outcomes if o.id == PACK)
    assert (outcome.status, outcome.seconds, outcome.files) == ("up-to-date", 1.5, record["files"])
    assert PACK not in [job.id for job in plan.jobs]
    forced = _plan(settings, manifest, force=True)
    assert PACK in [job.id for job in forced.jobs]


def test_a_packs_key_changes_with_its_formats_and_notebook(settings, tmp_path):
    def key(**options) -> str:
        return next(o.key for o in _plan(settings, **options).outcomes if o.id == PACK)

    notebook = tmp_path / "pack.ipynb"
    notebook.write_bytes(PACK_NOTEBOOK.read_bytes() + b"\n")
    assert key() == key(formats=("pdf", "html"))  # the order asked for does not matter
    assert len({key(), key(formats=("pdf",)), key(pack_notebook=notebook)}) == 3


def test_only_builds_those_packs_and_no_overview(settings):
    plan = _plan(settings, only=(PACK,))
    assert [job.id for job in plan.jobs] == [PACK]


def test_select_refuses_unknown_and_out_of_scope_ids():
    register = [Partnership("a", "A", "strategic", True), Partnership("b", "B", "minor", False)]
    assert select(register, ()) == register[:1]
    assert select(register, ("a",)) == register[:1]
    with pytest.raises(BuildError, match="unknown partnership id.*: x; known: a, b"):
        select(register, ("a", "x"))
    with pytest.raises(BuildError, match="out of scope, so no pack is built: b"):
        select(register, ("b",))


def test_notebook_parameters_hold_folders_relative_to_the_project_root(tmp_path):
    root = tmp_path / "project"
    processed, folder = root / "data" / "processed", root / "reports" / PACK
    assert pack_parameters(PACK, "2024-25", processed, folder, root) == {
        "partnership_id": PACK,
        "assessment_round": "2024-25",
        "processed_dir": "data/processed",
        "output_dir": "reports/community-safety",
    }
    assert overview_parameters("2024-25", processed, root / "reports" / "overview", root) == {
        "assessment_round": "2024-25",
        "processed_dir": "data/processed",
        "output_dir": "reports/overview",
    }


def test_no_job_passes_an_absolute_path_to_its_notebook(settings):
    for job in _plan(settings).jobs:
        for name in ("processed_dir", "output_dir"):
            assert not Path(job.params[name]).is_absolute(), (job.id, job.params)


def _register(folder: Path, ids: list[str], names: list[str] | None = None) -> Path:
    """A processed register as evalkit writes it (formula-neutralised)."""
    frame = pd.DataFrame(
        {
            "partnership_id": ids,
            "name": names or [f"Partnership {i}" for i in range(len(ids))],
            "tier": ["strategic"] * len(ids),
            "in_scope": [True] * len(ids),
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(folder / "partnerships.csv", frame_to_csv(frame))


def test_the_register_is_read_as_typed_though_written_formula_safe(tmp_path):
    _register(tmp_path, ["csp", "hub"], ["=HYPERLINK(1)", "-5 roads"])
    assert read_register(tmp_path) == [
        Partnership("csp", "=HYPERLINK(1)", "strategic", True),
        Partnership("hub", "-5 roads", "strategic", True),
    ]


@pytest.mark.parametrize("bad", ["../../etc", "con", "x" * 65, "CSP", "overview", "committee"])
def test_every_id_in_the_register_is_checked_again(tmp_path, bad):
    path = _register(tmp_path, ["csp", "hub", bad])
    with pytest.raises(BuildError, match=f"{path}, row 4, column partnership_id: '"):
        read_register(tmp_path)


def test_a_pack_folder_must_be_a_real_folder_inside_the_reports_folder(tmp_path):
    reports = tmp_path / "reports"
    assert pack_folder(reports, PACK, "evidence-pack") == reports / PACK
    (tmp_path / "elsewhere").mkdir()
    reports.mkdir()
    (reports / PACK).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(BuildError, match=f"the folder of pack {PACK}: .* is a symbolic link"):
        pack_folder(reports, PACK, "evidence-pack")


def test_no_file_the_build_writes_may_be_a_link(tmp_path):
    folder = tmp_path / "reports" / PACK
    folder.mkdir(parents=True)
    (tmp_path / "target").write_text("x")
    for name in ("evidence-pack.pdf", "evidence-pack.ipynb"):
        (folder / name).symlink_to(tmp_path / "target")
    with pytest.raises(BuildError) as raised:
        pack_folder(tmp_path / "reports", PACK, "evidence-pack")
    assert str(raised.value) == (
        f"the folder of pack {PACK}: evidence-pack.ipynb, evidence-pack.pdf in {folder} are "
        "symbolic links; evalkit writes only real files. Remove them and build again."
    )


def test_each_page_links_its_own_pdf_and_data_then_the_pages_beside_it(settings):
    from evalkit.build.job import page_links

    jobs = {job.id: job for job in _plan(settings).jobs}
    pack = next(job for job in jobs.values() if job.id not in {"overview", "committee"})
    assert [(link.label, link.href) for link in page_links(pack)] == [
        ("This pack as a PDF", "evidence-pack.pdf"),
        ("This pack's data (Excel workbook)", f"{pack.id}-data.xlsx"),
        ("Portfolio overview", "../overview/portfolio-overview.html"),
        ("Report to the scrutiny committee", "../committee/committee-report.html"),
        ("All evidence packs", "../index.html"),
    ]
    assert [(link.label, link.href) for link in page_links(jobs["overview"])] == [
        ("The overview as a PDF", "portfolio-overview.pdf"),
        ("Portfolio data (Excel workbook)", "portfolio-data.xlsx"),
        ("Report to the scrutiny committee", "../committee/committee-report.html"),
        ("All evidence packs", "../index.html"),
    ]
    assert [(link.label, link.href) for link in page_links(jobs["committee"])] == [
        ("This report as a PDF", "committee-report.pdf"),
        ("This report for Word (.docx)", "committee-report.docx"),
        ("Portfolio overview", "../overview/portfolio-overview.html"),
        ("All evidence packs", "../index.html"),
    ]
    html_only = _plan(settings, formats=("html",)).jobs[0]
    assert [link.label for link in page_links(html_only)][0] == "This pack's data (Excel workbook)"
