"""Column headings from the data contract (input tables) and the score-table labels."""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.report.labels import label, labelled


@pytest.mark.parametrize(
    ("table", "column", "heading"),
    [
        ("partnerships", "council_role", "Council's role"),  # a label in the contract
        ("partnerships", "name", "Partnership"),
        ("partnerships", "total_budget_gbp", "Whole budget (£)"),
        ("partnerships", "lead_officer", "Lead officer"),  # no label: the name in words
        ("partnerships", "next_review_due", "Next review due"),
        ("organisations", "name", "Organisation"),
        ("dimension_scores", "diverged", "Partners disagree"),  # a score table's own label
        ("findings", "severity", "Priority"),
        ("vfm_inputs", "cash_gbp", "Cash (£)"),  # taken from finance, the table it carries
        ("vfm_inputs", "officer_time_gbp", "Officer time (£)"),
        ("risks", "description", "Risk"),  # the input table's label
        ("risks", "score", "Score"),  # the score table's own column
        ("no_such_table", "officer_days_per_year", "Officer days per year"),
        ("partnerships", "not_in_the_contract_gbp", "Not in the contract (£)"),
    ],
)
def test_label(table, column, heading):
    assert label(table, column) == heading


def _register() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": ["a"],
            "name": ["Alpha"],
            "council_role": ["member"],
            "next_review_due": ["2025-01-01"],
        }
    )


def test_labelled_picks_columns_in_the_order_asked_and_heads_them():
    frame = _register()
    out = labelled(frame, "partnerships", ["council_role", "name"])
    assert list(out.columns) == ["Council's role", "Partnership"]
    assert out.iloc[0].tolist() == ["member", "Alpha"]
    assert list(frame.columns) == ["partnership_id", "name", "council_role", "next_review_due"]


def test_labelled_overrides_a_heading_in_context_only():
    out = labelled(
        _register(), "partnerships", ["name", "next_review_due"], {"next_review_due": "Due"}
    )
    assert list(out.columns) == ["Partnership", "Due"]


def test_labelled_needs_every_column_asked_for():
    with pytest.raises(KeyError):
        labelled(_register(), "partnerships", ["name", "tier"])
