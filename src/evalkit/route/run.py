"""``evalkit run``: the whole route in one command, for a scheduler.

The route is :data:`STAGES`, in order. Each stage says whether it has anything to do
(an import stage runs only when there is input for it) and runs like its own command,
with that command's exit code. The route stops at the first stage that fails and gives
its exit code. Around it: the lock on the output folders (:mod:`evalkit.route.lock`),
the run record (:mod:`evalkit.route.record`) and, if asked, publishing
(:mod:`evalkit.route.publish`).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.build.manifest import MANIFEST_FILE, read_manifest
from evalkit.build.records import BuildOptions
from evalkit.config import Settings
from evalkit.errors import EvalkitError, Interrupted
from evalkit.inputs.dataset import input_hashes
from evalkit.inputs.intake import (
    has_returns,
    import_surveys,
    ingest_returns,
    returns_inbox,
    survey_mappings,
)
from evalkit.route.lock import EXIT_LOCKED, Locked, run_lock
from evalkit.route.publish import Policy, PolicyNotMet, publish, sets_folder
from evalkit.route.record import (
    DEFAULT_KEEP,
    Outcome,
    PackCounts,
    RunRecord,
    StageRecord,
    prune_runs,
)

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

EXIT_OK = 0
#: Some packs failed to build (the others were built), or an internal error.
EXIT_FAILED = 1
#: Invalid input or usage.
EXIT_INVALID = 2
#: The run met no publishing policy, or publishing failed: the destination keeps its
#: previous set.
EXIT_NOT_PUBLISHED = 3
#: Seconds the ``--on-failure`` command may take.
HOOK_TIMEOUT = 120
#: The environment variable that sets how many run records are kept.
KEEP_VARIABLE = "EVALKIT_KEEP_RUNS"


@dataclass(frozen=True)
class RouteOptions:
    """How to run the route.

    Attributes:
        build: the build's options (the same as ``evalkit build``'s).
        lower: score with the lower organisation score where organisations disagree.
        wait: seconds to wait for another run holding the lock before refusing.
        keep: run records kept (older ones are removed).
        publish: publish to this destination when the run meets ``policy``.
        policy: what a run must meet to publish (see :data:`evalkit.route.publish.Policy`).
        on_failure: a shell command run when the run ends with a non-zero exit code.
        echo: print what the run says as well as logging it.
    """

    build: BuildOptions = field(default_factory=BuildOptions)
    lower: bool = False
    wait: float = 0.0
    keep: int = DEFAULT_KEEP
    publish: Path | None = None
    policy: Policy = "no-failures"
    on_failure: str | None = None
    echo: bool = True


@dataclass(frozen=True)
class StageResult:
    """What a stage returns.

    Attributes:
        exit_code: as the stage's own command would give.
        message: its report in words.
        packs: the ids it worked on (the build: every pack it planned, the overview and
            the cover report), for the run record.
    """

    exit_code: int
    message: str
    packs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    """One stage of the route.

    Attributes:
        name: as the run record names it.
        needed: whether it has anything to do (import stages: is there input for them).
        run: run it.
    """

    name: str
    needed: Callable[[Settings], bool]
    run: Callable[[Settings, RouteOptions], StageResult]


def keep_from_environment() -> int:
    """Run records to keep: ``EVALKIT_KEEP_RUNS`` (a whole number above 0), else 30."""
    value = os.environ.get(KEEP_VARIABLE, "").strip()
    if not value:
        return DEFAULT_KEEP
    if not value.isdigit() or int(value) < 1:
        raise EvalkitError(
            f"environment variable {KEEP_VARIABLE} is {value[:40]!r}: expected a whole "
            "number above 0"
        )
    return int(value)


def _always(_settings: Settings) -> bool:
    return True


def _frameworks(settings: Settings) -> dict[str, Framework]:
    from evalkit.method.framework import framework_dirs, load_frameworks

    return load_frameworks(framework_dirs(settings))


def _validate(settings: Settings, _options: RouteOptions) -> StageResult:
    from evalkit.inputs.validate import validate

    report = validate(settings.raw_dir, _frameworks(settings), settings).report
    return StageResult(EXIT_OK if report.valid else EXIT_INVALID, report.summary())


def _prepare(settings: Settings, _options: RouteOptions) -> StageResult:
    from evalkit.inputs.prepare import prepare

    result = prepare(settings, _frameworks(settings))
    if not result.report.valid:
        return StageResult(EXIT_INVALID, result.report.summary())
    return StageResult(EXIT_OK, f"Prepared {len(result.tables)} tables.")


def _score(settings: Settings, options: RouteOptions) -> StageResult:
    from evalkit.method.run import run_scoring

    summary = run_scoring(settings, _frameworks(settings), lower_on_disagreement=options.lower)
    return StageResult(EXIT_OK, str(summary))


def _build(settings: Settings, options: RouteOptions) -> StageResult:
    from evalkit.build import run_build

    result = run_build(settings, options.build)
    code = EXIT_OK if result.ok else EXIT_FAILED
    return StageResult(code, result.summary(), tuple(o.id for o in result.outcomes))


def _returns(settings: Settings, _options: RouteOptions) -> StageResult:
    """Officer returns waiting in ``<raw>/returns/inbox``: ingested, cell problems reported.

    A return with cell problems is used for its valid cells (the problems go in the run
    record, for the officer); a refused return stops the route (exit code 2).
    """
    report = ingest_returns(
        settings, _frameworks(settings), returns_inbox(settings), accept_problems=True
    )
    return StageResult(report.exit_code, "\n".join(report.lines))


def _surveys(settings: Settings, _options: RouteOptions) -> StageResult:
    """Every survey export in ``<raw>/survey`` with its mapping, imported."""
    report = import_surveys(settings, _frameworks(settings))
    return StageResult(report.exit_code, "\n".join(report.lines))


#: The route, in order: evidence people sent in is brought in first, when there is any.
STAGES: tuple[Stage, ...] = (
    Stage("returns ingest", has_returns, _returns),
    Stage("survey import", lambda settings: bool(survey_mappings(settings)), _surveys),
    Stage("validate", _always, _validate),
    Stage("prepare", _always, _prepare),
    Stage("score", _always, _score),
    Stage("build", _always, _build),
)


def _run_stage(
    record: RunRecord, stage: Stage, settings: Settings, options: RouteOptions
) -> StageResult:
    """Run one stage; record how it ended; return its result."""
    record.log(f"== {stage.name}")
    started = time.perf_counter()
    try:
        result = stage.run(settings, options)
    except EvalkitError as exc:
        result = StageResult(EXIT_INVALID, f"error: {exc}")
    except (Interrupted, KeyboardInterrupt) as exc:
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        record.stage(
            StageRecord(
                stage.name, "failed", code, _since(started), f"stopped by {exc or 'SIGINT'}"
            )
        )
        raise
    except Exception as exc:  # noqa: BLE001 - one stage's crash ends the run, recorded
        result = StageResult(EXIT_FAILED, f"internal error: {type(exc).__name__}: {exc}")
    record.log(result.message)
    outcome: Outcome = "ok" if result.exit_code == EXIT_OK else "failed"
    record.stage(
        StageRecord(stage.name, outcome, result.exit_code, _since(started), result.message)
    )
    return result


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def publish_stage(
    record: RunRecord, settings: Settings, destination: Path, policy: Policy, wait: float
) -> int:
    """Publish the reports to ``destination`` under ``policy``, locked; record it."""
    record.log(f"== publish to {destination}")
    started = time.perf_counter()
    manifest = read_manifest(settings.reports_dir / MANIFEST_FILE)
    try:
        with run_lock(
            [sets_folder(destination.absolute())],
            command=record.summary.command,
            wait=wait,
            started=record.summary.started,
        ):
            publication = publish(settings.reports_dir, manifest, destination, policy)
    except (PolicyNotMet, Locked, EvalkitError, OSError) as exc:
        message = f"{exc}" if isinstance(exc, EvalkitError) else f"cannot publish: {exc}"
        record.log(message + ". The destination keeps its previous set.")
        record.stage(StageRecord("publish", "failed", EXIT_NOT_PUBLISHED, _since(started), message))
        return EXIT_NOT_PUBLISHED
    record.summary.published = publication
    message = f"Published {len(publication.files)} files ({publication.set})."
    record.log(message)
    record.stage(StageRecord("publish", "ok", EXIT_OK, _since(started), message))
    return EXIT_OK


def _hook(record: RunRecord, command: str, exit_code: int) -> None:
    """Run the ``--on-failure`` command, told the exit code and where the summary is."""
    env = {
        **os.environ,
        "EVALKIT_EXIT_CODE": str(exit_code),
        "EVALKIT_RUN_SUMMARY": str(record.folder / "summary.json"),
        "EVALKIT_RUN_LOG": str(record.folder / "run.log"),
    }
    try:
        done = subprocess.run(
            command, shell=True, env=env, timeout=HOOK_TIMEOUT, capture_output=True, check=False
        )
        record.log(f"--on-failure command ended with exit code {done.returncode}.")
    except (OSError, subprocess.TimeoutExpired) as exc:
        record.log(f"--on-failure command did not finish: {type(exc).__name__}.")


def finish(record: RunRecord, exit_code: int, options: RouteOptions, logs_dir: Path) -> int:
    """End the record, run the failure hook if the run failed, prune old records."""
    record.log(f"Exit code {exit_code}. Run record: {record.folder}")
    record.finish(exit_code)
    if exit_code != EXIT_OK and options.on_failure:
        _hook(record, options.on_failure, exit_code)
    prune_runs(logs_dir, options.keep)
    return exit_code


def run_route(settings: Settings, options: RouteOptions) -> tuple[int, RunRecord]:
    """Run every stage of the route under the lock, record it, and publish if asked.

    Returns:
        The exit code (the first failing stage's, else 0; see the module's constants
        and :data:`evalkit.route.lock.EXIT_LOCKED`) and the run's record.

    Raises:
        evalkit.errors.Interrupted: SIGTERM or SIGINT stopped the run; the record says
            where (its exit code is set).
    """
    record = RunRecord(settings.logs_dir, "run", echo=options.echo)
    record.log(f"evalkit run {record.summary.id}")
    code = EXIT_OK
    try:
        with run_lock(
            [settings.processed_dir, settings.reports_dir],
            command="run",
            wait=options.wait,
            started=record.summary.started,
        ) as lock:
            for holder in lock.cleared:
                words = f"Cleared a stale lock left by {holder.describe()}, which has ended."
                record.summary.lock_cleared.append(words)
                record.log(words)
            if settings.raw_dir.is_dir():
                record.summary.input_hashes = input_hashes(settings.raw_dir, settings.interim_dir)
            code = _stages(record, settings, options)
            if options.publish is not None and code in (EXIT_OK, EXIT_FAILED):
                published = publish_stage(
                    record, settings, options.publish, options.policy, options.wait
                )
                code = code or published
    except Locked as exc:
        record.log(f"Refused: {exc}")
        code = EXIT_LOCKED
    except (Interrupted, KeyboardInterrupt) as exc:
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        finish(record, code, options, settings.logs_dir)
        raise
    return finish(record, code, options, settings.logs_dir), record


def _stages(record: RunRecord, settings: Settings, options: RouteOptions) -> int:
    """Run :data:`STAGES` in order until one fails; keep the notebooks the build made."""
    code = EXIT_OK
    planned: set[str] = set()
    for stage in STAGES:
        if code != EXIT_OK:
            record.stage(StageRecord(stage.name, "not run"))
        elif not stage.needed(settings):
            record.stage(StageRecord(stage.name, "skipped"))
        else:
            result = _run_stage(record, stage, settings, options)
            code, planned = result.exit_code, planned | set(result.packs)
    if planned:
        manifest = read_manifest(settings.reports_dir / MANIFEST_FILE)
        packs = PackCounts.from_manifest(manifest, only=planned)
        record.summary.packs = packs
        record.keep_notebooks(settings.reports_dir, packs.built + packs.failed)
        record.save()
    return code


def publish_route(
    settings: Settings, destination: Path, policy: Policy, *, wait: float, keep: int
) -> int:
    """``evalkit publish``: publish the reports under their lock, with a run record of its own."""
    options = RouteOptions(wait=wait, keep=keep, policy=policy)
    record = RunRecord(settings.logs_dir, "publish")
    try:
        with run_lock(
            [settings.reports_dir], command="publish", wait=wait, started=record.summary.started
        ):
            code = publish_stage(record, settings, destination, policy, wait)
    except Locked as exc:
        record.log(f"Refused: {exc}")
        code = EXIT_LOCKED
    return finish(record, code, options, settings.logs_dir)
