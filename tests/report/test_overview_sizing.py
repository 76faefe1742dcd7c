"""The overview at any size: the table rule, the membership matrix, grammar and length.

Portfolios are made by hand in each test (no files read), so that every expected number
can be checked with pencil and paper.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.method.framework import Framework
from evalkit.method.results import DatasetMeta, ScoringMeta
from evalkit.report.overview import (
    Overview,
    benchmark,
    comparison,
    findings,
    landscape,
    money,
    network,
    reviews,
    sizing,
    title,
)

SECTIONS = (
    title.title_html,
    landscape.landscape_html,
    network.network_html,
    money.money_html,
    reviews.reviews_html,
    comparison.comparison_html,
    benchmark.benchmark_html,
    findings.findings_html,
)


def portfolio(n: int, frameworks: dict[str, Framework]) -> Overview:
    """``n`` partnerships P001…, all in scope, each overdue, scored and with findings.

    Partnership i: cash £i×100, due for review i days before 01/01/2025, Nuffield P1
    score 1 + (i mod 4) × 0.5, and one high finding; the council sits on every
    partnership, the police on the odd-numbered ones.
    """
    ids = [f"p{i:03d}" for i in range(1, n + 1)]
    as_of = pd.Timestamp("2025-01-01")
    register = pd.DataFrame(
        {
            "partnership_id": ids,
            "name": [f"P{i:03d}" for i in range(1, n + 1)],
            "tier": "strategic",
            "lead_directorate": "Resources",
            "lead_officer": "An Officer",
            "in_scope": pd.array([True] * n, dtype="boolean"),
            "out_of_scope_reason": None,
            "legal_form": "MoU",
            "statutory_basis": "none",
            "council_role": "member",
            "incorporated": False,
            "council_cash_gbp": [i * 100.0 for i in range(1, n + 1)],
            "in_kind_gbp": 0.0,
            "officer_days_per_year": 0.0,
            "total_budget_gbp": None,
            "last_review": pd.NaT,
            "next_review_due": [as_of - pd.Timedelta(days=i) for i in range(1, n + 1)],
            "toolkit_used": pd.array([True] * n, dtype="boolean"),
        }
    )
    organisations = pd.DataFrame(
        {
            "organisation_id": ["council", "police"],
            "name": ["The Council", "The Police"],
            "sector": ["local authority", "police"],
        }
    )
    odd = ids[::2]
    memberships = pd.DataFrame(
        {"partnership_id": ids + odd, "organisation_id": ["council"] * n + ["police"] * len(odd)}
    )
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "partnership_id": ids,
            "framework_id": "nuffield-pat",
            "dimension_id": "P1",
            "score": [1 + (i % 4) * 0.5 for i in range(1, n + 1)],
            "score_pct": [(i % 4) * 50 / 3 for i in range(1, n + 1)],
            "diverged": pd.array([False] * n, dtype="boolean"),
        }
    )
    found = pd.DataFrame({"partnership_id": ids, "code": "no-review", "severity": "high"})
    return Overview(
        assessment_round="2024-25",
        tables={
            "partnerships": register,
            "organisations": organisations,
            "memberships": memberships,
        },
        scores={"dimension_scores": dims, "findings": found},
        frameworks=frameworks,
        dataset=DatasetMeta(title="Made up", invented=True, notice="Invented.", input_files={}),
        scoring=ScoringMeta("2024-25", "2025-01-01", False, 300.0, 3, {}, ()),
    )


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _rows(view: Overview) -> int:
    return len(_soup("".join(s(view) for s in SECTIONS)).find_all("tr"))


def test_a_short_table_is_shown_in_full():
    frame = pd.DataFrame({"Partnership": [f"P{i}" for i in range(1, 16)], "Days": range(15, 0, -1)})
    html = sizing.long_table_html(frame, caption="Late", sheet="S", first="most", last="least")
    assert [t.caption.get_text() for t in _soup(html).find_all("table")] == ["Late"]
    assert len(_soup(html).find_all("tr")) == 16  # header + 15


def test_a_long_table_shows_its_two_ends_and_names_the_sheet():
    frame = pd.DataFrame({"Partnership": [f"P{i}" for i in range(1, 26)], "Days": range(25, 0, -1)})
    html = sizing.long_table_html(
        frame, caption="Late", sheet="Reviews overdue", first="most late", last="least late"
    )
    soup = _soup(html)
    assert soup.p.get_text() == (
        "Late: 25 rows in all, too many to print. Below are the first 10 rows (most late) "
        "and the last 10 rows (least late); every row is in the workbook "
        "portfolio-data.xlsx, sheet 'Reviews overdue'."
    )
    first, last = soup.find_all("table")
    assert first.caption.get_text() == "Late: the first 10 (most late)"
    assert [r.th.get_text() for r in first.tbody("tr")] == [f"P{i}" for i in range(1, 11)]
    assert [r.th.get_text() for r in last.tbody("tr")] == [f"P{i}" for i in range(16, 26)]


def test_a_long_table_in_no_useful_order_is_only_named():
    frame = pd.DataFrame({"Partnership": [f"P{i}" for i in range(16)]})
    html = sizing.long_table_html(
        frame, caption="The register", sheet="Register", first="", last=""
    )
    assert not _soup(html).find_all("table")
    assert _soup(html).p.get_text() == (
        "The register: 16 rows, too many to print; every row is in the workbook "
        "portfolio-data.xlsx, sheet 'Register'."
    )


def test_the_matrix_puts_shared_organisations_and_the_partnerships_sharing_them_first(frameworks):
    view = portfolio(5, frameworks)
    links = network.memberships(view)
    per_org = network.per_organisation(view, links)
    # council on all 5, police on P001, P003, P005
    assert per_org.values.tolist() == [
        ["The Council", "local authority", 5],
        ["The Police", "police", 3],
    ]
    matrix = network.choose(links, per_org)
    assert matrix.organisations == ["The Council", "The Police"]
    assert matrix.partnerships == ["P001", "P003", "P005", "P002", "P004"]


def test_the_matrix_says_what_it_leaves_out(frameworks, monkeypatch):
    monkeypatch.setattr(network, "MATRIX_COLUMNS", 1)
    monkeypatch.setattr(network, "MATRIX_ROWS", 4)
    html = network.network_html(portfolio(5, frameworks))
    texts = [p.get_text() for p in _soup(html).find_all("p")]
    assert texts[0] == (
        "2 organisations take part; 2 of them sit on more than one partnership, which is "
        "where joining up governance could save effort."
    )
    assert texts[1].endswith(
        "It shows 1 of 2 organisations and 4 of 5 partnerships; 1 organisation and "
        "1 partnership are left out here. Every membership is in the workbook "
        "portfolio-data.xlsx, sheet 'Memberships'."
    )
    assert "Matrix of 4 partnerships (rows) and 1 organisation (columns)" in html


def test_counts_of_one_agree_with_their_verbs(frameworks):
    view = portfolio(1, frameworks)
    view.tables["memberships"] = view.tables["memberships"].head(1)  # the council only
    text = " ".join(p.get_text(" ") for p in _soup("".join(s(view) for s in SECTIONS))("p"))
    assert "1 organisation takes part; 0 of them sit on more than one partnership" in text
    assert "1 in-scope partnership is overdue for review" in text
    assert "1 partnership has Nuffield PAT" not in text  # a grid is drawn instead
    bad = re.findall(r"\b1 [a-z-]+s (?:are|have|sit|take)\b|\b1 (?:are|have)\b", text)
    assert bad == []


@pytest.mark.parametrize("small, large", [(40, 120)])
def test_the_printed_overview_does_not_grow_with_the_portfolio(frameworks, small, large):
    rows_small = _rows(portfolio(small, frameworks))
    assert rows_small == _rows(portfolio(large, frameworks))
    figures_large = _soup("".join(s(portfolio(large, frameworks)) for s in SECTIONS))("figure")
    # legal form, matrix, money: no grid above 20 partnerships
    assert len(figures_large) == 3


def test_money_charts_the_ten_partnerships_the_council_puts_most_into(frameworks):
    html = money.money_html(portfolio(20, frameworks))
    caption = _soup(html).figcaption.get_text()
    assert caption.startswith(
        "Council inputs per year by partnership: the 10 partnerships the council puts most into"
    )
    inputs = _soup(html).find_all("table")[0]
    # cash £i×100: P020 (£2,000) first
    assert inputs.tbody.tr.th.get_text() == "P020"
