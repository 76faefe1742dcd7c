"""Findings from the rules, and the action plan that answers them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import SEVERITY_WORDS, heading, para
from evalkit.report.labels import labelled
from evalkit.report.pack import downloads

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def html(pack: Pack) -> str:
    """Findings and the action plan."""
    f = pack.findings()
    actions = pack.scores["actions"]
    out = heading(2, "Findings and action plan")
    if f.empty:
        return out + para("The rules found nothing to act on.")
    out += para(
        "Findings come from fixed rules applied to the scores and register facts "
        "(see docs/scoring.md); each has a stable code so it can be tracked between "
        "rounds."
    )
    out += downloads.table(
        pack,
        labelled(
            f.assign(severity=f["severity"].map(SEVERITY_WORDS)),
            "findings",
            ["severity", "code", "message"],
        ),
        name="findings",
        caption="Findings, most serious first",
    )
    if len(actions):
        out += downloads.table(
            pack,
            action_plan(actions),
            name="action-plan",
            caption="Action plan (one row an action, with the findings it answers)",
        )
    return out


def action_plan(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct action (same priority, wording, owner and timescale).

    Several findings often call for the same action (say, recording the evidence behind
    each rating); listing it once, with the findings it answers, reads as a plan.
    """
    keys = ["priority", "action", "owner", "timescale"]
    plan = (
        actions.fillna({"owner": "", "timescale": ""})
        .groupby(keys, sort=False)["finding"]
        .agg(_answers)
        .reset_index()
    )
    plan["priority"] = plan["priority"].map(SEVERITY_WORDS)
    return labelled(plan, "actions", ["priority", "action", "finding", "owner", "timescale"])


def _answers(codes: pd.Series) -> str:
    """Finding codes in first-seen order, each with how many times it occurs if more than once."""
    counts = codes.value_counts(sort=False)
    return ", ".join(f"{code} ×{n}" if n > 1 else str(code) for code, n in counts.items())
