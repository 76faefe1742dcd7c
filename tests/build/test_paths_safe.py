"""The build never trusts ids read back from data/processed, nor folders it did not make.

Each test edits a copy of the prepared and scored sample the way someone with access
to the processed folder or the reports folder could, then runs ``evalkit build``: the
build must refuse with exit 2 and a message naming the problem, before it writes
anything anywhere.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from evalkit.cli import main


def _tree(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` (links not followed) → what it is, to compare before/after."""
    found = {}
    for path in sorted(folder.rglob("*")):
        kind = "link" if path.is_symlink() else "dir" if path.is_dir() else "file"
        found[str(path.relative_to(folder))] = kind
    return found


@pytest.fixture
def case(sample_scored, tmp_path) -> dict[str, Path]:
    """A private copy of the scored sample, two levels down, and where its reports go."""
    base = tmp_path / "deep" / "case"
    processed = base / "processed"
    shutil.copytree(sample_scored["processed"], processed)
    return {"top": tmp_path, "processed": processed, "reports": base / "reports"}


def _set_first_id(processed: Path, new_id: str) -> str:
    """Change the first partnership's id in the processed register; return the old id."""
    path = processed / "partnerships.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    old, rows[1][0] = rows[1][0], new_id
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return old


def _build(case: dict[str, Path], *extra: str) -> int:
    return main(
        [
            "build",
            "--processed",
            str(case["processed"]),
            "--reports",
            str(case["reports"]),
            "--formats",
            "html",
            "--no-progress",
            *extra,
        ]
    )


# (id, the id typed into the processed register, what the message must say)
EDITED_IDS = [
    ("parent-folders", "../../etc", "'../../etc' cannot be used as a name"),
    ("absolute", "/tmp/evil", "'/tmp/evil' cannot be used as a name"),
    ("too-long", "p" * 300, "(300 characters) cannot be used as a name: it is 300 characters"),
    ("reserved", "con", "'con' cannot be used as a name: Windows reserves"),
    ("reserved-with-extension", "nul.txt", "'nul.txt' cannot be used as a name: Windows"),
    ("dot-dot", "..", "'..' cannot be used as a name"),
]


@pytest.mark.parametrize(
    ("new_id", "said"), [e[1:] for e in EDITED_IDS], ids=[e[0] for e in EDITED_IDS]
)
def test_an_unsafe_id_in_the_processed_register_stops_the_build(case, capsys, new_id, said):
    _set_first_id(case["processed"], new_id)
    before = _tree(case["top"])
    assert _build(case) == 2
    err = capsys.readouterr().err
    assert "row 2, column partnership_id" in err
    assert said in err
    assert "Traceback" not in err
    assert _tree(case["top"]) == before  # nothing written, inside the reports folder or out
    assert not case["reports"].exists()


def test_an_unsafe_id_stops_the_build_even_when_only_another_pack_is_asked_for(
    case, sample_scored, capsys
):
    _set_first_id(case["processed"], "../../etc")
    other = sample_scored["in_scope"][-1]
    before = _tree(case["top"])
    assert _build(case, "--only", other) == 2
    assert "'../../etc' cannot be used as a name" in capsys.readouterr().err
    assert _tree(case["top"]) == before


def _link_pack_folder(case: dict[str, Path], name: str) -> Path:
    """Make ``reports/<name>`` a link to a folder outside the reports folder."""
    elsewhere = case["top"] / "elsewhere"
    elsewhere.mkdir()
    case["reports"].mkdir(parents=True)
    os.symlink(elsewhere, case["reports"] / name, target_is_directory=True)
    return elsewhere


def test_a_linked_pack_folder_stops_the_build(case, sample_scored, capsys):
    pack = sample_scored["in_scope"][0]
    elsewhere = _link_pack_folder(case, pack)
    before = _tree(case["top"])
    assert _build(case, "--only", pack) == 2
    err = capsys.readouterr().err
    assert f"the folder of pack {pack}:" in err
    assert "is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []
    assert _tree(case["top"]) == before


def test_a_linked_overview_folder_stops_the_build(case, capsys):
    elsewhere = _link_pack_folder(case, "overview")
    before = _tree(case["top"])
    assert _build(case) == 2
    assert "the folder of pack overview:" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    assert _tree(case["top"]) == before


@pytest.mark.parametrize("name", ["evidence-pack.html", ".evidence-pack.page.html", "summary.json"])
def test_a_linked_file_in_a_pack_folder_stops_the_build(case, sample_scored, capsys, name):
    pack = sample_scored["in_scope"][0]
    target = case["top"] / "precious.txt"
    target.write_text("not evalkit's to overwrite", encoding="utf-8")
    folder = case["reports"] / pack
    folder.mkdir(parents=True)
    (folder / name).symlink_to(target)
    before = _tree(case["top"])
    assert _build(case, "--only", pack) == 2
    err = capsys.readouterr().err
    assert f"{name} in {folder} is a symbolic link" in err
    assert target.read_text(encoding="utf-8") == "not evalkit's to overwrite"
    assert _tree(case["top"]) == before


@pytest.mark.slow
def test_a_linked_reports_folder_is_followed(case, sample_scored):
    """The reports folder itself may be a link (an operator's choice): packs go inside it."""
    real = case["top"] / "real-reports"
    real.mkdir()
    case["reports"].parent.mkdir(parents=True, exist_ok=True)
    case["reports"].symlink_to(real, target_is_directory=True)
    pack = sample_scored["in_scope"][0]
    assert _build(case, "--only", pack) == 0
    assert (real / pack / "evidence-pack.html").is_file()
