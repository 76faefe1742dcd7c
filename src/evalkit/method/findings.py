"""Findings: what an evaluation discovers, kept as data.

A finding has a stable kebab-case ``code`` (safe to filter and count on), a
``severity``, a plain-English ``message`` and the ``evidence`` behind it. Rules that
produce findings live in :mod:`evalkit.method.rules`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd


class Severity(StrEnum):
    """How much a finding matters, highest first."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: 0 for the most severe."""
        return [Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO].index(self)


@dataclass(frozen=True)
class Finding:
    """One thing the evaluation found about one partnership."""

    partnership_id: str
    code: str
    severity: Severity
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    framework_id: str | None = None
    dimension_id: str | None = None
    action: str | None = None

    def to_record(self) -> dict[str, Any]:
        """Return a flat dict suitable for a DataFrame row or JSON."""
        record = asdict(self)
        record["severity"] = self.severity.value
        return record


FINDING_COLUMNS = [
    "partnership_id",
    "code",
    "severity",
    "message",
    "evidence",
    "framework_id",
    "dimension_id",
    "action",
]


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Turn findings into a DataFrame sorted by partnership, then severity, then code."""
    frame = pd.DataFrame([f.to_record() for f in findings], columns=FINDING_COLUMNS)
    if frame.empty:
        return frame
    order = {s.value: s.rank for s in Severity}
    frame["_rank"] = frame["severity"].map(order)
    frame = frame.sort_values(["partnership_id", "_rank", "code"], kind="stable")
    return frame.drop(columns="_rank").reset_index(drop=True)
