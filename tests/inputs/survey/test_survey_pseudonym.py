"""Respondent ids: the keyed hash, and the key kept outside the project (tests/inputs/survey)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from evalkit.errors import EvalkitError
from evalkit.inputs.survey.pseudonym import RespondentKey, identity, load_key, respondent_id
from small_portfolio import ROOT
from survey_helpers import SECRET, expected_id


def test_identity_ignores_case_and_spacing_and_prefers_the_email() -> None:
    assert (
        identity("  Ann.Fictional@Example.INVALID ", "Ann") == "email:ann.fictional@example.invalid"
    )
    assert identity(None, "  Ann   Fictional ") == "name:ann fictional"
    assert identity("", "") is None
    assert identity("anonymous", "Anonymous") is None  # an anonymous Microsoft Form


def test_ids_are_stable_keyed_and_never_show_the_address() -> None:
    key = RespondentKey(SECRET, Path("k"))
    first = respondent_id(key, "email:ann@example.invalid")
    assert first == expected_id("email:ann@example.invalid")
    assert respondent_id(key, "email:ann@example.invalid") == first
    assert first.startswith("r-") and len(first) == 18 and "ann" not in first
    other = RespondentKey(bytes(32), Path("k"))
    assert respondent_id(other, "email:ann@example.invalid") != first


def test_key_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "evalkit" / "respondent.key"
    created = load_key(path)
    assert created.created and len(created.secret) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = load_key(path)
    assert (again.created, again.secret) == (False, created.secret)


def test_key_inside_the_project_or_not_a_key_is_refused(tmp_path: Path) -> None:
    inside = ROOT / "respondent.key"
    with pytest.raises(EvalkitError, match="inside the project folder"):
        load_key(inside)
    assert not inside.exists()
    bad = tmp_path / "respondent.key"
    bad.write_text("not hexadecimal\n", "ascii")
    with pytest.raises(EvalkitError, match="cannot be read as a key"):
        load_key(bad)
