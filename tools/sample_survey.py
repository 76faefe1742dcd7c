"""Write the sample's survey-tool export (INVENTED data): a Microsoft Forms-style workbook.

The sample's answers to one survey framework in the latest round are moved out of
``responses.csv`` into ``data/raw/survey/<name>.xlsx``, laid out as Microsoft Forms exports
a form (ID, Start time, Completion time, Email, Name, then one column per question), with
the mapping a person would write for it beside it. ``evalkit survey import`` turns it back
into the same answers, so nothing is counted twice and nothing is lost. Typical mistakes
are left in on purpose: "Don't know" answers, a free-text comments column the mapping does
not cover, and one respondent who submitted the form twice (the earlier submission has
other answers and is dropped). Every name and e-mail address is invented
(``@example.invalid`` cannot be a real address).

    python tools/make_sample_data.py     # calls move_to_survey_export
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from evalkit.spreadsheet import write_xlsx

FRAMEWORK = "nuffield-pat"
EXPORT_NAME = "northshire-partnership-survey"
PARTNERSHIP_QUESTION = "Which partnership are you answering about?"
ORGANISATION_QUESTION = "Which organisation do you work for?"
COMMENTS_QUESTION = "Any other comments?"
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Charlie", "Jamie", "Morgan", "Kit"]
LAST = ["Fictional", "Invented", "Madeup", "Placeholder", "Pretend", "Imaginary"]
#: Two questions worded a little differently from the framework's statements, as forms are.
REWORDED = {
    "P1.1": "We have identified what our partnership has achieved so far",
    "P6.5": "Results are reported back to each partner organisation.",
}


def invented_person(number: int) -> tuple[str, str]:
    """A clearly invented name and e-mail address for respondent ``number`` (1, 2, ...)."""
    first = FIRST[number % len(FIRST)]
    last = LAST[(number // len(FIRST)) % len(LAST)]
    return f"{first} {last}", f"{first}.{last}.{number:03d}@example.invalid".lower()


def _questions(framework: dict[str, object]) -> dict[str, str]:
    items = framework["items"]
    assert isinstance(items, list)
    return {str(i["id"]): REWORDED.get(str(i["id"]), str(i["text"])) for i in items}


def move_to_survey_export(
    responses: pd.DataFrame,
    partnerships: dict[str, str],
    organisations: dict[str, str],
    framework: dict[str, object],
    out: Path,
) -> pd.DataFrame:
    """Write the survey export and its mapping into ``out/survey``; return the other answers.

    Args:
        responses: the sample's long responses table.
        partnerships: partnership id -> name, as the form lists them.
        organisations: organisation id -> name.
        framework: the framework's YAML as data (its ``items`` with ``id`` and ``text``).
        out: the raw folder.

    Returns:
        ``responses`` without the rows now in the export.
    """
    latest = responses.loc[responses["framework_id"] == FRAMEWORK, "round"].max()
    moved = (responses["framework_id"] == FRAMEWORK) & (responses["round"] == latest)
    questions = _questions(framework)
    wide = (
        responses[moved]
        .pivot(
            index=["partnership_id", "organisation_id", "respondent_id"],
            columns="item_id",
            values="response",
        )
        .reset_index()
    )
    start = dt.datetime(2024, 10, 1, 9, 0)
    rows = []
    for number, values in enumerate(wide.to_dict("records"), start=1):
        name, email = invented_person(number)
        began = start + dt.timedelta(hours=5 * number)
        row = {
            "ID": number,
            "Start time": began,
            "Completion time": began + dt.timedelta(minutes=11),
            "Email": email,
            "Name": name,
            PARTNERSHIP_QUESTION: partnerships[values["partnership_id"]],
            ORGANISATION_QUESTION: organisations[values["organisation_id"]],
        }
        row.update({text: values.get(item) for item, text in questions.items()})
        row[COMMENTS_QUESTION] = (
            f"Happy to talk this through - ring me, {name.split()[0]}" if number % 9 == 0 else None
        )
        rows.append(row)
    # One respondent submitted twice: an earlier, different submission comes first.
    twice = dict(rows[4])
    twice["Start time"] = twice["Start time"] - dt.timedelta(days=3)
    twice["Completion time"] = twice["Completion time"] - dt.timedelta(days=3)
    for text in list(questions.values())[:5]:
        twice[text] = "Strongly disagree"
    rows.insert(0, twice)
    for number, row in enumerate(rows, start=1):
        row["ID"] = number
    export = pd.DataFrame(rows)
    about = pd.DataFrame(
        {
            "INVENTED SAMPLE DATA": [
                "Every name, e-mail address and answer in this workbook is invented to "
                "illustrate evalkit; Northshire County Council is fictional.",
                "Laid out as a Microsoft Forms export (sheet 1); written by "
                "tools/sample_survey.py.",
            ]
        }
    )
    folder = out / "survey"
    write_xlsx(folder / f"{EXPORT_NAME}-{latest}.xlsx", {"Sheet1": export, "About": about})
    (folder / f"{EXPORT_NAME}-{latest}.mapping.yaml").write_text(
        _mapping(latest, questions, partnerships, organisations, wide), encoding="utf-8"
    )
    return responses[~moved].reset_index(drop=True)


def _mapping(
    round_: str,
    questions: dict[str, str],
    partnerships: dict[str, str],
    organisations: dict[str, str],
    wide: pd.DataFrame,
) -> str:
    """The mapping a person would write for the export (YAML)."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    used_p = sorted(set(wide["partnership_id"]))
    used_o = sorted(set(wide["organisation_id"]))
    lines = [
        "# Survey mapping for the sample's Microsoft Forms export (INVENTED data).",
        "# Fields: docs/survey-import.md. Written by tools/sample_survey.py.",
        f"framework: {FRAMEWORK}",
        f"round: {q(round_)}",
        "layout: microsoft-forms",
        "partnership:",
        f"  column: {q(PARTNERSHIP_QUESTION)}",
        "  values:",
        *[f"    {q(partnerships[p])}: {p}" for p in used_p],
        "organisation:",
        f"  column: {q(ORGANISATION_QUESTION)}",
        "  values:",
        *[f"    {q(organisations[o])}: {o}" for o in used_o],
        "items:",
        *[f"  - {{item: {item}, column: {q(text)}}}" for item, text in questions.items()],
    ]
    return "\n".join(lines) + "\n"
