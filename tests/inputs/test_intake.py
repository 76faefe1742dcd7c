"""Evidence brought in as one step each: survey exports with their mappings, officer returns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from evalkit.config import Settings
from evalkit.inputs import intake
from evalkit.method.framework import load_frameworks
from small_portfolio import SAMPLE_RAW

SURVEY = "northshire-partnership-survey-2024-25"


def _settings(tmp_path: Path, raw: Path) -> Settings:
    return Settings(
        raw_dir=raw,
        interim_dir=tmp_path / "interim",
        processed_dir=tmp_path / "processed",
        respondent_key=tmp_path / "key" / "respondent.key",
    )


def test_a_mapping_without_its_export_is_a_problem_and_nothing_is_written(tmp_path):
    raw = tmp_path / "raw"
    (raw / "survey").mkdir(parents=True)
    shutil.copy(SAMPLE_RAW / "survey" / f"{SURVEY}.mapping.yaml", raw / "survey" / "a.mapping.yaml")
    settings = _settings(tmp_path, raw)
    assert intake.survey_mappings(settings) == [raw / "survey" / "a.mapping.yaml"]
    report = intake.import_surveys(settings, load_frameworks())
    assert report.exit_code == 2
    assert report.lines == ["ERROR a.mapping.yaml: no export beside it (expected a.xlsx or a.csv)"]
    assert not (tmp_path / "interim").exists()


def test_every_export_with_a_mapping_is_imported_into_the_interim_folder(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW / "survey", raw / "survey")
    settings = _settings(tmp_path, raw)
    report = intake.import_surveys(settings, load_frameworks())
    assert report.exit_code == 0
    assert report.lines[0].startswith("Created a new respondent key at ")  # first use
    table = tmp_path / "interim" / "survey" / SURVEY / "responses.csv"
    assert report.lines[-1].startswith("Wrote ") and str(table) in report.lines[-1]
    answers = pd.read_csv(table, dtype=str)
    assert set(answers["framework_id"]) == {"nuffield-pat"}
    assert set(answers["round"]) == {"2024-25"}
    again = intake.import_surveys(settings, load_frameworks())  # the key exists now
    assert again.exit_code == 0 and not again.lines[0].startswith("Created")


def test_returns_wait_in_the_raw_folders_inbox(tmp_path):
    raw = tmp_path / "raw"
    settings = _settings(tmp_path, raw)
    assert intake.returns_inbox(settings) == raw / "returns" / "inbox"
    assert not intake.has_returns(settings)  # no folder
    (raw / "returns" / "inbox").mkdir(parents=True)
    assert not intake.has_returns(settings)  # an empty folder
    (raw / "returns" / "inbox" / "city-deal-lep.xlsx").write_bytes(b"")
    assert intake.has_returns(settings)


def test_a_step_report_keeps_the_worse_exit_code_and_every_line():
    report = intake.StepReport(0, ["one"])
    report.add(intake.StepReport(2, ["two"]))
    report.add(intake.StepReport(0, ["three"]))
    assert (report.exit_code, report.lines) == (2, ["one", "two", "three"])
