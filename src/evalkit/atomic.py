"""Write output files so that a reader never sees half of one.

Every file evalkit produces is first written to a temporary file in the folder it is
going to, flushed to disk, and only then renamed onto its final name with
:func:`os.replace`. A rename inside one folder is atomic on POSIX and Windows, so the
final path always holds either the old complete file or the new complete file. If
writing fails, the temporary file is removed and the final path is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "fsync_quietly"]


def _temp_sibling(path: Path) -> Path:
    """Return an unused hidden file name beside ``path``."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")


def _fsync_file(path: Path) -> None:
    """Flush a file's data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_quietly(path: Path) -> None:
    """Flush a file, or a folder entry (a rename), to disk where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path that replaces ``path`` only if the block succeeds.

    The temporary file is created empty (honouring the umask) in the same folder as
    ``path``, so the final :func:`os.replace` never crosses a file system. The caller
    writes to it by name, for example ``fig.savefig(tmp)``. On leaving the block
    normally, the file is fsynced and renamed onto ``path``; if the block raises, the
    temporary file is removed and the exception propagates.

    Args:
        path: The final destination. Its parent folders are created if needed.

    Yields:
        The temporary path to write to.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_sibling(final)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_quietly(final.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    Args:
        path: The destination file.
        data: The complete contents.

    Returns:
        The destination as a :class:`~pathlib.Path`.
    """
    final = Path(path)
    with atomic_path(final) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
    return final


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8 unless told otherwise).

    Newlines are written as given, on every platform.

    Args:
        path: The destination file.
        text: The complete contents.
        encoding: The text encoding.

    Returns:
        The destination as a :class:`~pathlib.Path`.
    """
    return atomic_write_bytes(path, text.encode(encoding))
