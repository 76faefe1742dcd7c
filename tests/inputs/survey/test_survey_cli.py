"""``evalkit survey import`` and ``evalkit survey mapping`` end to end (tests/inputs/survey)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from survey_helpers import TINY, expected_id, write_mapping, write_xlsx_rows

HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Which partnership?",
    "Your organisation",
    "Partners share information openly",
    "Are the joint aims clear to every partner?",
    "Decisions are made in the open",
    "What is your favourite colour?",
]
ROWS = [
    [
        1,
        "03/02/2025 09:00",
        "03/02/2025 09:05",
        "eve@example.invalid",
        "Eve Fictional",
        "VCSE Partnership Agreement",
        "Northshire County Council",
        "Agree",
        "Agree",
        "Agree",
        "Blue, ask Eve Fictional",
    ],
]


@pytest.fixture
def raw(tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An input folder holding the tiny framework; the key from ``key_file``."""
    monkeypatch.setenv("EVALKIT_RESPONDENT_KEY", str(key_file))
    folder = tmp_path / "raw"
    (folder / "frameworks").mkdir(parents=True)
    (folder / "frameworks" / "tiny-survey.yaml").write_text(yaml.safe_dump(TINY), "utf-8")
    return folder


def test_import_prints_coverage_and_writes_the_table(
    tmp_path: Path, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx_rows(tmp_path / "Partnership survey (1).xlsx", [HEADER, *ROWS])
    mapping = write_mapping(
        tmp_path / "map.yaml",
        {
            "framework": "tiny-survey",
            "round": "2024-25",
            "partnership": {
                "column": "Which partnership?",
                "values": {"VCSE Partnership Agreement": "vcse-agreement"},
            },
            "organisation": {
                "column": "Your organisation",
                "values": {"Northshire County Council": "the-council"},
            },
            "items": [{"item": "T1", "letter": "H"}, {"item": "T2", "letter": "I"}],
        },
    )
    out = tmp_path / "interim"
    args = [
        "survey",
        "import",
        str(export),
        "--mapping",
        str(mapping),
        "--raw",
        str(raw),
        "--out",
        str(out),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "1 rows read, 1 respondents imported, 2 answers for tiny-survey 2024-25" in printed
    assert "column J ('Decisions are made in the open')" in printed
    assert "column K ('What is your favourite colour?')" in printed
    assert "Framework items with no column: T3" in printed
    eve = expected_id("email:eve@example.invalid")
    assert (out / "responses.csv").read_text("utf-8").splitlines()[1:] == [
        f"2024-25,vcse-agreement,{eve},the-council,tiny-survey,T1,Agree",
        f"2024-25,vcse-agreement,{eve},the-council,tiny-survey,T2,Agree",
    ]
    for text in [printed, *(p.read_text("utf-8") for p in out.iterdir())]:
        assert "Eve" not in text and "example.invalid" not in text and "Blue" not in text


def test_a_mapping_that_cannot_be_applied_exits_2_with_nothing_written(
    tmp_path: Path, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx_rows(tmp_path / "survey.xlsx", [HEADER, *ROWS])
    mapping = write_mapping(
        tmp_path / "map.yaml",
        {
            "framework": "tiny-survey",
            "round": "2024-25",
            "partnership": {"value": "Not An Id"},
            "organisation": {"column": "Organisation"},
            "items": [{"item": "T1", "letter": "B"}],
        },
    )
    out = tmp_path / "interim"
    args = [
        "survey",
        "import",
        str(export),
        "--mapping",
        str(mapping),
        "--raw",
        str(raw),
        "--out",
        str(out),
    ]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "ERROR map.yaml: partnership.value: 'Not An Id' is not an id: an id has only "
        "lower-case letters, digits and single hyphens between them",
        "ERROR map.yaml: organisation: no column of the export is headed 'Organisation'; "
        "did you mean 'Your organisation'?",
        "ERROR map.yaml: items[0]: column B ('Start time') is the survey tool's own column, "
        "not a question",
        "3 problem(s): nothing imported from survey.xlsx.",
    ]
    assert "Traceback" not in captured.err
    assert not out.exists()


def test_starter_mapping_is_written_once_and_then_imports(
    tmp_path: Path, raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx_rows(tmp_path / "survey.xlsx", [HEADER, *ROWS])
    starter = tmp_path / "survey.mapping.yaml"
    args = ["survey", "mapping", str(export), "--framework", "tiny-survey", "--raw", str(raw)]
    assert main(args) == 0
    text = starter.read_text("utf-8")
    assert main(args) == 2  # never overwritten without --force
    assert "exists; give --force to replace it" in capsys.readouterr().err
    assert starter.read_text("utf-8") == text
    assert main([*args, "--force"]) == 0
    assert 'round: "2024-25"   # CHECK: from the latest completion time' in text
    assert "Eve" not in text and "example.invalid" not in text
    imported = tmp_path / "out"
    assert (
        main(
            [
                "survey",
                "import",
                str(export),
                "--mapping",
                str(starter),
                "--raw",
                str(raw),
                "--out",
                str(imported),
            ]
        )
        == 0
    )
    lines = (imported / "responses.csv").read_text("utf-8").splitlines()
    assert [[line.split(",")[i] for i in (1, 3, 5, 6)] for line in lines[1:]] == [
        ["vcse-partnership-agreement", "northshire-county-council", "T1", "Agree"],
        ["vcse-partnership-agreement", "northshire-county-council", "T2", "Agree"],
        ["vcse-partnership-agreement", "northshire-county-council", "T3", "Agree"],
    ]


def test_import_without_a_mapping_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["survey", "import", str(tmp_path / "x.xlsx")])
    assert stopped.value.code == 2
