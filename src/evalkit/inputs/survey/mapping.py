"""The survey mapping: which export column is which framework item, and what answers mean.

A mapping is a small YAML file a person writes (or checks, after ``evalkit survey
mapping`` wrote a first one). It is read with :func:`evalkit.yamlfile.load_yaml` and
checked against :class:`Mapping`; every mistake is reported with where it is
(``items[3].letter``), all at once. ``docs/survey-import.md`` explains every field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evalkit.config import Settings
from evalkit.errors import InputFileError
from evalkit.yamlfile import load_yaml

_LETTERS = re.compile(r"[A-Z]{1,3}")
#: What an answer may be mapped to besides a scale value.
MISSING = "missing"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnRef(_Model):
    """A column, by its heading (``column``) or its letter in Excel (``letter``)."""

    column: str | None = None
    letter: str | None = Field(default=None, pattern=_LETTERS.pattern)

    @model_validator(mode="after")
    def _one(self) -> ColumnRef:
        if (self.column is None) == (self.letter is None):
            raise ValueError("give either 'column' (the heading) or 'letter' (e.g. G), not both")
        return self

    @property
    def shown(self) -> str:
        """The reference in messages."""
        return f"column {self.letter}" if self.letter else f"column {self.column!r}"


class ItemMap(ColumnRef):
    """One framework item and the column holding its answers."""

    item: str
    reverse: bool = False


class Source(_Model):
    """Where a partnership or organisation id comes from: a fixed id or a column.

    ``values`` maps the text people chose in the export to ids (compared ignoring case
    and spaces); text already written as an id needs no entry.
    """

    value: str | None = None
    column: str | None = None
    letter: str | None = Field(default=None, pattern=_LETTERS.pattern)
    values: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one(self) -> Source:
        given = [x for x in (self.value, self.column, self.letter) if x is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of 'value' (a fixed id), 'column' (a heading) or 'letter'"
            )
        if self.value is not None and self.values:
            raise ValueError("'values' goes with 'column' or 'letter', not with a fixed 'value'")
        return self

    @property
    def ref(self) -> ColumnRef | None:
        """The column, when the ids come from one."""
        if self.value is not None:
            return None
        return ColumnRef(column=self.column, letter=self.letter)


class Mapping(_Model):
    """A survey mapping file.

    Attributes:
        framework: the framework the questions belong to.
        round: the assessment round the answers are for.
        layout: the export's layout; detected from its headings when left out.
        partnership: where each row's partnership id comes from.
        organisation: where each row's organisation id comes from.
        items: framework item -> column, and whether the question is worded the other
            way round from the item (``reverse``).
        answers: answer text -> a scale value, or ``missing``; the scale's own labels,
            aliases and "missing" answers need no entry.
        aliases: heading in the export (e.g. in Welsh) -> the heading this mapping uses.
        identity: columns that identify a respondent (default: the layout's e-mail
            column, else its name columns).
        completed: the column with the completion time (default: the layout's).
        ignore: question columns left out on purpose (not reported as unmapped).
    """

    framework: str
    round: str = Field(min_length=1)
    layout: (
        Literal["microsoft-forms", "google-forms", "surveymonkey", "qualtrics", "generic"] | None
    ) = None
    partnership: Source
    organisation: Source
    items: list[ItemMap] = Field(min_length=1)
    answers: dict[str, float | Literal["missing"]] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)
    identity: list[ColumnRef] = Field(default_factory=list)
    completed: ColumnRef | None = None
    ignore: list[ColumnRef] = Field(default_factory=list)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("ColumnRef", "ItemMap", "Source") or "[" in str(part):
            continue  # pydantic's names for union members, not the file's keys
        else:
            out += f".{part}" if out else str(part)
    return out


def explain(path: Path, error: ValidationError) -> list[str]:
    """Each schema error as ``file: field: what is wrong``."""
    messages = []
    for problem in error.errors():
        where = _where(problem["loc"])
        text = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            text = "unknown key (not part of a survey mapping)"
        elif problem["type"] == "missing":
            text = "required, but missing"
        messages.append(f"{path.name}: {where + ': ' if where else ''}{text}")
    return messages


class MappingError(InputFileError):
    """A mapping cannot be applied; carries every problem found, each one a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) with the survey mapping")
        self.problems = problems


def load_mapping(path: Path, settings: Settings | None = None) -> Mapping:
    """Read and check a mapping file.

    Raises:
        InputFileError: the file cannot be read as YAML.
        MappingError: it breaks the schema (every problem listed, with its place).
    """
    data = load_yaml(path, what="survey mapping", settings=settings)
    if not isinstance(data, dict):
        raise MappingError([f"{path.name}: expected a mapping of fields (framework, round, ...)"])
    data = {k: (str(v) if k == "round" and v is not None else v) for k, v in data.items()}
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        raise MappingError(explain(path, exc)) from None
