"""The pack's "Change since the last round": every sentence against figures worked by hand.

The two-round portfolio (tests/small_portfolio.py): csp's VicHealth ratings were
"Disagree" (2) on every statement in 2023-24, "Strongly disagree" (1) on domain V7; in
2024-25 "Agree" (4), "Strongly agree" (5) on V1. Five statements a domain.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.cli import main
from evalkit.method.change import CHANGE_COLUMNS
from evalkit.report.pack import change, load_pack
from small_portfolio import EARLY, LATE, _vichealth, write_two_rounds

DOMAINS = [
    "Determining the need for the partnership",
    "Choosing partners",
    "Making sure partnerships work",
    "Planning collaborative action",
    "Implementing collaborative action",
    "Minimising the barriers to partnerships",
    "Reflecting on and continuing the partnership",
]


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio with two rounds, prepared and scored."""
    base = tmp_path_factory.mktemp("change")
    raw = write_two_rounds(base / "raw")
    processed = base / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


def _paragraphs(fragment: str) -> list[str]:
    soup = BeautifulSoup(fragment, "html.parser")
    return [
        p.get_text()
        for p in soup.find_all(["p", "li"])
        if "appendix-ref" not in (p.get("class") or [])
        and p.find_parent("div", class_="print-only") is None  # the print table's note
    ]


def test_each_reliable_checklist_change_is_one_sentence_with_both_scores(two_rounds):
    pack = load_pack("csp", LATE, two_rounds)
    fragment = change.html(pack)
    soup = BeautifulSoup(fragment, "html.parser")
    assert soup.find("h2")["id"] == "change"
    assert [h.get_text() for h in soup.find_all("h3")] == [
        "VicHealth Partnerships Analysis Tool (checklist)"
    ]
    said = _paragraphs(fragment)
    assert said[0].startswith(f"Each framework's results in {LATE} against {EARLY}.")
    then = {d: 2.0 for d in DOMAINS} | {DOMAINS[6]: 1.0}
    now = {d: 4.0 for d in DOMAINS} | {DOMAINS[0]: 5.0}
    expected = [
        f"{d} improved from {then[d]:.2f} to {now[d]:.2f} (+{now[d] - then[d]:.2f}), "
        "with 5 statements rated in each round."
        for d in DOMAINS
    ]
    assert said[1] == "All 7 domains improved."  # the count, which print keeps
    assert said[2:] == expected
    # the first, worked out in full: 2 -> 5 is +3
    assert expected[0] == (
        "Determining the need for the partnership improved from 2.00 to 5.00 (+3.00), "
        "with 5 statements rated in each round."
    )


def test_a_first_round_has_nothing_to_compare(two_rounds):
    pack = load_pack("csp", EARLY, two_rounds)
    assert _paragraphs(change.html(pack)) == [
        "No framework was scored for this partnership both in this round and in an "
        "earlier one, so there is nothing to compare yet."
    ]


def test_both_rounds_are_in_the_appendix_table(two_rounds):
    pack = load_pack("csp", LATE, two_rounds)
    change.html(pack)
    detail = pack.appendix["change-since-last-round"]
    soup = BeautifulSoup(detail.html, "html.parser")
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.find_all("tr")]
    assert rows[0][:6] == ["Framework", "Dimension", "Score then", "n then", "Score now", "n now"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Dimension"], first["Score then"], first["Score now"]) == (
        DOMAINS[0],
        "2.00",
        "5.00",
    )
    assert (first["Change (same people)"], first["Call"]) == ("+3.00", "Improved")
    assert soup.find_all("th", scope="col")


def _row(**values: object) -> dict[str, object]:
    base = dict.fromkeys(CHANGE_COLUMNS, "")
    base.update(round=LATE, previous_round=EARLY, framework_id="nuffield-pat", mode="survey")
    base.update(values)
    return base


def test_a_survey_change_states_the_panel_and_both_rounds():
    # the hand-worked case of tests/method/test_change.py: six people, two organisations,
    # 2.25 -> 3.00 (+0.75); all answers 2.25 from 6 then, 2.875 from 7 now
    rows = pd.DataFrame(
        [
            _row(
                dimension_title="Recognise and accept the need for partnership",
                call="improved",
                panel_respondents=6,
                panel_organisations=2,
                panel_previous=2.25,
                panel_score=3.0,
                change=0.75,
                previous_score=2.25,
                previous_n=6,
                score=2.875,
                n=7,
            )
        ]
    )
    assert change.sentences(rows, "principle") == [
        "Recognise and accept the need for partnership improved from 2.25 to 3.00 (+0.75) "
        "among the 6 people from 2 organisations who answered in both rounds; all answers: "
        "2.25 from 6 respondents in 2023-24 and 2.88 from 7 in 2024-25."
    ]


def test_a_change_across_the_same_organisations_says_so():
    rows = pd.DataFrame(
        [
            _row(
                dimension_title="Recognise and accept the need for partnership",
                call="declined",
                pairing="same organisations",
                panel_respondents=6,
                panel_organisations=2,
                panel_previous=3.0,
                panel_score=2.25,
                change=-0.75,
                previous_score=3.0,
                previous_n=6,
                score=2.25,
                n=6,
            )
        ]
    )
    assert change.sentences(rows, "principle") == [
        "Recognise and accept the need for partnership declined from 3.00 to 2.25 (-0.75) "
        "across the 2 organisations that answered in both rounds (6 people or more each "
        "round); all answers: 3.00 from 6 respondents in 2023-24 and 2.25 from 6 in 2024-25."
    ]


def test_a_checklist_with_fewer_statements_rated_says_both_counts():
    rows = pd.DataFrame(
        [
            _row(
                dimension_title="Choosing partners",
                mode="checklist",
                call="declined",
                previous_score=4.0,
                score=3.0,
                change=-1.0,
                previous_n=5,
                n=4,
            )
        ]
    )
    assert change.sentences(rows, "domain") == [
        "Choosing partners declined from 4.00 to 3.00 (-1.00), with 5 statements rated in "
        "2023-24 and 4 in 2024-25."
    ]


def test_no_reliable_change_is_said_with_its_reason():
    small = "the change is smaller than 0.375 points and no band was crossed"
    unsafe = "too few people answered in both rounds to compare safely"
    rows = pd.DataFrame(
        [
            _row(dimension_title="A", call="no reliable change", reason=small),
            _row(dimension_title="B", call="no reliable change", reason=unsafe),
            _row(dimension_title="C", call="no reliable change", reason=small),
        ]
    )
    assert change.sentences(rows, "principle") == [
        f"No reliable change in A and C ({small}).",
        f"No reliable change in B ({unsafe}).",
    ]
    same = rows.assign(reason=small)
    assert change.sentences(same, "principle") == [
        f"No reliable change in any of its 3 principles ({small})."
    ]


def test_a_band_crossed_is_named():
    # Wilder's published bands: Concern below 3.0, Borderline from 3.0 to 3.99
    rows = pd.DataFrame(
        [
            _row(
                dimension_title="Mutual respect, understanding and trust",
                call="improved",
                pairing="same people",
                panel_respondents=4,
                panel_organisations=2,
                panel_previous=2.9,
                panel_score=3.1,
                change=0.2,
                previous_band="Concern",
                band="Borderline",
                previous_score=2.9,
                previous_n=4,
                score=3.1,
                n=4,
            )
        ]
    )
    assert change.sentences(rows, "factor") == [
        "Mutual respect, understanding and trust improved, from Concern to Borderline, from "
        "2.90 to 3.10 (+0.20) among the 4 people from 2 organisations who answered in both "
        "rounds; all answers: 2.90 from 4 respondents in 2023-24 and 3.10 from 4 in 2024-25."
    ]


THIRD = "2025-26"


@pytest.fixture(scope="module")
def three_rounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-round portfolio and a third round of VicHealth ratings: "Neutral" (3)
    everywhere, "Agree" (4) on V2."""
    base = tmp_path_factory.mktemp("three")
    raw = write_two_rounds(base / "raw")
    with (raw / "checklist.csv").open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(_vichealth(THIRD, "Neutral", "V2", "Agree"))
    processed = base / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


def test_a_trend_chart_appears_with_the_third_round(three_rounds):
    pack = load_pack("csp", THIRD, three_rounds)
    soup = BeautifulSoup(change.html(pack), "html.parser")
    (image,) = soup.find_all("img")
    then = {d: 2 for d in DOMAINS} | {DOMAINS[6]: 1}
    middle = {d: 4 for d in DOMAINS} | {DOMAINS[0]: 5}
    now = {d: 3 for d in DOMAINS} | {DOMAINS[1]: 4}
    rows = "; ".join(f"{d} {then[d]:.1f}, {middle[d]:.1f}, {now[d]:.1f}" for d in DOMAINS)
    assert image["alt"] == (
        f"VicHealth tool: score by domain, {EARLY} to {THIRD}: 7 dimensions scored on a 1 "
        f"to 5 scale in {EARLY}, {LATE}, {THIRD}, in that order: {rows}."
    )
    # and the changes are against 2024-25: V1 5 -> 3 declined, V2 4 -> 4 no change
    said = _paragraphs(str(soup))
    assert said[1] == "Of its 7 domains, 6 declined and 1 shows no reliable change."
    assert said[2] == (
        "Determining the need for the partnership declined from 5.00 to 3.00 (-2.00), "
        "with 5 statements rated in each round."
    )
    assert said[-1] == (
        "No reliable change in Choosing partners (the change is smaller than 0.5 points "
        "and no band was crossed)."
    )


def test_two_rounds_draw_no_trend_chart(three_rounds):
    pack = load_pack("csp", LATE, three_rounds)
    assert BeautifulSoup(change.html(pack), "html.parser").find("img") is None


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (["improved", "improved", "no reliable change"],
         "Of its 3 principles, 2 improved and 1 shows no reliable change."),
        (["declined", "improved", "no reliable change", "no reliable change"],
         "Of its 4 principles, 1 improved, 1 declined and 2 show no reliable change."),
        (["declined", "declined"], "All 2 principles declined."),
        (["no reliable change"] * 3, "No reliable change in any of its 3 principles."),
        (["improved"], "Its one principle improved."),
        (["no reliable change"], "No reliable change in its one principle."),
    ],
)  # fmt: skip
def test_each_framework_is_summed_up_in_one_sentence_that_print_keeps(calls, expected):
    assert change.summary(pd.DataFrame({"call": calls}), "principle") == expected


def test_the_sentence_per_dimension_is_on_screen_only(two_rounds):
    soup = BeautifulSoup(change.html(load_pack("csp", LATE, two_rounds)), "html.parser")
    (screen,) = soup.find_all("div", class_="screen-only")
    assert screen.h3.get_text() == "VicHealth Partnerships Analysis Tool (checklist)"
    details = screen.find("div", class_="change-details")
    assert len(details.find_all("li")) == 7  # the 7 reliable changes
    assert details.find_previous("p").get_text() == "All 7 domains improved."


def test_print_counts_each_frameworks_changes_in_one_table(two_rounds):
    """csp's 7 VicHealth domains all went from 2 (or 1) to 4 (or 5): 7 improved, by hand."""
    soup = BeautifulSoup(change.html(load_pack("csp", LATE, two_rounds)), "html.parser")
    (printed,) = soup.find_all("div", class_="print-only")
    table = printed.find("table")
    assert table.caption.get_text() == (
        "Areas of each framework compared with the last round, counted by change"
    )
    assert [th.get_text() for th in table.thead.find_all("th")] == change.PRINT_COLUMNS
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows == [["VicHealth tool", "7", "7", "0", "0"]]
    assert printed.p.get_text() == (
        "The web version names each reliable change with both scores and their bases; "
        "the downloads hold both rounds."
    )


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (["improved", "declined", "no reliable change", "no reliable change"], (4, 1, 1, 2)),
        (["no reliable change"] * 3, (3, 0, 0, 3)),
        (["declined", "declined"], (2, 0, 2, 0)),
    ],
)  # fmt: skip
def test_a_frameworks_changes_are_counted_once_each(calls, expected):
    c = change.counts(pd.DataFrame({"call": calls}))
    assert (c.compared, c.improved, c.declined, c.unchanged) == expected
