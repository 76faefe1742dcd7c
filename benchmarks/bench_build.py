"""Benchmark: evidence-pack build against the naive loop, side by side, same partnerships.

The naive way, per pack: the ``papermill`` command line, then
``jupyter nbconvert --to html --no-input``, then the ``weasyprint`` command line.
evalkit's way: the ``evalkit build`` command line with N workers (warm IPC kernels).

    python benchmarks/bench_build.py [--partnerships 100] [--sample 10] [--workers 2]

Both ways run as separate commands, so each is measured alone: wall time, and peak
memory of the command's whole process tree, sampled every 100 ms, both as the sum of
resident set sizes (RSS: shared libraries counted once per process, the cautious
figure) and as the sum of proportional set sizes (PSS: shared pages split between the
processes that share them). Also printed: a full build of the remaining packs and a
rebuild when nothing changed (in-process and as a fresh command).
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

from evalkit.build import BuildOptions, run_build
from evalkit.build.plan import PACK_NOTEBOOK
from evalkit.config import Settings
from evalkit.inputs.dataset import load_tables
from evalkit.inputs.prepare import prepare
from evalkit.inputs.synth import synthesise
from evalkit.method.framework import load_frameworks
from evalkit.method.run import run_scoring

OUT = Path(__file__).resolve().parent / "out"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


class Run:
    """Run one command; record its wall time and its process tree's peak memory."""

    def __init__(self, command: list[str]) -> None:
        self.peak_rss = 0
        self.peak_pss = 0
        #: At the moment of the peak PSS: each process's role and its PSS in bytes.
        self.at_peak: list[tuple[str, int]] = []
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, text=True
        )
        done = threading.Event()
        sampler = threading.Thread(target=self._sample, args=(proc.pid, done), daemon=True)
        sampler.start()
        self.stdout, self.stderr = proc.communicate()
        self.seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{self.stderr[-2000:]}")

    def _sample(self, pid: int, done: threading.Event) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        while not done.is_set():
            rss = pss = 0
            parts = []
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in tree:
                try:
                    info = proc.memory_full_info()
                    role = "main" if proc is root else _role(proc)
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                parts.append((role, getattr(info, "pss", info.rss)))
            self.peak_rss = max(self.peak_rss, rss)
            if pss > self.peak_pss:
                self.peak_pss, self.at_peak = pss, parts
            done.wait(0.1)


def _role(proc: psutil.Process) -> str:
    """A child process's role, from its command line: ``kernel`` or the program's name."""
    command = proc.cmdline()
    if any("ipykernel" in part or "kernel_main" in part for part in command):
        return "kernel"
    return Path(command[0]).name if command else "?"


def breakdown(run: Run) -> str:
    """Who held the memory at the peak: ``main 98 + kernel 251 + kernel 262 MB PSS``."""
    return " + ".join(f"{role} {mb(pss)}" for role, pss in run.at_peak) + " MB PSS"


def naive(ids: list[str], processed: Path, out: Path) -> tuple[list[float], int, int]:
    """Three command-line tools per pack: per-pack wall times, peak RSS and PSS."""
    times, rss, pss = [], 0, 0
    for pid in ids:
        nb = out / f"{pid}.ipynb"
        steps = [
            Run(
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
                ]
            ),
            Run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)]),
            Run(
                [
                    str(BIN / "weasyprint"),
                    str(nb.with_suffix(".html")),
                    str(nb.with_suffix(".pdf")),
                ]
            ),
        ]
        times.append(sum(step.seconds for step in steps))
        rss = max(rss, *(step.peak_rss for step in steps))
        pss = max(pss, *(step.peak_pss for step in steps))
    return times, rss, pss


def evalkit_build(settings: Settings, *extra: str) -> Run:
    """``evalkit build`` as a fresh command on the benchmark's folders."""
    return Run(
        [
            str(BIN / "evalkit"),
            "build",
            "--raw",
            str(settings.raw_dir),
            "--processed",
            str(settings.processed_dir),
            "--reports",
            str(settings.reports_dir),
            "--no-progress",
            *extra,
        ]
    )


def mb(value: int) -> int:
    """Bytes to whole megabytes (10^6)."""
    return round(value / 1e6)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=100)
    parser.add_argument(
        "--sample", type=int, default=10, help="packs built both ways, side by side"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--sample-only",
        action="store_true",
        help="stop after the side-by-side packs (no full build, no rebuild)",
    )
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    print(f"load average before (1, 5, 15 min): {load_before}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        settings = Settings().with_paths(
            raw_dir=base / "raw",
            interim_dir=base / "interim",
            processed_dir=base / "processed",
            reports_dir=base / "reports",
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
        naive_times, naive_rss, naive_pss = naive(sample, settings.processed_dir, naive_dir)
        naive_per = statistics.mean(naive_times)
        print(
            f"naive loop (papermill CLI + nbconvert CLI + weasyprint CLI), {len(sample)} packs: "
            f"{naive_per:.2f} s per pack (median {statistics.median(naive_times):.2f} s), "
            f"peak {mb(naive_rss)} MB RSS / {mb(naive_pss)} MB PSS",
            flush=True,
        )
        workers = ["--workers", str(args.workers)]
        side = evalkit_build(settings, "--only", *sample, "--force", *workers)
        evalkit_per = side.seconds / len(sample)
        print(
            f"evalkit build, {args.workers} workers, the same {len(sample)} packs: "
            f"{evalkit_per:.2f} s per pack, peak {mb(side.peak_rss)} MB RSS / "
            f"{mb(side.peak_pss)} MB PSS ({breakdown(side)})",
            flush=True,
        )
        print(f"speed-up per pack (naive / evalkit): {naive_per / evalkit_per:.1f}x", flush=True)
        figures = {
            "load_average_before": load_before,
            "load_average_after_sample": [round(x, 2) for x in os.getloadavg()],
            "machine_cores": os.cpu_count(),
            "workers": args.workers,
            "packs_side_by_side": len(sample),
            "naive_per_pack_s": round(naive_per, 2),
            "naive_median_pack_s": round(statistics.median(naive_times), 2),
            "naive_peak_rss_mb": mb(naive_rss),
            "naive_peak_pss_mb": mb(naive_pss),
            "evalkit_per_pack_s": round(evalkit_per, 2),
            "evalkit_sample_wall_s": round(side.seconds, 1),
            "evalkit_sample_peak_rss_mb": mb(side.peak_rss),
            "evalkit_sample_peak_pss_mb": mb(side.peak_pss),
            "evalkit_sample_at_peak_pss_mb": [[role, mb(pss)] for role, pss in side.at_peak],
            "speedup_naive_over_evalkit": round(naive_per / evalkit_per, 1),
        }
        OUT.mkdir(exist_ok=True)
        (OUT / "bench_build.json").write_text(json.dumps(figures, indent=2) + "\n")
        if args.sample_only:
            return
        full = evalkit_build(settings, *workers)
        manifest = json.loads((settings.reports_dir / "manifest.json").read_text())
        built = sum(1 for rec in manifest["packs"].values() if rec["status"] == "built")
        start = time.perf_counter()
        again = run_build(settings, BuildOptions(workers=args.workers, progress=False))
        rebuild_wall = time.perf_counter() - start
        if again.built or not again.ok:
            # Printed, not asserted, so the figures above are never lost.
            print(f"NOTE: the rebuild was not a no-change rebuild: {again.summary()}")
        rebuild_cli = evalkit_build(settings, *workers)
    full_per = full.seconds / max(1, built + 1)
    figures |= {
        "full_build_packs_plus_overview": built + 1,
        "full_build_wall_s": round(full.seconds, 1),
        "full_build_per_pack_s": round(full_per, 2),
        "full_build_peak_rss_mb": mb(full.peak_rss),
        "full_build_peak_pss_mb": mb(full.peak_pss),
        "no_change_rebuild_packs": len(again.skipped),
        "no_change_rebuild_s": round(rebuild_wall, 2),
        "no_change_rebuild_cli_s": round(rebuild_cli.seconds, 2),
    }
    print(
        f"full build of the other {built} packs + overview: {full.seconds:.1f} s "
        f"({full_per:.2f} s each), peak {mb(full.peak_rss)} MB RSS / "
        f"{mb(full.peak_pss)} MB PSS; speed-up {naive_per / full_per:.1f}x"
    )
    print(
        f"no-change rebuild of {len(again.skipped)} packs: {rebuild_wall:.2f} s in-process, "
        f"{rebuild_cli.seconds:.2f} s as a fresh `evalkit build` command"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_build.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
