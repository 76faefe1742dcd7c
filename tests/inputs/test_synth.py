"""The seeded synthetic generator: deterministic, on contract, labelled as invented."""

from __future__ import annotations

import hashlib

import pandas as pd
import yaml

from evalkit.config import FRAMEWORKS_DIR
from evalkit.inputs.synth import synthesise
from evalkit.inputs.validate import validate


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    synthesise(12, 5, tmp_path / "a")
    synthesise(12, 5, tmp_path / "b")
    synthesise(12, 6, tmp_path / "c")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert _digests(tmp_path / "a")["responses.csv"] != _digests(tmp_path / "c")["responses.csv"]


def test_counts_follow_the_rules(tmp_path):
    counts = synthesise(20, 11, tmp_path)
    parts = pd.read_csv(tmp_path / "partnerships.csv")
    in_scope = int((parts["in_scope"] == "Yes").sum())
    checklist_items = 0
    for path in FRAMEWORKS_DIR.glob("*.yaml"):
        spec = yaml.safe_load(path.read_text())
        if path.name != "scales.yaml" and spec["mode"] == "checklist":
            checklist_items += len(spec["items"])
    assert checklist_items == 14 + 16 + 23 + 13 + 35  # lga, iso, governance, jrf, vichealth
    assert counts["partnerships"] == 20
    assert counts["checklist"] == in_scope * checklist_items
    members = pd.read_csv(tmp_path / "memberships.csv")
    assert set(members.loc[members["organisation_id"] == "the-council", "partnership_id"]) == set(
        parts["partnership_id"]
    )
    assert parts["name"].str.startswith("Synthetic Partnership").all()
    assert (parts.loc[parts["in_scope"] == "No", "legal_form"] == "contract").all()


def test_synthetic_data_is_valid_and_labelled_invented(tmp_path):
    synthesise(15, 2, tmp_path)
    meta = yaml.safe_load((tmp_path / "dataset.yaml").read_text())
    assert meta["invented"] is True and "INVENTED" in meta["notice"]
    from evalkit.method.framework import load_frameworks

    report = validate(tmp_path, load_frameworks()).report
    assert report.valid, report.summary()


def test_rounds_writes_each_round_with_its_own_answers(tmp_path):
    one = synthesise(10, 4, tmp_path / "one")
    three = synthesise(10, 4, tmp_path / "three", rounds=3)
    responses = pd.read_csv(tmp_path / "three" / "responses.csv", dtype=str)
    checklist = pd.read_csv(tmp_path / "three" / "checklist.csv", dtype=str)
    rounds = ["2022-23", "2023-24", "2024-25"]
    assert sorted(responses["round"].unique()) == rounds
    assert sorted(checklist["round"].unique()) == rounds
    # the same checklist items every round: in-scope partnerships x checklist items
    assert three["checklist"] == 3 * one["checklist"]
    # each round has its own respondents
    people = responses.groupby("round")["respondent_id"].apply(set)
    assert not (people["2022-23"] & people["2023-24"]) and not (
        people["2023-24"] & people["2024-25"]
    )
    # the latest round is the same with or without earlier ones
    single = pd.read_csv(tmp_path / "one" / "responses.csv", dtype=str)
    latest = responses[responses["round"] == "2024-25"].reset_index(drop=True)
    pd.testing.assert_frame_equal(latest, single)
    # money and indicators cover every round's year
    finance = pd.read_csv(tmp_path / "three" / "finance.csv", dtype=str)
    assert sorted(finance["year"].unique()) == rounds
    from evalkit.method.framework import load_frameworks

    report = validate(tmp_path / "three", load_frameworks()).report
    assert report.valid, report.summary()


def test_organisations_join_and_leave_between_rounds(tmp_path):
    """Over three rounds: the latest round's organisations are the members; some members
    answer only from a later round on (joined); some organisations answered earlier
    rounds only and are not members now (left), from the first round without a gap; the
    council answers every round of every partnership."""
    synthesise(30, 8, tmp_path, rounds=3)
    responses = pd.read_csv(tmp_path / "responses.csv", dtype=str)
    members = pd.read_csv(tmp_path / "memberships.csv", dtype=str)
    parts = pd.read_csv(tmp_path / "partnerships.csv", dtype=str)
    in_scope = set(parts.loc[parts["in_scope"] == "Yes", "partnership_id"])
    member = {
        (p, o)
        for p, o in zip(members["partnership_id"], members["organisation_id"], strict=True)
        if p in in_scope
    }
    first, middle, latest = (
        set(zip(g["partnership_id"], g["organisation_id"], strict=True))
        for g in (responses[responses["round"] == r] for r in ("2022-23", "2023-24", "2024-25"))
    )
    assert latest == member
    joined = latest - first
    left = (first | middle) - latest
    assert joined and joined <= member
    assert left and not (left & member)
    assert all((p, o) in first for p, o in left)  # a leaver answered from the first round
    council = {(p, "the-council") for p in in_scope}
    assert council <= first and council <= middle and council <= latest


def test_rounds_drift_plausibly(tmp_path):
    """Answers differ between rounds but stay near each other: a round's mean rating per
    partnership moves, by less than a scale point on average."""
    synthesise(40, 9, tmp_path, rounds=2)
    checklist = pd.read_csv(tmp_path / "checklist.csv", dtype=str)
    vic = checklist[checklist["framework_id"] == "vichealth-pat"]
    values = {
        "Strongly disagree": 1,
        "Disagree": 2,
        "Neither agree nor disagree": 3,
        "Agree": 4,
        "Strongly agree": 5,
    }
    mean = (
        vic.assign(v=vic["status"].map(values))
        .groupby(["partnership_id", "round"])["v"]
        .mean()
        .unstack()
    )
    change = mean["2024-25"] - mean["2023-24"]
    assert (change != 0).mean() > 0.9  # nearly every partnership's answers changed
    assert change.abs().mean() < 1.0  # ... by a plausible amount
    assert (change > 0).any() and (change < 0).any()  # some improve, some decline


def test_cli_synth_rounds_option(tmp_path):
    from evalkit.cli import main

    assert main(["synth", "--partnerships", "5", "--seed", "3", "--out", str(tmp_path / "a")]) == 0
    assert set(pd.read_csv(tmp_path / "a" / "checklist.csv", dtype=str)["round"]) == {"2024-25"}
    out = str(tmp_path / "b")
    assert main(["synth", "--partnerships", "5", "--seed", "3", "--rounds", "2", "--out", out]) == 0
    got = set(pd.read_csv(tmp_path / "b" / "checklist.csv", dtype=str)["round"])
    assert got == {"2023-24", "2024-25"}


def test_round_names_count_back_from_the_latest():
    from evalkit.inputs.synth import round_names

    assert round_names(1) == ("2024-25",)
    assert round_names(3) == ("2022-23", "2023-24", "2024-25")
    assert round_names(2, "1999-00") == ("1998-99", "1999-00")
