"""Make the returns for a round: one workbook per in-scope partnership, and a sent log.

The register comes from the prepared tables (``evalkit prepare``), last round's actions
from the scores folder when it exists (``evalkit score``). Workbooks are written to
``<interim>/returns/<round>/sent/`` unless another folder is given, and the list of
partnerships sent to ``<interim>/returns/<round>/sent.json`` (for ``returns status``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.atomic import atomic_write_text
from evalkit.errors import EvalkitError
from evalkit.inputs.contract import TABLES_BY_NAME
from evalkit.inputs.dataset import load_dataset_meta, load_tables
from evalkit.inputs.ingest import discover, read_table
from evalkit.inputs.normalise import normalise_column
from evalkit.inputs.returns.ledger import SENT_FILE, returns_interim_dir, sent_ids
from evalkit.inputs.returns.template import build_template
from evalkit.inputs.returns.workbook import DEFAULT_CONTACT, ReturnRequest, write_return
from evalkit.names import id_problem, shown
from evalkit.spreadsheet import read_csv_frame

if TYPE_CHECKING:
    from evalkit.config import Settings
    from evalkit.method.framework import Framework

ACTION_FIELDS = ("round", "priority", "action", "finding", "owner", "due_date")


def in_scope(settings: Settings) -> pd.DataFrame:
    """The prepared register's in-scope partnerships."""
    register = load_tables(settings.processed_dir, ["partnerships"])["partnerships"]
    return register[register["in_scope"].astype(bool)].reset_index(drop=True)


def register_ids(settings: Settings) -> list[str]:
    """In-scope partnership ids read straight from the raw register (no prepare needed).

    Returns are ingested before ``evalkit validate``, so the register is read here with
    the contract's own reader and normalisers, not from the prepared tables.
    """
    discovery = discover(settings.raw_dir, settings)
    spec = TABLES_BY_NAME["partnerships"]
    frames = [
        read_table(spec.name, s, settings).frame for s in discovery.sources.get(spec.name, [])
    ]
    if not frames:
        raise EvalkitError(f"no partnerships table (the register) in {settings.raw_dir.name}")
    register = pd.concat(frames, ignore_index=True)
    ids = normalise_column(register["partnership_id"], spec.column("partnership_id"))
    scoped = normalise_column(register["in_scope"], spec.column("in_scope"))
    return [str(i) for i, keep in zip(ids, scoped, strict=True) if keep is True]


def latest_round(settings: Settings) -> str:
    """The latest assessment round in the prepared checklist and survey tables."""
    tables = load_tables(settings.processed_dir, ["checklist", "responses"])
    rounds = sorted({str(r) for t in tables.values() for r in t["round"].dropna()})
    if not rounds:
        raise EvalkitError("no assessment round in the prepared data; give one with --round")
    return rounds[-1]


def last_actions(settings: Settings, round_: str) -> pd.DataFrame:
    """Actions of the latest scored round before ``round_`` (empty when none)."""
    path = settings.scores_dir / "actions.csv"
    if not path.exists():
        return pd.DataFrame(columns=list(ACTION_FIELDS) + ["partnership_id"])
    actions = read_csv_frame(path, dtype=str, keep_default_na=False)
    earlier = sorted(r for r in actions["round"].unique() if r < round_)
    if not earlier:
        return actions.iloc[0:0]
    chosen: pd.DataFrame = actions[actions["round"] == earlier[-1]]
    return chosen


def _notice(settings: Settings) -> str | None:
    dataset = load_dataset_meta(settings.processed_dir).get("dataset", {})
    return dataset.get("notice") if dataset.get("invented") else None


def make_returns(
    settings: Settings,
    frameworks: Mapping[str, Framework],
    *,
    round_: str | None = None,
    only: Sequence[str] = (),
    out: Path | None = None,
    due: dt.date | None = None,
    contact: str | None = None,
) -> list[Path]:
    """Write one return per in-scope partnership (or those in ``only``); return the paths."""
    round_ = round_ or latest_round(settings)
    problem = id_problem(round_)
    if problem is not None:
        raise EvalkitError(f"round {shown(round_)} cannot be used as a folder name: {problem}")
    register = in_scope(settings)
    ids = list(register["partnership_id"])
    unknown = [p for p in only if p not in ids]
    if unknown:
        raise EvalkitError(f"not an in-scope partnership in the register: {', '.join(unknown)}")
    wanted = [p for p in ids if not only or p in only]
    template = build_template(frameworks)
    actions = last_actions(settings, round_)
    folder = out or returns_interim_dir(settings) / round_ / "sent"
    notice = _notice(settings)
    paths = []
    for pid in wanted:
        row = register[register["partnership_id"] == pid].iloc[0].to_dict()
        mine = actions[actions["partnership_id"] == pid]
        request = ReturnRequest(
            pid,
            round_,
            row,
            [tuple(a[f] for f in ACTION_FIELDS) for a in mine.to_dict("records")],
            due,
            contact or DEFAULT_CONTACT,
            notice,
        )
        paths.append(write_return(folder / f"{pid}-return-{round_}.xlsx", template, request))
    log = returns_interim_dir(settings) / round_ / SENT_FILE
    before = sent_ids(settings, round_)
    sent = {
        "round": round_,
        "partnerships": sorted({*before, *wanted}),
        "template": template.structure_sha256,
    }
    atomic_write_text(log, json.dumps(sent, indent=2) + "\n")
    return paths
