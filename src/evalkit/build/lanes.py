"""Driving the lanes: jobs shared out over warm kernels, with a progress bar.

One lane per worker takes the next job from a shared queue until it is empty, then
shuts its kernel down. A lane's kernel is replaced after :data:`JOBS_PER_KERNEL` jobs
(its heap creeps up by a megabyte or two per PDF). Jobs marked ``alone`` (the
overview, the largest) run last, one lane, after the other lanes have shut their
kernels down, so their peak memory never adds to the others'.

A job's files land (:meth:`evalkit.build.job.Staging.commit`) and are reported
(``on_done``, which rewrites the manifest and the index) in one stretch of code with no
``await``: a stop, which arrives as a cancellation at an ``await`` (see
:mod:`evalkit.build.kernels`), falls before or after it, never inside. On a stop no new
job starts, the running jobs are cancelled (each removes its staging folder), and every
kernel is killed and its temporary folder removed before the stop goes on up.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import deque
from collections.abc import Callable

from evalkit.build.job import build_one
from evalkit.build.kernels import Lane, release_memory, run_coroutine
from evalkit.build.records import BuildJob, JobOutcome

#: Jobs a kernel runs before it is replaced by a fresh one (bounds its memory).
JOBS_PER_KERNEL = 20

#: Called with each job as it finishes: its outcome and its seconds.
OnDone = Callable[[BuildJob, JobOutcome, float], None]


async def _drive(lane: Lane, queue: deque[BuildJob], on_done: OnDone) -> None:
    """Run jobs from the queue in one lane until it is empty; then stop the kernel."""
    await lane.start()
    done = 0
    while queue:
        job = queue.popleft()
        start = time.perf_counter()
        outcome, staging = await build_one(lane, job)
        try:
            task = asyncio.current_task()
            if task is not None and task.cancelling():  # a stop someone swallowed
                raise asyncio.CancelledError
            if staging is not None:
                staging.commit()
            on_done(job, outcome, time.perf_counter() - start)
        finally:
            if staging is not None:
                staging.discard()
        release_memory()
        done += 1
        # As web servers recycle their workers: a fresh kernel now and then.
        if queue and done >= JOBS_PER_KERNEL:
            await lane.restart()
            done = 0
    await lane.stop()  # as soon as there is nothing left for this lane


async def _run(jobs: list[BuildJob], workers: int, on_done: OnDone) -> None:
    """Run the shared jobs on every lane, then the ``alone`` ones on the first.

    If one lane raises or the build is stopped, the other lanes' jobs are cancelled
    and waited for, then every kernel is shut down (killed at once on a stop).
    """
    shared = deque(job for job in jobs if not job.alone)
    last = deque(job for job in jobs if job.alone)
    lanes = [Lane() for _ in range(workers)]
    tasks: list[asyncio.Task[None]] = []
    finished = False
    try:
        tasks = [asyncio.create_task(_drive(lane, shared, on_done)) for lane in lanes]
        await asyncio.gather(*tasks)
        if last:
            tasks = [asyncio.create_task(_drive(lanes[0], last, on_done))]
            await tasks[0]
        finished = True
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        stops = (lane.stop(kill=not finished) for lane in lanes)
        await asyncio.gather(*stops, return_exceptions=True)


def run_jobs(jobs: list[BuildJob], workers: int, on_done: OnDone, *, progress: bool) -> None:
    """Run the jobs on ``workers`` warm kernels, calling ``on_done`` as each one lands."""
    from tqdm import tqdm

    bar = tqdm(
        total=len(jobs), desc="Evidence packs", unit="pack", file=sys.stderr, disable=not progress
    )

    def landed(job: BuildJob, outcome: JobOutcome, seconds: float) -> None:
        on_done(job, outcome, seconds)
        if outcome.failure:
            bar.write(f"FAILED {job.id}: {outcome.failure.name}: {outcome.failure.message}")
        if outcome.messages:
            bar.write(f"WARNINGS {job.id}: kept out of the pack, in {outcome.log}")
        bar.update(1)

    try:
        run_coroutine(_run(jobs, workers, landed))
    finally:
        bar.close()
