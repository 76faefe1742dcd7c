"""evalkit's own source: the files hashed and the commit named (worked out by hand)."""

import hashlib

from evalkit import source


def test_commit_reads_none_outside_a_checkout(monkeypatch, tmp_path):
    package = tmp_path / "evalkit"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.setattr(source, "PACKAGE_DIR", package)
    assert source.git_commit() is None


def test_source_hash_covers_every_module_and_template(monkeypatch, tmp_path):
    package = tmp_path / "evalkit"
    templates = package / "report" / "templates"
    templates.mkdir(parents=True)
    (package / "__init__.py").write_bytes(b"A")
    (templates / "page.html.j2").write_bytes(b"B")
    monkeypatch.setattr(source, "PACKAGE_DIR", package)
    monkeypatch.setattr(source, "TEMPLATES_DIR", templates)
    # By hand: SHA-256 over, in path order, SHA-256(relative path + bytes) of each file.
    outer = hashlib.sha256()
    outer.update(hashlib.sha256(b"__init__.pyA").digest())
    outer.update(hashlib.sha256(b"report/templates/page.html.j2B").digest())
    assert source.source_sha256() == outer.hexdigest()
    (templates / "page.html.j2").write_bytes(b"C")
    assert source.source_sha256() != outer.hexdigest()
