"""Run records: the packs read from a manifest, the summary file, and pruning old records."""

from __future__ import annotations

import json
import time
from pathlib import Path

from evalkit.route.record import (
    PackCounts,
    RunRecord,
    StageRecord,
    prune_runs,
)

MANIFEST = {
    "packs": {
        "csp": {"status": "built", "error": None},
        "hub": {"status": "up-to-date", "error": None},
        "parks": {
            "status": "stale",
            "error": {"name": "ValueError", "message": "bad cell"},
        },
        "roads": {"status": "failed", "error": {"name": "Timeout", "message": "ran out"}},
    },
    "overview": {"status": "built", "error": None},
    "committee": {"status": "up-to-date", "error": None},
}


def test_pack_counts_follow_the_manifest() -> None:
    counts = PackCounts.from_manifest(MANIFEST)
    assert counts.built == ["csp", "overview"]
    assert counts.up_to_date == ["committee", "hub"]
    assert counts.failed == ["parks", "roads"]
    assert counts.stale == ["parks"]
    assert counts.failures == {"parks": "ValueError: bad cell", "roads": "Timeout: ran out"}


def test_pack_counts_leave_out_packs_the_build_did_not_plan() -> None:
    counts = PackCounts.from_manifest(MANIFEST, only={"hub", "roads"})
    assert (counts.built, counts.up_to_date, counts.failed) == ([], ["hub"], ["roads"])
    assert counts.failures == {"roads": "Timeout: ran out"}


def test_a_record_folder_holds_the_summary_and_the_log(tmp_path: Path) -> None:
    record = RunRecord(tmp_path, "run", echo=False)
    assert record.folder.parent == tmp_path / "runs"
    first = json.loads((record.folder / "summary.json").read_text(encoding="utf-8"))
    assert (first["ended"], first["exit_code"], first["stages"]) == (None, None, [])
    record.log("== score\nScored 2 partnerships.")
    record.stage(StageRecord("score", "failed", 2, 1.5, f"error: {tmp_path}/scores is missing"))
    record.finish(2)
    summary = json.loads((record.folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["command"] == "run" and summary["exit_code"] == 2
    assert summary["ended"] is not None and summary["ended"] >= summary["started"]
    stage = summary["stages"][0]
    assert (stage["name"], stage["outcome"], stage["exit_code"], stage["seconds"]) == (
        "score",
        "failed",
        2,
        1.5,
    )
    assert str(tmp_path) not in stage["message"]  # no server folder in the record
    log = (record.folder / "run.log").read_text(encoding="utf-8").splitlines()
    assert [line[9:] for line in log] == ["== score", "Scored 2 partnerships."]


def test_pruning_keeps_the_newest_records(tmp_path: Path) -> None:
    names = ["20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb", "20260103T000000Z-cccccc"]
    for name in names:
        (tmp_path / "runs" / name).mkdir(parents=True)
        (tmp_path / "runs" / name / "summary.json").write_text("{}", encoding="utf-8")
    (tmp_path / "runs" / "notes").mkdir()  # not a run record: left alone
    removed = prune_runs(tmp_path, keep=2)
    assert [p.name for p in removed] == ["20260101T000000Z-aaaaaa"]
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == [*names[1:], "notes"]


def test_two_runs_in_one_second_sort_in_the_order_they_began(tmp_path: Path) -> None:
    from evalkit.route.record import RunRecord

    made = []
    for _ in range(5):
        made.append(RunRecord(tmp_path, "evalkit run", echo=False).folder.name)
        time.sleep(0.002)  # a new millisecond each time
    assert sorted(made) == made
    assert len({name[:19] for name in made}) == 5  # the milliseconds tell them apart
