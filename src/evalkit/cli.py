"""The ``evalkit`` command.

Exit codes: 0 success; 1 some evidence packs failed to build; 2 invalid input or
usage (every problem is listed first, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit import __version__
from evalkit.config import Settings
from evalkit.errors import EvalkitError, Interrupted

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID = 2


def _settings(args: argparse.Namespace) -> Settings:
    return Settings().with_paths(
        raw_dir=getattr(args, "raw", None),
        processed_dir=getattr(args, "processed", None),
        reports_dir=getattr(args, "reports", None),
    )


def _frameworks(settings: Settings) -> dict[str, Framework]:
    from evalkit.method.framework import framework_dirs, load_frameworks

    return load_frameworks(framework_dirs(settings))


def _cmd_validate(args: argparse.Namespace) -> int:
    from evalkit.inputs.validate import validate

    settings = _settings(args)
    path = Path(args.path) if args.path else settings.raw_dir
    frameworks = _frameworks(settings.with_paths(raw_dir=path))
    report = validate(path, frameworks).report
    print(report.to_json() if args.json else report.summary())
    return EXIT_OK if report.valid else EXIT_INVALID


def _cmd_prepare(args: argparse.Namespace) -> int:
    from evalkit.inputs.prepare import REPORT_FILE, prepare

    settings = _settings(args)
    result = prepare(settings, _frameworks(settings))
    print(result.report.summary())
    if not result.report.valid:
        print(f"Nothing written to {settings.processed_dir} except {REPORT_FILE}.")
        return EXIT_INVALID
    print(f"Prepared {len(result.tables)} tables in {settings.processed_dir}")
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from evalkit.inputs.synth import synthesise

    counts = synthesise(args.partnerships, args.seed, Path(args.out), rounds=args.rounds)
    for table, rows in counts.items():
        print(f"{table:15} {rows:>9,} rows")
    print(f"Synthetic portfolio (invented data) written to {args.out}")
    return EXIT_OK


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from evalkit.method import framework as fw

    settings = _settings(args)
    if args.action == "validate":
        problems = fw.validate_framework_file(Path(args.target))
        for problem in problems:
            print(problem)
        print(f"{args.target}: {'valid' if not problems else 'INVALID'}")
        return EXIT_OK if not problems else EXIT_INVALID
    frameworks = _frameworks(settings)
    if args.action == "list":
        rows = fw.list_rows(frameworks)
        header = f"{'id':22} {'mode':9} {'scale':10} {'dims':>4} {'items':>5} bands  title"
        print(header)
        for row in rows:
            print(
                f"{row['id']:22} {row['mode']:9} {row['scale']:10} {row['dimensions']:>4} "
                f"{row['items']:>5} {row['bands']:6} {row['title']}"
            )
        return EXIT_OK
    if args.action == "show":
        if args.target not in frameworks:
            raise EvalkitError(
                f"no framework '{args.target}'; known: {', '.join(sorted(frameworks))}"
            )
        print(fw.describe(frameworks[args.target]))
        return EXIT_OK
    raise EvalkitError(f"unknown frameworks action {args.action}")


def _cmd_docs(args: argparse.Namespace) -> int:
    from evalkit.docs import write_docs

    for path in write_docs(Path(args.out)):
        print(f"wrote {path}")
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from evalkit.method.run import run_scoring

    settings = _settings(args)
    summary = run_scoring(settings, _frameworks(settings), lower_on_disagreement=args.lower)
    print(summary)
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    from evalkit.build import BuildOptions, run_build

    settings = _settings(args)
    options = BuildOptions(
        only=tuple(args.only or ()),
        workers=args.workers,
        formats=tuple(f.strip() for f in args.formats.split(",") if f.strip()),
        force=args.force,
        timeout=args.timeout,
        progress=not args.no_progress,
        round=args.round,
    )
    result = run_build(settings, options)
    print(result.summary())
    return EXIT_OK if result.ok else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    from evalkit.build.formats import FORMATS

    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Map, evidence, score and report on a council's partnerships.",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def paths(p: argparse.ArgumentParser, raw: bool = True, reports: bool = False) -> None:
        if raw:
            p.add_argument("--raw", metavar="DIR", help="input folder (default data/raw)")
        p.add_argument(
            "--processed", metavar="DIR", help="processed folder (default data/processed)"
        )
        if reports:
            p.add_argument("--reports", metavar="DIR", help="output folder (default reports)")

    p = sub.add_parser("validate", help="check input tables and list every problem")
    p.add_argument("path", nargs="?", help="folder of CSV/Excel input (default data/raw)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("prepare", help="validate data/raw and write typed tables to data/processed")
    paths(p)
    p.set_defaults(func=_cmd_prepare)

    p = sub.add_parser("synth", help="write a seeded synthetic portfolio (invented data)")
    p.add_argument("--partnerships", type=int, default=100, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--rounds", type=int, default=1, metavar="N", help="assessment rounds, latest last"
    )
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("frameworks", help="list, show or validate evaluation frameworks")
    p.add_argument("action", choices=["list", "show", "validate"])
    p.add_argument("target", nargs="?", help="framework id (show) or YAML file (validate)")
    p.add_argument("--raw", metavar="DIR", help="input folder whose frameworks/ adds frameworks")
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser("docs", help="regenerate docs/data-contract.md and docs/frameworks.md")
    p.add_argument("--out", default="docs", metavar="DIR")
    p.set_defaults(func=_cmd_docs)

    p = sub.add_parser("score", help="score every partnership and write findings")
    paths(p)
    p.add_argument(
        "--lower",
        action="store_true",
        help="where organisations disagree, take the lower organisation score",
    )
    p.set_defaults(func=_cmd_score)

    formats = ",".join(FORMATS)
    p = sub.add_parser("build", help="build evidence packs (HTML and PDF) and the overview")
    paths(p, reports=True)
    p.add_argument("--only", nargs="+", metavar="ID", help="build only these partnerships")
    p.add_argument("--workers", type=int, default=None, help="parallel workers (default: cores)")
    p.add_argument("--formats", default=formats, help=f"comma-separated, any of: {formats}")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.add_argument(
        "--round", metavar="ROUND", help="assessment round to build (default: the latest scored)"
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="time limit per pack, seconds (the notebook, HTML and PDF together)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_build)
    return parser


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`~evalkit.errors.Interrupted` in the main thread.

    Work unwinds through its ``finally`` blocks (kernels stopped, temporary files
    removed); the previous handlers are restored afterwards.
    """
    wanted = (signal.SIGTERM, signal.SIGINT)
    previous = {signum: signal.signal(signum, _raise_interrupted) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "frameworks" and args.action in ("show", "validate") and not args.target:
        parser.error(f"frameworks {args.action} needs a target")
    try:
        with stop_on_signals():
            return int(args.func(args))
    except EvalkitError as exc:
        print(f"evalkit: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except Interrupted as exc:
        print(f"evalkit: stopped by {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("evalkit: stopped by SIGINT", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
