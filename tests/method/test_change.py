"""Change since the last round, worked by hand: the panel, the call and disclosure.

Nuffield principle P1 is used throughout (a 1-4 scale, so the smallest change called is
0.125 x 3 = 0.375 points); each person answers P1.1 and P1.2.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.inputs.contract import table
from evalkit.method.change import (
    DECLINED,
    IMPROVED,
    NO_RELIABLE_CHANGE,
    ChangeRule,
    changes,
    round_pairs,
)
from evalkit.method.disclosure import Policy
from evalkit.method.scoring import code_answers, score_all

EARLIER, LATER = "2023-24", "2024-25"
COLUMNS = table("responses").column_names
CHECKLIST_COLUMNS = ["round", "partnership_id", "framework_id", "item_id", "status", "evidence_ref"]
NO_CHECKLIST = pd.DataFrame(columns=CHECKLIST_COLUMNS)
ORGS = pd.DataFrame(
    {
        "organisation_id": ["council", "police", "fire", "nhs"],
        "name": ["Council", "Police", "Fire", "NHS"],
        "sector": ["local authority", "emergency", "emergency", "health"],
        "is_council": [True, False, False, False],
    }
)


def answers(rounds, partnership="p"):
    """rounds: {round: [(respondent, organisation, P1.1, P1.2)]} on the 1-4 scale."""
    rows = []
    for round_, people in rounds.items():
        for respondent, org, first, second in people:
            rows.append((round_, partnership, respondent, org, "nuffield-pat", "P1.1", str(first)))
            rows.append((round_, partnership, respondent, org, "nuffield-pat", "P1.2", str(second)))
    return pd.DataFrame(rows, columns=COLUMNS)


def compare(responses, frameworks, rule=None, policy=None, checklist=NO_CHECKLIST):
    """Score every round, then compare each with the one before (as ``evalkit score`` does)."""
    policy = policy or Policy()
    scores = score_all(responses, checklist, ORGS, frameworks, min_cell_size=policy.min_cell_size)
    survey = {"nuffield-pat": frameworks["nuffield-pat"]}
    coded = code_answers(responses, "response", survey) if len(responses) else None
    table_ = changes(scores.dimensions, coded, frameworks, policy, rule or ChangeRule())
    return scores, table_


def p1(table_, partnership="p"):
    rows = table_[(table_["partnership_id"] == partnership) & (table_["dimension_id"] == "P1")]
    assert len(rows) == 1
    return rows.iloc[0]


# Council R1-R3 and police R4-R6 answer in both rounds.
#   earlier: council (2,2) (2,3) (3,3): item means 7/3, 8/3 -> 2.5; police all (2,2) -> 2.0
#   later:   council (3,3) (3,4) (4,4): item means 10/3, 11/3 -> 3.5; police all (2,3) -> 2.5
#   differences: council +1.0, police +0.5 -> change 0.75; scores 2.25 -> 3.0
SAME_PEOPLE_EARLIER = [
    ("R1", "council", 2, 2),
    ("R2", "council", 2, 3),
    ("R3", "council", 3, 3),
    ("R4", "police", 2, 2),
    ("R5", "police", 2, 2),
    ("R6", "police", 2, 2),
]
SAME_PEOPLE_LATER = [
    ("R1", "council", 3, 3),
    ("R2", "council", 3, 4),
    ("R3", "council", 4, 4),
    ("R4", "police", 2, 3),
    ("R5", "police", 2, 3),
    ("R6", "police", 2, 3),
]


def test_a_change_worked_by_hand_is_called_improved(frameworks):
    _, table_ = compare(
        answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: SAME_PEOPLE_LATER}), frameworks
    )
    row = p1(table_)
    assert (row["previous_round"], row["round"]) == (EARLIER, LATER)
    assert row["previous_score"] == pytest.approx(2.25)
    assert row["score"] == pytest.approx(3.0)
    assert (row["previous_n"], row["n"]) == (6, 6)
    assert (row["previous_organisations"], row["organisations"]) == (2, 2)
    assert (row["panel_respondents"], row["panel_organisations"]) == (6, 2)
    assert (row["joined"], row["left"]) == (0, 0)
    assert row["panel_previous"] == pytest.approx(2.25)
    assert row["panel_score"] == pytest.approx(3.0)
    assert row["change"] == pytest.approx(0.75)
    assert row["min_change"] == pytest.approx(0.375)
    assert row["call"] == IMPROVED
    assert row["reason"] == ""
    assert not row["suppressed"]


def test_the_same_change_the_other_way_is_called_declined(frameworks):
    _, table_ = compare(
        answers({EARLIER: SAME_PEOPLE_LATER, LATER: SAME_PEOPLE_EARLIER}), frameworks
    )
    row = p1(table_)
    assert row["change"] == pytest.approx(-0.75)
    assert row["call"] == DECLINED


def test_a_change_under_the_set_size_is_no_reliable_change(frameworks):
    # police alone moves, by one point on P1.2: police 2.0 -> 2.5; council unchanged.
    # change = (0 + 0.5) / 2 = 0.25, under 0.375
    later = [*SAME_PEOPLE_EARLIER[:3], *[(r, "police", 2, 3) for r in ("R4", "R5", "R6")]]
    _, table_ = compare(answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: later}), frameworks)
    row = p1(table_)
    assert row["change"] == pytest.approx(0.25)
    assert row["call"] == NO_RELIABLE_CHANGE
    assert row["reason"] == "the change is smaller than 0.375 points and no band was crossed"


def test_too_few_people_in_both_rounds_is_no_reliable_change(frameworks):
    rule = ChangeRule(min_respondents=7)
    _, table_ = compare(
        answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: SAME_PEOPLE_LATER}), frameworks, rule
    )
    row = p1(table_)
    assert row["change"] == pytest.approx(0.75)  # shown, but 6 people are too few to call
    assert row["call"] == NO_RELIABLE_CHANGE
    assert row["reason"] == "fewer than 7 people in the comparison"


def test_one_organisation_in_both_rounds_is_no_reliable_change(frameworks):
    council_only = {EARLIER: SAME_PEOPLE_EARLIER[:3], LATER: SAME_PEOPLE_LATER[:3]}
    _, table_ = compare(answers(council_only), frameworks)
    row = p1(table_)
    assert row["change"] == pytest.approx(1.0)
    assert row["panel_organisations"] == 1
    assert row["call"] == NO_RELIABLE_CHANGE
    assert row["reason"] == "fewer than 2 organisations answered in both rounds"


# A respondent who joined: R7 answers for the police in the later round only.
JOINER = ("R7", "police", 4, 4)


def test_a_respondent_who_joined_suppresses_the_comparison(frameworks):
    later = [*SAME_PEOPLE_LATER, JOINER]
    _, table_ = compare(answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: later}), frameworks)
    row = p1(table_)
    assert (row["panel_respondents"], row["joined"], row["left"]) == (6, 1, 0)
    assert row["suppressed"]
    assert math.isnan(row["change"])
    assert math.isnan(row["panel_score"])
    assert math.isnan(row["panel_previous"])
    assert row["call"] == NO_RELIABLE_CHANGE
    assert row["reason"] == "comparing could reveal the answers of people who joined or left"
    # each round's own published score is still shown: later (3.5 + police) / 2 where
    # police = items (2+2+2+4)/4 = 2.5 and (3+3+3+4)/4 = 3.25 -> 2.875
    assert row["score"] == pytest.approx((3.5 + 2.875) / 2)
    assert row["n"] == 7


def _joiner_from(scores, table_):
    """The attacker: the joiner's P1 mean from the police's published later score and the
    panel's later score, assuming (as the attacker can read) the council had no joiner.

    police full = (3 x police panel + joiner) / 4 on each item, so
    joiner = 4 x police full - 3 x police panel, with police panel = 2 x panel - council.
    """
    groups = scores.organisations
    later = groups[(groups["round"] == LATER) & (groups["dimension_id"] == "P1")]
    by_org = later.set_index("organisation_id")["score"]
    if "police" not in by_org or "council" not in by_org:
        return math.nan
    panel = p1(table_)["panel_score"]
    police_panel = 2 * panel - by_org["council"]
    return 4 * by_org["police"] - 3 * police_panel


def test_an_attacker_cannot_recover_a_joiners_answers(frameworks):
    responses = answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: [*SAME_PEOPLE_LATER, JOINER]})
    scores, table_ = compare(responses, frameworks)
    guess = _joiner_from(scores, table_)
    assert math.isnan(guess) or guess != pytest.approx(4.0)
    # every published number of the change table, tried as the panel's later score
    for value in table_.select_dtypes("number").to_numpy().ravel():
        probe = table_.assign(panel_score=value)
        tried = _joiner_from(scores, probe)
        assert math.isnan(tried) or tried != pytest.approx(4.0)


def test_the_attack_works_when_the_cross_round_check_is_off(frameworks):
    """The attack above has teeth: with a floor of one the panel is shown and R7 falls out."""
    responses = answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: [*SAME_PEOPLE_LATER, JOINER]})
    scores, table_ = compare(responses, frameworks, policy=Policy(min_cell_size=1))
    assert _joiner_from(scores, table_) == pytest.approx(4.0)


def test_three_people_joining_one_organisation_may_be_compared(frameworks):
    joiners = [(f"J{i}", "police", 3, 3) for i in range(3)]
    later = [*SAME_PEOPLE_LATER, *joiners]
    _, table_ = compare(answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: later}), frameworks)
    row = p1(table_)
    assert (row["panel_respondents"], row["joined"]) == (6, 3)
    assert not row["suppressed"]
    # the panel leaves the joiners out: the same 0.75 as with no joiners
    assert row["change"] == pytest.approx(0.75)
    assert row["call"] == IMPROVED


def test_an_organisation_of_three_that_left_is_left_out_of_the_comparison(frameworks):
    fire = [(f"F{i}", "fire", 1, 1) for i in range(3)]
    _, table_ = compare(
        answers({EARLIER: [*SAME_PEOPLE_EARLIER, *fire], LATER: SAME_PEOPLE_LATER}), frameworks
    )
    row = p1(table_)
    assert (row["previous_organisations"], row["organisations"]) == (3, 2)
    assert (row["panel_organisations"], row["left"]) == (2, 3)
    # earlier published score counts fire: (2.5 + 2.0 + 1.0) / 3; the panel does not
    assert row["previous_score"] == pytest.approx(5.5 / 3)
    assert row["panel_previous"] == pytest.approx(2.25)
    assert row["change"] == pytest.approx(0.75)
    assert row["call"] == IMPROVED


def test_an_organisation_of_one_that_left_suppresses_the_comparison(frameworks):
    lone = ("F1", "fire", 1, 1)
    _, table_ = compare(
        answers({EARLIER: [*SAME_PEOPLE_EARLIER, lone], LATER: SAME_PEOPLE_LATER}), frameworks
    )
    row = p1(table_)
    assert row["left"] == 1
    assert row["suppressed"]
    assert row["call"] == NO_RELIABLE_CHANGE


def test_a_small_pooled_organisation_in_the_panel_suppresses_the_comparison(frameworks):
    # Council and police have four people each, named in both rounds. nhs's two people
    # answer in both rounds; three new fire staff join in the later round, and fire
    # (the smallest named) is pooled with nhs. The later panel is council, police and
    # nhs, all unchanged, so panel x 3 - council - police would be nhs's two people.
    extra = [("R0", "council", 3, 3), ("R9", "police", 2, 2)]
    nhs_earlier = [("N1", "nhs", 1, 1), ("N2", "nhs", 1, 2)]
    nhs_later = [("N1", "nhs", 2, 2), ("N2", "nhs", 2, 3)]
    fire = [(f"F{i}", "fire", 3, 3) for i in range(3)]
    responses = answers(
        {
            EARLIER: [*SAME_PEOPLE_EARLIER, *extra, *nhs_earlier],
            LATER: [*SAME_PEOPLE_LATER, *extra, *nhs_later, *fire],
        }
    )
    scores, table_ = compare(responses, frameworks)
    groups = scores.organisations
    later = groups[(groups["round"] == LATER) & (groups["dimension_id"] == "P1")]
    assert set(later["organisation_id"]) == {"council", "police", "other-partners"}
    row = p1(table_)
    assert (row["panel_respondents"], row["joined"]) == (10, 3)
    assert row["suppressed"]
    assert math.isnan(row["panel_score"])


def test_a_partnership_that_ended_has_no_change_row(frameworks):
    ended = answers({EARLIER: SAME_PEOPLE_EARLIER}, partnership="ended")
    both = answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: SAME_PEOPLE_LATER})
    _, table_ = compare(pd.concat([ended, both], ignore_index=True), frameworks)
    assert set(table_["partnership_id"]) == {"p"}


def test_round_pairs_use_each_partnerships_own_previous_round():
    dims = pd.DataFrame(
        {
            "round": ["2022-23", "2024-25", "2023-24", "2024-25"],
            "partnership_id": ["a", "a", "b", "b"],
            "framework_id": ["f"] * 4,
            "dimension_id": ["d"] * 4,
        }
    )
    pairs = round_pairs(dims)
    assert pairs[["partnership_id", "previous_round", "round"]].values.tolist() == [
        ["a", "2022-23", "2024-25"],
        ["b", "2023-24", "2024-25"],
    ]


def checklist(round_, ratings):
    """VicHealth V1 agreed ratings on 1-5, one per item."""
    return pd.DataFrame(
        [
            (round_, "p", "vichealth-pat", f"V1.{i}", str(r), "minutes")
            for i, r in enumerate(ratings, start=1)
        ],
        columns=CHECKLIST_COLUMNS,
    )


def test_a_checklist_change_is_the_difference_of_the_agreed_scores(frameworks):
    # earlier 3,3,3,3,3 -> 3.0; later 4,4,3,3,4 -> 3.6; change 0.6 >= 0.5 on a 1-5 scale
    ratings = pd.concat(
        [checklist(EARLIER, [3, 3, 3, 3, 3]), checklist(LATER, [4, 4, 3, 3, 4])],
        ignore_index=True,
    )
    empty = pd.DataFrame(columns=COLUMNS)
    _, table_ = compare(empty, frameworks, checklist=ratings)
    row = table_[table_["dimension_id"] == "V1"].iloc[0]
    assert (row["previous_score"], row["score"]) == (pytest.approx(3.0), pytest.approx(3.6))
    assert (row["previous_n"], row["n"]) == (5, 5)
    assert row["change"] == pytest.approx(0.6)
    assert row["min_change"] == pytest.approx(0.5)
    assert row["call"] == IMPROVED


def renamed(people, prefix):
    """The same answers under new respondent ids (a survey whose ids differ by round)."""
    return [(f"{prefix}{r}", org, a, b) for r, org, a, b in people]


def test_without_matching_ids_the_same_organisations_are_compared(frameworks):
    responses = answers({EARLIER: SAME_PEOPLE_EARLIER, LATER: renamed(SAME_PEOPLE_LATER, "new-")})
    _, table_ = compare(responses, frameworks)
    row = p1(table_)
    assert row["pairing"] == "same organisations"
    # nobody joined or left an organisation that answered both rounds: the same 0.75
    assert (row["panel_respondents"], row["panel_organisations"]) == (6, 2)
    assert (row["joined"], row["left"]) == (0, 0)
    assert row["change"] == pytest.approx(0.75)
    assert row["call"] == IMPROVED


LONE_FIRE = ("F1", "fire", 1, 1)


def _lone_from(scores, table_):
    """The attacker: the earlier round's lone fire respondent's P1 mean.

    Earlier, council and police are the panel's organisations, so
    council = 2 x panel_previous - police, and the partnership's earlier score is
    (council + police + fire) / 3, so fire = 3 x score then - council - police.
    """
    groups = scores.organisations
    earlier = groups[(groups["round"] == EARLIER) & (groups["dimension_id"] == "P1")]
    by_org = earlier.set_index("organisation_id")["score"]
    if "police" not in by_org:
        return math.nan
    row = p1(table_)
    council = 2 * row["panel_previous"] - by_org["police"]
    return 3 * row["previous_score"] - council - by_org["police"]


def test_an_attacker_cannot_recover_an_organisation_of_one_that_left(frameworks):
    responses = answers(
        {EARLIER: [*SAME_PEOPLE_EARLIER, LONE_FIRE], LATER: renamed(SAME_PEOPLE_LATER, "n")}
    )
    scores, table_ = compare(responses, frameworks)
    row = p1(table_)
    assert (row["pairing"], row["left"]) == ("same organisations", 1)
    assert row["suppressed"]
    assert row["reason"] == "comparing could reveal the answers of people who joined or left"
    guess = _lone_from(scores, table_)
    assert math.isnan(guess) or guess != pytest.approx(1.0)


def test_the_leaver_attack_works_when_the_cross_round_check_is_off(frameworks):
    responses = answers(
        {EARLIER: [*SAME_PEOPLE_EARLIER, LONE_FIRE], LATER: renamed(SAME_PEOPLE_LATER, "n")}
    )
    scores, table_ = compare(responses, frameworks, policy=Policy(min_cell_size=1))
    assert _lone_from(scores, table_) == pytest.approx(1.0)
