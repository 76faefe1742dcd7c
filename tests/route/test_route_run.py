"""``evalkit run`` for real on the small portfolio: the record, overlapping runs, a killed run.

Each run is the real command in a subprocess (web pages only, one worker), with the
build helpers' gate in its kernels so that a test can hold a run at a chosen pack.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from build_helpers import (
    EVALKIT,
    Gate,
    kill_group,
    run_build_cli,
    start_build,
    stop,
    wait_for,
    write_raw,
)

#: Everything a full run makes, in the manifest's names, sorted.
EVERYTHING = ["committee", "csp", "hub", "overview"]


@dataclass(frozen=True)
class Project:
    """The folders of one project that every run in this module uses."""

    gate: Gate
    raw: Path
    processed: Path
    reports: Path
    dest: Path

    def command(self, *extra: str) -> list[str]:
        """``evalkit run`` on this project: one worker, web pages only, no progress bar."""
        return [
            EVALKIT,
            "run",
            "--raw",
            str(self.raw),
            "--processed",
            str(self.processed),
            "--reports",
            str(self.reports),
            "--workers",
            "1",
            "--formats",
            "html",
            "--no-progress",
            *extra,
        ]

    def records(self) -> list[dict[str, Any]]:
        """Every run record's summary, oldest first."""
        runs = sorted((self.gate.logs / "runs").iterdir())
        return [json.loads((r / "summary.json").read_text(encoding="utf-8")) for r in runs]

    def manifest(self) -> dict[str, Any]:
        return dict(json.loads((self.reports / "manifest.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("route")
    return Project(
        Gate(base), write_raw(base / "raw"), base / "processed", base / "reports", base / "web"
    )


def _files(manifest: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each pack's key and files (what a reader gets), the overview and cover report too."""
    records = {**manifest["packs"], "overview": manifest["overview"]}
    records["committee"] = manifest["committee"]
    return {pid: (r["key"], r["files"]) for pid, r in records.items()}


@pytest.mark.slow
def test_a_run_records_every_stage_the_packs_and_what_it_published(project: Project) -> None:
    done = run_build_cli(project.command("--publish", str(project.dest)), project.gate.env())
    assert done.returncode == 0, done.stderr + done.stdout
    [summary] = project.records()
    stages = [(s["name"], s["outcome"], s["exit_code"]) for s in summary["stages"]]
    assert stages == [
        ("validate", "ok", 0),
        ("prepare", "ok", 0),
        ("score", "ok", 0),
        ("build", "ok", 0),
        ("publish", "ok", 0),
    ]
    assert summary["exit_code"] == 0 and summary["ended"] >= summary["started"]
    assert all(s["seconds"] > 0 for s in summary["stages"])
    # The figures, against the manifest: a first run builds all four, nothing else.
    packs = summary["packs"]
    assert packs["built"] == EVERYTHING
    assert (packs["up_to_date"], packs["failed"], packs["failures"]) == ([], [], {})
    manifest = project.manifest()
    statuses = {pid: r["status"] for pid, r in manifest["packs"].items()}
    assert statuses == {"csp": "built", "hub": "built"}
    assert manifest["overview"]["status"] == manifest["committee"]["status"] == "built"
    # Input hashes: each CSV the test wrote, hashed here.
    assert summary["input_hashes"] == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in project.raw.glob("*.csv")
    }
    # The executed notebooks are kept with the record.
    folder = project.gate.logs / "runs" / summary["id"]
    kept = sorted(p.relative_to(folder / "notebooks").as_posix() for p in folder.rglob("*.ipynb"))
    assert kept == [
        "committee/committee-report.ipynb",
        "csp/evidence-pack.ipynb",
        "hub/evidence-pack.ipynb",
        "overview/portfolio-overview.ipynb",
    ]
    assert "== build" in (folder / "run.log").read_text(encoding="utf-8")
    # Published: the pages reviewers read, no notebook, no manifest, nothing hidden.
    files = sorted(summary["published"]["files"])
    on_disk = sorted(
        p.relative_to(project.dest).as_posix() for p in project.dest.rglob("*") if p.is_file()
    )
    assert files == on_disk
    for page in ("index.html", "csp/evidence-pack.html", "overview/portfolio-overview.html"):
        assert page in files
    assert not [f for f in files if f.endswith((".ipynb", ".json")) or "/." in f]
    # Every link of every published page opens a file of the published set.
    broken = []
    for page in project.dest.rglob("*.html"):
        for href in re.findall(r'(?:href|src)="([^"#:]+)["#]', page.read_text(encoding="utf-8")):
            if not (page.parent / unquote(href)).resolve().is_file():
                broken.append(f"{page.relative_to(project.dest)} -> {href}")
    assert broken == []


@pytest.mark.slow
def test_a_second_run_finds_everything_up_to_date(project: Project) -> None:
    done = run_build_cli(project.command(), project.gate.env())
    assert done.returncode == 0, done.stderr
    packs = project.records()[-1]["packs"]
    assert (packs["built"], packs["up_to_date"]) == ([], EVERYTHING)
    assert project.records()[-1]["published"] is None


@pytest.mark.slow
def test_overlapping_runs_refuse_and_a_killed_run_is_rerun_to_the_same_result(
    project: Project,
) -> None:
    clean = _files(project.manifest())
    held_env = project.gate.env(hold="csp")
    first = start_build(project.command("--force"), held_env)
    try:
        wait_for(lambda: project.gate.holding() == "csp", "the first run to reach csp")
        other_env = {**held_env, "EVALKIT_TEST_HOLD": ""}
        refused = run_build_cli(project.command(), other_env)
        assert refused.returncode == 75
        assert f"evalkit run (pid {first.pid} on" in refused.stderr + refused.stdout
        begun = time.monotonic()
        waited = run_build_cli(project.command("--wait", "2"), other_env)
        assert waited.returncode == 75 and time.monotonic() - begun >= 2
        assert [r["exit_code"] for r in project.records()[-2:]] == [75, 75]
    finally:
        kill_group(first)
    killed = next(r for r in project.records() if r["ended"] is None)
    assert [s["name"] for s in killed["stages"]] == ["validate", "prepare", "score"]
    rerun = run_build_cli(project.command(), project.gate.env())
    assert rerun.returncode == 0, rerun.stderr
    summary = project.records()[-1]
    assert len(summary["lock_cleared"]) == 2  # the processed and reports folders
    assert all(f"pid {first.pid} " in words for words in summary["lock_cleared"])
    assert _files(project.manifest()) == clean


def test_a_failed_stage_stops_the_run_calls_the_hook_and_old_records_go(tmp_path: Path) -> None:
    from evalkit.cli import main

    raw, logs = write_raw(tmp_path / "raw"), tmp_path / "logs"
    (raw / "partnerships.csv").write_text("partnership_id\n", encoding="utf-8")  # no columns
    told = tmp_path / "told.txt"
    hook = f'echo "$EVALKIT_EXIT_CODE $EVALKIT_RUN_SUMMARY" > {told}'
    command = ["run", "--raw", str(raw), "--processed", str(tmp_path / "processed")]
    command += ["--reports", str(tmp_path / "reports"), "--on-failure", hook, "--keep", "1"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_LOGS", str(logs))
        assert main(command) == 2
        assert main(command) == 2
    [record] = (logs / "runs").iterdir()  # --keep 1: the first run's record is gone
    summary = json.loads((record / "summary.json").read_text(encoding="utf-8"))
    assert [(s["name"], s["outcome"], s["exit_code"]) for s in summary["stages"]] == [
        ("validate", "failed", 2),
        ("prepare", "not run", None),
        ("score", "not run", None),
        ("build", "not run", None),
    ]
    assert summary["exit_code"] == 2 and summary["packs"] is None
    assert told.read_text(encoding="utf-8") == f"2 {record / 'summary.json'}\n"
    assert not (tmp_path / "processed" / "scores").exists()


@pytest.mark.slow
def test_a_run_stopped_by_sigterm_says_so_and_lets_go_of_the_lock(project: Project) -> None:
    env = project.gate.env(hold="hub")
    running = start_build(project.command("--force"), env)
    wait_for(lambda: project.gate.holding() == "hub", "the run to reach hub")
    code, err = stop(running, signal.SIGTERM)
    assert code == 143 and "stopped by SIGTERM" in err
    summary = project.records()[-1]
    assert summary["exit_code"] == 143 and summary["ended"] is not None
    assert (summary["stages"][-1]["name"], summary["stages"][-1]["exit_code"]) == ("build", 143)
    again = run_build_cli(project.command(), {**env, "EVALKIT_TEST_HOLD": ""})
    assert again.returncode == 0, again.stderr
    assert project.records()[-1]["lock_cleared"] == []  # let go cleanly, nothing stale
