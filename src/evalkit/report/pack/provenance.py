"""Provenance: what the pack was built from, so it can be reproduced and checked.

A pack names the hashes of its input files, the code that made it (the git commit
where evalkit runs from a git checkout, always the version and a SHA-256 of the
package's source), and the edition and file SHA-256 of each framework it shows (only
those). It prints no build time: its date is the date its data is as at, and the
build date only when ``SOURCE_DATE_EPOCH`` fixes one, so that building the same inputs
twice gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from evalkit import __version__
from evalkit.method.rules import plural
from evalkit.report.fragments import date_text, gbp_text, para
from evalkit.report.pack import anchors, appendix
from evalkit.report.render import SOURCE_DATE_EPOCH, source_date
from evalkit.source import git_commit, source_sha256

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.pack.evidence import Pack

#: Shown for the commit when evalkit does not run from a git checkout.
NO_COMMIT = "none (not run from a git checkout)"


def code_rows() -> list[tuple[str, str]]:
    """The code version: evalkit's version, its git commit and its source's SHA-256."""
    return [
        ("evalkit version", __version__),
        ("code commit (git)", git_commit() or NO_COMMIT),
        ("code source SHA-256", source_sha256()),
    ]


def date_rows(as_of: str) -> list[tuple[str, str]]:
    """The dates a pack states: its data's as-at date, and a fixed build date if any."""
    rows = [("data as at", as_of or "not recorded")]
    fixed = source_date()
    if fixed:
        rows.append((f"build date ({SOURCE_DATE_EPOCH})", fixed))
    return rows


def framework_table(frameworks: Mapping[str, Framework], used: Iterable[str]) -> pd.DataFrame:
    """Edition and file SHA-256 of each framework used (only those), in the order given."""
    rows = []
    for fid in used:
        fw = frameworks[fid]
        path = fw.source_path
        rows.append(
            (
                fw.id,
                fw.title,
                fw.edition,
                path.name if path else "—",
                fw.file_sha256 or "—",
            )
        )
    return pd.DataFrame(rows, columns=["Id", "Framework", "Edition", "File", "File SHA-256"])


def input_table(input_files: Mapping[str, str]) -> pd.DataFrame:
    """Each input file and its SHA-256, by name."""
    return pd.DataFrame(sorted(input_files.items()), columns=["Input file", "SHA-256"])


def html(pack: Pack) -> str:
    """Code version, dates, parameters, the frameworks used and the input files' hashes."""
    return (
        anchors.section_heading(2, "Provenance", anchors.PROVENANCE)
        + para(
            "What this pack was built from, so that it can be reproduced and checked: "
            "building the same inputs with the same code gives the same files. " + _in_brief(pack)
        )
        + appendix.table(
            pack,
            _parameters(pack),
            section="Provenance",
            name="build-parameters",
            caption="Build parameters and code version",
        )
        + appendix.table(
            pack,
            framework_table(pack.frameworks, pack.frameworks_present()),
            section="Provenance",
            name="frameworks-used",
            caption="Frameworks used in this pack: edition and file SHA-256",
        )
        + appendix.table(
            pack,
            input_table(pack.dataset.input_files),
            section="Provenance",
            name="input-files",
            caption="Input files",
        )
    )


def _in_brief(pack: Pack) -> str:
    """The provenance in one sentence: the printed pack leaves the tables to the web page."""
    frameworks = len(pack.frameworks_present())
    files = len(pack.dataset.input_files)
    return (
        f"Built with evalkit {__version__} from {plural(files, 'input file')} and "
        f"{plural(frameworks, 'framework file')}, with the data as at "
        f"{date_text(pack.scoring.as_of or None)}. The build parameters, the frameworks' "
        "editions and every file's SHA-256 are in the appendix of the web page and in the "
        "downloads."
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
            *date_rows(pack.scoring.as_of),
            *code_rows(),
            ("scoring rule", rule),
            ("officer day rate", gbp_text(pack.scoring.officer_day_rate_gbp)),
        ],
        columns=["Parameter", "Value"],
    )
