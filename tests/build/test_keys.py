"""Input keys: what changes a pack's key, and when a pack is up to date."""

from __future__ import annotations

import hashlib
from pathlib import Path

from evalkit.build.keys import InputKeys, digest, row_hashes, up_to_date
from small_portfolio import write_csv

HEADER = ["partnership_id", "name", "source_file", "source_row"]


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _rows(folder: Path, rows: list[list[str]]) -> dict[str, bytes]:
    write_csv(folder / "partnerships.csv", HEADER, rows)
    return row_hashes(folder)["partnerships"]


def test_digest_hashes_each_part_then_the_sequence():
    expected = hashlib.sha256(_sha(b"a") + _sha(b"bc")).hexdigest()
    assert digest([b"a", b"bc"]) == expected
    assert digest([b"ab", b"c"]) != expected


def test_a_partnerships_rows_hash_without_where_they_came_from(tmp_path):
    hashes = _rows(tmp_path, [["csp", "Safety", "a.csv", "2"], ["hub", "Hub", "a.csv", "3"]])
    head = b"partnership_id,name,source_file,source_row"
    assert hashes == {
        "csp": _sha(head + _sha(b"csp\x1fSafety")),
        "hub": _sha(head + _sha(b"hub\x1fHub")),
    }
    # Moved to another row of another file: the same.
    assert _rows(tmp_path, [["hub", "Hub", "b.xlsx", "9"], ["csp", "Safety", "b.xlsx", "8"]]) == (
        hashes
    )
    # A value changed: that partnership's hash alone changes.
    changed = _rows(tmp_path, [["csp", "Safer", "a.csv", "2"], ["hub", "Hub", "a.csv", "3"]])
    assert changed["hub"] == hashes["hub"] and changed["csp"] != hashes["csp"]


def test_tables_not_prepared_hash_as_empty(tmp_path):
    hashes = row_hashes(tmp_path)
    assert hashes["partnerships"] == {} and hashes["responses"] == {}


def test_a_packs_key_covers_its_notebook_shared_inputs_and_own_rows_only():
    rows = {"partnerships": {"a": b"1", "b": b"2"}, "risks": {"a": b"3"}}
    keys = InputKeys(shared=(b"v", b"round"), rows=rows)
    assert keys.pack(b"nb", "a") == digest([b"nb", b"v", b"round", b"a", b"1", b"3"])
    assert keys.pack(b"nb", "b") == digest([b"nb", b"v", b"round", b"b", b"2", b""])
    other = InputKeys(shared=(b"v", b"round"), rows={**rows, "partnerships": {"a": b"1"}})
    assert other.pack(b"nb", "a") == keys.pack(b"nb", "a")
    assert other.overview(b"nb") != keys.overview(b"nb")
    assert keys.overview(b"nb") == digest([b"nb", b"v", b"round", b"1", b"2", b"3"])


def test_up_to_date_needs_the_same_key_no_failure_and_every_file(tmp_path):
    (tmp_path / "evidence-pack.html").write_text("page")
    record = {"key": "k", "status": "built", "files": {"evidence-pack.html": "x"}}
    assert up_to_date(record, "k", tmp_path)
    assert not up_to_date(None, "k", tmp_path)
    assert not up_to_date(record, "other", tmp_path)
    assert not up_to_date({**record, "status": "failed"}, "k", tmp_path)
    assert not up_to_date({**record, "files": {"evidence-pack.pdf": "y"}}, "k", tmp_path)
