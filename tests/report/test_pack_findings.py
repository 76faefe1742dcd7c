"""The findings section and its action plan."""

from __future__ import annotations

import pandas as pd

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
        }
    )
    plan = findings.action_plan(actions)
    assert list(plan.columns) == ["Priority", "Action", "Findings answered", "Owner", "Timescale"]
    assert plan.values.tolist() == [
        ["High", "Fix R1.", "high-risk", "Ann", "3 months"],
        ["Medium", "Record evidence.", "evidence-missing ×2", "Ann", "6 months"],
        ["Medium", "Discuss.", "partners-diverge", "Ann", "6 months"],
        ["Low", "Review.", "target-missed", "", "next review"],
    ]


def test_findings_are_listed_in_words_with_the_plan(make_pack, read_tables):
    found = pd.DataFrame(
        {
            "severity": ["high", "info"],
            "code": ["high-risk", "note"],
            "message": ["Risk R1 is high.", "For the record."],
        }
    )
    actions = pd.DataFrame(
        {
            "priority": ["high"],
            "action": ["Fix R1."],
            "finding": ["high-risk"],
            "owner": [None],
            "timescale": ["3 months"],
        }
    )
    tables = read_tables(findings.html(make_pack(scores={"findings": found, "actions": actions})))
    assert tables["Findings, most serious first"] == [
        ["Priority", "Code", "Finding"],
        ["High", "high-risk", "Risk R1 is high."],
        ["For information", "note", "For the record."],
    ]
    assert tables["Action plan (one row an action, with the findings it answers)"] == [
        ["Priority", "Action", "Findings answered", "Owner", "Timescale"],
        ["High", "Fix R1.", "high-risk", "", "3 months"],
    ]


def test_no_findings(make_pack):
    assert findings.html(make_pack()) == (
        "<h2>Findings and action plan</h2><p>The rules found nothing to act on.</p>"
    )
