"""Register changes since the last round, worked out by hand from two small registers."""

from __future__ import annotations

import math

import pandas as pd

from evalkit.method.register_changes import (
    CHANGE_COLUMNS,
    RegisterChange,
    compare,
    overdue_count,
    register_changes,
)

NAN = float("nan")
COLUMNS = [
    "partnership_id",
    "name",
    "tier",
    "in_scope",
    "out_of_scope_reason",
    "legal_form",
    "council_cash_gbp",
    "in_kind_gbp",
    "total_budget_gbp",
    "next_review_due",
]


def register(rows: list[list[object]]) -> pd.DataFrame:
    """A typed register as validation leaves it (the columns compared)."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["in_scope"] = frame["in_scope"].astype("boolean")
    frame["next_review_due"] = pd.to_datetime(frame["next_review_due"])
    for column in ("council_cash_gbp", "in_kind_gbp", "total_budget_gbp"):
        frame[column] = frame[column].astype("float64")
    return frame


THEN = register(
    [
        [
            "a",
            "Alpha",
            "strategic",
            True,
            None,
            "joint committee",
            120000,
            10000,
            NAN,
            "2023-09-30",
        ],
        ["b", "Beta", "significant", False, "purely contractual", "contract", 0, NAN, NAN, None],
        ["c", "Gamma", "operational", True, None, "forum or network", 50000, NAN, NAN, None],
        ["e", "Epsilon", "operational", True, None, "other", 1000, NAN, NAN, "2024-01-31"],
    ]
)
NOW = register(
    [
        # tier, legal form and money changed; review overdue at 31/03/2024, not at 31/03/2025
        [
            "a",
            "Alpha",
            "significant",
            True,
            None,
            "company limited by guarantee",
            150000,
            8000,
            500000,
            "2025-09-30",
        ],
        # brought into scope; cash from nil
        ["b", "Beta", "significant", True, None, "contract", 5000, NAN, NAN, None],
        # added since
        ["d", "Delta", "strategic", True, None, "other", 0, NAN, NAN, None],
        # unchanged, its review overdue both times (31/01/2024 before both ends)
        ["e", "Epsilon", "operational", True, None, "other", 1000, NAN, NAN, "2024-01-31"],
    ]
)


def change(pid: str, name: str, what: str, before: str, after: str, gbp=None, percent=None):
    return RegisterChange(pid, name, what, before, after, gbp, percent, "2023-24", "2024-25")


def test_every_kind_of_change_worked_by_hand() -> None:
    got = compare(NOW, "2024-25", THEN, "2023-24")
    assert got == [
        change("a", "Alpha", "legal form", "joint committee", "company limited by guarantee"),
        change("a", "Alpha", "tier", "strategic", "significant"),
        # 150,000 - 120,000 = 30,000; 30,000 / 120,000 = 25.0%
        change("a", "Alpha", "council cash", "120000", "150000", 30000.0, 25.0),
        # 8,000 - 10,000 = -2,000; -2,000 / 10,000 = -20.0%
        change("a", "Alpha", "in kind", "10000", "8000", -2000.0, -20.0),
        # nothing recorded then: no difference or percentage can be given
        change("a", "Alpha", "whole budget", "", "500000"),
        # due 30/09/2023 < 31/03/2024 (overdue then); due 30/09/2025 > 31/03/2025 (not now)
        change("a", "Alpha", "review overdue", "overdue", "not overdue"),
        change("b", "Beta", "in scope", "out of scope: purely contractual", "in scope"),
        # from nil: £5,000 more, no percentage of nothing
        change("b", "Beta", "council cash", "0", "5000", 5000.0, None),
        change("d", "Delta", "added", "", "in scope"),
        change("c", "Gamma", "ended", "in scope", ""),
    ]


def test_an_unchanged_entry_says_nothing() -> None:
    got = compare(NOW, "2024-25", THEN, "2023-24")
    assert not [c for c in got if c.partnership_id == "e"]


def test_reviews_overdue_then_and_now() -> None:
    # then: a (30/09/2023) and e (31/01/2024) before 31/03/2024; b is out of scope
    assert overdue_count(THEN, "2023-24") == 2
    # now: only e (31/01/2024) before 31/03/2025
    assert overdue_count(NOW, "2024-25") == 1


def test_the_latest_snapshot_before_the_round_is_compared() -> None:
    older = THEN.assign(tier="operational")
    frame = register_changes(NOW, "2024-25", {"2022-23": older, "2023-24": THEN, "2024-25": NOW})
    assert list(frame.columns) == list(CHANGE_COLUMNS)
    assert set(frame["round_before"]) == {"2023-24"}
    assert len(frame) == 10
    cash = frame[(frame["partnership_id"] == "a") & (frame["what"] == "council cash")].iloc[0]
    assert (cash["change_gbp"], cash["change_percent"]) == ("30000", 25.0)
    budget = frame[frame["what"] == "whole budget"].iloc[0]
    assert budget["change_gbp"] == "" and math.isnan(budget["change_percent"])


def test_a_large_change_in_pounds_is_kept_exactly() -> None:
    then = THEN.assign(total_budget_gbp=38000000.0)
    now = NOW.assign(total_budget_gbp=39234567.0)
    frame = register_changes(now, "2024-25", {"2023-24": then})
    budget = frame[(frame["partnership_id"] == "a") & (frame["what"] == "whole budget")].iloc[0]
    # 39,234,567 - 38,000,000 = 1,234,567; / 38,000,000 = 3.2488...% -> 3.2
    assert (budget["change_gbp"], budget["change_percent"]) == ("1234567", 3.2)


def test_no_snapshot_no_rows_and_no_error() -> None:
    assert register_changes(NOW, "2024-25", {}).empty
    # a snapshot of the round itself, or a later one, is not an earlier register
    assert register_changes(NOW, "2024-25", {"2024-25": THEN, "2025-26": THEN}).empty
