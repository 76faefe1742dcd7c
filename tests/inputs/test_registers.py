"""Registers as officers keep them: real workbooks laid out the way people lay them out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from evalkit.cli import main
from evalkit.inputs.contract import table
from evalkit.inputs.normalise import normalise_column
from evalkit.inputs.validate import validate
from small_portfolio import HEADERS, ROWS, write_csv

P = table("partnerships")
MONEY = P.column("council_cash_gbp")


def _register(path: Path, rows: list[list[object]], *, date1904: bool = False) -> Workbook:
    """A workbook with one 'partnerships' sheet holding ``rows`` from A1."""
    workbook = Workbook()
    if date1904:
        workbook.epoch = CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.title = "partnerships"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return workbook


def _officer_layout() -> list[list[object]]:
    """Title, note and blank rows, then headers as an officer types them, then two rows."""
    headers = ["PartnershipID", "Name", "Lead-directorate", "LEAD OFFICER"]
    headers += ["Tier", "In scope?", "Out of scope reason", "Legal form", "Statutory basis"]
    headers += ["Council role", "Council cash (£)", "Governing document", "Next review due"]
    first = ["csp", "Community Safety Partnership", "Resources", "A. Officer", "strategic"]
    first += ["Yes", None, "joint committee", "none", "member", "£1.2m", "Y", 45383]
    second = ["'hub", "Armed Forces Covenant Hub", "Adult Services", None, "significant"]
    second += ["y", None, "memorandum of understanding", "none", "lead partner", "£5k", "x"]
    second += ["\u00a031/03/2026\u00a0"]
    return [
        ["Register of partnerships (INVENTED)"],
        ["Kept by the policy team; last checked March 2024"],
        [],
        headers,
        first,
        second,
    ]


def test_officer_layout_is_read_as_a_person_sees_it(tmp_path):
    path = tmp_path / "register.xlsx"
    workbook = _register(path, _officer_layout())
    sheet = workbook["partnerships"]
    sheet["D5"] = "A. Officer"
    sheet.merge_cells("D5:D6")  # one officer leads both partnerships
    workbook.save(path)

    result = validate(path)

    assert result.report.valid, result.report.summary()
    frame = result.tables["partnerships"]
    assert frame["partnership_id"].tolist() == ["csp", "hub"]  # apostrophe dropped
    assert frame["lead_officer"].tolist() == ["A. Officer", "A. Officer"]  # merged D5:D6
    assert frame["council_cash_gbp"].tolist() == [1_200_000.0, 5_000.0]
    # 45383 days after 30/12/1899 is 1 April 2024; the second date had non-breaking spaces
    assert frame["next_review_due"].tolist() == [
        pd.Timestamp(2024, 4, 1),
        pd.Timestamp(2026, 3, 31),
    ]
    assert frame["_row"].tolist() == [5, 6]
    notes = [(p.code, p.severity, p.row) for p in result.report.problems]
    assert notes == [("header-row", "info", 4)]
    assert result.report.problems[0].message == (
        "the header is row 4; rows 1 to 3 above it (a title or notes) are not read"
    )


def test_a_serial_in_a_1904_workbook_is_a_1904_date(tmp_path):
    rows = [HEADERS["partnerships"], [*ROWS["partnerships"][0][:-1], 43921]]
    path = tmp_path / "mac.xlsx"
    _register(path, rows, date1904=True)
    frame = validate(path).tables["partnerships"]
    # 43921 days after 1/1/1904 is 1 April 2024 (1,462 days later than in the 1900 system)
    assert frame["next_review_due"].tolist() == [pd.Timestamp(2024, 4, 1)]


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(45383, pd.Timestamp(2024, 4, 1)), (18264, pd.Timestamp(1950, 1, 1)), (2023, 2023)],
)
def test_serials_in_the_1900_system(serial, expected):
    column = P.column("next_review_due")
    assert normalise_column(pd.Series([serial], dtype=object), column).iloc[0] == expected


def test_an_absurd_serial_is_refused_with_the_expected_form(tmp_path):
    rows = [HEADERS["partnerships"], [*ROWS["partnerships"][0][:-1], 2023]]
    path = tmp_path / "register.xlsx"
    _register(path, rows)
    problem = validate(path).report.errors[0]
    assert (problem.code, problem.row, problem.value) == ("bad-value", 2, "2023")
    assert problem.message == (
        "'2023' is not a date (dd/mm/yyyy, yyyy-mm-dd or an Excel date cell): as an Excel "
        "date number it is not a day from 1950 to 2099"
    )


AMOUNTS = [
    ("1250000", 1_250_000.0),
    ("1,250,000.00", 1_250_000.0),
    ("1 250 000", 1_250_000.0),
    ("£1,250,000", 1_250_000.0),
    ("GBP 500", 500.0),
    ("£5k", 5_000.0),
    ("£5 thousand", 5_000.0),
    ("£1.2m", 1_200_000.0),
    ("£1.25 million", 1_250_000.0),
    ("£2bn", 2_000_000_000.0),
    ("(5,000)", -5_000.0),
    ("-£5,000", -5_000.0),
    ("-", 0.0),
    ("—", 0.0),
    ("nil", 0.0),
    ("'£5k", 5_000.0),
    ("\u00a0£5k\u00a0", 5_000.0),
]


@pytest.mark.parametrize(("written", "amount"), AMOUNTS)
def test_amount_rules(written, amount):
    result = normalise_column(pd.Series([written], dtype=object), MONEY).iloc[0]
    assert result == amount
    assert type(result) is float


REFUSED = [
    ("1.2.3", "it has more than one decimal point"),
    ("£5k-£10k", "it looks like a range: give one amount"),
    ("c. £5k", "it looks approximate: give the amount itself"),
    ("1,25", "its comma does not group thousands (a decimal comma?): write 1.25 or 1,250"),
    ("TBC", "it is not an amount evalkit can read"),
]


@pytest.mark.parametrize(("written", "reason"), REFUSED)
def test_ambiguous_amounts_are_refused_with_a_reason(tmp_path, written, reason):
    row = list(ROWS["partnerships"][0])
    row[10] = written
    path = tmp_path / "register.xlsx"
    _register(path, [HEADERS["partnerships"], row])
    [problem] = validate(path).report.errors
    assert (problem.code, problem.row, problem.column) == ("bad-value", 2, "council_cash_gbp")
    assert problem.message.endswith(f": {reason}")


def test_two_headers_for_one_column_name_both_cells(tmp_path):
    path = tmp_path / "register.xlsx"
    _register(path, [[*HEADERS["partnerships"], "Partnership-ID"], ROWS["partnerships"][0]])
    [problem] = validate(path).report.errors
    assert problem.code == "duplicate-header"
    assert problem.message.startswith(
        "headers A1 'partnership_id' and N1 'Partnership-ID' both name column "
        "partnership_id; only A is read"
    )


def test_values_under_a_blank_header_are_an_error_naming_the_column(tmp_path):
    path = tmp_path / "register.xlsx"
    row = [*ROWS["partnerships"][0], None, "call Sam"]
    _register(path, [HEADERS["partnerships"], row])
    [problem] = validate(path).report.errors
    assert (problem.code, problem.column, problem.row) == ("unnamed-column", "O", 2)
    assert "column O has no header but holds 1 value(s) (first O2: 'call Sam')" in problem.message


def test_no_header_row_is_one_error_naming_the_closest_row(tmp_path):
    path = tmp_path / "register.xlsx"
    _register(path, [["Register"], ["Name", "Tier"], ["Community Safety", "strategic"]])
    [problem] = validate(path).report.errors
    assert (problem.code, problem.row) == ("no-header-row", 2)
    assert "the closest is row 2, which names only Name, Tier of the" in problem.message
    assert problem.expected.startswith("a header row naming the required columns: partnership_id")


def test_a_formula_saved_without_its_result_is_not_read_as_blank(tmp_path):
    row = list(ROWS["partnerships"][0])
    row[10] = "=1000*120"  # openpyxl saves the formula, not its result
    path = tmp_path / "register.xlsx"
    _register(path, [HEADERS["partnerships"], row])
    problems = validate(path).report.errors
    # the cell is named, and its blank is reported where it matters too
    assert {(p.code, p.row, p.column) for p in problems} == {
        ("formula-without-value", 2, "K"),
        ("required-missing", 2, "council_cash_gbp"),
    }


def test_plural_swot_headings_are_aliases():
    column = table("swot").column("category")
    written = ["Strengths", "Weaknesses", "Opportunities", "Threats"]
    result = normalise_column(pd.Series(written, dtype=object), column).tolist()
    assert result == ["strength", "weakness", "opportunity", "threat"]


def test_the_same_key_in_raw_and_interim_is_one_error_naming_both(portfolio_csv, tmp_path):
    interim = tmp_path / "interim"
    (interim / "returns" / "r1" / "csp").mkdir(parents=True)
    write_csv(
        interim / "returns" / "r1" / "csp" / "risks.csv",
        HEADERS["risks"],
        [["csp", "R1", "Funding ends", "2", "2"], ["csp", "R2", "Chair leaves", "2", "3"]],
    )
    report = validate(portfolio_csv, interim_dir=interim).report
    assert [(p.code, p.file, p.row) for p in report.errors] == [
        ("duplicate-across-sources", "risks.csv", 2)
    ]
    assert report.errors[0].message == (
        "partnership_id 'csp', risk_id 'R1' is in more than one place: risks.csv, row 2; "
        "interim/returns/r1/csp/risks.csv, row 2"
    )
    assert report.tables["risks"]["rows"] == 3  # one raw row and two interim rows


def test_a_renamed_id_is_one_root_cause_and_one_group_per_table(portfolio_csv):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[0][0] = "csp-2024"
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows)
    report = validate(portfolio_csv).report
    lines = report.summary().splitlines()
    assert lines[0] == (
        "ERROR partnerships.csv, row 2, column partnership_id: partnership_id 'csp' is used "
        "in 3 row(s) of other tables (memberships (2), risks (1)) but is not in the "
        "partnerships register (partnerships.csv); was it renamed to 'csp-2024'? "
        "[missing-from-register]"
    )
    assert lines[1] == (
        "ERROR 2 rows of table memberships, column partnership_id: 'csp' is not a known "
        "partnership_id (not found in partnerships.csv) [unknown-reference]"
    )
    assert lines[2] == (
        "    first: memberships.csv, row 2, column partnership_id; "
        "memberships.csv, row 3, column partnership_id"
    )
    # the JSON report keeps every problem: the root cause and the three rows
    codes = [p["code"] for p in report.to_dict()["problems"]]
    assert codes.count("unknown-reference") == 3 and "missing-from-register" in codes


def test_validate_takes_one_csv_file(portfolio_csv, capsys):
    assert main(["validate", str(portfolio_csv / "partnerships.csv")]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("valid — 0 error(s), 0 warning(s)")


def test_a_single_csv_not_named_like_a_table_is_refused(tmp_path, capsys):
    path = tmp_path / "register.csv"
    path.write_text("partnership_id\ncsp\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "[not-a-table-file]" in capsys.readouterr().out


def test_dates_typed_as_text_keep_working():
    column = P.column("next_review_due")
    value = normalise_column(pd.Series([dt.date(2024, 4, 1)], dtype=object), column).iloc[0]
    assert value == pd.Timestamp(2024, 4, 1)


def test_a_title_and_a_note_merged_across_the_sheet_are_not_headers_or_values(tmp_path):
    path = tmp_path / "register.xlsx"
    row = [*ROWS["partnerships"][0], None, "Checked by the policy team"]
    workbook = _register(path, [["Register of partnerships"], HEADERS["partnerships"], row])
    sheet = workbook["partnerships"]
    sheet.merge_cells("A1:M1")  # the title spans the 13 columns
    sheet.merge_cells("O3:Q3")  # a note beyond the table, across three blank-headed columns
    workbook.save(path)
    report = validate(path).report
    # one error for the note's own column O; its merged copies in P and Q are not values
    assert [(p.code, p.column) for p in report.errors] == [("unnamed-column", "O")]
    assert [(p.code, p.row) for p in report.problems if p.severity == "info"] == [("header-row", 2)]


def test_a_csv_file_with_a_title_line_finds_its_header(tmp_path):
    write_csv(
        tmp_path / "risks.csv",
        ["Risk register (INVENTED)"],
        [[], list(HEADERS["risks"]), ["csp", "R1", "Funding ends", "3", "4"]],
    )
    result = validate(tmp_path / "risks.csv")
    assert result.report.valid
    assert result.tables["risks"]["_row"].tolist() == [4]  # title line 1, blank 2, header 3
    assert [p.code for p in result.report.problems] == ["header-row"]
    assert result.report.to_dict()["problems"][0]["severity"] == "info"


def test_a_formula_giving_an_empty_text_is_a_blank_a_person_sees(tmp_path):
    # Excel saves a formula whose result is "" as t="str" with an empty value
    import zipfile

    row = list(ROWS["partnerships"][0])
    row[6] = '=IF(1,"","x")'  # out_of_scope_reason, optional
    path = tmp_path / "register.xlsx"
    _register(path, [HEADERS["partnerships"], row])
    patched = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="G2">', b'<c r="G2" t="str">')
            target.writestr(item, data)
    assert validate(patched).report.valid


@pytest.mark.parametrize(
    ("written", "read"),
    [("'csp", "csp"), ("'0123", "0123"), ("'Jobs created' missed", "'Jobs created' missed")],
)
def test_a_lone_leading_apostrophe_is_dropped_a_quotation_kept(written, read):
    column = P.column("name")
    assert normalise_column(pd.Series([written], dtype=object), column).iloc[0] == read


def _interim_risks(tmp_path: Path) -> Path:
    """An interim folder holding one officer return's risks for csp (R2, not in raw)."""
    folder = tmp_path / "interim" / "returns" / "r1" / "csp"
    folder.mkdir(parents=True)
    write_csv(folder / "risks.csv", HEADERS["risks"], [["csp", "R2", "Chair leaves", "2", "3"]])
    return tmp_path / "interim"


def test_validate_reads_the_interim_folder_given(portfolio_csv, tmp_path, capsys):
    interim = _interim_risks(tmp_path)
    assert main(["validate", str(portfolio_csv), "--interim", str(interim), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"source": "risks.csv; interim/returns/r1/csp/risks.csv"' in out
    assert '"rows": 2' in out  # R1 from raw, R2 from the return


def test_prepare_writes_rows_from_raw_and_interim(portfolio_csv, tmp_path):
    interim = _interim_risks(tmp_path)
    processed = tmp_path / "processed"
    args = ["prepare", "--raw", str(portfolio_csv), "--processed", str(processed)]
    assert main([*args, "--interim", str(interim)]) == 0
    risks = pd.read_csv(processed / "risks.csv")
    assert risks[["risk_id", "source_file", "source_row"]].values.tolist() == [
        ["R1", "risks.csv", 2],
        ["R2", "interim/returns/r1/csp/risks.csv", 2],
    ]
