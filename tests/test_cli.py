"""The command line's edge: exit codes, one line per problem, inert output, refused options.

Exit codes and standard error matter here, so most tests run the installed ``evalkit``
command in a real subprocess.
"""

from __future__ import annotations

import argparse
import json

import pytest

from evalkit.cli import build_parser
from evalkit.terminal import inert, inert_json
from inputs_helpers import run_evalkit
from small_portfolio import HEADERS, ROWS, write_csv

HOSTILE = "lots\x1b[2J\x1b[31m\nERROR fake.csv: all good\r\u202eevil"


def test_each_problem_is_one_line_whatever_the_value_holds(portfolio_csv):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[1][10] = HOSTILE  # council_cash_gbp of the second partnership
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows)
    done = run_evalkit("validate", str(portfolio_csv))
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout  # the problem, then the verdict
    # The record starts on line 3; its quoted cell holds a newline and a carriage return,
    # so it ends on line 5, the line a text editor shows for it.
    assert lines[0].startswith(
        "ERROR partnerships.csv, row 5, column council_cash_gbp: "
        # the value's first 40 characters, escaped, then its length
        "'lots\\x1b[2J\\x1b[31m\\nERROR fake.csv: all good\\r\\u202e…' (44 characters) "
        "is not an amount in pounds"
    )
    assert lines[0].endswith("[bad-value]")
    for char in ("\x1b", "\r", "\u202e"):
        assert char not in done.stdout
    assert lines[1].endswith("INVALID — 1 error(s), 0 warning(s)")


def test_json_report_stays_faithful_and_inert(portfolio_csv):
    rows = [list(r) for r in ROWS["partnerships"]]
    rows[1][10] = HOSTILE + "\x9b"  # and a C1 control, which json.dumps leaves raw
    write_csv(portfolio_csv / "partnerships.csv", HEADERS["partnerships"], rows)
    done = run_evalkit("validate", "--json", str(portfolio_csv))
    assert done.returncode == 2
    for char in ("\x1b", "\r", "\u202e", "\x9b"):
        assert char not in done.stdout
    (problem,) = json.loads(done.stdout)["problems"]
    assert problem["value"] == HOSTILE + "\x9b"


def test_inert_escapes_controls_and_keeps_ordinary_text():
    assert inert("a\tb\x00c\x7fd\u2028e") == "a\\tb\\x00c\\x7fd\\u2028e"
    assert inert("Café – £1,250 “quoted” 日本") == "Café – £1,250 “quoted” 日本"
    assert inert_json('{"v": "\x9b\u2066"}') == '{"v": "\\u009b\\u2066"}'


def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    done = run_evalkit("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert done.stderr == f"evalkit: error: {tmp_path / 'nowhere'}: input folder not found\n"


def test_debug_adds_the_traceback_to_a_bad_input_error(tmp_path):
    done = run_evalkit("--debug", "validate", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.rstrip().endswith("input folder not found")


def test_an_internal_error_exits_1_with_one_line_and_a_hint(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder is needed", encoding="utf-8")
    done = run_evalkit("synth", "--partnerships", "2", "--out", str(blocker / "out"))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("evalkit: internal error: NotADirectoryError: ")
    assert line.endswith(" — rerun with --debug for the details")


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback_of_an_internal_error(tmp_path, where):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    command = ["synth", "--partnerships", "2", "--out", str(blocker / "out")]
    args = ["--debug", *command] if where == "before" else [*command, "--debug"]
    done = run_evalkit(*args)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "NotADirectoryError" in done.stderr


WHOLE = "expected a whole number above 0, got"
FORMATS = "expected one or more of html,pdf, comma-separated"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--workers", "0"], f"argument --workers: {WHOLE} '0'"),
        (["build", "--workers", "1.5"], f"argument --workers: {WHOLE} '1.5'"),
        (["build", "--timeout", "-1"], f"argument --timeout: {WHOLE} '-1'"),
        (["build", "--timeout", "0"], f"argument --timeout: {WHOLE} '0'"),
        (["build", "--timeout", "ten"], f"argument --timeout: {WHOLE} 'ten'"),
        (["build", "--formats", "html,docx"], f"argument --formats: {FORMATS} (got unknown docx)"),
        (["build", "--formats", ","], f"argument --formats: {FORMATS} (got none)"),
        (["synth", "--partnerships", "0", "--out", "x"], f"argument --partnerships: {WHOLE} '0'"),
        (["synth", "--rounds", "0", "--out", "x"], f"argument --rounds: {WHOLE} '0'"),
        (
            ["synth", "--seed", "-3", "--out", "x"],
            "argument --seed: expected a whole number of at least 0, got '-3'",
        ),
    ],
)
def test_invalid_option_values_are_refused_with_exit_2(args, message):
    done = run_evalkit(*args)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == f"evalkit {args[0]}: error: {message}"
    assert "Traceback" not in done.stderr


def test_every_option_says_its_default():
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    missing = []
    for name, command in commands.choices.items():
        for action in command._actions:
            if not action.option_strings or action.help == argparse.SUPPRESS:
                continue
            if "-h" in action.option_strings:
                continue
            if "default" not in (action.help or "") and not action.required:
                missing.append(f"{name} {action.option_strings[0]}")
            if action.required:
                assert "required" in (action.help or ""), f"{name} {action.option_strings[0]}"
    assert missing == []


def test_every_option_of_every_command_says_what_it_does_and_its_default():
    import argparse

    from evalkit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for name, command in sub.choices.items():
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            words = action.help or ""
            if len(words) < 15 or not ("(default" in words or "(required)" in words):
                missing.append(f"{name} {action.dest}: {words!r}")
    assert missing == []


def test_the_commands_are_listed_in_the_order_of_the_route():
    import argparse

    from evalkit.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    names = list(sub.choices)
    route = ["run", "returns", "validate", "prepare", "score", "build", "publish"]
    assert [n for n in names if n in route] == route
    assert names[: len(route)] == route
