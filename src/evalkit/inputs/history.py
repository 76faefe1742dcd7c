"""Register snapshots: the register as it stood at an earlier assessment round.

The register keeper saves a copy of the register at each round in the ``registers/``
folder beside the current tables, named for the round it stood at:
``registers/2023-24.xlsx`` (the sheet named ``partnerships``, or the workbook's only
sheet) or ``registers/2023-24.csv``. A snapshot is read and checked exactly as the
current register is (header row below titles, header aliases, amounts as written) and
never changed. Validation reads only the top level of the raw folder as current tables,
so a snapshot is never mistaken for today's register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from evalkit.config import Settings
from evalkit.inputs.files import (
    ERROR,
    LEGACY_FORMATS,
    WARNING,
    WORKBOOK_SUFFIXES,
    UnreadableInputError,
    check_workbook,
    legacy_issue,
)
from evalkit.inputs.ingest import RawTable, Source, read_table, workbook_sheets
from evalkit.inputs.validate import Problem, ValidationReport, check_tables

#: The folder of register snapshots, inside the raw folder.
REGISTERS_FOLDER = "registers"
#: A round as a snapshot's file name gives it: "2023-24", "2023-2024" or "2023".
ROUND_NAME = re.compile(r"\d{4}(-\d{2}|-\d{4})?")
TABLE = "partnerships"


@dataclass(frozen=True)
class Snapshot:
    """One saved copy of the register.

    Attributes:
        round: the round it stood at (the file name without its suffix).
        path: the file.
    """

    round: str
    path: Path

    @property
    def name(self) -> str:
        """The file as messages name it, e.g. ``registers/2023-24.xlsx``."""
        return f"{REGISTERS_FOLDER}/{self.path.name}"


@dataclass
class RegisterHistory:
    """The snapshots that could be read, and every problem found in them.

    Attributes:
        registers: round → the register as it stood then, typed as the contract says
            (only snapshots without errors).
        problems: every problem, located by file, sheet, row and column.
        snapshots: every snapshot file found, oldest round first.
    """

    registers: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)


def _problem(path: Path, code: str, message: str, expected: str, severity: str = ERROR) -> Problem:
    return Problem(
        code,
        severity,
        f"{message} — {expected}",
        table=TABLE,
        file=f"{REGISTERS_FOLDER}/{path.name}",
        expected=expected,
    )


def find_snapshots(raw_dir: Path) -> tuple[list[Snapshot], list[Problem]]:
    """The snapshot files in ``raw_dir/registers``, oldest round first, and naming problems."""
    folder = raw_dir / REGISTERS_FOLDER
    if not folder.is_dir():
        return [], []
    found: dict[str, Snapshot] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        suffix = path.suffix.lower()
        if suffix in LEGACY_FORMATS:
            issue = legacy_issue(path, Settings())
            problems.append(Problem.from_read_issue(replace(issue, file=f"registers/{path.name}")))
            continue
        if suffix not in (".csv", *WORKBOOK_SUFFIXES):
            problems.append(
                _problem(
                    path,
                    "not-a-snapshot",
                    "is not a CSV file or an Excel workbook, so it is not read",
                    "register snapshots only (e.g. 2023-24.xlsx); keep other files elsewhere",
                    WARNING,
                )
            )
            continue
        stem = path.stem.strip()
        if not ROUND_NAME.fullmatch(stem):
            problems.append(
                _problem(
                    path,
                    "snapshot-name",
                    f"the file name '{stem}' is not a round, so evalkit cannot tell when "
                    "this register stood",
                    "name a snapshot after its round, e.g. 2023-24.xlsx",
                )
            )
            continue
        if stem in found:
            problems.append(
                _problem(
                    path,
                    "snapshot-twice",
                    f"round {stem} already has a snapshot ({found[stem].name})",
                    "one snapshot per round: remove one of the two files",
                )
            )
            continue
        found[stem] = Snapshot(stem, path)
    return [found[r] for r in sorted(found)], problems


def _source(snapshot: Snapshot, settings: Settings) -> tuple[Source | None, list[Problem]]:
    """Where the register is in a snapshot file: the file, or its register sheet."""
    if snapshot.path.suffix.lower() == ".csv":
        return Source(snapshot.path, name=snapshot.name), []
    try:
        check_workbook(snapshot.path, settings)
        sheets = workbook_sheets(snapshot.path)
    except UnreadableInputError as exc:
        return None, [Problem.from_read_issue(replace(exc.issue, file=snapshot.name))]
    named = [s for s in sheets if s.strip().lower() == TABLE]
    if named or len(sheets) == 1:
        return Source(snapshot.path, (named or sheets)[0], snapshot.name), []
    expected = "a sheet named 'partnerships' holding the register as it stood"
    return None, [
        _problem(
            snapshot.path,
            "no-register-sheet",
            f"has {len(sheets)} sheets and none is named '{TABLE}'",
            expected,
        )
    ]


def read_snapshot(
    snapshot: Snapshot, settings: Settings
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One snapshot's register, typed (None when it has errors), and its problems."""
    source, problems = _source(snapshot, settings)
    if source is None:
        return None, problems
    try:
        raw: RawTable = read_table(TABLE, source, settings)
    except UnreadableInputError as exc:
        return None, [Problem.from_read_issue(replace(exc.issue, file=snapshot.name, table=TABLE))]
    report = ValidationReport(input_dir=snapshot.name)
    report.problems.extend(
        Problem.from_read_issue(replace(issue, file=snapshot.name)) for issue in raw.issues
    )
    result = check_tables({TABLE: raw}, report)
    problems = report.problems
    if not report.valid:
        return None, problems
    return result.tables[TABLE], problems


def read_history(raw_dir: Path, settings: Settings | None = None) -> RegisterHistory:
    """Every snapshot in ``raw_dir/registers``: the registers and their problems."""
    limits = settings or Settings()
    snapshots, problems = find_snapshots(raw_dir)
    history = RegisterHistory(problems=problems, snapshots=snapshots)
    for snapshot in snapshots:
        register, found = read_snapshot(snapshot, limits)
        history.problems.extend(found)
        if register is not None:
            history.registers[snapshot.round] = register
    return history


def snapshot_problems(raw_dir: Path, settings: Settings | None = None) -> list[Problem]:
    """Every problem in the register snapshots (validation reports them with the rest)."""
    return read_history(raw_dir, settings).problems
