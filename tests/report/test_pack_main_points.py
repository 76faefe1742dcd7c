"""Main points: each bullet worked out by hand from a small pack built by hand."""

from __future__ import annotations

import json

import pandas as pd
from bs4 import BeautifulSoup

from evalkit.report.pack import frameworks, main_points


def dims() -> pd.DataFrame:
    """Nuffield PAT (a survey, 3 principles) and the governance checklist (2 sections)."""
    return pd.DataFrame(
        {
            "round": "2024-25",
            "partnership_id": "csp",
            "framework_id": ["nuffield-pat"] * 3 + ["governance-checklist"] * 2,
            "dimension_id": ["P1", "P2", "P3", "G1", "G2"],
            "dimension_title": ["Need", "Purpose", "Trust", "Legal basis", "Money"],
            "mode": ["survey"] * 3 + ["checklist"] * 2,
            "score": [1.5, 3.0, 2.25, 0.5, 1.5],
            "n_respondents": [14, 13, 14, None, None],
            "n_organisations": [6, 6, 5, None, None],
            "n_expected": [42, 42, 42, None, None],
            "n_items": [None, None, None, 4, 3],
            "n_missing": [0, 1, 0, 1, 0],
            "n_no_evidence": [None, None, None, 0, 2],
            "diverged": pd.array([True, False, True, pd.NA, pd.NA], dtype="boolean"),
        }
    )


def findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "severity": ["high", "medium", "medium", "low", "info"],
            "code": [
                "no-governing-document",
                "partners-diverge",
                "weak-dimension",
                "evidence-missing",
                "council-accountable-body",
            ],
            "message": [
                "No governing document is in place.",
                "Partners disagree.",
                "1 principle is weak.",
                "2 of 6 ratings have no evidence reference.",
                "The council is the accountable body.",
            ],
            "evidence": [
                "{}",
                json.dumps({"dimensions": ["P1", "P3"]}),
                json.dumps({"dimensions": ["P1"]}),
                json.dumps({"items_without_evidence": 2, "ratings": 6}),
                "{}",
            ],
            "framework_id": [None, "nuffield-pat", "nuffield-pat", "governance-checklist", None],
        }
    )


def risks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "risk_id": ["R1", "R2", "R3"],
            "rating": ["high", "high", "low"],
            "score": [16, 15, 4],
            "owner": ["Head of service", None, "Clerk"],
            "mitigation": ["Bid again", "Refresh", None],
        }
    )


def indicators() -> pd.DataFrame:
    # Incidents: 2023-24 better, but its latest period (2024-25) worse, target missed;
    # Victims: 2024-25 better, target met; Training: 2024-25 better, no target.
    return pd.DataFrame(
        {
            "indicator_id": ["asb", "asb", "victims", "training"],
            "period": ["2023-24", "2024-25", "2024-25", "2024-25"],
            "moved": ["better", "worse", "better", "better"],
            "target_met": pd.array([True, False, True, pd.NA], dtype="boolean"),
        }
    )


def full_pack(make_pack):
    return make_pack(
        scores={
            "dimension_scores": dims(),
            "findings": findings(),
            "risks": risks(),
            "vfm_indicators": indicators(),
        }
    )


def test_every_main_point_is_worked_out_from_the_data(make_pack):
    texts = [p.text for p in main_points.points(full_pack(make_pack))]
    assert texts == [
        # 5 findings less 1 for information = 4 to act on: 1 high, 2 medium, 1 low
        "The review makes 4 findings to act on: 1 high priority (act now), 2 medium and 1 "
        "low. Most urgent: No governing document is in place.",
        # weak-dimension lists P1 only; the Nuffield rows: at most 14 respondents, 6 orgs
        "Partners rated 1 of the 3 principles of the Nuffield PAT weak, based on 14 "
        "respondents from 6 organisations.",
        # partners-diverge lists P1 and P3
        "Partner organisations disagree, some agreeing and some not, on 2 of 3 principles "
        "of the Nuffield PAT. Each organisation's view counts once.",
        # R1 and R2 are high; only R1 has both an owner and a mitigation
        "2 of the 3 recorded risks are rated high (a score of 15 or more out of 25); 1 of "
        "them has a mitigation and an owner recorded.",
        # latest periods: asb worse, victims better, training better; 2 with a target
        "2 of 3 indicators moved the right way from the baseline in the latest period, "
        "and 1 of 2 with a target met it.",
        # the checklist: 4 + 3 items less 1 not rated = 6 ratings; 0 + 2 without evidence
        "2 of the 6 checklist ratings that need an evidence reference have none, so they "
        "cannot be checked.",
    ]
    assert [p.anchor for p in main_points.points(full_pack(make_pack))] == [
        "findings",
        "framework-nuffield-pat",
        "framework-nuffield-pat",
        "risk",
        "impact",
        "framework-governance-checklist",
    ]


def test_one_high_risk_is_it(make_pack):
    one = risks().iloc[[0, 2]]  # R1 (high, managed) and R3 (low)
    point = main_points.risk_point(make_pack(scores={"risks": one}))
    assert point.text == (
        "1 of the 2 recorded risks is rated high (a score of 15 or more out of 25); it has a "
        "mitigation and an owner recorded."
    )
    alone = risks().iloc[[1]]  # R2: high, no owner
    assert main_points.risk_point(make_pack(scores={"risks": alone})).text == (
        "The one recorded risk is rated high (a score of 15 or more out of 25); it lacks a "
        "mitigation or an owner recorded."
    )


def test_a_checklist_weak_point_rests_on_the_agreed_ratings(make_pack):
    weak = pd.DataFrame(
        {
            "severity": ["medium"],
            "code": ["weak-dimension"],
            "message": ["G1 is weak."],
            "evidence": [json.dumps({"dimensions": ["G1"]})],
            "framework_id": ["governance-checklist"],
        }
    )
    pack = make_pack(scores={"dimension_scores": dims(), "findings": weak})
    (point,) = main_points.weak_points(pack)
    # 4 + 3 items, 1 not rated: 6 agreed ratings
    assert point.text == (
        "The agreed ratings put 1 of the 2 sections of the Governance checklist weak, based "
        "on 6 agreed ratings."
    )


def test_a_pack_with_nothing_found_still_has_three_points(make_pack):
    texts = [p.text for p in main_points.points(make_pack())]
    assert texts == [
        "The review's rules found nothing to act on.",
        "No risks are recorded for this partnership.",
        "No output or outcome indicators were recorded.",
    ]


def test_no_more_than_six_points_and_at_most_two_about_weak_areas(make_pack):
    pack = full_pack(make_pack)
    extra = pd.DataFrame(
        {
            "severity": ["medium"] * 2,
            "code": ["weak-dimension"] * 2,
            "message": ["G1 is weak.", "W is weak."],
            "evidence": [json.dumps({"dimensions": ["G1"]})] * 2,
            "framework_id": ["governance-checklist", "nuffield-pat"],
        }
    )
    pack.scores["findings"] = pd.concat([findings(), extra], ignore_index=True)
    found = main_points.points(pack)
    assert len(found) == main_points.MAX_POINTS == 6
    weak = [p for p in found if " weak, based on " in p.text]
    assert len(weak) == main_points.MAX_WEAK_POINTS == 2


def test_the_section_is_a_heading_with_its_id_and_a_list(make_pack):
    fragment = main_points.html(make_pack())
    soup = BeautifulSoup(fragment, "html.parser")
    assert soup.find("h2").get("id") == "main-points"
    assert soup.find("h2").get_text() == "Main points"
    assert len(soup.select("ul.main-points > li")) == 3


def test_text_from_data_in_a_point_is_escaped(make_pack):
    found = findings().iloc[:1].assign(message="<script>alert(1)</script>")
    fragment = main_points.html(make_pack(scores={"findings": found}))
    assert "<script>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment


# -- headings that say what was found ----------------------------------------------------------


def test_a_survey_heading_names_the_lowest_rated_principle(make_pack):
    pack = make_pack(scores={"dimension_scores": dims()})
    nuffield = pack.frameworks["nuffield-pat"]
    # Need 1.5 < Trust 2.25 < Purpose 3.0
    assert frameworks.headline(nuffield, pack.dims("nuffield-pat")) == (
        "Nuffield PAT: partners rate Need lowest of 3 principles"
    )


def test_a_checklist_heading_names_two_tied_lowest_and_counts_more(make_pack):
    pack = make_pack(scores={"dimension_scores": dims()})
    checklist = pack.frameworks["governance-checklist"]
    d = pd.DataFrame(
        {
            "dimension_title": ["Legal basis", "Money", "Risk", "People"],
            "score": [0.5, 0.5, 1.0, 2.0],
        }
    )
    assert frameworks.headline(checklist, d) == (
        "Governance checklist: Legal basis and Money rated lowest of 4 sections"
    )
    three = d.assign(score=[0.5, 0.5, 0.504, 2.0])  # 0.504 shows as 0.50: a tie on the page
    assert frameworks.headline(checklist, three) == (
        "Governance checklist: 3 of 4 sections share the lowest score (0.5)"
    )
    same = d.assign(score=[1.0] * 4)
    assert frameworks.headline(checklist, same) == (
        "Governance checklist: all 4 sections scored the same (1.0)"
    )
    one = d.iloc[:1]
    assert frameworks.headline(checklist, one) == "Governance checklist: Legal basis scored 0.5"
    blank = d.assign(score=float("nan"))
    assert frameworks.headline(checklist, blank) == "Governance checklist: no scores can be shown"
