"""The batch build: one evidence pack per in-scope partnership, plus the overview.

Design (see ``docs/evidence-packs.md``):

* **Worker processes**, one per core by default (spawned, not forked). Each keeps one
  warm Jupyter kernel talking over IPC sockets in a private temporary folder, so
  parallel kernels cannot race for TCP ports and imports are paid once per worker.
  The kernel's namespace is reset between packs, and the kernel is restarted after a
  pack fails or times out.
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

import hashlib
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit import __version__
from evalkit.atomic import atomic_write_text
from evalkit.config import FRAMEWORKS_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, Settings
from evalkit.dataset import load_dataset_meta, load_tables
from evalkit.errors import BuildError

PACK_NOTEBOOK = NOTEBOOKS_DIR / "evidence_pack.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "portfolio_overview.ipynb"
PACK_STEM = "evidence-pack"
OVERVIEW_ID = "overview"
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


def _row_hashes(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, bytes]]:
    """Table → partnership id → digest of that partnership's rows (order-independent)."""
    out: dict[str, dict[str, bytes]] = {}
    for name, frame in tables.items():
        if "partnership_id" not in frame or frame.empty:
            out[name] = {}
            continue
        data = frame.drop(columns=[c for c in SOURCE_COLUMNS if c in frame])
        hashes = pd.util.hash_pandas_object(data, index=False).to_numpy()
        per = pd.DataFrame({"pid": data["partnership_id"].astype(str).to_numpy(), "h": hashes})
        out[name] = {
            pid: hashlib.sha256(group["h"].sort_values().to_numpy().tobytes()).digest()
            for pid, group in per.groupby("pid", sort=False)
        }
    return out


def code_fingerprint() -> bytes:
    """Digest of evalkit's own code and templates (a pack changes when they do)."""
    package = Path(__file__).resolve().parent
    files = sorted([*package.glob("*.py"), *(package / "templates").glob("*")])
    return _digest(p.name.encode() + p.read_bytes() for p in files).encode()


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


# -- worker side -----------------------------------------------------------------------

_KERNEL: dict[str, Any] = {}


def _start_kernel() -> Any:
    from jupyter_client.manager import KernelManager

    runtime = tempfile.mkdtemp(prefix="evalkit-kernel-")
    km = KernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=os.path.join(runtime, "ipc"),
        connection_file=os.path.join(runtime, "kernel.json"),
    )
    km.start_kernel(cwd=str(NOTEBOOKS_DIR if NOTEBOOKS_DIR.is_dir() else PROJECT_ROOT))
    _KERNEL.update(km=km, runtime=runtime)
    return km


def _stop_kernel() -> None:
    km = _KERNEL.pop("km", None)
    if km is not None:
        try:
            km.shutdown_kernel(now=False)
        except Exception:  # noqa: BLE001 - best effort at exit
            km.shutdown_kernel(now=True)
    runtime = _KERNEL.pop("runtime", None)
    if runtime:
        shutil.rmtree(runtime, ignore_errors=True)


def _init_worker() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    multiprocessing.util.Finalize(None, _stop_kernel, exitpriority=100)


def _kernel(warm: bool) -> Any:
    km = _KERNEL.get("km")
    if km is None or not km.is_alive():
        _stop_kernel()
        km = _start_kernel()
    return km


_RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"


def _execute(notebook: Path, params: dict[str, str], timeout: int) -> tuple[Any, dict | None]:
    """Run a parameterised notebook in the warm kernel; return (notebook, error or None)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), params)
    km = _kernel(True)
    reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_RESET)])
    NotebookClient(reset, km=km, timeout=60, kernel_name="python3").execute()
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        _restart_kernel()
        return nb, _error_details(nb, exc, timeout)
    return nb, None


def _restart_kernel() -> None:
    _stop_kernel()
    _start_kernel()


def _error_details(nb: Any, exc: Exception, timeout: int) -> dict[str, Any]:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    cell_index, source, name, message = None, None, type(exc).__name__, str(exc)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                cell_index, name, message = index, output.get("ename"), output.get("evalue")
                source = cell.source.splitlines()[0] if cell.source else ""
    if isinstance(exc, CellTimeoutError):
        name, message = "Timeout", f"timed out after {timeout} s"
    if isinstance(exc, DeadKernelError):
        name = "DeadKernel"
    if cell_index is None:
        cell_index = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and c.get("execution_count") is None
            ),
            None,
        )
        if cell_index is not None:
            source = nb.cells[cell_index].source.splitlines()[0]
    return {"name": name, "message": str(message)[:500], "cell": cell_index, "source": source}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_one(job: dict[str, Any]) -> dict[str, Any]:
    """Build one pack or the overview in a worker; never raises for a pack's own failure."""
    import nbformat

    from evalkit.render import html_to_pdf, notebook_to_html, write_html

    start = time.perf_counter()
    out_dir = Path(job["out_dir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = job["stem"]
    stages: dict[str, float] = {}
    result: dict[str, Any] = {"id": job["id"], "stages": stages, "files": {}}
    try:
        t = time.perf_counter()
        nb, error = _execute(Path(job["notebook"]), job["params"], job["timeout"])
        stages["execute"] = time.perf_counter() - t
        if error:
            partial = out_dir / f"{stem}.failed.ipynb"
            atomic_write_text(partial, nbformat.writes(nb))
            for suffix in (".ipynb", ".html", ".pdf"):
                (out_dir / f"{stem}{suffix}").unlink(missing_ok=True)
            error["partial"] = str(partial)
            return {
                **result,
                "status": "failed",
                "error": error,
                "seconds": time.perf_counter() - start,
            }
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
        stages["html"] = time.perf_counter() - t
        if "html" in job["formats"]:
            path = write_html(page, out_dir / f"{stem}.html")
            result["files"][path.name] = _sha(path)
        if "pdf" in job["formats"]:
            t = time.perf_counter()
            path = html_to_pdf(page, out_dir / f"{stem}.pdf")
            stages["pdf"] = time.perf_counter() - t
            result["files"][path.name] = _sha(path)
        return {**result, "status": "built", "error": None, "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - one pack's failure must not stop the others
        return {
            **result,
            "status": "failed",
            "seconds": time.perf_counter() - start,
            "error": {
                "name": type(exc).__name__,
                "message": str(exc)[:500],
                "cell": None,
                "source": None,
                "partial": None,
            },
        }


# -- main side ---------------------------------------------------------------------------


def latest_round(tables: Mapping[str, pd.DataFrame]) -> str:
    """Latest assessment round in responses or checklist."""
    from evalkit.scoring_run import latest_round as _latest

    return _latest(tables)


def _select(parts: pd.DataFrame, only: tuple[str, ...]) -> pd.DataFrame:
    in_scope = parts[parts["in_scope"].fillna(False).astype(bool)]
    if not only:
        return in_scope
    known = set(parts["partnership_id"])
    unknown = [p for p in only if p not in known]
    if unknown:
        raise BuildError(
            f"unknown partnership id(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    out = [p for p in only if p not in set(in_scope["partnership_id"])]
    if out:
        raise BuildError(f"out of scope, so no pack is built: {', '.join(out)}")
    return in_scope[in_scope["partnership_id"].isin(only)]


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
    tables = load_tables(settings.processed_dir)
    meta = load_dataset_meta(settings.processed_dir)
    dataset = meta.get("dataset", {})
    notice = dataset.get("notice") if dataset.get("invented") else None
    assessment_round = options.round or latest_round(tables)
    selected = _select(tables["partnerships"], options.only)
    reports = settings.reports_dir
    reports.mkdir(parents=True, exist_ok=True)
    manifest_path = reports / "manifest.json"
    manifest = _load_manifest(manifest_path)
    previous = manifest.get("packs", {})

    row_hashes = _row_hashes(tables)
    common = _common_inputs(settings, pack_nb, options) + [
        (notice or "").encode(),
        assessment_round.encode(),
    ]
    jobs, outcomes = [], []
    for row in selected.itertuples():
        pid = str(row.partnership_id)
        key = _digest(
            common
            + [pid.encode()]
            + [row_hashes[name].get(pid, b"") for name in sorted(row_hashes)]
        )
        folder = reports / pid
        outcome = PackOutcome(pid, str(row.name), "up-to-date", key, tier=str(row.tier))
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
                "header": str(row.name),
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
            jobs.insert(
                0,
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
    from tqdm import tqdm

    bar = tqdm(
        total=len(jobs),
        desc="Evidence packs",
        unit="pack",
        file=sys.stderr,
        disable=not options.progress,
    )
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker
    ) as pool:
        futures: dict[Future, str] = {pool.submit(build_one, job): job["id"] for job in jobs}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = by_id[futures[future]]
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker crash fails that pack only
                    result = {
                        "status": "failed",
                        "seconds": 0.0,
                        "stages": {},
                        "files": {},
                        "error": {
                            "name": type(exc).__name__,
                            "message": str(exc),
                            "cell": None,
                            "source": None,
                            "partial": None,
                        },
                    }
                outcome.status = result["status"]
                outcome.seconds = result["seconds"]
                outcome.stages = {k: round(v, 3) for k, v in result["stages"].items()}
                outcome.files = result["files"]
                outcome.error = result["error"]
                if outcome.status == "failed":
                    bar.write(
                        f"FAILED {outcome.id}: {outcome.error.get('name')}: "
                        f"{outcome.error.get('message')}"
                    )
                bar.update(1)
                checkpoint()
    bar.close()


def _write_state(
    manifest_path: Path,
    reports: Path,
    outcomes: list[PackOutcome],
    workers: int,
    notice: str | None,
    assessment_round: str,
) -> None:
    from evalkit.render import render_index, write_html

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
