"""Publishing: what reviewers get, the policies, and a destination that is never half a set.

The reports folder is made by hand (files and a manifest listing their hashes), so these
tests need no build; publishing itself is real: real copies, links and renames.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from evalkit.errors import EvalkitError
from evalkit.route.publish import PolicyNotMet, publish, sets_folder

#: What reviewers get from the hand-made reports below: the index, then each record's
#: files but its notebook and its summary.json.
REVIEWER_FILES = [
    "committee/committee-report.docx",
    "committee/committee-report.html",
    "csp/csp-data.xlsx",
    "csp/downloads/risks.csv",
    "csp/evidence-pack.html",
    "csp/evidence-pack.pdf",
    "index.html",
    "overview/portfolio-overview.html",
]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_reports(folder: Path, version: str, *, csp_status: str = "built") -> dict[str, Any]:
    """A reports folder: csp, the overview and the cover report, files saying ``version``."""
    listed = {
        "csp": [
            "evidence-pack.ipynb",
            "evidence-pack.html",
            "evidence-pack.pdf",
            "csp-data.xlsx",
            "downloads/risks.csv",
            "summary.json",
        ],
        "overview": ["portfolio-overview.ipynb", "portfolio-overview.html"],
        "committee": ["committee-report.html", "committee-report.docx"],
    }
    records: dict[str, Any] = {}
    for pid, names in listed.items():
        files = {}
        for name in names:
            data = f"{pid}/{name} {version}".encode()
            (folder / pid / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / pid / name).write_bytes(data)
            files[name] = _sha(data)
        records[pid] = {"status": "built", "files": files, "error": None}
    records["csp"]["status"] = csp_status
    (folder / "index.html").write_text(f"index {version}", encoding="utf-8")
    (folder / ".evalkit-run.lock").write_text("", encoding="utf-8")
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    (folder / "csp" / "evidence-pack.failed.ipynb").write_text("{}", encoding="utf-8")
    return {
        "packs": {"csp": records["csp"]},
        "overview": records["overview"],
        **{"committee": records["committee"]},
    }


def published(dest: Path) -> dict[str, str]:
    """Every file readers see under ``dest``, with its text."""
    return {
        p.relative_to(dest).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(dest.rglob("*"))
        if p.is_file()
    }


def test_reviewers_get_the_pages_pdfs_and_downloads_and_nothing_of_the_server(
    tmp_path: Path,
) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "web" / "packs"
    dest.parent.mkdir()
    manifest = make_reports(reports, "v1")
    publication = publish(reports, manifest, dest, "no-failures")
    assert dest.is_symlink()
    assert sorted(published(dest)) == REVIEWER_FILES
    assert published(dest)["csp/evidence-pack.html"] == "csp/evidence-pack.html v1"
    assert sorted(publication.files) == REVIEWER_FILES
    assert publication.files["index.html"] == _sha(b"index v1")
    assert publication.set.startswith(".packs.sets/")
    assert os.readlink(dest) == publication.set  # relative: the folder can move


def test_each_publish_swaps_the_set_and_keeps_only_the_previous_one(tmp_path: Path) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    sets = []
    for version in ("v1", "v2", "v3"):
        manifest = make_reports(reports, version)
        sets.append(publish(reports, manifest, dest, "no-failures").set)
        assert published(dest)["index.html"] == f"index {version}"
    assert sorted(p.name for p in sets_folder(dest).iterdir() if p.is_dir()) == sorted(
        s.split("/")[1] for s in sets[1:]
    )


def test_no_failures_refuses_a_stale_pack_and_keep_last_good_publishes_it(
    tmp_path: Path,
) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    publish(reports, make_reports(reports, "v1"), dest, "no-failures")
    manifest = make_reports(reports, "v2", csp_status="stale")
    with pytest.raises(PolicyNotMet, match=r"policy no-failures\): csp failed to build"):
        publish(reports, manifest, dest, "no-failures")
    assert published(dest)["index.html"] == "index v1"
    publish(reports, manifest, dest, "keep-last-good")
    assert published(dest)["index.html"] == "index v2"


def test_a_pack_with_no_version_at_all_is_never_published(tmp_path: Path) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    manifest = make_reports(reports, "v1", csp_status="failed")
    with pytest.raises(PolicyNotMet, match="csp failed to build and has no earlier version"):
        publish(reports, manifest, dest, "keep-last-good")
    assert not dest.exists() and not dest.is_symlink()


def test_a_failed_copy_leaves_the_previous_set_in_place(tmp_path: Path) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    publish(reports, make_reports(reports, "v1"), dest, "no-failures")
    before = published(dest)
    manifest = make_reports(reports, "v2")
    pdf = reports / "csp" / "evidence-pack.pdf"  # copied after the csv, xlsx and html
    pdf.unlink()
    os.mkfifo(pdf)  # not a regular file: the copy stops half way
    with pytest.raises(EvalkitError, match="cannot publish csp/evidence-pack.pdf"):
        publish(reports, manifest, dest, "no-failures")
    assert published(dest) == before
    assert len([p for p in sets_folder(dest).iterdir() if p.is_dir()]) == 1  # no half set


def test_a_file_changed_since_the_build_is_not_published(tmp_path: Path) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    manifest = make_reports(reports, "v1")
    (reports / "csp" / "evidence-pack.html").write_text("tampered", encoding="utf-8")
    with pytest.raises(EvalkitError, match="hash differs from the manifest"):
        publish(reports, manifest, dest, "no-failures")
    assert not dest.is_symlink()


def test_a_folder_already_at_the_destination_is_left_alone(tmp_path: Path) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    (dest / "old").mkdir(parents=True)
    with pytest.raises(EvalkitError, match="not a link evalkit made"):
        publish(reports, make_reports(reports, "v1"), dest, "no-failures")
    assert [p.name for p in dest.iterdir()] == ["old"]


#: Publishes the reports in argv[1] (many files) to argv[2], as evalkit publish does.
PUBLISHER = """
import json, sys
from pathlib import Path
from evalkit.route.publish import publish
reports = Path(sys.argv[1])
manifest = json.loads((reports / "hand-manifest.json").read_text())
publish(reports, manifest, Path(sys.argv[2]), "no-failures")
"""


def test_a_publish_killed_midway_leaves_the_previous_set_and_the_next_tidies_up(
    tmp_path: Path,
) -> None:
    reports, dest = tmp_path / "reports", tmp_path / "packs"
    publish(reports, make_reports(reports, "v1"), dest, "no-failures")
    before = published(dest)
    manifest = make_reports(reports, "v2")
    files = manifest["packs"]["csp"]["files"]
    for n in range(4000):  # enough downloads that the copy takes a while
        data = f"row {n}".encode()
        (reports / "csp" / "downloads" / f"t{n:04}.csv").write_bytes(data)
        files[f"downloads/t{n:04}.csv"] = _sha(data)
    (reports / "hand-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old_set = os.readlink(dest)
    process = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(reports), str(dest)])
    sets = sets_folder(dest)
    deadline = time.monotonic() + 60
    while not any(
        (p / "csp" / "downloads").is_dir() for p in sets.iterdir() if p.name != Path(old_set).name
    ):
        assert time.monotonic() < deadline and process.poll() is None, "publish ended early"
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert os.readlink(dest) == old_set
    assert published(dest) == before
    half = [p for p in sets.iterdir() if p.is_dir() and p.name != Path(old_set).name]
    assert len(half) == 1  # the killed publish's half set, never seen by readers
    publish(reports, manifest, dest, "no-failures")
    assert published(dest)["index.html"] == "index v2"
    assert not half[0].exists()  # tidied by the next publish
    assert len(published(dest)) == len(REVIEWER_FILES) + 4000


def test_evalkit_publish_with_nothing_built_publishes_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from evalkit.cli import main

    monkeypatch.setenv("EVALKIT_LOGS", str(tmp_path / "logs"))
    (tmp_path / "reports").mkdir()
    code = main(["publish", str(tmp_path / "packs"), "--reports", str(tmp_path / "reports")])
    assert code == 3
    assert "not published (policy no-failures): no packs have been built" in capsys.readouterr().out
    [record] = (tmp_path / "logs" / "runs").iterdir()
    summary = json.loads((record / "summary.json").read_text(encoding="utf-8"))
    assert (summary["command"], summary["exit_code"], summary["published"]) == ("publish", 3, None)
    assert [(s["name"], s["outcome"]) for s in summary["stages"]] == [("publish", "failed")]
    assert not (tmp_path / "packs").is_symlink()


def test_evalkit_publish_copies_a_built_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalkit.cli import main

    monkeypatch.setenv("EVALKIT_LOGS", str(tmp_path / "logs"))
    reports = tmp_path / "reports"
    manifest = make_reports(reports, "v1")
    (reports / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["publish", str(tmp_path / "packs"), "--reports", str(reports)]) == 0
    assert sorted(published(tmp_path / "packs")) == REVIEWER_FILES
    [record] = (tmp_path / "logs" / "runs").iterdir()
    summary = json.loads((record / "summary.json").read_text(encoding="utf-8"))
    assert sorted(summary["published"]["files"]) == REVIEWER_FILES
    assert summary["published"]["policy"] == "no-failures"
