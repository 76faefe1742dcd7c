"""Frameworks as data: the shipped files, the scales, and broken files refused clearly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.config import FRAMEWORKS_DIR
from evalkit.errors import FrameworkSpecError
from evalkit.inputs.normalise import token
from evalkit.inputs.validate import validate
from evalkit.method.framework import (
    load_frameworks,
    load_scales,
    schema_json,
    validate_framework_file,
)

# Counted by hand from the YAML files.
SHIPPED = {
    # id: (mode, scale, dimensions, items)
    "nuffield-pat": ("survey", "agree4", 6, 31),
    "lga-drivers": ("checklist", "lga4", 7, 14),
    "iso44001-lifecycle": ("checklist", "maturity5", 8, 16),
    "governance-checklist": ("checklist", "status3", 9, 23),
    "jrf-members": ("checklist", "status3", 11, 13),
    "wilder-factors": ("survey", "likert5", 20, 40),
    "vichealth-pat": ("checklist", "likert5", 7, 35),
}


def test_exactly_the_seven_frameworks_ship(frameworks):
    assert set(frameworks) == set(SHIPPED)


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_shipped_framework_shape(frameworks, fid):
    fw = frameworks[fid]
    assert (fw.mode, fw.scale, len(fw.dimensions), len(fw.items)) == SHIPPED[fid]
    assert fw.source_path == FRAMEWORKS_DIR / f"{fid}.yaml"
    assert validate_framework_file(FRAMEWORKS_DIR / f"{fid}.yaml") == []


def test_nuffield_principle_one_has_six_confirmed_elements(frameworks):
    items = [i for i in frameworks["nuffield-pat"].items if i.dimension == "P1"]
    assert len(items) == 6 and {i.evidence_level for i in items} == {"C"}
    assert frameworks["nuffield-pat"].bands == []


def test_labels_say_what_the_instrument_is_not(frameworks):
    assert "not a certification" in frameworks["iso44001-lifecycle"].label
    assert "evalkit's own" in frameworks["lga-drivers"].label
    assert "evalkit" in frameworks["lga-drivers"].scale_def.owner


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("Strongly Agree", 4),
        (" strongly  agree ", 4),
        ("SA", 4),
        ("4", 4),
        ("4.0", 4),
        ("disagree", 2),
    ],
)
def test_agree4_codes(frameworks, answer, value):
    scale = frameworks["nuffield-pat"].scale_def
    assert scale.code_map()[token(answer)] == value


@pytest.mark.parametrize("answer", ["Don’t know", "N/A", "not applicable", "dk"])
def test_missing_tokens_are_never_zero(frameworks, answer):
    scale = frameworks["nuffield-pat"].scale_def
    assert token(answer) in scale.missing_tokens() and token(answer) not in scale.code_map()


@pytest.mark.parametrize(
    ("fid", "score", "level", "rag"),
    [
        ("wilder-factors", 3.95, "dimension", "amber"),
        ("wilder-factors", 4.0, "dimension", "green"),
        ("wilder-factors", 2.99, "dimension", "red"),
        ("wilder-factors", 5.0, "dimension", "green"),
        ("vichealth-pat", 126, "total", "amber"),
        ("vichealth-pat", 127, "total", "green"),
        ("vichealth-pat", 84, "total", "red"),
        ("vichealth-pat", 85, "total", "amber"),
    ],
)
def test_published_bands(frameworks, fid, score, level, rag):
    assert frameworks[fid].band_for(score, level).rag == rag


def test_no_bands_where_none_are_published(frameworks):
    assert frameworks["nuffield-pat"].band_for(1.0, "dimension") is None
    assert frameworks["wilder-factors"].band_for(3.0, "total") is None


GOOD = {
    "id": "local-check",
    "title": "Local check",
    "edition": "2026",
    "source": {"citation": "Test"},
    "confirmation": "evalkit",
    "confirmation_note": "test",
    "mode": "checklist",
    "scale": "status3",
    "dimensions": [{"id": "A", "title": "Alpha"}],
    "items": [{"id": "A.1", "dimension": "A", "text": "Thing", "evidence_level": "D"}],
}


def _broken(**changes):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    for key, value in changes.items():
        data[key] = value
    return data


BROKEN = [
    # (id, data or raw text, expected fragments of the message)
    ("unknown-key", _broken(colour="blue"), ["colour", "unknown key"]),
    (
        "missing-dimension",
        _broken(items=[{"id": "A.1", "dimension": "Z", "text": "x", "evidence_level": "D"}]),
        ["items[0].dimension", "'Z' is not a dimension", "expected one of A"],
    ),
    (
        "duplicate-item",
        _broken(
            items=[
                {"id": "A.1", "dimension": "A", "text": "x", "evidence_level": "D"},
                {"id": "A.1", "dimension": "A", "text": "y", "evidence_level": "D"},
            ]
        ),
        ["items[1].id", "duplicate item id 'A.1'"],
    ),
    (
        "bands-without-source",
        _broken(bands=[{"min": 0, "max": 1, "label": "Low", "rag": "red"}]),
        ["bands_source", "required"],
    ),
    (
        "overlapping-bands",
        _broken(
            bands=[
                {"min": 0, "max": 1.5, "label": "Low", "rag": "red"},
                {"min": 1, "max": 2, "label": "High", "rag": "green"},
            ],
            bands_source="test",
        ),
        ["bands", "overlaps"],
    ),
    (
        "band-outside-scale",
        _broken(bands=[{"min": 0, "max": 9, "label": "All", "rag": "green"}], bands_source="t"),
        ["bands[0]", "outside the possible range 0–2"],
    ),
    (
        "total-not-allowed",
        _broken(scoring={"dimension": "mean", "total": "sum", "totals_allowed": False}),
        ["scoring.total", "totals_allowed"],
    ),
    ("unknown-scale", _broken(scale="ten-point"), ["scale", "unknown scale 'ten-point'"]),
    (
        "bad-evidence-level",
        _broken(items=[{"id": "A.1", "dimension": "A", "text": "x", "evidence_level": "Q"}]),
        ["items[0].evidence_level"],
    ),
    ("id-not-stem", _broken(id="other-name"), ["id", "must equal the file name stem"]),
    (
        "evalkit-statement-marked-confirmed",
        _broken(items=[{"id": "A.1", "dimension": "A", "text": "x", "evidence_level": "C"}]),
        ["items[0]", "worded by evalkit", "mark it B or D"],
    ),
    (
        "evalkit-statement-marked-partly",
        _broken(
            items=[
                {"id": "A.1", "dimension": "A", "text": "x", "evidence_level": "P"},
            ]
        ),
        ["items[0]", "'P' claims the source confirms"],
    ),
    (
        "source-statement-marked-design",
        _broken(
            items=[
                {
                    "id": "A.1",
                    "dimension": "A",
                    "text": "x",
                    "evidence_level": "D",
                    "wording": "source",
                }
            ]
        ),
        ["items[0]", "wording: 'source' needs evidence_level C or P"],
    ),
    ("yaml-syntax", "id: local-check\ntitle: [unclosed\n", ["not valid YAML", "line"]),
]


@pytest.mark.parametrize(("data", "fragments"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_framework_is_refused_with_file_and_field(tmp_path, data, fragments):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    path = folder / "local-check.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    problems = validate_framework_file(path)
    assert problems, "expected the file to be refused"
    text = " ".join(problems)
    assert "local-check.yaml" in text
    for fragment in fragments:
        assert fragment in text, text
    with pytest.raises(FrameworkSpecError) as excinfo:
        load_frameworks([folder])
    assert "local-check.yaml" in str(excinfo.value)


def test_good_file_validates_and_loads_beside_the_shipped_ones(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "local-check.yaml").write_text(yaml.safe_dump(GOOD))
    assert validate_framework_file(folder / "local-check.yaml") == []
    loaded = load_frameworks([folder])
    assert len(loaded) == 8 and loaded["local-check"].scale_def.id == "status3"


def test_duplicate_framework_id_names_both_files(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    shipped = (FRAMEWORKS_DIR / "lga-drivers.yaml").read_text()
    (folder / "lga-drivers.yaml").write_text(shipped)
    with pytest.raises(FrameworkSpecError, match="already defined in"):
        load_frameworks([folder])


def test_broken_scale_is_refused(tmp_path):
    path = tmp_path / "scales.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "scales": [
                    {
                        "id": "bad",
                        "title": "Bad",
                        "owner": "x",
                        "kind": "ordinal",
                        "levels": [{"value": 2, "label": "B"}, {"value": 1, "label": "A"}],
                    }
                ]
            }
        )
    )
    with pytest.raises(FrameworkSpecError, match=r"scales\[0\].*ascending"):
        load_scales([path])


def test_cli_frameworks_commands(tmp_path, capsys):
    assert main(["frameworks", "list"]) == 0
    out = capsys.readouterr().out
    assert all(fid in out for fid in SHIPPED)
    assert main(["frameworks", "show", "nuffield-pat"]) == 0
    assert "P1.1" in capsys.readouterr().out
    bad = tmp_path / "local-check.yaml"
    bad.write_text(yaml.safe_dump(_broken(scale="nope")))
    assert main(["frameworks", "validate", str(bad)]) == 2
    assert "unknown scale 'nope'" in capsys.readouterr().out
    assert main(["frameworks", "show", "no-such"]) == 2


def test_committed_schema_is_current():
    committed = (FRAMEWORKS_DIR / "framework.schema.json").read_text()
    assert committed == schema_json()


# Answers and items checked against the frameworks at validation -------------------------


def _responses(folder: Path, rows: list[str]) -> None:
    header = "round,partnership_id,respondent_id,organisation_id,framework_id,item_id,response\n"
    (folder / "responses.csv").write_text(header + "\n".join(rows) + "\n")


@pytest.mark.parametrize(
    ("row", "code", "column", "fragment"),
    [
        (
            "2024-25,csp,R1,police,nuffield-pat,P1.1,Maybe",
            "not-on-scale",
            "response",
            "'Maybe' is not on the answer scale of nuffield-pat",
        ),
        (
            "2024-25,csp,R1,police,nuffield-pat,P9.1,Agree",
            "unknown-item",
            "item_id",
            "'P9.1' is not an item of framework nuffield-pat",
        ),
        (
            "2024-25,csp,R1,police,nuffield-pt,P1.1,Agree",
            "unknown-reference",
            "framework_id",
            "'nuffield-pt' is not a known framework_id",
        ),
    ],
    ids=["answer-outside-scale", "unknown-item", "unknown-framework"],
)
def test_answers_are_checked_against_frameworks(
    portfolio_csv, frameworks, row, code, column, fragment
):
    _responses(portfolio_csv, ["2024-25,csp,R1,police,nuffield-pat,P1.2,agree", row])
    errors = validate(portfolio_csv, frameworks).report.errors
    assert [(e.code, e.row, e.column) for e in errors] == [(code, 3, column)]
    assert fragment in errors[0].message


# What the sources confirm ---------------------------------------------------------------

#: Statements that paraphrase one the source publishes, read off
#: /work/shared/reference/frameworks.md by hand: the Audit Commission chapter 1
#: checklist's questions (sections 1-7) and recommendation 5 (governing documents) for
#: the governance checklist; the six confirmed P1 elements and four partly confirmed P2
#: elements for the Nuffield PAT. Every other shipped statement is evalkit's.
SOURCE_WORDED = {
    "governance-checklist": {
        "G1.1": "C", "G1.3": "C", "G2.1": "C", "G2.3": "C",
        "G3.1": "C", "G3.2": "C", "G3.3": "C", "G3.4": "C",
        "G4.1": "C", "G4.2": "C", "G5.2": "C", "G6.2": "C", "G6.3": "C",
        "G7.1": "C", "G7.2": "C",
    },
    "nuffield-pat": {
        "P1.1": "C", "P1.2": "C", "P1.3": "C", "P1.4": "C", "P1.5": "C", "P1.6": "C",
        "P2.1": "P", "P2.2": "P", "P2.3": "P", "P2.4": "P",
    },
}  # fmt: skip


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_only_published_statements_are_marked_confirmed(frameworks, fid):
    fw = frameworks[fid]
    marked = {i.id: i.evidence_level for i in fw.items if i.evidence_level in ("C", "P")}
    source = {i.id: i.evidence_level for i in fw.items if i.wording == "source"}
    assert marked == source == SOURCE_WORDED.get(fid, {})


def test_vichealth_statements_are_evalkits_and_never_confirmed(frameworks):
    fw = frameworks["vichealth-pat"]
    assert {(i.wording, i.evidence_level) for i in fw.items} == {("evalkit", "D")}
    assert fw.reconstructed and len(fw.reconstructed_items) == 35


def test_governance_additions_to_the_audit_commission_checklist_are_evalkits(frameworks):
    items = {i.id: i for i in frameworks["governance-checklist"].items}
    # "at least once a year" and "a risk register" are not in the checklist's questions.
    assert "once a year" in items["G5.3"].text and "risk register" in items["G6.1"].text
    for item_id in ("G5.3", "G6.1"):
        assert (items[item_id].wording, items[item_id].evidence_level) == ("evalkit", "D")


@pytest.mark.parametrize(
    ("fid", "note"),
    [
        (
            "vichealth-pat",
            "All 35 VicHealth tool statements were written by evalkit, not taken from the "
            "source, so every VicHealth tool score is built from reconstructed statements.",
        ),
        (
            "wilder-factors",
            "All 40 Wilder factors statements were written by evalkit, not taken from the "
            "source, so every Wilder factors score is built from reconstructed statements.",
        ),
        (
            "nuffield-pat",
            "21 of the 31 Nuffield PAT statements were written by evalkit, not taken from the "
            "source (principles P2, P3, P4, P5, P6); the other 10 paraphrase published ones. "
            "Scores for those principles are built from reconstructed statements.",
        ),
    ],
)
def test_wording_note_says_in_plain_words_whose_statements_the_scores_rest_on(
    frameworks, fid, note
):
    assert frameworks[fid].wording_note == note


def test_dimension_wording(frameworks):
    fw = frameworks["nuffield-pat"]
    assert fw.dimension_wording("P1") == "published (paraphrased)"
    assert fw.dimension_wording("P2") == "1 of 5 written by evalkit"
    assert fw.dimension_wording("P3") == "written by evalkit"


def test_published_bands_on_reconstructed_statements_are_called_indicative(frameworks):
    assert frameworks["wilder-factors"].band_label == (
        "Indicative band (published Wilder factors bands applied to statements written by evalkit)"
    )
    assert frameworks["vichealth-pat"].band_label.startswith("Indicative band (published ")
    assert frameworks["vichealth-pat"].band_indicative
    assert not frameworks["nuffield-pat"].band_indicative


def _local(tmp_path: Path, **changes) -> dict:
    folder = tmp_path / "frameworks"
    folder.mkdir(parents=True)
    (folder / "local-check.yaml").write_text(yaml.safe_dump(_broken(**changes)))
    return load_frameworks([folder])


def test_bands_on_published_statements_are_plain_bands_and_evalkits_are_labelled(tmp_path):
    item = {"id": "A.1", "dimension": "A", "text": "x", "evidence_level": "C", "wording": "source"}
    bands = [{"min": 0, "max": 2, "label": "All", "rag": "green"}]
    fw = _local(tmp_path, items=[item], bands=bands, bands_source="the source")["local-check"]
    assert (fw.reconstructed, fw.band_indicative, fw.band_label) == (False, False, "Band")
    assert fw.wording_note == (
        "Every Local check statement paraphrases one the source publishes, so its scores "
        "rest on the published statements."
    )
    own = _local(tmp_path / "b", items=[item], bands=bands, bands_source="x", bands_owner="evalkit")
    assert own["local-check"].band_label == (
        "Indicative band (evalkit's own convention, not published by the source)"
    )


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_framework_file_hash(frameworks, fid):
    data = (FRAMEWORKS_DIR / f"{fid}.yaml").read_bytes()
    assert frameworks[fid].file_sha256 == hashlib.sha256(data).hexdigest()


def test_reference_page_labels_evalkits_conventions(frameworks):
    text = (Path(__file__).parents[2] / "docs" / "frameworks.md").read_text()
    assert "agree line 2.5 (evalkit's convention, not the source's)" in text
    assert "A score between two bands is placed in the lower one (evalkit's convention" in text
    assert "Indicative band (published Wilder factors bands applied to statements" in text
