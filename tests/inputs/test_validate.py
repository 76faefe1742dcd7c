"""Validation: every kind of bad input names its file, sheet, row and column."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalkit.cli import main
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.validate import validate
from small_portfolio import HEADERS, ROWS, copy_sample_raw, write_csv, write_workbook


def rewrite(folder: Path, table: str, edit) -> None:
    rows = [list(r) for r in ROWS[table]]
    edit(rows)
    write_csv(folder / f"{table}.csv", HEADERS[table], rows)


def only_error(folder: Path):
    report = validate(folder).report
    assert len(report.errors) == 1, report.summary()
    return report.errors[0]


def test_valid_portfolio_has_no_errors(portfolio_csv):
    result = validate(portfolio_csv)
    assert result.report.valid, result.report.summary()
    parts = result.tables["partnerships"].set_index("partnership_id")
    assert parts.loc["csp", "council_cash_gbp"] == 120000.0
    assert bool(parts.loc["roads", "in_scope"]) is False
    assert parts.loc["csp", "next_review_due"].strftime("%Y-%m-%d") == "2024-04-01"
    assert bool(parts.loc["csp", "incorporated"]) is False


# (id, table, edit, code, row, column, value)
BAD = [
    (
        "duplicate-id",
        "partnerships",
        lambda r: r[1].__setitem__(0, "csp"),
        "duplicate-id",
        3,
        "partnership_id",
        "csp",
    ),
    (
        "misspelt-legal-form",
        "partnerships",
        lambda r: r[0].__setitem__(7, "joint comittee"),
        "not-allowed",
        2,
        "legal_form",
        "joint comittee",
    ),
    (
        "text-in-money",
        "partnerships",
        lambda r: r[1].__setitem__(10, "about 25k"),
        "bad-value",
        3,
        "council_cash_gbp",
        "about 25k",
    ),
    (
        "bad-date",
        "partnerships",
        lambda r: r[1].__setitem__(12, "31/02/2026"),
        "bad-value",
        3,
        "next_review_due",
        "31/02/2026",
    ),
    (
        "bad-boolean",
        "memberships",
        lambda r: r[2].__setitem__(3, "sometimes"),
        "bad-value",
        4,
        "voting",
        "sometimes",
    ),
    (
        "blank-required",
        "partnerships",
        lambda r: r[0].__setitem__(3, "  "),
        "required-missing",
        2,
        "lead_officer",
        None,
    ),
    (
        "unknown-partnership",
        "memberships",
        lambda r: r[4].__setitem__(0, "rods"),
        "unknown-reference",
        6,
        "partnership_id",
        "rods",
    ),
    (
        "unknown-organisation",
        "memberships",
        lambda r: r[1].__setitem__(1, "polise"),
        "unknown-reference",
        3,
        "organisation_id",
        "polise",
    ),
    (
        "out-of-range",
        "risks",
        lambda r: r[0].__setitem__(3, "7"),
        "out-of-range",
        2,
        "likelihood",
        "7",
    ),
    (
        "not-a-whole-number",
        "risks",
        lambda r: r[0].__setitem__(4, "2.5"),
        "bad-value",
        2,
        "impact",
        "2.5",
    ),
    (
        "reason-missing",
        "partnerships",
        lambda r: r[2].__setitem__(6, ""),
        "reason-missing",
        4,
        "out_of_scope_reason",
        None,
    ),
    (
        "reserved-id",
        "partnerships",
        lambda r: r[1].__setitem__(0, "committee"),
        "reserved-id",
        3,
        "partnership_id",
        "committee",
    ),
    (
        "duplicate-key",
        "memberships",
        lambda r: r.append(["csp", "police", "member", "no"]),
        "duplicate-row",
        7,
        "organisation_id",
        "police",
    ),
]


@pytest.mark.parametrize(
    ("table", "edit", "code", "row", "column", "value"),
    [b[1:] for b in BAD],
    ids=[b[0] for b in BAD],
)
def test_bad_input_is_located(portfolio_csv, table, edit, code, row, column, value):
    rewrite(portfolio_csv, table, edit)
    problems = [p for p in validate(portfolio_csv).report.errors if p.code == code]
    assert problems, validate(portfolio_csv).report.summary()
    problem = problems[-1]
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        f"{table}.csv",
        None,
        row,
        column,
        value,
    )
    assert problem.expected


def test_duplicate_id_names_both_rows(portfolio_csv):
    rewrite(portfolio_csv, "partnerships", lambda r: r[1].__setitem__(0, "csp"))
    dupes = [p for p in validate(portfolio_csv).report.errors if p.code == "duplicate-id"]
    assert sorted(p.row for p in dupes) == [2, 3]
    assert "also on row 3" in dupes[0].message


def test_misspelling_gets_a_suggestion(portfolio_csv):
    rewrite(portfolio_csv, "partnerships", lambda r: r[0].__setitem__(7, "joint comittee"))
    problem = next(p for p in validate(portfolio_csv).report.errors if p.code == "not-allowed")
    assert "Did you mean 'joint committee'?" in problem.message


def test_missing_required_column(portfolio_csv):
    headers = [h for h in HEADERS["organisations"] if h != "sector"]
    rows = [
        [v for h, v in zip(HEADERS["organisations"], r, strict=True) if h != "sector"]
        for r in ROWS["organisations"]
    ]
    write_csv(portfolio_csv / "organisations.csv", headers, rows)
    problem = only_error(portfolio_csv)
    assert (problem.code, problem.file, problem.row, problem.column) == (
        "missing-column",
        "organisations.csv",
        1,
        "sector",
    )


def test_missing_table(portfolio_csv):
    (portfolio_csv / "organisations.csv").unlink()
    codes = {p.code for p in validate(portfolio_csv).report.errors}
    assert "missing-table" in codes


def test_table_in_two_places_is_read_as_one(portfolio_csv):
    write_workbook(portfolio_csv)  # every table now also appears as a sheet
    report = validate(portfolio_csv).report
    # every keyed row is now in two places: one error per key, naming both places
    across = [p for p in report.errors if p.code == "duplicate-across-sources"]
    keyed = [name for name in HEADERS if TABLES_BY_NAME[name].key]
    assert len(across) == sum(len(ROWS[name]) for name in keyed)
    # the council row, now in two places, is also two councils
    assert {p.code for p in report.errors} == {"duplicate-across-sources", "several-councils"}
    first = next(p for p in across if p.table == "partnerships")
    assert first.message == (
        "partnership_id 'csp' is in more than one place: partnerships.csv, row 2; "
        "portfolio.xlsx, sheet 'partnerships', row 2"
    )


def test_unknown_column_is_a_warning(portfolio_csv):
    write_csv(
        portfolio_csv / "risks.csv",
        [*HEADERS["risks"], "RAG colour"],
        [[*ROWS["risks"][0], "amber"]],
    )
    report = validate(portfolio_csv).report
    assert report.valid
    assert [(w.code, w.column) for w in report.warnings] == [("unknown-column", "RAG colour")]


def test_all_problems_in_one_pass(portfolio_csv):
    def edit(rows):
        rows[1][0] = "csp"
        rows[0][7] = "joint comittee"
        rows[2][10] = "n/k"

    rewrite(portfolio_csv, "partnerships", edit)
    found = {(p.code, p.row, p.column) for p in validate(portfolio_csv).report.errors}
    assert {
        ("duplicate-id", 3, "partnership_id"),
        ("not-allowed", 2, "legal_form"),
        ("bad-value", 4, "council_cash_gbp"),
    } <= found


def test_excel_rows_sheets_and_dates(portfolio_xlsx):
    path = portfolio_xlsx / "portfolio.xlsx"
    wb = load_workbook(path)
    ws = wb["partnerships"]
    ws.insert_rows(3)  # a blank row between the first and second partnership
    ws["M2"] = dt.datetime(2024, 4, 1)  # a real Excel date cell
    ws["G5"] = None  # out-of-scope row (now row 5) loses its reason
    ws.append([None] * 13)  # blank trailing rows
    ws.append([None] * 13)
    wb.save(path)
    result = validate(portfolio_xlsx)
    problem = only_error(portfolio_xlsx)
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "portfolio.xlsx",
        "partnerships",
        5,
        "out_of_scope_reason",
    )
    assert "sheet 'partnerships', row 5" in str(problem)
    parts = result.tables["partnerships"].set_index("partnership_id")
    assert parts.loc["csp", "next_review_due"].strftime("%d/%m/%Y") == "01/04/2024"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(portfolio_csv, encoding):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[0][1] = "Café Quarter Partnership – £ and ‘quotes’"
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows, encoding)
    result = validate(portfolio_csv)
    assert result.report.valid, result.report.summary()
    assert result.tables["partnerships"]["name"].iloc[0] == rows[0][1]
    assert result.report.tables["partnerships"]["encoding"] == (
        "cp1252" if encoding == "cp1252" else "utf-8-sig"
    )


def test_raw_files_are_never_modified(portfolio_csv, tmp_path):
    rewrite(portfolio_csv, "partnerships", lambda r: r[1].__setitem__(0, "csp"))

    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in portfolio_csv.iterdir()}

    before = digest()
    main(["prepare", "--raw", str(portfolio_csv), "--processed", str(tmp_path / "out")])
    validate(portfolio_csv)
    assert digest() == before
    assert sorted(p.name for p in portfolio_csv.iterdir()) == sorted(before)


def test_cli_exit_code_and_no_traceback(portfolio_csv, capsys):
    rewrite(portfolio_csv, "partnerships", lambda r: r[1].__setitem__(10, "lots"))
    code = main(["validate", str(portfolio_csv)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    assert "partnerships.csv, row 3, column council_cash_gbp" in out
    assert "'lots' is not an amount in pounds" in out


def test_cli_missing_folder_is_a_clear_error(tmp_path, capsys):
    code = main(["validate", str(tmp_path / "nowhere")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "input folder not found" in err and "Traceback" not in err


def test_prepare_writes_typed_tables(portfolio_csv, tmp_path):
    out = tmp_path / "processed"
    assert main(["prepare", "--raw", str(portfolio_csv), "--processed", str(out)]) == 0
    from evalkit.inputs.dataset import load_tables

    tables = load_tables(out)
    parts = tables["partnerships"].set_index("partnership_id")
    assert parts.loc["csp", "council_cash_gbp"] == 120000.0
    assert str(tables["risks"]["likelihood"].dtype) == "Int64"
    assert (out / "validation-report.json").exists()


def test_prepare_writes_nothing_when_invalid(portfolio_csv, tmp_path):
    rewrite(portfolio_csv, "partnerships", lambda r: r[1].__setitem__(0, "csp"))
    out = tmp_path / "processed"
    assert main(["prepare", "--raw", str(portfolio_csv), "--processed", str(out)]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["validation-report.json"]


def test_sample_copy_with_three_mistakes(tmp_path, capsys):
    """The issue's acceptance case, on a copy of the bundled sample workbook."""

    from openpyxl import load_workbook

    raw = tmp_path / "raw"
    copy_sample_raw(raw)
    path = raw / "portfolio.xlsx"
    wb = load_workbook(path)
    ws = wb["partnerships"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=4, column=headers.index("Partnership ID") + 1, value="community-safety")
    ws.cell(row=5, column=headers.index("Legal form") + 1, value="memorandum of understandin")
    ws.cell(row=6, column=headers.index("Council cash (£)") + 1, value="about £90k")
    wb.save(path)
    code = main(["validate", str(raw)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    assert (
        "portfolio.xlsx, sheet 'partnerships', row 4, column Partnership ID: duplicate "
        "partnership_id 'community-safety'" in out
    )
    assert "row 5, column Legal form: 'memorandum of understandin' is not an allowed" in out
    assert "Did you mean 'memorandum of understanding'?" in out
    assert "row 6, column Council cash (£): 'about £90k' is not an amount in pounds" in out


def test_a_problem_is_one_line_whatever_its_value_holds():
    from evalkit.inputs.validate import Problem, ValidationReport

    problem = Problem(
        "bad-value",
        "error",
        "'x\x1b[31m\ny' is not an amount in pounds",
        file="odd\nname.csv",
        row=3,
        column="council_cash_gbp",
    )
    assert str(problem) == (
        "ERROR odd\\nname.csv, row 3, column council_cash_gbp: "
        "'x\\x1b[31m\\ny' is not an amount in pounds [bad-value]"
    )
    report = ValidationReport("raw\x1b]0;title\x07", [problem, problem])
    assert report.summary().splitlines() == [
        "ERROR 2 rows of input, column council_cash_gbp: "
        "'x\\x1b[31m\\ny' is not an amount in pounds [bad-value]",
        "    first: odd\\nname.csv, row 3, column council_cash_gbp; "
        "odd\\nname.csv, row 3, column council_cash_gbp",
        "raw\\x1b]0;title\\x07: INVALID — 2 error(s), 0 warning(s)",
    ]
    assert report.problems[0].message == "'x\x1b[31m\ny' is not an amount in pounds"  # data kept


def test_unreadable_files_are_problems_beside_the_bad_values(portfolio_csv):
    rewrite(portfolio_csv, "partnerships", lambda r: r[1].__setitem__(10, "lots"))
    (portfolio_csv / "risks.csv").unlink()
    (portfolio_csv / "risks.csv").mkdir()
    (portfolio_csv / "old.xls").write_bytes(b"")
    report = validate(portfolio_csv).report
    assert [(p.code, p.file) for p in report.errors] == [
        ("legacy-workbook", "old.xls"),
        ("bad-value", "partnerships.csv"),
        ("not-a-file", "risks.csv"),
    ]
