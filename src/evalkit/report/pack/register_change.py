"""The partnership's own register entry changed since the last round (under "About").

Read from ``scores/register_changes.csv`` (:mod:`evalkit.method.register_changes`): when
the register now differs from its latest earlier snapshot for this partnership (added,
brought into or out of scope, legal form, tier, money, a review overdue then or now),
a sentence and a small table; nothing when its entry is unchanged or there is no
snapshot. The committee's progress section lays out the same rows for the portfolio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method import register_changes as rc
from evalkit.method.rules import plural
from evalkit.report.fragments import and_list, first_upper, gbp_text, heading, para
from evalkit.values import is_missing

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

#: Each kind of register change as the tables name it.
CHANGE_LABELS = {
    rc.ADDED: "Added to the register",
    rc.ENDED: "Ended (gone from the register)",
    rc.SCOPE: "Scope",
    rc.LEGAL_FORM: "Legal form",
    rc.TIER: "Tier",
    "council cash": "Council cash per year",
    "in kind": "Council in-kind support per year",
    "whole budget": "Whole budget per year",
    rc.REVIEW: "Review overdue",
}
NOT_IN_REGISTER = "not in the register"
#: What changed, as the pack's sentence says it.
READING_WORDS = {
    rc.SCOPE: "whether it is in scope",
    rc.LEGAL_FORM: "its legal form",
    rc.TIER: "its tier",
    "council cash": "the council's cash",
    "in kind": "the council's in-kind support",
    "whole budget": "the whole budget",
    rc.REVIEW: "whether its review is overdue",
}


def register_rows(frame: pd.DataFrame, round_now: str) -> pd.DataFrame:
    """The register changes reported with ``round_now`` (none for another round)."""
    if frame.empty or "round_now" not in frame:
        return frame.iloc[0:0]
    return frame[frame["round_now"].astype(str) == round_now].reset_index(drop=True)


def change_value(what: str, value: object, missing: str) -> str:
    """A register value then or now as a reader sees it: money in pounds, tiers capitalised."""
    if is_missing(value) or str(value) == "":
        return missing
    if what in rc.MONEY.values():
        return gbp_text(float(str(value)))
    if what == rc.TIER:
        return first_upper(value)  # as the cover facts, the overview and the index show it
    return str(value)


def difference_words(gbp: object, percent: object) -> str:
    """A change of money in words: "£200,000 more (+9.1%)"; blank when not money."""
    if is_missing(gbp) or str(gbp).strip() == "":
        return ""
    amount = float(str(gbp))
    size = gbp_text(abs(amount)) + (" more" if amount >= 0 else " less")
    if is_missing(percent):
        return size
    share = float(str(percent))
    return f"{size} ({'+' if share >= 0 else '−'}{abs(share):.1f}%)"


def change_frame(rows: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per register change: partnership, change, then, now and the difference."""
    before, now = str(rows["round_before"].iloc[0]), str(rows["round_now"].iloc[0])
    return pd.DataFrame(
        {
            "Partnership": [
                names.get(str(p), str(n))
                for p, n in zip(rows["partnership_id"], rows["name"], strict=True)
            ],
            "Change": [CHANGE_LABELS.get(str(w), str(w)) for w in rows["what"]],
            f"Then ({before})": [
                change_value(str(w), v, NOT_IN_REGISTER)
                for w, v in zip(rows["what"], rows["before"], strict=True)
            ],
            f"Now ({now})": [
                change_value(str(w), v, NOT_IN_REGISTER)
                for w, v in zip(rows["what"], rows["after"], strict=True)
            ],
            "Difference": [
                difference_words(g, p)
                for g, p in zip(rows["change_gbp"], rows["change_percent"], strict=True)
            ],
        }
    )


def html(pack: Pack) -> str:
    """This partnership's register changes since the last snapshot ('' when none)."""
    from evalkit.report.pack import downloads

    rows = register_rows(pack.scores.get("register_changes", pd.DataFrame()), pack.assessment_round)
    if rows.empty:
        return ""
    before = str(rows["round_before"].iloc[0])
    return (
        '<div class="register-change">'
        + heading(3, f"Register entry changed since {before}")
        + para(reading(rows, pack.name))
        + downloads.table(
            pack,
            change_frame(rows, {pack.partnership_id: pack.name}).drop(columns="Partnership"),
            name="register-changes",
            caption=f"Register entry in {before} and now",
        )
        + "</div>"
    )


def reading(rows: pd.DataFrame, name: str) -> str:
    """One sentence on what changed in a partnership's register entry."""
    before = str(rows["round_before"].iloc[0])
    what = [str(w) for w in rows["what"]]
    if rc.ADDED in what:
        return f"{name} was added to the register after {before}."
    changed = list(dict.fromkeys(READING_WORDS.get(w, w) for w in what))
    return (
        f"Since the register as it stood in {before}, {plural(len(changed), 'thing')} "
        f"changed in this entry: {and_list(changed)}."
    )
