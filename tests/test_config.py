"""Settings: paths from the project layout or the environment, and copies with new paths."""

from __future__ import annotations

from pathlib import Path

from evalkit.config import PROJECT_ROOT, Settings


def test_default_paths_follow_the_project_layout(monkeypatch):
    for variable in ("EVALKIT_RAW", "EVALKIT_PROCESSED", "EVALKIT_REPORTS"):
        monkeypatch.delenv(variable, raising=False)
    settings = Settings()
    assert settings.raw_dir == PROJECT_ROOT / "data" / "raw"
    assert settings.processed_dir == PROJECT_ROOT / "data" / "processed"
    assert settings.scores_dir == PROJECT_ROOT / "data" / "processed" / "scores"
    assert settings.reports_dir == PROJECT_ROOT / "reports"


def test_environment_variables_set_the_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("EVALKIT_RAW", str(tmp_path / "in"))
    monkeypatch.setenv("EVALKIT_REPORTS", str(tmp_path / "out"))
    settings = Settings()
    assert settings.raw_dir == (tmp_path / "in").resolve()
    assert settings.reports_dir == (tmp_path / "out").resolve()


def test_with_paths_replaces_only_what_is_given(tmp_path):
    base = Settings(officer_day_rate_gbp=400.0)
    moved = base.with_paths(processed_dir=str(tmp_path))
    assert moved.processed_dir == Path(tmp_path)
    assert moved.scores_dir == Path(tmp_path) / "scores"
    assert (moved.raw_dir, moved.reports_dir) == (base.raw_dir, base.reports_dir)
    assert moved.officer_day_rate_gbp == 400.0


def test_relative_folders_from_the_command_line_are_made_absolute_at_once(monkeypatch, tmp_path):
    # The build's kernels run in the notebooks' folder, so "reports" must not be
    # re-read from there: it means <the folder the command was run in>/reports.
    monkeypatch.chdir(tmp_path)
    moved = Settings().with_paths(raw_dir="in", reports_dir="out/packs")
    assert moved.raw_dir == tmp_path / "in"
    assert moved.reports_dir == tmp_path / "out" / "packs"
