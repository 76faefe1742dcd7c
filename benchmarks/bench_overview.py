"""Benchmark: the portfolio overview at scale (pages, file sizes, seconds, peak memory).

For each portfolio size it prepares and scores a portfolio (the bundled sample for
``sample``, otherwise ``evalkit synth`` with seed 7), then builds the overview alone (the
notebook on one warm kernel, its page and its PDF, as ``evalkit build`` does) as a
separate command, measured like :mod:`bench_build`: wall time and the peak memory of
the command's whole process tree (kernel and WeasyPrint included), sampled every 100 ms.

    python benchmarks/bench_overview.py [--partnerships sample 200 1000]

The overview should not grow with the portfolio: about 30 printed pages and under
600 MB at 1,000 partnerships.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench_build import OUT, Run, mb

from evalkit.build.plan import OVERVIEW_ID
from evalkit.config import PROJECT_ROOT, Settings
from evalkit.inputs.intake import import_surveys, ingest_returns, returns_inbox
from evalkit.inputs.prepare import prepare
from evalkit.inputs.synth import synthesise
from evalkit.method.framework import load_frameworks
from evalkit.method.run import run_scoring


def build_overview_only(processed: str, reports: str, logs: str) -> None:
    """Build just the overview (run in the measured child process)."""
    from evalkit.build.lanes import run_jobs
    from evalkit.build.plan import plan_build
    from evalkit.build.records import BuildOptions
    from evalkit.method.results import ScoredFolder

    settings = Settings().with_paths(processed_dir=processed, reports_dir=reports)
    plan = plan_build(settings, BuildOptions(), ScoredFolder.open(processed), {})
    jobs = [job for job in plan.jobs if job.id == OVERVIEW_ID]
    jobs = [replace(job, log=Path(logs) / "overview.log") for job in jobs]
    failures: list[str] = []
    run_jobs(
        jobs,
        1,
        lambda job, outcome, _s: failures.append(str(outcome.failure)) if outcome.failure else None,
        progress=False,
    )
    if failures:
        raise SystemExit(f"overview failed: {failures}")


def pages(pdf: Path) -> int:
    """The PDF's page count (poppler's ``pdfinfo``)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(li.split()[-1] for li in info.stdout.splitlines() if li.startswith("Pages")))


def _kept_returns(sample: Path) -> Callable[[str, list[str]], list[str]]:
    """Leave out the returns a run in this checkout kept; the inbox is the sample's."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        if Path(folder) == sample / "returns":
            return [name for name in names if name != "inbox"]
        return []

    return ignore


def measure(size: str, base: Path, label: str) -> dict[str, object]:
    """Prepare and score a portfolio of ``size``, then build and measure its overview."""
    settings = Settings().with_paths(
        raw_dir=base / "raw",
        interim_dir=base / "interim",
        processed_dir=base / "processed",
        reports_dir=base / "reports",
    )
    frameworks = load_frameworks()
    if size == "sample":  # as `evalkit run` does: the returns and the survey export first
        sample = PROJECT_ROOT / "data" / "raw"
        shutil.copytree(sample, settings.raw_dir, ignore=_kept_returns(sample))
        ingest_returns(settings, frameworks, returns_inbox(settings), accept_problems=True)
        import_surveys(settings, frameworks)
    else:
        synthesise(int(size), 7, settings.raw_dir)
    assert prepare(settings, frameworks).report.valid
    run_scoring(settings, frameworks)
    (base / "logs").mkdir()
    run = Run(
        [
            sys.executable,
            __file__,
            "--overview-only",
            str(settings.processed_dir),
            str(settings.reports_dir),
            str(base / "logs"),
        ]
    )
    folder = settings.reports_dir / OVERVIEW_ID
    html = next(folder.glob("*.html"))
    pdf = next(folder.glob("*.pdf"))
    xlsx = sorted(folder.glob("*.xlsx"))
    figures: dict[str, object] = {
        "partnerships": size,
        "pages": pages(pdf),
        "html_mb": round(html.stat().st_size / 1e6, 2),
        "pdf_mb": round(pdf.stat().st_size / 1e6, 2),
        "downloads_mb": round(
            sum(p.stat().st_size for p in folder.iterdir() if p.suffix in {".xlsx", ".csv"}) / 1e6,
            2,
        ),
        "seconds": round(run.seconds, 1),
        "peak_rss_mb": mb(run.peak_rss),
        "peak_pss_mb": mb(run.peak_pss),
    }
    if xlsx:
        figures["workbook"] = xlsx[0].name
    keep = OUT / f"{label}-{size}"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.copytree(folder, keep)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", nargs="+", default=["sample", "200", "1000"])
    parser.add_argument("--overview-only", nargs=3, metavar=("PROCESSED", "REPORTS", "LOGS"))
    parser.add_argument("--label", default="overview", help="name of the JSON file written")
    args = parser.parse_args()
    if args.overview_only:
        build_overview_only(*args.overview_only)
        return
    OUT.mkdir(exist_ok=True)
    results = []
    for size in args.partnerships:
        with tempfile.TemporaryDirectory() as tmp:
            figures = measure(size, Path(tmp), args.label)
        results.append(figures)
        print(
            f"{size} partnerships: {figures['pages']} pages, HTML {figures['html_mb']} MB, "
            f"PDF {figures['pdf_mb']} MB, downloads {figures['downloads_mb']} MB, "
            f"{figures['seconds']} s, peak {figures['peak_rss_mb']} MB RSS / "
            f"{figures['peak_pss_mb']} MB PSS",
            flush=True,
        )
    (OUT / f"bench_{args.label}.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
