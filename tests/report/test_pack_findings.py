"""The findings section and its action plan."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from evalkit.report.pack import findings


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
            "due_date": ["2025-06-30", "2025-09-30", "2025-09-30", "2025-09-30", "2026-03-31"],
        }
    )
    plan = findings.action_plan(actions)
    assert list(plan.columns) == ["Priority", "Action", "Findings answered", "Owner", "Due by"]
    assert plan.values.tolist() == [
        ["High", "Fix R1.", "high-risk", "Ann", "30 June 2025"],
        ["Medium", "Record evidence.", "evidence-missing ×2", "Ann", "30 September 2025"],
        ["Medium", "Discuss.", "partners-diverge", "Ann", "30 September 2025"],
        ["Low", "Review.", "target-missed", "", "31 March 2026"],
    ]


def test_an_action_without_a_due_date_shows_its_timescale():
    actions = pd.DataFrame(
        {
            "priority": ["low"],
            "action": ["Review."],
            "finding": ["target-missed"],
            "owner": ["Ann"],
            "timescale": ["at the next review"],
        }
    )  # scores written before due dates were worked out
    assert findings.action_plan(actions).values.tolist() == [
        ["Low", "Review.", "target-missed", "Ann", "at the next review"]
    ]


def test_findings_are_listed_in_words_with_the_plan(make_pack, read_tables):
    found = pd.DataFrame(
        {
            "severity": ["high", "low", "info"],
            "code": ["high-risk", "evidence-missing", "council-accountable-body"],
            "message": ["Risk R1 is high.", "2 ratings have no evidence.", "For the record."],
            "framework_id": [None, "governance-checklist", None],
        }
    )
    actions = pd.DataFrame(
        {
            "priority": ["high"],
            "action": ["Fix R1."],
            "finding": ["high-risk"],
            "owner": [None],
            "timescale": ["3 months"],
            "due_date": ["2025-06-30"],
        }
    )
    fragment = findings.html(make_pack(scores={"findings": found, "actions": actions}))
    tables = read_tables(fragment)
    assert tables["Findings, most serious first"] == [
        ["Priority", "Code", "Finding", "Evidence"],
        ["High", "high-risk", "Risk R1 is high.", "Risk"],
        ["Low", "evidence-missing", "2 ratings have no evidence.", "Governance checklist"],
        ["For information", "council-accountable-body", "For the record.",
         "Register facts and governance"],
    ]  # fmt: skip
    assert tables["Action plan (one row an action, with the findings it answers)"] == [
        ["Priority", "Action", "Findings answered", "Owner", "Due by"],
        ["High", "Fix R1.", "high-risk", "", "30 June 2025"],
    ]
    # each finding links to the section its evidence is in, by the section's stable id
    soup = BeautifulSoup(fragment, "html.parser")
    links = [(a["href"], a.get_text()) for a in soup.find("table").find_all("a")]
    assert links == [
        ("#risk", "Risk"),
        ("#framework-governance-checklist", "Governance checklist"),
        ("#governance", "Register facts and governance"),
    ]


def test_no_findings(make_pack):
    assert findings.html(make_pack()) == (
        '<h2 id="findings">Findings and action plan</h2><p>The rules found nothing to act on.</p>'
    )


def _severities(*levels: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "severity": list(levels),
            "code": [f"code-{i}" for i in range(len(levels))],
            "message": [f"Finding {i}." for i in range(len(levels))],
            "framework_id": [None] * len(levels),
        }
    )


def test_print_leaves_out_low_priority_rows_and_says_how_many(make_pack):
    found = _severities("high", "medium", "medium", "low", "low", "low")
    actions = pd.DataFrame(
        {
            "priority": ["medium", "low"],
            "action": ["Discuss.", "Review."],
            "finding": ["code-1", "code-3"],
            "owner": ["Ann", "Ann"],
            "timescale": ["6 months", "12 months"],
            "due_date": ["2025-09-30", "2026-03-31"],
        }
    )
    soup = BeautifulSoup(
        findings.html(make_pack(scores={"findings": found, "actions": actions})), "html.parser"
    )
    note = soup.find("p", class_="print-only")
    assert note.get_text() == (
        "This printed list shows the 3 high or medium priority findings and the actions that "
        "answer them; 3 low priority findings and their actions are on the web page and in "
        "the downloads."
    )
    findings_table, plan = soup.find_all("table")
    hidden = [tr.th.get_text() for tr in findings_table.find_all("tr", class_="screen-only")]
    assert hidden == ["Low", "Low", "Low"]  # the 3 low rows; high and medium stay
    assert [tr.th.get_text() for tr in plan.find_all("tr", class_="screen-only")] == ["Low"]


def test_one_of_each_is_said_in_the_singular(make_pack):
    fragment = findings.html(make_pack(scores={"findings": _severities("high", "low")}))
    note = BeautifulSoup(fragment, "html.parser").find("p", class_="print-only")
    assert note.get_text() == (
        "This printed list shows the 1 high or medium priority finding and the actions that "
        "answer it; 1 low priority finding and its actions are on the web page and in the "
        "downloads."
    )


def test_print_keeps_every_row_when_all_are_low_or_none_are(make_pack):
    for levels in (("low", "low"), ("high", "medium")):
        fragment = findings.html(make_pack(scores={"findings": _severities(*levels)}))
        assert "print-only" not in fragment and "screen-only" not in fragment
