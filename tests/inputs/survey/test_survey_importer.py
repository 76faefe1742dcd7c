"""Applying a mapping to each export layout, answers worked out by hand (tests/inputs/survey)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evalkit.inputs.survey.coverage import Duplicate
from evalkit.inputs.survey.importer import folder_name, import_export, write_import
from evalkit.inputs.survey.mapping import MappingError, load_mapping
from evalkit.inputs.survey.pseudonym import RespondentKey
from evalkit.method.framework import Framework
from survey_helpers import expected_id, write_csv_rows, write_mapping, write_xlsx_rows

ANN = "email:ann.fictional@example.invalid"
BO = "email:bo@example.invalid"
#: Everything personal the Microsoft Forms export below holds.
PERSONAL = ["Ann", "Fictional", "example.invalid", "Invented", "Madeup", "07700 900123"]


def forms_export(path: Path) -> Path:
    """A Microsoft Forms export: Ann twice (the later one counts), Bo, Cy with no partnership."""
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Which partnership?",
        "Your organisation",
        "Partners share information openly",
        "The joint aims are NOT clear to every partner",
        "Decisions are taken in the open",
        "Any other comments?",
    ]

    def when(day: int) -> dt.datetime:
        return dt.datetime(2024, 5, day, 9)

    return write_xlsx_rows(
        path,
        [
            header,
            [
                1,
                when(1),
                when(1),
                "Ann.Fictional@Example.invalid",
                "Ann Fictional",
                "Community Safety Partnership",
                "Northshire Police",
                "Agree",
                "Agree",
                "Don't know",
                "Call me on 07700 900123",
            ],
            [
                2,
                when(2),
                when(2),
                "bo@example.invalid",
                "Bo Invented",
                "Community Safety Partnership",
                "the-council",
                "Strongly agree",
                "Strongly disagree",
                None,
                None,
            ],
            [
                3,
                when(3),
                when(3),
                " ann.fictional@example.INVALID",
                "Ann Fictional",
                "community safety partnership",
                "Northshire Police",
                "Disagree",
                "Strongly agree",
                "Not applicable",
                None,
            ],
            [
                4,
                when(4),
                when(4),
                "cy@example.invalid",
                "Cy Madeup",
                None,
                "Northshire Police",
                "Agree",
                "Agree",
                "Agree",
                None,
            ],
        ],
    )


FORMS_MAPPING = {
    "framework": "tiny-survey",
    "round": "2024-25",
    "partnership": {
        "column": "Which partnership?",
        "values": {"Community Safety Partnership": "community-safety"},
    },
    "organisation": {
        "column": "Your organisation",
        "values": {"Northshire Police": "northshire-police"},
    },
    "items": [
        {"item": "T1", "column": "Partners share information openly"},
        {"item": "T2", "letter": "I", "reverse": True},
        {"item": "T3", "column": "decisions are taken in the OPEN"},
    ],
}


def run(
    tmp_path: Path,
    export: Path,
    mapping: dict[str, object],
    frameworks: dict[str, Framework],
    key: RespondentKey,
):  # noqa: ANN201 - test helper
    path = write_mapping(tmp_path / "map.yaml", mapping)
    return import_export(export, load_mapping(path), frameworks, key, mapping_name="map.yaml")


def rows(imported) -> list[tuple[str, ...]]:  # noqa: ANN001 - test helper
    return [tuple(r) for r in imported.responses.itertuples(index=False)]


def test_microsoft_forms_answers_reverse_items_and_missing(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    imported = run(
        tmp_path, forms_export(tmp_path / "forms.xlsx"), FORMS_MAPPING, survey_frameworks, key
    )
    ann, bo = expected_id(ANN), expected_id(BO)
    base = ("2024-25", "community-safety")
    # Ann's later submission (row 4): Disagree; Strongly agree reversed; not applicable.
    # Bo (row 3): Strongly agree; Strongly disagree reversed; blank.
    assert rows(imported) == [
        (*base, ann, "northshire-police", "tiny-survey", "T1", "Disagree"),
        (*base, ann, "northshire-police", "tiny-survey", "T2", "Strongly disagree"),
        (*base, ann, "northshire-police", "tiny-survey", "T3", ""),
        (*base, bo, "the-council", "tiny-survey", "T1", "Strongly agree"),
        (*base, bo, "the-council", "tiny-survey", "T2", "Strongly agree"),
        (*base, bo, "the-council", "tiny-survey", "T3", ""),
    ]
    coverage = imported.coverage
    assert (coverage.rows_read, coverage.respondents, coverage.responses) == (4, 2, 6)
    assert coverage.missing_answers == 2
    assert coverage.unmapped_columns == ["column K ('Any other comments?')"]
    assert coverage.duplicates == [Duplicate(ann, "community-safety", 4, (2,))]
    assert coverage.without_partnership == [5]
    assert coverage.without_organisation == []


def test_google_forms_csv_fixed_ids_and_welsh_answers(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = write_csv_rows(
        tmp_path / "google.csv",
        [
            [
                "Timestamp",
                "Email address",
                "Rate it [Information]",
                "Rate it [Aims]",
                "Rate it [Decisions]",
            ],
            [
                "2024/05/01 10:00:00",
                "dee@example.invalid",
                "Cytuno",
                "Anghytuno'n gryf",
                "Ddim yn gwybod",
            ],
        ],
    )
    mapping = {
        "framework": "tiny-survey",
        "round": "2024-25",
        "partnership": {"value": "vcse-agreement"},
        "organisation": {"value": "the-council"},
        "items": [
            {"item": "T1", "column": "Rate it [Information]"},
            {"item": "T2", "column": "Rate it [Aims]"},
            {"item": "T3", "column": "Rate it [Decisions]"},
        ],
        "answers": {"Cytuno": 3, "Anghytuno'n gryf": 1, "Ddim yn gwybod": "missing"},
    }
    imported = run(tmp_path, export, mapping, survey_frameworks, key)
    dee = expected_id("email:dee@example.invalid")
    assert [r[2:] for r in rows(imported)] == [
        (dee, "the-council", "tiny-survey", "T1", "Agree"),
        (dee, "the-council", "tiny-survey", "T2", "Strongly disagree"),
        (dee, "the-council", "tiny-survey", "T3", ""),
    ]
    assert imported.coverage.layout == "google-forms"


def test_surveymonkey_names_make_the_id_and_letters_name_columns(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = write_xlsx_rows(
        tmp_path / "monkey.xlsx",
        [
            [
                "Respondent ID",
                "Collector ID",
                "Start Date",
                "End Date",
                "IP Address",
                "Email Address",
                "First Name",
                "Last Name",
                "Partnership",
                "Organisation",
                "How far do you agree?",
                None,
                None,
            ],
            [None] * 10 + ["Information is shared", "Aims are clear", "Decisions are open"],
            [
                111,
                9,
                None,
                None,
                "192.0.2.1",
                None,
                "Cy",
                "Fictional",
                "vcse-agreement",
                "the-council",
                "Strongly agree",
                "Disagree",
                "Agree",
            ],
        ],
    )
    mapping = {
        "framework": "tiny-survey",
        "round": "2024-25",
        "partnership": {"letter": "I"},
        "organisation": {"letter": "J"},
        "items": [
            {"item": "T1", "column": "How far do you agree? - Information is shared"},
            {"item": "T2", "letter": "L"},
            {"item": "T3", "letter": "M"},
        ],
    }
    imported = run(tmp_path, export, mapping, survey_frameworks, key)
    cy = expected_id("name:cy fictional")
    assert [r[1:] for r in rows(imported)] == [
        ("vcse-agreement", cy, "the-council", "tiny-survey", "T1", "Strongly agree"),
        ("vcse-agreement", cy, "the-council", "tiny-survey", "T2", "Disagree"),
        ("vcse-agreement", cy, "the-council", "tiny-survey", "T3", "Agree"),
    ]


def test_qualtrics_field_ids_and_an_anonymous_response(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = write_csv_rows(
        tmp_path / "qualtrics.csv",
        [
            ["StartDate", "EndDate", "ResponseId", "RecipientEmail", "Q1_1", "Q1_2", "Q1_3"],
            [
                "Start Date",
                "End Date",
                "Response ID",
                "Recipient Email",
                "Agreement - Info",
                "Agreement - Aims",
                "Agreement - Decisions",
            ],
            [
                '{"ImportId":"startDate"}',
                '{"ImportId":"endDate"}',
                '{"ImportId":"_recordId"}',
                '{"ImportId":"recipientEmail"}',
                '{"ImportId":"QID1_1"}',
                '{"ImportId":"QID1_2"}',
                '{"ImportId":"QID1_3"}',
            ],
            ["2024-05-01 09:00:00", "2024-05-01 09:09:00", "R_abc", "", "4", "2", "1"],
        ],
    )
    mapping = {
        "framework": "tiny-survey",
        "round": "2024-25",
        "partnership": {"value": "vcse-agreement"},
        "organisation": {"value": "the-council"},
        "items": [
            {"item": "T1", "column": "Q1_1"},
            {"item": "T2", "column": "Agreement - Aims"},
            {"item": "T3", "column": "Q1_3"},
        ],
    }
    imported = run(tmp_path, export, mapping, survey_frameworks, key)
    anonymous = expected_id("response:qualtrics:R_abc")
    assert [r[2:] for r in rows(imported)] == [
        (anonymous, "the-council", "tiny-survey", "T1", "Strongly agree"),
        (anonymous, "the-council", "tiny-survey", "T2", "Disagree"),
        (anonymous, "the-council", "tiny-survey", "T3", "Strongly disagree"),
    ]
    assert imported.coverage.unidentified == 1


def test_generic_table_with_identity_columns(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = write_csv_rows(
        tmp_path / "generic.csv",
        [
            ["Staff number", "Partnership", "Organisation", "Info", "Aims", "Decisions"],
            ["E123", "vcse-agreement", "the-council", "a", "sa", "n/a"],
        ],
    )
    mapping = {
        "framework": "tiny-survey",
        "round": "2024-25",
        "partnership": {"column": "Partnership"},
        "organisation": {"column": "Organisation"},
        "identity": [{"column": "Staff number"}],
        "items": [
            {"item": "T1", "column": "Info"},
            {"item": "T2", "column": "Aims"},
            {"item": "T3", "column": "Decisions"},
        ],
    }
    imported = run(tmp_path, export, mapping, survey_frameworks, key)
    staff = expected_id("columns:e123")
    assert [r[2:] for r in rows(imported)] == [
        (staff, "the-council", "tiny-survey", "T1", "Agree"),
        (staff, "the-council", "tiny-survey", "T2", "Strongly agree"),
        (staff, "the-council", "tiny-survey", "T3", ""),
    ]
    assert imported.coverage.layout == "generic"


def test_written_files_hold_no_names_and_reimport_is_byte_identical(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = forms_export(tmp_path / "forms.xlsx")
    before = export.read_bytes()
    out = tmp_path / "interim" / "survey" / folder_name(export)
    written = write_import(run(tmp_path, export, FORMS_MAPPING, survey_frameworks, key), out)
    first = {p.name: p.read_bytes() for p in written}
    assert sorted(first) == ["coverage.json", "responses.csv"]
    for data in first.values():
        text = data.decode("utf-8")
        assert [word for word in PERSONAL if word.lower() in text.lower()] == []
    again = write_import(run(tmp_path, export, FORMS_MAPPING, survey_frameworks, key), out)
    assert {p.name: p.read_bytes() for p in again} == first
    assert export.read_bytes() == before
    header = first["responses.csv"].decode().splitlines()[0]
    assert (
        header == "round,partnership_id,respondent_id,organisation_id,framework_id,item_id,response"
    )


def test_mapping_that_cannot_be_applied_lists_every_problem(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    bad = {
        **FORMS_MAPPING,
        "partnership": {"column": "Which partnership?"},
        "items": [
            {"item": "T1", "column": "Partners share info openly"},
            {"item": "T9", "letter": "I"},
            {"item": "T3", "letter": "Z"},
        ],
        "answers": {"Maybe": 7},
    }
    with pytest.raises(MappingError) as caught:
        run(tmp_path, forms_export(tmp_path / "forms.xlsx"), bad, survey_frameworks, key)
    assert caught.value.problems == [
        "map.yaml: items[0]: no column of the export is headed 'Partners share info openly'; "
        "did you mean 'Partners share information openly'?",
        "map.yaml: items[1].item: 'T9' is not an item of tiny-survey (its items are T1, T2, T3)",
        "map.yaml: items[2]: column Z is past the export's last column (K)",
        "map.yaml: answers['Maybe']: 7 is not a value of the scale agree4 (1, 2, 3, 4, or missing)",
        "column F ('Which partnership?'): text 'Community Safety Partnership' in 2 row(s) (2, 3); "
        "add it under 'values:' in the mapping, with the id it means",
        "column F ('Which partnership?'): text 'community safety partnership' in 1 row(s) (4); "
        "add it under 'values:' in the mapping, with the id it means",
    ]


def test_unmapped_answer_text_is_counted_with_its_rows(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = write_csv_rows(
        tmp_path / "generic.csv",
        [
            ["Partnership", "Organisation", "Info", "Aims", "Decisions"],
            ["vcse-agreement", "the-council", "Cytuno", "Agree", "Agree"],
            ["vcse-agreement", "the-council", "Cytuno", "Agree", "Agree"],
        ],
    )
    mapping = {
        "framework": "tiny-survey",
        "round": "2024-25",
        "partnership": {"column": "Partnership"},
        "organisation": {"column": "Organisation"},
        "items": [{"item": "T1", "column": "Info"}],
    }
    with pytest.raises(MappingError) as caught:
        run(tmp_path, export, mapping, survey_frameworks, key)
    assert caught.value.problems == [
        "column C ('Info'): answer 'Cytuno' in 2 row(s) (2, 3); add it under 'answers:' in "
        "the mapping (a scale value or missing)"
    ]


def test_unknown_or_checklist_framework_is_refused(
    tmp_path: Path, survey_frameworks: dict[str, Framework], key: RespondentKey
) -> None:
    export = forms_export(tmp_path / "forms.xlsx")
    with pytest.raises(MappingError) as unknown:
        run(tmp_path, export, {**FORMS_MAPPING, "framework": "nufield"}, survey_frameworks, key)
    assert unknown.value.problems[0].startswith(
        "map.yaml: framework: no framework 'nufield' (known: governance-checklist, "
    )
    checklist = {**FORMS_MAPPING, "framework": "governance-checklist"}
    with pytest.raises(MappingError) as wrong:
        run(tmp_path, export, checklist, survey_frameworks, key)
    assert wrong.value.problems == [
        "map.yaml: framework: governance-checklist is a checklist framework; its ratings go "
        "in the checklist table (an officer return), not a survey"
    ]
