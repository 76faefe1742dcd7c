"""Assessment rounds and what each holds: ``evalkit rounds``.

Reads the prepared tables (``data/processed``), for returns the officer returns kept as
received (``data/raw/returns/<round>/``), and the register snapshots
(``data/raw/registers/<round>.xlsx``). Nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass

import pandas as pd


@dataclass(frozen=True)
class RoundCoverage:
    """What one assessment round holds.

    Attributes:
        round: the round.
        partnerships: partnerships with any survey answer or checklist rating.
        organisations: organisations with at least one survey answer.
        respondents: people with at least one survey answer.
        checklist_ratings: checklist items rated (not blank).
        returns_received: partnerships whose officer return for the round was accepted.
        register_snapshot: the register as it stood at the round was saved
            (:mod:`evalkit.inputs.history`).
    """

    round: str
    partnerships: int
    organisations: int
    respondents: int
    checklist_ratings: int
    returns_received: int
    register_snapshot: bool = False


def _answered(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows whose ``column`` holds something (not blank)."""
    if frame.empty or column not in frame:
        return frame.iloc[0:0]
    text = frame[column].astype("object").fillna("").astype(str).str.strip()
    return frame[text != ""]


def coverage(
    tables: Mapping[str, pd.DataFrame],
    returns_received: Mapping[str, int] | None = None,
    snapshots: Collection[str] = (),
) -> list[RoundCoverage]:
    """Every round found in the answers, the returns or the register snapshots, oldest first.

    Args:
        tables: the prepared tables (``responses`` and ``checklist`` are read).
        returns_received: round → partnerships whose return was accepted.
        snapshots: the rounds with a register snapshot.
    """
    returns = dict(returns_received or {})
    answers = _answered(tables.get("responses", pd.DataFrame()), "response")
    ratings = _answered(tables.get("checklist", pd.DataFrame()), "status")
    rounds = {str(r) for r in answers.get("round", [])} | {str(r) for r in ratings.get("round", [])}
    out = []
    for name in sorted(rounds | set(returns) | set(snapshots)):
        mine = answers[answers["round"].astype(str) == name] if len(answers) else answers
        rated = ratings[ratings["round"].astype(str) == name] if len(ratings) else ratings
        partnerships = set(mine.get("partnership_id", [])) | set(rated.get("partnership_id", []))
        out.append(
            RoundCoverage(
                round=name,
                partnerships=len(partnerships),
                organisations=int(mine["organisation_id"].nunique()) if len(mine) else 0,
                respondents=int(mine["respondent_id"].nunique()) if len(mine) else 0,
                checklist_ratings=len(rated),
                returns_received=int(returns.get(name, 0)),
                register_snapshot=name in snapshots,
            )
        )
    return out


HEADINGS = {
    "round": "Round",
    "partnerships": "Partnerships",
    "organisations": "Organisations",
    "respondents": "Respondents",
    "checklist_ratings": "Checklist ratings",
    "returns_received": "Returns received",
    "register_snapshot": "Register snapshot",
}


def _cell(value: object) -> str:
    """A value in the terminal table: yes or no for a flag."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def coverage_text(rows: list[RoundCoverage]) -> str:
    """The rounds as a plain-text table for the terminal."""
    if not rows:
        return (
            "No assessment rounds found: no survey answers, ratings, returns or register snapshots."
        )
    cells = [list(HEADINGS.values())] + [[_cell(v) for v in asdict(r).values()] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADINGS))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    return "\n".join(lines)
