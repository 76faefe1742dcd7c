"""Benchmark: evidence-pack build against the naive loop, side by side, same partnerships.

The naive way, per pack: the ``papermill`` command line, then
``jupyter nbconvert --to html --no-input``, then the ``weasyprint`` command line.
evalkit's way: ``run_build`` with N workers (warm IPC kernels, in-process HTML and PDF).

    python benchmarks/bench_build.py [--partnerships 100] [--sample 10] [--workers 2]

Prints per-pack wall time, peak memory (the whole process tree, sampled every 50 ms),
the ratio naive / evalkit, and the time of a rebuild when nothing changed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from evalkit.build import PACK_NOTEBOOK, BuildOptions, run_build
from evalkit.config import Settings
from evalkit.dataset import load_tables
from evalkit.framework import load_frameworks
from evalkit.prepare import prepare
from evalkit.scoring_run import run_scoring
from evalkit.synth import synthesise

OUT = Path(__file__).resolve().parent / "out"
BIN = Path(sys.executable).parent


class PeakMemory:
    """Sample the resident memory of this process and all its children."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak / 1e6


def naive(ids: list[str], processed: Path, out: Path) -> list[float]:
    """Three command-line tools per pack; returns per-pack wall times."""
    times = []
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for pid in ids:
        start = time.perf_counter()
        nb = out / f"{pid}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(PACK_NOTEBOOK),
                str(nb),
                "-p",
                "partnership_id",
                pid,
                "-p",
                "processed_dir",
                str(processed),
                "--cwd",
                str(PACK_NOTEBOOK.parent),
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
            check=True,
            capture_output=True,
            env=env,
        )
        subprocess.run(
            [str(BIN / "weasyprint"), str(nb.with_suffix(".html")), str(nb.with_suffix(".pdf"))],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=100)
    parser.add_argument(
        "--sample", type=int, default=10, help="packs built both ways, side by side"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        settings = Settings().with_paths(
            raw_dir=base / "raw", processed_dir=base / "processed", reports_dir=base / "reports"
        )
        synthesise(args.partnerships, 7, settings.raw_dir)
        frameworks = load_frameworks()
        assert prepare(settings, frameworks).report.valid
        run_scoring(settings, frameworks)
        parts = load_tables(settings.processed_dir, ["partnerships"])["partnerships"]
        ids = sorted(parts.loc[parts["in_scope"].fillna(False).astype(bool), "partnership_id"])
        sample = ids[: args.sample]
        naive_dir = base / "naive"
        naive_dir.mkdir()
        print(
            f"{len(ids)} in-scope synthetic packs; {len(sample)} built both ways "
            f"({args.workers} workers for evalkit)",
            flush=True,
        )
        with PeakMemory() as naive_mem:
            naive_times = naive(sample, settings.processed_dir, naive_dir)
        with PeakMemory() as sample_mem:
            start = time.perf_counter()
            result = run_build(
                settings,
                BuildOptions(only=tuple(sample), workers=args.workers, force=True, progress=False),
            )
            sample_wall = time.perf_counter() - start
        assert result.ok, result.summary()
        with PeakMemory() as full_mem:
            start = time.perf_counter()
            full = run_build(settings, BuildOptions(workers=args.workers, progress=False))
            full_wall = time.perf_counter() - start
        assert full.ok, full.summary()
        start = time.perf_counter()
        again = run_build(settings, BuildOptions(workers=args.workers, progress=False))
        rebuild_wall = time.perf_counter() - start
        assert again.built == []
        start = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "evalkit"),
                "build",
                "--processed",
                str(settings.processed_dir),
                "--reports",
                str(settings.reports_dir),
                "--no-progress",
            ],
            check=True,
            capture_output=True,
        )
        rebuild_cli = time.perf_counter() - start
    naive_per = statistics.mean(naive_times)
    evalkit_per = sample_wall / len(sample)
    figures = {
        "machine_cores": os.cpu_count(),
        "workers": args.workers,
        "packs_side_by_side": len(sample),
        "naive_per_pack_s": round(naive_per, 2),
        "naive_median_pack_s": round(statistics.median(naive_times), 2),
        "naive_peak_mb": round(naive_mem.mb),
        "evalkit_per_pack_s": round(evalkit_per, 2),
        "evalkit_sample_wall_s": round(sample_wall, 1),
        "evalkit_sample_peak_mb": round(sample_mem.mb),
        "speedup_naive_over_evalkit": round(naive_per / evalkit_per, 1),
        "full_build_packs": len(full.built),
        "full_build_wall_s": round(full_wall, 1),
        "full_build_per_pack_s": round(full_wall / max(1, len(full.built)), 2),
        "full_build_peak_mb": round(full_mem.mb),
        "no_change_rebuild_packs": len(again.skipped),
        "no_change_rebuild_s": round(rebuild_wall, 2),
        "no_change_rebuild_cli_s": round(rebuild_cli, 2),
    }
    print(
        f"naive loop (papermill CLI + nbconvert CLI + weasyprint CLI): "
        f"{naive_per:.2f} s per pack, peak {naive_mem.mb:.0f} MB"
    )
    print(
        f"evalkit build, {args.workers} workers, same {len(sample)} packs: "
        f"{evalkit_per:.2f} s per pack, peak {sample_mem.mb:.0f} MB"
    )
    print(f"speed-up (naive / evalkit per pack): {naive_per / evalkit_per:.1f}x")
    print(
        f"full build of {len(full.built)} more packs + overview: {full_wall:.1f} s, "
        f"peak {full_mem.mb:.0f} MB"
    )
    print(
        f"no-change rebuild of {len(again.skipped)} packs: {rebuild_wall:.2f} s in-process, "
        f"{rebuild_cli:.2f} s as a fresh `evalkit build` command"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_build.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
