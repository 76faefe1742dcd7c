"""Invented officer returns for the sample: a few partnerships' workbooks, filled in.

Three in-scope sample partnerships "send back" their return for the latest round, filled
in with openpyxl as an officer would (typing into the unlocked cells), with the typical
mistakes the ingest reports without stopping: a rating pasted from elsewhere that is not
in the dropdown, a date typed as words, and a sign-off left partly blank. The rows these
returns carry (the round's checklist, the latest year's finance and indicators, the
risks and the SWOT of those partnerships) are taken out of ``portfolio.xlsx`` by
:func:`split_returned`, so nothing is counted twice. ``tools/make_sample_data.py`` calls
both functions; ``make packs`` ingests the folder with
``evalkit returns ingest data/raw/returns/inbox --accept-problems``.

The three partnerships were assessed in 2023-24 too, so their returns list that round's
actions (as ``evalkit returns make`` prefills them from the scores) and the officers give
each a status: most done, some in progress or not started, two dropped, and one (the City
Deal's exit arrangements) still in progress after its due date, so it is overdue.
:func:`last_round_actions` scores a copy of the sample to find those actions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

from evalkit.inputs.contract import PARTNERSHIPS
from evalkit.inputs.normalise import header_key
from evalkit.inputs.returns.template import build_template
from evalkit.inputs.returns.workbook import ReturnRequest, write_return
from evalkit.method.framework import load_frameworks
from evalkit.spreadsheet import save_workbook

#: The partnerships whose returns came back, and their officers' mistakes.
RETURNED = ("city-deal-lep", "integrated-care-board", "vcse-agreement")
#: Where ``make packs`` finds the returned workbooks, under the raw folder.
INBOX = Path("returns") / "inbox"
ROUND = "2024-25"
SIGNED = {
    "city-deal-lep": ("Head of Economic Growth (invented)", "Partnership lead", "09/04/2025"),
    "integrated-care-board": (
        "Director of Adult Services (invented)",
        "Lead officer",
        "end of April",
    ),
    "vcse-agreement": ("Head of Communities (invented)", "", dt.date(2025, 4, 14)),
}
#: What each officer says of last round's (2023-24) actions, by finding code: the status
#: chosen from the dropdown and a comment. An action whose finding is not listed is left
#: blank ("not reported").
STATUSES: dict[tuple[str, str], tuple[str, str]] = {
    ("city-deal-lep", "high-risk"): ("done", "Milestones reviewed quarterly since June 2024"),
    ("city-deal-lep", "no-exit-arrangements"): (
        "in progress",
        "Exit terms drafted; the board has not agreed them yet",
    ),
    ("city-deal-lep", "partners-diverge"): ("done", "Board workshop held in November 2024"),
    ("city-deal-lep", "review-overdue"): ("done", "Review booked for the May 2025 board"),
    ("city-deal-lep", "weak-dimension"): ("done", "Improvement plan agreed in December 2024"),
    ("city-deal-lep", "council-view-differs"): ("not started", ""),
    ("city-deal-lep", "evidence-missing"): ("in progress", "Evidence log being filled in"),
    ("city-deal-lep", "governing-document-old"): ("not started", "Waiting for the review"),
    ("city-deal-lep", "target-missed"): ("done", "Target kept; delivery plan revised"),
    ("city-deal-lep", "toolkit-not-used"): ("in progress", "Toolkit to be used at the review"),
    ("integrated-care-board", "high-risk"): ("done", "Risk share confirmed in the s75 schedule"),
    ("integrated-care-board", "partners-diverge"): ("done", "Discussed at the board in July"),
    ("integrated-care-board", "weak-dimension"): ("done", "Joint improvement plan agreed"),
    ("integrated-care-board", "evidence-missing"): ("in progress", ""),
    ("integrated-care-board", "target-missed"): ("done", "Target reset with the NHS"),
    ("vcse-agreement", "no-exit-arrangements"): (
        "dropped",
        "Exit terms will be part of the refreshed agreement",
    ),
    ("vcse-agreement", "outcome-wrong-way"): ("done", "Explained at the VCSE forum in July"),
    ("vcse-agreement", "partners-diverge"): ("done", "Discussed at the VCSE forum"),
    ("vcse-agreement", "review-never-recorded"): (
        "dropped",
        "Folded into the refresh of the agreement",
    ),
    ("vcse-agreement", "weak-dimension"): ("done", "Actions agreed with the VCSE forum"),
    ("vcse-agreement", "council-view-differs"): ("in progress", ""),
    ("vcse-agreement", "evidence-missing"): ("not started", ""),
    ("vcse-agreement", "governing-document-old"): ("in progress", "Refresh under way"),
    ("vcse-agreement", "target-missed"): ("done", ""),
    ("vcse-agreement", "toolkit-not-used"): ("not started", ""),
}
#: The columns of a return's Actions sheet that ``evalkit returns make`` prefills.
ACTION_FIELDS = ("round", "priority", "action", "finding", "owner", "due_date")
#: A rating pasted from another spreadsheet: not one of the dropdown's choices.
PASTED = ("integrated-care-board", "governance-checklist", "G3.2", "Mostly in place")


def _carried(name: str, frame: pd.DataFrame) -> pd.Series:
    """Which rows of a sample table the returns carry."""
    mine = frame["partnership_id"].isin(RETURNED)
    if name == "checklist":
        return mine & (frame["round"] == ROUND)
    if name == "finance":
        return mine & (frame["year"] == ROUND)
    if name == "indicators":
        return mine & (frame["period"] == ROUND)
    return mine


def split_returned(
    tables: dict[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(tables without the rows the returns carry, those rows), so none is counted twice."""
    kept, returned = dict(tables), {}
    for name in ("checklist", "finance", "indicators", "risks", "swot"):
        rows = _carried(name, tables[name])
        kept[name] = tables[name][~rows].reset_index(drop=True)
        returned[name] = tables[name][rows].reset_index(drop=True)
    return kept, returned


def _register_row(headers: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A raw register row keyed by contract column name."""
    names = {header_key(c.name): c.name for c in PARTNERSHIPS.columns}
    return {names.get(header_key(h), h): v for h, v in zip(headers, row, strict=False)}


def _put_rows(sheet: Any, frame: pd.DataFrame, columns: list[str]) -> None:
    """Type a table's rows into a sheet below its header, as an officer would."""
    for r, values in enumerate(frame[columns].itertuples(index=False), 2):
        for c, value in enumerate(values, 1):
            sheet.cell(row=r, column=c, value=None if pd.isna(value) else value)


def _fill(path: Path, pid: str, returned: dict[str, pd.DataFrame]) -> None:
    """Fill one made return with its partnership's rows and mistakes; save it in place."""
    book = load_workbook(path)
    template = build_template(load_frameworks())
    checklist = returned["checklist"][returned["checklist"]["partnership_id"] == pid]
    for sheet in template.checklists:
        ws = book[sheet.title]
        rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
        mine = checklist[checklist["framework_id"] == sheet.framework_id]
        for item in mine.itertuples(index=False):
            r = rows[item.item_id]
            status = item.status
            if (pid, sheet.framework_id, item.item_id) == PASTED[:3]:
                status = PASTED[3]
            for c, value in ((4, status), (5, item.evidence_ref), (6, item.note)):
                ws.cell(row=r, column=c, value=None if pd.isna(value) else value)
    for table in template.tables:
        frame = returned[table.table]
        _put_rows(book[table.title], frame[frame["partnership_id"] == pid], list(table.names))
    actions = book["Actions"]
    for r in range(2, actions.max_row + 1):
        said = STATUSES.get((pid, str(actions.cell(row=r, column=4).value)))
        if said is not None:
            actions.cell(row=r, column=7, value=said[0])
            actions.cell(row=r, column=8, value=said[1] or None)
    sign = book["Sign-off"]
    for r, value in enumerate(SIGNED[pid], 2):
        sign.cell(row=r, column=2, value=value or None)
    save_workbook(book, path)


def last_round_actions(raw: Path) -> pd.DataFrame:
    """The returned partnerships' actions of the round before ``ROUND``, as scored.

    A copy of the sample in ``raw`` is taken through ``evalkit run``'s first stages
    (returns, survey export, prepare, score) in a temporary folder, so the actions are
    exactly those ``evalkit returns make`` would put in the returns.
    """
    from evalkit.cli import main
    from evalkit.spreadsheet import read_csv_frame

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        copy = base / "raw"
        shutil.copytree(raw, copy, ignore=shutil.ignore_patterns("20*"))
        paths = ["--raw", str(copy), "--interim", str(base / "interim")]
        processed = ["--raw", str(copy), "--processed", str(base / "processed")]
        saved = {k: os.environ.get(k) for k in ("EVALKIT_INTERIM", "EVALKIT_RESPONDENT_KEY")}
        os.environ["EVALKIT_INTERIM"] = str(base / "interim")
        os.environ["EVALKIT_RESPONDENT_KEY"] = str(base / "respondent.key")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                steps = [["returns", "ingest", str(copy / INBOX), *paths, "--accept-problems"]]
                for export in sorted((copy / "survey").glob("*.xlsx")):
                    mapping = str(export.with_suffix(".mapping.yaml"))
                    steps.append(["survey", "import", str(export), "--mapping", mapping])
                steps += [["prepare", *processed], ["score", *processed]]
                for step in steps:
                    if main(step) != 0:
                        raise SystemExit(f"the sample did not score: evalkit {step[0]} failed")
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        actions = read_csv_frame(
            base / "processed" / "scores" / "actions.csv", dtype=str, keep_default_na=False
        )
    earlier = sorted(r for r in actions["round"].unique() if r < ROUND)
    if not earlier:
        return actions.iloc[0:0]
    return actions[
        (actions["round"] == earlier[-1]) & actions["partnership_id"].isin(RETURNED)
    ].reset_index(drop=True)


def write_returns(
    raw: Path,
    returned: dict[str, pd.DataFrame],
    notice: str,
    actions: pd.DataFrame | None = None,
) -> list[Path]:
    """Write the filled sample returns into ``raw / INBOX``; return their paths.

    ``actions`` are last round's actions (:func:`last_round_actions`); each return lists
    its partnership's, with the officer's status (``STATUSES``).
    """
    from make_sample_data import HEADERS
    from make_sample_data import PARTNERSHIPS as ROWS

    template = build_template(load_frameworks())
    register = {row[0]: _register_row(list(HEADERS), row) for row in ROWS}
    paths = []
    for pid in RETURNED:
        path = raw / INBOX / f"{pid}-return-{ROUND}.xlsx"
        mine = pd.DataFrame() if actions is None else actions[actions["partnership_id"] == pid]
        rows = [tuple(a[f] for f in ACTION_FIELDS) for a in mine.to_dict("records")]
        request = ReturnRequest(pid, ROUND, register[pid], rows, notice=notice)
        write_return(path, template, request)
        _fill(path, pid, returned)
        paths.append(path)
    return paths
