"""Register snapshots: read like the register, checked with located problems, never changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from openpyxl import Workbook

from evalkit.inputs.history import find_snapshots, read_history
from evalkit.inputs.validate import validate
from small_portfolio import HEADERS, ROWS, write_csv

REGISTER = HEADERS["partnerships"]


def snapshot_rows() -> list[list[object]]:
    return [list(r) for r in ROWS["partnerships"]]


def test_a_csv_snapshot_is_read_like_the_register(portfolio_csv: Path) -> None:
    folder = portfolio_csv / "registers"
    folder.mkdir()
    rows = snapshot_rows()
    rows[0][REGISTER.index("council_cash_gbp")] = "£1.2m"
    write_csv(folder / "2023-24.csv", REGISTER, rows)
    history = read_history(portfolio_csv)
    assert [p for p in history.problems if p.severity == "error"] == []
    register = history.registers["2023-24"]
    assert list(register["partnership_id"]) == ["csp", "hub", "roads"]
    assert register["council_cash_gbp"].tolist() == [1200000.0, 25000.0, 0.0]
    assert register["in_scope"].tolist() == [True, True, False]


def test_a_workbook_snapshot_below_a_title_and_beside_an_about_sheet(portfolio_csv: Path) -> None:
    folder = portfolio_csv / "registers"
    folder.mkdir()
    wb = Workbook()
    wb.active.title = "About"
    ws = wb.create_sheet("Partnerships")
    ws.append(["Register at 31 March 2024"])
    ws.append(["Partnership ID", *REGISTER[1:]])
    for row in snapshot_rows():
        ws.append(row)
    wb.save(folder / "2023-24.xlsx")
    history = read_history(portfolio_csv)
    assert list(history.registers) == ["2023-24"]
    assert list(history.registers["2023-24"]["_row"]) == [3, 4, 5]
    notes = [p for p in history.problems if p.code == "header-row"]
    assert notes[0].file == "registers/2023-24.xlsx" and notes[0].row == 2


def test_bad_rows_are_located_all_in_one_pass_and_stop_validation(portfolio_csv: Path) -> None:
    folder = portfolio_csv / "registers"
    folder.mkdir()
    rows = snapshot_rows()
    rows[0][REGISTER.index("legal_form")] = "joint comittee"  # line 2
    rows[2][REGISTER.index("council_cash_gbp")] = "lots"  # line 4
    path = write_csv(folder / "2023-24.csv", REGISTER, rows)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    history = read_history(portfolio_csv)
    assert history.registers == {}
    errors = [p for p in history.problems if p.severity == "error"]
    assert [(p.file, p.row, p.column, p.value) for p in errors] == [
        ("registers/2023-24.csv", 2, "legal_form", "joint comittee"),
        ("registers/2023-24.csv", 4, "council_cash_gbp", "lots"),
    ]
    assert "Did you mean 'joint committee'?" in errors[0].message
    assert errors[1].expected and errors[1].expected.startswith("an amount in pounds")
    report = validate(portfolio_csv).report
    assert not report.valid
    assert {(p.file, p.row) for p in report.errors} == {
        ("registers/2023-24.csv", 2),
        ("registers/2023-24.csv", 4),
    }
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never changed


def test_no_snapshot_folder_nothing_said(portfolio_csv: Path) -> None:
    history = read_history(portfolio_csv)
    assert (history.registers, history.problems, history.snapshots) == ({}, [], [])
    assert validate(portfolio_csv).report.errors == []


def test_a_snapshot_must_be_named_for_its_round(portfolio_csv: Path) -> None:
    folder = portfolio_csv / "registers"
    folder.mkdir()
    write_csv(folder / "old register.csv", REGISTER, snapshot_rows())
    write_csv(folder / "2022-23.csv", REGISTER, snapshot_rows())
    snapshots, problems = find_snapshots(portfolio_csv)
    assert [s.round for s in snapshots] == ["2022-23"]
    assert [(p.code, p.file) for p in problems] == [("snapshot-name", "registers/old register.csv")]
    assert "e.g. 2023-24.xlsx" in problems[0].message


def test_evalkit_validate_exits_2_naming_the_snapshot_row(portfolio_csv: Path, capsys) -> None:
    from evalkit.cli import main

    folder = portfolio_csv / "registers"
    folder.mkdir()
    rows = snapshot_rows()
    rows[1][REGISTER.index("tier")] = "vital"  # line 3
    write_csv(folder / "2023-24.csv", REGISTER, rows)
    assert main(["validate", str(portfolio_csv)]) == 2
    out = capsys.readouterr().out
    assert "registers/2023-24.csv, row 3, column tier: 'vital' is not an allowed tier" in out
