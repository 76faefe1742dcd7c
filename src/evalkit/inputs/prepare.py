"""Raw → processed: validate the input and write typed tidy tables.

The raw folder is only read. The processed folder receives one UTF-8 CSV per table
(ISO dates, True/False booleans, plain numbers, plus ``source_file``,
``source_sheet`` and ``source_row`` so every value can be traced back),
``validation-report.json`` and ``dataset.json`` (dataset notice, input file hashes,
evalkit version). Tables are written only when the input is valid; the report is
always written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.config import Settings
from evalkit.inputs.contract import TABLES
from evalkit.inputs.dataset import DATASET_JSON, input_hashes, read_dataset_info
from evalkit.inputs.validate import ValidationResult, validate
from evalkit.spreadsheet import frame_to_csv

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

REPORT_FILE = "validation-report.json"


def _csv_text(frame: pd.DataFrame) -> str:
    out = frame.rename(
        columns={"_file": "source_file", "_sheet": "source_sheet", "_row": "source_row"}
    )
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return frame_to_csv(out)


def prepare(
    settings: Settings, frameworks: Mapping[str, Framework] | None = None
) -> ValidationResult:
    """Validate ``settings.raw_dir`` and, when valid, write the processed tables."""
    result = validate(settings.raw_dir, frameworks, settings, settings.interim_dir)
    out = settings.processed_dir
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / REPORT_FILE, result.report.to_json() + "\n")
    if not result.report.valid:
        return result
    for spec in TABLES:
        frame = result.tables.get(spec.name)
        path = out / f"{spec.name}.csv"
        if frame is None:
            if path.exists():
                path.unlink()
            continue
        atomic_write_text(path, _csv_text(frame))
    info = read_dataset_info(settings.raw_dir)
    meta = {
        "dataset": info.to_dict(),
        "evalkit_version": __version__,
        "prepared_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "raw_dir": str(settings.raw_dir),
        "input_files": input_hashes(settings.raw_dir, settings.interim_dir),
        "tables": result.report.tables,
        "warnings": len(result.report.warnings),
    }
    atomic_write_text(out / DATASET_JSON, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return result
