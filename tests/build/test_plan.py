"""Planning a build on the prepared and scored sample: which jobs, and what they say."""

from __future__ import annotations

import pytest

from evalkit.build import BuildOptions
from evalkit.build.plan import (
    OVERVIEW_NOTEBOOK,
    PACK_NOTEBOOK,
    Partnership,
    overview_parameters,
    pack_parameters,
    plan_build,
    select,
)
from evalkit.config import Settings
from evalkit.errors import BuildError
from evalkit.method.results import ScoredFolder

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
    *packs, overview = plan.jobs
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
