"""Nothing of the server in what a reviewer receives: every file in the reports folder.

A page made from a notebook leaves out what the kernel wrote to stderr (warnings) and
tracebacks.

A small portfolio (two partnerships in scope) is prepared, scored and built by the
``evalkit`` command in a separate process, in a project folder whose path holds a
distinctive marker, the way an operator would run it on a server. Then every file the
build left in the reports folder (pages, PDFs as text, executed notebooks, the
manifest, the index, summaries) is searched for anything that tells a reader about the
server: the project's absolute path, this checkout's path, the user name, ``/home/``,
``/tmp/``, ``site-packages``, Python warnings (``UserWarning`` and its kind, or a
``file.py:12:`` location) and tracebacks.

The bare label "Warning:" is not searched for: the pages' own warning callouts use it
(:func:`evalkit.report.render.callout_html`); Python's warnings always name their
category (``UserWarning:``, ``FutureWarning:``).
"""

from __future__ import annotations

import csv
import getpass
import html
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from evalkit.report.render import notebook_to_html, render_index
from small_portfolio import HEADERS, ROOT, ROWS, html_output, write_csv

#: In the path of the project folder, so that any absolute path that leaks is found.
MARKER = "srvleakmarker7q"
#: User names too common as words to search a page for (a path holding them is still found).
COMMON_USERS = frozenset({"root", "user", "admin", "runner", "ubuntu", "debian", "jovyan", "app"})
#: Base64 (images in pages and notebooks) is skipped: by chance it may hold "/tmp/".
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{120,}")
_PYTHON_WARNING = re.compile(r"\b[A-Z][A-Za-z]*Warning\b|\.py:\d+|warnings\.warn")


def _evalkit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``evalkit`` in the project folder, as an operator would on the server."""
    env = {**os.environ, "EVALKIT_ROOT": str(project), "EVALKIT_LOGS": str(project / "logs")}
    for variable in ("EVALKIT_RAW", "EVALKIT_PROCESSED", "EVALKIT_REPORTS"):
        env.pop(variable, None)
    return subprocess.run(
        [sys.executable, "-m", "evalkit.cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def _new_project(folder: Path) -> Path:
    """A project folder: pyproject.toml, the notebooks, and the small portfolio as raw data."""
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    raw = folder / "data" / "raw"
    raw.mkdir(parents=True)
    for name, headers in HEADERS.items():
        write_csv(raw / f"{name}.csv", headers, [list(r) for r in ROWS[name]])
    processed = folder / "data" / "processed"
    for command in ("prepare", "score"):
        done = _evalkit(folder, command, "--raw", str(raw), "--processed", str(processed))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return folder


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _evalkit(
        project,
        "build",
        "--processed",
        str(project / "data" / "processed"),
        "--reports",
        str(project / "reports"),
        "--no-progress",
        "--workers",
        "1",
        *args,
    )


def _text(path: Path) -> str:
    """What a reader of the file can see: a PDF's text, a workbook's parts, any file as text."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    if path.suffix == ".pdf":
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )
        return done.stdout.decode("utf-8")
    return path.read_bytes().decode("utf-8", errors="replace")


def _forbidden(project: Path) -> dict[str, str]:
    """Each thing that must not appear → why."""
    found = {
        str(project): "the project's absolute path",
        str(project.parent): "the absolute path above the project",
        MARKER: "a folder name from the server's path",
        str(ROOT): "the checkout evalkit runs from",
        "/home/": "a home folder",
        "/tmp/": "the temporary folder",
        "/root/": "the administrator's home folder",
        "site-packages": "where Python packages are installed",
        "Traceback": "a Python traceback",
    }
    user = getpass.getuser()
    if user.lower() not in COMMON_USERS and len(user) > 2:
        found[user] = "the user name"
    return found


def leaks(reports: Path, project: Path) -> list[str]:
    """Every leak in every file under ``reports``, as 'file: what (context)'."""
    problems = []
    forbidden = _forbidden(project)
    for path in sorted(p for p in reports.rglob("*") if p.is_file()):
        text = _BASE64_RUN.sub("", _text(path))
        name = path.relative_to(reports)
        for needle, why in forbidden.items():
            at = text.find(needle)
            if at >= 0:
                problems.append(f"{name}: {why} ({text[max(0, at - 60) : at + 60]!r})")
        for match in _PYTHON_WARNING.finditer(text):
            context = text[max(0, match.start() - 60) : match.end() + 60]
            problems.append(f"{name}: a Python warning ({context!r})")
    return problems


WARNING_TEXT = (
    "/home/officer/.venv/lib/python3.11/site-packages/pandas/core/frame.py:12: "
    "FutureWarning: the default will change\n"
)
TRACEBACK = ["Traceback (most recent call last):", '  File "/srv/evalkit/src/x.py", line 1']


def test_the_page_leaves_out_warnings_and_tracebacks():
    """What a kernel writes to stderr and any traceback stay in the notebook, off the page."""
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("# Evidence pack\n\nWhat the pack shows."),
        new_code_cell(
            "section()",
            outputs=[
                new_output("stream", name="stderr", text=WARNING_TEXT),
                html_output("<p>The partnership met four times.</p>"),
                new_output("stream", name="stdout", text="Printed for readers.\n"),
                new_output("error", ename="ValueError", evalue="bad", traceback=TRACEBACK),
            ],
        ),
    ]
    page = notebook_to_html(nb, title="T", running_header="R")
    assert "The partnership met four times." in page
    assert "Printed for readers." in page
    for leak in ("FutureWarning", "site-packages", "/home/", "Traceback", "/srv/", "ValueError"):
        assert leak not in page
    # The notebook itself is not changed: it still holds all four outputs.
    assert len(nb.cells[1].outputs) == 4


def test_the_index_shows_a_failure_without_the_servers_paths():
    pack = {
        "id": "csp",
        "name": "Community Safety Partnership",
        "status": "failed",
        "error": "FileNotFoundError: No such file: '/srv/council/data/processed/scores/x.csv'",
        "links": [],
    }
    page = render_index(
        [pack], columns=["HTML"], title="Packs", notice=None, overview_href=None, generated=None
    )
    assert "FileNotFoundError: No such file: 'x.csv'" in html.unescape(page)
    assert "/srv/" not in page


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio built (HTML and PDF, packs and overview) in a marked project."""
    project = _new_project(tmp_path_factory.mktemp(MARKER) / "council-evalkit")
    done = _build(project, "--formats", "html,pdf")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return project


@pytest.mark.slow
def test_the_build_made_every_kind_of_file(built):
    reports = built / "reports"
    names = {str(p.relative_to(reports)) for p in reports.rglob("*") if p.is_file()}
    for pack in ("csp", "hub"):
        for suffix in (".html", ".pdf", ".ipynb"):
            assert f"{pack}/evidence-pack{suffix}" in names
        assert f"{pack}/summary.json" in names
        assert {f"{pack}/{pack}-data.xlsx", f"{pack}/downloads/cover.csv"} <= names
    assert {"index.html", "manifest.json", "overview/portfolio-overview.html"} <= names
    assert {"overview/portfolio-overview.pdf", "overview/portfolio-data.xlsx"} <= names


@pytest.mark.slow
def test_no_published_file_says_anything_of_the_server(built):
    assert leaks(built / "reports", built) == []


@pytest.mark.slow
def test_notebook_parameters_are_relative_to_the_project(built):
    text = (built / "reports" / "csp" / "evidence-pack.ipynb").read_text(encoding="utf-8")
    assert 'processed_dir = \\"data/processed\\"' in text
    assert 'output_dir = \\"reports/csp\\"' in text


@pytest.mark.slow
def test_a_failed_pack_says_nothing_of_the_server_either(built, tmp_path):
    """A pack that fails keeps its partial notebook and its error: those are published too."""
    project = tmp_path / MARKER / "council-evalkit"
    shutil.copytree(built, project, symlinks=True)
    findings = project / "data" / "processed" / "scores" / "findings.csv"
    with findings.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    evidence, pid = rows[0].index("evidence"), rows[0].index("partnership_id")
    for row in rows[1:]:
        if row[pid] == "hub":
            row[evidence] = "{not json"
    with findings.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    done = _build(project, "--only", "hub", "--force", "--formats", "html")
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert leaks(project / "reports", project) == []
