"""evalkit's own source: its files, their SHA-256, and the git commit they were checked out at.

A pack's provenance prints these, and a build's input key includes the SHA-256, so a
pack is rebuilt when the code that makes it changes. This module imports nothing
heavy: the build's main process uses it without loading pandas.
"""

from __future__ import annotations

import hashlib
import subprocess

from evalkit.config import PACKAGE_DIR, TEMPLATES_DIR

#: Added to the commit when the package's files differ from it.
CHANGED = " with uncommitted changes (the source SHA-256 identifies them)"


def source_files() -> list[str]:
    """The package's source files (Python modules and page templates), relative, sorted."""
    files = [*PACKAGE_DIR.rglob("*.py"), *TEMPLATES_DIR.glob("*")]
    return sorted(str(p.relative_to(PACKAGE_DIR)) for p in files if p.is_file())


def source_sha256() -> str:
    """SHA-256 (hex) over the package's source: each file's relative path and bytes, in order."""
    h = hashlib.sha256()
    for name in source_files():
        h.update(hashlib.sha256(name.encode() + (PACKAGE_DIR / name).read_bytes()).digest())
    return h.hexdigest()


def _git(*args: str) -> str | None:
    """A git command's output in the package's folder, or None when git cannot answer."""
    try:
        done = subprocess.run(
            ["git", "-C", str(PACKAGE_DIR), *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit() -> str | None:
    """The commit evalkit's code was checked out at, with a note if it has changed since.

    None when git is absent or the package is not tracked by a git repository (an
    installed copy inside someone else's repository does not count).
    """
    if _git("ls-files", "--error-unmatch", "__init__.py") is None:
        return None
    commit = _git("rev-parse", "HEAD")
    if not commit:
        return None
    changed = _git("status", "--porcelain", "--untracked-files=no", "--", ".")
    return commit + (CHANGED if changed else "")
