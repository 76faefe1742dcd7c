"""The rules that turn scores and register facts into findings — all in one place.

Each rule is a small function over the portfolio's tables that returns findings
(:class:`evalkit.method.findings.Finding`). ``RULES`` lists them in the order a reader meets
them; :func:`run_rules` runs them all. Thresholds are the module constants below.

Every threshold holds exactly at its boundary: a measured value (a share, a percentage,
a gap in scale points) is rounded to ``PLACES`` decimal places before it is compared, so
floating-point error never carries a value across a line. A rise of exactly 10 % is not
"more than 10 %"; a score of exactly a third of its scale is not "under a third".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit.dates import date_words
from evalkit.method.findings import Finding, Severity

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

#: Decimal places a measured value is rounded to before it meets a threshold.
PLACES = 6
#: Scale points between the council and the others' mean (evalkit's convention).
GAP_THRESHOLD = 1.0
#: A checklist dimension under a third of its scale is weak (evalkit's convention).
WEAK_PCT = 100 / 3
#: Share of expected answers missing above which answers are "many missing" (evalkit's).
MISSING_THRESHOLD = 0.25
#: Rise in cost per output, in per cent, above which it is flagged (evalkit's convention).
UNIT_COST_RISE_PCT = 10.0
#: A governing document older than this many years is due a refresh (evalkit's convention).
OLD_DOCUMENT_YEARS = 3

#: Share of a framework's ratings without an evidence reference above which the gap is
#: no longer bookkeeping but a doubt about the scores (evalkit's convention).
EVIDENCE_MISSING_SHARE = 0.5

TIMESCALES = {
    Severity.HIGH: "before the next committee cycle (about 3 months)",
    Severity.MEDIUM: "within 6 months",
    Severity.LOW: "within 12 months, by the next annual review",
    Severity.INFO: "for information",
}
#: Months after the end of the round by which an action of each priority is due.
DUE_MONTHS = {Severity.HIGH: 3, Severity.MEDIUM: 6, Severity.LOW: 12}


@dataclass
class Evidence:
    """Everything the rules read, for a whole portfolio.

    Attributes:
        partnerships: the register (in-scope rows only).
        dimensions: dimension scores (see :mod:`evalkit.method.scoring`).
        vfm_costs: indicator rows with unit costs (see :func:`evalkit.method.vfm.unit_costs`).
        cost_trend: :func:`evalkit.method.vfm.unit_cost_trend`.
        risks: :func:`evalkit.method.risk.scored_risks`.
        frameworks: the loaded frameworks.
        as_of: the date reviews are judged against (end of the assessment round).
        min_respondents: fewer earns a low-evidence finding.
        min_organisations: fewer earns a low-evidence finding.
    """

    partnerships: pd.DataFrame
    dimensions: pd.DataFrame
    vfm_costs: pd.DataFrame
    cost_trend: pd.DataFrame
    risks: pd.DataFrame
    frameworks: Mapping[str, Framework]
    as_of: pd.Timestamp
    min_respondents: int = 3
    min_organisations: int = 2


def round_end(assessment_round: str) -> pd.Timestamp:
    """End date of a round: "2024-25" → 31 March 2025; "2024" → 31 December 2024."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", assessment_round or "")
    if match:
        return pd.Timestamp(int(match.group(1)) + 1, 3, 31)
    year = re.search(r"\d{4}", assessment_round or "")
    if year:
        return pd.Timestamp(int(year.group(0)), 12, 31)
    return pd.Timestamp.today().normalize()


def due_date(as_of: pd.Timestamp, severity: Severity | str) -> pd.Timestamp | None:
    """When an action is due: the last day of the month ``DUE_MONTHS`` after the round ends.

    The round 2024-25 ends on 31 March 2025, so a high-priority action is due on
    30 June 2025, a medium one on 30 September 2025 and a low one on 31 March 2026.
    Information-only findings have no action and no date (None).
    """
    months = DUE_MONTHS.get(Severity(severity))
    if months is None:
        return None
    return (as_of + pd.offsets.MonthEnd(0) + pd.DateOffset(months=months)) + pd.offsets.MonthEnd(0)


def settled(value: Any) -> float:
    """A measured value rounded to ``PLACES`` decimal places, ready to meet a threshold."""
    return round(float(value), PLACES)


def _settled(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype(float).round(PLACES)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word in the right number: "1 finding", "2 findings", "0 findings"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def expected_answers(dims: pd.DataFrame) -> pd.Series:
    """Answers expected per dimension row: every answer row recorded, blanks included.

    Survey rows carry ``n_expected`` (respondent × item rows); checklist rows ``n_items``
    (one agreed rating per item).
    """
    nan = pd.Series(float("nan"), index=dims.index)
    expected = pd.to_numeric(dims.get("n_expected", nan), errors="coerce").astype(float)
    if "n_items" in dims:
        expected = expected.fillna(pd.to_numeric(dims["n_items"], errors="coerce").astype(float))
    return expected


def missing_share(dims: pd.DataFrame) -> pd.DataFrame:
    """Per partnership and framework: missing answers ÷ expected answers.

    Columns ``partnership_id``, ``framework_id``, ``n_missing``, ``n_expected`` and
    ``missing_rate`` (NaN when nothing was expected). The rate is pooled over the
    framework's answers, never a mean of dimension rates.
    """
    columns = ["partnership_id", "framework_id", "n_missing", "n_expected", "missing_rate"]
    if dims.empty or "n_missing" not in dims:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "partnership_id": dims["partnership_id"].astype(str),
            "framework_id": dims["framework_id"].astype(str),
            "n_missing": pd.to_numeric(dims["n_missing"], errors="coerce").fillna(0),
            "n_expected": expected_answers(dims).fillna(0),
        }
    )
    out = (
        frame.groupby(["partnership_id", "framework_id"], sort=True)[["n_missing", "n_expected"]]
        .sum()
        .astype(int)
        .reset_index()
    )
    rate = out["n_missing"] / out["n_expected"].where(out["n_expected"] > 0)
    return out.assign(missing_rate=rate)[columns]


def _records(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows as named tuples: ``r.partnership_id`` (each value as its column holds it)."""
    return frame.itertuples()


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _figure(value: Any) -> str:
    """A measured figure: whole numbers without decimals, others to two places."""
    v = float(value)
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.2f}"


def _dim_label(row: pd.Series) -> str:
    return f"{row['dimension_id']} {row['dimension_title']}"


def _short(frameworks: Mapping[str, Framework], fid: str) -> str:
    fw = frameworks.get(fid)
    return fw.short_title if fw is not None and fw.short_title else fid


# Evidence and register rules ------------------------------------------------------


def has_answers(dims: pd.DataFrame) -> pd.Series:
    """Per dimension row: True when at least one answer (not missing) was recorded."""
    if "n_missing" not in dims:
        return dims["score"].notna() if "score" in dims else pd.Series(False, index=dims.index)
    answered = expected_answers(dims) - pd.to_numeric(dims["n_missing"], errors="coerce")
    return answered.fillna(0) > 0


def no_evidence(ev: Evidence) -> list[Finding]:
    """An in-scope partnership has no survey answer and no checklist rating in the round."""
    d = ev.dimensions
    answered = set(d.loc[has_answers(d), "partnership_id"].astype(str)) if len(d) else set()
    rows = ev.partnerships[~ev.partnerships["partnership_id"].astype(str).isin(answered)]
    return [
        Finding(
            r.partnership_id,
            "no-evidence",
            Severity.HIGH,
            "No evidence was recorded for this partnership in this round: no survey "
            "answers and no checklist ratings, so no framework could be scored.",
            {"answers": 0},
            action="Complete the checklists and run the partner survey for this partnership "
            "before it is reported on.",
        )
        for r in _records(rows)
    ]


def no_governing_document(ev: Evidence) -> list[Finding]:
    """No governing document (terms of reference or agreement) is in place."""
    rows = ev.partnerships[ev.partnerships["governing_document"].eq(False).fillna(False)]
    return [
        Finding(
            r.partnership_id,
            "no-governing-document",
            Severity.HIGH,
            "No governing document is in place, so roles, decisions and each partner's "
            "contribution are not written down.",
            {"governing_document": False},
            action="Agree a governing document (terms of reference or partnership agreement) "
            "with all partners.",
        )
        for r in _records(rows)
    ]


def old_governing_document(ev: Evidence) -> list[Finding]:
    """The governing document is older than ``OLD_DOCUMENT_YEARS`` years."""
    limit = ev.as_of - pd.DateOffset(years=OLD_DOCUMENT_YEARS)
    p = ev.partnerships
    rows = p[
        p["governing_document"].eq(True).fillna(False) & (p["governing_document_date"] < limit)
    ]
    return [
        Finding(
            r.partnership_id,
            "governing-document-old",
            Severity.LOW,
            f"The governing document dates from {date_words(r.governing_document_date)}, "
            f"more than {OLD_DOCUMENT_YEARS} years before {date_words(ev.as_of)} (evalkit's "
            "convention for a document due a refresh).",
            {"governing_document_date": f"{r.governing_document_date:%Y-%m-%d}"},
            action="Review the governing document with partners and re-adopt or revise it.",
        )
        for r in _records(rows)
    ]


def no_exit_arrangements(ev: Evidence) -> list[Finding]:
    """Termination and exit arrangements are recorded as absent."""
    rows = ev.partnerships[ev.partnerships["exit_arrangements"].eq(False).fillna(False)]
    return [
        Finding(
            r.partnership_id,
            "no-exit-arrangements",
            Severity.MEDIUM,
            "There are no written exit or termination arrangements: it is unclear what "
            "happens to staff, assets and money if the partnership ends or the council "
            "withdraws.",
            {"exit_arrangements": False},
            action="Agree exit arrangements, including how resources and liabilities are "
            "shared out.",
        )
        for r in _records(rows)
    ]


def review_overdue(ev: Evidence) -> list[Finding]:
    """The next review date has passed, or no review has ever been recorded."""
    out = []
    for r in _records(ev.partnerships):
        due = r.next_review_due
        if pd.notna(due) and due < ev.as_of:
            days = (ev.as_of - due).days
            out.append(
                Finding(
                    r.partnership_id,
                    "review-overdue",
                    Severity.MEDIUM,
                    f"The review due on {date_words(due)} is {plural(days, 'day')} overdue at "
                    f"{date_words(ev.as_of)}.",
                    {"next_review_due": f"{due:%Y-%m-%d}", "days_overdue": days},
                    action="Schedule the overdue review and report it to the committee.",
                )
            )
        elif pd.isna(due) and pd.isna(r.last_review):
            out.append(
                Finding(
                    r.partnership_id,
                    "review-never-recorded",
                    Severity.MEDIUM,
                    "No review of this partnership has been recorded and none is scheduled.",
                    {"last_review": None, "next_review_due": None},
                    action="Set a review date and complete the fact-finding checklist.",
                )
            )
    return out


def toolkit_not_used(ev: Evidence) -> list[Finding]:
    """The council's partnership toolkit was not used."""
    rows = ev.partnerships[ev.partnerships["toolkit_used"].eq(False).fillna(False)]
    return [
        Finding(
            r.partnership_id,
            "toolkit-not-used",
            Severity.LOW,
            "The council's partnership toolkit was not used to set up or review this partnership.",
            {"toolkit_used": False},
            action="Use the refreshed partnership toolkit at the next review.",
        )
        for r in _records(rows)
    ]


def accountable_body(ev: Evidence) -> list[Finding]:
    """The council is the accountable body: its exposure should be visible."""
    rows = ev.partnerships[ev.partnerships["council_role"] == "accountable body"]
    return [
        Finding(
            r.partnership_id,
            "council-accountable-body",
            Severity.INFO,
            "The council is the accountable body, so it answers for the partnership's "
            "money and decisions.",
            {"council_role": "accountable body", "total_budget_gbp": _num(r.total_budget_gbp)},
            action="Confirm the assurance framework and the council's liabilities are "
            "reviewed each year.",
        )
        for r in _records(rows)
    ]


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# Score rules -----------------------------------------------------------------------


def _per_framework(rows: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """Group flagged dimension rows by partnership and framework (one finding each)."""
    return [
        (str(pid), str(fid), group)
        for (pid, fid), group in rows.groupby(
            ["partnership_id", "framework_id"], observed=True, sort=True
        )
    ]


def _dim_list(group: pd.DataFrame) -> str:
    pairs = zip(group["dimension_id"], group["dimension_title"], strict=True)
    return "; ".join(f"{i} {t}" for i, t in pairs)


def partners_diverge(ev: Evidence) -> list[Finding]:
    """Organisations sit on opposite sides of the agree line on one or more dimensions."""
    d = ev.dimensions
    if "diverged" not in d:
        return []
    rows = d[d["diverged"].eq(True)]
    totals = d.groupby(["partnership_id", "framework_id"], observed=True).size()
    out = []
    for pid, fid, group in _per_framework(rows):
        spread = group[group["range"].notna()] if "range" in group else group.iloc[:0]
        widest = (
            spread.sort_values("range", ascending=False, kind="stable").iloc[0]
            if len(spread)
            else group.iloc[0]
        )
        total = int(totals[(pid, fid)])
        label = _label(ev.frameworks, fid)
        message = (
            f"Partners disagree on {len(group)} of {plural(total, label)} of the "
            f"{_short(ev.frameworks, fid)}: organisations sit on both sides of the agree "
            f"line on {_dim_list(group)}."
        )
        evidence: dict[str, Any] = {
            "dimensions": group["dimension_id"].tolist(),
            "widest": str(widest["dimension_id"]),
        }
        if len(spread):
            message += (
                f" Widest gap: {_dim_label(widest)}, from {_fmt(widest['min_org'])} to "
                f"{_fmt(widest['max_org'])}."
            )
            evidence |= {
                "min": round(float(widest["min_org"]), 2),
                "max": round(float(widest["max_org"]), 2),
            }
        out.append(
            Finding(
                pid,
                "partners-diverge",
                Severity.MEDIUM,
                message,
                evidence,
                framework_id=fid,
                dimension_id=str(widest["dimension_id"]),
                action="Discuss these areas at the partnership board: why do partners see "
                "them differently, and does it matter?",
            )
        )
    return out


def _label(frameworks: Mapping[str, Framework], fid: str) -> str:
    fw = frameworks.get(fid)
    return fw.dimension_label if fw is not None else "dimension"


def council_view_differs(ev: Evidence) -> list[Finding]:
    """The council's score differs from the other organisations' mean by a scale point."""
    d = ev.dimensions
    if "council_gap" not in d:
        return []
    rows = d[_settled(d["council_gap"].abs()) >= GAP_THRESHOLD]
    out = []
    for pid, fid, group in _per_framework(rows):
        widest = group.iloc[int(group["council_gap"].abs().to_numpy().argmax())]
        kinder = "more positive" if widest["council_gap"] > 0 else "less positive"
        out.append(
            Finding(
                pid,
                "council-view-differs",
                Severity.LOW,
                f"The council's view differs from its partners' by a scale point or more "
                f"(evalkit's threshold) on {plural(len(group), _label(ev.frameworks, fid))} "
                f"of the {_short(ev.frameworks, fid)}. Largest: {_dim_label(widest)}, where "
                f"the council is {kinder} ({_fmt(widest['council_score'])} against "
                f"{_fmt(widest['others_score'])}).",
                {
                    "dimensions": group["dimension_id"].tolist(),
                    "council": round(float(widest["council_score"]), 2),
                    "others": round(float(widest["others_score"]), 2),
                    "gap": round(float(widest["council_gap"]), 2),
                },
                framework_id=fid,
                dimension_id=str(widest["dimension_id"]),
                action="Check the council's own view against its partners' before relying on it.",
            )
        )
    return out


def weak_dimension(ev: Evidence) -> list[Finding]:
    """Dimensions in a published red band, below the agree line, or under a third of the scale."""
    d = ev.dimensions
    if d.empty:
        return []
    d = d.assign(
        _red=d.get("rag", pd.Series(pd.NA, index=d.index)).eq("red").fillna(False).astype(bool),
        _below=(
            _settled(d["score"])
            < _settled(d.get("agree_line", pd.Series(float("nan"), index=d.index)))
        ).fillna(False),
        _third=((d["mode"] == "checklist") & (_settled(d["score_pct"]) < settled(WEAK_PCT)))
        .fillna(False)
        .astype(bool),
    )
    rows = d[d["_red"] | d["_below"] | d["_third"]]
    out = []
    for pid, fid, group in _per_framework(rows):
        weakest = group.sort_values("score_pct", kind="stable").iloc[0]
        n = len(group)
        out.append(
            Finding(
                pid,
                "weak-dimension",
                Severity.MEDIUM,
                f"{plural(n, _label(ev.frameworks, fid))} of the {_short(ev.frameworks, fid)} "
                f"{'is' if n == 1 else 'are'} weak: {_dim_list(group)}. Weakest: "
                f"{_dim_label(weakest)}, {_weak_why(weakest)}.",
                {
                    "dimensions": group["dimension_id"].tolist(),
                    "weakest": str(weakest["dimension_id"]),
                    "score": round(float(weakest["score"]), 2),
                },
                framework_id=fid,
                dimension_id=str(weakest["dimension_id"]),
                action="Agree improvement actions for these areas with partners.",
            )
        )
    return out


def _weak_why(row: pd.Series) -> str:
    """Why a dimension counts as weak, in words."""
    score = (
        f"{_fmt(row['score'])} on a {float(row['scale_min']):g}–{float(row['scale_max']):g} scale"
    )
    reasons = []
    if row["_red"]:
        reasons.append(f"in the '{row['band']}' band")
    if row["_below"]:
        reasons.append(f"below the agree line of {float(row['agree_line']):g}")
    if row["_third"]:
        reasons.append("under a third of its scale (evalkit's convention)")
    return f"{score}, " + " and ".join(reasons)


def low_response(ev: Evidence) -> list[Finding]:
    """Too few respondents or organisations answered a survey framework."""
    d = ev.dimensions
    if "n_respondents" not in d:
        return []
    survey = d[d["mode"] == "survey"]
    per_fw = survey.groupby(["partnership_id", "framework_id"], observed=True).agg(
        respondents=("n_respondents", "max"), organisations=("n_organisations", "max")
    )
    low = per_fw[
        (per_fw["respondents"] < ev.min_respondents)
        | (per_fw["organisations"] < ev.min_organisations)
    ]
    return [
        Finding(
            r.partnership_id,
            "low-response",
            Severity.LOW,
            f"Only {plural(int(r.respondents), 'respondent')} from "
            f"{plural(int(r.organisations), 'organisation')} answered "
            f"{_short(ev.frameworks, r.framework_id)} (evalkit asks for at least "
            f"{plural(ev.min_respondents, 'respondent')} from "
            f"{plural(ev.min_organisations, 'organisation')}); treat its scores with caution.",
            {"respondents": int(r.respondents), "organisations": int(r.organisations)},
            framework_id=r.framework_id,
            action="Ask every partner organisation to complete the assessment.",
        )
        for r in _records(low.reset_index())
    ]


def many_missing(ev: Evidence) -> list[Finding]:
    """Many answers were 'don't know', 'n/a' or blank."""
    share = missing_share(ev.dimensions)
    rows = share[_settled(share["missing_rate"]) > MISSING_THRESHOLD]
    return [
        Finding(
            r.partnership_id,
            "many-missing-answers",
            Severity.LOW,
            f"{int(r.n_missing)} of {plural(int(r.n_expected), 'answer')} to "
            f"{_short(ev.frameworks, r.framework_id)} ({percent_text(r.missing_rate)}) were "
            "missing, don't know or not applicable: more than a quarter (evalkit's threshold).",
            {
                "missing": int(r.n_missing),
                "expected": int(r.n_expected),
                "missing_rate": round(float(r.missing_rate), 3),
            },
            framework_id=r.framework_id,
            action="Find out why respondents could not answer; brief them before the next round.",
        )
        for r in _records(rows)
    ]


def percent_text(share: float) -> str:
    """A share as a whole percentage; to one place when "25%" would hide that it is more."""
    pct = settled(share * 100)
    if round(pct) == round(MISSING_THRESHOLD * 100) and pct != round(pct):
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def evidence_missing(ev: Evidence) -> list[Finding]:
    """Checklist ratings that need evidence have none: one finding per framework.

    Bookkeeping, so low priority, listing each dimension affected with its count; medium
    when more than ``EVIDENCE_MISSING_SHARE`` of the framework's ratings have no evidence,
    because then the framework's scores themselves are in doubt.
    """
    d = ev.dimensions
    if "n_no_evidence" not in d:
        return []
    needs = [fid for fid, fw in ev.frameworks.items() if fw.evidence_required]
    ours = d[d["framework_id"].isin(needs)]
    rated = (expected_answers(ours) - pd.to_numeric(ours["n_missing"], errors="coerce")).fillna(0)
    ours = ours.assign(_rated=rated, _none=ours["n_no_evidence"].fillna(0).astype(int))
    out = []
    for (pid, fid), group in ours.groupby(["partnership_id", "framework_id"], observed=True):
        gaps = group[group["_none"] > 0]
        if gaps.empty:
            continue
        n = int(gaps["_none"].sum())
        total = int(group["_rated"].sum())
        share = n / total if total else 1.0
        severity = (
            Severity.MEDIUM if settled(share) > settled(EVIDENCE_MISSING_SHARE) else Severity.LOW
        )
        where = "; ".join(
            f"{i} {t} ({c})"
            for i, t, c in zip(
                gaps["dimension_id"], gaps["dimension_title"], gaps["_none"], strict=True
            )
        )
        out.append(
            Finding(
                str(pid),
                "evidence-missing",
                severity,
                f"{n} of {plural(total, 'rating')} in {_short(ev.frameworks, str(fid))} "
                f"{'has' if n == 1 else 'have'} no evidence reference, so "
                f"{'it' if n == 1 else 'they'} cannot be checked, in "
                f"{plural(len(gaps), _label(ev.frameworks, str(fid)))}: {where}.",
                {
                    "items_without_evidence": n,
                    "ratings": total,
                    "dimensions": gaps["dimension_id"].astype(str).tolist(),
                },
                framework_id=str(fid),
                action="Record the document, minute or link behind each rating.",
            )
        )
    return out


# Value-for-money and risk rules ----------------------------------------------------


def _latest(costs: pd.DataFrame) -> pd.DataFrame:
    if costs.empty:
        return costs
    latest = costs.groupby(["partnership_id", "indicator_id"], observed=True)["period"].transform(
        "max"
    )
    return costs[costs["period"] == latest]


def outcome_wrong_way(ev: Evidence) -> list[Finding]:
    """An outcome moved away from the good direction since its baseline."""
    latest = _latest(ev.vfm_costs)
    rows = latest[(latest["kind"] == "outcome") & (latest["moved"] == "worse")]
    return [
        Finding(
            r.partnership_id,
            "outcome-wrong-way",
            Severity.MEDIUM,
            f"'{r.name}' moved the wrong way: {_figure(r.actual)} {r.unit} in {r.period} "
            f"against a baseline of {_figure(r.baseline)} "
            f"({'lower' if r.good_direction == 'down' else 'higher'} is better).",
            {"baseline": r.baseline, "actual": r.actual, "period": r.period},
            action="Ask the partnership to explain the trend and what it will change.",
        )
        for r in _records(rows)
    ]


def target_missed(ev: Evidence) -> list[Finding]:
    """The latest value missed its target."""
    latest = _latest(ev.vfm_costs)
    rows = latest[latest["target_met"].eq(False)]
    return [
        Finding(
            r.partnership_id,
            "target-missed",
            Severity.LOW,
            f"'{r.name}' missed its {r.period} target: {_figure(r.actual)} against "
            f"{_figure(r.target)} {r.unit}.",
            {"target": r.target, "actual": r.actual, "period": r.period},
            action="Review whether the target is realistic and what would close the gap.",
        )
        for r in _records(rows)
    ]


def unit_cost_rising(ev: Evidence) -> list[Finding]:
    """Cost per output rose by more than ``UNIT_COST_RISE_PCT`` between periods."""
    trend = ev.cost_trend
    if trend.empty:
        return []
    rows = trend[_settled(trend["change_pct"]) > UNIT_COST_RISE_PCT]
    return [
        Finding(
            r.partnership_id,
            "unit-cost-rising",
            Severity.MEDIUM,
            f"Cost per '{r.name}' rose {r.change_pct:.1f}% from £{r.previous_cost:,.2f} "
            f"({r.previous_period}) to £{r.latest_cost:,.2f} ({r.latest_period}): more than "
            f"{UNIT_COST_RISE_PCT:g}% (evalkit's threshold).",
            {
                "previous": round(float(r.previous_cost), 2),
                "latest": round(float(r.latest_cost), 2),
                "change_pct": round(float(r.change_pct), 1),
            },
            action="Examine why each output costs more and whether inputs can be reduced.",
        )
        for r in _records(rows)
    ]


def high_risk(ev: Evidence) -> list[Finding]:
    """A risk scores 15 or more on the 5 × 5 matrix.

    High priority (act now) when no mitigation or no owner is recorded; medium when both
    are, because the risk is then being managed and the committee watches its progress.
    """
    rows = ev.risks[ev.risks["rating"] == "high"]
    out = []
    for r in _records(rows):
        mitigation = _text(getattr(r, "mitigation", None))
        owner = _text(getattr(r, "owner", None))
        managed = bool(mitigation and owner)
        message = (
            f"Risk {r.risk_id} scores {int(r.score)} (likelihood {int(r.likelihood)} × impact "
            f"{int(r.impact)}): {str(r.description).rstrip('.')}."
        )
        if managed:
            message += f" Mitigation recorded: {mitigation.rstrip('.')} (owner: {owner})."
        else:
            missing = " or ".join(
                w for w, v in (("mitigation", mitigation), ("owner", owner)) if not v
            )
            message += f" No {missing} is recorded."
        out.append(
            Finding(
                r.partnership_id,
                "high-risk",
                Severity.MEDIUM if managed else Severity.HIGH,
                message,
                {"risk_id": r.risk_id, "score": int(r.score), "mitigation_recorded": managed},
                action="Confirm the mitigation and its owner; report progress to the committee."
                if managed
                else "Agree a mitigation and name its owner now; report it to the committee.",
            )
        )
    return out


def _text(value: Any) -> str:
    """Text from a cell, stripped; '' when blank."""
    return (
        ""
        if value is None or (not isinstance(value, str) and pd.isna(value))
        else str(value).strip()
    )


RULES: tuple[Callable[[Evidence], list[Finding]], ...] = (
    no_evidence,
    no_governing_document,
    old_governing_document,
    no_exit_arrangements,
    review_overdue,
    toolkit_not_used,
    accountable_body,
    partners_diverge,
    council_view_differs,
    weak_dimension,
    low_response,
    many_missing,
    evidence_missing,
    outcome_wrong_way,
    target_missed,
    unit_cost_rising,
    high_risk,
)


def action_overdue(progress: pd.DataFrame) -> list[Finding]:
    """Last round's actions past their due date and not done: one finding a partnership.

    ``progress`` is :func:`evalkit.method.carried.action_progress`'s table.
    """
    if progress.empty:
        return []
    late = progress[progress["status"] == "overdue"]
    out = []
    for pid, group in late.groupby("partnership_id", sort=True):
        first = group.sort_values("due_date", kind="stable").iloc[0]
        count = plural(len(group), "action")
        verb = "is" if len(group) == 1 else "are"
        out.append(
            Finding(
                str(pid),
                "action-overdue",
                Severity.MEDIUM,
                f"{count} from {first['previous_round']} {verb} past the due date and not "
                f"done, the earliest due by {date_words(first['due_date'])} "
                f"(for {first['finding']}).",
                {
                    "previous_round": str(first["previous_round"]),
                    "overdue": len(group),
                    "findings": [str(f) for f in group["finding"]],
                    "earliest_due": str(first["due_date"]),
                },
                action="Agree new dates for the overdue actions, or say why they were "
                "dropped, and report them to the committee.",
            )
        )
    return out


def run_rules(ev: Evidence) -> list[Finding]:
    """Run every rule; findings for partnerships outside the register are dropped."""
    known = set(ev.partnerships["partnership_id"])
    findings = [f for rule in RULES for f in rule(ev)]
    return [f for f in findings if f.partnership_id in known]


ACTION_COLUMNS = [
    "partnership_id",
    "priority",
    "action",
    "finding",
    "owner",
    "timescale",
    "due_date",
]


def action_list(
    findings: pd.DataFrame, partnerships: pd.DataFrame, as_of: pd.Timestamp | None = None
) -> pd.DataFrame:
    """One action per finding (information-only findings excluded): owner, timescale, due date.

    The due date (``due_date``, ISO) follows :func:`due_date` from ``as_of``, the end of the
    round; without ``as_of`` it is blank.
    """
    if findings.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    acts = findings[findings["severity"] != Severity.INFO.value].copy()
    owners = partnerships.set_index("partnership_id")["lead_officer"]
    acts["owner"] = acts["partnership_id"].map(owners)
    acts["timescale"] = acts["severity"].map({s.value: t for s, t in TIMESCALES.items()})
    dates = (
        {
            s.value: (f"{d:%Y-%m-%d}" if (d := due_date(as_of, s)) is not None else None)
            for s in Severity
        }
        if as_of is not None
        else {}
    )
    acts["due_date"] = acts["severity"].map(dates) if dates else None
    acts = acts.rename(columns={"severity": "priority", "code": "finding"})
    return acts[ACTION_COLUMNS]
