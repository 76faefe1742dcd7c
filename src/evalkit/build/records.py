"""The build's records: what to build, one job, how a job ended, and the whole build.

A pack's record in the manifest always describes the files on disk: ``key``, ``files``
and ``built`` are those of the version a reader can open (none when there is none),
while ``status`` and ``error`` say how this build's attempt at the pack ended. A pack
whose rebuild failed but whose previous version is still there is ``stale``: its last
good files are kept and listed, beside the new failure.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from evalkit.build.formats import OutputFormat, default_formats
from evalkit.names import without_paths

#: built: made in this run; up-to-date: skipped; failed: this run's attempt failed and
#: there is no earlier version; stale: this run's attempt failed, the last good version
#: is kept; pending: queued, not (yet) run.
Status = Literal["built", "up-to-date", "failed", "stale", "pending"]
#: Longest error message kept.
MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how.

    Attributes:
        only: build just these partnerships (and not the overview).
        workers: kernels run side by side (default: one per core).
        formats: output format names (see :data:`evalkit.build.formats.FORMATS`).
        force: rebuild packs that are up to date.
        timeout: seconds allowed per pack, its notebook and every format together.
        progress: show a progress bar.
        round: the assessment round (default: the round scoring made findings for).
        pack_notebook: a pack notebook other than the bundled one.
        overview_notebook: an overview notebook other than the bundled one.
        committee_notebook: a committee cover report notebook other than the bundled one.
    """

    only: tuple[str, ...] = ()
    workers: int | None = None
    formats: tuple[str, ...] = field(default_factory=default_formats)
    force: bool = False
    timeout: int = 600
    progress: bool = True
    round: str | None = None
    pack_notebook: Path | None = None
    overview_notebook: Path | None = None
    committee_notebook: Path | None = None


@dataclass(frozen=True)
class BuildJob:
    """One notebook to run and write in every wanted format.

    Attributes:
        id: the partnership id, or ``overview``.
        notebook: the notebook to parameterise and run.
        out_dir: the folder its files go in.
        stem: the files' name without suffix.
        params: papermill parameters.
        timeout: seconds for the whole job.
        formats: the formats to write beside the notebook.
        title: the page's title.
        header: the running header on every page.
        notice: the invented-data banner, if any.
        masthead: the label above the running header.
        alone: run last, on its own, once every other job has finished.
        log: the operators' log for the job: warnings and anything else the kernel
            wrote to stderr, and the details of a failure (never published).
    """

    id: str
    notebook: Path
    out_dir: Path
    stem: str
    params: dict[str, str]
    timeout: int
    formats: tuple[OutputFormat, ...]
    title: str
    header: str
    notice: str | None
    masthead: str
    alone: bool = False
    log: Path | None = None


@dataclass(frozen=True)
class Failure:
    """Why a job failed.

    Attributes:
        name: the exception's name (``Timeout`` when the time ran out).
        message: its message, at most :data:`MESSAGE_LIMIT` characters.
        cell: the index of the notebook cell that failed, if a cell did.
        source: that cell's first line.
        partial: the partial notebook kept, if the notebook itself failed, relative to
            the reports folder (``<id>/evidence-pack.failed.ipynb``).

    Message and source keep no folder of an absolute path (:func:`evalkit.names.without_paths`).
    """

    name: str
    message: str
    cell: int | None = None
    source: str | None = None
    partial: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", without_paths(self.message)[:MESSAGE_LIMIT])
        if self.source is not None:
            object.__setattr__(self, "source", without_paths(self.source))

    def reason(self) -> str:
        """The failure in a few words: the message, after the exception's name unless a timeout."""
        return self.message if self.name == "Timeout" else f"{self.name}: {self.message}"

    def record(self) -> dict[str, Any]:
        """JSON-ready form for the manifest."""
        return {
            "name": self.name,
            "message": self.message,
            "cell": self.cell,
            "source": self.source,
            "partial": self.partial,
        }


@dataclass(frozen=True)
class JobOutcome:
    """How one job ended.

    Attributes:
        failure: why it failed, or None when it was built.
        stages: seconds per stage (``execute``, ``page`` and one per format).
        files: file name → SHA-256 of every file written.
        messages: warnings and other stderr outputs the kernel wrote, kept out of the
            pack and written to ``log``.
        log: the job's log, when one was written.
    """

    failure: Failure | None
    stages: dict[str, float]
    files: dict[str, str]
    messages: int = 0
    log: Path | None = None

    @property
    def status(self) -> Status:
        """``built`` or ``failed``."""
        return "failed" if self.failure else "built"


@dataclass(frozen=True)
class LastGood:
    """The version of a pack on disk from an earlier build, as the manifest listed it.

    Attributes:
        key: the input key it was built from.
        files: file name → SHA-256.
        built: when it was built (UTC, ISO 8601), if the manifest says.
    """

    key: str
    files: dict[str, str]
    built: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None, folder: Path) -> LastGood | None:
        """The good version a manifest record lists, if it has one and its files are there."""
        if not record or record.get("status") == "failed" or not record.get("key"):
            return None
        files = {str(k): str(v) for k, v in dict(record.get("files") or {}).items()}
        if not files or not all((folder / name).is_file() for name in files):
            return None
        built = record.get("built")
        return cls(str(record["key"]), files, str(built) if built else None)


@dataclass
class PackOutcome:
    """The result of one pack (or the overview), as the manifest records it.

    Attributes:
        id: the partnership id, or ``overview``.
        name: what the index calls it.
        status: how this build's attempt ended (see :data:`Status`).
        key: the input key this build wants.
        seconds: this build's time for the pack.
        stages: seconds per stage.
        files: file name → SHA-256 of the version on disk.
        error: this build's failure, if it failed.
        tier: the partnership's tier.
        built: when the version on disk was built (UTC, ISO 8601).
        last_good: the version an earlier build left, if any.
        messages: warnings and stderr outputs kept out of the pack (see ``log``).
        log: the pack's log of this build, if one was written.
    """

    id: str
    name: str
    status: Status
    key: str
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    error: Failure | None = None
    tier: str | None = None
    built: str | None = None
    last_good: LastGood | None = None
    messages: int = 0
    log: Path | None = None

    def land(self, outcome: JobOutcome, seconds: float, when: str | None = None) -> None:
        """Take a finished job's outcome (``when``: the time its files landed)."""
        self.seconds = seconds
        self.stages = {stage: round(s, 3) for stage, s in outcome.stages.items()}
        self.error = outcome.failure
        self.messages, self.log = outcome.messages, outcome.log
        if outcome.failure is None:
            self.status, self.files, self.built = "built", outcome.files, when
        elif self.last_good is not None:
            self.status, self.files = "stale", dict(self.last_good.files)
            self.built = self.last_good.built
        else:
            self.status, self.files, self.built = "failed", {}, None

    def _on_disk(self) -> tuple[str | None, dict[str, str], str | None]:
        """Key, files and built time of the version on disk."""
        if self.status in ("built", "up-to-date"):
            return self.key, self.files, self.built
        if self.status == "failed":  # the key tried: a failed record is never up to date
            return self.key, {}, None
        if self.last_good is not None:  # stale, or pending with an earlier version
            return self.last_good.key, dict(self.last_good.files), self.last_good.built
        return None, {}, None

    def record(self) -> dict[str, Any]:
        """JSON-ready form for the manifest: the version on disk and this build's attempt."""
        key, files, built = self._on_disk()
        return {
            "id": self.id,
            "name": self.name,
            "tier": self.tier,
            "status": self.status,
            "key": key,
            "built": built,
            "seconds": round(self.seconds, 3),
            "stages": self.stages,
            "files": files,
            "error": self.error.record() if self.error else None,
        }


@dataclass
class BuildResult:
    """Everything a build did."""

    outcomes: list[PackOutcome]
    wall_seconds: float
    workers: int
    reports_dir: Path

    @property
    def built(self) -> list[PackOutcome]:
        """Packs built in this run."""
        return [o for o in self.outcomes if o.status == "built"]

    @property
    def skipped(self) -> list[PackOutcome]:
        """Packs already up to date."""
        return [o for o in self.outcomes if o.status == "up-to-date"]

    @property
    def failed(self) -> list[PackOutcome]:
        """Packs whose build failed (stale ones included: they kept an earlier version)."""
        return [o for o in self.outcomes if o.status in ("failed", "stale")]

    @property
    def stale(self) -> list[PackOutcome]:
        """Packs whose build failed and whose last good version is kept."""
        return [o for o in self.outcomes if o.status == "stale"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def summary(self) -> str:
        """Plain-text summary: counts, timings, every failure and where the warnings went."""
        times = [o.seconds for o in self.built]
        stale = f" ({len(self.stale)} kept the last good version)" if self.stale else ""
        lines = [
            f"Built {len(self.built)}, up to date {len(self.skipped)}, failed "
            f"{len(self.failed)}{stale} in {self.wall_seconds:.1f} s with {self.workers} "
            "worker(s)"
            + (f"; median {statistics.median(times):.2f} s per pack" if times else "")
            + ".",
            f"Reports: {self.reports_dir / 'index.html'}",
        ]
        for o in self.failed:
            err = o.error or Failure("Unknown", "")
            kept = (
                f"; the last good version (built {o.built or 'earlier'}) is kept"
                if o.status == "stale"
                else ""
            )
            lines.append(
                f"FAILED {o.id}: {err.name}: {err.message} (cell {err.cell}: {err.source}); "
                f"partial notebook: {err.partial}{kept}"
            )
        for o in self.outcomes:
            if o.messages:
                lines.append(
                    f"WARNINGS {o.id}: {o.messages} warning(s) or other kernel message(s), "
                    f"kept out of the pack: see {o.log}"
                )
        return "\n".join(lines)
