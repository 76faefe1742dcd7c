"""The ``evalkit`` command.

Exit codes: 0 success; 1 some evidence packs failed to build, or an internal error;
2 invalid input or usage (every problem is listed first, never a traceback); 130 / 143
stopped by SIGINT / SIGTERM. Every exception ends at :func:`main`: one line on standard
error, and the traceback only with ``--debug``. Everything printed from data goes
through :mod:`evalkit.terminal`, so a value never moves the cursor or splits a line.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit import __version__
from evalkit.config import Settings
from evalkit.errors import EvalkitError, Interrupted
from evalkit.terminal import inert, inert_json, inert_lines

if TYPE_CHECKING:
    from evalkit.build.records import BuildOptions
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
    interim = Path(args.interim) if args.interim else None if args.path else settings.interim_dir
    frameworks = _frameworks(settings.with_paths(raw_dir=path if path.is_dir() else path.parent))
    report = validate(path, frameworks, settings, interim).report
    print(inert_json(report.to_json()) if args.json else report.summary())
    return EXIT_OK if report.valid else EXIT_INVALID


def _cmd_prepare(args: argparse.Namespace) -> int:
    from evalkit.inputs.prepare import REPORT_FILE, prepare

    settings = _settings(args).with_paths(interim_dir=args.interim)
    result = prepare(settings, _frameworks(settings))
    print(result.report.summary())
    if not result.report.valid:
        print(inert(f"Nothing written to {settings.processed_dir} except {REPORT_FILE}."))
        return EXIT_INVALID
    print(inert(f"Prepared {len(result.tables)} tables in {settings.processed_dir}"))
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from evalkit.inputs.synth import synthesise

    counts = synthesise(args.partnerships, args.seed, Path(args.out), rounds=args.rounds)
    for table, rows in counts.items():
        print(f"{table:15} {rows:>9,} rows")
    print(inert(f"Synthetic portfolio (invented data) written to {args.out}"))
    return EXIT_OK


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from evalkit.method import framework as fw

    settings = _settings(args)
    if args.action == "validate":
        problems = fw.validate_framework_file(Path(args.target))
        for problem in problems:
            print(inert(str(problem)))
        print(inert(f"{args.target}: {'valid' if not problems else 'INVALID'}"))
        return EXIT_OK if not problems else EXIT_INVALID
    frameworks = _frameworks(settings)
    if args.action == "list":
        rows = fw.list_rows(frameworks)
        header = f"{'id':22} {'mode':9} {'scale':10} {'dims':>4} {'items':>5} bands  title"
        print(header)
        for row in rows:
            print(
                inert(
                    f"{row['id']:22} {row['mode']:9} {row['scale']:10} {row['dimensions']:>4} "
                    f"{row['items']:>5} {row['bands']:6} {row['title']}"
                )
            )
        return EXIT_OK
    if args.action == "show":
        if args.target not in frameworks:
            raise EvalkitError(
                f"no framework '{args.target}'; known: {', '.join(sorted(frameworks))}"
            )
        print(inert_lines(fw.describe(frameworks[args.target])))
        return EXIT_OK
    raise EvalkitError(f"unknown frameworks action {args.action}")


def _cmd_docs(args: argparse.Namespace) -> int:
    from evalkit.docs import write_docs

    for path in write_docs(Path(args.out)):
        print(inert(f"wrote {path}"))
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from evalkit.method.run import run_scoring

    settings = _settings(args)
    summary = run_scoring(settings, _frameworks(settings), lower_on_disagreement=args.lower)
    print(inert_lines(str(summary)))
    return EXIT_OK


def _build_options(args: argparse.Namespace) -> BuildOptions:
    """The build's options from the command line (``build`` and ``run``).

    The progress bar shows only on a terminal: a log gets the summary alone.
    """
    from evalkit.build import BuildOptions

    return BuildOptions(
        only=tuple(args.only or ()),
        workers=args.workers,
        formats=args.formats,
        force=args.force,
        timeout=args.timeout,
        progress=not args.no_progress and sys.stderr.isatty(),
        round=args.round,
    )


def _cmd_build(args: argparse.Namespace) -> int:
    from evalkit.build import run_build

    settings = _settings(args)
    result = run_build(settings, _build_options(args))
    print(inert_lines(result.summary()))
    return EXIT_OK if result.ok else EXIT_FAILED


def _cmd_run(args: argparse.Namespace) -> int:
    from evalkit.route.run import RouteOptions, keep_from_environment, run_route

    settings = _settings(args)
    options = RouteOptions(
        build=_build_options(args),
        lower=args.lower,
        wait=args.wait,
        keep=args.keep or keep_from_environment(),
        publish=Path(args.publish) if args.publish else None,
        policy=args.policy,
        on_failure=args.on_failure,
    )
    code, _record = run_route(settings, options)
    return code


def _cmd_publish(args: argparse.Namespace) -> int:
    from evalkit.route.run import keep_from_environment, publish_route

    settings = _settings(args)
    keep = args.keep or keep_from_environment()
    return publish_route(settings, Path(args.dest), args.policy, wait=args.wait, keep=keep)


def _cmd_returns(args: argparse.Namespace) -> int:
    from evalkit.inputs import intake
    from evalkit.inputs.returns import ledger, outbox

    settings = _settings(args).with_paths(interim_dir=getattr(args, "interim", None))
    frameworks = _frameworks(settings)
    if args.action == "make":
        paths = outbox.make_returns(
            settings,
            frameworks,
            round_=args.round,
            only=tuple(args.only or ()),
            out=Path(args.out) if args.out else None,
            due=args.due,
            contact=args.contact,
        )
        for path in paths:
            print(inert(f"made {path.name}"))
        folder = paths[0].parent if paths else settings.interim_dir
        print(inert(f"{len(paths)} return(s) in {folder}"))
        return EXIT_OK
    if args.action == "ingest":
        report = intake.ingest_returns(
            settings,
            frameworks,
            Path(args.folder),
            round_=args.round,
            accept_problems=args.accept_problems,
        )
        print(inert_lines("\n".join(report.lines)))
        return report.exit_code
    ids = outbox.register_ids(settings)
    round_ = args.round or ledger.known_round(settings)
    if round_ is None:
        raise EvalkitError("no returns made or received yet; give the round with --round")
    rows = ledger.status(settings, round_, ids)
    frame = ledger.status_frame(rows)
    path = ledger.write_status(settings, round_, frame)
    print(inert_lines(ledger.status_text(frame, round_)))
    print(inert(f"Written to {path}"))
    return EXIT_OK


def _date_arg(text: str) -> object:
    """An argparse type: a date as dd/mm/yyyy or yyyy-mm-dd."""
    import datetime as dt

    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"expected a date as dd/mm/yyyy, got '{inert(text[:40])}'")


def _returns(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("returns", help="officer return workbooks: make, ingest, status")
    actions = p.add_subparsers(
        dest="action",
        required=True,
        metavar="ACTION",
        help="make the workbooks, ingest the returned ones, or show their status (required)",
    )
    make = actions.add_parser("make", help="one return workbook per in-scope partnership")
    make.add_argument(
        "--only",
        nargs="+",
        metavar="ID",
        help="only these partnerships (default: every in-scope one)",
    )
    make.add_argument(
        "--out",
        metavar="DIR",
        help="folder to write the workbooks to (default: <interim>/returns/<round>/sent)",
    )
    make.add_argument(
        "--due",
        type=_date_arg,
        metavar="DATE",
        help="date the returns are due, dd/mm/yyyy (default: none; "
        "the workbook points to the covering e-mail)",
    )
    make.add_argument(
        "--contact",
        metavar="TEXT",
        help="who officers should ask, in words (default: the policy team that sent the workbook)",
    )
    ingest = actions.add_parser("ingest", help="read returned workbooks and check every cell")
    ingest.add_argument("folder", metavar="DIR", help="folder of returned workbooks (required)")
    ingest.add_argument(
        "--accept-problems",
        action="store_true",
        help="exit 0 when returns have cell problems (still listed); refused ones exit 2",
    )
    status = actions.add_parser("status", help="sent, received, valid, problems, missing")
    for command in (make, ingest, status):
        _paths(command)
        command.add_argument(
            "--interim",
            metavar="DIR",
            help="interim folder (default: $EVALKIT_INTERIM, else data/interim)",
        )
        command.add_argument(
            "--round", metavar="ROUND", help="assessment round (default: the latest prepared)"
        )
        _add_debug(command, on_command=True)
    p.set_defaults(func=_cmd_returns)


def _cmd_survey(args: argparse.Namespace) -> int:
    from evalkit.atomic import atomic_write_text
    from evalkit.errors import InputFileError
    from evalkit.inputs import intake
    from evalkit.inputs.survey.export import read_export
    from evalkit.inputs.survey.starter import starter_mapping

    settings = _settings(args)
    export = Path(args.export)
    frameworks = _frameworks(settings)
    if args.action == "mapping":
        if args.framework not in frameworks:
            raise EvalkitError(
                f"no framework '{args.framework}'; known: {', '.join(sorted(frameworks))}"
            )
        out = Path(args.out) if args.out else export.with_suffix(".mapping.yaml")
        if out.exists() and not args.force:
            raise InputFileError(f"{out} exists; give --force to replace it")
        text = starter_mapping(
            read_export(export, settings=settings), frameworks[args.framework], args.round
        )
        atomic_write_text(out, text)
        print(inert(f"Wrote a starter mapping to {out}: check every line marked CHECK."))
        return EXIT_OK
    report = intake.import_survey(
        settings, frameworks, export, Path(args.mapping), Path(args.out) if args.out else None
    )
    print(inert_lines("\n".join(report.lines)))
    return report.exit_code


def whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or value < minimum:
            words = "above 0" if minimum == 1 else f"of at least {minimum}"
            raise argparse.ArgumentTypeError(
                f"expected a whole number {words}, got '{inert(text[:40])}'"
            )
        return value

    parse.__name__ = "whole number"  # argparse names the type in some messages
    return parse


def format_names(text: str) -> tuple[str, ...]:
    """An argparse type: comma-separated output format names from the registry."""
    from evalkit.build.formats import FORMATS

    names = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        found = f"unknown {', '.join(inert(n[:20]) for n in unknown)}" if unknown else "none"
        raise argparse.ArgumentTypeError(
            f"expected one or more of {','.join(FORMATS)}, comma-separated (got {found})"
        )
    return names


def _add_debug(parser: argparse.ArgumentParser, on_command: bool) -> None:
    """``--debug`` on the main parser and on each command (``evalkit build --debug``)."""
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if on_command else False,
        help="on any error, also print the traceback (default: off)",
    )


def _paths(p: argparse.ArgumentParser, raw: bool = True, reports: bool = False) -> None:
    if raw:
        p.add_argument(
            "--raw", metavar="DIR", help="input folder (default: $EVALKIT_RAW, else data/raw)"
        )
    p.add_argument(
        "--processed",
        metavar="DIR",
        help="processed folder (default: $EVALKIT_PROCESSED, else data/processed)",
    )
    if reports:
        p.add_argument(
            "--reports",
            metavar="DIR",
            help="output folder (default: $EVALKIT_REPORTS, else reports)",
        )


def _validate_and_prepare(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="check input tables and list every problem")
    p.add_argument(
        "path",
        nargs="?",
        help="folder of CSV/Excel input, or one workbook or CSV file "
        "(default: $EVALKIT_RAW, else data/raw, with $EVALKIT_INTERIM, else data/interim)",
    )
    p.add_argument(
        "--interim",
        metavar="DIR",
        help="folder of derived tables read with its sub-folders (default: $EVALKIT_INTERIM, "
        "else data/interim, when no PATH is given)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON (default: off)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("prepare", help="validate data/raw and write typed tables to data/processed")
    _paths(p)
    p.add_argument(
        "--interim",
        metavar="DIR",
        help="folder of derived tables read with its sub-folders "
        "(default: $EVALKIT_INTERIM, else data/interim)",
    )
    p.set_defaults(func=_cmd_prepare)


def _synth(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("synth", help="write a seeded synthetic portfolio (invented data)")
    p.add_argument(
        "--partnerships",
        type=whole_number(1),
        default=100,
        metavar="N",
        help="partnerships to invent (default: 100)",
    )
    p.add_argument(
        "--seed", type=whole_number(0), default=1, help="random seed, 0 or more (default: 1)"
    )
    p.add_argument(
        "--rounds",
        type=whole_number(1),
        default=1,
        metavar="N",
        help="assessment rounds, latest last (default: 1)",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (required)")
    p.set_defaults(func=_cmd_synth)


def _frameworks_and_docs(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("frameworks", help="list, show or validate evaluation frameworks")
    p.add_argument(
        "action",
        choices=["list", "show", "validate"],
        help="list every framework, show one, or validate a YAML file (required)",
    )
    p.add_argument(
        "target",
        nargs="?",
        help="framework id (show) or YAML file (validate) (default: none; needed by show "
        "and validate)",
    )
    p.add_argument(
        "--raw",
        metavar="DIR",
        help="input folder whose frameworks/ adds frameworks (default: $EVALKIT_RAW, else "
        "data/raw)",
    )
    p.set_defaults(func=_cmd_frameworks)

    p = sub.add_parser("docs", help="regenerate docs/data-contract.md and docs/frameworks.md")
    p.add_argument("--out", default="docs", metavar="DIR", help="output folder (default: docs)")
    p.set_defaults(func=_cmd_docs)


def _cmd_rounds(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from evalkit.inputs.dataset import load_tables
    from evalkit.inputs.history import find_snapshots
    from evalkit.inputs.returns.ledger import current, returns_raw_dir
    from evalkit.method.rounds import coverage, coverage_text

    settings = _settings(args)
    folder = returns_raw_dir(settings)
    kept = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    # a folder without receipts (the inbox of returns not yet ingested) is not a round
    received = {r: n for r in kept if (n := len(current(settings, r)))}
    snapshots = [s.round for s in find_snapshots(settings.raw_dir)[0]]
    tables = load_tables(settings.processed_dir, ("responses", "checklist"))
    rows = coverage(tables, received, snapshots)
    if args.json:
        print(inert_json(json.dumps([asdict(r) for r in rows], indent=2)))
    else:
        print(inert_lines(coverage_text(rows)))
    return EXIT_OK


def _rounds(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rounds",
        help="list assessment rounds with partnerships, organisations, respondents, "
        "checklist ratings, returns received and register snapshots",
    )
    _paths(p)
    p.add_argument(
        "--json", action="store_true", help="print JSON instead of a table (default: a table)"
    )
    p.set_defaults(func=_cmd_rounds)


def _score(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("score", help="score every partnership and write findings")
    _paths(p)
    p.add_argument(
        "--lower",
        action="store_true",
        help="where organisations disagree, take the lower organisation score (default: off, "
        "the mean)",
    )
    p.set_defaults(func=_cmd_score)


def _add_build_options(p: argparse.ArgumentParser) -> None:
    """The build's options, on ``build`` and on ``run``."""
    from evalkit.build.formats import FORMATS

    formats = ",".join(FORMATS)
    p.add_argument(
        "--only",
        nargs="+",
        metavar="ID",
        help="build only these partnerships, not the overview (default: every partnership "
        "in scope, the overview and the cover report)",
    )
    p.add_argument(
        "--workers",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="packs built side by side, 1 or more (default: one per core)",
    )
    p.add_argument(
        "--formats",
        type=format_names,
        default=tuple(FORMATS),
        metavar="LIST",
        help=f"output formats, comma-separated, any of: {formats} (default: {formats})",
    )
    p.add_argument(
        "--force", action="store_true", help="rebuild packs that are up to date (default: off)"
    )
    p.add_argument(
        "--round", metavar="ROUND", help="assessment round to build (default: the latest scored)"
    )
    p.add_argument(
        "--timeout",
        type=whole_number(1),
        default=600,
        metavar="SECONDS",
        help="time limit per pack in seconds, for its notebook and every format together "
        "(default: 600)",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (default: a progress bar on a terminal, none in a log)",
    )


def _build(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build evidence packs (HTML and PDF) and the overview")
    _paths(p, reports=True)
    _add_build_options(p)
    p.set_defaults(func=_cmd_build)


def _add_route_options(p: argparse.ArgumentParser) -> None:
    """The options of the route's own: waiting for the lock, keeping run records."""
    p.add_argument(
        "--wait",
        type=whole_number(0),
        default=0,
        metavar="SECONDS",
        help="if another run is using the output folders, wait this long for it before "
        "refusing with exit code 75 (default: 0, refuse at once)",
    )
    p.add_argument(
        "--keep",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="run records to keep in <logs>/runs, the oldest removed (default: "
        "$EVALKIT_KEEP_RUNS, else 30)",
    )


def _add_policy(p: argparse.ArgumentParser) -> None:
    from evalkit.route.publish import POLICIES

    p.add_argument(
        "--policy",
        choices=POLICIES,
        default=POLICIES[0],
        help="publish only if no pack failed (no-failures), or also when some failed, each "
        "keeping its last good version (keep-last-good) (default: no-failures)",
    )


def _route_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help="the whole route for a scheduler: validate, prepare, score, build (and publish), "
        "one run at a time, with a record of the run",
    )
    _paths(p, reports=True)
    p.add_argument(
        "--lower",
        action="store_true",
        help="score: where organisations disagree, take the lower organisation score "
        "(default: off, the mean)",
    )
    _add_build_options(p)
    _add_route_options(p)
    p.add_argument(
        "--publish",
        metavar="DEST",
        help="after the build, publish to DEST as evalkit publish does (default: no publishing)",
    )
    _add_policy(p)
    p.add_argument(
        "--on-failure",
        metavar="COMMAND",
        help="shell command to run when the run fails, given EVALKIT_EXIT_CODE, "
        "EVALKIT_RUN_SUMMARY and EVALKIT_RUN_LOG (default: none)",
    )
    p.set_defaults(func=_cmd_run)


def _publish(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "publish",
        help="copy the reviewer-facing outputs to DEST in one swap, so that readers never "
        "see half a set",
    )
    p.add_argument(
        "dest",
        metavar="DEST",
        help="where reviewers read the packs: a symbolic link evalkit makes and swaps (required)",
    )
    p.add_argument(
        "--reports",
        metavar="DIR",
        help="reports folder to publish (default: $EVALKIT_REPORTS, else reports)",
    )
    _add_policy(p)
    _add_route_options(p)
    p.set_defaults(func=_cmd_publish)


def _survey(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("survey", help="import a survey tool's export, or write a starter mapping")
    p.add_argument(
        "action",
        choices=["import", "mapping"],
        help="import an export, or write a starter mapping for one (required)",
    )
    p.add_argument(
        "export", metavar="EXPORT", help="the export (.xlsx or .csv), never changed (required)"
    )
    p.add_argument(
        "--mapping",
        metavar="MAP.yaml",
        help="import: the mapping file, which import needs (default: none)",
    )
    p.add_argument(
        "--framework",
        metavar="ID",
        help="mapping: the framework the questions belong to, which mapping needs (default: none)",
    )
    p.add_argument(
        "--round", metavar="ROUND", help="mapping: the assessment round (default: guessed)"
    )
    p.add_argument(
        "--out",
        metavar="PATH",
        help="import: folder for responses.csv and coverage.json (default: "
        "$EVALKIT_INTERIM/survey/<export name>); mapping: the file to write (default: "
        "beside the export, <export name>.mapping.yaml)",
    )
    p.add_argument(
        "--force", action="store_true", help="mapping: replace an existing file (default: off)"
    )
    p.add_argument(
        "--raw",
        metavar="DIR",
        help="input folder whose frameworks/ adds frameworks (default: $EVALKIT_RAW, else "
        "data/raw)",
    )
    p.set_defaults(func=_cmd_survey)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the CLI)."""
    parser = argparse.ArgumentParser(
        prog="evalkit",
        description="Map, evidence, score and report on a council's partnerships.",
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    _add_debug(parser, on_command=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (
        _route_run,
        _survey,
        _returns,
        _validate_and_prepare,
        _score,
        _build,
        _publish,
        _frameworks_and_docs,
        _synth,
        _rounds,
    ):
        add(sub)
    for command in sub.choices.values():
        _add_debug(command, on_command=True)
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


def _run(args: argparse.Namespace) -> int:
    """Run the command; every exception ends here as one line on standard error."""
    try:
        with stop_on_signals():
            return int(args.func(args))
    except EvalkitError as exc:
        _debug_traceback(args)
        _error(f"evalkit: error: {exc}")
        return EXIT_INVALID
    except Interrupted as exc:
        _error(f"evalkit: stopped by {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _error("evalkit: stopped by SIGINT")
        return 130
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the edge of the program: nothing gets past
        _debug_traceback(args)
        _error(
            f"evalkit: internal error: {type(exc).__name__}: {_short(str(exc))} — "
            "rerun with --debug for the details"
        )
        return EXIT_FAILED


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error(line: str) -> None:
    """One line on standard error, control characters escaped."""
    print(inert(line), file=sys.stderr)


def _debug_traceback(args: argparse.Namespace) -> None:
    if getattr(args, "debug", False):
        traceback.print_exc(file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "frameworks" and args.action in ("show", "validate") and not args.target:
        parser.error(f"frameworks {args.action} needs a target")
    if args.command == "survey" and not (
        args.mapping if args.action == "import" else args.framework
    ):
        parser.error(
            f"survey {args.action} needs --{'mapping' if args.action == 'import' else 'framework'}"
        )
    return _run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
