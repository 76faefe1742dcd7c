"""``evalkit score`` over two rounds: every round scored, findings made per round.

The two-round portfolio is worked by hand in tests/small_portfolio.py (csp's VicHealth
ratings: 65 in 2023-24, 145 in 2024-25; 100 visits for 10,000 then 80 for 12,000).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit.cli import main
from evalkit.method.run import for_round, in_round, round_scope
from evalkit.spreadsheet import read_csv_frame
from small_portfolio import EARLY, LATE, TWO_ROUND_TOTALS, write_two_rounds


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-round portfolio, prepared and scored; the scores folder."""
    base = tmp_path_factory.mktemp("run")
    raw = write_two_rounds(base / "raw")
    processed = base / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed / "scores"


def _read(scores: Path, name: str) -> pd.DataFrame:
    return read_csv_frame(scores / f"{name}.csv", dtype={"round": str})


def test_every_round_is_scored_with_its_own_totals(scores):
    totals = _read(scores, "framework_scores")
    csp = totals[(totals["partnership_id"] == "csp") & (totals["framework_id"] == "vichealth-pat")]
    got = {r: (int(t), b) for r, t, b in zip(csp["round"], csp["total"], csp["band"], strict=True)}
    assert got == TWO_ROUND_TOTALS


def test_findings_and_actions_carry_their_round(scores):
    findings = _read(scores, "findings")
    assert list(findings.columns[:2]) == ["round", "partnership_id"]
    csp = findings[findings["partnership_id"] == "csp"]
    by_round = {r: set(g["code"]) for r, g in csp.groupby("round")}
    # 2023-24, judged at 31/03/2024: every VicHealth domain under 3 -> weak; the review
    # due 01/04/2024 is not yet due; one year of costs, so no trend.
    assert by_round[EARLY] == {"weak-dimension"}
    # 2024-25, judged at 31/03/2025: no weak domain; 01/04/2024 -> 31/03/2025 is 364 days;
    # cost per visit 10,000/100 = 100 -> 12,000/80 = 150, +50 %.
    assert by_round[LATE] == {"review-overdue", "unit-cost-rising"}
    late = csp[csp["round"] == LATE].set_index("code")["evidence"].map(json.loads)
    assert late["review-overdue"]["days_overdue"] == 364
    assert late["unit-cost-rising"]["change_pct"] == 50.0
    actions = _read(scores, "actions")
    assert list(actions.columns[:2]) == ["round", "partnership_id"]
    acted = actions[actions["partnership_id"] == "csp"]
    assert {r: set(g["finding"]) for r, g in acted.groupby("round")} == by_round


def test_unit_cost_trend_is_worked_out_per_round(scores):
    trend = _read(scores, "vfm_trend")
    assert list(trend["round"]) == [LATE]  # 2023-24 has one year of costs: no trend
    row = trend.iloc[0]
    assert (row["previous_cost"], row["latest_cost"], row["change_pct"]) == (100, 150, 50)


def test_scoring_json_names_each_round_and_its_as_at_date(scores):
    meta = json.loads((scores / "scoring.json").read_text(encoding="utf-8"))
    assert meta["assessment_round"] == LATE and meta["as_of"] == "2025-03-31"
    assert meta["rounds"] == {EARLY: "2024-03-31", LATE: "2025-03-31"}


def test_in_round_keeps_years_ending_by_the_rounds_end():
    periods = pd.Series(["2022-23", "2023-24", "2024-25", "2023", "2024", "", "annual"])
    # 2023-24 ends 31/03/2024: "2023" ends 31/12/2023 (kept), "2024" 31/12/2024 (not);
    # periods without a year cannot be placed and are kept
    assert list(in_round(periods, "2023-24")) == [True, True, False, True, False, True, True]
    assert in_round(periods, "").all()  # no round to cut at


def test_for_round_cuts_every_table_once():
    tables = {
        "dimension_scores": pd.DataFrame({"round": [EARLY, LATE], "score": [2.0, 4.0]}),
        "findings": pd.DataFrame({"round": [EARLY, LATE, LATE], "code": ["a", "b", "c"]}),
        "vfm_inputs": pd.DataFrame({"year": [EARLY, LATE], "total_gbp": [10.0, 12.0]}),
        "vfm_indicators": pd.DataFrame({"period": [EARLY, LATE], "actual": [100, 80]}),
        "risks": pd.DataFrame({"risk_id": ["R1"]}),
        "equity": pd.DataFrame(),
    }
    early = for_round(tables, EARLY)
    assert list(early["dimension_scores"]["score"]) == [2.0]
    assert list(early["findings"]["code"]) == ["a"]
    assert list(early["vfm_inputs"]["total_gbp"]) == [10.0]
    assert list(early["vfm_indicators"]["actual"]) == [100]
    assert list(early["risks"]["risk_id"]) == ["R1"]  # the register has no round
    late = for_round(tables, LATE)
    assert list(late["findings"]["code"]) == ["b", "c"]
    assert list(late["vfm_inputs"]["total_gbp"]) == [10.0, 12.0]  # years up to 2024-25
    assert early["equity"].empty


def test_sample_findings_exist_for_every_round(sample_scored):
    findings = read_csv_frame(sample_scored["processed"] / "scores" / "findings.csv", dtype=str)
    assert set(findings["round"]) == {"2022-23", EARLY, LATE}
    meta = json.loads((sample_scored["processed"] / "scores" / "scoring.json").read_text())
    assert meta["assessment_round"] == LATE


def test_each_round_is_compared_with_the_one_before(scores):
    """csp's VicHealth domains: 2 -> 4 (V2-V6), 2 -> 5 (V1), 1 -> 4 (V7); all improved.

    Nuffield was answered in 2024-25 only, so it has nothing to compare with.
    """
    from evalkit.method.results import ScoredFolder

    changes = ScoredFolder.open(scores.parent).scores("csp")["changes"]
    assert set(changes["framework_id"]) == {"vichealth-pat"}
    assert set(zip(changes["previous_round"], changes["round"], strict=True)) == {(EARLY, LATE)}
    by_domain = changes.set_index("dimension_id")
    expected = {f"V{i}": (2.0, 4.0) for i in range(2, 7)} | {"V1": (2.0, 5.0), "V7": (1.0, 4.0)}
    got = {d: (float(r["previous_score"]), float(r["score"])) for d, r in by_domain.iterrows()}
    assert got == expected
    assert list(by_domain["change"]) == [expected[d][1] - expected[d][0] for d in by_domain.index]
    assert set(by_domain["call"]) == {"improved"}
    assert set(by_domain["n"]) == {5}  # five statements rated in each domain
    assert str(by_domain["n"].dtype) == "Int64"


def test_a_round_with_a_register_snapshot_judges_only_what_was_in_scope_then():
    now = pd.DataFrame(
        {
            "partnership_id": ["a", "b", "c"],
            "in_scope": pd.array([True, True, True], dtype="boolean"),
        }
    )
    # then: a in scope, b out of scope, c not yet on the register, z since ended
    then = pd.DataFrame(
        {
            "partnership_id": ["a", "b", "z"],
            "in_scope": pd.array([True, False, True], dtype="boolean"),
        }
    )
    assert list(round_scope(now, then)["partnership_id"]) == ["a"]
    assert list(round_scope(now, None)["partnership_id"]) == ["a", "b", "c"]


def test_the_sample_judges_2023_24_on_its_own_register(sample_scored):
    findings = read_csv_frame(sample_scored["processed"] / "scores" / "findings.csv")
    earlier = set(findings.loc[findings["round"] == "2023-24", "partnership_id"])
    # the 2023-24 snapshot: parish-councils not yet on the register, national-highways
    # out of scope; neither gets findings for that round
    assert "parish-councils" not in earlier and "national-highways" not in earlier
    later = findings[findings["round"] == "2024-25"]
    marks = set(later.loc[later["partnership_id"] == "national-highways", "since_last_round"])
    assert marks == {"first assessed"}
