"""The mapping file's schema: every mistake reported with its place (tests/inputs/survey)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.errors import InputFileError
from evalkit.inputs.survey.mapping import MappingError, load_mapping

BAD = """\
round: 2024-25
colour: blue
partnership: {value: vcse-agreement, column: Partnership}
organisation: {column: Organisation}
items:
  - {item: T1, column: Info, letter: C}
  - {item: T2, letter: c}
answers: {Maybe: sometimes}
"""


def test_every_schema_mistake_is_located(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(BAD, "utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    problems = caught.value.problems
    assert "map.yaml: framework: required, but missing" in problems
    assert "map.yaml: colour: unknown key (not part of a survey mapping)" in problems
    assert (
        "map.yaml: partnership: give exactly one of 'value' (a fixed id), 'column' (a heading) "
        "or 'letter'" in problems
    )
    assert (
        "map.yaml: items[0]: give either 'column' (the heading) or 'letter' (e.g. G), not both"
        in problems
    )
    assert any(
        p.startswith("map.yaml: items[1].letter: String should match pattern") for p in problems
    )
    assert any(p.startswith("map.yaml: answers.Maybe") for p in problems)
    assert len(problems) == 7, problems


def test_a_good_mapping_reads_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "framework: tiny-survey\nround: 2024-25\npartnership: {value: p}\n"
        "organisation: {value: o}\nitems: [{item: T1, letter: F, reverse: true}]\n",
        "utf-8",
    )
    mapping = load_mapping(path)
    assert (mapping.framework, mapping.round, mapping.layout) == ("tiny-survey", "2024-25", None)
    assert mapping.items[0].reverse and mapping.items[0].letter == "F"
    assert mapping.answers == {} and mapping.ignore == []


def test_not_yaml_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("items: [unclosed\n", "utf-8")
    with pytest.raises(InputFileError, match="map.yaml: survey mapping file is not valid YAML"):
        load_mapping(path)
