"""Provenance: what the pack was built from, so it can be reproduced and checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit import __version__
from evalkit.report.fragments import gbp_text, heading, para
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def html(pack: Pack) -> str:
    """Evalkit version, framework editions, input hashes, parameters, build time."""
    editions = pd.DataFrame(
        [(fw.id, fw.title, fw.edition) for fw in pack.frameworks.values()],
        columns=["Id", "Framework", "Edition"],
    )
    files = pd.DataFrame(
        sorted(pack.dataset.input_files.items()), columns=["Input file", "SHA-256"]
    )
    return (
        heading(2, "Provenance")
        + para("What this pack was built from, so that it can be reproduced and checked.")
        + table_html(_parameters(pack), caption="Build parameters")
        + table_html(editions, caption="Framework editions")
        + table_html(files, caption="Input files")
    )


def _parameters(pack: Pack) -> pd.DataFrame:
    rule = (
        "lowest organisation where partners disagree"
        if pack.scoring.lower_on_disagreement
        else "mean of organisations"
    )
    return pd.DataFrame(
        [
            ("partnership_id", pack.partnership_id),
            ("assessment_round", pack.assessment_round),
            ("evalkit version", __version__),
            ("built at (UTC)", pack.built_at),
            ("scoring rule", rule),
            ("officer day rate", gbp_text(pack.scoring.officer_day_rate_gbp)),
        ],
        columns=["Parameter", "Value"],
    )
