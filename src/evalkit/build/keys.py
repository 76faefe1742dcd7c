"""Input keys: a digest of everything a pack is made from, and the up-to-date check.

A pack's key covers its own data rows, the notebook, evalkit's code and templates, the
framework files, the scoring options, the output formats, the invented-data notice, the
assessment round and the evalkit version. A pack whose key is unchanged, and whose files
are all still there, is not rebuilt.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.config import FRAMEWORKS_DIR, Settings
from evalkit.inputs.contract import TABLES
from evalkit.method.results import SCORING_JSON
from evalkit.source import source_sha256

#: Columns that only say where a row came from; moving a row does not change its pack.
SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")


def digest(parts: Iterable[bytes]) -> str:
    """One SHA-256 hex digest of a sequence of byte strings (each hashed first)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def file_sha(path: Path) -> str:
    """A file's SHA-256, as hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_fingerprint() -> bytes:
    """Digest of evalkit's own code and templates (a pack changes when they do).

    The same SHA-256 each pack prints in its provenance as the code source's hash.
    """
    return source_sha256().encode()


def _table_row_hashes(path: Path) -> dict[str, bytes]:
    """Partnership id → digest of its rows in one prepared CSV (order-independent)."""
    rows: dict[str, list[bytes]] = {}
    header: list[str] = []
    if path.exists():
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            if "partnership_id" in header:
                at = header.index("partnership_id")
                keep = [i for i, name in enumerate(header) if name not in SOURCE_COLUMNS]
                for row in reader:
                    line = "\x1f".join(row[i] for i in keep).encode()
                    rows.setdefault(row[at], []).append(hashlib.sha256(line).digest())
    head = ",".join(header).encode()
    return {pid: hashlib.sha256(head + b"".join(sorted(d))).digest() for pid, d in rows.items()}


def row_hashes(processed_dir: Path) -> dict[str, dict[str, bytes]]:
    """Table → partnership id → digest of that partnership's rows.

    Reads the prepared CSV files as text (the values exactly as ``prepare`` wrote them),
    leaving out :data:`SOURCE_COLUMNS`, so moving a row in the raw workbook does not
    rebuild its pack but changing any value does.
    """
    return {spec.name: _table_row_hashes(processed_dir / f"{spec.name}.csv") for spec in TABLES}


@dataclass(frozen=True)
class InputKeys:
    """The keys of one build's packs and overview.

    Attributes:
        shared: what every pack and the overview are made from, besides notebook and rows.
        rows: table → partnership id → digest of its rows (see :func:`row_hashes`).
    """

    shared: tuple[bytes, ...]
    rows: dict[str, dict[str, bytes]]

    @classmethod
    def gather(
        cls, settings: Settings, formats: Iterable[str], notice: str | None, assessment_round: str
    ) -> InputKeys:
        """Read the inputs every key shares, and each partnership's rows."""
        parts = [__version__.encode(), code_fingerprint(), ",".join(formats).encode()]
        for folder in (FRAMEWORKS_DIR, settings.raw_dir / "frameworks"):
            if folder.is_dir():
                parts += [p.name.encode() + p.read_bytes() for p in sorted(folder.glob("*.yaml"))]
        scoring = settings.scores_dir / SCORING_JSON
        parts.append(scoring.read_bytes() if scoring.exists() else b"")
        parts += [(notice or "").encode(), assessment_round.encode()]
        return cls(tuple(parts), row_hashes(settings.processed_dir))

    def pack(self, notebook: bytes, partnership_id: str) -> str:
        """The key of one partnership's pack."""
        own = [self.rows[name].get(partnership_id, b"") for name in sorted(self.rows)]
        return digest([notebook, *self.shared, partnership_id.encode(), *own])

    def overview(self, notebook: bytes) -> str:
        """The key of the overview (every partnership's rows)."""
        every = [d for name in sorted(self.rows) for _, d in sorted(self.rows[name].items())]
        return digest([notebook, *self.shared, *every])


def up_to_date(previous: Mapping[str, Any] | None, key: str, folder: Path) -> bool:
    """True when the manifest's record has this key, did not fail, and its files exist."""
    if not previous or previous.get("key") != key or previous.get("status") == "failed":
        return False
    return all((folder / name).exists() for name in previous.get("files", {}))
