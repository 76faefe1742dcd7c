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
"""

from __future__ import annotations

import datetime as dt
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
    sign = book["Sign-off"]
    for r, value in enumerate(SIGNED[pid], 2):
        sign.cell(row=r, column=2, value=value or None)
    save_workbook(book, path)


def write_returns(raw: Path, returned: dict[str, pd.DataFrame], notice: str) -> list[Path]:
    """Write the filled sample returns into ``raw / INBOX``; return their paths."""
    from make_sample_data import HEADERS
    from make_sample_data import PARTNERSHIPS as ROWS

    template = build_template(load_frameworks())
    register = {row[0]: _register_row(list(HEADERS), row) for row in ROWS}
    paths = []
    for pid in RETURNED:
        path = raw / INBOX / f"{pid}-return-{ROUND}.xlsx"
        write_return(path, template, ReturnRequest(pid, ROUND, register[pid], notice=notice))
        _fill(path, pid, returned)
        paths.append(path)
    return paths
