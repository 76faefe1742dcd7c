"""Evidence-pack sections built from the scored sample: what each table shows."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.report.pack import _action_plan, load_pack


def test_action_plan_lists_each_action_once_with_the_findings_it_answers():
    actions = pd.DataFrame(
        {
            "partnership_id": ["p"] * 5,
            "priority": ["high", "medium", "medium", "medium", "low"],
            "action": ["Fix R1.", "Record evidence.", "Record evidence.", "Discuss.", "Review."],
            "finding": [
                "high-risk",
                "evidence-missing",
                "evidence-missing",
                "partners-diverge",
                "target-missed",
            ],
            "owner": ["Ann", "Ann", "Ann", "Ann", None],
            "timescale": ["3 months", "6 months", "6 months", "6 months", "next review"],
        }
    )
    plan = _action_plan(actions)
    assert list(plan.columns) == ["Priority", "Action", "Findings answered", "Owner", "Timescale"]
    assert plan.values.tolist() == [
        ["High", "Fix R1.", "high-risk", "Ann", "3 months"],
        ["Medium", "Record evidence.", "evidence-missing ×2", "Ann", "6 months"],
        ["Medium", "Discuss.", "partners-diverge", "Ann", "6 months"],
        ["Low", "Review.", "target-missed", "", "next review"],
    ]


@pytest.fixture(scope="module")
def sector_table(sample_scored):
    pid = sample_scored["pack_id"]
    pack = load_pack(pid, "", sample_scored["processed"])
    scores = pd.read_csv(sample_scored["processed"] / "scores" / "sector_scores.csv")
    scores = scores[(scores["partnership_id"] == pid) & (scores["round"] == pack.assessment_round)]
    return BeautifulSoup(pack.sectors_html(), "html.parser"), scores


def test_sector_view_has_a_column_only_for_sectors_with_a_group_big_enough(sector_table):
    soup, scores = sector_table
    big_enough = sorted(set(scores.loc[~scores["suppressed"], "sector"]))
    never = sorted(set(scores["sector"]) - set(big_enough))
    header = [th.get_text() for th in soup.find("thead").find_all("th")]
    assert header[:2] == ["Framework", "Id"]
    assert sorted(header[2:]) == big_enough
    text = soup.find("p").get_text()
    assert f"{int(scores['suppressed'].sum())} of {len(scores)} groups are suppressed" in text
    if never:
        assert ", ".join(never) in text


def test_sector_view_values_match_the_scores_and_no_row_is_all_suppressed(sector_table):
    soup, scores = sector_table
    header = [th.get_text() for th in soup.find("thead").find_all("th")]
    rows = soup.find("tbody").find_all("tr")
    assert rows
    for row in rows:
        cells = [c.get_text() for c in row.find_all(["th", "td"])]
        dimension, values = cells[1], dict(zip(header[2:], cells[2:], strict=True))
        assert any(v != "suppressed" for v in values.values())
        for sector, shown in values.items():
            match = scores[(scores["dimension_id"] == dimension) & (scores["sector"] == sector)]
            if shown == "suppressed":
                assert match["suppressed"].any()
            elif shown != "no answers":
                assert shown in {f"{v:.2f}" for v in match["score"].dropna()}
