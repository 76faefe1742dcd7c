"""Dataset metadata and the processed tables.

``dataset.yaml`` beside the raw tables says what the data is and, above all, whether
it is invented: every output built from invented data carries its ``notice``. It also
states the kind of evidence each survey framework holds (``evidence_kinds``): a survey
of ``individual`` people (the default; respondents are protected by disclosure control)
or ``organisational`` returns (one agreed return per organisation, shown by name).
Processed tables are UTF-8 CSV files written by :mod:`evalkit.inputs.prepare`; read them
back, with their types, through :func:`load_tables`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES, TableSpec
from evalkit.yamlfile import load_yaml

if TYPE_CHECKING:
    import pandas as pd

DATASET_FILE = "dataset.yaml"
DATASET_JSON = "dataset.json"
DEFAULT_INVENTED_NOTICE = "INVENTED DATA — not a real council's assessment"
#: A survey of people: each respondent is protected (the default).
INDIVIDUAL = "individual"
#: One agreed return per organisation: its official position, shown by name.
ORGANISATIONAL = "organisational"
EVIDENCE_KINDS = (INDIVIDUAL, ORGANISATIONAL)


@dataclass(frozen=True)
class DatasetInfo:
    """What the input data is.

    Attributes:
        title: a name for the dataset.
        publisher: who holds it.
        invented: True for sample or synthetic data.
        notice: the banner shown on every output built from it (always set when invented).
        evidence_kinds: framework id → ``individual`` or ``organisational``, or round →
            {framework id → kind} (a round's entry wins); frameworks not named are
            ``individual``.
    """

    title: str = "Partnership portfolio"
    publisher: str = ""
    invented: bool = False
    notice: str | None = None
    evidence_kinds: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def read_dataset_info(raw_dir: Path) -> DatasetInfo:
    """Read ``dataset.yaml`` from the raw folder (defaults when absent).

    Raises:
        InputFileError: the file exists but is not a YAML mapping, or its
            ``evidence_kinds`` names a kind other than individual or organisational.
    """
    path = raw_dir / DATASET_FILE
    if not path.exists():
        return DatasetInfo()
    data = load_yaml(path, what="dataset description") or {}
    if not isinstance(data, dict):
        raise InputFileError(f"{path.name}: expected a mapping of keys to values")
    invented = bool(data.get("invented", False))
    notice = data.get("notice") or (DEFAULT_INVENTED_NOTICE if invented else None)
    return DatasetInfo(
        title=str(data.get("title", DatasetInfo.title)),
        publisher=str(data.get("publisher", "")),
        invented=invented,
        notice=notice,
        evidence_kinds=_evidence_kinds(path.name, data.get("evidence_kinds")),
    )


def _evidence_kinds(name: str, value: Any) -> dict[str, Any]:
    """Check ``evidence_kinds``: {framework: kind} or {round: {framework: kind}}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputFileError(f"{name}: evidence_kinds must map frameworks (or rounds) to kinds")
    out: dict[str, Any] = {}
    for key, kind in value.items():
        entries = kind.items() if isinstance(kind, dict) else [(None, kind)]
        for framework, each in entries:
            if each not in EVIDENCE_KINDS:
                where = f"{key}: {framework}" if framework is not None else str(key)
                raise InputFileError(
                    f"{name}: evidence_kinds {where} is {each!r}; expected one of "
                    f"{', '.join(EVIDENCE_KINDS)}"
                )
        out[str(key)] = {str(f): k for f, k in kind.items()} if isinstance(kind, dict) else kind
    return out


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_hashes(raw_dir: Path, interim_dir: Path | None = None) -> dict[str, str]:
    """SHA-256 of every input file (for provenance), named by its path.

    Every file in the raw folder and its sub-folders (``survey/northshire.xlsx``,
    ``returns/inbox/…``), and every table in the interim folder that evalkit derived
    from what people sent in, named ``interim/<path>``. Hidden files and Excel's lock
    files (``~$…``) are left out.
    """
    hashes: dict[str, str] = {}
    folders = [(raw_dir, "")]
    if interim_dir is not None:
        folders.append((interim_dir, "interim/"))
    for folder, prefix in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if any(part.startswith((".", "~$")) for part in parts) or not path.is_file():
                continue
            if prefix and path.suffix.lower() != ".csv":
                continue  # interim: the tables, not coverage or status notes
            name = prefix + "/".join(parts)
            try:
                hashes[name] = file_sha256(path)
            except OSError:
                hashes[name] = "unreadable"
    return hashes


def _typed_read(path: Path, spec: TableSpec) -> pd.DataFrame:
    """A prepared table with its contract types, text exactly as typed (see spreadsheet)."""
    import pandas as pd

    from evalkit.spreadsheet import read_csv_frame

    frame = read_csv_frame(path, dtype=str, keep_default_na=False, na_values=[""])
    for col in spec.columns:
        if col.name not in frame:
            frame[col.name] = None
        values = frame[col.name]
        if col.kind in ("money", "number"):
            frame[col.name] = pd.to_numeric(values).astype("float64")
        elif col.kind == "integer":
            frame[col.name] = pd.to_numeric(values).astype("Int64")
        elif col.kind == "bool":
            frame[col.name] = values.map({"True": True, "False": False}).astype("boolean")
        elif col.kind == "date":
            frame[col.name] = pd.to_datetime(values, format="%Y-%m-%d")
        else:
            frame[col.name] = values.astype("string")
    if "incorporated" in frame:
        frame["incorporated"] = frame["incorporated"].map({"True": True, "False": False})
    return frame


def load_tables(processed_dir: Path, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read processed tables with their contract types (empty frames when absent).

    Args:
        processed_dir: the prepared folder.
        names: only these tables (default: all).

    Raises:
        InputFileError: the folder has not been prepared (no ``dataset.json``).
    """
    if not (processed_dir / DATASET_JSON).exists():
        raise InputFileError(
            f"{processed_dir}: no prepared data found; run `evalkit prepare` first"
        )
    import pandas as pd

    tables: dict[str, pd.DataFrame] = {}
    wanted = set(names) if names is not None else None
    for spec in TABLES:
        if wanted is not None and spec.name not in wanted:
            continue
        path = processed_dir / f"{spec.name}.csv"
        if path.exists():
            tables[spec.name] = _typed_read(path, spec)
        else:
            tables[spec.name] = pd.DataFrame(
                {c.name: pd.Series(dtype="string") for c in spec.columns}
            )
    return tables


def load_dataset_meta(processed_dir: Path) -> dict[str, Any]:
    """Read ``dataset.json`` written by prepare (dataset info, hashes, version)."""
    path = processed_dir / DATASET_JSON
    if not path.exists():
        raise InputFileError(f"{processed_dir}: no prepared data; run `evalkit prepare` first")
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return meta
