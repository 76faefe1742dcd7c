"""What a pack found, in brief: the record ``summary.json`` holds for the index.

:func:`headline_of` reads it from a :class:`~evalkit.report.pack.evidence.Pack`;
:meth:`Headline.from_summary` reads it back from the JSON, so the pack that writes it
and the index that reads it share one definition. A ``summary.json`` written before
these fields existed still reads: the missing ones are empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from evalkit.values import is_missing

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

#: The priorities a finding can have that call for action, most serious first.
PRIORITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class FrameworkBand:
    """One framework's band for the partnership's total score.

    Attributes:
        framework: the framework's short name.
        band: the band's label, as the framework publishes it.
        indicative: True when the band is only indicative (see
            :attr:`evalkit.method.framework.Framework.band_indicative`).
    """

    framework: str
    band: str
    indicative: bool = False

    def text(self) -> str:
        """The band in words: ``VicHealth: Moving in the right direction``."""
        return f"{self.framework}: {self.band}" + (" (indicative)" if self.indicative else "")


@dataclass(frozen=True)
class Headline:
    """What a pack found, for the index.

    Attributes:
        top_finding: the most serious finding's message, or None when nothing calls
            for action.
        top_priority: that finding's priority (``high``, ``medium`` or ``low``), or None.
        counts: the number of findings by priority (``info`` for information only).
        bands: the bands of the frameworks that publish bands for a total.
        lead_directorate: the council directorate that leads, if recorded.
        tier: the partnership's tier, if recorded.
    """

    top_finding: str | None = None
    top_priority: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    bands: tuple[FrameworkBand, ...] = ()
    lead_directorate: str | None = None
    tier: str | None = None

    def count(self, priority: str) -> int:
        """How many findings have this priority."""
        return int(self.counts.get(priority, 0))

    def record(self) -> dict[str, Any]:
        """The fields as ``summary.json`` holds them (beside the pack's other summary)."""
        return {
            "top_finding": self.top_finding,
            "top_priority": self.top_priority,
            "findings": dict(self.counts),
            "bands": [asdict(b) for b in self.bands],
            "lead_directorate": self.lead_directorate,
            "tier": self.tier,
        }

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any]) -> Headline:
        """Read the headline back from a ``summary.json``'s contents."""
        counts = summary.get("findings") or {}
        bands = tuple(
            FrameworkBand(str(b["framework"]), str(b["band"]), bool(b.get("indicative")))
            for b in summary.get("bands") or ()
            if isinstance(b, Mapping) and b.get("framework") and b.get("band")
        )
        return cls(
            top_finding=_text(summary.get("top_finding")),
            top_priority=_text(summary.get("top_priority")),
            counts={str(p): int(n or 0) for p, n in counts.items()},
            bands=bands,
            lead_directorate=_text(summary.get("lead_directorate")),
            tier=_text(summary.get("tier")),
        )


def _text(value: Any) -> str | None:
    """Text, or None for a blank or missing value."""
    return None if is_missing(value) or str(value).strip() == "" else str(value)


def headline_of(pack: Pack) -> Headline:
    """The headline of one pack: its most serious finding, counts and published bands."""
    from evalkit.report.pack.summary import most_serious

    found = pack.findings()
    top = most_serious(found)
    counts = found["severity"].value_counts().to_dict() if len(found) else {}
    return Headline(
        top_finding=None if top is None else str(top["message"]),
        top_priority=None if top is None else str(top["severity"]),
        counts={str(p): int(n) for p, n in counts.items()},
        bands=_bands(pack),
        lead_directorate=_text(pack.register.get("lead_directorate")),
        tier=_text(pack.register.get("tier")),
    )


def _bands(pack: Pack) -> tuple[FrameworkBand, ...]:
    """The bands of this round's scores, in report order, for frameworks that publish them.

    A framework with bands for its total gives its band (``Genuine collaboration``); one
    with bands for each dimension gives how many dimensions fall in each band, in the
    framework's order (``Wilder factors (4 factors)``: ``1 Concern, 2 Borderline, 1 Strength``).
    """
    totals = pack.scores.get("framework_scores")
    if totals is not None and len(totals) and "round" in totals:
        totals = totals[totals["round"].astype(str) == pack.assessment_round]
    dims = pack.dims()
    found: list[FrameworkBand] = []
    for fid in pack.frameworks_present():
        fw = pack.frameworks.get(fid)
        if fw is None or not fw.bands:
            continue
        if fw.bands_level == "total":
            rows = (
                totals[totals["framework_id"] == fid]
                if totals is not None and len(totals)
                else None
            )
            band = _text(rows.iloc[0].get("band")) if rows is not None and len(rows) else None
            if band:
                found.append(FrameworkBand(fw.name, band, fw.band_indicative))
            continue
        labels = dims.loc[dims["framework_id"] == fid, "band"].dropna().astype(str)
        counts = labels.value_counts()
        if counts.empty:
            continue
        tally = ", ".join(f"{counts[b.label]} {b.label}" for b in fw.bands if b.label in counts)
        per = f"{len(labels)} {fw.dimension_label}{'' if len(labels) == 1 else 's'}"
        found.append(FrameworkBand(f"{fw.name} ({per})", tally, fw.band_indicative))
    return tuple(found)
