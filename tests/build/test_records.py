"""The build's records: failures, job outcomes, pack outcomes and the build's summary."""

from __future__ import annotations

from pathlib import Path

from evalkit.build import BuildOptions, BuildResult, Failure, PackOutcome
from evalkit.build.records import JobOutcome


def test_options_default_to_every_registered_format():
    assert BuildOptions().formats == ("html", "pdf")


def test_a_failure_keeps_500_characters_of_its_message():
    failure = Failure("KeyError", "x" * 600, cell=4, source="pack = load()")
    assert len(failure.message) == 500
    assert failure.record() == {
        "name": "KeyError",
        "message": "x" * 500,
        "cell": 4,
        "source": "pack = load()",
        "partial": None,
    }


def test_a_job_outcome_is_built_unless_it_failed():
    assert JobOutcome(None, {}, {}).status == "built"
    assert JobOutcome(Failure("Timeout", "timed out after 3 s"), {}, {}).status == "failed"


def test_a_pack_takes_its_jobs_outcome_and_records_it_for_the_manifest():
    pack = PackOutcome("csp", "Community Safety", "pending", "k1", tier="strategic")
    files = {"evidence-pack.ipynb": "aa", "evidence-pack.pdf": "bb"}
    failure = Failure("Timeout", "timed out after 3 s", partial=None)
    pack.land(JobOutcome(failure, {"execute": 1.23456, "page": 0.0004}, files), 2.34567)
    assert pack.record() == {
        "id": "csp",
        "name": "Community Safety",
        "tier": "strategic",
        "status": "failed",
        "key": "k1",
        "seconds": 2.346,
        "stages": {"execute": 1.235, "page": 0.0},
        "files": files,
        "error": {
            "name": "Timeout",
            "message": "timed out after 3 s",
            "cell": None,
            "source": None,
            "partial": None,
        },
    }


def test_the_summary_counts_packs_and_lists_every_failure():
    failure = Failure("KeyError", "'tier'", 4, "pack = load()", "/r/d/evidence-pack.failed.ipynb")
    outcomes = [
        PackOutcome("a", "A", "built", "k", seconds=2.0),
        PackOutcome("b", "B", "built", "k", seconds=5.0),
        PackOutcome("c", "C", "built", "k", seconds=3.0),
        PackOutcome("d", "D", "failed", "k", seconds=1.0, error=failure),
        PackOutcome("e", "E", "up-to-date", "k"),
    ]
    result = BuildResult(outcomes, 12.34, 2, Path("/r"))
    assert [o.id for o in result.built] == ["a", "b", "c"]
    assert [o.id for o in result.skipped] == ["e"]
    assert [o.id for o in result.failed] == ["d"]
    assert not result.ok
    assert result.summary().splitlines() == [
        "Built 3, up to date 1, failed 1 in 12.3 s with 2 worker(s); median 3.00 s per pack.",
        "Reports: /r/index.html",
        "FAILED d: KeyError: 'tier' (cell 4: pack = load()); "
        "partial notebook: /r/d/evidence-pack.failed.ipynb",
    ]


def test_a_build_with_nothing_built_has_no_median():
    result = BuildResult([PackOutcome("e", "E", "up-to-date", "k")], 0.04, 1, Path("/r"))
    assert result.ok
    assert result.summary().splitlines()[0] == (
        "Built 0, up to date 1, failed 0 in 0.0 s with 1 worker(s)."
    )
