"""A failed rebuild never loses the last good pack; warnings and server paths stay unpublished."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

from build_helpers import prepare_and_score, sha, snapshot, tiny_notebook, write_raw
from evalkit.build import BuildOptions, run_build
from evalkit.build.job import Staging, remove_stale_staging
from evalkit.build.run import tidy
from evalkit.config import Settings

#: Writes summary.json where the builder says (its staging folder, while it runs).
SUMMARY = (
    "import json, pathlib\n"
    "if output_dir:\n"
    "    pathlib.Path(output_dir, 'summary.json').write_text("
    "json.dumps({'top_finding': 'Version ' + VERSION, 'findings': {'high': 1}}))"
)
BREAK_CSP = "if partnership_id == 'csp':\n    raise ValueError('the data for csp is broken')"


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio (csp and hub in scope), prepared and scored."""
    base = tmp_path_factory.mktemp("last-good")
    return prepare_and_score(write_raw(base / "raw"), base / "processed")


def _settings(processed: Path, tmp_path: Path) -> Settings:
    settings = Settings().with_paths(processed_dir=processed, reports_dir=tmp_path / "reports")
    return dataclasses.replace(settings, logs_dir=tmp_path / "logs")


def _build(settings: Settings, notebook: Path) -> dict:
    options = BuildOptions(
        only=("csp", "hub"),
        workers=1,
        formats=("html",),
        force=True,
        progress=False,
        pack_notebook=notebook,
    )
    result = run_build(settings, options)
    manifest = json.loads((settings.reports_dir / "manifest.json").read_text(encoding="utf-8"))
    return {"result": result, "manifest": manifest["packs"]}


@pytest.mark.slow
def test_a_failing_rebuild_keeps_the_last_good_pack_and_the_index_says_stale(processed, tmp_path):
    settings = _settings(processed, tmp_path)
    reports = settings.reports_dir
    good = tiny_notebook(tmp_path / "v1.ipynb", "VERSION = '1'", SUMMARY, title="Pack v1")
    first = _build(settings, good)
    assert first["result"].ok
    before = snapshot(reports / "csp")
    assert sorted(before) == ["evidence-pack.html", "evidence-pack.ipynb", "summary.json"]

    broken = tiny_notebook(
        tmp_path / "v2.ipynb", "VERSION = '2'", BREAK_CSP, SUMMARY, title="Pack v2"
    )
    second = _build(settings, broken)
    after = snapshot(reports / "csp")
    # The last good files are untouched, summary.json included; the partial notebook is new.
    assert {k: v for k, v in after.items() if k != "evidence-pack.failed.ipynb"} == before
    assert "evidence-pack.failed.ipynb" in after
    assert b"Pack v2" in snapshot(reports / "hub")["evidence-pack.html"]  # hub was rebuilt

    record, previous = second["manifest"]["csp"], first["manifest"]["csp"]
    assert record["status"] == "stale"
    assert record["files"] == previous["files"]
    assert record["files"]["evidence-pack.html"] == sha(before["evidence-pack.html"])
    assert record["built"] == previous["built"] and record["key"] == previous["key"]
    assert record["error"]["name"] == "ValueError"
    assert record["error"]["message"] == "the data for csp is broken"
    assert record["error"]["partial"] == "csp/evidence-pack.failed.ipynb"
    assert second["manifest"]["hub"]["status"] == "built"

    index = (reports / "index.html").read_text(encoding="utf-8")
    when = datetime.fromisoformat(previous["built"]).astimezone(UTC)
    assert f"Failed — last good version from {when.day} {when:%B %Y} shown" in index
    assert "This build failed: ValueError: the data for csp is broken" in index
    assert '<a href="csp/evidence-pack.html">' in index
    assert ">Version 1</td>" in index  # the last good version's headline
    assert not second["result"].ok and [o.id for o in second["result"].stale] == ["csp"]
    assert [p.name for p in reports.rglob(".*")] == []

    # Mended: the next build replaces the files and removes the partial notebook.
    third = _build(settings, good)
    assert third["manifest"]["csp"]["status"] == "built"
    assert sorted(snapshot(reports / "csp")) == sorted(before)


@pytest.mark.slow
def test_a_pack_with_no_good_version_is_failed_and_nothing_names_a_server_folder(
    processed, tmp_path
):
    settings = _settings(processed, tmp_path)
    missing = tmp_path / "nowhere" / "table.csv"
    notebook = tiny_notebook(
        tmp_path / "bad.ipynb",
        f"if partnership_id == 'csp':\n    open({str(missing)!r})",
    )
    run = _build(settings, notebook)
    record = run["manifest"]["csp"]
    assert (record["status"], record["files"], record["built"]) == ("failed", {}, None)
    assert record["error"]["name"] == "FileNotFoundError"
    assert record["error"]["message"] == "[Errno 2] No such file or directory: 'table.csv'"
    assert record["error"]["partial"] == "csp/evidence-pack.failed.ipynb"
    reports = settings.reports_dir
    assert sorted(p.name for p in (reports / "csp").iterdir()) == ["evidence-pack.failed.ipynb"]
    for name in ("manifest.json", "index.html"):
        text = (reports / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and "/tmp/" not in text and "nowhere" not in text
    # The partial notebook keeps the error itself, in the cell that failed; no traceback.
    partial = (reports / record["error"]["partial"]).read_text(encoding="utf-8")
    assert "Traceback" not in partial and "No such file or directory: 'table.csv'" in partial
    cells = nbformat.read(reports / record["error"]["partial"], as_version=4).cells
    errors = [o for c in cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [(o.ename, o.traceback) for o in errors] == [
        ("FileNotFoundError", ["FileNotFoundError: " + record["error"]["message"]])
    ]
    # The operators' log has the whole story.
    log = (tmp_path / "logs" / "build" / "csp.log").read_text(encoding="utf-8")
    assert "FAILED: FileNotFoundError" in log and str(missing) in log
    assert "Traceback" in log or "----" in log  # the kernel's traceback, for operators


WARN = (
    "import sys, warnings\n"
    "warnings.warn('think twice about this')\n"
    "sys.stderr.write('a note for the operator\\n')\n"
    "print('printed for the reader')"
)


@pytest.mark.slow
def test_warnings_and_stderr_go_to_the_log_never_into_the_pack(processed, tmp_path):
    settings = _settings(processed, tmp_path)
    notebook = tiny_notebook(tmp_path / "warn.ipynb", WARN, SUMMARY.replace("VERSION", "'1'"))
    run = _build(settings, notebook)
    assert run["result"].ok
    folder = settings.reports_dir / "csp"
    written = nbformat.read(folder / "evidence-pack.ipynb", as_version=4)
    outputs = json.dumps([cell.get("outputs", []) for cell in written.cells])
    page = (folder / "evidence-pack.html").read_text(encoding="utf-8")
    for text in (outputs, page):
        assert "think twice" not in text and "a note for the operator" not in text
        assert "UserWarning" not in text and "warnings.warn" not in text
        assert "printed for the reader" in text
    log = (tmp_path / "logs" / "build" / "csp.log").read_text(encoding="utf-8")
    assert "UserWarning: think twice about this" in log
    assert "a note for the operator" in log
    summary = run["result"].summary()
    assert f"see {tmp_path / 'logs' / 'build' / 'csp.log'}" in summary
    assert all(o.messages >= 1 for o in run["result"].outcomes)  # the kernel may join them

    papermill = written.metadata["papermill"]
    assert "input_path" not in papermill and "output_path" not in papermill
    # The notebook records the parameters as planned: not the staging folder it ran with.
    assert ".staging-" not in json.dumps(papermill) and ".staging-" not in str(written.cells)
    injected = [c for c in written.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected[0].source.count("output_dir = ") == 1
    assert papermill["parameters"]["output_dir"] in injected[0].source


@pytest.mark.slow
def test_a_clean_build_removes_an_earlier_log(processed, tmp_path):
    settings = _settings(processed, tmp_path)
    stale_log = tmp_path / "logs" / "build" / "hub.log"
    stale_log.parent.mkdir(parents=True)
    stale_log.write_text("old warnings\n", encoding="utf-8")
    assert _build(settings, tiny_notebook(tmp_path / "ok.ipynb"))["result"].ok
    assert not stale_log.exists()


def test_staged_files_replace_the_old_ones_only_when_committed(tmp_path):
    out = tmp_path / "csp"
    out.mkdir()
    (out / "evidence-pack.html").write_text("old page", encoding="utf-8")
    (out / "evidence-pack.failed.ipynb").write_text("old failure", encoding="utf-8")
    staging = Staging.create(out)
    staging.obsolete.append("evidence-pack.failed.ipynb")
    (staging.folder / "evidence-pack.html").write_text("new page", encoding="utf-8")
    (staging.folder / ".evidence-pack.page.html").write_text("scratch", encoding="utf-8")
    assert staging.folder.parent == out and staging.folder.name.startswith(
        f".staging-{os.getpid()}-"
    )
    assert (out / "evidence-pack.html").read_text(encoding="utf-8") == "old page"
    assert staging.commit() == ["evidence-pack.html"]
    assert sorted(p.name for p in out.iterdir()) == ["evidence-pack.html"]
    assert (out / "evidence-pack.html").read_text(encoding="utf-8") == "new page"

    discarded = Staging.create(out)
    (discarded.folder / "evidence-pack.html").write_text("never", encoding="utf-8")
    discarded.discard()
    assert sorted(p.name for p in out.iterdir()) == ["evidence-pack.html"]
    assert (out / "evidence-pack.html").read_text(encoding="utf-8") == "new page"


def _dead_pid() -> int:
    """A process id no process has (the highest ones are free on a test machine)."""
    pid = int(Path("/proc/sys/kernel/pid_max").read_text()) - 1
    while Path(f"/proc/{pid}").exists():
        pid -= 1
    return pid


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path):
    reports = tmp_path / "reports"
    dead = reports / "csp" / f".staging-{_dead_pid()}-0123abcd"
    alive = reports / "hub" / f".staging-{os.getpid()}-0123abcd"  # a build still running
    for folder in (dead, alive):
        folder.mkdir(parents=True)
        (folder / "evidence-pack.html").write_text("half", encoding="utf-8")
    temp = reports / ".manifest.json.0123456789ab.tmp"
    temp.write_text("{half", encoding="utf-8")
    keep = reports / "csp" / ".notes"
    keep.write_text("not ours", encoding="utf-8")
    assert sorted(tidy(reports)) == sorted([dead, temp])
    assert alive.exists() and keep.exists() and not dead.exists() and not temp.exists()
    assert remove_stale_staging(reports / "hub") == []


def test_a_staged_subfolder_replaces_the_old_one_file_by_file(tmp_path):
    """The downloads folder holds exactly the new version's files once committed."""
    out = tmp_path / "csp"
    (out / "downloads").mkdir(parents=True)
    (out / "downloads" / "risks.csv").write_text("old risks", encoding="utf-8")
    (out / "downloads" / "equity.csv").write_text("a table no longer shown", encoding="utf-8")
    staging = Staging.create(out)
    (staging.folder / "downloads").mkdir()
    (staging.folder / "downloads" / "risks.csv").write_text("new risks", encoding="utf-8")
    (staging.folder / "downloads" / "swot.csv").write_text("new swot", encoding="utf-8")
    (staging.folder / "downloads" / ".swot.csv.123.tmp").write_text("scratch", encoding="utf-8")
    (staging.folder / "csp-data.xlsx").write_text("new book", encoding="utf-8")
    assert staging.names() == ["csp-data.xlsx", "downloads/risks.csv", "downloads/swot.csv"]
    assert (out / "downloads" / "equity.csv").exists()  # nothing moves before the commit

    assert staging.commit() == ["csp-data.xlsx", "downloads/risks.csv", "downloads/swot.csv"]
    assert snapshot(out) == {
        "csp-data.xlsx": b"new book",
        "downloads/risks.csv": b"new risks",
        "downloads/swot.csv": b"new swot",
    }


def test_a_discarded_staging_folder_leaves_the_old_downloads(tmp_path):
    out = tmp_path / "csp"
    (out / "downloads").mkdir(parents=True)
    (out / "downloads" / "risks.csv").write_text("old risks", encoding="utf-8")
    staging = Staging.create(out)
    (staging.folder / "downloads").mkdir()
    (staging.folder / "downloads" / "risks.csv").write_text("half done", encoding="utf-8")
    staging.discard()
    assert snapshot(out) == {"downloads/risks.csv": b"old risks"}


#: Writes a CSV per name in TABLES and a workbook, as the pack notebook's downloads do.
DOWNLOADS = (
    "import pathlib\n"
    "if output_dir:\n"
    "    folder = pathlib.Path(output_dir, 'downloads')\n"
    "    folder.mkdir(exist_ok=True)\n"
    "    for name in TABLES:\n"
    "        (folder / (name + '.csv')).write_text(name + ' v' + VERSION)\n"
    "    pathlib.Path(output_dir, partnership_id + '-data.xlsx').write_text('book v' + VERSION)"
)


@pytest.mark.slow
def test_the_build_commits_the_downloads_and_a_failed_rebuild_keeps_the_last_good_ones(
    processed, tmp_path
):
    settings = _settings(processed, tmp_path)
    reports = settings.reports_dir
    good = tiny_notebook(
        tmp_path / "v1.ipynb", "VERSION = '1'\nTABLES = ['risks', 'equity']", DOWNLOADS
    )
    first = _build(settings, good)
    assert first["result"].ok
    before = snapshot(reports / "csp")
    assert before["downloads/equity.csv"] == b"equity v1"
    assert before["csp-data.xlsx"] == b"book v1"
    # The manifest lists every file of the pack, downloads included, with its SHA-256.
    assert first["manifest"]["csp"]["files"] == {name: sha(data) for name, data in before.items()}

    broken = tiny_notebook(
        tmp_path / "v2.ipynb", "VERSION = '2'\nTABLES = ['risks']", BREAK_CSP, DOWNLOADS
    )
    second = _build(settings, broken)
    after = snapshot(reports / "csp")
    assert {k: v for k, v in after.items() if k != "evidence-pack.failed.ipynb"} == before
    assert second["manifest"]["csp"]["status"] == "stale"
    assert second["manifest"]["csp"]["files"] == first["manifest"]["csp"]["files"]
    # hub was rebuilt: its downloads are the new version's, the table it dropped is gone
    hub = snapshot(reports / "hub")
    assert hub["downloads/risks.csv"] == b"risks v2" and "downloads/equity.csv" not in hub
    assert "downloads/equity.csv" not in second["manifest"]["hub"]["files"]
    assert [p.name for p in reports.rglob(".*")] == []
