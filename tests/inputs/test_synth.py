"""The seeded synthetic generator: deterministic, on contract, labelled as invented."""

from __future__ import annotations

import hashlib

import pandas as pd
import yaml

from evalkit.config import FRAMEWORKS_DIR
from evalkit.inputs.synth import synthesise
from evalkit.inputs.validate import validate


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    synthesise(12, 5, tmp_path / "a")
    synthesise(12, 5, tmp_path / "b")
    synthesise(12, 6, tmp_path / "c")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert _digests(tmp_path / "a")["responses.csv"] != _digests(tmp_path / "c")["responses.csv"]


def test_counts_follow_the_rules(tmp_path):
    counts = synthesise(20, 11, tmp_path)
    parts = pd.read_csv(tmp_path / "partnerships.csv")
    in_scope = int((parts["in_scope"] == "Yes").sum())
    checklist_items = 0
    for path in FRAMEWORKS_DIR.glob("*.yaml"):
        spec = yaml.safe_load(path.read_text())
        if path.name != "scales.yaml" and spec["mode"] == "checklist":
            checklist_items += len(spec["items"])
    assert checklist_items == 14 + 16 + 23 + 13 + 35  # lga, iso, governance, jrf, vichealth
    assert counts["partnerships"] == 20
    assert counts["checklist"] == in_scope * checklist_items
    members = pd.read_csv(tmp_path / "memberships.csv")
    assert set(members.loc[members["organisation_id"] == "the-council", "partnership_id"]) == set(
        parts["partnership_id"]
    )
    assert parts["name"].str.startswith("Synthetic Partnership").all()
    assert (parts.loc[parts["in_scope"] == "No", "legal_form"] == "contract").all()


def test_synthetic_data_is_valid_and_labelled_invented(tmp_path):
    synthesise(15, 2, tmp_path)
    meta = yaml.safe_load((tmp_path / "dataset.yaml").read_text())
    assert meta["invented"] is True and "INVENTED" in meta["notice"]
    from evalkit.method.framework import load_frameworks

    report = validate(tmp_path, load_frameworks()).report
    assert report.valid, report.summary()
