"""Run records: a folder per run under ``<logs>/runs/`` for the operators (never published).

``<logs>/runs/<UTC time>-<short id>/`` holds ``summary.json`` (what a monitor reads:
start, end, exit code, each stage's outcome and duration, the packs built, up to date
and failed as the manifest lists them, the failures' messages, the input files' hashes,
what was published), ``run.log`` (the same in words, with everything the stages said)
and ``notebooks/``: the executed notebooks of the packs this run made, as papermill
users expect to keep them. The summary is rewritten after every stage, so a run that
was killed still leaves a record of how far it got (``"ended": null``).
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from evalkit.atomic import atomic_write_text
from evalkit.names import without_paths

#: The folder under the logs folder that holds one folder per run.
RUNS_FOLDER = "runs"
SUMMARY_FILE = "summary.json"
LOG_FILE = "run.log"
NOTEBOOKS_FOLDER = "notebooks"
#: Run records kept when nothing else is said (``--keep``, ``EVALKIT_KEEP_RUNS``).
DEFAULT_KEEP = 30

#: ok: the stage succeeded; failed: it ended with a non-zero exit code; skipped: it had
#: nothing to do (an import stage with no input); not run: an earlier stage failed.
Outcome = Literal["ok", "failed", "skipped", "not run"]


@dataclass
class StageRecord:
    """How one stage of a run ended.

    Attributes:
        name: the stage (``validate``, ``prepare``, ``score``, ``build``, ``publish``).
        outcome: see :data:`Outcome`.
        exit_code: the stage's exit code (as its own command would give), if it ran.
        seconds: how long it took.
        message: its last words (a summary line, or why it failed), no server folders.
    """

    name: str
    outcome: Outcome
    exit_code: int | None = None
    seconds: float = 0.0
    message: str = ""


@dataclass
class PackCounts:
    """The packs as the manifest lists them after the run (ids, sorted).

    Attributes:
        built: made by this run.
        up_to_date: already up to date, left as they were.
        failed: this run's attempt failed (stale ones included: they kept their last
            good version).
        stale: failed, their last good version kept.
        failures: pack id → the failure's message.
    """

    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_manifest(
        cls, manifest: Mapping[str, Any], only: Collection[str] | None = None
    ) -> PackCounts:
        """Read the packs, the overview and the cover report from a manifest.

        ``only``: the ids a build planned; the manifest also keeps the records of packs
        an earlier build made (``--only``), which this run did not touch.
        """
        records = dict(manifest.get("packs") or {})
        for portfolio in ("overview", "committee"):
            if manifest.get(portfolio):
                records[portfolio] = manifest[portfolio]
        counts = cls()
        for pid in sorted(records):
            if only is not None and pid not in only:
                continue
            record = records[pid]
            status = record.get("status")
            if status == "built":
                counts.built.append(pid)
            elif status == "up-to-date":
                counts.up_to_date.append(pid)
            elif status in ("failed", "stale"):
                counts.failed.append(pid)
                if status == "stale":
                    counts.stale.append(pid)
                error = record.get("error") or {}
                counts.failures[pid] = f"{error.get('name', 'Error')}: {error.get('message', '')}"
        return counts


@dataclass
class Publication:
    """What a publish put where reviewers read it.

    Attributes:
        destination: the folder readers open (a symbolic link evalkit swaps).
        set: the folder of this set, beside the destination.
        policy: the policy the run met.
        published: when the swap happened (UTC, ISO 8601).
        files: relative path → SHA-256 of every file published.
    """

    destination: str
    set: str
    policy: str
    published: str
    files: dict[str, str]


@dataclass
class RunSummary:
    """Everything a run record says (``summary.json``).

    Attributes:
        id: the run's folder name (``<UTC time>-<short id>``).
        command: ``run`` or ``publish``.
        started: when it started (UTC, ISO 8601).
        ended: when it ended, or None while it runs (or if it was killed).
        exit_code: the command's exit code, once it ended.
        stages: each stage in route order.
        packs: the packs as the manifest lists them, once the build ran.
        input_hashes: input file name → SHA-256.
        published: what was published, if anything.
        lock_cleared: stale locks of killed runs cleared at the start, in words.
    """

    id: str
    command: str
    started: str
    ended: str | None = None
    exit_code: int | None = None
    stages: list[StageRecord] = field(default_factory=list)
    packs: PackCounts | None = None
    input_hashes: dict[str, str] = field(default_factory=dict)
    published: Publication | None = None
    lock_cleared: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The summary as JSON text."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def utc_now() -> datetime:
    """The time now, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


class RunRecord:
    """The folder of one run: its summary, its log and its notebooks."""

    def __init__(self, logs_dir: Path, command: str, *, echo: bool = True) -> None:
        """Make ``<logs_dir>/runs/<UTC time to the ms>-<short id>/`` and start its summary."""
        now = datetime.now(UTC)
        started = now.replace(microsecond=0)
        # UTC time to the millisecond first, so that names sort in the order runs began
        # (two runs in one second too: pruning keeps the newest by name).
        stamp = f"{now.strftime('%Y%m%dT%H%M%S')}{now.microsecond // 1000:03d}Z"
        run_id = f"{stamp}-{uuid.uuid4().hex[:6]}"
        self.folder = logs_dir / RUNS_FOLDER / run_id
        self.folder.mkdir(parents=True)
        self.summary = RunSummary(run_id, command, started.isoformat())
        self.echo = echo
        self.save()

    def log(self, text: str) -> None:
        """Add lines to ``run.log`` (each stamped with the time) and, if echoing, print them."""
        stamp = utc_now().strftime("%H:%M:%S")
        with (self.folder / LOG_FILE).open("a", encoding="utf-8") as handle:
            for line in text.splitlines() or [""]:
                handle.write(f"{stamp} {line}\n")
        if self.echo:
            from evalkit.terminal import inert_lines

            print(inert_lines(text), flush=True)

    def stage(self, record: StageRecord) -> None:
        """Record a stage's outcome and rewrite the summary."""
        record.message = without_paths(record.message)[:2000]
        self.summary.stages.append(record)
        self.save()

    def keep_notebooks(self, reports: Path, ids: list[str]) -> list[Path]:
        """Copy the executed notebooks of ``ids`` (packs, overview, report) into the record."""
        kept = []
        for pid in ids:
            for notebook in sorted((reports / pid).glob("*.ipynb")):
                target = self.folder / NOTEBOOKS_FOLDER / pid / notebook.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(notebook, target)
                kept.append(target)
        return kept

    def finish(self, exit_code: int) -> None:
        """Record the end and the exit code."""
        self.summary.ended = utc_now().isoformat()
        self.summary.exit_code = exit_code
        self.save()

    def save(self) -> None:
        """Write ``summary.json`` (atomically: a monitor never reads half of it)."""
        atomic_write_text(self.folder / SUMMARY_FILE, self.summary.to_json())


def prune_runs(logs_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` run records (by folder name: UTC time first)."""
    folder = logs_dir / RUNS_FOLDER
    if not folder.is_dir():
        return []
    runs = sorted(p for p in folder.iterdir() if p.is_dir() and (p / SUMMARY_FILE).exists())
    old = runs[: max(0, len(runs) - max(keep, 1))]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return old
