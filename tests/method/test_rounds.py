"""``evalkit rounds``: each round's coverage, counted by hand on the two-round portfolio.

tests/small_portfolio.py: in 2023-24 csp rated 35 VicHealth statements and nobody
answered a survey; in 2024-25 csp rated 35 again, and three council and three police
staff answered every Nuffield statement (two organisations, six people). Only csp has
answers. No returns were kept.
"""

from __future__ import annotations

import json

import pandas as pd

from evalkit.cli import main
from evalkit.method.rounds import RoundCoverage, coverage, coverage_text
from small_portfolio import EARLY, LATE, write_two_rounds


def test_rounds_are_counted_from_the_prepared_tables(tmp_path, capsys):
    raw = write_two_rounds(tmp_path / "raw")
    processed = tmp_path / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    capsys.readouterr()
    assert main(["rounds", "--raw", str(raw), "--processed", str(processed), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == [
        {
            "round": EARLY,
            "partnerships": 1,
            "organisations": 0,
            "respondents": 0,
            "checklist_ratings": 35,
            "returns_received": 0,
            "register_snapshot": False,
        },
        {
            "round": LATE,
            "partnerships": 1,
            "organisations": 2,
            "respondents": 6,
            "checklist_ratings": 35,
            "returns_received": 0,
            "register_snapshot": False,
        },
    ]


def test_blank_answers_are_not_counted_and_returns_add_a_round():
    responses = pd.DataFrame(
        {
            "round": ["2025-26"] * 3,
            "partnership_id": ["a", "a", "b"],
            "respondent_id": ["R1", "R2", "R3"],
            "organisation_id": ["x", "y", "z"],
            "response": ["Agree", " ", None],
        }
    )
    checklist = pd.DataFrame({"round": ["2025-26"], "partnership_id": ["c"], "status": [""]})
    rows = coverage({"responses": responses, "checklist": checklist}, {"2026-27": 4})
    assert rows == [
        RoundCoverage("2025-26", 1, 1, 1, 0, 0),
        RoundCoverage("2026-27", 0, 0, 0, 0, 4),
    ]


def test_the_table_for_the_terminal():
    text = coverage_text([RoundCoverage("2024-25", 12, 20, 108, 909, 3, True)])
    assert text.splitlines() == [
        "Round    Partnerships  Organisations  Respondents  Checklist ratings  Returns received"
        "  Register snapshot",
        "2024-25            12             20          108                909                 3"
        "                yes",
    ]
    assert coverage_text([]) == (
        "No assessment rounds found: no survey answers, ratings, returns or register snapshots."
    )


def test_a_round_with_only_a_register_snapshot_is_listed(tmp_path, capsys):
    raw = write_two_rounds(tmp_path / "raw")
    processed = tmp_path / "processed"
    (raw / "registers").mkdir()
    (raw / "registers" / "2019-20.csv").write_text(
        (raw / "partnerships.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    capsys.readouterr()
    assert main(["rounds", "--raw", str(raw), "--processed", str(processed), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got[0] == {
        "round": "2019-20",
        "partnerships": 0,
        "organisations": 0,
        "respondents": 0,
        "checklist_ratings": 0,
        "returns_received": 0,
        "register_snapshot": True,
    }
    assert [r["register_snapshot"] for r in got[1:]] == [False, False]
