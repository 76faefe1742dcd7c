"""Reading a scored folder back: ScoredFolder over the scored (invented) sample."""

from __future__ import annotations

import shutil

import pytest

from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.method.results import SCORE_FILES, SCORE_TABLE_BASIS, ScoredFolder


@pytest.fixture(scope="module")
def folder(sample_scored) -> ScoredFolder:
    return ScoredFolder.open(sample_scored["processed"])


def test_metadata_of_the_sample(folder):
    assert folder.dataset.invented and "INVENTED" in (folder.notice or "")
    assert folder.dataset.input_files  # SHA-256 of each raw file
    assert folder.scoring.assessment_round == "2024-25"
    assert folder.scoring.as_of == "2025-03-31"  # the end of the 2024-25 financial year
    assert folder.scoring.officer_day_rate_gbp == 350.0
    assert not folder.scoring.lower_on_disagreement
    assert set(folder.scoring.framework_editions) == set(folder.frameworks())


def test_round_asked_for_else_the_scored_round(folder):
    assert folder.round_or_latest(None) == "2024-25"
    assert folder.round_or_latest("2023-24") == "2023-24"


def test_every_score_table_is_written_and_read(folder):
    written = {p.stem for p in folder.scores_dir.glob("*.csv")}
    assert written == set(SCORE_FILES)
    assert set(folder.scores()) == set(SCORE_FILES)


def test_one_partnership_with_types_restored(folder, sample_scored):
    pid = sample_scored["pack_id"]
    scores = folder.scores(pid)
    for name, frame in scores.items():
        if "partnership_id" in frame:
            assert set(frame["partnership_id"]) <= {pid}, name
    dims = scores["dimension_scores"]
    assert len(dims) and str(dims["n_respondents"].dtype) == "Int64"
    assert str(dims["diverged"].dtype) == "boolean"
    findings = scores["findings"]
    assert len(findings) and all(isinstance(e, dict) for e in findings["evidence"])
    assert all(isinstance(e, str) for e in folder.scores(pid, evidence=False)["findings"].evidence)


def test_inputs_are_the_prepared_tables(folder, sample_scored):
    parts = folder.inputs(["partnerships"])["partnerships"]
    assert sorted(parts["partnership_id"]) == sorted(sample_scored["names"])
    assert parts["in_scope"].dtype == "boolean"


def test_score_tables_based_on_input_tables_name_real_tables():
    assert set(SCORE_TABLE_BASIS) <= set(SCORE_FILES)
    assert set(SCORE_TABLE_BASIS.values()) <= set(TABLES_BY_NAME)


def test_unprepared_or_unscored_folder_is_a_clear_error(sample_scored, tmp_path):
    with pytest.raises(InputFileError, match="evalkit prepare"):
        ScoredFolder.open(tmp_path)
    unscored = tmp_path / "processed"
    shutil.copytree(sample_scored["processed"], unscored, ignore=shutil.ignore_patterns("scores"))
    with pytest.raises(InputFileError, match="evalkit score"):
        ScoredFolder.open(unscored)


def test_a_round_that_was_not_scored_is_refused(folder):
    # the sample scores 2022-23, 2023-24 and 2024-25 (hand-checked in data/raw/responses.csv)
    assert set(folder.scoring.rounds) == {"2022-23", "2023-24", "2024-25"}
    assert folder.round_or_latest("2022-23") == "2022-23"
    with pytest.raises(InputFileError, match="2021-22.*scored rounds: 2022-23, 2023-24, 2024-25"):
        folder.round_or_latest("2021-22")
