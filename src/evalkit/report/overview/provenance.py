"""Provenance: the code, dates, frameworks and input files the overview was made from.

Like a pack's (:mod:`evalkit.report.pack.provenance`): no build time, the data's
as-at date, the code version, and the edition and file SHA-256 of each framework scored
in the portfolio this round (only those).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import heading, in_framework_order, para
from evalkit.report.pack.provenance import code_rows, date_rows, framework_table, input_table
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def frameworks_used(view: Overview) -> list[str]:
    """Framework ids with scores in the overview's round, in report order."""
    d = view.round_dimension_scores()
    return in_framework_order(d["framework_id"] if len(d) else [])


def provenance_html(view: Overview) -> str:
    """The round, dates, code version, frameworks used and each input file's SHA-256."""
    params = pd.DataFrame(
        [
            ("assessment_round", view.assessment_round),
            *date_rows(view.scoring.as_of),
            *code_rows(),
        ],
        columns=["Parameter", "Value"],
    )
    return (
        heading(2, "Provenance")
        + para(
            "What this overview was built from, so that it can be reproduced and checked: "
            "building the same inputs with the same code gives the same files."
        )
        + table_html(params, caption="Build parameters and code version")
        + table_html(
            framework_table(view.frameworks, frameworks_used(view)),
            caption="Frameworks scored in the portfolio this round: edition and file SHA-256",
        )
        + table_html(input_table(view.dataset.input_files), caption="Input files")
    )
