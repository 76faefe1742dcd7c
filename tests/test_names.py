"""The one rule for ids that become file and folder names, and paths kept in their place."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.errors import BuildError
from evalkit.names import (
    check_id,
    id_problem,
    project_path,
    project_relative,
    safe_child,
    shown,
    without_paths,
)

SAFE = ["csp", "community-safety", "a1-b2-c3", "x" * 64, "com10", "console", "nullify", "lpt"]


@pytest.mark.parametrize("value", SAFE)
def test_safe_ids_pass(value):
    assert id_problem(value) is None
    assert check_id(value, what="id") == value


# (value, words the reason must hold)
UNSAFE = [
    ("", "blank"),
    ("x" * 65, "65 characters long; an id has at most 64"),
    ("x" * 300, "300 characters long"),
    (".", "'.' and '..'"),
    ("..", "'.' and '..'"),
    ("../../etc", "only lower-case letters, digits and single hyphens"),
    ("a/b", "only lower-case letters"),
    ("a\\b", "only lower-case letters"),
    ("Community-Safety", "only lower-case letters"),
    ("a--b", "single hyphens"),
    ("-a", "single hyphens"),
    ("a b", "only lower-case letters"),
    ("a\x1b[31m", "only lower-case letters"),
    ("con", "Windows reserves"),
    ("CON", "Windows reserves"),
    ("Nul", "Windows reserves"),
    ("prn", "Windows reserves"),
    ("aux", "Windows reserves"),
    ("com0", "Windows reserves"),
    ("com9", "Windows reserves"),
    ("lpt1", "Windows reserves"),
    ("LPT9", "Windows reserves"),
    ("con.txt", "Windows reserves"),
    ("aux.tar.gz", "Windows reserves"),
    ("nul ", "Windows reserves"),
]


@pytest.mark.parametrize(("value", "reason"), UNSAFE, ids=[repr(u[0][:12]) for u in UNSAFE])
def test_unsafe_ids_get_a_reason(value, reason):
    problem = id_problem(value)
    assert problem is not None and reason in problem


def test_check_id_names_the_id_and_where_it_was_found():
    with pytest.raises(BuildError) as raised:
        check_id("con", what="partnerships.csv, line 4, column partnership_id")
    assert str(raised.value) == (
        "partnerships.csv, line 4, column partnership_id: 'con' cannot be used as a name: "
        "Windows reserves this name for a device (con, prn, aux, nul, com0-com9, lpt0-lpt9), "
        "so no file or folder can have it"
    )


def test_a_long_id_is_shown_cut_short():
    with pytest.raises(BuildError) as raised:
        check_id("ab" * 150, what="id")
    message = str(raised.value)
    assert "'" + "ab" * 20 + "…' (300 characters)" in message
    assert "ab" * 21 not in message


def test_shown_escapes_control_characters():
    assert shown("a\x1b[31mb\nc") == "'a\\x1b[31mb\\nc'"
    assert shown("plain") == "'plain'"


def test_safe_child_is_the_folder_inside(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    assert safe_child(reports, "csp", what="pack") == reports / "csp"
    (reports / "csp").mkdir()
    assert safe_child(reports, "csp", what="pack") == reports / "csp"


def test_safe_child_refuses_a_linked_folder(tmp_path):
    reports, elsewhere = tmp_path / "reports", tmp_path / "elsewhere"
    reports.mkdir()
    elsewhere.mkdir()
    (reports / "csp").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BuildError, match=r"pack csp: .*csp is a symbolic link"):
        safe_child(reports, "csp", what="pack csp")


def test_safe_child_refuses_a_link_even_to_a_folder_inside(tmp_path):
    reports = tmp_path / "reports"
    (reports / "real").mkdir(parents=True)
    (reports / "csp").symlink_to(reports / "real", target_is_directory=True)
    with pytest.raises(BuildError, match="symbolic link"):
        safe_child(reports, "csp", what="pack csp")


def test_safe_child_follows_a_linked_reports_folder(tmp_path):
    real = tmp_path / "real-reports"
    real.mkdir()
    reports = tmp_path / "reports"
    reports.symlink_to(real, target_is_directory=True)
    assert safe_child(reports, "csp", what="pack") == reports / "csp"


def test_safe_child_refuses_an_unsafe_name(tmp_path):
    with pytest.raises(BuildError, match=r"'\.\./\.\./etc' cannot be used as a name"):
        safe_child(tmp_path, "../../etc", what="pack")


def test_paths_relative_to_the_project_root(tmp_path):
    root = tmp_path / "project"
    (root / "data" / "processed").mkdir(parents=True)
    assert project_relative(root / "data" / "processed", root) == "data/processed"
    assert project_relative(root, root) == "."
    assert project_relative(tmp_path / "elsewhere" / "reports", root) == "../elsewhere/reports"
    assert project_path("data/processed", root) == root / "data" / "processed"
    assert project_path("../elsewhere/reports", root) == tmp_path / "elsewhere" / "reports"
    assert project_path(Path("/srv/data"), root) == Path("/srv/data")


@pytest.mark.parametrize(
    ("text", "published"),
    [
        (
            "No such file or directory: '/srv/evalkit/data/processed/scores/x.csv'",
            "No such file or directory: 'x.csv'",
        ),
        ("/home/ann/.venv/lib/site-packages/pandas/io.py:12: warn", "io.py:12: warn"),
        ("C:\\Users\\ann\\risks.csv is locked", "risks.csv is locked"),
        ("~/evalkit/data/y.csv", "y.csv"),
        ("and/or 5/10 a/b", "and/or 5/10 a/b"),
        ("see https://example.org/a/b", "see https://example.org/a/b"),
        ("timed out after 90 s", "timed out after 90 s"),
        ("cannot open /tmp/a/b.pdf", "cannot open b.pdf"),
        (
            "see data/processed/x.csv or https://a.org/b/c",
            "see data/processed/x.csv or https://a.org/b/c",
        ),
    ],
)
def test_without_paths_keeps_only_a_files_name(text, published):
    assert without_paths(text) == published
