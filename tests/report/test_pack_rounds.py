"""One round per pack and per overview: no figure, band, finding or chart from another round.

The scored folder has two rounds of csp's VicHealth ratings, worked by hand in
tests/small_portfolio.py: 2023-24 totals 65 ("Question the partnership"), every domain
2.0 except V7 at 1.0; 2024-25 totals 145 ("Genuine collaboration"), every domain 4.0
except V1 at 5.0. Nuffield answers in 2024-25 only (every item 3). Money: 10,000 for 100
visits in 2023-24, 12,000 for 80 in 2024-25.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from evalkit.cli import main
from evalkit.report.overview import findings as overview_findings
from evalkit.report.overview.portfolio import load_overview
from evalkit.report.pack import findings, frameworks, summary, value_for_money
from evalkit.report.pack.evidence import load_pack
from small_portfolio import EARLY, LATE, TWO_ROUND_TOTALS, write_two_rounds

VIC = "vichealth-pat"
#: Mean rating by domain, as the pack's table prints it (2 decimals).
DOMAINS = {
    EARLY: {"V1": "2.00", "V2": "2.00", "V6": "2.00", "V7": "1.00"},
    LATE: {"V1": "5.00", "V2": "4.00", "V6": "4.00", "V7": "4.00"},
}
#: The bar chart's alt text lists every domain's value to one decimal.
CHART_VALUES = {
    EARLY: "Determining the need for the partnership 2.0; Choosing partners 2.0;",
    LATE: "Determining the need for the partnership 5.0; Choosing partners 4.0;",
}


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio with two rounds, prepared and scored."""
    base = tmp_path_factory.mktemp("two-rounds")
    raw = write_two_rounds(base / "raw")
    processed = base / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


def _other(assessment_round: str) -> str:
    return LATE if assessment_round == EARLY else EARLY


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


@pytest.mark.parametrize("assessment_round", [EARLY, LATE])
def test_every_score_table_of_a_pack_holds_its_round_only(two_rounds, assessment_round):
    pack = load_pack("csp", assessment_round, two_rounds)
    assert pack.assessment_round == assessment_round
    with_round = [name for name, frame in pack.scores.items() if "round" in frame]
    # every table scoring writes per round, findings and actions included
    assert {"dimension_scores", "item_scores", "framework_scores", "findings", "actions"} <= set(
        with_round
    )
    for name in with_round:
        assert set(pack.scores[name]["round"].astype(str)) <= {assessment_round}, name
    assert set(pack.tables["checklist"]["round"].astype(str)) == {assessment_round}
    # money and indicators: the years up to the round's end, no later
    years = {EARLY: {EARLY}, LATE: {EARLY, LATE}}[assessment_round]
    assert set(pack.scores["vfm_inputs"]["year"]) == years
    assert set(pack.scores["vfm_share"]["year"]) == years
    assert set(pack.scores["vfm_indicators"]["period"]) == years
    assert set(pack.tables["indicators"]["period"].astype(str)) == years


@pytest.mark.parametrize("assessment_round", [EARLY, LATE])
def test_total_and_band_come_from_the_packs_round(two_rounds, assessment_round):
    pack = load_pack("csp", assessment_round, two_rounds)
    total, band = TWO_ROUND_TOTALS[assessment_round]
    wrong_total, wrong_band = TWO_ROUND_TOTALS[_other(assessment_round)]
    page_one = _text(summary.html(pack))
    assert f"Total {total} — {band}" in page_one
    assert f"Total {wrong_total}" not in page_one and wrong_band not in page_one
    section = _text(frameworks.html(pack, VIC))
    assert f"Total: {total} (35 of 35 items answered) — {band}" in section
    assert f"Total: {wrong_total}" not in section and wrong_band not in section


@pytest.mark.parametrize("assessment_round", [EARLY, LATE])
def test_domain_table_and_chart_come_from_the_packs_round(
    two_rounds, assessment_round, read_tables, on_screen
):
    pack = load_pack("csp", assessment_round, two_rounds)
    fragment = on_screen(pack, frameworks.html(pack, VIC))
    (rows,) = [r for caption, r in read_tables(fragment).items() if "by domain" in caption]
    means = {row[0]: row[2] for row in rows[1:]}
    assert len(means) == 7  # one row per domain: the other round's rows are not there
    for domain, mean in DOMAINS[assessment_round].items():
        assert means[domain] == mean
    alt = " ".join(re.findall(r'alt="([^"]*)"', fragment))
    assert CHART_VALUES[assessment_round] in alt
    assert CHART_VALUES[_other(assessment_round)] not in alt


def test_findings_are_the_rounds_own(two_rounds, read_tables):
    early = load_pack("csp", EARLY, two_rounds)
    late = load_pack("csp", LATE, two_rounds)
    # 2023-24: every domain under the agree line (3) -> weak; judged at 31/03/2024, the
    # review due 01/04/2024 is not yet overdue; one year of costs, so no trend.
    assert set(early.findings()["code"]) == {"weak-dimension"}
    # 2024-25: nothing weak; 364 days overdue at 31/03/2025; cost per visit 100 -> 150.
    assert set(late.findings()["code"]) == {"review-overdue", "unit-cost-rising"}
    overdue = late.findings().set_index("code").loc["review-overdue", "evidence"]
    assert overdue["days_overdue"] == 364
    rising = late.findings().set_index("code").loc["unit-cost-rising", "evidence"]
    assert (rising["previous"], rising["latest"], rising["change_pct"]) == (100.0, 150.0, 50.0)
    early_rows = read_tables(findings.html(early))["Findings, most serious first"]
    assert [row[1] for row in early_rows[1:]] == ["weak-dimension"]
    late_codes = [
        row[1] for row in read_tables(findings.html(late))["Findings, most serious first"][1:]
    ]
    assert sorted(late_codes) == ["review-overdue", "unit-cost-rising"]
    assert list(early.scores["actions"]["finding"]) == ["weak-dimension"]


def test_a_framework_answered_in_one_round_only_shows_in_that_rounds_pack(two_rounds):
    """Nuffield answers exist in 2024-25 only (six "Agree" = 3 on every item)."""
    early = load_pack("csp", EARLY, two_rounds)
    late = load_pack("csp", LATE, two_rounds)
    assert early.frameworks_present() == ["vichealth-pat"]
    assert sorted(late.frameworks_present()) == ["nuffield-pat", "vichealth-pat"]
    assert early.scores["organisation_scores"].empty and early.scores["item_scores"].shape[0] == 35
    nuffield = late.dims("nuffield-pat")
    assert set(nuffield["score"]) == {3.0}
    assert "Nuffield" not in _text(summary.html(early))


def test_earlier_pack_is_judged_at_its_own_round_end(two_rounds):
    assert load_pack("csp", EARLY, two_rounds).scoring.as_of == "2024-03-31"
    assert load_pack("csp", LATE, two_rounds).scoring.as_of == "2025-03-31"
    assert load_pack("csp", "", two_rounds).assessment_round == LATE  # latest by default


def test_earlier_packs_money_stops_at_its_year(two_rounds, read_tables, on_screen):
    pack = load_pack("csp", EARLY, two_rounds)
    tables = read_tables(on_screen(pack, value_for_money.html(pack)))
    inputs = tables["Inputs (economy)"]
    assert [row[0] for row in inputs[1:]] == [EARLY]
    assert inputs[1][1] == "£10,000"
    costs = tables["Unit costs (efficiency and effectiveness)"]
    assert [row[1:] for row in costs[1:]] == [[EARLY, "cost per output", "100", "£100.00"]]


@pytest.mark.parametrize("assessment_round", [EARLY, LATE])
def test_overview_holds_its_round_only(two_rounds, assessment_round):
    view = load_overview(assessment_round, two_rounds)
    for name, frame in view.scores.items():
        if "round" in frame:
            assert set(frame["round"].astype(str)) <= {assessment_round}, name
    totals = view.scores["framework_scores"]
    vic = totals[(totals["partnership_id"] == "csp") & (totals["framework_id"] == VIC)]
    (row,) = vic.itertuples()
    assert (row.total, row.band) == TWO_ROUND_TOTALS[assessment_round]
    assert f"{view.as_of:%Y-%m-%d}" == {EARLY: "2024-03-31", LATE: "2025-03-31"}[assessment_round]
    text = _text(overview_findings.findings_html(view))
    codes = {EARLY: "weak-dimension", LATE: "review-overdue"}
    assert codes[assessment_round] in text
    assert codes[_other(assessment_round)] not in text


# The bundled sample: an earlier round for several partnerships -------------------


def _sample_rounds(sample_scored: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    totals = pd.read_csv(sample_scored["processed"] / "scores" / "framework_scores.csv")
    return totals


def test_sample_has_two_rounds_with_totals_and_bands_in_both(sample_scored):
    totals = _sample_rounds(sample_scored)
    early = totals[totals["round"] == EARLY]
    assert early["partnership_id"].nunique() >= 4
    assert {"vichealth-pat", "wilder-factors"} <= set(early["framework_id"])
    vic = totals[(totals["framework_id"] == VIC) & totals["band"].notna()]
    banded_in_both = vic.groupby("partnership_id")["round"].nunique()
    assert (banded_in_both == 2).any()


def test_sample_packs_show_their_own_rounds_total(sample_scored):
    """For every sample partnership with VicHealth totals in both rounds, each round's
    pack shows that round's total on page one and in its section, not the other's."""
    totals = _sample_rounds(sample_scored)
    vic = totals[(totals["framework_id"] == VIC) & totals["total"].notna()]
    both = vic.groupby("partnership_id").filter(lambda g: g["round"].nunique() == 2)
    assert both["partnership_id"].nunique() >= 2
    checked = 0
    for pid, group in both.groupby("partnership_id"):
        by_round = {r: int(t) for r, t in zip(group["round"], group["total"], strict=True)}
        if by_round[EARLY] == by_round[LATE]:
            continue
        for assessment_round in (EARLY, LATE):
            pack = load_pack(str(pid), assessment_round, sample_scored["processed"])
            own, other = by_round[assessment_round], by_round[_other(assessment_round)]
            section = _text(frameworks.html(pack, VIC))
            assert f"Total: {own} (" in section
            assert f"Total: {other} (" not in section
            if pack.scores["framework_scores"].query("framework_id == @VIC")["band"].notna().all():
                assert f"Total {own} —" in _text(summary.html(pack))
            checked += 1
    assert checked >= 4


@pytest.mark.slow
def test_build_for_the_earlier_round_shows_that_round_only(two_rounds, tmp_path):
    """`evalkit build --round 2023-24`: the notebook pack and overview of that round."""
    reports = tmp_path / "reports"
    args = ["build", "--processed", str(two_rounds), "--reports", str(reports)]
    assert main([*args, "--round", EARLY, "--formats", "html", "--no-progress"]) == 0
    page = _text((reports / "csp" / "evidence-pack.html").read_text(encoding="utf-8"))
    total, band = TWO_ROUND_TOTALS[EARLY]
    assert f"Total {total} — {band}" in page
    assert "Total 145" not in page and TWO_ROUND_TOTALS[LATE][1] not in page
    assert "review-overdue" not in page and "weak-dimension" in page
    summary_json = (reports / "csp" / "summary.json").read_text(encoding="utf-8")
    assert f'"assessment_round": "{EARLY}"' in summary_json
    overview = _text((reports / "overview" / "portfolio-overview.html").read_text(encoding="utf-8"))
    assert EARLY in overview and "review-overdue" not in overview


@pytest.mark.parametrize("seed", [3, 17])
def test_synthetic_two_round_packs_hold_one_round(tmp_path, seed):
    """Over `evalkit synth --rounds 2`: every pack of either round has one row per
    framework total, and each total the frameworks section prints is its round's."""
    import pandas as pd

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    assert (
        main(
            [
                "synth",
                "--partnerships",
                "6",
                "--seed",
                str(seed),
                "--rounds",
                "2",
                "--out",
                str(raw),
            ]
        )
        == 0
    )
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    written = pd.read_csv(processed / "scores" / "framework_scores.csv", dtype={"round": str})
    assert set(written["round"]) == {EARLY, LATE}
    for pid in sorted(written["partnership_id"].unique()):
        for assessment_round in (EARLY, LATE):
            pack = load_pack(pid, assessment_round, processed)
            totals = pack.scores["framework_scores"]
            assert not totals["framework_id"].duplicated().any()
            for name, frame in pack.scores.items():
                if "round" in frame:
                    assert set(frame["round"].astype(str)) <= {assessment_round}, name
            own = written[
                (written["partnership_id"] == pid)
                & (written["round"] == assessment_round)
                & (written["framework_id"] == VIC)
            ]
            if len(own) and pd.notna(own.iloc[0]["total"]):
                section = _text(frameworks.html(pack, VIC))
                assert f"Total: {int(own.iloc[0]['total'])} (" in section
