"""Main points: three to six plain-English bullets, each a finding with its number and base.

The first thing a reader meets after the title, as in an official statistics release:
someone who stops after the first page has the message. Each point is worked out from
the pack's findings and scores (never typed by hand) and says what its number rests on
("based on 14 responses from 6 organisations"). Points come in a fixed order, and the
first :data:`MAX_POINTS` present are shown:

1. the findings, by priority, and the most urgent one;
2. for each framework with weak areas (up to two), how many, and the base;
3. where partners disagree;
4. the risks rated high;
5. the indicators that moved the right way, and targets met;
6. the ratings without an evidence reference.

The findings, risk and indicator points are always there (they say "none" when there
is nothing), so a pack always has at least three points.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit.method.findings import Severity
from evalkit.method.rules import expected_answers, plural
from evalkit.report.fragments import escape
from evalkit.report.pack import anchors
from evalkit.report.pack.impact import latest_periods
from evalkit.report.pack.summary import most_serious

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

#: At most this many points are shown.
MAX_POINTS = 6
#: At most this many frameworks get a point about their weak areas.
MAX_WEAK_POINTS = 2
#: The section's heading.
TITLE = "Main points"


@dataclass(frozen=True)
class MainPoint:
    """One bullet: its text and the id of the section that holds its evidence."""

    text: str
    anchor: str


def evidence_of(value: Any) -> dict[str, Any]:
    """A finding's evidence as a dict (it is stored as JSON text in the scores)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip().startswith("{"):
        parsed = json.loads(value)
        return parsed if isinstance(parsed, dict) else {}
    return {}


def points(pack: Pack) -> list[MainPoint]:
    """The pack's main points, in order, at most :data:`MAX_POINTS`."""
    found: list[MainPoint | None] = [findings_point(pack)]
    found += weak_points(pack)[:MAX_WEAK_POINTS]
    found += [diverge_point(pack), risk_point(pack), impact_point(pack), evidence_point(pack)]
    return [p for p in found if p is not None][:MAX_POINTS]


def html(pack: Pack) -> str:
    """The "Main points" section: a heading and the bullets."""
    items = "".join(f"<li>{escape(p.text)}</li>" for p in points(pack))
    return (
        anchors.section_heading(2, TITLE, anchors.MAIN_POINTS)
        + f'<ul class="main-points">{items}</ul>'
    )


def findings_point(pack: Pack) -> MainPoint:
    """How many findings, by priority, and the most urgent one."""
    f = pack.findings()
    counts = f["severity"].value_counts().to_dict() if len(f) else {}
    acted = len(f) - counts.get(Severity.INFO.value, 0)
    if not acted:
        return MainPoint("The review's rules found nothing to act on.", anchors.FINDINGS)
    text = (
        f"The review makes {plural(acted, 'finding')} to act on: "
        f"{counts.get('high', 0)} high priority (act now), {counts.get('medium', 0)} medium "
        f"and {counts.get('low', 0)} low."
    )
    top = most_serious(f)
    if top is not None and top["severity"] == Severity.HIGH.value:
        text += f" Most urgent: {top['message']}"
    return MainPoint(text, anchors.FINDINGS)


def _base(pack: Pack, framework_id: str, d: pd.DataFrame) -> str:
    """What a framework's scores rest on, in words."""
    fw = pack.frameworks[framework_id]
    if fw.mode == "survey":
        respondents = int(pd.to_numeric(d["n_respondents"], errors="coerce").max())
        organisations = int(pd.to_numeric(d["n_organisations"], errors="coerce").max())
        return (
            f"based on {plural(respondents, 'respondent')} from "
            f"{plural(organisations, 'organisation')}"
        )
    return f"based on {plural(rated(d), 'agreed rating')}"


def rated(d: pd.DataFrame) -> int:
    """Checklist ratings given (items less those missing) over these dimension rows."""
    missing = pd.to_numeric(d["n_missing"], errors="coerce").fillna(0)
    return int((expected_answers(d).fillna(0) - missing).sum())


def _name(pack: Pack, framework_id: str) -> str:
    fw = pack.frameworks[framework_id]
    return fw.short_title or fw.title


def weak_points(pack: Pack) -> list[MainPoint]:
    """One point per framework with weak areas (from its weak-dimension finding)."""
    f = pack.findings()
    if f.empty:
        return []
    out = []
    weak = f[f["code"] == "weak-dimension"]
    order = {fid: i for i, fid in enumerate(pack.frameworks_present())}
    weak = weak.assign(_order=weak["framework_id"].map(order)).sort_values("_order", kind="stable")
    for row in weak.itertuples():
        fid = str(row.framework_id)
        if fid not in order:
            continue
        fw = pack.frameworks[fid]
        d = pack.dims(fid)
        n = len(evidence_of(row.evidence).get("dimensions", []))
        who = "Partners rated" if fw.mode == "survey" else "The agreed ratings put"
        out.append(
            MainPoint(
                f"{who} {n} of the {plural(len(d), fw.dimension_label)} of the "
                f"{_name(pack, fid)} weak, {_base(pack, fid, d)}.",
                anchors.framework_anchor(fid),
            )
        )
    return out


def diverge_point(pack: Pack) -> MainPoint | None:
    """Where organisations sit on both sides of the agree line, across frameworks."""
    f = pack.findings()
    rows = f[f["code"] == "partners-diverge"] if len(f) else f
    if rows.empty:
        return None
    parts = []
    total = 0
    for row in rows.itertuples():
        fid = str(row.framework_id)
        if fid not in pack.frameworks:
            continue
        n = len(evidence_of(row.evidence).get("dimensions", []))
        total += n
        fw = pack.frameworks[fid]
        parts.append(
            f"{n} of {plural(len(pack.dims(fid)), fw.dimension_label)} of the {_name(pack, fid)}"
        )
    if not parts:
        return None
    return MainPoint(
        "Partner organisations disagree, some agreeing and some not, on "
        + "; ".join(parts)
        + ". Each organisation's view counts once.",
        anchors.framework_anchor(str(rows.iloc[0]["framework_id"])),
    )


def risk_point(pack: Pack) -> MainPoint:
    """How many recorded risks are rated high, and whether they are managed."""
    risks = pack.scores["risks"]
    if risks.empty:
        return MainPoint("No risks are recorded for this partnership.", anchors.RISK)
    high = risks[risks["rating"] == "high"]
    rated = "rated high (a score of 15 or more out of 25)"
    if len(risks) == 1:
        text = f"The one recorded risk is {'' if len(high) else 'not '}{rated}"
    else:
        verb = "is" if len(high) == 1 else "are"
        text = f"{len(high)} of the {len(risks)} recorded risks {verb} {rated}"
    if len(high):
        managed = high["mitigation"].fillna("").astype(str).str.strip().ne("") & high[
            "owner"
        ].fillna("").astype(str).str.strip().ne("")
        n = int(managed.sum())
        if len(high) == 1:
            has = "has a mitigation and an owner" if n else "lacks a mitigation or an owner"
            text += f"; it {has} recorded"
        else:
            verb = "has" if n == 1 else "have"
            text += f"; {n} of them {verb} a mitigation and an owner recorded"
    return MainPoint(text + ".", anchors.RISK)


def impact_point(pack: Pack) -> MainPoint:
    """Indicators that moved the right way from their baseline, and targets met."""
    costs = pack.scores["vfm_indicators"]
    if costs.empty:
        return MainPoint("No output or outcome indicators were recorded.", anchors.IMPACT)
    latest = latest_periods(costs)
    better = int((latest["moved"] == "better").sum())
    met = latest["target_met"].astype(str)
    with_target = int(met.isin(["True", "False"]).sum())
    text = (
        f"{better} of {plural(len(latest), 'indicator')} moved the right way from the "
        "baseline in the latest period"
    )
    if with_target:
        text += f", and {int(met.eq('True').sum())} of {with_target} with a target met it"
    return MainPoint(text + ".", anchors.IMPACT)


def evidence_point(pack: Pack) -> MainPoint | None:
    """Checklist ratings with no evidence reference, in the frameworks that ask for one."""
    needs = [fid for fid in pack.frameworks_present() if pack.frameworks[fid].evidence_required]
    d = pack.dims()
    d = d[d["framework_id"].isin(needs)] if len(d) else d
    if d.empty or "n_no_evidence" not in d:
        return None
    without = int(pd.to_numeric(d["n_no_evidence"], errors="coerce").fillna(0).sum())
    given = rated(d)
    if not (without and given):
        return None
    first = d[pd.to_numeric(d["n_no_evidence"], errors="coerce").fillna(0) > 0]
    return MainPoint(
        f"{without} of the {plural(given, 'checklist rating')} that need an evidence "
        f"reference {'has' if without == 1 else 'have'} none, so "
        f"{'it' if without == 1 else 'they'} cannot be checked.",
        anchors.framework_anchor(str(first["framework_id"].iloc[0])),
    )
