"""The manifest: read back, and merged so that packs outside this build keep their records."""

from __future__ import annotations

import json

from evalkit import __version__
from evalkit.build import PackOutcome
from evalkit.build.manifest import read_manifest, write_manifest


def test_no_manifest_or_an_unreadable_one_reads_as_empty(tmp_path):
    assert read_manifest(tmp_path / "manifest.json") == {"packs": {}}
    (tmp_path / "manifest.json").write_text("{half", encoding="utf-8")
    assert read_manifest(tmp_path / "manifest.json") == {"packs": {}}


def test_this_builds_packs_replace_theirs_and_the_others_stay(tmp_path):
    path = tmp_path / "manifest.json"
    old = {"id": "old", "name": "Old", "status": "built"}
    overview = {"id": "overview", "status": "built"}
    path.write_text(json.dumps({"packs": {"old": old, "a": {"id": "a"}}, "overview": overview}))
    outcome = PackOutcome("a", "A", "built", "k", seconds=1.0, files={"evidence-pack.ipynb": "s"})
    written = write_manifest(path, [outcome], workers=2, assessment_round="2024-25", updated="now")
    assert written == {
        "evalkit_version": __version__,
        "assessment_round": "2024-25",
        "updated": "now",
        "workers": 2,
        "packs": {"old": old, "a": outcome.record()},
        "overview": overview,
    }
    assert read_manifest(path) == written


def test_a_new_overview_replaces_the_old(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"packs": {}, "overview": {"id": "overview", "key": "old"}}))
    outcome = PackOutcome("overview", "Overview", "up-to-date", "new")
    written = write_manifest(path, [outcome], workers=1, assessment_round="r", updated="now")
    assert written["packs"] == {}
    assert written["overview"]["key"] == "new"


def test_a_stale_pack_keeps_its_last_good_files_and_time_beside_the_new_failure(tmp_path):
    from evalkit.build import Failure
    from evalkit.build.records import JobOutcome, LastGood

    path = tmp_path / "manifest.json"
    good = LastGood("k1", {"evidence-pack.html": "h1"}, "2025-12-01T09:30:00+00:00")
    stale = PackOutcome("csp", "Safety", "pending", "k2", last_good=good)
    waiting = PackOutcome("hub", "Hub", "pending", "k3")
    stale.land(JobOutcome(Failure("Timeout", "timed out after 5 s"), {}, {}), 5.0, "now")
    packs = write_manifest(path, [stale, waiting], workers=1, assessment_round="r", updated="now")[
        "packs"
    ]
    assert packs["csp"]["status"] == "stale"
    assert packs["csp"]["key"] == "k1"
    assert packs["csp"]["files"] == {"evidence-pack.html": "h1"}
    assert packs["csp"]["built"] == "2025-12-01T09:30:00+00:00"
    assert packs["csp"]["error"]["message"] == "timed out after 5 s"
    # A pack not built yet lists nothing, and has no key a later build could match.
    assert (packs["hub"]["status"], packs["hub"]["key"], packs["hub"]["files"]) == (
        "pending",
        None,
        {},
    )
