"""Benchmark: validation, preparation and scoring of a large synthetic portfolio.

Prints wall times (median of repeats) and the ratio of scoring the whole portfolio at
once against the naive way: one partnership at a time, run side by side on the same data.

    python benchmarks/bench_data.py [--partnerships 1000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from evalkit.config import Settings
from evalkit.inputs.dataset import load_tables
from evalkit.inputs.prepare import prepare
from evalkit.inputs.synth import synthesise
from evalkit.inputs.validate import validate
from evalkit.method.framework import load_frameworks
from evalkit.method.run import compute
from evalkit.method.scoring import score_all

OUT = Path(__file__).resolve().parent / "out"


def timed(func, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=100,
        help="partnerships scored one at a time (then scaled up)",
    )
    args = parser.parse_args()
    frameworks = load_frameworks()
    with tempfile.TemporaryDirectory() as tmp:
        raw, processed = Path(tmp) / "raw", Path(tmp) / "processed"
        t_synth, counts = timed(lambda: synthesise(args.partnerships, 7, raw), 1)
        rows = sum(counts.values())
        t_validate, result = timed(lambda: validate(raw, frameworks), args.repeats)
        assert result.report.valid, result.report.summary()[:2000]
        settings = Settings().with_paths(
            raw_dir=raw, interim_dir=Path(tmp) / "interim", processed_dir=processed
        )
        t_prepare, _ = timed(lambda: prepare(settings, frameworks), 1)
        tables = load_tables(processed)
        t_score, _ = timed(lambda: compute(tables, frameworks, settings), args.repeats)
        t_batch, _ = timed(
            lambda: score_all(
                tables["responses"], tables["checklist"], tables["organisations"], frameworks
            ),
            args.repeats,
        )
        ids = sorted(tables["partnerships"]["partnership_id"])[: args.naive_sample]

        def one_at_a_time():
            for pid in ids:
                score_all(
                    tables["responses"][tables["responses"]["partnership_id"] == pid],
                    tables["checklist"][tables["checklist"]["partnership_id"] == pid],
                    tables["organisations"],
                    frameworks,
                )

        t_naive_sample, _ = timed(one_at_a_time, 1)
        t_naive = t_naive_sample / len(ids) * len(tables["partnerships"])
    figures = {
        "partnerships": args.partnerships,
        "input_rows": rows,
        "synthesise_s": round(t_synth, 2),
        "validate_s": round(t_validate, 2),
        "validate_rows_per_s": round(rows / t_validate),
        "prepare_s": round(t_prepare, 2),
        "score_and_findings_s": round(t_score, 2),
        "score_all_at_once_s": round(t_batch, 2),
        "score_one_at_a_time_s_estimated": round(t_naive, 2),
        "naive_over_batch_ratio": round(t_naive / t_batch, 1),
    }
    print(f"Synthetic portfolio: {args.partnerships} partnerships, {rows:,} input rows")
    print(f"  synthesise                       {t_synth:7.2f} s")
    print(
        f"  validate (median of {args.repeats})            {t_validate:7.2f} s "
        f"({rows / t_validate:,.0f} rows/s)"
    )
    print(f"  prepare (validate + write)       {t_prepare:7.2f} s")
    print(f"  score + VfM + findings           {t_score:7.2f} s")
    print(f"  scoring, whole portfolio at once {t_batch:7.2f} s")
    print(
        f"  scoring, one partnership at a time (naive; {len(ids)} timed, scaled) {t_naive:7.2f} s"
    )
    print(f"  ratio naive / at once            {t_naive / t_batch:7.1f}x")
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_data.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
