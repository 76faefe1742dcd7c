"""The batch build: one evidence pack per in-scope partnership, plus the overview.

Design (see ``docs/evidence-packs.md``):

* **Warm kernels are the workers** (:mod:`evalkit.build.kernels`), one per core by default.
  The main process keeps that many Jupyter kernels over IPC sockets and drives them
  concurrently with nbclient's asyncio API. Per pack, a kernel runs the notebook; the
  main process writes the notebook and its HTML; the same kernel prints the PDF. The
  namespace is reset between packs; a kernel is replaced after a failure, a timeout
  (the per-pack time limit) or 20 packs. The overview runs last, alone.
* **Parameters** are injected by papermill (``parameterize_notebook``), so every
  executed notebook carries an ``injected-parameters`` cell and
  ``metadata.papermill.parameters``.
* **Fault isolation**: a failing pack keeps its partial notebook
  (``evidence-pack.failed.ipynb``), its error and failing cell; the others carry on.
* **Incremental**: a pack is skipped when the hash of its own data rows, the notebook,
  the framework files, the scoring options and the evalkit version is unchanged.
* **Atomic**: every output goes through :mod:`evalkit.atomic`; the manifest is
  rewritten after every pack.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import json
import os
import statistics
import sys
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.config import FRAMEWORKS_DIR, NOTEBOOKS_DIR, PACKAGE_DIR, TEMPLATES_DIR, Settings
from evalkit.inputs.contract import TABLES
from evalkit.inputs.dataset import load_dataset_meta
from evalkit.errors import BuildError
from evalkit.build.kernels import RESET, KernelError, Lane, release_memory, run_coroutine

PACK_NOTEBOOK = NOTEBOOKS_DIR / "evidence_pack.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "portfolio_overview.ipynb"
PACK_STEM = "evidence-pack"
OVERVIEW_ID = "overview"
#: Packs a kernel builds before it is replaced by a fresh one (bounds its memory).
PACKS_PER_KERNEL = 20
OVERVIEW_STEM = "portfolio-overview"
SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")


def pack_parameters(
    partnership_id: str, assessment_round: str, processed_dir: Path, output_dir: Path
) -> dict[str, str]:
    """The parameters passed to ``evidence_pack.ipynb``."""
    return {
        "partnership_id": partnership_id,
        "assessment_round": assessment_round,
        "processed_dir": str(processed_dir),
        "output_dir": str(output_dir),
    }


def overview_parameters(
    assessment_round: str, processed_dir: Path, output_dir: Path
) -> dict[str, str]:
    """The parameters passed to ``portfolio_overview.ipynb``."""
    return {
        "assessment_round": assessment_round,
        "processed_dir": str(processed_dir),
        "output_dir": str(output_dir),
    }


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how."""

    only: tuple[str, ...] = ()
    workers: int | None = None
    formats: tuple[str, ...] = ("html", "pdf")
    force: bool = False
    timeout: int = 600
    progress: bool = True
    round: str | None = None
    pack_notebook: Path | None = None
    overview_notebook: Path | None = None


@dataclass
class PackOutcome:
    """The result of one pack (or the overview)."""

    id: str
    name: str
    status: str  # built | up-to-date | failed
    key: str
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    tier: str | None = None

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
            "error": self.error,
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
            err = o.error or {}
            lines.append(
                f"FAILED {o.id}: {err.get('name')}: {err.get('message')} "
                f"(cell {err.get('cell')}: {err.get('source')}); partial notebook: "
                f"{err.get('partial')}"
            )
        return "\n".join(lines)


# -- keys ------------------------------------------------------------------------------


def _digest(parts: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _row_hashes(processed_dir: Path) -> dict[str, dict[str, bytes]]:
    """Table → partnership id → digest of that partnership's rows (order-independent).

    Reads the prepared CSV files as text (the values exactly as ``prepare`` wrote them),
    leaving out the columns that only say where a row came from, so moving a row in the
    raw workbook does not rebuild its pack but changing any value does.
    """
    out: dict[str, dict[str, bytes]] = {}
    for spec in TABLES:
        path = processed_dir / f"{spec.name}.csv"
        rows: dict[str, list[bytes]] = {}
        header: list[str] = []
        if path.exists():
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                header = next(reader, [])
                if "partnership_id" in header:
                    at = header.index("partnership_id")
                    keep = [i for i, name in enumerate(header) if name not in SOURCE_COLUMNS]
                    for row in reader:
                        line = "\x1f".join(row[i] for i in keep).encode()
                        rows.setdefault(row[at], []).append(hashlib.sha256(line).digest())
        head = ",".join(header).encode()
        out[spec.name] = {
            pid: hashlib.sha256(head + b"".join(sorted(digests))).digest()
            for pid, digests in rows.items()
        }
    return out


@dataclass(frozen=True)
class _Partnership:
    id: str
    name: str
    tier: str
    in_scope: bool


def _register(processed_dir: Path) -> list[_Partnership]:
    """The register's id, name, tier and scope, read from the prepared CSV."""
    path = processed_dir / "partnerships.csv"
    if not path.exists():
        raise BuildError(f"{processed_dir}: no prepared data found; run `evalkit prepare` first")
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            _Partnership(row["partnership_id"], row["name"], row["tier"], row["in_scope"] == "True")
            for row in csv.DictReader(handle)
        ]


def code_fingerprint() -> bytes:
    """Digest of evalkit's own code and templates (a pack changes when they do)."""
    package = PACKAGE_DIR
    files = sorted([*package.rglob("*.py"), *TEMPLATES_DIR.glob("*")])
    return _digest(
        str(p.relative_to(package)).encode() + p.read_bytes() for p in files
    ).encode()


def _common_inputs(settings: Settings, notebook: Path, options: BuildOptions) -> list[bytes]:
    parts = [
        __version__.encode(),
        code_fingerprint(),
        notebook.read_bytes(),
        ",".join(options.formats).encode(),
    ]
    folders = [FRAMEWORKS_DIR, settings.raw_dir / "frameworks"]
    for folder in folders:
        if folder.is_dir():
            parts += [p.name.encode() + p.read_bytes() for p in sorted(folder.glob("*.yaml"))]
    scoring = settings.scores_dir / "scoring.json"
    parts.append(scoring.read_bytes() if scoring.exists() else b"")
    return parts


def _error_details(nb: Any, exc: Exception, timeout: int, running: int | None) -> dict[str, Any]:
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
    return {"name": name, "message": str(message)[:500], "cell": cell_index, "source": source}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _failure(exc: BaseException, **where: Any) -> dict[str, Any]:
    name = exc.name if isinstance(exc, KernelError) else type(exc).__name__
    if isinstance(exc, TimeoutError):
        name = "Timeout"
    message = str(exc) or name
    return {"name": name, "message": message[:500], "cell": None, "source": None, **where}


async def _build_one(lane: Lane, job: dict[str, Any]) -> dict[str, Any]:
    """Build one pack (or the overview) in a lane; never raises for the pack's own failure.

    The pack has ``job["timeout"]`` seconds in all. When they run out a watchdog kills
    the kernel: nbclient then stops at the cell that was running (its partial notebook is
    kept), or the PDF step gives up; either way the pack is reported as timed out and the
    lane gets a fresh kernel.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from evalkit.report.render import notebook_to_html, write_html

    out_dir = Path(job["out_dir"])
    stem = job["stem"]
    stages: dict[str, float] = {}
    result: dict[str, Any] = {"stages": stages, "files": {}, "status": "failed"}
    budget = job["timeout"]
    deadline = time.monotonic() + budget
    expired = asyncio.Event()

    async def watchdog() -> None:
        await asyncio.sleep(budget)
        expired.set()
        with contextlib.suppress(Exception):
            await lane.km.shutdown_kernel(now=True)

    guard = asyncio.create_task(watchdog())
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        nb = parameterize_notebook(load_notebook_node(job["notebook"]), job["params"])
        t = time.perf_counter()
        running: dict[str, int] = {}
        client = NotebookClient(
            nb,
            km=lane.km,
            on_cell_start=lambda cell, cell_index: running.update(index=cell_index),
            timeout=budget,
            kernel_name="python3",
            resources={"metadata": {"path": str(Path(job["notebook"]).parent)}},
        )
        client.kc = lane.kc
        try:
            await client.async_execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            await lane.restart(kill=True)
            partial = atomic_write_text(out_dir / f"{stem}.failed.ipynb", nbformat.writes(nb))
            for suffix in (".ipynb", ".html", ".pdf"):
                (out_dir / f"{stem}{suffix}").unlink(missing_ok=True)
            error = _error_details(nb, exc, budget, running.get("index"))
            if expired.is_set():
                error.update(name="Timeout", message=f"timed out after {budget} s")
            return {**result, "error": {**error, "partial": str(partial)}}
        finally:
            stages["execute"] = time.perf_counter() - t
        # Clear the notebook's namespace now, so the PDF is printed (and the next pack
        # starts) in a kernel holding only its imports.
        await lane.run(RESET, 60)
        (out_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
        ipynb = atomic_write_text(out_dir / f"{stem}.ipynb", nbformat.writes(nb))
        result["files"][ipynb.name] = _sha(ipynb)
        t = time.perf_counter()
        page = notebook_to_html(
            nb,
            title=job["title"],
            running_header=job["header"],
            notice=job["notice"],
            masthead_label=job["masthead"],
        )
        wanted = "html" in job["formats"]
        html_path = write_html(
            page, out_dir / (f"{stem}.html" if wanted else f".{stem}.print.html")
        )
        del page
        stages["html"] = time.perf_counter() - t
        if wanted:
            result["files"][html_path.name] = _sha(html_path)
        if "pdf" in job["formats"]:
            t = time.perf_counter()
            pdf_path = out_dir / f"{stem}.pdf"
            code = (
                "from evalkit.build.kernels import pdf_in_kernel as _pdf\n"
                f"try:\n    _pdf({str(html_path)!r}, {str(pdf_path)!r})\n"
                "finally:\n    del _pdf"
            )
            try:
                await lane.run(code, max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                await lane.restart(kill=True)
                raise TimeoutError(f"timed out after {budget} s (making the PDF)") from None
            finally:
                if not wanted:
                    html_path.unlink(missing_ok=True)
            stages["pdf"] = time.perf_counter() - t
            result["files"][pdf_path.name] = _sha(pdf_path)
        return {**result, "status": "built", "error": None}
    except Exception as exc:  # noqa: BLE001 - one pack's failure must not stop the others
        if lane.km is None or not await lane.km.is_alive():
            await lane.restart(kill=True)
        cause = TimeoutError(f"timed out after {budget} s") if expired.is_set() else exc
        return {**result, "error": _failure(cause, partial=None)}
    finally:
        guard.cancel()


# -- main side ---------------------------------------------------------------------------


def _select(register: list[_Partnership], only: tuple[str, ...]) -> list[_Partnership]:
    in_scope = [p for p in register if p.in_scope]
    if not only:
        return in_scope
    known = {p.id for p in register}
    unknown = [p for p in only if p not in known]
    if unknown:
        raise BuildError(
            f"unknown partnership id(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    out = [p for p in only if p not in {q.id for q in in_scope}]
    if out:
        raise BuildError(f"out of scope, so no pack is built: {', '.join(out)}")
    return [p for p in in_scope if p.id in only]


def _load_manifest(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {"packs": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {"packs": {}}


def _up_to_date(previous: Mapping[str, Any] | None, key: str, folder: Path) -> bool:
    if not previous or previous.get("key") != key or previous.get("status") == "failed":
        return False
    return all((folder / name).exists() for name in previous.get("files", {}))


def run_build(settings: Settings, options: BuildOptions) -> BuildResult:
    """Build the packs and the overview; write the manifest and the index.

    Raises:
        BuildError: the build cannot start (no prepared data, unknown ids, bad formats).
    """
    started = time.perf_counter()
    bad = set(options.formats) - {"html", "pdf"}
    if bad or not options.formats:
        raise BuildError(f"--formats must be html and/or pdf (got {','.join(options.formats)})")
    if not (settings.scores_dir / "scoring.json").exists():
        raise BuildError(f"{settings.scores_dir}: no scores; run `evalkit score` first")
    pack_nb = options.pack_notebook or PACK_NOTEBOOK
    overview_nb = options.overview_notebook or OVERVIEW_NOTEBOOK
    meta = load_dataset_meta(settings.processed_dir)
    dataset = meta.get("dataset", {})
    notice = dataset.get("notice") if dataset.get("invented") else None
    scoring = json.loads((settings.scores_dir / "scoring.json").read_text(encoding="utf-8"))
    assessment_round = options.round or scoring["assessment_round"]
    selected = _select(_register(settings.processed_dir), options.only)
    reports = settings.reports_dir
    reports.mkdir(parents=True, exist_ok=True)
    manifest_path = reports / "manifest.json"
    manifest = _load_manifest(manifest_path)
    previous = manifest.get("packs", {})

    row_hashes = _row_hashes(settings.processed_dir)
    common = _common_inputs(settings, pack_nb, options) + [
        (notice or "").encode(),
        assessment_round.encode(),
    ]
    jobs, outcomes = [], []
    for row in selected:
        pid = row.id
        key = _digest(
            common
            + [pid.encode()]
            + [row_hashes[name].get(pid, b"") for name in sorted(row_hashes)]
        )
        folder = reports / pid
        outcome = PackOutcome(pid, row.name, "up-to-date", key, tier=row.tier)
        if not options.force and _up_to_date(previous.get(pid), key, folder):
            outcome.files = previous[pid].get("files", {})
            outcome.seconds = previous[pid].get("seconds", 0.0)
            outcomes.append(outcome)
            continue
        outcomes.append(outcome)
        jobs.append(
            {
                "id": pid,
                "notebook": str(pack_nb),
                "out_dir": str(folder),
                "stem": PACK_STEM,
                "params": pack_parameters(pid, assessment_round, settings.processed_dir, folder),
                "timeout": options.timeout,
                "formats": options.formats,
                "title": f"Evidence pack: {row.name}",
                "header": row.name,
                "notice": notice,
                "masthead": "Evidence pack",
            }
        )
    if not options.only:
        all_rows = [d for name in sorted(row_hashes) for _, d in sorted(row_hashes[name].items())]
        key = _digest(
            _common_inputs(settings, overview_nb, options)
            + all_rows
            + [(notice or "").encode(), assessment_round.encode()]
        )
        title = "Portfolio overview: the partnership landscape"
        outcome = PackOutcome(OVERVIEW_ID, title, "up-to-date", key)
        outcomes.append(outcome)
        folder = reports / OVERVIEW_ID
        if options.force or not _up_to_date(manifest.get("overview"), key, folder):
            jobs.append(
                {
                    "id": OVERVIEW_ID,
                    "notebook": str(overview_nb),
                    "out_dir": str(folder),
                    "stem": OVERVIEW_STEM,
                    "timeout": options.timeout,
                    "formats": options.formats,
                    "params": overview_parameters(assessment_round, settings.processed_dir, folder),
                    "title": title,
                    "header": "Partnership landscape",
                    "notice": notice,
                    "masthead": "Portfolio overview",
                },
            )
        else:
            outcome.files = manifest["overview"].get("files", {})
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(jobs) or 1))
    by_id = {o.id: o for o in outcomes}
    for job in jobs:
        by_id[job["id"]].status = "pending"
    if jobs:
        _run_jobs(
            jobs,
            workers,
            options,
            by_id,
            lambda: _write_state(
                manifest_path, reports, outcomes, workers, notice, assessment_round
            ),
        )
    _write_state(manifest_path, reports, outcomes, workers, notice, assessment_round)
    return BuildResult(outcomes, time.perf_counter() - started, workers, reports)


def _run_jobs(
    jobs: list[dict[str, Any]],
    workers: int,
    options: BuildOptions,
    by_id: dict[str, PackOutcome],
    checkpoint: Any,
) -> None:
    """Run the jobs on ``workers`` warm kernels, recording each outcome as it lands."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(jobs),
        desc="Evidence packs",
        unit="pack",
        file=sys.stderr,
        disable=not options.progress,
    )
    # The overview is the largest job: it runs last, alone, after the pack lanes have
    # shut their kernels down, so its peak never adds to theirs.
    packs = deque(job for job in jobs if job["id"] != OVERVIEW_ID)
    last = deque(job for job in jobs if job["id"] == OVERVIEW_ID)

    def record(job: dict[str, Any], result: dict[str, Any]) -> None:
        outcome = by_id[job["id"]]
        outcome.status = result["status"]
        outcome.seconds = result["seconds"]
        outcome.stages = {k: round(v, 3) for k, v in result["stages"].items()}
        outcome.files = result["files"]
        outcome.error = result["error"]
        if outcome.status == "failed":
            error = outcome.error or {}
            bar.write(f"FAILED {outcome.id}: {error.get('name')}: {error.get('message')}")
        bar.update(1)
        checkpoint()

    async def drive(lane: Lane, queue: deque[dict[str, Any]]) -> None:
        await lane.start()
        done = 0
        while queue:
            job = queue.popleft()
            start = time.perf_counter()
            result = await _build_one(lane, job)
            record(job, {**result, "seconds": time.perf_counter() - start})
            release_memory()
            done += 1
            # A kernel's heap creeps up by a megabyte or two per PDF, so a lane gets a
            # fresh kernel now and then (as web servers recycle their workers).
            if queue and done >= PACKS_PER_KERNEL:
                await lane.restart()
                done = 0
        await lane.stop()  # as soon as there is nothing left for this lane

    async def main() -> None:
        lanes = [Lane() for _ in range(workers)]
        try:
            await asyncio.gather(*(drive(lane, packs) for lane in lanes))
            if last:
                await drive(lanes[0], last)
        finally:
            await asyncio.gather(*(lane.stop() for lane in lanes), return_exceptions=True)

    try:
        run_coroutine(main())
    finally:
        bar.close()


def _write_state(
    manifest_path: Path,
    reports: Path,
    outcomes: list[PackOutcome],
    workers: int,
    notice: str | None,
    assessment_round: str,
) -> None:
    from evalkit.report.render import render_index, write_html

    now = datetime.now(UTC).isoformat(timespec="seconds")
    packs = {o.id: o.record() for o in outcomes if o.id != OVERVIEW_ID}
    overview = next((o for o in outcomes if o.id == OVERVIEW_ID), None)
    previous = _load_manifest(manifest_path)
    merged = {**previous.get("packs", {}), **packs}
    manifest = {
        "evalkit_version": __version__,
        "assessment_round": assessment_round,
        "updated": now,
        "workers": workers,
        "packs": merged,
        "overview": overview.record() if overview else previous.get("overview"),
    }
    atomic_write_text(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    rows = []
    for pid, rec in sorted(merged.items(), key=lambda kv: kv[1].get("name") or kv[0]):
        files = rec.get("files", {})
        rows.append(
            {
                "id": pid,
                "name": rec.get("name"),
                "tier": rec.get("tier"),
                "status": rec.get("status"),
                "html": f"{pid}/{PACK_STEM}.html" if f"{PACK_STEM}.html" in files else None,
                "pdf": f"{pid}/{PACK_STEM}.pdf" if f"{PACK_STEM}.pdf" in files else None,
                "error": (rec.get("error") or {}).get("message"),
            }
        )
    ov = manifest.get("overview") or {}
    href = (
        f"{OVERVIEW_ID}/{OVERVIEW_STEM}.html"
        if f"{OVERVIEW_STEM}.html" in ov.get("files", {})
        else None
    )
    page = render_index(
        rows, title="Partnership evidence packs", notice=notice, overview_href=href, generated=now
    )
    write_html(page, reports / "index.html")
