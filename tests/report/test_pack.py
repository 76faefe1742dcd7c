"""The evidence pack's data: load_pack reads one partnership from the scored folder."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from evalkit.errors import InputFileError
from evalkit.report.pack import load_pack

PID = "community-safety"


@pytest.fixture(scope="module")
def sample_pack(sample_scored):
    return load_pack(PID, "", sample_scored["processed"])


def test_a_blank_round_means_the_round_scoring_used(sample_pack):
    assert sample_pack.assessment_round == "2024-25"


def test_the_scoring_options_and_dataset_come_as_typed_records(sample_pack):
    assert sample_pack.scoring.as_of == "2025-03-31"
    assert sample_pack.scoring.officer_day_rate_gbp == 350.0
    assert sample_pack.scoring.min_cell_size == 3
    assert sample_pack.dataset.invented is True
    assert sample_pack.notice == (
        "INVENTED SAMPLE DATA — Northshire County Council is fictional; no value here "
        "is a real council's assessment"
    )


def test_the_pack_keeps_only_the_partnerships_own_rows(sample_pack):
    assert sample_pack.name == "Northshire Community Safety Partnership"
    names = sample_pack.org_names()
    assert sorted(names) == [
        "eastvale-bc",
        "northshire-fire",
        "northshire-icb",
        "northshire-police",
        "probation-service",
        "the-council",
        "westdale-dc",
    ]
    assert names["northshire-police"] == "Northshire Police (fictional)"
    assert list(sample_pack.tables["swot"]["text"])[:2] == [
        "Long-standing relationships between leaders",
        "Statutory footing gives clarity",
    ]
    assert set(sample_pack.tables["swot"]["partnership_id"]) == {PID}
    assert list(sample_pack.scores["risks"]["risk_id"]) == ["R1", "R2"]


def test_frameworks_come_in_the_report_order(sample_pack):
    assert sample_pack.frameworks_present() == [
        "nuffield-pat",
        "lga-drivers",
        "iso44001-lifecycle",
        "governance-checklist",
        "jrf-members",
        "wilder-factors",
        "vichealth-pat",
    ]


def test_the_top_finding_is_the_high_risk(sample_pack):
    # its mitigation and owner are recorded, so it is medium priority; no finding is high,
    # and among the medium ones "high-risk" comes first by code
    assert sample_pack.top_finding() == (
        "Risk R1 scores 16 (likelihood 4 × impact 4): Home Office grant for violence "
        "reduction ends in March 2025. Mitigation recorded: Bid for successor funding; "
        "exit plan for posts (owner: Head of Community Safety)."
    )


def test_write_summary_writes_the_summary_record(sample_pack, tmp_path):
    path = sample_pack.write_summary(tmp_path / "out")
    assert path == tmp_path / "out" / "summary.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["partnership_id"] == PID
    assert record["name"] == "Northshire Community Safety Partnership"
    assert record["assessment_round"] == "2024-25"
    assert record["invented_data"] is True
    # medium: high-risk, no-exit-arrangements, outcome-wrong-way, partners-diverge ×2,
    # review-overdue, unit-cost-rising, weak-dimension; low: council-view-differs ×2,
    # evidence-missing ×2, governing-document-old, target-missed
    assert record["findings"] == {"medium": 8, "low": 6}
    assert record["frameworks"][0] == "nuffield-pat"


def test_a_round_that_was_not_scored_is_refused(sample_scored):
    with pytest.raises(InputFileError, match="round '2019-20' was not scored"):
        load_pack(PID, "2019-20", sample_scored["processed"])


def test_frameworks_given_are_used_instead_of_scorings(sample_scored, frameworks):
    only = {"nuffield-pat": frameworks["nuffield-pat"]}
    pack = load_pack(PID, "", sample_scored["processed"], frameworks=only)
    assert list(pack.frameworks) == ["nuffield-pat"]


def test_an_unknown_partnership_is_an_input_error_naming_the_known_ones(sample_scored):
    with pytest.raises(InputFileError, match="'nowhere' is not in the register") as caught:
        load_pack("nowhere", "", sample_scored["processed"])
    assert "community-safety" in str(caught.value)


def test_an_unscored_folder_is_an_input_error(sample_scored, tmp_path):
    shutil.copy(sample_scored["processed"] / "dataset.json", tmp_path / "dataset.json")
    with pytest.raises(InputFileError, match="run `evalkit score` first"):
        load_pack(PID, "", tmp_path)


def test_top_finding_skips_findings_for_information(make_pack):
    findings = pd.DataFrame(
        {"severity": ["info", "medium"], "code": ["a", "b"], "message": ["FYI.", "Act."]}
    )
    assert make_pack(scores={"findings": findings}).top_finding() == "Act."
    assert make_pack(scores={"findings": findings.head(1)}).top_finding() is None
    assert make_pack().top_finding() is None


def test_frameworks_of_a_councils_own_follow_the_shipped_ones_by_id(make_pack):
    dims = pd.DataFrame(
        {
            "round": ["2024-25", "2024-25", "2024-25", "2023-24"],
            "framework_id": ["zz-own", "lga-drivers", "aa-own", "nuffield-pat"],
        }
    )
    pack = make_pack(scores={"dimension_scores": dims})
    assert pack.frameworks_present() == ["lga-drivers", "aa-own", "zz-own"]
    assert list(pack.dims("zz-own")["framework_id"]) == ["zz-own"]
