"""The headline a pack writes to summary.json for the index, and reading it back.

The pack is the bundled sample's community-safety (Resources, strategic) with its scores
swapped for small tables made here, so every figure below is worked out by hand:

* findings: 1 high ("Funding ends"), 2 medium, 1 low and 1 for information;
* Wilder factors (bands per factor, indicative): W1 1.5 Concern, W2 3.2 and W3 3.5
  Borderline, W4 4.5 Strength, W5 suppressed (no band): 4 factors banded;
* VicHealth (a band for the total, indicative): total 145, "Genuine collaboration";
* Nuffield PAT publishes no bands, so it is left out.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from evalkit.report.pack.evidence import load_pack
from evalkit.report.pack.headline import FrameworkBand, Headline, headline_of

PID = "community-safety"
ROUND = "2024-25"


@pytest.fixture(scope="module")
def pack(sample_scored):
    real = load_pack(PID, ROUND, sample_scored["processed"])
    dims = pd.DataFrame(
        {
            "round": ROUND,
            "partnership_id": PID,
            "framework_id": ["wilder-factors"] * 5 + ["nuffield-pat", "vichealth-pat"],
            "dimension_id": ["W1", "W2", "W3", "W4", "W5", "N1", "V1"],
            "score": [1.5, 3.2, 3.5, 4.5, None, 3.0, 4.0],
            "band": ["Concern", "Borderline", "Borderline", "Strength", None, None, None],
        }
    )
    totals = pd.DataFrame(
        {
            "round": ROUND,
            "partnership_id": PID,
            "framework_id": ["nuffield-pat", "vichealth-pat", "wilder-factors"],
            "total": [None, 145.0, None],
            "band": [None, "Genuine collaboration", None],
        }
    )
    findings = pd.DataFrame(
        {
            "round": ROUND,
            "severity": ["high", "medium", "medium", "low", "info"],
            "message": ["Funding ends", "Trust is low", "No minutes", "Late", "FYI"],
        }
    )
    scores = {**real.scores, "dimension_scores": dims, "framework_scores": totals}
    return replace(real, scores={**scores, "findings": findings})


def test_the_headline_is_the_top_finding_its_priority_the_counts_and_the_bands(pack):
    assert headline_of(pack) == Headline(
        top_finding="Funding ends",
        top_priority="high",
        counts={"high": 1, "medium": 2, "low": 1, "info": 1},
        bands=(
            FrameworkBand(
                "Wilder factors (4 factors)", "1 Concern, 2 Borderline, 1 Strength", True
            ),
            FrameworkBand("VicHealth tool", "Genuine collaboration", True),
        ),
        lead_directorate="Resources",
        tier="strategic",
    )


def test_a_band_in_words_says_when_it_is_only_indicative():
    assert FrameworkBand("VicHealth tool", "Genuine collaboration", True).text() == (
        "VicHealth tool: Genuine collaboration (indicative)"
    )
    assert FrameworkBand("Own tool", "Good").text() == "Own tool: Good"


def test_a_pack_with_nothing_to_act_on_has_no_top_finding(pack):
    quiet = replace(pack, scores={**pack.scores, "findings": pack.findings().iloc[4:]})
    headline = headline_of(quiet)
    assert (headline.top_finding, headline.top_priority) == (None, None)
    assert [headline.count(p) for p in ("high", "medium", "low")] == [0, 0, 0]


def test_summary_json_holds_the_headline_and_reads_back_the_same(pack, tmp_path):
    path = pack.write_summary(tmp_path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["top_finding"] == "Funding ends" and record["top_priority"] == "high"
    assert record["findings"] == {"high": 1, "medium": 2, "low": 1, "info": 1}
    assert record["bands"][1] == {
        "framework": "VicHealth tool",
        "band": "Genuine collaboration",
        "indicative": True,
    }
    assert (record["lead_directorate"], record["tier"]) == ("Resources", "strategic")
    assert record["partnership_id"] == PID  # the rest of the summary is still there
    assert Headline.from_summary(record) == headline_of(pack)


def test_a_summary_from_before_the_headline_still_reads():
    old = {"top_finding": "Funding ends", "findings": {"high": 1}}
    assert Headline.from_summary(old) == Headline(top_finding="Funding ends", counts={"high": 1})
