"""Formula-safe spreadsheets: the OWASP rule, CSV and XLSX writers, and every writer walked."""

from __future__ import annotations

import csv
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from evalkit.config import Settings
from evalkit.inputs.dataset import load_tables
from evalkit.inputs.prepare import prepare
from evalkit.inputs.synth import synthesise
from evalkit.method.framework import Framework
from evalkit.method.results import load_results
from evalkit.method.run import run_scoring
from evalkit.spreadsheet import (
    frame_to_csv,
    neutralise,
    read_csv_frame,
    read_csv_text,
    restore,
    sheet_title,
    show_controls,
    write_csv,
    write_xlsx,
)
from small_portfolio import ROOT

# --------------------------------------------------------------------------- one cell

QUOTED = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\t=1", "'\t=1"),
    ("\tplain", "'\tplain"),  # a leading tab is quoted whatever follows
    ("\rplain", "'\rplain"),
    (" =1", "' =1"),
    ("\x01=1", "'\x01=1"),
    ("\n\x7f @x", "'\n\x7f @x"),
    ("-", "'-"),
    ("- a bullet", "'- a bullet"),
    ("'=1", "''=1"),  # already quoted: one more, so restore gives it back
    ("''=1", "'''=1"),
]
#: An apostrophe before ordinary text is left alone (nothing to undo, nothing shown twice).
UNCHANGED = [
    *("-5", "+3.2", "-1e3", "-.5", "12", "plain text", "a=b", "", "x-1", "1-2"),
    *("'plain'", "'Jobs created' missed its target", "''"),
]


@pytest.mark.parametrize(("typed", "written"), QUOTED)
def test_neutralise_quotes_formula_text_and_restore_gives_it_back(typed: str, written: str) -> None:
    assert neutralise(typed) == written
    assert restore(written) == typed


@pytest.mark.parametrize("typed", UNCHANGED)
def test_plain_numbers_and_plain_text_stay_as_they_are(typed: str) -> None:
    assert neutralise(typed) == typed
    assert restore(typed) == typed


@pytest.mark.parametrize("value", [-5, -2.5, None, True, date(2024, 4, 1)])
def test_non_strings_are_never_changed(value: object) -> None:
    assert neutralise(value) is value
    assert restore(value) is value


def test_show_controls_makes_control_characters_visible_and_keeps_tab_and_newline() -> None:
    assert show_controls("a\x1b[31mred\x00\x7f\x85\ufffe") == "a\\x1b[31mred\\x00\\x7f\\x85\\uFFFE"
    assert show_controls("one\ttwo\nthree\r\nfour\rfive") == "one\ttwo\nthree\nfour\nfive"
    assert show_controls("£ é — 日本") == "£ é — 日本"


# --------------------------------------------------------------------------- CSV


def test_frame_to_csv_quotes_text_cells_only_and_read_csv_frame_restores_them(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "-2+3", "'x", "-5", None],
            "number": [-1.5, -2.0, 3.0, 0.0, -7.25],
            "typed": pd.array(["@a", None, "b", "c", "d"], dtype="string"),
        }
    )
    text = frame_to_csv(frame)
    assert text == (
        "text,number,typed\n'=1+1,-1.5,'@a\n'-2+3,-2.0,\n'x,3.0,b\n-5,0.0,c\n,-7.25,d\n"
    )
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    back = read_csv_frame(path, dtype={"text": str, "typed": str})
    assert list(back["text"].fillna("")) == ["=1+1", "-2+3", "'x", "-5", ""]
    assert list(back["typed"].fillna("")) == ["@a", "", "b", "c", "d"]
    assert list(back["number"]) == [-1.5, -2.0, 3.0, 0.0, -7.25]
    assert frame_to_csv(frame, float_format="%.1f").splitlines()[5] == ",-7.2,d"


def test_read_csv_text_restores_cells_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    # As frame_to_csv writes them: a quote before a formula-like cell, empty cells empty.
    path.write_text("id,name,in_scope\na,'=1+1,True\nb,,False\nc,'x,\n", encoding="utf-8")
    assert read_csv_text(path) == [
        {"id": "a", "name": "=1+1", "in_scope": "True"},
        {"id": "b", "name": "", "in_scope": "False"},
        {"id": "c", "name": "'x", "in_scope": ""},
    ]


# --------------------------------------------------------------------------- XLSX


def test_write_xlsx_stores_text_as_text_numbers_as_numbers_and_dates_as_dates(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x","y")', "plain", "bad\x1b[31m"],
            "amount": [-5.5, 1250000.0, None],
            "count": pd.array([3, None, -2], dtype="Int64"),
            "due": pd.to_datetime(pd.Series(["2024-04-01", None, "2025-03-31"])),
            "flag": [True, False, True],
        }
    )
    path = write_xlsx(tmp_path / "out.xlsx", {"Risks: a/b [draft]?": frame}, notice="INVENTED")
    assert path == tmp_path / "out.xlsx"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary file left
    book = load_workbook(path)
    assert book.sheetnames == ["Risks_ a_b _draft__"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A3"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "INVENTED"
    assert rows[1] == ["text", "amount", "count", "due", "flag"]
    assert sheet["A2"].font.b
    assert rows[2] == ['\'=HYPERLINK("http://x","y")', -5.5, 3, datetime(2024, 4, 1), True]
    assert rows[3] == ["plain", 1250000.0, None, None, False]
    assert rows[4] == ["bad\\x1b[31m", None, -2, datetime(2025, 3, 31), True]
    assert sheet["A3"].data_type == "s"
    assert sheet["D3"].number_format == "yyyy-mm-dd"
    # widths: 8 to 60 characters plus 2; the hyperlink text is 27 characters once quoted
    assert sheet.column_dimensions["A"].width == 29
    assert sheet.column_dimensions["E"].width == 10


def test_write_xlsx_never_writes_a_formula_even_for_header_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"=SUM(1)": ["=1", "@x"]})
    book = load_workbook(write_xlsx(tmp_path / "f.xlsx", {"s": frame}))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.value for c in cells] == ["'=SUM(1)", "'=1", "'@x"]
    assert {c.data_type for c in cells} == {"s"}
    assert sheet.freeze_panes == "A2"


def test_sheet_titles_are_valid_and_unique() -> None:
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("  ") == "Sheet"
    assert sheet_title("Risks", {"risks"}) == "Risks (2)"
    assert sheet_title("y" * 31, {"y" * 31}) == "y" * 27 + " (2)"


# --------------------------------------------------------------------------- no other writer

_WRITERS = re.compile(r"\.to_csv\(|\.to_excel\(|\bcsv\.(?:Dict)?[wW]riter\(|\bWorkbook\(")


def test_no_module_but_spreadsheet_writes_csv_or_excel() -> None:
    package = ROOT / "src" / "evalkit"
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "spreadsheet.py" or path.parent != package
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _WRITERS.search(line)
    ]
    assert found == [], "write CSV and XLSX through evalkit.spreadsheet"


# --------------------------------------------------------------------------- every writer

#: What a hostile officer types, and what the prepared table holds (whitespace runs are
#: collapsed and trimmed when input is read, and a lone leading apostrophe, Excel's mark
#: for "text", is dropped as a person reading the cell does; nothing else changes).
HOSTILE = [
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
    ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    ("+1+1", "+1+1"),
    ("-2+3", "-2+3"),
    ("@SUM(1)", "@SUM(1)"),
    ("\t=1 a", "=1 a"),
    (" =1 b", "=1 b"),
    ("\x01=1", "\x01=1"),
    ("'=1", "=1"),
]
#: Free-text columns of the input tables (ids, answers, rounds and controlled lists stay).
FREE_TEXT = {
    "partnerships": [
        "name",
        "lead_directorate",
        "lead_officer",
        "lead_member",
        "out_of_scope_reason",
        "statutory_basis",
        "accountable_body",
        "objectives",
        "reporting_route",
    ],
    "organisations": ["name"],
    "checklist": ["evidence_ref", "note"],
    "indicators": ["name", "unit"],
    "risks": ["description", "owner", "mitigation"],
    "swot": ["text"],
}
_TRIGGER = re.compile(r"^[\s\x00-\x1f\x7f-\x9f]*[=+\-@]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _hostile(k: int) -> tuple[str, str]:
    """The k-th distinct value of a column: typed and prepared (unique past the ninth)."""
    typed, prepared = HOSTILE[k % len(HOSTILE)]
    return (typed, prepared) if k < len(HOSTILE) else (f"{typed} {k}", f"{prepared} {k}")


def _poison(raw: Path) -> dict[tuple[str, str], set[str]]:
    """Replace every free-text value in ``raw`` by hostile text; the prepared values by column.

    The same original value always gets the same hostile value, so names stay consistent
    across rows; a column the synthetic portfolio leaves out is added.
    The first indicator row gets negative numbers: baseline -2.5, actual -1.
    """
    expected: dict[tuple[str, str], set[str]] = {}
    for table, columns in FREE_TEXT.items():
        path = raw / f"{table}.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in columns:
            for i, row in enumerate(rows):  # a column synth leaves out gets a value a row
                row.setdefault(column, f"{column} {i}")
            distinct = list(dict.fromkeys(r[column] for r in rows if r[column]))
            swap = {value: _hostile(k) for k, value in enumerate(distinct)}
            for row in rows:
                if row[column]:
                    row[column] = swap[row[column]][0]
            expected[(table, column)] = {prepared for _, prepared in swap.values()}
        if table == "indicators":
            rows[0].update(baseline="-2.5", target="", actual="-1")
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return expected


def _cells(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Hostile:
    """A prepared and scored folder, and each poisoned column's prepared values."""

    processed: Path
    expected: dict[tuple[str, str], set[str]]


@pytest.fixture(scope="module")
def hostile_scored(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """A synthetic portfolio of three partnerships with hostile free text, prepared and scored."""
    from evalkit.method.framework import load_frameworks

    base = tmp_path_factory.mktemp("hostile")
    raw, processed = base / "raw", base / "processed"
    synthesise(3, 11, raw)
    expected = _poison(raw)
    settings = Settings(raw_dir=raw, processed_dir=processed)
    frameworks: dict[str, Framework] = load_frameworks()
    result = prepare(settings, frameworks)
    assert result.report.valid, [p.message for p in result.report.errors][:5]
    run_scoring(settings, frameworks)
    return Hostile(processed, expected)


def test_no_csv_cell_evalkit_writes_can_run_as_a_formula(hostile_scored: Hostile) -> None:
    processed = hostile_scored.processed
    files = sorted(processed.rglob("*.csv"))
    assert len(files) >= 9 + 13  # every prepared table and every score table
    dangerous: list[str] = []
    quoted = 0
    for path in files:
        for row in _cells(path):
            for column, cell in row.items():
                quoted += cell.startswith("'")
                if cell.startswith(("\t", "\r")) or (
                    _TRIGGER.match(cell) and not _NUMBER.match(cell.strip(" "))
                ):
                    dangerous.append(f"{path.relative_to(processed)} {column}: {cell!r}")
    assert dangerous == []
    assert quoted > 50  # the hostile text did reach the files, quoted


def test_negative_numbers_stay_numbers(hostile_scored: Hostile) -> None:
    processed = hostile_scored.processed
    first = _cells(processed / "indicators.csv")[0]
    assert (first["baseline"], first["actual"]) == ("-2.5", "-1.0")
    scored = [
        r
        for r in _cells(processed / "scores" / "vfm_indicators.csv")
        if r["baseline"] == "-2.5" and r["partnership_id"] == first["partnership_id"]
    ]
    assert len(scored) == 1
    assert (scored[0]["actual"], scored[0]["change"]) == ("-1", "1.5")  # -1 - (-2.5)


def test_evalkit_reads_back_the_text_exactly_as_typed(hostile_scored: Hostile) -> None:
    processed = hostile_scored.processed
    expected = hostile_scored.expected
    tables = load_tables(processed)
    seen: set[str] = set()
    for (table, column), values in expected.items():
        got = set(tables[table][column].dropna())
        assert got == values, (table, column)
        seen |= got
    assert {prepared for _, prepared in HOSTILE} <= seen  # each hostile value, unsuffixed
    scores = load_results(processed / "scores")
    for column in ("description", "owner", "mitigation"):
        assert set(scores["risks"][column].dropna()) == expected[("risks", column)], column
    assert set(scores["actions"]["owner"].dropna()) <= expected[("partnerships", "lead_officer")]
    names = set(scores["vfm_indicators"]["name"].dropna())
    assert names and names <= expected[("indicators", "name")]


# --------------------------------------------------------------------------- downloads


def test_a_csv_notice_is_a_first_row_of_one_inert_cell(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Risk": ["=1+1", "Flood"], "Score (£)": [12, 3.5]})
    text = frame_to_csv(frame, notice="=INVENTED, \x1b[31m not real")
    assert text == (
        '"\'=INVENTED, \\x1b[31m not real"\n'  # quoted: it holds a comma
        "Risk,Score (£)\n'=1+1,12.0\nFlood,3.5\n"
    )
    path = write_csv(tmp_path / "t.csv", frame, notice="INVENTED", excel=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfINVENTED\nRisk,")  # UTF-8 for Excel
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    back = read_csv_frame(path, skiprows=1, encoding="utf-8-sig")
    assert list(back["Risk"]) == ["=1+1", "Flood"]
    assert write_csv(tmp_path / "plain.csv", frame).read_bytes().startswith(b"Risk,")


def test_a_workbook_is_the_same_bytes_whenever_it_is_written(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "=y"]})
    one = write_xlsx(tmp_path / "one.xlsx", {"s": frame}, notice="N").read_bytes()
    time.sleep(2.1)  # zip times have two-second steps
    two = write_xlsx(tmp_path / "two.xlsx", {"s": frame}, notice="N").read_bytes()
    assert one == two
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.xlsx", "two.xlsx"]
    with zipfile.ZipFile(tmp_path / "one.xlsx") as book:
        assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"dcterms:created" not in book.read("docProps/core.xml")
        assert b"dcterms:modified" not in book.read("docProps/core.xml")


def test_text_like_an_error_code_stays_text_and_whole_columns_keep_their_types(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame(
        {
            "note": ["#N/A", "#DIV/0!", "fine"],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "x": [0.5, float("inf"), None],
            "ok": [True, False, True],
        }
    )
    sheet = load_workbook(write_xlsx(tmp_path / "e.xlsx", {"s": frame})).worksheets[0]
    assert [c.data_type for c in sheet["A"]][1:] == ["s", "s", "s"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["#N/A", 1, 0.5, True],
        ["#DIV/0!", None, "inf", False],
        ["fine", 3, None, True],
    ]


def test_a_long_sheet_is_written_in_pieces_with_every_row_in_order(tmp_path: Path) -> None:
    """More rows than one piece (10,000): every row, in order, across the joins."""
    n = 25_003
    frame = pd.DataFrame({"i": range(n), "text": [f"=row {i}" for i in range(n)]})
    sheet = load_workbook(write_xlsx(tmp_path / "long.xlsx", {"s": frame}), read_only=True)["s"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == n + 1
    assert rows[10_000:10_002] == [(9_999, "'=row 9999"), (10_000, "'=row 10000")]
    assert rows[-1] == (n - 1, f"'=row {n - 1}")
