"""Atomic writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import pytest

from evalkit.atomic import atomic_path, atomic_write_bytes, atomic_write_text


def test_writes_replace_the_file_and_leave_no_temporary_files(tmp_path):
    path = tmp_path / "deep" / "folder" / "page.html"
    assert atomic_write_text(path, "first\r\n") == path  # parents made; newlines as given
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["page.html"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "pack.pdf"
    atomic_write_text(path, "complete")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("renderer crashed")
    assert path.read_text() == "complete"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]
