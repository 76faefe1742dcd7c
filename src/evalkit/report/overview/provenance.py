"""Provenance: the build parameters and the input files the overview was made from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit import __version__
from evalkit.report.fragments import heading
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def provenance_html(view: Overview) -> str:
    """The round, evalkit's version and build time, and each input file's SHA-256."""
    params = pd.DataFrame(
        [
            ("assessment_round", view.assessment_round),
            ("evalkit version", __version__),
            ("built at (UTC)", view.built_at),
        ],
        columns=["Parameter", "Value"],
    )
    files = pd.DataFrame(
        sorted(view.dataset.input_files.items()), columns=["Input file", "SHA-256"]
    )
    return (
        heading(2, "Provenance")
        + table_html(params, caption="Build parameters")
        + table_html(files, caption="Input files")
    )
