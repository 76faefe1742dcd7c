"""Every normalisation rule, one readable case per row."""

import datetime as dt

import pandas as pd
import pytest

from evalkit.cli import main
from evalkit.inputs.contract import table
from evalkit.inputs.normalise import header_key, is_valid, normalise_column
from evalkit.inputs.validate import validate
from small_portfolio import HEADERS, ROWS, write_csv

P = table("partnerships")
ORGS_SPEC = table("organisations")
IND = table("indicators")
S = table("swot")

CASES = [
    # (id, spec, raw, expected)
    ("bool-Yes", P.column("in_scope"), "Yes", True),
    ("bool-y", P.column("in_scope"), " y ", True),
    ("bool-TRUE", P.column("in_scope"), "TRUE", True),
    ("bool-x", P.column("in_scope"), "x", True),
    ("bool-1", P.column("in_scope"), "1", True),
    ("bool-No", P.column("in_scope"), "No", False),
    ("bool-false", P.column("in_scope"), "false", False),
    ("bool-excel-true", P.column("in_scope"), True, True),
    ("bool-blank", P.column("in_scope"), "  ", None),
    ("bool-unreadable-kept", P.column("in_scope"), "maybe", "maybe"),
    ("date-uk", P.column("last_review"), "05/04/2023", pd.Timestamp(2023, 4, 5)),
    ("date-iso", P.column("last_review"), "2023-04-05", pd.Timestamp(2023, 4, 5)),
    ("date-excel-cell", P.column("last_review"), dt.datetime(2023, 4, 5), pd.Timestamp(2023, 4, 5)),
    ("date-two-digit-year", P.column("last_review"), "05/04/23", pd.Timestamp(2023, 4, 5)),
    ("date-long", P.column("last_review"), "5 April 2023", pd.Timestamp(2023, 4, 5)),
    ("date-impossible-kept", P.column("last_review"), "31/02/2023", "31/02/2023"),
    ("money-pound-commas", P.column("council_cash_gbp"), "£1,250,000", 1250000.0),
    ("money-spaces", P.column("council_cash_gbp"), " £ 2 500 ", 2500.0),
    ("money-excel-number", P.column("council_cash_gbp"), 1250.5, 1250.5),
    ("money-brackets-negative", P.column("council_cash_gbp"), "(500)", -500.0),
    ("money-text-kept", P.column("council_cash_gbp"), "TBC", "TBC"),
    ("enum-case-and-space", P.column("tier"), "  Strategic ", "strategic"),
    ("enum-alias-mou", P.column("legal_form"), "MoU", "memorandum of understanding"),
    (
        "enum-alias-s75",
        P.column("legal_form"),
        "Section 75 agreement",
        "s75 NHS Act 2006 agreement",
    ),
    ("enum-canonical-case", ORGS_SPEC.column("sector"), "vcse", "VCSE"),
    ("enum-unknown-kept", P.column("legal_form"), "joint committe", "joint committe"),
    ("direction-alias", IND.column("good_direction"), "Lower is better", "down"),
    ("swot-plural", S.column("category"), "Threats", "threat"),
    ("slug-lowered", P.column("partnership_id"), " CSP ", "csp"),
    ("slug-bad-kept", P.column("partnership_id"), "Community Safety", "Community Safety"),
    ("slug-64-lowered", P.column("partnership_id"), "X" * 64, "x" * 64),
    ("slug-65-kept", P.column("partnership_id"), "X" * 65, "X" * 65),
    ("slug-reserved-kept", P.column("partnership_id"), " CON ", "CON"),
    ("text-collapses-spaces", P.column("name"), "  Armed   Forces Hub ", "Armed Forces Hub"),
    ("integer-from-float", table("risks").column("likelihood"), 3.0, 3),
    ("integer-fraction-kept", table("risks").column("likelihood"), "3.5", 3.5),
    ("list-trimmed", P.column("corporate_priorities"), " a ;b;; c ", "a; b; c"),
]


@pytest.mark.parametrize(
    ("spec", "raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_normalise(spec, raw, expected):
    result = normalise_column(pd.Series([raw], dtype=object), spec).iloc[0]
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Partnership ID", "partnershipid"),
        ("PartnershipID", "partnershipid"),
        ("Partnership-ID", "partnershipid"),
        ("partnership_id", "partnershipid"),
        ("Council cash (£)", "councilcashgbp"),
        ("  in-scope ", "inscope"),
        ("Officer days per year", "officerdaysperyear"),
    ],
)
def test_header_key(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize(
    ("value", "valid"),
    [("x" * 64, True), ("x" * 65, False), ("con", False), ("lpt3", False), ("console", True)],
)
def test_an_id_is_valid_only_as_a_safe_file_name(value, valid):
    assert is_valid(value, P.column("partnership_id")) is valid


# A partnership id no file system could take, put in the second data row (file row 3).
UNSAFE_IDS = [
    ("too-long", "a" * 300, "it is 300 characters long; an id has at most 64"),
    ("reserved", "con", "Windows reserves this name for a device"),
    ("reserved-upper", "NUL", "Windows reserves this name for a device"),
]


@pytest.mark.parametrize(
    ("value", "reason"), [u[1:] for u in UNSAFE_IDS], ids=[u[0] for u in UNSAFE_IDS]
)
def test_validate_locates_an_id_unsafe_as_a_name(portfolio_csv, value, reason):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[1][0] = value
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows)
    problems = [
        p
        for p in validate(portfolio_csv).report.errors
        if (p.code, p.column) == ("bad-value", "partnership_id")
    ]
    assert [(p.file, p.sheet, p.row, p.value) for p in problems] == [
        ("partnerships.csv", None, 3, value)
    ]
    assert f"is not a usable partnership_id: {reason}" in problems[0].message
    assert "at most 64 characters" in problems[0].expected
    assert "not a name Windows reserves" in problems[0].expected


def test_evalkit_validate_reports_a_reserved_id_on_one_line(portfolio_csv, capsys):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[1][0] = "con"
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows)
    assert main(["validate", str(portfolio_csv)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    line = next(li for li in out.splitlines() if "is not a usable partnership_id" in li)
    assert "partnerships.csv, row 3, column partnership_id" in line
    assert "'con' is not a usable partnership_id: Windows reserves this name" in line
