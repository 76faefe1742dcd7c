"""The build's records: what to build, one job, how a job ended, and the whole build."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from evalkit.build.formats import OutputFormat, default_formats

#: built: made in this run; up-to-date: skipped; failed; pending: queued, not yet run.
Status = Literal["built", "up-to-date", "failed", "pending"]
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


@dataclass(frozen=True)
class Failure:
    """Why a job failed.

    Attributes:
        name: the exception's name (``Timeout`` when the time ran out).
        message: its message, at most :data:`MESSAGE_LIMIT` characters.
        cell: the index of the notebook cell that failed, if a cell did.
        source: that cell's first line.
        partial: the partial notebook kept, if the notebook itself failed.
    """

    name: str
    message: str
    cell: int | None = None
    source: str | None = None
    partial: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", self.message[:MESSAGE_LIMIT])

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
    """

    failure: Failure | None
    stages: dict[str, float]
    files: dict[str, str]

    @property
    def status(self) -> Status:
        """``built`` or ``failed``."""
        return "failed" if self.failure else "built"


@dataclass
class PackOutcome:
    """The result of one pack (or the overview), as the manifest records it."""

    id: str
    name: str
    status: Status
    key: str
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    error: Failure | None = None
    tier: str | None = None

    def land(self, outcome: JobOutcome, seconds: float) -> None:
        """Take a finished job's outcome."""
        self.status = outcome.status
        self.seconds = seconds
        self.stages = {stage: round(s, 3) for stage, s in outcome.stages.items()}
        self.files = outcome.files
        self.error = outcome.failure

    def record(self) -> dict[str, Any]:
        """JSON-ready form for the manifest."""
        return {
            "id": self.id,
            "name": self.name,
            "tier": self.tier,
            "status": self.status,
            "key": self.key,
            "seconds": round(self.seconds, 3),
            "stages": self.stages,
            "files": self.files,
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
        """Packs that failed."""
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed

    def summary(self) -> str:
        """Plain-text summary: counts, timings and every failure."""
        times = [o.seconds for o in self.built]
        lines = [
            f"Built {len(self.built)}, up to date {len(self.skipped)}, failed "
            f"{len(self.failed)} in {self.wall_seconds:.1f} s with {self.workers} worker(s)"
            + (f"; median {statistics.median(times):.2f} s per pack" if times else "")
            + ".",
            f"Reports: {self.reports_dir / 'index.html'}",
        ]
        for o in self.failed:
            err = o.error or Failure("Unknown", "")
            lines.append(
                f"FAILED {o.id}: {err.name}: {err.message} (cell {err.cell}: {err.source}); "
                f"partial notebook: {err.partial}"
            )
        return "\n".join(lines)
