"""The batch build: fault isolation, incremental rebuilds, atomic outputs, no leftovers."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest

from build_helpers import tiny_notebook
from evalkit.build import BuildOptions, run_build
from evalkit.build.plan import (
    OVERVIEW_NOTEBOOK,
    PACK_NOTEBOOK,
    overview_parameters,
    pack_parameters,
)
from evalkit.cli import main
from evalkit.config import Settings
from evalkit.errors import BuildError

pytestmark = pytest.mark.slow


def _copy(built: dict, tmp_path: Path) -> Settings:
    """A private copy of the built sample (processed data and reports), with its own logs."""
    processed = tmp_path / "processed"
    reports = tmp_path / "reports"
    shutil.copytree(built["processed"], processed)
    shutil.copytree(built["reports"], reports)
    settings = Settings().with_paths(
        raw_dir=built["raw"], processed_dir=processed, reports_dir=reports
    )
    return dataclasses.replace(settings, logs_dir=tmp_path / "logs")


def _manifest(settings: Settings) -> dict:
    return json.loads((settings.reports_dir / "manifest.json").read_text())


def test_parameters_match_the_notebooks():
    assert set(papermill.inspect_notebook(str(PACK_NOTEBOOK))) == set(
        pack_parameters("x", "2024-25", Path("/p"), Path("/o"))
    )
    assert set(papermill.inspect_notebook(str(OVERVIEW_NOTEBOOK))) == set(
        overview_parameters("2024-25", Path("/p"), Path("/o"))
    )


def test_no_change_rebuilds_nothing(built_sample, tmp_path):
    settings = _copy(built_sample, tmp_path)
    result = run_build(settings, BuildOptions(progress=False))
    assert result.ok
    assert result.built == []
    # + the overview and the committee cover report
    assert len(result.skipped) == len(built_sample["in_scope"]) + 2


def test_changing_one_partnerships_answers_rebuilds_that_pack_alone(
    built_sample, tmp_path, monkeypatch
):
    monkeypatch.setenv("EVALKIT_INTERIM", str(built_sample["interim"]))  # as it was prepared
    settings = _copy(built_sample, tmp_path)
    raw = tmp_path / "raw"
    shutil.copytree(built_sample["raw"], raw)
    settings = settings.with_paths(raw_dir=raw)
    target = built_sample["in_scope"][1]
    path = raw / "responses.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    index = next(i for i, r in enumerate(rows) if r[1] == target)
    rows[index][6] = "Strongly disagree" if rows[index][6] != "Strongly disagree" else "Agree"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    args = ["--raw", str(raw), "--processed", str(settings.processed_dir)]
    assert main(["prepare", *args]) == 0
    assert main(["score", *args]) == 0
    result = run_build(settings, BuildOptions(progress=False))
    assert result.ok
    assert sorted(o.id for o in result.built) == sorted([target, "committee", "overview"])
    forced = run_build(settings, BuildOptions(only=(target,), force=True, progress=False))
    assert [o.id for o in forced.built] == [target]


def test_one_broken_partnership_does_not_stop_the_others(
    built_sample, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("EVALKIT_LOGS", str(tmp_path / "logs"))  # the failure's details go there
    settings = _copy(built_sample, tmp_path)
    broken, others = built_sample["in_scope"][0], built_sample["in_scope"][1:3]
    # Damage the broken partnership's own derived data: its findings' evidence is not JSON.
    findings = settings.scores_dir / "findings.csv"
    with findings.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column, pid = rows[0].index("evidence"), rows[0].index("partnership_id")
    for row in rows[1:]:
        if row[pid] == broken:
            row[column] = "{not json"
    with findings.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code = main(
        [
            "build",
            "--processed",
            str(settings.processed_dir),
            "--reports",
            str(settings.reports_dir),
            "--only",
            broken,
            *others,
            "--force",
            "--formats",
            "html",
            "--no-progress",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert f"FAILED {broken}: JSONDecodeError" in out
    manifest = _manifest(settings)
    # It had a good version (the copied sample's): kept, and the pack is marked stale.
    assert manifest["packs"][broken]["status"] == "stale"
    error = manifest["packs"][broken]["error"]
    assert error["partial"] == f"{broken}/evidence-pack.failed.ipynb"
    # The failing cell is the one that loads the pack, the partial notebook's only error.
    cells = nbformat.read(settings.reports_dir / error["partial"], as_version=4).cells
    errors = [
        i
        for i, c in enumerate(cells)
        if any(o.output_type == "error" for o in c.get("outputs", []))
    ]
    assert errors == [error["cell"]]
    assert error["source"] == "from IPython.display import HTML, display"
    assert cells[error["cell"]].source.splitlines()[0] == error["source"]
    assert (settings.reports_dir / broken / "evidence-pack.html").read_bytes() == (
        built_sample["reports"] / broken / "evidence-pack.html"
    ).read_bytes()
    for pid in others:
        assert manifest["packs"][pid]["status"] == "built"
        assert (settings.reports_dir / pid / "evidence-pack.html").exists()
    log = (tmp_path / "logs" / "build" / f"{broken}.log").read_text(encoding="utf-8")
    assert "FAILED: JSONDecodeError" in log
    index = (settings.reports_dir / "index.html").read_text()
    assert "Failed — last good version from " in index
    assert "This build failed: JSONDecodeError" in index


def test_no_temporary_files_or_kernels_left(built_sample):
    leftovers = [
        p for p in built_sample["reports"].rglob("*") if ".tmp" in p.name or p.name.startswith(".")
    ]
    assert leftovers == []
    kernels = [
        p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
    ]
    assert kernels == []


def test_unknown_and_out_of_scope_ids_are_refused(built_sample, tmp_path):
    settings = _copy(built_sample, tmp_path)
    with pytest.raises(BuildError, match="unknown partnership id"):
        run_build(settings, BuildOptions(only=("no-such-thing",), progress=False))
    with pytest.raises(BuildError, match="out of scope"):
        run_build(settings, BuildOptions(only=(built_sample["out_of_scope"][0],), progress=False))


def _slow_notebook(path: Path, slow_id: str, sleeps: tuple[float, ...] = (120,)) -> Path:
    """A small pack notebook with one cell per sleep, slow only for ``slow_id``."""
    return tiny_notebook(
        path,
        *(
            f"import time\nif partnership_id == {slow_id!r}:\n    time.sleep({seconds})"
            for seconds in sleeps
        ),
    )


def _build_in_3_seconds(
    settings: Settings, notebook: Path, ids: tuple[str, ...], formats: tuple[str, ...]
) -> dict:
    """Build ``ids`` with a 3 s limit per pack; return the outcomes by id.

    One worker, so the packs after a slow one run on the kernel that replaced it.
    """
    options = BuildOptions(
        only=ids,
        workers=1,
        formats=formats,
        force=True,
        timeout=3,
        progress=False,
        pack_notebook=notebook,
    )
    return {o.id: o for o in run_build(settings, options).outcomes}


def test_a_pack_over_the_time_limit_fails_alone(built_sample, tmp_path):
    settings = _copy(built_sample, tmp_path)
    slow, quick = built_sample["in_scope"][0], built_sample["in_scope"][1:3]
    notebook = _slow_notebook(tmp_path / "slow.ipynb", slow)
    for pid in quick:
        shutil.rmtree(settings.reports_dir / pid)  # so the folders show what this build left
    outcomes = _build_in_3_seconds(settings, notebook, (slow, *quick), ("pdf",))
    assert outcomes[slow].status == "stale"  # it failed; the sample's version is kept
    assert outcomes[slow].error.name == "Timeout"
    assert outcomes[slow].error.message == "timed out after 3 s"
    assert outcomes[slow].error.cell == 2  # parameters, injected parameters, the sleep
    for pid in quick:
        assert outcomes[pid].status == "built"
        folder = settings.reports_dir / pid
        # PDF only: no HTML is kept, and the page printed to PDF is not left behind.
        assert sorted(p.name for p in folder.iterdir()) == [
            "evidence-pack.ipynb",
            "evidence-pack.pdf",
        ]


def test_the_time_limit_is_for_the_whole_pack(built_sample, tmp_path):
    settings = _copy(built_sample, tmp_path)
    slow, quick = built_sample["in_scope"][0], built_sample["in_scope"][1]
    # Three cells of 2 s each: none is over the 3 s limit, the pack as a whole is.
    notebook = _slow_notebook(tmp_path / "slow.ipynb", slow, sleeps=(2, 2, 2))
    outcomes = _build_in_3_seconds(settings, notebook, (slow, quick), ("html",))
    error = outcomes[slow].error
    assert (error.name, error.message) == ("Timeout", "timed out after 3 s")
    assert error.cell == 3  # the second sleep was running when the 3 s ran out
    assert error.partial == f"{slow}/evidence-pack.failed.ipynb"
    assert (settings.reports_dir / error.partial).exists()
    assert outcomes[quick].status == "built"


def test_a_build_can_run_where_an_event_loop_is_already_running():
    # As in a Jupyter kernel, where a researcher may call run_build from a notebook.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from evalkit.build.kernels import run_coroutine

    async def inside_a_loop() -> int:
        return run_coroutine(asyncio.sleep(0, result=42))

    # The outer loop gets a thread of its own: this test may itself run under a loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() == 42
