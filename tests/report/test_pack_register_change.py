"""The pack's line on its own register entry, worked out by hand from register_changes."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from evalkit.report.pack import register_change

NAN = float("nan")
COLUMNS = [
    "partnership_id", "name", "what", "before", "after", "change_gbp", "change_percent",
    "round_before", "round_now",
]  # fmt: skip


def changes(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def test_a_changed_entry_gets_a_sentence_and_a_table(make_pack) -> None:
    pack = make_pack(
        scores={
            "register_changes": changes(
                (
                    "csp",
                    "CSP",
                    "council cash",
                    "2200000",
                    "2400000",
                    "200000",
                    9.1,
                    "2023-24",
                    "2024-25",
                ),
                (
                    "csp",
                    "CSP",
                    "review overdue",
                    "overdue",
                    "not overdue",
                    "",
                    NAN,
                    "2023-24",
                    "2024-25",
                ),
            )  # fmt: skip
        }
    )
    soup = BeautifulSoup(register_change.html(pack), "html.parser")
    assert soup.h3.get_text() == "Register entry changed since 2023-24"
    assert soup.p.get_text() == (
        "Since the register as it stood in 2023-24, 2 things changed in this entry: the "
        "council's cash and whether its review is overdue."
    )
    assert soup.caption.get_text() == "Register entry in 2023-24 and now"
    cells = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.find_all("tr")]
    assert cells == [
        ["Change", "Then (2023-24)", "Now (2024-25)", "Difference"],
        # 2,400,000 - 2,200,000 = 200,000; / 2,200,000 = 9.09% -> 9.1%
        ["Council cash per year", "£2,200,000", "£2,400,000", "£200,000 more (+9.1%)"],
        ["Review overdue", "overdue", "not overdue", ""],
    ]
    assert [d.slug for d in pack.downloads] == ["register-changes"]


def test_a_partnership_added_since_says_so(make_pack) -> None:
    pack = make_pack(
        scores={
            "register_changes": changes(
                ("csp", "CSP", "added", "", "in scope", "", NAN, "2023-24", "2024-25")
            )
        }
    )
    soup = BeautifulSoup(register_change.html(pack), "html.parser")
    assert soup.p.get_text() == f"{pack.name} was added to the register after 2023-24."
    assert [td.get_text() for td in soup.tbody.find_all(["th", "td"])] == [
        "Added to the register", "not in the register", "in scope", ""
    ]  # fmt: skip


def test_unchanged_no_snapshot_or_another_round_say_nothing(make_pack) -> None:
    assert register_change.html(make_pack()) == ""
    other_round = changes(("csp", "CSP", "tier", "a", "b", "", NAN, "2022-23", "2023-24"))
    assert register_change.html(make_pack(scores={"register_changes": other_round})) == ""
