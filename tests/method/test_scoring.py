"""Scoring, worked by hand: every expected number below is computed in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalkit.inputs.contract import table
from evalkit.method.framework import load_frameworks
from evalkit.method.scoring import score_all

ROUND = "2024-25"


ORGS = pd.DataFrame(
    {
        "organisation_id": ["council", "police", "nhs"],
        "name": ["The council", "Police", "NHS"],
        "sector": ["local authority", "police", "NHS"],
        "is_council": [True, False, False],
    }
)


def responses(rows):
    return pd.DataFrame(rows, columns=table("responses").column_names)


def checklist(rows):
    return pd.DataFrame(
        rows,
        columns=["round", "partnership_id", "framework_id", "item_id", "status", "evidence_ref"],
    )


EMPTY_CHECKLIST = checklist([])
EMPTY_RESPONSES = responses([])

# Nuffield P1, two items, three organisations:
#   council  R1: P1.1 Strongly agree (4), P1.2 Agree (3); R2: P1.1 Agree (3), P1.2 Agree (3)
#            item means 3.5 and 3.0 -> organisation score 3.25
#   police   R3: P1.1 Disagree (2), P1.2 Strongly disagree (1) -> 1.5
#   nhs      R4: P1.1 Don't know (missing), P1.2 Agree (3) -> 3.0
NUFFIELD = responses(
    [
        (ROUND, "p", "R1", "council", "nuffield-pat", "P1.1", "Strongly agree"),
        (ROUND, "p", "R1", "council", "nuffield-pat", "P1.2", "agree"),
        (ROUND, "p", "R2", "council", "nuffield-pat", "P1.1", "3"),
        (ROUND, "p", "R2", "council", "nuffield-pat", "P1.2", " Agree "),
        (ROUND, "p", "R3", "police", "nuffield-pat", "P1.1", "Disagree"),
        (ROUND, "p", "R3", "police", "nuffield-pat", "P1.2", "SD"),
        (ROUND, "p", "R4", "nhs", "nuffield-pat", "P1.1", "Don’t know"),
        (ROUND, "p", "R4", "nhs", "nuffield-pat", "P1.2", "Agree"),
    ]
)


#: These hand-worked cases treat the answers as organisational returns, so every
#: organisation is shown by name; the policy for surveys of individuals (pooling,
#: suppression under the floor) is worked by hand in tests/method/test_disclosure.py.
RETURNS = {
    "nuffield-pat": "organisational",
    "wilder-factors": "organisational",
    "local-health": "organisational",
}


def dim(scores, framework, dimension):
    d = scores.dimensions
    return d[(d["framework_id"] == framework) & (d["dimension_id"] == dimension)].iloc[0]


def test_nuffield_keeps_each_organisation_apart(frameworks):
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks, evidence_kinds=RETURNS)
    orgs = s.organisations.set_index("organisation_id")["score"]
    assert orgs["council"] == pytest.approx(3.25)
    assert orgs["police"] == pytest.approx(1.5)
    assert orgs["nhs"] == pytest.approx(3.0)
    row = dim(s, "nuffield-pat", "P1")
    assert row["score"] == pytest.approx((3.25 + 1.5 + 3.0) / 3)  # 2.5833
    assert (row["min_org"], row["max_org"], row["range"]) == pytest.approx((1.5, 3.25, 1.75))
    # population SD of 3.25, 1.5, 3.0 around 2.58333: sqrt(1.791667 / 3) = 0.772802
    assert row["sd"] == pytest.approx(0.772802, abs=1e-6)
    assert bool(row["diverged"]) is True  # 1.5 and 3.25 sit either side of 2.5
    assert row["council_gap"] == pytest.approx(3.25 - (1.5 + 3.0) / 2)  # 1.0
    assert row["n_respondents"] == 4
    assert row["n_organisations"] == 3
    assert row["missing_rate"] == pytest.approx(1 / 8)
    assert row["score_pct"] == pytest.approx((2.583333 - 1) / 3 * 100, abs=1e-3)
    assert pd.isna(row["band"])  # Nuffield publishes no bands


def test_nuffield_item_consensus(frameworks):
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks)
    items = s.items.set_index("item_id")
    assert items.loc["P1.1", "score"] == pytest.approx((3.5 + 2.0) / 2)  # nhs missing
    assert items.loc["P1.1", "n_missing"] == 1
    assert items.loc["P1.2", "score"] == pytest.approx((3.0 + 1.0 + 3.0) / 3)


def test_low_evidence_caveat(frameworks):
    # 4 respondents from 3 organisations: enough at the defaults (3 and 2), not at 5
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks)
    assert bool(dim(s, "nuffield-pat", "P1")["low_evidence"]) is False
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks, min_respondents=5)
    assert bool(dim(s, "nuffield-pat", "P1")["low_evidence"]) is True


def test_lower_score_rule_where_partners_disagree(frameworks):
    s = score_all(
        NUFFIELD,
        EMPTY_CHECKLIST,
        ORGS,
        frameworks,
        lower_on_disagreement=True,
        evidence_kinds=RETURNS,
    )
    row = dim(s, "nuffield-pat", "P1")
    assert row["score"] == pytest.approx(1.5)
    assert row["rule"] == "lowest organisation (partners disagree)"


def test_no_respondent_level_columns_in_outputs(frameworks):
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks)
    for frame in (s.items, s.organisations, s.dimensions, s.frameworks, s.sectors):
        assert "respondent_id" not in frame.columns
        assert "response" not in frame.columns


def test_sector_breakdown_suppresses_small_groups(frameworks):
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks, min_cell_size=2)
    sectors = s.sectors.set_index("sector")
    # local authority: 2 respondents (R1, R2) -> shown; police and NHS: 1 each -> suppressed
    assert sectors.loc["local authority", "score"] == pytest.approx((4 + 3 + 3 + 3) / 4)
    assert not sectors.loc["local authority", "suppressed"]
    assert sectors.loc["police", "suppressed"] and math.isnan(sectors.loc["police", "score"])
    assert pd.isna(sectors.loc["NHS", "n_respondents"])


def test_wilder_band_from_the_published_thresholds(frameworks):
    # F01: council answers 4 and 5 (4.5), police 3 and 4 (3.5): mean 4.0 -> strength band
    rows = [
        (ROUND, "p", "R1", "council", "wilder-factors", "F01.1", "Agree"),
        (ROUND, "p", "R1", "council", "wilder-factors", "F01.2", "Strongly agree"),
        (ROUND, "p", "R2", "police", "wilder-factors", "F01.1", "Neither agree nor disagree"),
        (ROUND, "p", "R2", "police", "wilder-factors", "F01.2", "4"),
    ]
    s = score_all(responses(rows), EMPTY_CHECKLIST, ORGS, frameworks, evidence_kinds=RETURNS)
    row = dim(s, "wilder-factors", "F01")
    assert row["score"] == pytest.approx(4.0)
    assert row["rag"] == "green"
    assert bool(row["diverged"]) is False  # 4.5 and 3.5 are both above 3


CHECKS = [
    # (id, framework, dimension, [(item, status, evidence)], score, n_missing, n_no_evidence)
    (
        "governance-exit",
        "governance-checklist",
        "G7",
        [("G7.1", "not in place", "Agreement s9"), ("G7.2", "In place", None)],
        1.0,
        0,
        1,
    ),
    (
        "lga-driver",
        "lga-drivers",
        "D1",
        [("D1.1", "strong", "Minutes"), ("D1.2", "Emerging", "Survey")],
        2.0,
        0,
        0,
    ),
    (
        "iso-exit-stage",
        "iso44001-lifecycle",
        "S8",
        [("S8.1", "0", "Plan"), ("S8.2", "n/a", None)],
        0.0,
        1,
        0,
    ),
    ("jrf-partly", "jrf-members", "M3", [("M3.1", "partly in place", "Cabinet report")], 1.0, 0, 0),
]


@pytest.mark.parametrize(
    ("framework", "dimension", "answers", "score", "n_missing", "n_no_evidence"),
    [c[1:] for c in CHECKS],
    ids=[c[0] for c in CHECKS],
)
def test_checklist_dimension(
    frameworks, framework, dimension, answers, score, n_missing, n_no_evidence
):
    rows = [(ROUND, "p", framework, item, status, ev) for item, status, ev in answers]
    s = score_all(EMPTY_RESPONSES, checklist(rows), ORGS, frameworks)
    row = dim(s, framework, dimension)
    assert row["score"] == pytest.approx(score)
    assert row["n_missing"] == n_missing
    assert row["n_no_evidence"] == n_no_evidence


def test_vichealth_total_and_band(frameworks):
    items = frameworks["vichealth-pat"].items_frame()["item_id"].tolist()
    assert len(items) == 35
    rows = [(ROUND, "p", "vichealth-pat", i, "Agree", "Workshop notes") for i in items]
    s = score_all(EMPTY_RESPONSES, checklist(rows), ORGS, frameworks)
    total = s.frameworks.set_index("framework_id").loc["vichealth-pat"]
    assert total["total"] == 35 * 4  # 140
    assert bool(total["complete"]) is True
    assert total["rag"] == "green"  # 127-175
    # one statement unanswered: total of 34 answers, but no band for an incomplete total
    rows[0] = (ROUND, "p", "vichealth-pat", items[0], "don't know", None)
    s = score_all(EMPTY_RESPONSES, checklist(rows), ORGS, frameworks)
    total = s.frameworks.set_index("framework_id").loc["vichealth-pat"]
    assert total["total"] == 34 * 4
    assert bool(total["complete"]) is False and pd.isna(total["band"])


def test_no_total_where_the_source_forbids_it(frameworks):
    s = score_all(NUFFIELD, EMPTY_CHECKLIST, ORGS, frameworks)
    total = s.frameworks.set_index("framework_id").loc["nuffield-pat"]
    assert pd.isna(total["total"])


def test_new_framework_from_yaml_scores_with_reverse_items(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "scales.yaml").write_text(
        "scales:\n"
        "  - id: three-point\n"
        "    title: Three point\n"
        "    owner: test council\n"
        "    kind: ordinal\n"
        "    levels:\n"
        "      - {value: 1, label: Low}\n"
        "      - {value: 2, label: Middle}\n"
        "      - {value: 3, label: High}\n"
        "    agree_line: 2\n"
        "    missing: [unsure]\n"
    )
    (folder / "local-health.yaml").write_text(
        "id: local-health\n"
        "title: Local partnership health check\n"
        "short_title: Health check\n"
        "edition: '2026'\n"
        "source: {citation: 'Test council internal', url: null}\n"
        "confirmation: evalkit\n"
        "confirmation_note: written for a test\n"
        "label: null\n"
        "mode: survey\n"
        "scale: three-point\n"
        "evidence_required: false\n"
        "dimension_label: theme\n"
        "dimensions:\n"
        "  - {id: T1, title: Trust, description: Trust between partners}\n"
        "items:\n"
        "  - {id: T1.1, dimension: T1, text: Partners trust each other, reverse: false,"
        " evidence_prompt: null, evidence_level: D}\n"
        "  - {id: T1.2, dimension: T1, text: One partner dominates, reverse: true,"
        " evidence_prompt: null, evidence_level: D}\n"
        "scoring: {dimension: mean, total: none, totals_allowed: false}\n"
        "bands: []\n"
        "bands_level: dimension\n"
        "bands_source: null\n"
    )
    frameworks = load_frameworks([folder])
    rows = [
        (ROUND, "p", "R1", "council", "local-health", "T1.1", "High"),  # 3
        (ROUND, "p", "R1", "council", "local-health", "T1.2", "High"),  # reversed: 1+3-3 = 1
    ]
    s = score_all(responses(rows), EMPTY_CHECKLIST, ORGS, frameworks, evidence_kinds=RETURNS)
    assert dim(s, "local-health", "T1")["score"] == pytest.approx(2.0)
