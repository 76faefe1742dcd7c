"""The batch build: one evidence pack per in-scope partnership, plus the overview.

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
* **Atomic**: every output goes through :mod:`evalkit.atomic`; the manifest
  (:mod:`evalkit.build.manifest`) and the index (:mod:`evalkit.build.index`) are
  rewritten after every pack.
"""

from __future__ import annotations

import os
import time

from evalkit.build.formats import resolve
from evalkit.build.index import write_index
from evalkit.build.lanes import run_jobs
from evalkit.build.manifest import MANIFEST_FILE, now, read_manifest, write_manifest
from evalkit.build.plan import plan_build
from evalkit.build.records import BuildJob, BuildOptions, BuildResult, JobOutcome
from evalkit.config import Settings
from evalkit.errors import BuildError, InputFileError
from evalkit.method.results import ScoredFolder


def _open(settings: Settings) -> ScoredFolder:
    try:
        return ScoredFolder.open(settings.processed_dir)
    except InputFileError as exc:
        raise BuildError(str(exc)) from exc


def run_build(settings: Settings, options: BuildOptions) -> BuildResult:
    """Build the packs and the overview; write the manifest and the index.

    Raises:
        BuildError: the build cannot start (no prepared data or scores, unknown ids,
            unknown formats).
    """
    started = time.perf_counter()
    resolve(options.formats)  # before reading anything
    reports = settings.reports_dir
    plan = plan_build(settings, options, _open(settings), read_manifest(reports / MANIFEST_FILE))
    reports.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(options.workers or os.cpu_count() or 1, len(plan.jobs) or 1))

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

    if plan.jobs:
        by_id = {outcome.id: outcome for outcome in plan.outcomes}

        def landed(job: BuildJob, outcome: JobOutcome, seconds: float) -> None:
            by_id[job.id].land(outcome, seconds)
            write_state()

        run_jobs(plan.jobs, workers, landed, progress=options.progress)
    write_state()
    return BuildResult(plan.outcomes, time.perf_counter() - started, workers, reports)
