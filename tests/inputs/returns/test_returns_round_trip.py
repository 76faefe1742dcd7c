"""Officer returns: make a workbook, fill it as an officer would, ingest it, check the tables."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalkit.cli import main
from evalkit.config import Settings
from evalkit.inputs.returns import ledger
from evalkit.inputs.returns.outbox import make_returns, register_ids
from evalkit.inputs.returns.template import META_SHEET, build_template
from evalkit.inputs.returns.workbook import ReturnRequest, write_return
from evalkit.method.framework import Framework, load_frameworks
from evalkit.spreadsheet import read_csv_frame

ROUND = "2024-25"
T1 = dt.datetime(2025, 4, 10, 9, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2025, 4, 12, 14, 30, tzinfo=dt.UTC)


@pytest.fixture
def setup(portfolio_csv: Path, tmp_path: Path, frameworks: dict[str, Framework]) -> dict:
    """The small portfolio prepared, with returns made for round 2024-25."""
    processed = tmp_path / "processed"
    assert main(["prepare", "--raw", str(portfolio_csv), "--processed", str(processed)]) == 0
    settings = Settings().with_paths(
        raw_dir=portfolio_csv, processed_dir=processed, interim_dir=tmp_path / "interim"
    )
    chosen = {"governance-checklist": frameworks["governance-checklist"]}
    paths = make_returns(
        settings, chosen, round_=ROUND, out=tmp_path / "out", due=dt.date(2025, 4, 30)
    )
    return {"settings": settings, "frameworks": chosen, "paths": paths, "tmp": tmp_path}


def _fill(path: Path, target: Path, **changes: object) -> Path:
    """Fill a return as an officer would (typing into the unlocked cells) and save a copy."""
    book = load_workbook(path)
    gov = book["Governance checklist"]
    assert gov["A2"].value == "G1.1" and gov["A3"].value == "G1.2"
    gov["D2"], gov["E2"], gov["F2"] = "In place", "ToR 2023", "Agreed by all"
    gov["D3"] = changes.get("rating", "partly in place")
    fin = book["Finance"]
    for cell, value in zip(
        ("A2", "B2", "C2", "D2", "E2"), ("police", "2024-25", "£50,000", "5000", 12), strict=True
    ):
        fin[cell] = value
    risks = book["Risks"]
    for cell, value in zip(
        ("A2", "B2", "C2", "D2"), ("R1", "Funding ends", 3, changes.get("impact", 4)), strict=True
    ):
        risks[cell] = value
    swot = book["SWOT"]
    swot["A2"], swot["B2"] = "Strengths", "Trust between leaders"
    reg = book["Register"]
    assert reg["A4"].value == "Lead officer"
    reg["C4"], reg["D4"] = "no", "D. Officer"
    sign = book["Sign-off"]
    sign["B2"], sign["B3"] = "D. Officer", "Head of Community Safety"
    sign["B4"] = changes.get("date", dt.date(2025, 4, 9))
    for key, value in changes.get("meta", {}).items():  # type: ignore[attr-defined]
        rows = {r[0].value: r[1] for r in book[META_SHEET].iter_rows(max_col=2)}
        rows[key].value = value
    if changes.get("drop_meta"):
        del book[META_SHEET]
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _ingest(setup: dict, folder: Path, now: dt.datetime = T1) -> list[ledger.Outcome]:
    settings = setup["settings"]
    template = build_template(setup["frameworks"])
    ids = register_ids(settings)
    return ledger.ingest(
        folder, settings, template, setup["frameworks"], ids, expected_round=ROUND, now=now
    )


def test_make_writes_one_return_per_in_scope_partnership(setup: dict) -> None:
    names = sorted(p.name for p in setup["paths"])
    assert names == ["csp-return-2024-25.xlsx", "hub-return-2024-25.xlsx"]  # roads is out
    book = load_workbook(setup["paths"][0])
    assert book.sheetnames[:3] == ["Start here", "Register", "Governance checklist"]
    assert book[META_SHEET].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in book[META_SHEET].iter_rows(values_only=True)}
    assert meta["partnership_id"] == "csp" and meta["round"] == ROUND
    assert meta["template_version"] == "1" and len(meta["structure_sha256"]) == 64
    start = [r[0] for r in book["Start here"].iter_rows(values_only=True)]
    assert "By when: 30 April 2025" in start
    gov = book["Governance checklist"]
    assert gov.protection.sheet and gov["A2"].protection.locked
    assert not gov["D2"].protection.locked and gov.freeze_panes == "A2"
    lists = {str(dv.sqref): dv for dv in gov.data_validations.dataValidation}
    rating = lists["D2:D24"]  # 23 items of the governance checklist
    assert rating.type == "list" and not rating.showDropDown
    cells = book["_lists"][rating.formula1.split("!")[1].replace("$", "")]
    assert [row[0].value for row in cells] == [
        "Not in place",
        "Partly in place",
        "In place",
        "not applicable",
    ]
    assert book["Register"]["B4"].value == "A. Officer"
    sent = json.loads((setup["settings"].interim_dir / "returns" / ROUND / "sent.json").read_text())
    assert sent["partnerships"] == ["csp", "hub"]


def test_round_trip_gives_contract_tables(setup: dict) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(setup["paths"][0], inbox / "csp.xlsx")
    [outcome] = _ingest(setup, inbox)
    assert outcome.new and not outcome.read.problems
    folder = setup["settings"].interim_dir / "returns" / ROUND / "csp"
    checklist = read_csv_frame(folder / "checklist.csv", dtype=str, keep_default_na=False)
    assert checklist.values.tolist() == [
        [ROUND, "csp", "governance-checklist", "G1.1", "In place", "ToR 2023", "Agreed by all"],
        [ROUND, "csp", "governance-checklist", "G1.2", "partly in place", "", ""],
    ]
    finance = read_csv_frame(folder / "finance.csv", dtype=str, keep_default_na=False)
    assert list(finance.columns) == [
        "partnership_id",
        "organisation_id",
        "year",
        "cash_gbp",
        "in_kind_gbp",
        "officer_days",
    ]
    assert finance.values.tolist() == [["csp", "police", "2024-25", "50000", "5000", "12"]]
    risks = read_csv_frame(folder / "risks.csv", dtype=str, keep_default_na=False)
    assert risks.values.tolist() == [["csp", "R1", "Funding ends", "3", "4", "", ""]]
    swot = read_csv_frame(folder / "swot.csv", dtype=str, keep_default_na=False)
    assert swot.values.tolist() == [["csp", "strength", "Trust between leaders"]]
    corrections = read_csv_frame(folder / "register-corrections.csv", dtype=str)
    assert corrections[["column", "in_register", "proposed"]].values.tolist() == [
        ["lead_officer", "A. Officer", "D. Officer"]
    ]
    assert ledger.describe(outcome).splitlines() == [
        "csp.xlsx: csp, round 2024-25: valid; 1 register correction(s) for the register keeper",
        "  register correction (Register!D4): lead_officer 'A. Officer' -> 'D. Officer'",
    ]
    kept = setup["settings"].raw_dir / "returns" / ROUND
    assert [p.suffix for p in sorted(kept.iterdir())] == [".json", ".xlsx"]


def test_ingesting_twice_changes_nothing(setup: dict) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(setup["paths"][0], inbox / "csp.xlsx")
    _ingest(setup, inbox, T1)
    raw = setup["settings"].raw_dir / "returns"
    interim = setup["settings"].interim_dir / "returns"
    before = {p: p.read_bytes() for p in [*raw.rglob("*"), *interim.rglob("*")] if p.is_file()}
    [outcome] = _ingest(setup, inbox, T2)
    after = {p: p.read_bytes() for p in [*raw.rglob("*"), *interim.rglob("*")] if p.is_file()}
    assert not outcome.new and after == before
    assert "already received" in ledger.describe(outcome)


def test_tables_cleaned_away_are_written_again_from_the_kept_return(setup: dict) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(setup["paths"][0], inbox / "csp.xlsx")
    _ingest(setup, inbox, T1)
    folder = setup["settings"].interim_dir / "returns" / ROUND / "csp"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for path in folder.iterdir():  # make clean empties data/interim
        path.unlink()
    [outcome] = _ingest(setup, inbox, T2)
    assert not outcome.new
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert len(ledger.receipts(setup["settings"], ROUND)) == 1


def test_a_later_return_supersedes_with_a_reason(setup: dict) -> None:
    first = _fill(setup["paths"][0], setup["tmp"] / "in1" / "csp.xlsx")
    second = _fill(setup["paths"][0], setup["tmp"] / "in2" / "csp.xlsx", impact=5)
    [one] = _ingest(setup, first.parent, T1)
    [two] = _ingest(setup, second.parent, T2)
    assert two.receipt.supersedes == one.receipt.file
    assert two.receipt.reason == (
        "a later return for csp, round 2024-25, received 2025-04-12T14:30:00Z, replaces the "
        "one received 2025-04-10T09:00:00Z"
    )
    risks = setup["settings"].interim_dir / "returns" / ROUND / "csp" / "risks.csv"
    assert read_csv_frame(risks, dtype=str)["impact"].tolist() == ["5"]
    assert len(ledger.receipts(setup["settings"], ROUND)) == 2


def test_pasted_values_are_located_by_cell(setup: dict) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(
        setup["paths"][0],
        inbox / "csp.xlsx",
        rating="Mostly done",
        impact="very high",
        date="end of March",
    )
    [outcome] = _ingest(setup, inbox)
    lines = [p.line() for p in outcome.read.problems]
    assert lines == [
        "csp.xlsx → Governance checklist → D3: found 'Mostly done'; expected one of: Not in "
        "place, Partly in place, In place, not applicable",
        "csp.xlsx → Risks → D2: found 'very high'; expected a whole number from 1 to 5",
        "csp.xlsx → Sign-off → B4: found 'end of March'; expected a date (dd/mm/yyyy, "
        "yyyy-mm-dd or an Excel date cell)",
    ]
    assert not outcome.read.refused
    folder = setup["settings"].interim_dir / "returns" / ROUND / "csp"
    checklist = read_csv_frame(folder / "checklist.csv", dtype=str, keep_default_na=False)
    assert checklist["status"].tolist() == ["In place", ""]  # the bad rating is left out
    assert read_csv_frame(folder / "risks.csv").empty  # a risk without its impact is left out


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"meta": {"partnership_id": "roads"}},
            "_metadata → partnership_id: found partnership_id "
            "'roads'; expected an in-scope partnership in the register",
        ),
        (
            {"meta": {"round": "2023-24"}},
            "_metadata → round: found round '2023-24'; expected round 2024-25",
        ),
        (
            {"meta": {"template_version": "0"}},
            "_metadata → template_version: found template_version '0'; expected template version 1",
        ),
        (
            {"meta": {"structure_sha256": "abc"}},
            "_metadata → structure_sha256: found "
            "structure_sha256 'abc'; expected the structure of the returns made now",
        ),
        ({"drop_meta": True}, "csp.xlsx: found no metadata sheet; expected the hidden sheet"),
    ],
)
def test_each_metadata_mismatch_refuses_the_return(
    setup: dict, changes: dict, expected: str
) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(setup["paths"][0], inbox / "csp.xlsx", **changes)
    [outcome] = _ingest(setup, inbox)
    assert outcome.read.refused
    assert any(expected in p.line() for p in outcome.read.problems), outcome.read.problems
    assert not (setup["settings"].interim_dir / "returns" / ROUND / "csp").exists()


def test_status_table(setup: dict) -> None:
    inbox = setup["tmp"] / "inbox"
    _fill(setup["paths"][0], inbox / "csp.xlsx", impact="very high")
    _ingest(setup, inbox)
    settings = setup["settings"]
    frame = ledger.status_frame(ledger.status(settings, ROUND, register_ids(settings)))
    assert frame.values.tolist() == [
        ["csp", "yes", "yes", "no", 1, "no"],
        ["hub", "yes", "no", "no", 0, "yes"],
    ]
    text = ledger.status_text(frame, ROUND)
    assert text.splitlines()[-1] == "2 sent, 1 received, 0 valid, 1 missing"


OWN_FRAMEWORK = """\
id: council-own
title: Our own partnership health check
short_title: Our health check
edition: "2025"
source: {citation: "Northshire County Council (fictional), 2025."}
confirmation: evalkit
confirmation_note: "A council's own checklist, for the test."
mode: checklist
scale: status3
dimensions:
  - {id: H1, title: Purpose}
items:
  - {id: H1.1, dimension: H1, text: "=HYPERLINK(\\"http://x\\",\\"click\\")", evidence_level: D}
  - {id: H1.2, dimension: H1, text: "Partners meet.", evidence_level: D}
"""


def test_a_councils_own_framework_gets_its_own_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "council-own.yaml").write_text(OWN_FRAMEWORK, encoding="utf-8")
    frameworks = load_frameworks([folder])
    template = build_template({"council-own": frameworks["council-own"]})
    [sheet] = template.checklists
    assert sheet.title == "Our health check"
    assert sheet.choices == ("Not in place", "Partly in place", "In place", "not applicable")
    assert [i[0] for i in sheet.items] == ["H1.1", "H1.2"]


def test_formula_like_text_in_register_facts_is_inert(tmp_path: Path) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "council-own.yaml").write_text(OWN_FRAMEWORK, encoding="utf-8")
    template = build_template({"council-own": load_frameworks([folder])["council-own"]})
    register = {"name": '=HYPERLINK("http://x","y")', "lead_officer": "@SUM(A1)", "tier": "-1+2"}
    request = ReturnRequest("csp", ROUND, register)
    path = write_return(tmp_path / "csp.xlsx", template, request)
    book = load_workbook(path)
    reg = book["Register"]
    assert reg["A2"].value == "Partnership"
    assert reg["B2"].value == '\'=HYPERLINK("http://x","y")' and reg["B2"].data_type == "s"
    assert reg["B4"].value == "'@SUM(A1)" and reg["B6"].value == "'-1+2"
    assert book["Start here"]["A1"].value == (
        'Partnership return for =HYPERLINK("http://x","y"), round 2024-25'
    )
    statement = book["Our health check"]["C2"]
    assert statement.value == '\'=HYPERLINK("http://x","click")' and statement.data_type == "s"


def test_an_inserted_row_and_a_typed_over_dropdown_are_read_where_they_are(setup: dict) -> None:
    path = _fill(setup["paths"][0], setup["tmp"] / "filled.xlsx")
    book = load_workbook(path)
    gov = book["Governance checklist"]
    gov.insert_rows(3)  # the officer inserts a row under G1.1 for a note of their own
    gov["F3"] = "Our own note, no item"
    assert gov["A4"].value == "G1.2"
    gov["D4"] = "Yes"  # typed over the dropdown: an alias of "In place"
    book["Register"]["C5"] = "Y"
    inbox = setup["tmp"] / "inbox"
    inbox.mkdir()
    book.save(inbox / "csp.xlsx")
    [outcome] = _ingest(setup, inbox)
    assert [p.line() for p in outcome.read.problems] == [
        "csp.xlsx → Governance checklist → A3: found blank; expected an item id of "
        "governance-checklist"
    ]
    folder = setup["settings"].interim_dir / "returns" / ROUND / "csp"
    checklist = read_csv_frame(folder / "checklist.csv", dtype=str, keep_default_na=False)
    assert checklist[["item_id", "status"]].values.tolist() == [
        ["G1.1", "In place"],
        ["G1.2", "Yes"],
    ]
