"""The build's records: failures, job outcomes, pack outcomes and the build's summary."""

from __future__ import annotations

from pathlib import Path

from evalkit.build import BuildOptions, BuildResult, Failure, PackOutcome
from evalkit.build.records import JobOutcome, LastGood


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
        "built": None,
        "seconds": 2.346,
        "stages": {"execute": 1.235, "page": 0.0},
        "files": {},
        "error": {
            "name": "Timeout",
            "message": "timed out after 3 s",
            "cell": None,
            "source": None,
            "partial": None,
        },
    }


def test_a_built_pack_records_its_files_and_when_they_landed():
    pack = PackOutcome("csp", "Community Safety", "pending", "k2")
    files = {"evidence-pack.ipynb": "aa"}
    pack.land(JobOutcome(None, {}, files), 1.0, "2026-01-02T03:04:05+00:00")
    record = pack.record()
    assert (record["status"], record["key"], record["files"]) == ("built", "k2", files)
    assert record["built"] == "2026-01-02T03:04:05+00:00"


OLD = LastGood("k1", {"evidence-pack.html": "old"}, "2025-12-01T09:00:00+00:00")


def test_a_failed_rebuild_of_a_pack_with_a_good_version_is_stale_and_keeps_it():
    pack = PackOutcome("csp", "Community Safety", "pending", "k2", last_good=OLD)
    pack.land(JobOutcome(Failure("Timeout", "timed out after 3 s"), {}, {"x": "new"}), 4.0, "now")
    record = pack.record()
    assert record["status"] == "stale"
    # The version on disk: the last good one's key, files and time; and the new failure.
    assert (record["key"], record["files"], record["built"]) == (
        "k1",
        {"evidence-pack.html": "old"},
        "2025-12-01T09:00:00+00:00",
    )
    assert record["error"]["message"] == "timed out after 3 s"


def test_a_pack_waiting_to_be_built_lists_only_what_is_on_disk():
    waiting = PackOutcome("csp", "Community Safety", "pending", "k2", last_good=OLD)
    assert waiting.record()["key"] == "k1"
    assert waiting.record()["files"] == {"evidence-pack.html": "old"}
    # Never built: no key, so a build stopped now is never taken as up to date later.
    never = PackOutcome("hub", "Hub", "pending", "k2").record()
    assert (never["key"], never["files"], never["built"]) == (None, {}, None)


def test_the_last_good_version_is_the_records_when_its_files_are_there(tmp_path):
    (tmp_path / "evidence-pack.html").write_text("x", encoding="utf-8")
    record = {"status": "built", "key": "k1", "files": {"evidence-pack.html": "h"}}
    assert LastGood.from_record(record, tmp_path) == LastGood("k1", {"evidence-pack.html": "h"})
    assert LastGood.from_record({**record, "built": "t"}, tmp_path).built == "t"
    assert LastGood.from_record({**record, "status": "failed"}, tmp_path) is None
    assert LastGood.from_record({**record, "files": {"gone.pdf": "h"}}, tmp_path) is None
    assert LastGood.from_record({**record, "key": None}, tmp_path) is None
    assert LastGood.from_record(None, tmp_path) is None


def test_messages_keep_file_names_but_no_folder_of_an_absolute_path():
    failure = Failure("OSError", "cannot open /tmp/a/b.pdf", source="open('/tmp/a/b.pdf')")
    assert (failure.message, failure.source) == ("cannot open b.pdf", "open('b.pdf')")


def test_the_summary_counts_packs_and_lists_every_failure():
    failure = Failure("KeyError", "'tier'", 4, "pack = load()", "d/evidence-pack.failed.ipynb")
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
        "partial notebook: d/evidence-pack.failed.ipynb",
    ]


def test_the_summary_says_which_packs_kept_their_last_good_version_and_where_warnings_are():
    failure = Failure("Timeout", "timed out after 3 s", 2, "x = 1", "s/evidence-pack.failed.ipynb")
    outcomes = [
        PackOutcome("s", "S", "stale", "k", error=failure, built="2025-12-01T09:00:00+00:00"),
        PackOutcome("w", "W", "built", "k", seconds=1.0, messages=2, log=Path("/l/build/w.log")),
    ]
    result = BuildResult(outcomes, 3.0, 1, Path("/r"))
    assert not result.ok
    assert [o.id for o in result.stale] == [o.id for o in result.failed] == ["s"]
    assert result.summary().splitlines() == [
        "Built 1, up to date 0, failed 1 (1 kept the last good version) in 3.0 s with 1 "
        "worker(s); median 1.00 s per pack.",
        "Reports: /r/index.html",
        "FAILED s: Timeout: timed out after 3 s (cell 2: x = 1); partial notebook: "
        "s/evidence-pack.failed.ipynb; the last good version (built "
        "2025-12-01T09:00:00+00:00) is kept",
        "WARNINGS w: 2 warning(s) or other kernel message(s), kept out of the pack: see "
        "/l/build/w.log",
    ]


def test_a_build_with_nothing_built_has_no_median():
    result = BuildResult([PackOutcome("e", "E", "up-to-date", "k")], 0.04, 1, Path("/r"))
    assert result.ok
    assert result.summary().splitlines()[0] == (
        "Built 0, up to date 1, failed 0 in 0.0 s with 1 worker(s)."
    )
