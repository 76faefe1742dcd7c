"""The bundled sample's three rounds and last round's actions, worked by hand.

tools/make_sample_data.py: in 2022-23 three partnerships were assessed (community
safety, the Integrated Care Board, the City Deal), each by three council staff and two
people from every other organisation answering. Community safety's partners then were
the police, fire, probation, the ICB, Westdale and the Schools Forum (Eastvale joined
later; the Schools Forum left): 6 x 2 = 12 people; the ICB's were the ICB, the hospitals
and the CVS (3 x 2 = 6); the City Deal's the Business Board, Westdale, Eastvale and the
university (4 x 2 = 8). With the council's 3 x 3 = 9, that is 35 people from 12
organisations. Each of the three rated every item of the checklist frameworks (101
items: 23 + 16 + 13 + 14 + 35), 303 ratings.

tools/sample_returns.py: the 2024-25 returns of the City Deal, the ICB and the VCSE
agreement give the status of their 2023-24 actions. 2023-24 ended on 31 March 2024, so
its medium-priority actions were due on 30 September 2024 and its low ones on 31 March
2025. Only the City Deal's exit arrangements (medium) are reported "in progress"; every
other medium action is done or dropped, so that one action alone is overdue at 31 March
2025.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from bs4 import BeautifulSoup

from evalkit.cli import main
from evalkit.method.results import ScoredFolder
from evalkit.report.pack import change, load_pack
from evalkit.spreadsheet import read_csv_frame

THREE = ("community-safety", "integrated-care-board", "city-deal-lep")


def test_the_sample_has_three_rounds_with_their_own_people(sample_scored, capsys):
    raw, processed = sample_scored["raw"], sample_scored["processed"]
    capsys.readouterr()
    assert main(["rounds", "--raw", str(raw), "--processed", str(processed), "--json"]) == 0
    rounds = json.loads(capsys.readouterr().out)
    assert [r["round"] for r in rounds] == ["2022-23", "2023-24", "2024-25"]
    assert rounds[0] == {
        "round": "2022-23",
        "partnerships": 3,
        "organisations": 12,
        "respondents": 35,
        "checklist_ratings": 303,
        "returns_received": 0,
        "register_snapshot": False,  # the sample's one snapshot is 2023-24's
    }
    assert rounds[1]["register_snapshot"] is True
    responses = pd.read_csv(processed / "responses.csv", dtype=str)
    earliest = responses[responses["round"] == "2022-23"]
    assert sorted(earliest["partnership_id"].unique()) == sorted(THREE)
    csp = responses[responses["partnership_id"] == "community-safety"]
    orgs = csp.groupby("round")["organisation_id"].apply(set)
    assert orgs["2023-24"] - orgs["2022-23"] == {"eastvale-bc"}  # joined
    assert orgs["2022-23"] - orgs["2023-24"] == {"northshire-schools"}  # left
    assert orgs["2023-24"] == orgs["2024-25"]


def test_the_joiner_and_the_leaver_are_counted_in_the_change(sample_scored):
    """Community safety, 2022-23 to 2023-24: Eastvale's two people joined and the
    Schools Forum's two left; no one else is counted as joining or leaving."""
    changes = ScoredFolder.open(sample_scored["processed"]).scores("community-safety")["changes"]
    survey = changes[(changes["round"] == "2023-24") & (changes["mode"] == "survey")]
    assert not survey.empty
    assert set(survey["previous_round"]) == {"2022-23"}
    assert set(survey["joined"].astype(int)) == {2}
    assert set(survey["left"].astype(int)) == {2}


def _trend_alts(sample_scored: dict[str, Any], pid: str) -> list[str]:
    pack = load_pack(pid, "2024-25", sample_scored["processed"])
    soup = BeautifulSoup(change.html(pack), "html.parser")
    return [str(img["alt"]) for img in soup.find_all("img")]


def test_a_three_round_pack_draws_a_trend_chart_per_framework(sample_scored):
    alts = _trend_alts(sample_scored, "community-safety")
    # every framework was scored in all three rounds: two surveys, five checklists
    assert len(alts) == 7
    nuffield = next(a for a in alts if a.startswith("Nuffield"))
    assert nuffield.startswith(
        "Nuffield PAT: score by principle, 2022-23 to 2024-25: "
        "6 dimensions scored on a 1 to 4 scale in 2022-23, 2023-24, 2024-25, in that order:"
    )
    for alt in alts:
        assert ", 2022-23 to 2024-25: " in alt
        assert " in 2022-23, 2023-24, 2024-25, in that order: " in alt


def test_the_trend_charts_are_on_screen_and_print_says_where(sample_scored):
    pack = load_pack("community-safety", "2024-25", sample_scored["processed"])
    soup = BeautifulSoup(change.html(pack), "html.parser")
    assert all(img.find_parent("div", class_="screen-only") for img in soup.find_all("img"))
    (printed,) = soup.find_all("div", class_="print-only")
    assert printed.p.get_text() == (
        "The web version names each reliable change with both scores and their bases and "
        "draws each framework's scores round by round; the downloads hold both rounds."
    )


def _progress_soup(sample_scored: dict[str, Any], pid: str) -> BeautifulSoup:
    from evalkit.report.pack import findings

    pack = load_pack(pid, "2024-25", sample_scored["processed"])
    return BeautifulSoup(findings.progress_html(pack), "html.parser")


def test_print_follows_last_rounds_actions_still_open(sample_scored):
    soup = _progress_soup(sample_scored, "city-deal-lep")
    # the City Deal's return, 14 actions: medium 4 done and 1 overdue; low 5 in progress,
    # 3 not started and 1 done. Print keeps the overdue one only.
    rows = soup.find("table").tbody.find_all("tr")
    printed = [r for r in rows if "screen-only" not in (r.get("class") or [])]
    assert (len(rows), len(printed)) == (14, 1)
    assert printed[0].find_all("td")[-1].get_text() == "overdue"
    assert soup.find("p", class_="print-only").get_text() == (
        "This printed list shows the 1 action not yet done that is high or medium priority "
        "or overdue; the other 13 (done, dropped or low priority) are on the web page and in "
        "the downloads."
    )


def test_print_leaves_out_the_actions_when_none_is_open_and_serious(sample_scored):
    soup = _progress_soup(sample_scored, "vcse-agreement")
    # the VCSE return, 18 actions: medium 8 done and 2 dropped; low 5 not started,
    # 2 in progress and 1 done: nothing open at medium or high, nothing overdue
    assert soup.find("table").find_parent("div", class_="screen-only") is not None
    assert soup.find("p", class_="print-only").get_text() == (
        "None of them is still open at high or medium priority or overdue; the list is on "
        "the web page and in the downloads."
    )


def test_a_two_round_pack_draws_no_trend_chart(sample_scored):
    assert _trend_alts(sample_scored, "vcse-agreement") == []


def test_last_rounds_actions_have_the_statuses_the_officers_gave(sample_scored):
    scores = sample_scored["processed"] / "scores"
    progress = read_csv_frame(scores / "action_progress.csv", dtype=str, keep_default_na=False)
    progress = progress[progress["round"] == "2024-25"]
    counts = progress.groupby(["partnership_id", "status"]).size().to_dict()
    assert counts == {
        ("city-deal-lep", "done"): 5,
        ("city-deal-lep", "in progress"): 5,
        ("city-deal-lep", "not started"): 3,
        ("city-deal-lep", "overdue"): 1,
        ("integrated-care-board", "done"): 6,
        ("integrated-care-board", "in progress"): 3,
        ("vcse-agreement", "done"): 9,
        ("vcse-agreement", "dropped"): 2,
        ("vcse-agreement", "in progress"): 2,
        ("vcse-agreement", "not started"): 5,
    }
    (late,) = progress[progress["status"] == "overdue"].itertuples(index=False)
    assert (late.finding, late.due_date, late.reported) == (
        "no-exit-arrangements",
        "2024-09-30",
        "in progress",
    )


def test_the_overdue_action_gives_one_finding(sample_scored):
    findings = read_csv_frame(sample_scored["processed"] / "scores" / "findings.csv", dtype=str)
    overdue = findings[findings["code"] == "action-overdue"]
    assert list(zip(overdue["round"], overdue["partnership_id"], strict=True)) == [
        ("2024-25", "city-deal-lep")
    ]
    assert overdue["severity"].tolist() == ["medium"]
    assert overdue["message"].tolist() == [
        "1 action from 2023-24 is past the due date and not done, the earliest due by "
        "30 September 2024 (for no-exit-arrangements)."
    ]
