"""Findings and actions carried forward, in the score files and the pack, worked by hand.

The two-round portfolio (tests/small_portfolio.py): in 2023-24 csp's only finding is
``weak-dimension`` (VicHealth), whose medium-priority action was due by 30 September
2024 (six months after 31 March 2024). The officer's return for 2024-25 says it is
"in progress". In 2024-25 (judged at 31 March 2025) the review is overdue and the unit
cost rose, and the weak VicHealth domains are gone.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from evalkit.cli import main
from evalkit.method.results import ScoredFolder
from evalkit.report.pack import findings, load_pack
from small_portfolio import EARLY, LATE, write_two_rounds


@pytest.fixture(scope="module")
def carried(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-round portfolio with one action status returned, prepared and scored."""
    base = tmp_path_factory.mktemp("carried")
    raw = write_two_rounds(base / "raw")
    interim = base / "interim"
    folder = interim / "returns" / LATE / "csp"
    folder.mkdir(parents=True)
    with (folder / "action-statuses.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["round", "partnership_id", "finding", "action", "status", "comment"])
        writer.writerow([EARLY, "csp", "weak-dimension", "Work on it.", "in progress", ""])
    processed = base / "processed"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_INTERIM", str(interim))
        assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
        assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


def test_findings_are_marked_against_the_round_before(carried):
    f = ScoredFolder.open(carried).scores("csp")["findings"]
    marks = {
        (r, c): ("" if s != s else s)  # a blank cell reads back as NaN
        for r, c, s in zip(f["round"], f["code"], f["since_last_round"], strict=True)
    }
    assert marks == {
        (EARLY, "weak-dimension"): "",  # the first round: nothing to compare with
        (LATE, "review-overdue"): "new",
        (LATE, "unit-cost-rising"): "new",
        (LATE, "action-overdue"): "new",
    }


def test_the_action_in_progress_past_its_date_is_overdue(carried):
    progress = ScoredFolder.open(carried).scores("csp")["action_progress"]
    assert len(progress) == 1
    row = progress.iloc[0]
    assert (row["previous_round"], row["round"], row["finding"]) == (EARLY, LATE, "weak-dimension")
    assert (row["due_date"], row["reported"], row["status"]) == (
        "2024-09-30",
        "in progress",
        "overdue",
    )
    f = ScoredFolder.open(carried).scores("csp")["findings"]
    (message,) = f.loc[f["code"] == "action-overdue", "message"]
    assert message == (
        "1 action from 2023-24 is past the due date and not done, the earliest due by "
        "30 September 2024 (for weak-dimension)."
    )


def test_the_pack_shows_since_last_round_resolved_and_the_actions(carried):
    pack = load_pack("csp", LATE, carried)
    soup = BeautifulSoup(findings.html(pack), "html.parser")
    table = soup.find("table")
    heads = [th.get_text() for th in table.find("tr").find_all("th")]
    assert heads == ["Priority", "Code", "Finding", "Since last round", "Evidence"]
    since = {
        tr.find_all(["th", "td"])[1].get_text(): tr.find_all(["th", "td"])[3].get_text()
        for tr in table.find_all("tr")[1:]
    }
    assert since == {"review-overdue": "new", "unit-cost-rising": "new", "action-overdue": "new"}
    said = [p.get_text() for p in soup.find_all("p")]
    resolved = "Resolved since 2023-24: 1 finding no longer found: weak-dimension (VicHealth tool)."
    assert resolved in said
    assert (
        "The officer's return gave the status of the 1 action set in 2023-24: 1 overdue. An "
        "action is overdue when its due date passed before the end of this round and it is "
        "not done or dropped." in said
    )
    assert soup.find("h3", id="action-progress").get_text() == "Actions from 2023-24"


def test_the_first_rounds_pack_has_no_carried_column(carried):
    pack = load_pack("csp", EARLY, carried)
    table = BeautifulSoup(findings.html(pack), "html.parser").find("table")
    heads = [th.get_text() for th in table.find("tr").find_all("th")]
    assert "Since last round" not in heads


def test_scoring_records_the_returns_it_read_so_packs_rebuild_when_they_change(carried):
    import hashlib
    import json

    meta = json.loads((carried / "scores" / "scoring.json").read_text(encoding="utf-8"))
    assert list(meta["action_statuses"]) == [f"{LATE}/csp"]
    assert len(meta["action_statuses"][f"{LATE}/csp"]) == len(hashlib.sha256().hexdigest())
