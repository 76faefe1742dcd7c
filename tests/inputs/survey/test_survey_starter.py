"""The starter mapping: question text matched to item statements (tests/inputs/survey)."""

from __future__ import annotations

from pathlib import Path

from evalkit.inputs.survey.export import read_export
from evalkit.inputs.survey.mapping import load_mapping
from evalkit.inputs.survey.starter import match_items, similarity, starter_mapping
from evalkit.method.framework import Framework
from survey_helpers import write_xlsx_rows


def test_similarity_worked_by_hand() -> None:
    # Same words (Dice 1); the texts differ by the final full stop: 2 * 33 / (33 + 34).
    score = similarity("Partners share information openly", "Partners share information openly.")
    assert abs(score - (66 / 67 + 1) / 2) < 1e-9
    # No word in common and little alike: far below the threshold.
    assert similarity("What is your favourite colour?", "Decisions are taken in the open.") < 0.3
    # A grid question is also compared by its row label alone.
    assert (
        similarity("Rate it [Decisions are taken in the open]", "Decisions are taken in the open.")
        > 0.95
    )


def test_starter_matches_each_item_once_and_lists_the_rest(
    tmp_path: Path, survey_frameworks: dict[str, Framework]
) -> None:
    export = read_export(
        write_xlsx_rows(
            tmp_path / "survey.xlsx",
            [
                [
                    "ID",
                    "Start time",
                    "Completion time",
                    "Email",
                    "Name",
                    "Your organisation",
                    "Partners share information openly",
                    "Decisions are made in the open",
                    "Decisions are made in the open (again)",
                    "What is your favourite colour?",
                    "The partnership has a plan for next year",
                ],
                [
                    1,
                    None,
                    "2024-04-02 10:00",
                    "x@example.invalid",
                    "X",
                    "Police",
                    "Agree",
                    "Agree",
                    "Agree",
                    "Red",
                    "Agree",
                ],
            ],
        )
    )
    tiny = survey_frameworks["tiny-survey"]
    matches = match_items(export, tiny)
    assert [(m.column.letter, m.item_id) for m in matches] == [("G", "T1"), ("H", "T3")]
    text = starter_mapping(export, tiny)
    assert 'round: "2024-25"   # CHECK: from the latest completion time' in text
    assert "  value: CHANGE-ME   # CHECK: the partnership id in the register" in text
    assert '  column: "Your organisation"   # column F' in text
    assert '    "Police": police' in text
    assert (
        '  - {item: T1, column: "Partners share information openly"}   # column G, match 0.99'
        in text
    )
    assert "  # no column matched items: T2" in text
    assert "#   column I: Decisions are made in the open (again)" in text
    assert "#   column J: What is your favourite colour?" in text
    # A question that names the partnership but is answered on the scale is no id column.
    assert "#   column K: The partnership has a plan for next year" in text
    path = tmp_path / "starter.yaml"
    path.write_text(text, "utf-8")
    mapping = load_mapping(path)  # valid YAML and schema; the CHANGE-ME id stops an import
    assert [i.item for i in mapping.items] == ["T1", "T3"]
