"""Building one job in a lane: run the notebook, write it, render its page, make each format.

Order of work: papermill injects the parameters; the lane's kernel runs the notebook
(nbclient, driven from the main process) and its namespace is cleared; the main
process writes the notebook and renders its page; then each wanted format is made,
in the main process or in the kernel as the format says
(:mod:`evalkit.build.formats`).

The written notebook and page are the same bytes whenever the inputs are: cells that
papermill adds get ids derived from the notebook's name and their place
(:func:`stable_cell_ids`), and no execution times are recorded.

The job has ``timeout`` seconds in all. When they run out a watchdog kills the
kernel: nbclient then stops at the cell that was running (its partial notebook is
kept), or the format being made gives up; either way the job is reported as timed out
and the lane gets a fresh kernel. A job's own failure is returned, never raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalkit.atomic import atomic_write_text
from evalkit.build.formats import FORMATS, OutputFormat, Sources
from evalkit.build.kernels import RESET, KernelError, Lane
from evalkit.build.keys import file_sha
from evalkit.build.records import BuildJob, Failure, JobOutcome


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


def _remove_outputs(job: BuildJob) -> None:
    """Remove the notebook and every format's file left by an earlier build of the job."""
    names = [".ipynb", *(fmt.suffix for fmt in FORMATS.values())]
    for suffix in names:
        (job.out_dir / f"{job.stem}{suffix}").unlink(missing_ok=True)


async def _execute(lane: Lane, job: BuildJob, nb: Any, expired: asyncio.Event) -> Failure | None:
    """Run the notebook in the lane's kernel; on failure keep the partial notebook."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    running: dict[str, int] = {}
    client = NotebookClient(
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
        await lane.restart(kill=True)
        partial = atomic_write_text(job.out_dir / f"{job.stem}.failed.ipynb", nbformat.writes(nb))
        _remove_outputs(job)
        failure = notebook_failure(nb, exc, job.timeout, running.get("index"))
        if expired.is_set():
            failure = replace(failure, name="Timeout", message=f"timed out after {job.timeout} s")
        return replace(failure, partial=str(partial))
    return None


def _write_page(job: BuildJob, nb: Any) -> Path:
    """Render the notebook's page and write it beside the outputs, hidden (a scratch file)."""
    from evalkit.report.render import notebook_to_html, source_date

    page = notebook_to_html(
        nb,
        title=job.title,
        running_header=job.header,
        notice=job.notice,
        masthead_label=job.masthead,
        date=source_date(),
    )
    path = job.out_dir / f".{job.stem}.page.html"
    path.write_text(page, encoding="utf-8")
    return path


async def _make(lane: Lane, fmt: OutputFormat, sources: Sources, out: Path, clock: _Clock) -> None:
    """Make one format's file, in the main process or in the lane's kernel."""
    if not fmt.in_kernel:
        fmt.make(sources, out)
        return
    module, name = fmt.make_path
    args = ", ".join(repr(str(p)) for p in (sources.notebook, sources.page, out))
    code = (
        "from evalkit.build.kernels import make_in_kernel as _make\n"
        f"try:\n    _make({module!r}, {name!r}, {args})\nfinally:\n    del _make"
    )
    try:
        await lane.run(code, clock.left())
    except TimeoutError:
        await lane.restart(kill=True)
        raise TimeoutError(f"timed out after {clock.budget} s (making the {fmt.name})") from None


async def _write(lane: Lane, job: BuildJob, nb: Any, clock: _Clock, files: dict[str, str]) -> None:
    """Write the executed notebook, then each format, recording every file's hash."""
    import nbformat

    (job.out_dir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
    notebook = atomic_write_text(job.out_dir / f"{job.stem}.ipynb", nbformat.writes(nb))
    files[notebook.name] = file_sha(notebook)
    with clock.stage("page"):
        page = _write_page(job, nb)
    try:
        for fmt in job.formats:
            out = job.out_dir / fmt.file_name(job.stem)
            with clock.stage(fmt.name):
                await _make(lane, fmt, Sources(notebook, page), out, clock)
            files[out.name] = file_sha(out)
    finally:
        page.unlink(missing_ok=True)


async def build_one(lane: Lane, job: BuildJob) -> JobOutcome:
    """Build one job in a lane; never raises for the job's own failure."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    clock = _Clock(job.timeout)
    files: dict[str, str] = {}
    expired = asyncio.Event()

    async def watchdog() -> None:
        await asyncio.sleep(job.timeout)
        expired.set()
        with contextlib.suppress(Exception):
            await lane.km.shutdown_kernel(now=True)

    guard = asyncio.create_task(watchdog())
    try:
        job.out_dir.mkdir(parents=True, exist_ok=True)
        source = load_notebook_node(str(job.notebook))
        source_ids = {str(cell.get("id")) for cell in source.cells}
        nb = parameterize_notebook(source, job.params)
        stable_cell_ids(nb, source_ids, job.notebook.name)
        with clock.stage("execute"):
            failure = await _execute(lane, job, nb, expired)
        if failure:
            return JobOutcome(failure, clock.stages, files)
        # Clear the notebook's namespace now, so the formats are made (and the next job
        # starts) in a kernel holding only its imports.
        await lane.run(RESET, 60)
        await _write(lane, job, nb, clock, files)
        return JobOutcome(None, clock.stages, files)
    except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
        if lane.km is None or not await lane.km.is_alive():
            await lane.restart(kill=True)
        cause = TimeoutError(f"timed out after {job.timeout} s") if expired.is_set() else exc
        return JobOutcome(other_failure(cause), clock.stages, files)
    finally:
        guard.cancel()
