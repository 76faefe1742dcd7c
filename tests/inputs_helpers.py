"""Helpers for the hostile-input tests: run evalkit for real, build and damage real files.

Used by tests/test_yamlfile.py, tests/test_cli.py and tests/inputs/test_unreadable_inputs.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from small_portfolio import ROOT

EVALKIT = Path(sys.executable).with_name("evalkit")

#: The classic "billion laughs": nine levels of nine aliases, 9**9 = 387,420,489 strings
#: once expanded, in under 500 bytes.
BILLION_LAUGHS = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(
            f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def run_evalkit(
    *args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``evalkit`` command; its output as text, never raising."""
    return subprocess.run(
        [*prefix, str(EVALKIT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def run_fresh(code: str, *args: str) -> list[str]:
    """Run ``code`` in a fresh Python (from the project folder); return its output lines."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    return done.stdout.strip().splitlines()


def fresh_json(code: str, *args: str) -> Any:
    """Run ``code`` in a fresh Python; return its last line of output, read as JSON."""
    return json.loads(run_fresh(code, *args)[-1])


def peak_rss_of(code: str, *args: str) -> tuple[dict[str, object], int]:
    """Run ``code`` in a fresh Python; return what it printed as JSON and its peak RSS (MB).

    The code must print one JSON object on its last line of output.
    """
    # VmHWM is the peak of this process's own memory since its exec. getrusage's
    # ru_maxrss would not do: Linux carries it over from the forking parent (pytest).
    measured = (
        code
        + "\nimport re as _re\n"
        + "_s = open('/proc/self/status').read()\n"
        + "print(int(_re.search(r'VmHWM:\\s+(\\d+) kB', _s).group(1)) // 1024)\n"
    )
    *_, result, rss = run_fresh(measured, *args)
    return json.loads(result), int(rss)


def rewrite_zip_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of a zip archive (an .xlsx), keeping every other part as it was."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == member else data)


def add_zip_member(path: Path, member: str, data: bytes) -> None:
    """Add one part, deflated, to a zip archive."""
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)


def write_ods(path: Path, sheets: list[str]) -> Path:
    """A minimal OpenDocument spreadsheet with one empty table per sheet name."""
    tables = "".join(f'<table:table table:name="{name}"/>' for name in sheets)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def without_dac_override() -> tuple[str, ...]:
    """A command prefix under which root too is refused files it has no permission for.

    Root reads any file (the DAC override capability); ``setpriv`` drops that capability
    for the child process, so a ``chmod 000`` file is unreadable to it as to anyone.
    """
    if os.geteuid() != 0:
        return ()
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")
