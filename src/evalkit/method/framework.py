"""Frameworks and scales as data: YAML files validated on load into typed objects.

Each evaluation framework is one YAML file in ``src/evalkit/method/frameworks/`` (or in
a council's own ``data/raw/frameworks/`` folder); answer scales are in ``scales.yaml``.
The pydantic models below are the schema (``framework.schema.json`` is exported from
them). A broken file is refused with a message naming the file, the field and what
was expected.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from evalkit.config import FRAMEWORKS_DIR
from evalkit.errors import FrameworkSpecError
from evalkit.inputs.normalise import token
from evalkit.yamlfile import load_yaml

if TYPE_CHECKING:
    from evalkit.config import Settings

SCALES_FILE = "scales.yaml"
_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CONFIRMATION_WORDS = {
    "confirmed": "confirmed by a cited source",
    "partly": "partly confirmed: some content rests on background knowledge",
    "background": "background knowledge, not confirmed against the source",
    "evalkit": "designed by evalkit from the sources, not a published instrument",
}
#: What each item evidence mark says about one statement.
EVIDENCE_WORDS = {
    "C": "confirmed: paraphrases one statement or question the cited source publishes",
    "P": "partly confirmed: the source supports part of it, or the source is secondary or cut off",
    "B": "background knowledge: written by evalkit from what the source is understood to "
    "cover, not checked against it",
    "D": "evalkit's design: written by evalkit, not taken from the source",
}
#: Who wrote a statement's content (``Item.wording``).
WORDING_WORDS = {
    "source": "a paraphrase of a statement the source publishes",
    "evalkit": "written by evalkit (reconstructed), not a published statement",
}
#: Evidence marks a statement written by evalkit may carry (never C or P).
EVALKIT_MARKS = ("B", "D")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Model):
    """One point on a scale."""

    value: float
    label: str
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None


class Scale(_Model):
    """An answer scale: ordered levels, the agree line and what counts as missing."""

    id: str = Field(pattern=_ID)
    title: str
    owner: str
    kind: Literal["ordinal", "status"]
    levels: list[Level] = Field(min_length=2)
    agree_line: float | None = None
    missing: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ascending(self) -> Scale:
        values = [level.value for level in self.levels]
        if values != sorted(values) or len(set(values)) != len(values):
            raise ValueError("levels must have distinct values in ascending order")
        if self.agree_line is not None and not values[0] < self.agree_line < values[-1]:
            raise ValueError("agree_line must lie between the lowest and highest level")
        return self

    @property
    def min(self) -> float:
        """Lowest value."""
        return self.levels[0].value

    @property
    def max(self) -> float:
        """Highest value."""
        return self.levels[-1].value

    def code_map(self) -> dict[str, float]:
        """Every accepted spelling (label, alias, number) → value."""
        out: dict[str, float] = {}
        for level in self.levels:
            number = level.value
            spellings = [level.label, *level.aliases, f"{number:g}", str(float(number))]
            for spelling in spellings:
                out[token(spelling)] = number
        return out

    def missing_tokens(self) -> set[str]:
        """Answers that mean "no answer" (never zero)."""
        return {token(m) for m in self.missing}


class Dimension(_Model):
    """A principle, driver, stage, section, factor or domain."""

    id: str
    title: str
    description: str = ""
    group: str | None = None


class Item(_Model):
    """One statement or question.

    ``wording`` says whose statement it is: ``source`` when it paraphrases one statement
    the cited source publishes, ``evalkit`` (the default) when evalkit wrote it. A
    statement written by evalkit is never marked confirmed (C) or partly confirmed (P).
    """

    id: str
    dimension: str
    text: str
    reverse: bool = False
    evidence_prompt: str | None = None
    evidence_level: Literal["C", "P", "B", "D"] = Field(
        description="C confirmed, P partly confirmed, B background knowledge, D evalkit's design"
    )
    wording: Literal["source", "evalkit"] = Field(
        default="evalkit",
        description="source: paraphrases one statement the cited source publishes; "
        "evalkit: written by evalkit (reconstructed). Only source statements may be C or P.",
    )

    @model_validator(mode="after")
    def _marks_match_wording(self) -> Item:
        if self.wording == "evalkit" and self.evidence_level not in EVALKIT_MARKS:
            raise ValueError(
                f"evidence_level: '{self.evidence_level}' claims the source confirms this "
                "statement, but it is worded by evalkit (wording: evalkit, the default); "
                "mark it B or D, or set wording: source if it paraphrases a published statement"
            )
        if self.wording == "source" and self.evidence_level in EVALKIT_MARKS:
            raise ValueError(
                f"wording: 'source' needs evidence_level C or P (found "
                f"'{self.evidence_level}'); a statement the source does not confirm is evalkit's"
            )
        return self

    @property
    def reconstructed(self) -> bool:
        """True when evalkit wrote the statement (it is not a published one)."""
        return self.wording == "evalkit"


class Band(_Model):
    """A score band (published by the source unless ``bands_owner`` says evalkit)."""

    min: float
    max: float
    label: str
    rag: Literal["red", "amber", "green"]
    meaning: str = ""


class Scoring(_Model):
    """How items combine."""

    dimension: Literal["mean"] = "mean"
    total: Literal["none", "mean", "sum"] = "none"
    totals_allowed: bool = False


class Source(_Model):
    """Where the framework comes from."""

    citation: str
    url: str | None = None


class Framework(_Model):
    """An evaluation framework as loaded from YAML."""

    id: str = Field(pattern=_ID)
    title: str
    short_title: str | None = None
    edition: str
    source: Source
    confirmation: Literal["confirmed", "partly", "background", "evalkit"]
    confirmation_note: str
    label: str | None = None
    mode: Literal["survey", "checklist"]
    scale: str
    evidence_required: bool = False
    dimension_label: str = "dimension"
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)
    bands: list[Band] = Field(default_factory=list)
    bands_level: Literal["dimension", "total"] = "dimension"
    bands_source: str | None = None
    bands_owner: Literal["source", "evalkit"] = Field(
        default="source",
        description="source: the bands are published by the source (bands_source cites it); "
        "evalkit: they are evalkit's own convention and are labelled so",
    )

    _scale: Scale | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        dims = [d.id for d in self.dimensions]
        if len(set(dims)) != len(dims):
            raise ValueError("dimension ids must be unique")
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            if item.id in seen:
                raise ValueError(f"items[{index}].id: duplicate item id '{item.id}'")
            seen.add(item.id)
            if item.dimension not in dims:
                raise ValueError(
                    f"items[{index}].dimension: '{item.dimension}' is not a dimension of this "
                    f"framework (expected one of {', '.join(dims)})"
                )
        empty = [d for d in dims if not any(i.dimension == d for i in self.items)]
        if empty:
            raise ValueError(f"dimensions: {', '.join(empty)} have no items")
        if not self.scoring.totals_allowed and self.scoring.total != "none":
            raise ValueError("scoring.total: must be 'none' when totals_allowed is false")
        if self.bands and not self.bands_source:
            raise ValueError("bands_source: required when bands are given (cite the source)")
        if self.bands_level == "total" and self.bands and not self.scoring.totals_allowed:
            raise ValueError("bands_level: 'total' bands need totals_allowed: true")
        ordered = sorted(self.bands, key=lambda b: b.min)
        for lower, upper in zip(ordered, ordered[1:], strict=False):
            if upper.min <= lower.max:
                raise ValueError(
                    f"bands: '{lower.label}' ({lower.min}–{lower.max}) overlaps "
                    f"'{upper.label}' ({upper.min}–{upper.max})"
                )
        return self

    # -- resolved on load ------------------------------------------------------------

    @property
    def scale_def(self) -> Scale:
        """The resolved scale object."""
        if self._scale is None:
            raise FrameworkSpecError(f"{self.id}: scale not resolved; load with load_framework")
        return self._scale

    @property
    def source_path(self) -> Path | None:
        """The YAML file it was loaded from."""
        return self._path

    @property
    def file_sha256(self) -> str | None:
        """SHA-256 (hex) of the YAML file it was loaded from, or None when not from a file."""
        if self._path is None:
            return None
        return hashlib.sha256(self._path.read_bytes()).hexdigest()

    # -- what the source confirms --------------------------------------------------------

    @property
    def name(self) -> str:
        """The short title, else the title."""
        return self.short_title or self.title

    @property
    def reconstructed_items(self) -> list[Item]:
        """The statements evalkit wrote (not published by the source)."""
        return [i for i in self.items if i.reconstructed]

    @property
    def reconstructed(self) -> bool:
        """True when any score of this framework rests on statements evalkit wrote."""
        return bool(self.reconstructed_items)

    def dimension_reconstructed(self, dimension_id: str) -> tuple[int, int]:
        """(statements written by evalkit, statements) in one dimension."""
        items = [i for i in self.items if i.dimension == dimension_id]
        return sum(i.reconstructed for i in items), len(items)

    def dimension_wording(self, dimension_id: str) -> str:
        """Whose statements a dimension's score rests on, in a few words."""
        own, total = self.dimension_reconstructed(dimension_id)
        if own == 0:
            return "published (paraphrased)"
        if own == total:
            return "written by evalkit"
        return f"{own} of {total} written by evalkit"

    @property
    def wording_note(self) -> str:
        """One plain sentence: whether the scores rest on statements evalkit wrote."""
        own, total = len(self.reconstructed_items), len(self.items)
        name = self.name
        if own == 0:
            return (
                f"Every {name} statement paraphrases one the source publishes, so its scores "
                "rest on the published statements."
            )
        if own == total:
            return (
                f"All {total} {name} statements were written by evalkit, not taken from the "
                f"source, so every {name} score is built from reconstructed statements."
            )
        dims = [d.id for d in self.dimensions if self.dimension_reconstructed(d.id)[0]]
        return (
            f"{own} of the {total} {name} statements were written by evalkit, not taken from "
            f"the source ({self.dimension_label}s {', '.join(dims)}); the other "
            f"{total - own} paraphrase published ones. Scores for those "
            f"{self.dimension_label}s are built from reconstructed statements."
        )

    @property
    def band_indicative(self) -> bool:
        """True when the bands are not the source's own verdict on these statements."""
        return bool(self.bands) and (self.bands_owner == "evalkit" or self.reconstructed)

    @property
    def band_note(self) -> str:
        """Why the band is only indicative, in a few words ('' when it is not)."""
        if not self.bands:
            return ""
        if self.bands_owner == "evalkit":
            return "evalkit's own convention, not published by the source"
        if self.reconstructed:
            return f"published {self.name} bands applied to statements written by evalkit"
        return ""

    @property
    def band_label(self) -> str:
        """The heading for this framework's band, saying how far to rely on it."""
        if not self.bands:
            return "No band (the source publishes none)"
        return f"Indicative band ({self.band_note})" if self.band_note else "Band"

    @property
    def statements_words(self) -> str:
        """Whose statements the framework's scores rest on, in a few words."""
        own, total = len(self.reconstructed_items), len(self.items)
        if own == 0:
            return "published (paraphrased)"
        if own == total:
            return f"all {total} written by evalkit"
        return f"{own} of {total} written by evalkit"

    # -- views -----------------------------------------------------------------------

    def items_frame(self) -> pd.DataFrame:
        """One row per item."""
        titles = {d.id: d.title for d in self.dimensions}
        return pd.DataFrame(
            {
                "framework_id": self.id,
                "item_id": [i.id for i in self.items],
                "dimension_id": [i.dimension for i in self.items],
                "dimension_title": [titles[i.dimension] for i in self.items],
                "reverse": [i.reverse for i in self.items],
                "text": [i.text for i in self.items],
            }
        )

    def band_for(self, score: float, level: str) -> Band | None:
        """The band a score falls in at ``level`` ("dimension" or "total"), if any.

        Bands are closed below and extend up to (not including) the next band's minimum,
        so 3.95 on a 3.0–3.9 / 4.0–5.0 pair is in the lower band.
        """
        if level != self.bands_level or not self.bands:
            return None
        ordered = sorted(self.bands, key=lambda b: b.min)
        for index, band in enumerate(ordered):
            upper = ordered[index + 1].min if index + 1 < len(ordered) else band.max
            last = index + 1 == len(ordered)
            if band.min <= score < upper or (last and band.min <= score <= band.max):
                return band
        return None


# -- loading ---------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    """One framework or scales file, read with bounded work (no aliases, size limits)."""
    what = "scales" if path.name == SCALES_FILE else "framework"
    return load_yaml(path, what=what, error=FrameworkSpecError)


def _field_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(path: Path, error: ValidationError, prefix: str = "") -> list[str]:
    messages = []
    for problem in error.errors():
        where = _field_path([*([prefix] if prefix else []), *problem["loc"]])
        text = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            text = "unknown key (not part of the framework schema)"
        elif problem["type"] == "missing":
            text = "required field is missing"
        elif "input" in problem and problem["type"] not in ("value_error",):
            text += f" (found {problem['input']!r})"
        messages.append(f"{path.name}: {where + ': ' if where else ''}{text}")
    return messages


def load_scales(paths: Iterable[Path]) -> dict[str, Scale]:
    """Read scales from ``scales.yaml`` files; later files may add scales."""
    scales: dict[str, Scale] = {}
    for path in paths:
        data = _read_yaml(path) or {}
        if not isinstance(data, dict) or not isinstance(data.get("scales"), list):
            raise FrameworkSpecError(f"{path.name}: expected a mapping with a 'scales' list")
        for index, raw in enumerate(data["scales"]):
            try:
                scale = Scale.model_validate(raw)
            except ValidationError as exc:
                raise FrameworkSpecError(
                    "; ".join(_explain(path, exc, f"scales[{index}]"))
                ) from None
            if scale.id in scales:
                raise FrameworkSpecError(f"{path.name}: scales[{index}].id: duplicate '{scale.id}'")
            scales[scale.id] = scale
    return scales


def _problems(path: Path, scales: Mapping[str, Scale]) -> tuple[Framework | None, list[str]]:
    try:
        data = _read_yaml(path)
    except FrameworkSpecError as exc:
        return None, [str(exc)]
    if not isinstance(data, dict):
        return None, [f"{path.name}: expected a mapping of framework fields"]
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        return None, _explain(path, exc)
    problems = []
    if framework.id != path.stem:
        problems.append(
            f"{path.name}: id: '{framework.id}' must equal the file name stem '{path.stem}'"
        )
    scale = scales.get(framework.scale)
    if scale is None:
        problems.append(
            f"{path.name}: scale: unknown scale '{framework.scale}' (expected one "
            f"of {', '.join(sorted(scales))})"
        )
        return None, problems
    if scale.kind != "ordinal" and any(i.reverse for i in framework.items):
        problems.append(f"{path.name}: items: reverse scoring needs an ordinal scale")
    n_items = len(framework.items)
    low, high = (scale.min, scale.max)
    if framework.bands_level == "total":
        low, high = (n_items * scale.min, n_items * scale.max)
    for index, band in enumerate(framework.bands):
        if band.min < low or band.max > high:
            problems.append(
                f"{path.name}: bands[{index}]: {band.min}–{band.max} lies outside "
                f"the possible range {low:g}–{high:g}"
            )
    framework._scale = scale
    framework._path = path
    return framework, problems


def load_framework(path: Path, scales: Mapping[str, Scale]) -> Framework:
    """Load and check one framework file.

    Raises:
        FrameworkSpecError: naming the file, the field and what was expected.
    """
    framework, problems = _problems(path, scales)
    if problems or framework is None:
        raise FrameworkSpecError("; ".join(problems))
    return framework


def _scale_files(dirs: Iterable[Path]) -> list[Path]:
    unique = dict.fromkeys(Path(d).resolve() for d in dirs)
    return [d / SCALES_FILE for d in unique if (d / SCALES_FILE).exists()]


def _framework_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != SCALES_FILE)


def _load(dirs: tuple[Path, ...]) -> dict[str, Framework]:
    scales = load_scales(_scale_files(dirs))
    frameworks: dict[str, Framework] = {}
    for folder in dirs:
        for path in _framework_files(folder):
            framework = load_framework(path, scales)
            if framework.id in frameworks:
                other = frameworks[framework.id].source_path
                raise FrameworkSpecError(
                    f"{path.name}: id: '{framework.id}' is already defined in {other}"
                )
            frameworks[framework.id] = framework
    return frameworks


@functools.lru_cache(maxsize=8)
def _load_cached(dirs: tuple[Path, ...]) -> dict[str, Framework]:
    return _load(dirs)


def load_frameworks(extra_dirs: Iterable[Path] = ()) -> dict[str, Framework]:
    """Load the shipped frameworks, then any in ``extra_dirs`` (which may add scales)."""
    dirs = tuple(dict.fromkeys(Path(d).resolve() for d in (FRAMEWORKS_DIR, *extra_dirs)))
    return dict(_load_cached(dirs))


def framework_dirs(settings: Settings) -> list[Path]:
    """A council's own frameworks folder (``<raw>/frameworks``), when it exists."""
    folder = settings.raw_dir / "frameworks"
    return [folder] if folder.is_dir() else []


def validate_framework_file(path: Path) -> list[str]:
    """Every problem with one framework file (empty when fine); never raises."""
    path = Path(path)
    try:
        scales = load_scales(_scale_files([FRAMEWORKS_DIR, path.parent]))
    except FrameworkSpecError as exc:
        return [str(exc)]
    if not path.exists():
        return [f"{path}: file not found"]
    return _problems(path, scales)[1]


def schema_json() -> str:
    """The JSON Schema of a framework file, exported from the models."""
    return json.dumps(Framework.model_json_schema(), indent=2, sort_keys=True) + "\n"


# -- describing ------------------------------------------------------------------------


def list_rows(frameworks: Mapping[str, Framework]) -> list[dict[str, Any]]:
    """One summary row per framework, for ``evalkit frameworks list``."""
    return [
        {
            "id": fw.id,
            "title": fw.title,
            "edition": fw.edition,
            "mode": fw.mode,
            "scale": fw.scale,
            "dimensions": len(fw.dimensions),
            "items": len(fw.items),
            "bands": "yes" if fw.bands else "no",
        }
        for fw in frameworks.values()
    ]


def describe(framework: Framework) -> str:
    """Plain-text description for ``evalkit frameworks show ID``."""
    fw = framework
    scale = fw.scale_def
    lines = [
        f"{fw.title} ({fw.id}), edition {fw.edition}",
        f"Source: {fw.source.citation}" + (f" <{fw.source.url}>" if fw.source.url else ""),
        f"Content: {CONFIRMATION_WORDS[fw.confirmation]}. {fw.confirmation_note}",
        f"Statements: {fw.wording_note}",
    ]
    if fw.label:
        lines.append(f"Caveat: {fw.label}")
    answered = "each respondent answers" if fw.mode == "survey" else "one agreed rating per item"
    lines.append(
        f"Mode: {fw.mode} ({answered}); evidence required: "
        f"{'yes' if fw.evidence_required else 'no'}"
    )
    lines.append(
        f"Scale: {scale.title} [{scale.owner}]: "
        + "; ".join(f"{lv.value:g} {lv.label}" for lv in scale.levels)
        + _agree_words(scale)
    )
    if fw.bands:
        lines.append(
            f"{fw.band_label} ({fw.bands_level}, {fw.bands_source}): "
            + "; ".join(f"{b.min:g}–{b.max:g} {b.label}" for b in fw.bands)
            + f". {BETWEEN_BANDS}"
        )
    else:
        lines.append("Bands: none published, none applied")
    lines.append(
        f"Totals across {fw.dimension_label}s: "
        f"{'allowed (' + fw.scoring.total + ')' if fw.scoring.totals_allowed else 'no'}"
    )
    for dim in fw.dimensions:
        lines.append(f"\n{dim.id} {dim.title}" + (f" [{dim.group}]" if dim.group else ""))
        for item in fw.items:
            if item.dimension == dim.id:
                flag = " (reverse-scored)" if item.reverse else ""
                mark = f"{item.evidence_level}, {item.wording}"
                lines.append(f"  {item.id} {item.text}{flag} [{mark}]")
    return "\n".join(lines)


#: How a score between two bands is placed (evalkit's convention, see :meth:`Framework.band_for`).
BETWEEN_BANDS = (
    "A score between two bands is placed in the lower one (evalkit's convention: "
    "3.95 on 3.0–3.9 / 4.0–5.0 bands is in the lower band)"
)


def _agree_words(scale: Scale) -> str:
    if scale.agree_line is None:
        return ""
    return f"; agree line {scale.agree_line:g} (evalkit's convention, not the source's)"


def render_frameworks_doc(frameworks: Mapping[str, Framework]) -> str:
    """Markdown for ``docs/frameworks.md``."""
    lines = [
        "# Frameworks",
        "",
        "<!-- Generated by `evalkit docs` from src/evalkit/method/frameworks/*.yaml. "
        "Do not edit. -->",
        "",
        "Each framework is a YAML file in `src/evalkit/method/frameworks/`, validated on load. "
        "Every statement is worded by evalkit (the sources are copyright or were read only "
        "in excerpt). How far each framework's content is confirmed:",
        "",
    ]
    lines += [f"- **{key}**: {text}." for key, text in CONFIRMATION_WORDS.items()]
    lines += [
        "",
        "Each item says whose statement it is (`wording`):",
        "",
    ]
    lines += [f"- **{key}**: {text}." for key, text in WORDING_WORDS.items()]
    lines += ["", "and how far the source confirms it (`evidence_level`):", ""]
    lines += [f"- **{key}** {text}." for key, text in EVIDENCE_WORDS.items()]
    lines += [
        "",
        "A statement written by evalkit is never marked C or P. A score built from such "
        "statements is labelled so in the pack, and a published band applied to it is called "
        "*indicative*. Conventions that are evalkit's own, not any source's: the agree line "
        "of each scale (used to flag partners on opposite sides), and where a score between "
        f"two published bands goes. {BETWEEN_BANDS}.",
        "",
        "| id | framework | mode | scale | dimensions | items | bands | totals |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fw in frameworks.values():
        lines.append(
            f"| `{fw.id}` | {fw.title} | {fw.mode} | `{fw.scale}` | {len(fw.dimensions)} | "
            f"{len(fw.items)} | {'yes' if fw.bands else 'none'} | "
            f"{fw.scoring.total if fw.scoring.totals_allowed else 'not allowed'} |"
        )
    for fw in frameworks.values():
        scale = fw.scale_def
        lines += [
            "",
            f"## {fw.title}",
            "",
            f"- **Id**: `{fw.id}`; edition {fw.edition}",
            f"- **Source**: {fw.source.citation}"
            + (f" <{fw.source.url}>" if fw.source.url else ""),
            f"- **Content**: {fw.confirmation} — {fw.confirmation_note}",
            f"- **Statements**: {fw.wording_note}",
            "- **Who answers**: "
            + (
                "each respondent, per organisation (`responses` table)"
                if fw.mode == "survey"
                else "one agreed rating per item (`checklist` table)"
            )
            + ("; an evidence reference is required" if fw.evidence_required else ""),
            f"- **Scale** (`{scale.id}`, {scale.owner}): "
            + "; ".join(f"{lv.value:g} = {lv.label}" for lv in scale.levels)
            + _agree_words(scale)
            + (f"; missing: {', '.join(scale.missing)}" if scale.missing else ""),
            "- **Bands**: "
            + (
                f"{fw.band_label}: "
                + "; ".join(f"{b.min:g}–{b.max:g} {b.label} ({b.rag})" for b in fw.bands)
                + f" — {fw.bands_source}"
                if fw.bands
                else "none published — none applied"
            ),
            "- **Totals**: "
            + (
                f"allowed ({fw.scoring.total})"
                if fw.scoring.totals_allowed
                else "not allowed; scores are reported by " + fw.dimension_label
            ),
        ]
        if fw.label:
            lines.append(f"- **Caveat**: {fw.label}")
        lines += [
            "",
            f"| {fw.dimension_label} | title | items | statements | evidence marks |",
            "| --- | --- | --- | --- | --- |",
        ]
        for dim in fw.dimensions:
            group = f" ({dim.group})" if dim.group else ""
            items = [i for i in fw.items if i.dimension == dim.id]
            marks = ", ".join(
                f"{m} ×{n}" for m in "CPBD" if (n := sum(1 for i in items if i.evidence_level == m))
            )
            lines.append(
                f"| {dim.id} | {dim.title}{group} | {len(items)} | "
                f"{fw.dimension_wording(dim.id)} | {marks} |"
            )
    return "\n".join(lines) + "\n"
