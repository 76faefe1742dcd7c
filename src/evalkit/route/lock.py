"""One run at a time on the project's output folders: a lock file in each folder.

The lock is an ``fcntl.flock`` on ``.evalkit-run.lock`` in each output folder (the
processed folder and the reports folder). The kernel releases a flock when the process
that holds it ends in any way, SIGKILL included, so a lock left by a killed run is never
held: the next run takes it at once, race-free, and says whose it was (the file keeps
the holder's pid, host and start time, rewritten by each holder). A second run waits up
to ``wait`` seconds, then refuses with :class:`Locked` (exit code 75, ``EX_TEMPFAIL``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evalkit.errors import EvalkitError
from evalkit.names import project_relative

#: The lock file's name in each locked folder (hidden: never published).
LOCK_FILE = ".evalkit-run.lock"
#: Exit code of a run refused because another holds the lock (``EX_TEMPFAIL``).
EXIT_LOCKED = 75
#: Seconds between two tries while waiting.
POLL_SECONDS = 0.25


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a lock: what its lock file says.

    Attributes:
        pid: the process id.
        host: the machine's name.
        started: when it took the lock (UTC, ISO 8601).
        command: what it was doing (``run``, ``publish``).
    """

    pid: int
    host: str
    started: str
    command: str

    @classmethod
    def read(cls, path: Path) -> Holder | None:
        """The holder a lock file names, or None when it is empty or unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                int(data["pid"]), str(data["host"]), str(data["started"]), str(data["command"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def describe(self) -> str:
        """The holder in words, for messages."""
        return f"evalkit {self.command} (pid {self.pid} on {self.host}, started {self.started})"


class Locked(EvalkitError):
    """Another run holds the lock on an output folder, and the wait ran out."""

    exit_code = EXIT_LOCKED


@dataclass
class RunLock:
    """Locks held on some folders, and the stale locks cleared on the way in.

    Attributes:
        paths: the lock files held.
        cleared: the holders of locks left by runs that ended without releasing them
            (killed): their lock files named them but no process held them.
        waited: seconds spent waiting for another run.
    """

    paths: list[Path]
    cleared: list[Holder]
    waited: float


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _stamp(fd: int, holder: Holder) -> None:
    """Write the holder into the lock file (it is ours while we hold the flock)."""
    data = json.dumps(holder.__dict__).encode("utf-8") + b"\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)
    os.fsync(fd)


@contextlib.contextmanager
def run_lock(
    folders: Sequence[Path], *, command: str, wait: float = 0.0, started: str = ""
) -> Iterator[RunLock]:
    """Hold the lock on every folder in ``folders`` for the block (taken in a fixed order).

    Args:
        folders: the output folders (created if missing).
        command: what the holder does, written into the lock file.
        wait: seconds to wait for another run before refusing.
        started: the holder's start time (UTC, ISO 8601).

    Raises:
        Locked: another process still holds a lock after ``wait`` seconds.
    """
    holder = Holder(os.getpid(), socket.gethostname(), started, command)
    begun = time.monotonic()
    deadline = begun + max(0.0, wait)
    fds: list[int] = []
    held: list[int] = []
    state = RunLock([], [], 0.0)
    try:
        for folder in sorted({Path(f).absolute() for f in folders}):
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOCK_FILE
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            fds.append(fd)
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    other = Holder.read(path)
                    who = other.describe() if other else "another evalkit run"
                    raise Locked(
                        f"{who} is using {project_relative(folder)}; waited "
                        f"{time.monotonic() - begun:.0f} s (--wait). Try again later"
                    )
                time.sleep(POLL_SECONDS)
            held.append(fd)
            left = Holder.read(path)
            if left is not None:  # named a holder but nobody held it: a run that was killed
                state.cleared.append(left)
            _stamp(fd, holder)
            state.paths.append(path)
        state.waited = time.monotonic() - begun
        yield state
    finally:
        for fd in reversed(fds):
            if fd in held:  # let go cleanly: nothing stale to report next time
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
            os.close(fd)
