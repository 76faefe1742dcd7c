"""Dataset metadata and the processed tables.

``dataset.yaml`` beside the raw tables says what the data is and, above all, whether
it is invented: every output built from invented data carries its ``notice``.
Processed tables are UTF-8 CSV files written by :mod:`evalkit.inputs.prepare`; read them
back, with their types, through :func:`load_tables`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from evalkit.errors import InputFileError
from evalkit.inputs.contract import TABLES, TableSpec

if TYPE_CHECKING:
    import pandas as pd

DATASET_FILE = "dataset.yaml"
DATASET_JSON = "dataset.json"
DEFAULT_INVENTED_NOTICE = "INVENTED DATA — not a real council's assessment"


@dataclass(frozen=True)
class DatasetInfo:
    """What the input data is.

    Attributes:
        title: a name for the dataset.
        publisher: who holds it.
        invented: True for sample or synthetic data.
        notice: the banner shown on every output built from it (always set when invented).
    """

    title: str = "Partnership portfolio"
    publisher: str = ""
    invented: bool = False
    notice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def read_dataset_info(raw_dir: Path) -> DatasetInfo:
    """Read ``dataset.yaml`` from the raw folder (defaults when absent).

    Raises:
        InputFileError: the file exists but is not a YAML mapping.
    """
    path = raw_dir / DATASET_FILE
    if not path.exists():
        return DatasetInfo()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputFileError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise InputFileError(f"{path.name}: expected a mapping of keys to values")
    invented = bool(data.get("invented", False))
    notice = data.get("notice") or (DEFAULT_INVENTED_NOTICE if invented else None)
    return DatasetInfo(
        title=str(data.get("title", DatasetInfo.title)),
        publisher=str(data.get("publisher", "")),
        invented=invented,
        notice=notice,
    )


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every input file in the raw folder (for provenance)."""
    return {
        p.name: file_sha256(p)
        for p in sorted(raw_dir.iterdir())
        if p.is_file() and not p.name.startswith((".", "~$"))
    }


def _typed_read(path: Path, spec: TableSpec) -> pd.DataFrame:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
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
