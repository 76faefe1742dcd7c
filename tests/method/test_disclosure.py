"""Disclosure control, worked by hand: pooling, the floor, extremes, the gap and sectors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.errors import InputFileError
from evalkit.inputs.contract import table
from evalkit.inputs.dataset import read_dataset_info
from evalkit.method.disclosure import POOLED_ID, Policy
from evalkit.method.scoring import score_all

ROUND = "2024-25"
COLUMNS = table("responses").column_names
CHECKLIST = pd.DataFrame(
    columns=["round", "partnership_id", "framework_id", "item_id", "status", "evidence_ref"]
)


def orgs(sectors):
    ids = list(sectors)
    return pd.DataFrame(
        {
            "organisation_id": ids,
            "name": [i.title() for i in ids],
            "sector": list(sectors.values()),
            "is_council": [i == "council" for i in ids],
        }
    )


def answers(people):
    """people: [(respondent, organisation, P1.1 answer, P1.2 answer)] on the 1-4 scale."""
    rows = []
    for respondent, org, first, second in people:
        rows.append((ROUND, "p", respondent, org, "nuffield-pat", "P1.1", str(first)))
        rows.append((ROUND, "p", respondent, org, "nuffield-pat", "P1.2", str(second)))
    return pd.DataFrame(rows, columns=COLUMNS)


# The council has three respondents; police, NHS and fire one each.
#   council  R1 (4, 3), R2 (3, 3), R3 (2, 2): item means 3 and 8/3 -> 17/6 = 2.8333
#   police   R4 (1, 1) -> 1.0;  nhs R5 (4, 4) -> 4.0;  fire R6 (3, 2) -> 2.5
PEOPLE = [
    ("R1", "council", 4, 3),
    ("R2", "council", 3, 3),
    ("R3", "council", 2, 2),
    ("R4", "police", 1, 1),
    ("R5", "nhs", 4, 4),
    ("R6", "fire", 3, 2),
]
SECTORS = {
    "council": "local authority",
    "police": "emergency",
    "nhs": "health",
    "fire": "emergency",
}


def p1(scores):
    d = scores.dimensions
    return d[(d["framework_id"] == "nuffield-pat") & (d["dimension_id"] == "P1")].iloc[0]


def test_small_organisations_are_pooled_and_the_council_is_named(frameworks):
    s = score_all(answers(PEOPLE), CHECKLIST, orgs(SECTORS), frameworks)
    groups = s.organisations.set_index("organisation_id")
    assert list(groups.index) == ["council", POOLED_ID]
    assert groups.loc["council", "score"] == pytest.approx(17 / 6)
    # the pool: police, nhs and fire, each counting once: (1 + 4 + 2.5) / 3 = 2.5
    assert groups.loc[POOLED_ID, "score"] == pytest.approx(2.5)
    assert groups.loc[POOLED_ID, "group_name"] == "Other partners (3 organisations)"
    assert groups.loc[POOLED_ID, "n_respondents"] == 3
    assert groups.loc[POOLED_ID, "n_organisations"] == 3
    row = p1(s)
    # the partnership still counts every organisation once: (17/6 + 1 + 4 + 2.5) / 4
    assert row["score"] == pytest.approx((17 / 6 + 7.5) / 4)  # 2.583333
    # extremes and spread over the two groups shown, never over the lone respondents
    assert (row["min_org"], row["max_org"]) == pytest.approx((2.5, 17 / 6))
    assert row["range"] == pytest.approx(1 / 3)
    assert row["sd"] == pytest.approx(1 / 6)  # two values 1/3 apart: population SD 1/6
    assert bool(row["diverged"]) is False  # 2.5 is not below the 2.5 line; 1.0 is not shown
    assert row["council_gap"] == pytest.approx(17 / 6 - 2.5)  # others: (1 + 4 + 2.5) / 3
    assert row["n_pooled"] == 3
    assert row["evidence_kind"] == "individual"
    assert bool(row["suppressed"]) is False


def test_item_extremes_are_over_the_groups_shown(frameworks):
    s = score_all(answers(PEOPLE), CHECKLIST, orgs(SECTORS), frameworks)
    items = s.items.set_index("item_id")
    # P1.1: council 3, police 1, nhs 4, fire 3 -> (3 + 1 + 4 + 3) / 4 = 2.75; pool 8/3
    assert items.loc["P1.1", "score"] == pytest.approx(2.75)
    assert (items.loc["P1.1", "min_org"], items.loc["P1.1", "max_org"]) == pytest.approx(
        (8 / 3, 3.0)
    )
    # P1.2: council 8/3, police 1, nhs 4, fire 2 -> 29/12; pool 7/3
    assert items.loc["P1.2", "score"] == pytest.approx(29 / 12)
    assert (items.loc["P1.2", "min_org"], items.loc["P1.2", "max_org"]) == pytest.approx(
        (7 / 3, 8 / 3)
    )


def test_the_lower_rule_takes_the_lowest_group_not_a_lone_respondent(frameworks):
    # nhs answers 1s so the pool (1 + 1 + 2.5) / 3 = 1.5 sits below the line and the
    # council (17/6) above: the lower rule takes 1.5, not police's lone 1.0
    people = [*PEOPLE[:4], ("R5", "nhs", 1, 1), PEOPLE[5]]
    s = score_all(answers(people), CHECKLIST, orgs(SECTORS), frameworks, lower_on_disagreement=True)
    row = p1(s)
    assert bool(row["diverged"]) is True
    assert row["score"] == pytest.approx(1.5)


def test_a_pool_under_the_floor_takes_the_smallest_named_organisation(frameworks):
    # council 3 and police 3 respondents, nhs 1: the pool {nhs} would be 1 person and the
    # partnership mean minus the named organisations would give it, so the first of the
    # smallest named organisations (council, by id) joins the pool
    people = [
        *PEOPLE[:3],
        ("R4", "police", 1, 1),
        ("R7", "police", 2, 2),
        ("R8", "police", 2, 1),
        ("R5", "nhs", 4, 4),
    ]
    s = score_all(answers(people), CHECKLIST, orgs(SECTORS), frameworks)
    groups = s.organisations.set_index("organisation_id")
    assert sorted(groups.index) == [POOLED_ID, "police"]
    assert groups.loc[POOLED_ID, "group_name"] == "Other partners (2 organisations)"
    # pool: council 17/6 and nhs 4, each counting once: (17/6 + 4) / 2 = 41/12
    assert groups.loc[POOLED_ID, "score"] == pytest.approx((17 / 6 + 4) / 2)
    row = p1(s)
    # the council is no longer shown by name, so neither is its gap
    assert math.isnan(row["council_gap"]) and math.isnan(row["council_score"])


def test_figures_under_the_floor_are_blank_everywhere(frameworks):
    people = [("R1", "council", 4, 4), ("R4", "police", 1, 2)]
    s = score_all(answers(people), CHECKLIST, orgs(SECTORS), frameworks)
    row = p1(s)
    assert bool(row["suppressed"]) is True
    for column in ("score", "mean", "min_org", "max_org", "sd", "range", "council_gap"):
        assert math.isnan(row[column]), column
    assert pd.isna(row["diverged"])
    assert row["n_respondents"] == 2  # counts stay: a count is not an answer
    assert s.organisations.empty
    assert s.items["score"].isna().all() and s.items["min_org"].isna().all()
    assert s.sectors["score"].isna().all()


def test_organisational_returns_are_shown_by_name(frameworks):
    s = score_all(
        answers(PEOPLE),
        CHECKLIST,
        orgs(SECTORS),
        frameworks,
        evidence_kinds={"nuffield-pat": "organisational"},
    )
    groups = s.organisations.set_index("organisation_id")["score"]
    assert sorted(groups.index) == ["council", "fire", "nhs", "police"]
    assert groups["police"] == pytest.approx(1.0)
    row = p1(s)
    assert (row["min_org"], row["max_org"]) == pytest.approx((1.0, 4.0))
    assert bool(row["diverged"]) is True
    assert row["evidence_kind"] == "organisational"
    assert bool(s.sectors["suppressed"].any()) is False


def test_a_rounds_own_kind_wins():
    policy = Policy(
        3, {"nuffield-pat": "organisational", "2023-24": {"nuffield-pat": "individual"}}
    )
    assert policy.kind("2024-25", "nuffield-pat") == "organisational"
    assert policy.kind("2023-24", "nuffield-pat") == "individual"
    assert policy.kind("2024-25", "wilder-factors") == "individual"
    assert policy.floor("2024-25", "nuffield-pat") == 1
    assert policy.floor("2023-24", "nuffield-pat") == 3


def test_sector_cells_that_could_be_worked_out_are_suppressed(frameworks):
    # a one-respondent district council shares the council's sector: local authority has
    # 4 respondents, but twice its score minus the named council's would give the
    # district's lone answer, so it is suppressed as well
    people = [*PEOPLE, ("R9", "district", 1, 2)]
    sectors = {**SECTORS, "district": "local authority"}
    s = score_all(answers(people), CHECKLIST, orgs(sectors), frameworks)
    cells = s.sectors.set_index("sector")
    assert bool(cells.loc["local authority", "suppressed"]) is True
    assert cells.loc["local authority", "note"] == (
        "suppressed: could be worked out from other published figures"
    )
    assert pd.isna(cells.loc["local authority", "n_respondents"])
    assert bool(cells.loc["emergency", "suppressed"]) is True  # 2 people
    assert cells.loc["emergency", "note"] == "suppressed: fewer than 3 respondents"
    # without the district the council is alone in its sector, named, and shown
    s = score_all(answers(PEOPLE), CHECKLIST, orgs(SECTORS), frameworks)
    cells = s.sectors.set_index("sector")
    assert cells.loc["local authority", "score"] == pytest.approx(17 / 6)


def test_a_sector_made_of_pooled_organisations_needs_the_rest_of_the_pool_safe(frameworks):
    # pool: police, nhs, fire (1 each) and district (2): 5 people. The emergency sector
    # (police, fire, district: 4 people, all pooled) would leave nhs's lone answer as the
    # pool minus emergency, so it is suppressed too
    people = [*PEOPLE, ("R9", "district", 1, 2), ("R10", "district", 2, 2)]
    sectors = {**SECTORS, "district": "emergency"}
    s = score_all(answers(people), CHECKLIST, orgs(sectors), frameworks)
    cells = s.sectors.set_index("sector")
    assert cells.loc["emergency", "note"] == (
        "suppressed: could be worked out from other published figures"
    )
    assert bool(cells.loc["health", "suppressed"]) is True


def test_evidence_kinds_are_read_from_dataset_yaml(tmp_path):
    (tmp_path / "dataset.yaml").write_text(
        "title: t\nevidence_kinds:\n  nuffield-pat: organisational\n"
        "  2023-24: {nuffield-pat: individual}\n",
        encoding="utf-8",
    )
    info = read_dataset_info(tmp_path)
    assert info.evidence_kinds == {
        "nuffield-pat": "organisational",
        "2023-24": {"nuffield-pat": "individual"},
    }
    assert info.to_dict()["evidence_kinds"] == info.evidence_kinds  # into dataset.json
    (tmp_path / "dataset.yaml").write_text(
        "evidence_kinds: {nuffield-pat: official}\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError, match="expected one of individual, organisational"):
        read_dataset_info(tmp_path)
