"""Helpers for the build tests that stop, kill and break builds (test_last_good, test_interrupt).

A small scored portfolio (two in-scope partnerships, ``csp`` and ``hub``), tiny pack
notebooks, the real ``evalkit build`` run as a subprocess, and a *gate*: an IPython
startup file (through ``IPYTHONDIR``) that every kernel of the build runs. The gate
notes each notebook cell a kernel starts (``<pid> <pack id>``, the overview as
``overview``, the committee cover report as ``committee``) in a trace file and, for the
pack named by ``EVALKIT_TEST_HOLD``, waits there, so a test can stop the build at a
chosen point without any hook in evalkit.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import nbformat

from small_portfolio import HEADERS, ROOT, ROWS, write_csv

EVALKIT = str(Path(sys.executable).parent / "evalkit")
PACKS = ("csp", "hub")

GATE = """\
def _install():
    import os
    import time
    from pathlib import Path

    trace = Path(os.environ["EVALKIT_TEST_TRACE"])
    hold = os.environ.get("EVALKIT_TEST_HOLD", "")
    shell = get_ipython()  # noqa: F821

    def note(line):
        with trace.open("a", encoding="utf-8") as handle:
            handle.write(line + "\\n")

    def gate(info):
        ns = shell.user_ns
        who = ns.get("partnership_id") or ("overview" if "assessment_round" in ns else None)
        if who == "overview" and "committee" in (info.raw_cell or "") + str(ns.get("output_dir")):
            who = "committee"  # the cover report's injected cell names its folder
        if who is None or (info.raw_cell or "").startswith("%reset"):
            return
        note(f"{os.getpid()} {who}")
        if who == hold:
            note(f"holding {who}")
            time.sleep(600)

    shell.events.register("pre_run_cell", gate)


_install()
del _install
"""


def write_raw(folder: Path, rows: dict[str, list[list[object]]] | None = None) -> Path:
    """The small portfolio as CSV files (``rows`` replaces some tables' rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, headers in HEADERS.items():
        table = (rows or {}).get(name, [list(r) for r in ROWS[name]])
        write_csv(folder / f"{name}.csv", headers, table)
    return folder


def prepare_and_score(raw: Path, processed: Path) -> Path:
    """Run ``evalkit prepare`` and ``evalkit score`` (in this process) into ``processed``."""
    from evalkit.cli import main

    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


def tiny_notebook(path: Path, *cells: str, title: str = "Test pack") -> Path:
    """A pack notebook: the builder's parameters, then ``cells``, then a heading."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(
        'partnership_id = ""\nassessment_round = ""\nprocessed_dir = ""\noutput_dir = ""'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        *(nbformat.v4.new_code_cell(code) for code in cells),
        nbformat.v4.new_markdown_cell(f"# {title}\n\nA paragraph of text."),
    ]
    nbformat.write(nb, path)
    return path


class Gate:
    """The environment of a gated build: its logs, temp folder, IPython folder and trace."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.logs = base / "logs"
        self.tmp = base / "tmp"
        self.trace = base / "trace.txt"
        startup = base / "ipython" / "profile_default" / "startup"
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "00-gate.py").write_text(GATE, encoding="utf-8")
        self.tmp.mkdir(exist_ok=True)

    def env(self, hold: str = "") -> dict[str, str]:
        """The environment for ``evalkit build``: held at ``hold`` (a pack id or overview)."""
        self.trace.unlink(missing_ok=True)
        return {
            **os.environ,
            "EVALKIT_LOGS": str(self.logs),
            "TMPDIR": str(self.tmp),
            "IPYTHONDIR": str(self.base / "ipython"),
            "EVALKIT_TEST_TRACE": str(self.trace),
            "EVALKIT_TEST_HOLD": hold,
        }

    def holding(self) -> str:
        """The pack the build is held at, if any yet."""
        text = self.trace.read_text(encoding="utf-8") if self.trace.exists() else ""
        return next((line.split()[1] for line in text.splitlines() if line[:8] == "holding "), "")


def build_command(processed: Path, reports: Path, *extra: str) -> list[str]:
    """``evalkit build`` of the small portfolio: one worker, web pages only, no bar."""
    return [
        EVALKIT,
        "build",
        "--processed",
        str(processed),
        "--reports",
        str(reports),
        "--workers",
        "1",
        "--formats",
        "html",
        "--no-progress",
        *extra,
    ]


def start_build(command: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """Start ``command`` in a session of its own (so its process group can be killed)."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_build_cli(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``command`` to the end."""
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def wait_for(check: Callable[[], object], what: str, limit: float = 300.0) -> None:
    """Wait until ``check()`` is true (a generous limit, so a failing build cannot hang)."""
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def kernels_of(pid: int) -> list[int]:
    """Ids of the live processes (Jupyter kernels) that ``pid`` started, read from /proc."""
    marker = f"JPY_PARENT_PID={pid}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    """Send ``signum`` to the evalkit process; wait for it; its exit code and stderr."""
    process.send_signal(signum)
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL the evalkit process's whole process group, as a scheduler would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(reports: Path, tmp: Path) -> list[str]:
    """Staging folders, temporary files and kernel folders left behind."""
    hidden = [p.relative_to(reports).as_posix() for p in reports.rglob(".*")]
    kernels = [p.name for p in tmp.glob("evalkit-kernel-*")]
    return hidden + kernels


def sha(data: bytes) -> str:
    """SHA-256 of bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def files_match_disk(manifest: dict[str, Any], reports: Path, ids: Iterable[str]) -> None:
    """Assert each record lists exactly the hashes of the files on disk."""
    for pid in ids:
        portfolio = pid in ("overview", "committee")  # beside the packs, not among them
        record = manifest[pid] if portfolio else manifest["packs"][pid]
        for name, digest in record["files"].items():
            assert sha((reports / pid / name).read_bytes()) == digest, f"{pid}/{name}"
