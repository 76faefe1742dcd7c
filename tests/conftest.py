"""Shared fixtures: a small valid portfolio written as real CSV and Excel files."""

from __future__ import annotations

from pathlib import Path

import pytest

from small_portfolio import HEADERS, ROWS, write_csv, write_workbook


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


ROOT = Path(__file__).resolve().parents[1]
SAMPLE_RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def sample_scored(tmp_path_factory) -> dict:
    """The bundled (invented) sample, prepared and scored into a temporary folder."""
    import shutil

    from evalkit.cli import main

    base = tmp_path_factory.mktemp("sample")
    raw = base / "raw"
    shutil.copytree(SAMPLE_RAW, raw)
    processed = base / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    from evalkit.inputs.dataset import load_tables

    parts = load_tables(processed, ["partnerships"])["partnerships"]
    in_scope = parts[parts["in_scope"].fillna(False).astype(bool)]
    return {
        "base": base,
        "raw": raw,
        "processed": processed,
        "pack_id": str(in_scope["partnership_id"].iloc[0]),
        "in_scope": sorted(in_scope["partnership_id"]),
        "out_of_scope": sorted(set(parts["partnership_id"]) - set(in_scope["partnership_id"])),
        "names": dict(zip(parts["partnership_id"], parts["name"], strict=True)),
    }


@pytest.fixture(scope="session")
def built_sample(sample_scored) -> dict:
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
