"""The route's stages: evidence people sent in comes in before anything is checked."""

from __future__ import annotations

from evalkit.config import Settings
from evalkit.route.run import STAGES
from small_portfolio import copy_sample_raw


def test_the_route_brings_evidence_in_then_validates_prepares_scores_and_builds():
    assert [stage.name for stage in STAGES] == [
        "returns ingest",
        "survey import",
        "validate",
        "prepare",
        "score",
        "build",
    ]


def test_the_import_stages_run_only_when_there_is_input_for_them(tmp_path):
    needed = {stage.name: stage.needed for stage in STAGES}
    empty = Settings(raw_dir=tmp_path / "raw")
    assert not needed["returns ingest"](empty) and not needed["survey import"](empty)
    copy_sample_raw(tmp_path / "sample")
    sample = Settings(raw_dir=tmp_path / "sample")  # the sample has both
    assert needed["returns ingest"](sample) and needed["survey import"](sample)
