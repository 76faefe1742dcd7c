"""``reports/manifest.json``: every pack's status, key, timings, files and error.

The manifest is rewritten after every pack. Packs not in this build (``--only``) keep
their earlier records, so it always describes every pack in the reports folder. The
overview and the committee cover report have a record each beside ``packs``
(``overview``, ``committee``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.build.plan import COMMITTEE_ID, OVERVIEW_ID, PORTFOLIO_STEMS
from evalkit.build.records import PackOutcome

MANIFEST_FILE = "manifest.json"


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, or an empty one when there is none (or it is unreadable)."""
    if not path.exists():
        return {"packs": {}}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError:
        return {"packs": {}}


def now() -> str:
    """The time, as the manifest and the index show it (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_manifest(
    path: Path, outcomes: list[PackOutcome], *, workers: int, assessment_round: str, updated: str
) -> dict[str, Any]:
    """Merge this build's outcomes into the manifest at ``path``; write and return it."""
    packs = {o.id: o.record() for o in outcomes if o.id not in PORTFOLIO_STEMS}
    overview = next((o.record() for o in outcomes if o.id == OVERVIEW_ID), None)
    committee = next((o.record() for o in outcomes if o.id == COMMITTEE_ID), None)
    previous = read_manifest(path)
    manifest = {
        "evalkit_version": __version__,
        "assessment_round": assessment_round,
        "updated": updated,
        "workers": workers,
        "packs": {**previous.get("packs", {}), **packs},
        "overview": overview or previous.get("overview"),
    }
    committee = committee or previous.get(COMMITTEE_ID)
    if committee is not None:  # none before the first full build
        manifest[COMMITTEE_ID] = committee
    atomic_write_text(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest
