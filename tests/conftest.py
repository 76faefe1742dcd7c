"""Shared fixtures: a small valid portfolio as files, the frameworks, the scored sample."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evalkit.inputs.dataset import load_tables
from evalkit.method.framework import Framework, load_frameworks
from small_portfolio import HEADERS, ROWS, copy_sample_raw, write_csv, write_workbook


@pytest.fixture(scope="session", autouse=True)
def _logs_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Builds in tests log to a temporary folder, never the checkout's ``logs/``; and
    validation reads an empty interim folder, never the checkout's ``data/interim/``.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_LOGS", str(tmp_path_factory.mktemp("logs")))
        patch.setenv("EVALKIT_INTERIM", str(tmp_path_factory.mktemp("interim")))
        yield


@pytest.fixture(scope="session")
def frameworks() -> dict[str, Framework]:
    """The frameworks evalkit ships, by id."""
    return load_frameworks()


@pytest.fixture
def portfolio_csv(tmp_path: Path) -> Path:
    """A valid portfolio as CSV files."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name, headers in HEADERS.items():
        write_csv(folder / f"{name}.csv", headers, [list(r) for r in ROWS[name]])
    return folder


@pytest.fixture
def portfolio_xlsx(tmp_path: Path) -> Path:
    """The same portfolio as one Excel workbook."""
    folder = tmp_path / "raw"
    folder.mkdir()
    write_workbook(folder)
    return folder


@pytest.fixture(scope="session")
def sample_scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled (invented) sample, prepared and scored into a temporary folder."""
    from evalkit.cli import main  # the command line imports every stage; only load it here

    base = tmp_path_factory.mktemp("sample")
    raw = base / "raw"
    copy_sample_raw(raw)
    processed = base / "processed"
    interim = base / "interim"  # as `make packs` does: returns and survey exports first
    inbox = str(raw / "returns" / "inbox")
    paths = ["--raw", str(raw), "--interim", str(interim)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_INTERIM", str(interim))
        patch.setenv("EVALKIT_RESPONDENT_KEY", str(base / "key" / "respondent.key"))
        assert main(["returns", "ingest", inbox, *paths, "--accept-problems"]) == 0
        for export in sorted((raw / "survey").glob("*.xlsx")):
            mapping = export.with_suffix(".mapping.yaml")
            assert main(["survey", "import", str(export), "--mapping", str(mapping)]) == 0
        assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
        assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    parts = load_tables(processed, ["partnerships"])["partnerships"]
    in_scope = parts[parts["in_scope"].fillna(False).astype(bool)]
    return {
        "base": base,
        "raw": raw,
        "interim": interim,
        "processed": processed,
        "pack_id": str(in_scope["partnership_id"].iloc[0]),
        "in_scope": sorted(in_scope["partnership_id"]),
        "out_of_scope": sorted(set(parts["partnership_id"]) - set(in_scope["partnership_id"])),
        "names": dict(zip(parts["partnership_id"], parts["name"], strict=True)),
    }


@pytest.fixture(scope="session")
def built_sample(sample_scored: dict[str, Any]) -> dict[str, Any]:
    """The sample's evidence packs and overview, built once for the session (HTML and PDF)."""
    from evalkit.cli import main

    reports = sample_scored["base"] / "reports"
    code = main(
        [
            "build",
            "--processed",
            str(sample_scored["processed"]),
            "--reports",
            str(reports),
            "--no-progress",
        ]
    )
    assert code == 0
    return {**sample_scored, "reports": reports}
