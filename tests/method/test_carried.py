"""Findings and actions carried forward between rounds, worked by hand."""

from __future__ import annotations

import pandas as pd

from evalkit.method.carried import action_progress, mark_carried, resolved, resolved_by_round
from evalkit.method.rules import action_overdue

ROUNDS = ["2023-24", "2024-25"]


def findings(rows):
    """rows: (round, partnership, code, framework)."""
    return pd.DataFrame(rows, columns=["round", "partnership_id", "code", "framework_id"])


FINDINGS = findings(
    [
        ("2023-24", "csp", "weak-dimension", "vichealth-pat"),
        ("2023-24", "csp", "review-overdue", None),
        ("2023-24", "csp", "partners-diverge", "nuffield-pat"),
        ("2024-25", "csp", "weak-dimension", "vichealth-pat"),  # continuing
        ("2024-25", "csp", "weak-dimension", "wilder-factors"),  # new: another framework
        ("2024-25", "csp", "review-overdue", None),  # continuing (no framework)
        ("2024-25", "hub", "review-overdue", None),  # new: another partnership
    ]
)


def test_each_finding_is_new_or_continuing_against_the_round_before():
    marked = mark_carried(FINDINGS, ROUNDS)
    assert list(marked["since_last_round"]) == [
        "",
        "",
        "",
        "continuing",
        "new",
        "continuing",
        "new",
    ]


def test_findings_gone_since_the_round_before_are_resolved():
    gone = resolved(FINDINGS, "2024-25", ROUNDS)
    assert list(zip(gone["partnership_id"], gone["code"], strict=True)) == [
        ("csp", "partners-diverge")
    ]
    assert resolved(FINDINGS, "2023-24", ROUNDS).empty


#: What was scored: csp against VicHealth in both rounds and against Nuffield in 2023-24
#: only; Wilder in 2024-25 only.
ASSESSED = pd.DataFrame(
    [
        ("2023-24", "csp", "vichealth-pat"),
        ("2023-24", "csp", "nuffield-pat"),
        ("2024-25", "csp", "vichealth-pat"),
        ("2024-25", "csp", "wilder-factors"),
    ],
    columns=["round", "partnership_id", "framework_id"],
)


def test_a_framework_not_scored_last_round_gives_first_assessed_not_new():
    marked = mark_carried(FINDINGS, ROUNDS, ASSESSED)
    # Wilder was not scored for csp in 2023-24: its weakness is first assessed; the
    # register finding of hub (no framework) is new as before.
    assert list(marked["since_last_round"])[3:] == [
        "continuing",
        "first assessed",
        "continuing",
        "new",
    ]


def test_register_findings_of_a_partnership_not_in_scope_last_round_are_first_assessed():
    # the 2023-24 register snapshot had csp in scope and hub not (blank framework rows)
    scope = pd.DataFrame(
        [("2023-24", "csp", ""), ("2024-25", "csp", ""), ("2024-25", "hub", "")],
        columns=["round", "partnership_id", "framework_id"],
    )
    marked = mark_carried(FINDINGS, ROUNDS, pd.concat([ASSESSED, scope]))
    assert list(marked["since_last_round"])[3:] == [
        "continuing",
        "first assessed",
        "continuing",
        "first assessed",  # hub's register facts were not judged in 2023-24
    ]


def test_a_finding_about_a_framework_not_scored_this_round_is_not_resolved():
    # Nuffield was not scored for csp in 2024-25: its divergence was not looked at again
    assert resolved(FINDINGS, "2024-25", ROUNDS, ASSESSED).empty
    scored_again = pd.concat(
        [ASSESSED, pd.DataFrame([("2024-25", "csp", "nuffield-pat")], columns=ASSESSED.columns)]
    )
    gone = resolved(FINDINGS, "2024-25", ROUNDS, scored_again)
    assert list(gone["code"]) == ["partners-diverge"]


ACTIONS = pd.DataFrame(
    [
        # due dates as evalkit sets them for 2023-24 (ends 31/03/2024): high 3 months,
        # medium 6, low 12
        ("2023-24", "csp", "high", "Fix A.", "no-governing-document", "2024-06-30"),
        ("2023-24", "csp", "medium", "Fix B.", "review-overdue", "2024-09-30"),
        ("2023-24", "csp", "medium", "Fix C.", "weak-dimension", "2024-09-30"),
        ("2023-24", "csp", "low", "Fix D.", "toolkit-not-used", "2025-03-31"),
        ("2023-24", "csp", "low", "Fix E.", "no-exit-arrangements", "2025-03-31"),
        ("2023-24", "hub", "high", "Fix F.", "no-evidence", "2024-06-30"),
    ],
    columns=["round", "partnership_id", "priority", "action", "finding", "due_date"],
)
STATUSES = pd.DataFrame(
    [
        ("2023-24", "csp", "no-governing-document", "Fix A.", "done"),
        ("2023-24", "csp", "review-overdue", "Fix B.", "in progress"),
        ("2023-24", "csp", "toolkit-not-used", "Fix D.", "in progress"),
        ("2023-24", "csp", "no-exit-arrangements", "Fix E.", "dropped"),
        # weak-dimension left out of the return; hub sent no return
    ],
    columns=["round", "partnership_id", "finding", "action", "status"],
)


def test_last_rounds_actions_take_their_status_from_the_return():
    progress = action_progress(ACTIONS, STATUSES, "2024-25", ROUNDS)
    pairs = zip(progress["reported"], progress["status"], strict=True)
    got = dict(zip(progress["finding"], pairs, strict=True))
    # judged as at 31/03/2025: B (30/09/2024) and C (30/09/2024) are past due and not
    # done; D is due on 31/03/2025 itself, so not yet overdue
    assert got == {
        "no-governing-document": ("done", "done"),
        "review-overdue": ("in progress", "overdue"),
        "weak-dimension": ("not reported", "overdue"),
        "toolkit-not-used": ("in progress", "in progress"),
        "no-exit-arrangements": ("dropped", "dropped"),
    }
    assert set(progress["partnership_id"]) == {"csp"}  # no return from hub: no rows
    assert set(progress["previous_round"]) == {"2023-24"}


def test_no_previous_round_or_no_returns_gives_no_progress():
    assert action_progress(ACTIONS, STATUSES, "2023-24", ROUNDS).empty
    assert action_progress(ACTIONS, STATUSES.iloc[0:0], "2024-25", ROUNDS).empty


def test_overdue_actions_make_one_finding_per_partnership():
    progress = action_progress(ACTIONS, STATUSES, "2024-25", ROUNDS)
    (finding,) = action_overdue(progress)
    assert (finding.partnership_id, finding.code, finding.severity.value) == (
        "csp",
        "action-overdue",
        "medium",
    )
    assert finding.message == (
        "2 actions from 2023-24 are past the due date and not done, the earliest due by "
        "30 September 2024 (for review-overdue)."
    )
    assert finding.evidence["findings"] == ["review-overdue", "weak-dimension"]


def test_resolved_findings_of_every_round_in_one_table():
    table = resolved_by_round(mark_carried(FINDINGS, ROUNDS), ROUNDS)
    # only csp's partners-diverge (nuffield-pat) of 2023-24 is gone in 2024-25
    assert table[["round", "previous_round", "partnership_id", "code"]].values.tolist() == [
        ["2024-25", "2023-24", "csp", "partners-diverge"]
    ]
    assert "since_last_round" not in table
    assert resolved_by_round(FINDINGS.iloc[0:0], ROUNDS).empty
