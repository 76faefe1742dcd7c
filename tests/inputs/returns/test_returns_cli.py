"""`evalkit returns make | ingest | status` on the invented sample's returned workbooks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit.cli import main
from evalkit.spreadsheet import read_csv_frame
from small_portfolio import copy_sample_raw


def test_sample_returns_are_ingested_with_their_mistakes_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    copy_sample_raw(raw)
    interim = tmp_path / "interim"
    inbox = raw / "returns" / "inbox"
    args = ["--raw", str(raw), "--interim", str(interim)]
    assert main(["returns", "ingest", str(inbox), *args]) == 2  # problems, not refused
    out = capsys.readouterr().out
    assert "integrated-care-board-return-2024-25.xlsx → Governance checklist → D9: found " in out
    assert "'Mostly in place'; expected one of: Not in place, Partly in place, In place" in out
    assert "→ Sign-off → B4: found 'end of April'; expected a date" in out
    assert "vcse-agreement-return-2024-25.xlsx → Sign-off → B3: found blank" in out
    assert out.splitlines()[-1] == "3 workbook(s): 0 refused, 2 with problems to send back"
    assert main(["returns", "ingest", str(inbox), "--accept-problems", *args]) == 0
    assert "already received" in capsys.readouterr().out
    assert main(["returns", "status", *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "city-deal-lep             no   yes      yes          0 no" in lines
    assert "integrated-care-board     no   yes      no           2 no" in lines
    assert "0 sent, 3 received, 1 valid, 9 missing" in lines
    written = sorted(p.name for p in (interim / "returns" / "2024-25" / "city-deal-lep").iterdir())
    assert written == [
        "action-statuses.csv",
        "checklist.csv",
        "finance.csv",
        "indicators.csv",
        "register-corrections.csv",
        "risks.csv",
        "swot.csv",
    ]
    assert str(tmp_path) not in "\n".join(lines[:-1])  # the table names no server path


def test_sample_returns_carry_rows_portfolio_xlsx_does_not(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    copy_sample_raw(raw)
    interim = tmp_path / "interim"
    inbox = raw / "returns" / "inbox"
    main(["returns", "ingest", str(inbox), "--raw", str(raw), "--interim", str(interim)])
    portfolio = pd.read_excel(raw / "portfolio.xlsx", sheet_name=None, dtype=str)
    keys = {
        "checklist": ["round", "partnership_id", "framework_id", "item_id"],
        "finance": ["partnership_id", "organisation_id", "year"],
        "indicators": ["partnership_id", "indicator_id", "period"],
        "risks": ["partnership_id", "risk_id"],
    }
    for table, key in keys.items():
        returned = pd.concat(read_csv_frame(p, dtype=str) for p in interim.rglob(f"{table}.csv"))
        overlap = returned[key].merge(portfolio[table][key].drop_duplicates(), how="inner")
        assert overlap.empty, table
    checklist = pd.concat(read_csv_frame(p, dtype=str) for p in interim.rglob("checklist.csv"))
    # 23 + 16 + 13 + 14 + 35 items in the five checklist frameworks, for three partnerships
    assert len(checklist) == 3 * 101
    swot = pd.concat(read_csv_frame(p, dtype=str) for p in interim.rglob("swot.csv"))
    assert set(swot["partnership_id"]) == {
        "city-deal-lep",
        "integrated-care-board",
        "vcse-agreement",
    }
    assert not portfolio["swot"]["partnership_id"].isin(set(swot["partnership_id"])).any()


def test_returns_make_from_the_command_line(
    portfolio_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    processed = tmp_path / "processed"
    assert main(["prepare", "--raw", str(portfolio_csv), "--processed", str(processed)]) == 0
    capsys.readouterr()
    paths = ["--raw", str(portfolio_csv), "--processed", str(processed)]
    interim = ["--interim", str(tmp_path / "interim")]
    out = tmp_path / "out"
    command = ["returns", "make", "--round", "2025-26", "--only", "hub", "--out", str(out)]
    assert main([*command, "--due", "31/05/2025", *paths, *interim]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "made hub-return-2025-26.xlsx"
    assert sorted(p.name for p in out.iterdir()) == ["hub-return-2025-26.xlsx"]
    assert main(["returns", "make", "--round", "2025-26", "--only", "roads", *paths, *interim]) == 2
    assert "not an in-scope partnership in the register: roads" in capsys.readouterr().err
    assert main(["returns", "status", *paths, *interim]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Returns for round 2025-26"
    assert lines[2:5] == [
        "csp          no   no       no           0 yes",
        "hub          yes  no       no           0 yes",
        "1 sent, 0 received, 0 valid, 2 missing",
    ]
