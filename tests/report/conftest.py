"""Fixtures for the report tests: a hand-built evidence pack, no files read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from evalkit.method.framework import Framework
from evalkit.method.results import SCORE_FILES, DatasetMeta, ScoredFolder, ScoringMeta
from evalkit.report.pack import Pack

PACK_NOTICE = "INVENTED DATA — a made-up partnership for tests"

#: A register entry with every column a pack reads.
REGISTER = {
    "partnership_id": "csp",
    "name": "Safer Northshire & Co",
    "lead_directorate": "Resources",
    "lead_officer": "A. Officer",
    "lead_member": None,
    "tier": "strategic",
    "in_scope": True,
    "legal_form": "joint committee",
    "statutory_basis": "Crime and Disorder Act 1998 s5",
    "accountable_body": None,
    "council_role": "member",
    "council_cash_gbp": 185000.0,
    "in_kind_gbp": 12000.0,
    "officer_days_per_year": 140.0,
    "total_budget_gbp": None,
    "governing_document": True,
    "governing_document_date": pd.Timestamp("2019-06-01"),
    "exit_arrangements": False,
    "last_review": None,
    "next_review_due": pd.Timestamp("2024-03-15"),
    "toolkit_used": None,
    "risk_rating": "high",
    "objectives": "Reduce reoffending",
    "corporate_priorities": None,
    "reporting_route": None,
    "incorporated": False,
}


@pytest.fixture
def make_pack(frameworks: dict[str, Framework]):
    """Build a :class:`Pack` from frames given by hand; unset score tables are empty.

    The pack has the shipped frameworks (the ``frameworks`` fixture of tests/conftest.py).
    """

    def make(
        *,
        scores: dict[str, pd.DataFrame] | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
        register: dict[str, Any] | None = None,
        notice: str | None = PACK_NOTICE,
        input_files: dict[str, str] | None = None,
        **scoring: Any,
    ) -> Pack:
        dataset = DatasetMeta(
            title="Test portfolio",
            invented=notice is not None,
            notice=notice,
            input_files=input_files or {},
        )
        options = {
            "assessment_round": "2024-25",
            "as_of": "2025-03-31",
            "lower_on_disagreement": False,
            "officer_day_rate_gbp": 350.0,
            "min_cell_size": 3,
            "framework_editions": {},
            "framework_dirs": (),
            **scoring,
        }
        empty = {
            "organisations": pd.DataFrame(columns=["organisation_id", "name", "sector"]),
            "memberships": pd.DataFrame(columns=["organisation_id", "role", "voting"]),
            "swot": pd.DataFrame(columns=["category", "text"]),
        }
        return Pack(
            partnership_id="csp",
            assessment_round=options["assessment_round"],
            folder=ScoredFolder(Path("unused"), dataset, ScoringMeta(**options)),
            register=pd.Series({**REGISTER, **(register or {})}, dtype=object),
            tables={**empty, **(tables or {})},
            scores={name: pd.DataFrame() for name in SCORE_FILES} | (scores or {}),
            frameworks=frameworks,
        )

    return make


def _read_tables(fragment: str) -> dict[str, list[list[str]]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "html.parser")
    return {
        table.caption.get_text(): [
            [cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")
        ]
        for table in soup.find_all("table")
    }


@pytest.fixture
def read_tables():
    """HTML → {caption: rows of cell text}, the heading row first."""
    return _read_tables


@pytest.fixture
def on_screen():
    """A section's HTML and the appendix its detailed tables went to, as a screen shows them."""
    from evalkit.report.pack import appendix

    def page(pack: Pack, fragment: str) -> str:
        return fragment + appendix.html(pack)

    return page
