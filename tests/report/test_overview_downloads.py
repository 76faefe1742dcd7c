"""The portfolio's workbook of scores, findings and actions, from a portfolio made by hand."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from evalkit.method.results import DatasetMeta, ScoringMeta
from evalkit.report.overview import Overview, downloads

NOTICE = "Made up for a test."


def portfolio(notice: str | None = NOTICE) -> Overview:
    """Two partnerships, three findings (one with formula text), two actions."""
    register = pd.DataFrame(
        {
            "partnership_id": ["a", "b"],
            "name": ["Alpha Trust", "Beta Board"],
            "in_scope": True,
            "tier": ["strategic", "operational"],
            "legal_form": ["MoU", "joint committee"],
            "incorporated": False,
            "statutory_basis": ["none", "Care Act 2014 s6"],
            "council_role": ["member", "lead partner"],
            "lead_officer": ["A. Officer", "B. Officer"],
            "out_of_scope_reason": None,
            "council_cash_gbp": [100.0, 5000.0],
            "in_kind_gbp": [None, 0.0],
            "officer_days_per_year": [10.0, None],
            "total_budget_gbp": None,
            "last_review": pd.to_datetime(["2023-01-01", None]),
            "next_review_due": pd.to_datetime(["2024-01-01", None]),
        }
    )
    organisations = pd.DataFrame(
        {
            "organisation_id": ["council", "nhs"],
            "name": ["The Council", "The NHS"],
            "sector": ["local authority", "health"],
        }
    )
    memberships = pd.DataFrame(
        {"partnership_id": ["a", "b", "b"], "organisation_id": ["council", "council", "nhs"]}
    )
    findings = pd.DataFrame(
        {
            "round": ["2024-25"] * 3,
            "partnership_id": ["b", "a", "a"],
            "code": ["no-review", "no-exit", "no-review"],
            "severity": ["high", "low", "high"],
            "message": ["Never reviewed.", '=HYPERLINK("http://x","y")', "Never reviewed."],
        }
    )
    actions = pd.DataFrame(
        {
            "round": ["2024-25"] * 2,
            "partnership_id": ["a", "b"],
            "priority": ["high", "low"],
            "action": ["Review it", "@SUM(1)"],
            "finding": ["no-review", "no-exit"],
            "owner": ["Head of service", None],
            "timescale": ["3 months", "at the next review"],
        }
    )
    return Overview(
        assessment_round="2024-25",
        tables={
            "partnerships": register,
            "organisations": organisations,
            "memberships": memberships,
        },
        scores={"findings": findings, "actions": actions},
        frameworks={},
        dataset=DatasetMeta(
            title="Test", invented=notice is not None, notice=notice, input_files={}
        ),
        scoring=ScoringMeta(
            assessment_round="2024-25",
            as_of="2025-03-31",
            lower_on_disagreement=False,
            officer_day_rate_gbp=300.0,
            min_cell_size=3,
            framework_editions={},
            framework_dirs=(),
        ),
    )


def rows(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_every_score_table_findings_and_actions_first(tmp_path):
    path = downloads.write(portfolio(), tmp_path)
    assert path == tmp_path / "portfolio-data.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == [
        "Contents",
        "Findings",
        "Actions",
        "Framework totals",
        "Dimension scores",
        "Organisation scores",
        "Sector scores",
        "Inputs",
        "Council and partners",
        "Indicators and unit costs",
        "Unit cost trend",
        "Equity",
        "Risks",
        "Register",
        "Organisations",
        "Memberships",
        "Council inputs",
        "Reviews overdue",
        "Benchmarking",
        "Findings by partnership",
    ]
    contents = rows(book["Contents"])
    assert contents[0][0] == NOTICE
    assert contents[1] == ["Sheet", "What it holds", "Rows"]
    assert contents[2] == ["Findings", "Findings the rules made, one row a finding", 3]
    assert contents[3][::2] == ["Actions", 2]
    assert contents[4][::2] == ["Framework totals", 0]


def test_findings_and_actions_keep_their_order_with_names_and_priorities_in_words(tmp_path):
    book = load_workbook(downloads.write(portfolio(), tmp_path))
    findings = rows(book["Findings"])
    assert findings[0][0] == NOTICE  # the notice is every sheet's first row
    assert findings[1:] == [
        ["Round", "Partnership id", "Partnership", "Code", "Priority", "Finding"],
        ["2024-25", "b", "Beta Board", "no-review", "High", "Never reviewed."],
        ["2024-25", "a", "Alpha Trust", "no-exit", "Low", '\'=HYPERLINK("http://x","y")'],
        ["2024-25", "a", "Alpha Trust", "no-review", "High", "Never reviewed."],
    ]
    actions = rows(book["Actions"])
    assert actions[1] == [
        "Round", "Partnership id", "Partnership", "Priority", "Action", "Findings answered",
        "Owner", "Timescale",
    ]  # fmt: skip
    assert actions[3] == ["2024-25", "b", "Beta Board", "Low", "'@SUM(1)", "no-exit", None,
                          "at the next review"]  # fmt: skip
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_real_data_has_no_notice_row(tmp_path):
    book = load_workbook(downloads.write(portfolio(notice=None), tmp_path))
    assert rows(book["Findings"])[0][:3] == ["Round", "Partnership id", "Partnership"]


def test_the_overview_links_the_workbook():
    page = downloads.html(portfolio())
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h2.get_text() == "Data behind this overview"
    assert [a["href"] for a in soup.find_all("a")] == ["portfolio-data.xlsx"]
    assert "2024-25 round" in soup.p.get_text()
    assert "notice that the data is invented" in soup.p.get_text()


def test_the_overviews_long_tables_are_in_the_workbook_in_full(tmp_path):
    book = load_workbook(downloads.write(portfolio(), tmp_path))
    contents = {row[0]: row[2] for row in rows(book["Contents"])[2:]}
    # 2 partnerships, 2 organisations, 3 memberships; only Alpha is overdue (due 01/01/2024)
    assert [contents[s] for s in ("Register", "Organisations", "Memberships")] == [2, 2, 3]
    assert contents["Reviews overdue"] == 1
    assert rows(book["Organisations"])[1:] == [
        ["Organisation", "Sector", "Partnerships"],
        ["The Council", "local authority", 2],
        ["The NHS", "health", 1],
    ]
    assert rows(book["Memberships"])[2:] == [
        ["Alpha Trust", "The Council"],
        ["Beta Board", "The Council"],
        ["Beta Board", "The NHS"],
    ]
    # Beta: £5,000 cash; Alpha: £100 cash + 10 days at £300 = £3,100; most first
    inputs = rows(book["Council inputs"])
    assert [r[0] for r in inputs[2:]] == ["Beta Board", "Alpha Trust"]
    assert inputs[3][4] == 3000  # Alpha's officer time in pounds
    # both have one high finding; Alpha has a low one too, so it comes first
    by_part = rows(book["Findings by partnership"])
    assert by_part[1] == ["Partnership", "High", "Medium", "Low", "For information"]
    assert by_part[2:] == [["Alpha Trust", 1, 0, 1, 0], ["Beta Board", 1, 0, 0, 0]]
