"""The lock on the output folders: a second run waits or refuses; a killed run's lock is cleared."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evalkit.route.lock import EXIT_LOCKED, LOCK_FILE, Locked, run_lock

#: A process that takes the lock on a folder, says so, and sleeps until it is killed.
HOLDER = """
import sys, time
from pathlib import Path
from evalkit.route.lock import run_lock
with run_lock([Path(sys.argv[1])], command="run", started="2026-01-02T03:04:05+00:00"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_second_holder_is_refused_at_once_with_exit_code_75(tmp_path: Path) -> None:
    with run_lock([tmp_path], command="run", started="2026-01-02T03:04:05+00:00"):
        begun = time.monotonic()
        with pytest.raises(Locked) as refused, run_lock([tmp_path], command="run"):
            pass
        assert time.monotonic() - begun < 1.0
    assert refused.value.exit_code == EXIT_LOCKED == 75
    message = str(refused.value)
    assert f"evalkit run (pid {os.getpid()} on {socket.gethostname()}" in message
    assert "started 2026-01-02T03:04:05+00:00" in message


def test_a_second_holder_waits_for_the_time_given_then_refuses(tmp_path: Path) -> None:
    with run_lock([tmp_path], command="run"):
        begun = time.monotonic()
        with pytest.raises(Locked), run_lock([tmp_path], command="run", wait=1):
            pass
        waited = time.monotonic() - begun
    assert 1.0 <= waited < 3.0


def test_a_second_holder_gets_the_lock_when_the_first_lets_go_in_time(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER.replace("time.sleep(600)", "time.sleep(1)"), str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with run_lock([tmp_path], command="run", wait=30) as lock:
        assert lock.waited >= 0.5
        assert lock.cleared == []  # released properly: nothing stale
    holder.wait(timeout=30)


def test_the_lock_of_a_killed_run_is_cleared_and_named(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(Locked), run_lock([tmp_path], command="run"):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    left = json.loads((tmp_path / LOCK_FILE).read_text(encoding="utf-8"))
    assert left["pid"] == holder.pid  # the killed run's lock file still names it
    with run_lock([tmp_path], command="publish") as lock:
        assert [h.pid for h in lock.cleared] == [holder.pid]
        assert lock.cleared[0].started == "2026-01-02T03:04:05+00:00"
        mine = json.loads((tmp_path / LOCK_FILE).read_text(encoding="utf-8"))
        assert (mine["pid"], mine["command"]) == (os.getpid(), "publish")
    assert (tmp_path / LOCK_FILE).read_text(encoding="utf-8") == ""  # let go cleanly


def test_every_folder_is_locked_and_a_clash_on_any_refuses(tmp_path: Path) -> None:
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    with run_lock([processed, reports], command="run") as lock:
        assert sorted(lock.paths) == [processed / LOCK_FILE, reports / LOCK_FILE]
        with pytest.raises(Locked), run_lock([reports], command="publish"):
            pass
    with run_lock([reports], command="publish"):
        pass
