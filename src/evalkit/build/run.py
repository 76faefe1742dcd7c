"""The batch build: one evidence pack per in-scope partnership, the overview, the cover report.

Design (see ``docs/evidence-packs.md``):

* **Plan** (:mod:`evalkit.build.plan`): a pack is skipped when the key of its inputs
  (:mod:`evalkit.build.keys`) and its files match the manifest.
* **Warm kernels are the workers** (:mod:`evalkit.build.lanes`,
  :mod:`evalkit.build.kernels`), one per core by default, driven concurrently from
  the main process; the overview runs last, alone.
* **One job** (:mod:`evalkit.build.job`): papermill injects the parameters, the kernel
  runs the notebook, then each output format (:mod:`evalkit.build.formats`) is made.
* **Fault isolation**: a failing pack keeps its partial notebook
  (``evidence-pack.failed.ipynb``), its error and failing cell; the others carry on.
* **The last good pack is kept**: a job writes its files in a staging folder and they
  replace the previous ones only when all are complete (:mod:`evalkit.build.job`); a
  pack whose rebuild failed keeps its last good version and is recorded as ``stale``
  (:mod:`evalkit.build.records`). Staging folders and temporary files left by a killed
  build are removed at the start of the next (:func:`tidy`).
* **Atomic**: every output goes through :mod:`evalkit.atomic`; the manifest
  (:mod:`evalkit.build.manifest`) and the index (:mod:`evalkit.build.index`) are
  rewritten after every pack, and describe the files on disk at every moment.
* **Clean stop**: SIGTERM or SIGINT stops the build (:mod:`evalkit.build.kernels`):
  no new job, kernels and temporary folders gone, the manifest and index written one
  last time, then the stop is raised again for the command line (exit 143 or 130).
* **Warnings to the log**: what kernels write to stderr goes to
  ``<logs>/build/<id>.log``, never into a pack (``Settings.logs_dir``).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalkit.build.formats import resolve
from evalkit.build.index import write_index
from evalkit.build.job import remove_stale_staging
from evalkit.build.kernels import signals_held
from evalkit.build.lanes import run_jobs
from evalkit.build.manifest import MANIFEST_FILE, now, read_manifest, write_manifest
from evalkit.build.plan import PORTFOLIO_STEMS, Plan, plan_build
from evalkit.build.records import BuildJob, BuildOptions, BuildResult, JobOutcome, LastGood
from evalkit.config import Settings
from evalkit.errors import BuildError, InputFileError
from evalkit.method.results import ScoredFolder

#: A temporary file :mod:`evalkit.atomic` writes before renaming it into place.
_ATOMIC_TEMP = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")
#: The folder under the logs folder that holds one log per pack.
LOG_FOLDER = "build"


def _open(settings: Settings) -> ScoredFolder:
    try:
        return ScoredFolder.open(settings.processed_dir)
    except InputFileError as exc:
        raise BuildError(str(exc)) from exc


def tidy(reports: Path) -> list[Path]:
    """Remove what a killed build left in the reports folder: staging folders, temp files.

    Staging folders are removed only when the process that made them is gone; the
    temporary files of atomic writes are always removed (one build at a time writes to
    a reports folder).

    Returns:
        What was removed.
    """
    removed: list[Path] = []
    folders = [reports, *(p for p in reports.iterdir() if p.is_dir() and not p.is_symlink())]
    for folder in folders:
        removed += remove_stale_staging(folder)
        for path in folder.glob(".*.tmp"):
            if _ATOMIC_TEMP.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def attach_last_good(plan: Plan, manifest: Mapping[str, Any], reports: Path) -> None:
    """Give each planned pack the version an earlier build left on disk, if any.

    An up-to-date pack keeps the time its files were built; a pack to rebuild keeps
    them as its fallback, listed while it waits and if its rebuild fails.
    """
    packs = manifest.get("packs", {})
    for outcome in plan.outcomes:
        portfolio = outcome.id in PORTFOLIO_STEMS  # the overview and the cover report
        record = manifest.get(outcome.id) if portfolio else packs.get(outcome.id)
        outcome.last_good = LastGood.from_record(record, reports / outcome.id)
        if outcome.status == "up-to-date" and outcome.last_good is not None:
            outcome.built = outcome.last_good.built


def run_build(settings: Settings, options: BuildOptions) -> BuildResult:
    """Build the packs and the overview; write the manifest and the index.

    Raises:
        BuildError: the build cannot start (no prepared data or scores, unknown ids,
            unknown formats).
        evalkit.errors.Interrupted: SIGTERM or SIGINT stopped the build (from the
            command line; ``KeyboardInterrupt`` elsewhere); the manifest and index
            describe what is on disk.
    """
    started = time.perf_counter()
    resolve(options.formats)  # before reading anything
    reports = settings.reports_dir
    previous = read_manifest(reports / MANIFEST_FILE)
    plan = plan_build(settings, options, _open(settings), previous)
    reports.mkdir(parents=True, exist_ok=True)
    tidy(reports)
    attach_last_good(plan, previous, reports)
    logs = settings.logs_dir / LOG_FOLDER
    jobs = [replace(job, log=logs / f"{job.id}.log") for job in plan.jobs]
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(jobs) or 1))

    def write_state() -> None:
        updated = now()
        manifest = write_manifest(
            reports / MANIFEST_FILE,
            plan.outcomes,
            workers=workers,
            assessment_round=plan.assessment_round,
            updated=updated,
        )
        write_index(reports, manifest, notice=plan.notice, generated=updated)

    if jobs:
        by_id = {outcome.id: outcome for outcome in plan.outcomes}

        def landed(job: BuildJob, outcome: JobOutcome, seconds: float) -> None:
            by_id[job.id].land(outcome, seconds, now())
            write_state()

        try:
            run_jobs(jobs, workers, landed, progress=options.progress)
        except BaseException:
            # Stopped (or broken): say once more what is on disk, then go on up.
            with signals_held(), contextlib.suppress(Exception):
                write_state()
            raise
    with signals_held():
        write_state()
    return BuildResult(plan.outcomes, time.perf_counter() - started, workers, reports)
