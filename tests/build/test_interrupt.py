"""Fault injection on an unattended build: SIGTERM, SIGINT and kill -9 at chosen points.

The real ``evalkit build`` runs as a subprocess on a small portfolio (``csp``, ``hub``
and the overview, web pages only, one worker). The reports folder starts with the packs
of an earlier version of the data ("old"); the build makes the current version, and a
gate in its kernels (``build_helpers.GATE``) holds it at the chosen pack while the test
stops it. Afterwards: the exit code, no kernel left, no staging or kernel folder left,
every pack either the old bytes or the new, the manifest matching the disk; then a
rerun, compared with a clean build of the current version made in the same place.
"""

from __future__ import annotations

import csv
import json
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_helpers import (
    PACKS,
    Gate,
    build_command,
    files_match_disk,
    kernels_of,
    kill_group,
    leftovers,
    prepare_and_score,
    run_build_cli,
    snapshot,
    start_build,
    stop,
    wait_for,
    write_raw,
)
from evalkit.build.kernels import remove_stale_kernel_folders, signals_held

pytestmark = pytest.mark.slow

#: In the order a one-worker build lands them: the packs, the cover report, the overview.
IDS = (*PACKS, "committee", "overview")
#: The current version of the data: csp's risk reworded, a risk added for hub.
CURRENT = {
    "risks": [
        ["csp", "R1", "Funding ends in March", "3", "4"],
        ["hub", "R2", "Covenant funding lapses", "2", "3"],
    ]
}


@dataclass(frozen=True)
class World:
    """Folders shared by the module's tests (the same paths, so notebooks match byte for byte).

    Attributes:
        gate: the gated environment.
        processed: the processed folder every build reads (the current version).
        reports: the reports folder every build writes.
        old: the reports of the earlier version, the state each test starts from.
        clean: a clean build of the current version.
    """

    gate: Gate
    processed: Path
    reports: Path
    old: Path
    clean: Path


def _built(world: World, into: Path) -> None:
    done = run_build_cli(build_command(world.processed, world.reports), world.gate.env())
    assert done.returncode == 0, done.stderr
    world.reports.rename(into)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    base = tmp_path_factory.mktemp("interrupt")
    old_data = prepare_and_score(write_raw(base / "raw-old"), base / "processed-old")
    current = prepare_and_score(write_raw(base / "raw", CURRENT), base / "processed-current")
    w = World(Gate(base), base / "processed", base / "reports", base / "old", base / "clean")
    shutil.copytree(old_data, w.processed)
    _built(w, w.old)
    shutil.rmtree(w.processed)
    shutil.copytree(current, w.processed)
    _built(w, w.clean)
    assert _versions_differ(w)
    return w


def _versions_differ(w: World) -> bool:
    """The two versions' pages differ for every pack (else the test could not tell them apart)."""
    old, clean = snapshot(w.old), snapshot(w.clean)
    return all(
        old[f"{pid}/{name}"] != clean[f"{pid}/{name}"]
        for pid, name in [(p, "evidence-pack.html") for p in PACKS]
        + [("overview", "portfolio-overview.html")]
    )


def _fresh(world: World) -> dict[str, bytes]:
    shutil.rmtree(world.reports, ignore_errors=True)
    shutil.copytree(world.old, world.reports)
    return snapshot(world.reports)


def _manifest(reports: Path) -> dict:
    return json.loads((reports / "manifest.json").read_text(encoding="utf-8"))


def _status(manifest: dict, pid: str) -> str:
    portfolio = pid in ("overview", "committee")
    record = manifest.get(pid) if portfolio else manifest["packs"].get(pid)
    return str((record or {}).get("status", ""))


def _held_at(world: World, process, hold: str) -> None:
    wait_for(lambda: world.gate.holding() == hold or process.poll() is not None, f"hold at {hold}")
    assert process.poll() is None, process.communicate()


def _landed_before(hold: str) -> tuple[str, ...]:
    """What a one-worker build has landed when it reaches ``hold`` (in the order of IDS)."""
    return IDS[: IDS.index(hold)]


def _check_after_stop(world: World, before: dict[str, bytes], landed: tuple[str, ...]) -> None:
    """Each pack is either the old version (untouched) or the new one; the manifest agrees."""
    now, clean = snapshot(world.reports), snapshot(world.clean)
    for path, data in now.items():
        pid = path.split("/")[0]
        if pid in landed:
            assert data == clean[path], f"{path} is not the new version"
        elif pid in IDS:
            assert data == before[path], f"{path} changed although its pack never landed"
    # A pack's files are those of the version it holds (a new version may show a table,
    # and so have a download, the old one did not).
    expected = [p for p in clean if p.split("/")[0] in landed]
    expected += [p for p in before if p.split("/")[0] in IDS and p.split("/")[0] not in landed]
    assert sorted(p for p in now if p.split("/")[0] in IDS) == sorted(expected)
    manifest = _manifest(world.reports)
    files_match_disk(manifest, world.reports, IDS)
    for pid in IDS:
        assert _status(manifest, pid) == ("built" if pid in landed else "pending"), pid
    index = (world.reports / "index.html").read_text(encoding="utf-8")
    waiting = sum(pid not in landed for pid in PACKS)  # the index lists packs, not the overview
    assert index.count("Waiting to be built — last good version from") == waiting


def _rerun_matches_a_clean_build(world: World, landed: tuple[str, ...]) -> None:
    done = run_build_cli(build_command(world.processed, world.reports), world.gate.env())
    assert done.returncode == 0, done.stderr
    assert leftovers(world.reports, world.gate.tmp) == []
    now, clean = snapshot(world.reports), snapshot(world.clean)
    assert sorted(now) == sorted(clean)
    for path in clean:
        if path.endswith((".html", ".ipynb", "summary.json")) and path != "index.html":
            assert now[path] == clean[path], f"{path} differs from a clean build"
    manifest, reference = _manifest(world.reports), _manifest(world.clean)
    good = {"built": "ok", "up-to-date": "ok"}
    for pid in IDS:
        assert good[_status(manifest, pid)] == good[_status(reference, pid)] == "ok"
        # What landed before the stop is not built again.
        assert _status(manifest, pid) == ("up-to-date" if pid in landed else "built"), pid
    files_match_disk(manifest, world.reports, IDS)


@pytest.mark.parametrize(
    "hold",
    [
        pytest.param("csp", id="before-the-first-pack-lands"),
        pytest.param("hub", id="after-one-pack-landed"),
        pytest.param("overview", id="while-the-overview-is-built"),
    ],
)
def test_sigterm_stops_cleanly_keeps_every_pack_and_a_rerun_finishes_the_job(world, hold):
    before = _fresh(world)
    process = start_build(build_command(world.processed, world.reports), world.gate.env(hold))
    _held_at(world, process, hold)
    landed = _landed_before(hold)
    assert [_status(_manifest(world.reports), pid) for pid in landed] == ["built"] * len(landed)

    code, err = stop(process, signal.SIGTERM)
    assert code == 143
    assert err.strip().splitlines()[-1] == "evalkit: stopped by SIGTERM"
    assert "Traceback" not in err
    assert kernels_of(process.pid) == []
    assert leftovers(world.reports, world.gate.tmp) == []
    _check_after_stop(world, before, landed)
    _rerun_matches_a_clean_build(world, landed)


def test_sigint_stops_with_exit_130(world):
    before = _fresh(world)
    process = start_build(build_command(world.processed, world.reports), world.gate.env("hub"))
    _held_at(world, process, "hub")
    code, err = stop(process, signal.SIGINT)
    assert code == 130
    assert err.strip().splitlines()[-1] == "evalkit: stopped by SIGINT"
    assert kernels_of(process.pid) == []
    assert leftovers(world.reports, world.gate.tmp) == []
    _check_after_stop(world, before, ("csp",))
    _rerun_matches_a_clean_build(world, ("csp",))


def test_kill_9_mid_build_then_a_rerun_cleans_up_and_finishes(world):
    before = _fresh(world)
    process = start_build(build_command(world.processed, world.reports), world.gate.env("hub"))
    _held_at(world, process, "hub")
    kill_group(process)
    # The kernels run in sessions of their own; they go when they see their parent gone.
    wait_for(lambda: kernels_of(process.pid) == [], "the kernels to exit", limit=120)
    left = leftovers(world.reports, world.gate.tmp)
    assert any(".staging-" in p for p in left) and any("evalkit-kernel-" in p for p in left)
    _check_after_stop(world, before, ("csp",))  # the manifest was written as csp landed
    _rerun_matches_a_clean_build(world, ("csp",))


def test_a_failing_rebuild_leaves_the_last_good_pack_marked_stale(world, tmp_path):
    before = _fresh(world)
    damaged = tmp_path / "processed"
    shutil.copytree(world.processed, damaged)
    findings = damaged / "scores" / "findings.csv"
    with findings.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column, pid = rows[0].index("evidence"), rows[0].index("partnership_id")
    hits = [row for row in rows[1:] if row[pid] == "hub"]
    assert hits
    for row in hits:
        row[column] = "{not json"
    with findings.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    done = run_build_cli(build_command(damaged, world.reports, "--only", "hub"), world.gate.env())
    assert done.returncode == 1
    assert "FAILED hub: JSONDecodeError" in done.stdout
    assert "the last good version (built " in done.stdout
    after = snapshot(world.reports)
    for name in ("evidence-pack.html", "evidence-pack.ipynb", "summary.json"):
        assert after[f"hub/{name}"] == before[f"hub/{name}"]
    manifest, old = _manifest(world.reports), _manifest(world.old)
    record = manifest["packs"]["hub"]
    assert record["status"] == "stale"
    assert (record["files"], record["built"]) == (
        old["packs"]["hub"]["files"],
        old["packs"]["hub"]["built"],
    )
    assert record["error"]["partial"] == "hub/evidence-pack.failed.ipynb"
    index = (world.reports / "index.html").read_text(encoding="utf-8")
    assert "Failed — last good version from " in index
    assert "This build failed: JSONDecodeError: " in index
    assert '<a href="hub/evidence-pack.html">' in index
    assert leftovers(world.reports, world.gate.tmp) == []


def test_kernel_folders_of_a_dead_process_are_removed(tmp_path):
    dead = tmp_path / "evalkit-kernel-999999999-abc"
    mine = tmp_path / "evalkit-kernel-1-abc"  # process 1 is always there
    other = tmp_path / "evalkit-kernel-xyz"  # not named after a process: left alone
    for folder in (dead, mine, other):
        folder.mkdir()
    assert remove_stale_kernel_folders(tmp_path) == [dead]
    assert mine.exists() and other.exists()


def test_a_signal_while_signals_are_held_is_delivered_after():
    noted: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: noted.append(signum))
    try:
        with signals_held():
            signal.raise_signal(signal.SIGTERM)
            assert noted == []  # held
        assert noted == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)
