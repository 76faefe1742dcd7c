"""Building one job in a lane: run the notebook, then write every file in a staging folder.

Order of work: papermill injects the parameters; the lane's kernel runs the notebook
(nbclient, driven from the main process) and its namespace is cleared; the main
process writes the notebook and renders its page; then each wanted format is made,
in the main process or in the kernel as the format says
(:mod:`evalkit.build.formats`).

**The last good pack is never lost.** Every file of a job is written in a private
staging folder inside the pack's folder (``<id>/.staging-<pid>-<random>/``, on the same
file system): the notebook, each format, and the ``summary.json`` the notebook writes
and its downloads (``downloads/<table>.csv`` and the workbook): its ``output_dir`` points
at the staging folder while it runs; the written notebook records the pack's own folder,
as planned. The manifest lists every one of these files. Only when all of them are
complete does :meth:`Staging.commit` move them over the previous files, one :func:`os.replace` each,
one after the other with nothing else in between. On a failure or a stop the staging
folder is removed and the previous files are untouched. A staging folder left by a
process that was killed is removed by the next build (:func:`remove_stale_staging`).

**Nothing of the server is published.** What a kernel writes to stderr (warnings,
which carry the absolute path of a source file, logging, progress bars) is taken out of
the notebook before it is written or rendered and goes to the job's log
(:attr:`~evalkit.build.records.BuildJob.log`), with the details of any failure;
papermill's input and output paths are dropped from the notebook's metadata.

The written notebook and page are the same bytes whenever the inputs are: cells that
papermill adds get ids derived from the notebook's name and their place
(:func:`stable_cell_ids`), and no execution times are recorded.

The job has ``timeout`` seconds in all. When they run out a watchdog kills the
kernel: nbclient then stops at the cell that was running (its partial notebook is
kept as ``<stem>.failed.ipynb``), or the format being made gives up; either way the
job is reported as timed out and the lane gets a fresh kernel. A job's own failure is
returned, never raised; a stop (the task cancelled) is raised, and nothing is moved.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import hashlib
import os
import re
import shutil
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalkit.atomic import atomic_write_text, fsync_quietly
from evalkit.build.formats import OutputFormat, Sources
from evalkit.build.kernels import RESET, KernelError, Lane, process_alive
from evalkit.build.keys import file_sha
from evalkit.build.records import BuildJob, Failure, JobOutcome
from evalkit.names import PORTFOLIO_WORKBOOK, without_paths, workbook_name

if TYPE_CHECKING:
    from evalkit.report.navigation import PageLink

#: Staging folders are named ``.staging-<pid>-<random>`` inside the pack's folder.
STAGING_PREFIX = ".staging-"
#: The tag papermill gives the cell of parameters it injects.
INJECTED = "injected-parameters"
#: Terminal colour codes in tracebacks (left out of the log).
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: The committee report's Word file is ``committee-report`` + this (as
#: :data:`evalkit.report.committee.DOCX_NAME`, which is not imported here: that package
#: loads matplotlib and the overview, about 30 MB and 2 s the main process never needs).
DOCX_SUFFIX = ".docx"


class _Clock:
    """Seconds per stage, and the job's deadline."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.deadline = time.monotonic() + budget
        self.stages: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = time.perf_counter() - start

    def left(self) -> float:
        """Seconds left before the deadline (never quite zero)."""
        return max(0.1, self.deadline - time.monotonic())


@dataclass
class Staging:
    """A job's private folder beside its outputs, moved into place only when complete.

    Attributes:
        folder: the staging folder.
        out_dir: the pack's folder, where the files go.
        obsolete: files to remove from ``out_dir`` once the new ones are in place.
    """

    folder: Path
    out_dir: Path
    obsolete: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, out_dir: Path) -> Staging:
        """Make a new staging folder inside ``out_dir`` (named after this process)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        folder = out_dir / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        return cls(folder, out_dir)

    def names(self) -> list[str]:
        """The files to move into place, relative to the staging folder.

        Every complete file, in subfolders too (the notebook's ``downloads/``, as
        ``downloads/<table>.csv``); not the hidden scratch ones, nor links.
        """
        found = []
        for path in self.folder.rglob("*"):
            relative = path.relative_to(self.folder)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if path.is_file() and not path.is_symlink():
                found.append(relative.as_posix())
        return sorted(found)

    def commit(self) -> list[str]:
        """Move every staged file over the previous one, then remove the staging folder.

        The files are flushed to disk first, so the renames follow one another with
        nothing else in between: a reader may, for that moment, find the new notebook
        beside the old PDF, but never half a file. A subfolder's files replace the
        previous ones one by one too, and then any file left in it from the previous
        version (a table the pack no longer shows) is removed, so the subfolder holds
        exactly this version's files. No ``await`` here, so a stop (which cancels at an
        ``await``) never splits a commit.

        Returns:
            The names of the files moved (relative to the pack's folder).
        """
        names = self.names()
        for name in names:
            fsync_quietly(self.folder / name)
        subfolders = sorted({str(Path(name).parent) for name in names} - {"."})
        for sub in subfolders:
            target = self.out_dir / sub
            if target.is_symlink() or (target.exists() and not target.is_dir()):
                target.unlink()
            target.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(self.folder / name, self.out_dir / name)
        kept = set(names)
        for sub in subfolders:
            for old in (self.out_dir / sub).iterdir():
                if old.is_file() and f"{sub}/{old.name}" not in kept:
                    old.unlink(missing_ok=True)
            fsync_quietly(self.out_dir / sub)
        for name in self.obsolete:
            (self.out_dir / name).unlink(missing_ok=True)
        fsync_quietly(self.out_dir)
        self.discard()
        return names

    def discard(self) -> None:
        """Remove the staging folder and whatever is in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove staging folders in ``folder`` whose process is gone (killed mid-build).

    Returns:
        The folders removed.
    """
    removed = []
    for path in folder.glob(f"{STAGING_PREFIX}*"):
        pid = path.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if path.is_dir() and not (pid.isdigit() and process_alive(int(pid))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


@dataclass
class _Log:
    """What a job says for its operators: kernel messages and failure details.

    Attributes:
        job: the job.
        messages: each stderr output taken out of the notebook, with where it came from.
        details: a failure's traceback.
    """

    job: BuildJob
    messages: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def take(self, nb: Any) -> None:
        """Move every stderr output (warnings included) out of the notebook into the log."""
        for index, cell in enumerate(nb.cells):
            outputs = cell.get("outputs")
            if not outputs:
                continue
            kept = []
            for output in outputs:
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    first = (cell.source.splitlines() or [""])[0]
                    self.messages.append(f"cell {index} ({first}), stderr:\n{output['text']}")
                else:
                    kept.append(output)
            cell["outputs"] = kept

    def outcome(
        self, failure: Failure | None, stages: dict[str, float], files: dict[str, str]
    ) -> JobOutcome:
        """The job's outcome, after writing (or clearing) its log."""
        return JobOutcome(failure, stages, files, len(self.messages), self._write(failure))

    def _write(self, failure: Failure | None) -> Path | None:
        """Write the log when there is something to say; else remove an earlier one."""
        path = self.job.log
        if path is None:
            return None
        if not self.messages and failure is None:
            path.unlink(missing_ok=True)
            return None
        when = datetime.now(UTC).isoformat(timespec="seconds")
        parts = [f"evalkit build: {self.job.id} ({self.job.notebook.name}) at {when}"]
        parts += [f"\n{message.rstrip()}" for message in self.messages]
        if failure is not None:
            parts.append(f"\nFAILED: {failure.name}: {failure.message}")
            parts += [_ANSI.sub("", text).rstrip() for text in self.details]
        return atomic_write_text(path, "\n".join(parts) + "\n")


def _cancelling() -> bool:
    """True when this task is being stopped (a library may have swallowed the cancel)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def notebook_failure(nb: Any, exc: Exception, timeout: float, running: int | None) -> Failure:
    """Name, message and cell of a notebook's failure (``running``: the cell started last)."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    cell_index, name, message = running, type(exc).__name__, str(exc)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                cell_index, name, message = index, output.get("ename"), output.get("evalue")
    if isinstance(exc, CellTimeoutError):
        name, message = "Timeout", f"timed out after {timeout} s"
    if isinstance(exc, DeadKernelError):
        name = "DeadKernel"
    source = None
    if cell_index is not None:
        source = (nb.cells[cell_index].source.splitlines() or [""])[0]
    return Failure(str(name), str(message), cell_index, source)


def other_failure(exc: BaseException) -> Failure:
    """A failure outside the notebook's cells (writing, rendering, a format, the time)."""
    name = exc.name if isinstance(exc, KernelError) else type(exc).__name__
    if isinstance(exc, TimeoutError):
        name = "Timeout"
    return Failure(name, str(exc) or name)


def stable_cell_ids(nb: Any, source_ids: set[str], name: str) -> None:
    """Give every cell the notebook did not have (papermill's injected parameters) a fixed id.

    nbformat makes random ids for new cells, so two builds of the same pack would differ;
    a new cell's id is instead derived from the notebook's name and the cell's place.
    Cells from the notebook keep their own ids.
    """
    for index, cell in enumerate(nb.cells):
        if cell.get("id") not in source_ids:
            cell["id"] = hashlib.sha256(f"{name}:{index}".encode()).hexdigest()[:8]


def _tracebacks(nb: Any) -> list[str]:
    """The traceback of every error output in the notebook, as text."""
    return [
        "\n".join(output.get("traceback", []))
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


@dataclass(frozen=True)
class _Notebook:
    """The notebook to run, and what its written copy records.

    Attributes:
        nb: the parameterised notebook, its ``output_dir`` the staging folder.
        injected: the injected cell's source as planned (the pack's own folder).
        parameters: the parameters as planned.
    """

    nb: Any
    injected: str
    parameters: dict[str, str]

    @classmethod
    def load(cls, job: BuildJob, staging: Path) -> _Notebook:
        """Read the job's notebook and inject its parameters, ``output_dir`` staged."""
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        source = load_notebook_node(str(job.notebook))
        source_ids = {str(cell.get("id")) for cell in source.cells}
        planned = parameterize_notebook(copy.deepcopy(source), dict(job.params))
        injected = next((c.source for c in planned.cells if INJECTED in _tags(c)), "")
        run = dict(job.params)
        if "output_dir" in run:
            run["output_dir"] = str(staging)
        nb = parameterize_notebook(source, run)
        stable_cell_ids(nb, source_ids, job.notebook.name)
        return cls(nb, injected, dict(job.params))

    def publishable(self, log: _Log) -> Any:
        """The notebook as written: stderr to the log, planned parameters, no server paths.

        An error's traceback (a partial notebook's) names source files by their absolute
        paths: it goes to the log (see :func:`_tracebacks`) and the notebook keeps the
        error's name and message only.
        """
        log.take(self.nb)
        for cell in self.nb.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["evalue"] = without_paths(str(output.get("evalue", "")))
                    output["traceback"] = [f"{output.get('ename')}: {output['evalue']}"]
        for cell in self.nb.cells:
            if INJECTED in _tags(cell):
                cell["source"] = self.injected
        papermill = self.nb.metadata.get("papermill")
        if papermill is not None:
            papermill["parameters"] = self.parameters
            for key in ("input_path", "output_path"):
                papermill.pop(key, None)
        return self.nb


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@functools.cache
def _client_class() -> type[Any]:
    """The notebook runner (nbclient's) for a kernel the lane owns, signals the build's.

    nbclient's own set-up puts SIGINT and SIGTERM handlers on the event loop for the
    time of each notebook (they shut the kernel down, and the build carried on with
    the next pack) and then removes them, which leaves the default handlers: a SIGTERM
    between two notebooks then killed evalkit on the spot, with nothing cleaned up.
    The lane's kernel and client are ready already, so this set-up does nothing.
    """
    from nbclient import NotebookClient

    class LaneClient(NotebookClient):
        @contextlib.asynccontextmanager
        async def async_setup_kernel(self, **kwargs: Any) -> AsyncIterator[None]:
            yield

    return LaneClient


async def _execute(
    lane: Lane, job: BuildJob, notebook: _Notebook, expired: asyncio.Event, log: _Log
) -> Failure | None:
    """Run the notebook in the lane's kernel; on failure keep the partial notebook."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = notebook.nb
    running: dict[str, int] = {}
    client = _client_class()(
        nb,
        km=lane.km,
        on_cell_start=lambda cell, cell_index: running.update(index=cell_index),
        timeout=job.timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(job.notebook.parent)}},
    )
    client.kc = lane.kc
    try:
        await client.async_execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        if _cancelling():  # nbclient reports a cancelled cell as a dead kernel
            raise asyncio.CancelledError from None
        await lane.restart(kill=True)
        failure = notebook_failure(nb, exc, job.timeout, running.get("index"))
        log.details += _tracebacks(nb)
        partial = job.out_dir / f"{job.stem}.failed.ipynb"
        atomic_write_text(partial, nbformat.writes(notebook.publishable(log)))
        if expired.is_set():
            failure = replace(failure, name="Timeout", message=f"timed out after {job.timeout} s")
        return replace(failure, partial=f"{job.out_dir.name}/{partial.name}")
    if _cancelling():
        raise asyncio.CancelledError
    return None


def page_links(job: BuildJob) -> list[PageLink]:
    """The links under a page's masthead: its own PDF and data, then the pages beside it.

    Every href is relative to the page, in the reports folder's layout
    (``<id>/evidence-pack.html``, ``overview/``, ``committee/``, ``index.html``).
    """
    from evalkit.build.index import INDEX_FILE
    from evalkit.build.plan import COMMITTEE_ID, COMMITTEE_STEM, OVERVIEW_ID, OVERVIEW_STEM
    from evalkit.report.navigation import PageLink

    own: list[PageLink] = []
    if any(fmt.name == "pdf" for fmt in job.formats):
        what = {OVERVIEW_ID: "The overview", COMMITTEE_ID: "This report"}.get(job.id, "This pack")
        own.append(PageLink(f"{what} as a PDF", f"{job.stem}.pdf"))
    overview = PageLink("Portfolio overview", f"../{OVERVIEW_ID}/{OVERVIEW_STEM}.html")
    committee = PageLink(
        "Report to the scrutiny committee", f"../{COMMITTEE_ID}/{COMMITTEE_STEM}.html"
    )
    index = PageLink("All evidence packs", f"../{INDEX_FILE}")
    if job.id == OVERVIEW_ID:
        own.append(PageLink("Portfolio data (Excel workbook)", PORTFOLIO_WORKBOOK))
        return [*own, committee, index]
    if job.id == COMMITTEE_ID:
        own.append(PageLink("This report for Word (.docx)", f"{COMMITTEE_STEM}{DOCX_SUFFIX}"))
        return [*own, overview, index]
    own.append(PageLink("This pack's data (Excel workbook)", workbook_name(job.id)))
    return [*own, overview, committee, index]


def page_options(job: BuildJob) -> dict[str, Any]:
    """The keyword arguments of :func:`evalkit.report.render.notebook_to_html` for a job.

    JSON-ready (links as ``[label, href]`` pairs), to be sent to the kernel that renders
    the page (:func:`evalkit.build.kernels.page_in_kernel`).
    """
    from evalkit.report.render import source_date

    return {
        "title": job.title,
        "running_header": job.header,
        "notice": job.notice,
        "masthead_label": job.masthead,
        "date": source_date(),
        "links": [[link.label, link.href] for link in page_links(job)],
    }


async def _write_page(
    lane: Lane, job: BuildJob, notebook: Path, folder: Path, clock: _Clock, log: _Log
) -> Path:
    """Render the notebook's page into the staging folder, hidden (a scratch file).

    The lane's kernel renders it from the notebook file, so the main process never
    holds a page's images and markup while it serves the other lanes.
    """
    import json

    path = folder / f".{job.stem}.page.html"
    args = [str(notebook), str(path), json.dumps(page_options(job))]
    await _in_kernel(lane, "page_in_kernel", args, "the page", clock, log)
    return path


async def _make(
    lane: Lane, fmt: OutputFormat, sources: Sources, out: Path, clock: _Clock, log: _Log
) -> None:
    """Make one format's file, in the main process or in the lane's kernel."""
    if not fmt.in_kernel:
        fmt.make(sources, out)
        return
    args = [*fmt.make_path, *(str(p) for p in (sources.notebook, sources.page, out))]
    await _in_kernel(lane, "make_in_kernel", args, f"the {fmt.name}", clock, log)


async def _in_kernel(
    lane: Lane, function: str, args: list[str], what: str, clock: _Clock, log: _Log
) -> None:
    """Call one of :mod:`evalkit.build.kernels`' functions in the lane's kernel.

    A call that runs past the job's time left restarts the kernel and raises
    :class:`TimeoutError` naming ``what`` was being made; whatever the kernel wrote to
    stderr goes to the job's log.
    """
    call = f"{function}({', '.join(repr(a) for a in args)})"
    code = (
        f"from evalkit.build.kernels import {function} as _call\n"
        f"try:\n    _call{call.removeprefix(function)}\nfinally:\n    del _call"
    )
    stderr: list[str] = []
    try:
        await lane.run(code, clock.left(), stderr=stderr)
    except TimeoutError:
        await lane.restart(kill=True)
        raise TimeoutError(f"timed out after {clock.budget} s (making {what})") from None
    finally:
        log.messages += [f"making {what}, stderr:\n{text}" for text in stderr]


async def _write(
    lane: Lane, job: BuildJob, nb: Any, staging: Staging, clock: _Clock, log: _Log
) -> dict[str, str]:
    """Write the executed notebook, then each format, in the staging folder.

    Returns:
        File name → SHA-256 of the notebook, each format's file and every file the
        notebook wrote (``summary.json``, ``downloads/<table>.csv``, the workbook).
    """
    import nbformat

    files: dict[str, str] = {}
    notebook = atomic_write_text(staging.folder / f"{job.stem}.ipynb", nbformat.writes(nb))
    files[notebook.name] = file_sha(notebook)
    with clock.stage("page"):
        page = await _write_page(lane, job, notebook, staging.folder, clock, log)
    for fmt in job.formats:
        out = staging.folder / fmt.file_name(job.stem)
        with clock.stage(fmt.name):
            await _make(lane, fmt, Sources(notebook, page), out, clock, log)
        files[out.name] = file_sha(out)
    page.unlink(missing_ok=True)
    # and every file the notebook wrote into its output_dir (summary.json, the downloads)
    for name in staging.names():
        files.setdefault(name, file_sha(staging.folder / name))
    return files


async def build_one(lane: Lane, job: BuildJob) -> tuple[JobOutcome, Staging | None]:
    """Build one job in a lane, every file staged; never raises for the job's own failure.

    Returns:
        The outcome, and (when it was built) the staging folder holding its files, for
        the caller to :meth:`~Staging.commit` (or, on a stop, to discard).

    Raises:
        asyncio.CancelledError: the build is being stopped; nothing was moved, the
            staging folder is gone.
    """
    clock = _Clock(job.timeout)
    expired = asyncio.Event()
    log = _Log(job)

    async def watchdog() -> None:
        await asyncio.sleep(job.timeout)
        expired.set()
        with contextlib.suppress(Exception):
            await lane.km.shutdown_kernel(now=True)

    guard = asyncio.create_task(watchdog())
    staging = Staging.create(job.out_dir)
    staging.obsolete.append(f"{job.stem}.failed.ipynb")
    handed_over = False
    try:
        notebook = _Notebook.load(job, staging.folder)
        with clock.stage("execute"):
            failure = await _execute(lane, job, notebook, expired, log)
        if failure:
            return log.outcome(failure, clock.stages, {}), None
        # Clear the notebook's namespace now, so the formats are made (and the next job
        # starts) in a kernel holding only its imports.
        await lane.run(RESET, 60)
        files = await _write(lane, job, notebook.publishable(log), staging, clock, log)
        handed_over = True
        return log.outcome(None, clock.stages, files), staging
    except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
        if _cancelling():
            raise asyncio.CancelledError from None
        if lane.km is None or not await lane.km.is_alive():
            await lane.restart(kill=True)
        cause = TimeoutError(f"timed out after {job.timeout} s") if expired.is_set() else exc
        log.details.append("".join(traceback.format_exception(exc)))
        return log.outcome(other_failure(cause), clock.stages, {}), None
    finally:
        guard.cancel()
        if not handed_over:
            staging.discard()
