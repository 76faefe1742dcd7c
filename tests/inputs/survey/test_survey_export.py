"""Reading each survey tool's export layout (tests/inputs/survey)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from evalkit.inputs.survey.export import read_export, read_time
from survey_helpers import write_csv_rows, write_xlsx_rows


def test_microsoft_forms_metadata_columns_have_roles(tmp_path: Path) -> None:
    path = write_xlsx_rows(
        tmp_path / "forms.xlsx",
        [
            ["ID", "Start time", "Completion time", "Email", "Name", "Q one", "Q two"],
            [
                1,
                dt.datetime(2024, 5, 1, 9),
                dt.datetime(2024, 5, 1, 9, 7),
                "a@x.invalid",
                "Ann Fictional",
                "Agree",
                "Disagree",
            ],
        ],
    )
    export = read_export(path)
    assert export.layout.name == "microsoft-forms"
    roles = [c.role for c in export.columns]
    assert roles == ["response-id", "started", "completed", "email", "name", None, None]
    assert [c.header for c in export.questions] == ["Q one", "Q two"]
    assert [c.letter for c in export.questions] == ["F", "G"]
    assert export.rows[0].number == 2


def test_google_forms_csv_separated_by_semicolons(tmp_path: Path) -> None:
    path = write_csv_rows(
        tmp_path / "google.csv",
        [
            ["Timestamp", "Email address", "Rate the partnership [Trust]"],
            ["2024/05/01 10:00:00", "b@x.invalid", "Agree"],
        ],
        delimiter=";",
    )
    export = read_export(path)
    assert export.layout.name == "google-forms"
    assert [c.role for c in export.columns] == ["completed", "email", None]
    assert export.rows[0].values == ("2024/05/01 10:00:00", "b@x.invalid", "Agree")


def test_surveymonkey_two_header_rows_join_question_and_option(tmp_path: Path) -> None:
    path = write_xlsx_rows(
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
                "How far do you agree?",
                None,
                "Comments",
            ],
            [None] * 8 + ["Aims are clear", "Trust is high", "Open-Ended Response"],
            [
                111,
                9,
                None,
                None,
                "192.0.2.1",
                "c@x.invalid",
                "Cy",
                "Fictional",
                "Agree",
                "Agree",
                "none",
            ],
        ],
    )
    export = read_export(path)
    assert export.layout.name == "surveymonkey"
    assert [c.header for c in export.questions] == [
        "How far do you agree? - Aims are clear",
        "How far do you agree? - Trust is high",
        "Comments",
    ]
    assert export.columns[4].role == "personal"  # the IP address
    assert [c.role for c in export.columns[5:8]] == ["email", "first-name", "last-name"]
    assert len(export.rows) == 1 and export.rows[0].number == 3


def test_qualtrics_three_header_rows_keep_field_ids(tmp_path: Path) -> None:
    path = write_csv_rows(
        tmp_path / "qualtrics.csv",
        [
            ["StartDate", "EndDate", "IPAddress", "ResponseId", "RecipientEmail", "Q1_1", "Q1_2"],
            [
                "Start Date",
                "End Date",
                "IP Address",
                "Response ID",
                "Recipient Email",
                "Agreement - Aims",
                "Agreement - Trust",
            ],
            [
                '{"ImportId":"startDate"}',
                '{"ImportId":"endDate"}',
                '{"ImportId":"ipAddress"}',
                '{"ImportId":"_recordId"}',
                '{"ImportId":"recipientEmail"}',
                '{"ImportId":"QID1_1"}',
                '{"ImportId":"QID1_2"}',
            ],
            [
                "2024-05-01 09:00:00",
                "2024-05-01 09:09:00",
                "192.0.2.9",
                "R_abc",
                "d@x.invalid",
                "Agree",
                "Strongly agree",
            ],
        ],
    )
    export = read_export(path)
    assert export.layout.name == "qualtrics"
    assert [(c.field_id, c.header) for c in export.questions] == [
        ("Q1_1", "Agreement - Aims"),
        ("Q1_2", "Agreement - Trust"),
    ]
    assert [c.role for c in export.columns[:5]] == [
        "started",
        "completed",
        "personal",
        "response-id",
        "email",
    ]
    assert export.rows[0].number == 4


def test_generic_table_and_headers_in_welsh_through_aliases(tmp_path: Path) -> None:
    generic = write_csv_rows(
        tmp_path / "generic.csv", [["Respondent", "Partnership", "Q"], ["R1", "p", "Agree"]]
    )
    assert read_export(generic).layout.name == "generic"
    welsh = write_xlsx_rows(
        tmp_path / "ffurflen.xlsx",
        [["ID", "Amser dechrau", "Amser cwblhau", "E-bost", "Enw", "Mae'r nodau'n glir"]],
    )
    aliases = {
        "Amser dechrau": "Start time",
        "Amser cwblhau": "Completion time",
        "E-bost": "Email",
        "Enw": "Name",
        "Mae'r nodau'n glir": "The aims are clear",
    }
    export = read_export(welsh, aliases=aliases)
    assert export.layout.name == "microsoft-forms"
    assert [c.header for c in export.questions] == ["The aims are clear"]


def test_completion_times_from_cells_and_text() -> None:
    assert read_time(dt.datetime(2024, 5, 1, 9)) == dt.datetime(2024, 5, 1, 9)
    assert read_time("01/05/2024 09:30") == dt.datetime(2024, 5, 1, 9, 30)  # day first
    assert read_time("2024-05-01 09:30") == dt.datetime(2024, 5, 1, 9, 30)  # year first
    assert read_time("2024/05/01 09:30:00") == dt.datetime(2024, 5, 1, 9, 30)
    assert read_time("not a time") is None
    assert read_time(None) is None
