"""tools/sample_survey.py: the sample's survey export imports back to the answers it moved."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pandas as pd
from openpyxl import load_workbook

from evalkit.inputs.survey.coverage import Duplicate
from evalkit.inputs.survey.importer import import_export, write_import
from evalkit.inputs.survey.mapping import load_mapping
from evalkit.inputs.survey.pseudonym import RespondentKey
from evalkit.method.framework import Framework
from small_portfolio import ROOT
from survey_helpers import SECRET

COLUMNS = [
    "round",
    "partnership_id",
    "respondent_id",
    "organisation_id",
    "framework_id",
    "item_id",
    "response",
]
FRAMEWORK = {
    "items": [
        {"id": "P1.1", "text": "We have identified what the partnership has achieved so far."},
        {"id": "P1.2", "text": "We know which factors have helped the partnership succeed."},
    ]
}
ANSWERS = [
    "Agree",
    "Strongly agree",
    "Disagree",
    "Don't know",
    "Strongly disagree",
    "Agree",
    "Agree",
    "Disagree",
    "Strongly agree",
]


def sample_survey() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sample_survey", ROOT / "tools" / "sample_survey.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def responses() -> pd.DataFrame:
    """Nine respondents' answers to two items in 2024-25, and two rows that stay put."""
    rows = []
    for n, answer in enumerate(ANSWERS, start=1):
        partnership = "community-safety" if n <= 5 else "vcse-agreement"
        organisation = "the-council" if n % 2 else "northshire-police"
        for item in ("P1.1", "P1.2"):
            rows.append(
                ("2024-25", partnership, f"R{n:03d}", organisation, "nuffield-pat", item, answer)
            )
    rows.append(
        ("2023-24", "community-safety", "R100", "the-council", "nuffield-pat", "P1.1", "Agree")
    )
    rows.append(
        ("2024-25", "community-safety", "R101", "the-council", "wilder-factors", "F1", "Agree")
    )
    return pd.DataFrame(rows, columns=COLUMNS)


def test_sample_export_round_trips_with_its_mistakes_reported(
    tmp_path: Path, frameworks: dict[str, Framework]
) -> None:
    tool = sample_survey()
    names = {"community-safety": "Community Safety Partnership", "vcse-agreement": "VCSE Agreement"}
    orgs = {
        "the-council": "Northshire County Council (fictional)",
        "northshire-police": "Northshire Police (fictional)",
    }
    original = responses()
    kept = tool.move_to_survey_export(original, names, orgs, FRAMEWORK, tmp_path)
    assert kept.to_dict("records") == original.tail(2).reset_index(drop=True).to_dict("records")

    export = tmp_path / "survey" / "northshire-partnership-survey-2024-25.xlsx"
    mapping = load_mapping(export.with_suffix(".mapping.yaml"))
    key = RespondentKey(SECRET, Path("k"))
    imported = import_export(export, mapping, frameworks, key, mapping_name="m.yaml")
    moved = original.head(18)
    want = Counter(
        (
            r.partnership_id,
            r.organisation_id,
            r.item_id,
            "" if r.response == "Don't know" else r.response,
        )
        for r in moved.itertuples()
    )
    got = Counter(
        (r.partnership_id, r.organisation_id, r.item_id, r.response)
        for r in imported.responses.itertuples()
    )
    assert got == want
    coverage = imported.coverage
    assert (coverage.rows_read, coverage.respondents, coverage.missing_answers) == (10, 9, 2)
    assert coverage.unmapped_columns == ["column J ('Any other comments?')"]
    [duplicate] = coverage.duplicates
    assert (duplicate.kept_row, duplicate.dropped_rows) == (7, (2,))
    assert isinstance(duplicate, Duplicate)

    workbook = load_workbook(export, read_only=True)
    assert workbook.sheetnames == ["Sheet1", "About"]
    about = [row[0] for row in workbook["About"].iter_rows(values_only=True)]
    workbook.close()
    assert about[0] == "INVENTED SAMPLE DATA" and "invented" in str(about[1])

    written = write_import(imported, tmp_path / "interim")
    people = [tool.invented_person(n) for n in range(1, 10)]
    for path in written:
        text = path.read_text("utf-8")
        for name, email in people:
            assert name not in text and email not in text
        assert "ring me" not in text
