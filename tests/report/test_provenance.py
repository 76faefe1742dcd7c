"""Provenance of packs and the overview: dates, code version, frameworks used, input files."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from evalkit import __version__
from evalkit.config import FRAMEWORKS_DIR
from evalkit.method.results import DatasetMeta, ScoringMeta
from evalkit.report.overview import provenance as overview_provenance
from evalkit.report.overview.portfolio import Overview
from evalkit.report.pack import provenance

PARAMETERS = "Build parameters and code version"
PACK_FRAMEWORKS = "Frameworks used in this pack: edition and file SHA-256"
OVERVIEW_FRAMEWORKS = "Frameworks scored in the portfolio this round: edition and file SHA-256"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dims(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Dimension scores: (round, framework_id, dimension_id) with a score each."""
    frame = pd.DataFrame(rows, columns=["round", "framework_id", "dimension_id"])
    return frame.assign(partnership_id="csp", score=3.0, dimension_title="A dimension")


@pytest.fixture(autouse=True)
def _no_fixed_date(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_pack_states_the_data_date_and_never_a_build_time(make_pack, read_tables, on_screen):
    pack = make_pack(input_files={"b.csv": "bbb", "a.csv": "aaa"}, lower_on_disagreement=True)
    tables = read_tables(on_screen(pack, provenance.html(pack)))
    params = dict(tables[PARAMETERS][1:])
    assert params["partnership_id"] == "csp"
    assert params["assessment_round"] == "2024-25"
    assert params["data as at"] == "2025-03-31"
    assert not any("built" in name or "build date" in name for name in params)
    assert params["scoring rule"] == "lowest organisation where partners disagree"
    assert params["officer day rate"] == "£350"
    assert tables["Input files"] == [["Input file", "SHA-256"], ["a.csv", "aaa"], ["b.csv", "bbb"]]


def test_source_date_epoch_fixes_the_build_date(make_pack, read_tables, on_screen, monkeypatch):
    # 1 700 000 000 s after 1970-01-01 00:00 UTC is 14 November 2023, 22:13:20 UTC.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pack = make_pack()
    params = dict(read_tables(on_screen(pack, provenance.html(pack)))[PARAMETERS][1:])
    assert params["build date (SOURCE_DATE_EPOCH)"] == "2023-11-14T22:13:20Z"
    assert params["data as at"] == "2025-03-31"


def test_pack_names_the_code_version(make_pack, read_tables, on_screen):
    pack = make_pack()
    params = dict(read_tables(on_screen(pack, provenance.html(pack)))[PARAMETERS][1:])
    assert params["evalkit version"] == __version__
    head = subprocess.run(
        ["git", "-C", str(Path(provenance.__file__).parent), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shutil.which("git") and head.returncode == 0:
        assert params["code commit (git)"].startswith(head.stdout.strip())
    assert len(params["code source SHA-256"]) == 64


def test_commit_reads_none_without_git(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the path
    assert provenance.git_commit() is None
    assert dict(provenance.code_rows())["code commit (git)"] == provenance.NO_COMMIT


def test_pack_lists_only_the_frameworks_it_uses_with_edition_and_file_hash(
    make_pack, read_tables, on_screen
):
    dims = _dims(
        [
            ("2024-25", "wilder-factors", "F01"),
            ("2024-25", "vichealth-pat", "V1"),
            ("2023-24", "nuffield-pat", "P1"),  # another round: not in this pack
        ]
    )
    pack = make_pack(scores={"dimension_scores": dims})
    table = read_tables(on_screen(pack, provenance.html(pack)))
    assert table[PACK_FRAMEWORKS] == [
        ["Id", "Framework", "Edition", "File", "File SHA-256"],
        [
            "wilder-factors",
            "Wilder Collaboration Factors Inventory",
            "2nd edition (2001)",
            "wilder-factors.yaml",
            _sha(FRAMEWORKS_DIR / "wilder-factors.yaml"),
        ],
        [
            "vichealth-pat",
            "VicHealth Partnerships Analysis Tool (checklist)",
            "2011",
            "vichealth-pat.yaml",
            _sha(FRAMEWORKS_DIR / "vichealth-pat.yaml"),
        ],
    ]  # in report order: Wilder before VicHealth


def _overview(frameworks, dims: pd.DataFrame) -> Overview:
    register = pd.DataFrame({"partnership_id": ["csp"], "name": ["CSP"], "in_scope": [True]})
    return Overview(
        assessment_round="2024-25",
        tables={"partnerships": register},
        scores={"dimension_scores": dims},
        frameworks=frameworks,
        dataset=DatasetMeta(
            title="t", invented=False, notice=None, input_files={"z.csv": "zzz", "a.csv": "aaa"}
        ),
        scoring=ScoringMeta(
            assessment_round="2024-25",
            as_of="2025-03-31",
            lower_on_disagreement=False,
            officer_day_rate_gbp=350.0,
            min_cell_size=3,
            framework_editions={},
            framework_dirs=(),
        ),
    )


def test_overview_provenance(frameworks, read_tables, monkeypatch):
    dims = _dims([("2024-25", "lga-drivers", "D1"), ("2023-24", "wilder-factors", "F01")])
    tables = read_tables(overview_provenance.provenance_html(_overview(frameworks, dims)))
    params = dict(tables[PARAMETERS][1:])
    assert params["assessment_round"] == "2024-25"
    assert params["data as at"] == "2025-03-31"
    assert params["evalkit version"] == __version__
    assert not any("built" in name for name in params)
    assert tables[OVERVIEW_FRAMEWORKS][1:] == [
        [
            "lga-drivers",
            "LGA drivers of collaboration",
            "2020",
            "lga-drivers.yaml",
            _sha(FRAMEWORKS_DIR / "lga-drivers.yaml"),
        ]
    ]
    assert tables["Input files"][1:] == [["a.csv", "aaa"], ["z.csv", "zzz"]]


def test_the_printed_pack_gives_the_provenance_in_one_sentence(make_pack):
    dims = _dims(
        [
            ("2024-25", "wilder-factors", "F01"),
            ("2024-25", "vichealth-pat", "V1"),
            ("2023-24", "nuffield-pat", "P1"),  # another round: not counted
        ]
    )
    pack = make_pack(
        input_files={"b.csv": "bbb", "a.csv": "aaa", "c.csv": "ccc"},
        scores={"dimension_scores": dims},
    )
    section = provenance.html(pack)
    # 3 input files, 2 frameworks scored in 2024-25, data as at 2025-03-31
    assert (
        "Built with evalkit " + __version__ + " from 3 input files and 2 framework "
        "files, with the data as at 31 March 2025." in " ".join(section.split())
    )
    assert "<table" not in section  # the tables went to the appendix
