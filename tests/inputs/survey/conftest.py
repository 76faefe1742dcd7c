"""Fixtures for the survey-import tests: a small framework and a respondent key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.inputs.survey.pseudonym import RespondentKey, load_key
from evalkit.method.framework import Framework, load_frameworks
from survey_helpers import SECRET, TINY


@pytest.fixture(scope="session")
def survey_frameworks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Framework]:
    """The shipped frameworks plus ``tiny-survey``."""
    folder = tmp_path_factory.mktemp("frameworks")
    (folder / "tiny-survey.yaml").write_text(yaml.safe_dump(TINY), "utf-8")
    return load_frameworks([folder])


@pytest.fixture
def key() -> RespondentKey:
    """A fixed respondent key (the ids in the tests are worked out from it)."""
    return RespondentKey(SECRET, Path("/nonexistent/respondent.key"))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A key file outside the project, holding :data:`SECRET`."""
    path = tmp_path / "config" / "respondent.key"
    path.parent.mkdir()
    path.write_text(SECRET.hex() + "\n", "ascii")
    assert load_key(path).secret == SECRET
    return path
