"""Notebooks: parameters match the builder; thin; run end to end with papermill and nbval."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from evalkit.build.plan import (
    COMMITTEE_NOTEBOOK,
    OVERVIEW_NOTEBOOK,
    PACK_NOTEBOOK,
    overview_parameters,
    pack_parameters,
)
from small_portfolio import ROOT


@pytest.mark.parametrize(
    ("notebook", "params"),
    [
        (PACK_NOTEBOOK, pack_parameters),
        (OVERVIEW_NOTEBOOK, overview_parameters),
        (COMMITTEE_NOTEBOOK, overview_parameters),
    ],
    ids=["evidence_pack", "portfolio_overview", "committee_report"],
)
def test_declares_exactly_the_parameters_the_builder_passes(notebook, params):
    declared = set(papermill.inspect_notebook(str(notebook)))
    assert declared == set(
        params("x", "2024-25", Path("/p"), Path("/o"))
        if params is pack_parameters
        else params("2024-25", Path("/p"), Path("/o"))
    )


@pytest.mark.parametrize(
    "notebook", [PACK_NOTEBOOK, OVERVIEW_NOTEBOOK, COMMITTEE_NOTEBOOK], ids=lambda p: p.stem
)
def test_notebook_is_thin(notebook):
    nb = nbformat.read(notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in nb.cells:
        assert not cell.get("outputs"), "commit notebooks without outputs"
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 8, cell.source
            assert "def " not in cell.source and "class " not in cell.source


NBVAL_SANITISE = """[timestamps]
regex: \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+00:00
replace: TIMESTAMP

[images]
regex: data:image/png;base64,[A-Za-z0-9+/=]+
replace: data:image/png;base64,IMAGE

[addresses]
regex: at 0x[0-9a-fA-F]+
replace: at 0xADDRESS
"""


@pytest.mark.slow
def test_nbval_strict_on_executed_packs(sample_scored, tmp_path):
    """Run each notebook with papermill, then nbval re-runs it and compares every output."""
    sanitise = tmp_path / "sanitise.cfg"
    sanitise.write_text(NBVAL_SANITISE)
    executed = []
    for notebook, params in (
        (
            PACK_NOTEBOOK,
            {
                "partnership_id": sample_scored["pack_id"],
                "assessment_round": "",
                "processed_dir": str(sample_scored["processed"]),
                "output_dir": "",
            },
        ),
        (
            OVERVIEW_NOTEBOOK,
            {
                "assessment_round": "",
                "processed_dir": str(sample_scored["processed"]),
                "output_dir": "",
            },
        ),
    ):
        out = tmp_path / notebook.name
        papermill.execute_notebook(
            str(notebook),
            str(out),
            parameters=params,
            progress_bar=False,
            kernel_name="python3",
            cwd=str(ROOT),
        )
        executed.append(str(out))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-sanitize-with",
            str(sanitise),
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            *executed,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_nbval_lax_on_source_notebooks(sample_scored, tmp_path):
    """The committed notebooks run top to bottom on their defaults (project data)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            str(PACK_NOTEBOOK),
            str(OVERVIEW_NOTEBOOK),
            str(COMMITTEE_NOTEBOOK),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "EVALKIT_PROCESSED": str(sample_scored["processed"])},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
