"""Receive returns: keep each as received, write its tables, log a receipt, report status.

Raw data is append-only, so the receipts log is one small JSON file per receipt written
beside the workbook it describes, never edited:
``<raw>/returns/<round>/<partnership>-<sha12>.xlsx`` and ``…-<sha12>.receipt.json``. The
file name carries the first 12 hex digits of the workbook's SHA-256, so the same workbook
received twice is recognised and changes nothing. The current return for a partnership
and round is the latest received one that was not refused; its receipt names the one it
supersedes and why. The current return's tables are written as contract-shaped CSV files
to ``<interim>/returns/<round>/<partnership>/``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.atomic import atomic_path, atomic_write_text
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.dataset import file_sha256
from evalkit.inputs.returns.read import (
    ACTION_STATUS_COLUMNS,
    CORRECTION_COLUMNS,
    ReadReturn,
    read_return,
    safe_id,
)
from evalkit.inputs.returns.template import Template
from evalkit.names import shown
from evalkit.spreadsheet import write_csv

if TYPE_CHECKING:
    from evalkit.config import Settings
    from evalkit.method.framework import Framework

RECEIPT_SUFFIX = ".receipt.json"
SENT_FILE = "sent.json"
STATUS_FILE = "status.csv"
CORRECTIONS_FILE = "register-corrections.csv"
ACTION_STATUS_FILE = "action-statuses.csv"
#: Tables an ingested return writes, each as ``<name>.csv``.
RETURN_TABLES = ("checklist", "finance", "indicators", "risks", "swot")
STATUS_COLUMNS = ("partnership_id", "sent", "received", "valid", "problems", "missing")


@dataclass(frozen=True)
class Receipt:
    """One workbook received, as logged (never edited once written).

    Attributes:
        file: the kept copy's name under ``<raw>/returns/<round>/``.
        original_name: the name it arrived with.
        sha256: the workbook's SHA-256.
        received: when it was ingested (UTC, ISO 8601).
        partnership_id: from its metadata ("unknown" when unreadable).
        round: from its metadata ("unknown" when unreadable).
        refused: True when its metadata or structure was wrong (nothing used).
        problems: how many problems it had.
        supersedes: the file of the return it replaces, if any.
        reason: why it replaces that one.
    """

    file: str
    original_name: str
    sha256: str
    received: str
    partnership_id: str
    round: str
    refused: bool
    problems: int
    supersedes: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """What happened to one workbook found in the folder ingested."""

    name: str
    read: ReadReturn
    receipt: Receipt
    new: bool


def returns_raw_dir(settings: Settings) -> Path:
    """Where returns are kept as received."""
    return settings.raw_dir / "returns"


def returns_interim_dir(settings: Settings) -> Path:
    """Where tables derived from returns are written."""
    return settings.interim_dir / "returns"


def receipts(settings: Settings, round_: str) -> list[Receipt]:
    """Every receipt logged for a round, oldest first."""
    folder = returns_raw_dir(settings) / round_
    found = [
        Receipt(**json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob(f"*{RECEIPT_SUFFIX}"))
    ]
    return sorted(found, key=lambda r: (r.received, r.file))


def current(settings: Settings, round_: str) -> dict[str, Receipt]:
    """Partnership id → the latest return received for the round that was not refused."""
    out: dict[str, Receipt] = {}
    for receipt in receipts(settings, round_):
        if not receipt.refused:
            out[receipt.partnership_id] = receipt
    return out


def _write_tables(folder: Path, read: ReadReturn) -> None:
    """The return's tables as contract-shaped CSV, plus action statuses and corrections."""
    for name in RETURN_TABLES:
        columns = TABLES_BY_NAME[name].column_names
        frame = read.tables.get(name, pd.DataFrame(columns=columns))
        write_csv(folder / f"{name}.csv", _people_form(frame)[columns])
    actions = read.tables.get("action_statuses", pd.DataFrame(columns=ACTION_STATUS_COLUMNS))
    write_csv(folder / ACTION_STATUS_FILE, actions)
    corrections = read.corrections
    if corrections.empty:
        corrections = pd.DataFrame(columns=list(CORRECTION_COLUMNS))
    write_csv(folder / CORRECTIONS_FILE, corrections)


def _restore_tables(settings: Settings, receipt: Receipt, read: ReadReturn) -> None:
    """Write a current return's tables again when they are gone (after ``make clean``).

    The interim tables are derived, so writing them from the return kept as received
    changes nothing a person sent; when they are all there, nothing is written.
    """
    if read.refused or current(settings, receipt.round).get(receipt.partnership_id) != receipt:
        return
    folder = returns_interim_dir(settings) / receipt.round / receipt.partnership_id
    wanted = [*(f"{n}.csv" for n in RETURN_TABLES), ACTION_STATUS_FILE, CORRECTIONS_FILE]
    if not all((folder / name).exists() for name in wanted):
        _write_tables(folder, read)


def _people_form(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed values as a person writes them: yes/no, yyyy-mm-dd, plain numbers."""

    def one(value: object) -> object:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, pd.Timestamp):
            return f"{value:%Y-%m-%d}"
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    return frame.astype(object).map(one) if len(frame) else frame


def ingest(
    folder: Path,
    settings: Settings,
    template: Template,
    frameworks: Mapping[str, Framework],
    partnerships: Collection[str],
    *,
    expected_round: str | None = None,
    now: dt.datetime | None = None,
) -> list[Outcome]:
    """Ingest every workbook in ``folder`` (and below); see the module docstring.

    Args:
        folder: where the returned workbooks are.
        settings: the raw and interim folders and input limits.
        template: the structure returns are made with now.
        frameworks: the loaded frameworks.
        partnerships: ids of the in-scope partnerships.
        expected_round: the round being collected (any when None).
        now: the time of receipt (default: now, UTC).
    """
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    outcomes = []
    for path in sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith("~$")):
        read = read_return(path, template, frameworks, partnerships, settings, expected_round)
        sha = file_sha256(path)
        round_, pid = safe_id(read.round), safe_id(read.partnership_id)
        kept = returns_raw_dir(settings) / round_ / f"{pid}-{sha[:12]}.xlsx"
        receipt_path = kept.with_name(kept.stem + RECEIPT_SUFFIX)
        if receipt_path.exists():
            old = Receipt(**json.loads(receipt_path.read_text(encoding="utf-8")))
            _restore_tables(settings, old, read)
            outcomes.append(Outcome(path.name, read, old, new=False))
            continue
        before = current(settings, round_).get(pid)
        supersedes, reason = "", ""
        if before is not None and not read.refused:
            supersedes = before.file
            reason = (
                f"a later return for {pid}, round {round_}, received {stamp}, replaces the "
                f"one received {before.received}"
            )
        receipt = Receipt(
            kept.name,
            path.name,
            sha,
            stamp,
            pid,
            round_,
            read.refused,
            len(read.problems),
            supersedes,
            reason,
        )
        with atomic_path(kept) as tmp:
            shutil.copyfile(path, tmp)
        atomic_write_text(receipt_path, json.dumps(asdict(receipt), indent=2) + "\n")
        if not read.refused:
            _write_tables(returns_interim_dir(settings) / round_ / pid, read)
        outcomes.append(Outcome(path.name, read, receipt, new=True))
    return outcomes


@dataclass(frozen=True)
class StatusRow:
    """One partnership's line in the chasing table."""

    partnership_id: str
    sent: bool
    received: bool
    valid: bool
    problems: int

    @property
    def missing(self) -> bool:
        """Sent (or in scope) and nothing usable received."""
        return not self.received


def known_round(settings: Settings, *, sent_only: bool = False) -> str | None:
    """The latest round returns were made (sent), or also received, for; None if none."""
    found = [p.parent.name for p in returns_interim_dir(settings).glob(f"*/{SENT_FILE}")]
    if not sent_only:
        found += [p.parent.name for p in returns_raw_dir(settings).glob(f"*/*{RECEIPT_SUFFIX}")]
    rounds = sorted(r for r in set(found) if r != "unknown")
    return rounds[-1] if rounds else None


def sent_ids(settings: Settings, round_: str) -> list[str]:
    """Partnerships whose returns were made for the round (from the sent log)."""
    path = returns_interim_dir(settings) / round_ / SENT_FILE
    if not path.exists():
        return []
    return [str(p) for p in json.loads(path.read_text(encoding="utf-8"))["partnerships"]]


def status(settings: Settings, round_: str, partnerships: Sequence[str]) -> list[StatusRow]:
    """Sent, received, valid, problems and missing for each in-scope partnership."""
    sent = set(sent_ids(settings, round_))
    got = current(settings, round_)
    rows = []
    for pid in partnerships:
        receipt = got.get(pid)
        received = receipt is not None
        problems = receipt.problems if receipt else 0
        rows.append(StatusRow(pid, pid in sent, received, received and problems == 0, problems))
    return rows


def status_frame(rows: Sequence[StatusRow]) -> pd.DataFrame:
    """The chasing table as a frame (yes/no words, problem counts)."""

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    return pd.DataFrame(
        [
            (
                r.partnership_id,
                yes(r.sent),
                yes(r.received),
                yes(r.valid),
                r.problems,
                yes(r.missing),
            )
            for r in rows
        ],
        columns=list(STATUS_COLUMNS),
    )


def write_status(settings: Settings, round_: str, frame: pd.DataFrame) -> Path:
    """Write the chasing table as CSV beside the round's sent log; return its path."""
    return write_csv(returns_interim_dir(settings) / round_ / STATUS_FILE, frame)


def status_text(frame: pd.DataFrame, round_: str) -> str:
    """The chasing table for the terminal, one partnership a line."""
    width = max([len("partnership"), *(len(str(p)) for p in frame["partnership_id"])])
    lines = [
        f"Returns for round {round_}",
        f"{'partnership':{width}}  sent received valid problems missing",
    ]
    for row in frame.itertuples(index=False):
        lines.append(
            f"{row.partnership_id:{width}}  {row.sent:4} {row.received:8} {row.valid:5} "
            f"{row.problems:>8} {row.missing}"
        )
    counts = {c: int((frame[c] == "yes").sum()) for c in ("sent", "received", "valid", "missing")}
    lines.append(
        f"{counts['sent']} sent, {counts['received']} received, {counts['valid']} valid, "
        f"{counts['missing']} missing"
    )
    return "\n".join(lines)


def describe(outcome: Outcome) -> str:
    """What happened to one workbook, then its problems, one a line."""
    read, receipt = outcome.read, outcome.receipt
    if not outcome.new:
        head = f"{outcome.name}: already received as {receipt.file}; nothing changed"
        return head
    if read.refused:
        head = f"{outcome.name}: REFUSED, nothing used (kept as {receipt.file})"
    else:
        state = f"{len(read.problems)} problem(s)" if read.problems else "valid"
        head = f"{outcome.name}: {receipt.partnership_id}, round {receipt.round}: {state}"
        if receipt.supersedes:
            head += f"; supersedes {receipt.supersedes} ({receipt.reason})"
        if len(read.corrections):
            head += f"; {len(read.corrections)} register correction(s) for the register keeper"
    fixes = [
        f"  register correction ({c.sheet_cell}): {c.column} {shown(c.in_register or '')} "
        f"-> {shown(c.proposed)}"
        for c in read.corrections.itertuples(index=False)
    ]
    return "\n".join([head, *("  " + p.line() for p in read.problems), *fixes])
