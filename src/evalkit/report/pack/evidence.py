"""Everything one evidence pack shows, as HTML fragments for the notebook to display.

The evidence-pack notebook stays thin: it builds a :class:`Pack` and displays its
sections in order. Each section is a heading, a short plain-English reading of the
evidence, then charts (with alt text) and tables (with captions). Nothing here shows
respondent-level data.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit import __version__
from evalkit.inputs.dataset import load_dataset_meta, load_tables
from evalkit.errors import InputFileError
from evalkit.method.results import load_results

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

PACK_TABLES = ("partnerships", "organisations", "memberships", "checklist", "swot", "indicators")
SECTION_ORDER = (
    "nuffield-pat",
    "lga-drivers",
    "iso44001-lifecycle",
    "governance-checklist",
    "jrf-members",
    "wilder-factors",
    "vichealth-pat",
)
SEVERITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "info": "For information"}


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _action_plan(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct action (same priority, wording, owner and timescale).

    Several findings often call for the same action (say, recording the evidence behind
    each rating); listing it once, with the findings it answers, reads as a plan.
    """
    keys = ["priority", "action", "owner", "timescale"]

    def answers(codes: pd.Series) -> str:
        counts = codes.value_counts(sort=False)
        return ", ".join(f"{code} ×{n}" if n > 1 else str(code) for code, n in counts.items())

    plan = (
        actions.fillna({"owner": "", "timescale": ""})
        .groupby(keys, sort=False)["finding"]
        .agg(answers)
        .reset_index()
    )
    plan["priority"] = plan["priority"].map(SEVERITY_WORDS)
    return plan.rename(
        columns={
            "priority": "Priority",
            "action": "Action",
            "finding": "Findings answered",
            "owner": "Owner",
            "timescale": "Timescale",
        }
    )[["Priority", "Action", "Findings answered", "Owner", "Timescale"]]


def _h(level: int, text: str) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def _date(value: Any) -> str:
    return "not recorded" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d/%m/%Y}"


def _yes(value: Any) -> str:
    if value is None or pd.isna(value):
        return "not recorded"
    return "Yes" if bool(value) else "No"


def _gbp(value: Any) -> str:
    return "not recorded" if value is None or pd.isna(value) else f"£{float(value):,.0f}"


def _int(value: Any) -> str:
    return "not recorded" if value is None or pd.isna(value) else f"{float(value):,.0f}"


def _counts(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Whole-number columns read back from CSV as floats become integers again."""
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = pd.to_numeric(out[column]).round().astype("Int64")
    return out


def _yes_no(series: pd.Series) -> pd.Series:
    return series.map(lambda v: "—" if v is None or pd.isna(v) else ("Yes" if bool(v) else "No"))


def _text(value: Any, default: str = "not recorded") -> str:
    return default if value is None or pd.isna(value) or str(value) == "" else str(value)


@dataclass
class Pack:
    """The evidence for one partnership in one assessment round."""

    partnership_id: str
    assessment_round: str
    processed_dir: Path
    register: pd.Series
    tables: dict[str, pd.DataFrame]
    scores: dict[str, pd.DataFrame]
    frameworks: Mapping[str, Framework]
    meta: dict[str, Any]
    scoring_meta: dict[str, Any]
    built_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    # -- facts ------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The partnership's name."""
        return str(self.register["name"])

    @property
    def notice(self) -> str | None:
        """The invented-data notice, when the data is invented."""
        dataset = self.meta.get("dataset", {})
        return dataset.get("notice") if dataset.get("invented") else None

    def org_names(self) -> dict[str, str]:
        """organisation_id → name."""
        orgs = self.tables["organisations"]
        return dict(zip(orgs["organisation_id"], orgs["name"], strict=True))

    def dims(self, framework_id: str | None = None) -> pd.DataFrame:
        """This pack's dimension scores (optionally for one framework)."""
        d = self.scores["dimension_scores"]
        if d.empty:
            return d
        d = d[d["round"].astype(str) == self.assessment_round]
        return d if framework_id is None else d[d["framework_id"] == framework_id]

    def findings(self) -> pd.DataFrame:
        """Findings, most severe first."""
        return self.scores["findings"]

    def frameworks_present(self) -> list[str]:
        """Framework ids with scores in this pack, in the pack's section order."""
        present = set(self.dims()["framework_id"]) if len(self.dims()) else set()
        ordered = [f for f in SECTION_ORDER if f in present]
        return ordered + sorted(present - set(ordered))

    def top_finding(self) -> str | None:
        """The most severe finding's message, or None."""
        f = self.findings()
        f = f[f["severity"] != "info"] if len(f) else f
        return None if f.empty else str(f.iloc[0]["message"])

    # -- sections ---------------------------------------------------------------

    def title_html(self) -> str:
        """The pack's single top-level heading and its invented-data banner."""
        from evalkit.report.render import callout_html

        parts = [f"<h1>Evidence pack: {html.escape(self.name)}</h1>"]
        if self.notice:
            parts.append(callout_html(self.notice, kind="invented"))
        return "\n".join(parts)

    def cover_html(self) -> str:
        """Cover facts: tier, legal form, statutory basis, lead, round."""
        from evalkit.report.render import table_html

        r = self.register
        facts = pd.DataFrame(
            [
                ("Partnership", self.name),
                ("Tier", _text(r["tier"]).capitalize()),
                ("Legal form", _text(r["legal_form"])),
                ("Incorporated", "Yes" if bool(r.get("incorporated")) else "No"),
                ("Statutory basis", _text(r["statutory_basis"])),
                ("Council's role", _text(r["council_role"])),
                ("Lead directorate", _text(r["lead_directorate"])),
                ("Lead officer", _text(r["lead_officer"])),
                ("Lead member", _text(r.get("lead_member"))),
                ("Assessment round", self.assessment_round),
                ("Judged as at", _date(self.scoring_meta.get("as_of"))),
            ],
            columns=["Fact", "Value"],
        )
        reading = (
            f"This pack sets out the evidence on {self.name} for the {self.assessment_round} "
            "review of partnerships: what the partnership is, how it is governed, how "
            "its partners rate it against the evaluation frameworks, what it costs and "
            "achieves, its risks, and the actions that follow."
        )
        return (
            _h(2, "About this partnership")
            + _p(reading)
            + table_html(facts, caption="Register entry (cover facts)")
        )

    def summary_html(self) -> str:
        """One line per framework and the top findings."""
        from evalkit.report.render import table_html

        rows = []
        totals = self.scores["framework_scores"]
        for fid in self.frameworks_present():
            fw = self.frameworks[fid]
            d = self.dims(fid)
            lowest = d.sort_values("score").iloc[0]
            total = totals[(totals["framework_id"] == fid)] if len(totals) else totals
            if len(total) and pd.notna(total.iloc[0].get("total")):
                t = total.iloc[0]
                headline = f"Total {t['total']:.0f}"
                headline += (
                    f" — {t['band']}" if pd.notna(t.get("band")) else " (no band: incomplete)"
                )
            else:
                headline = (
                    f"{fw.dimension_label.capitalize()} scores {d['score'].min():.1f} to "
                    f"{d['score'].max():.1f} on a {fw.scale_def.min:g}–{fw.scale_def.max:g} scale"
                )
            diverged = int(
                d.get("diverged", pd.Series(dtype=bool)).fillna(False).astype(bool).sum()
            )
            rows.append(
                (
                    fw.title,
                    headline,
                    f"{lowest['dimension_id']} {lowest['dimension_title']}",
                    diverged if fw.mode == "survey" else "—",
                )
            )
        table = pd.DataFrame(
            rows,
            columns=["Framework", "Result", "Weakest area", "Areas where partners disagree"],
        )
        f = self.findings()
        counts = f["severity"].value_counts().to_dict() if len(f) else {}
        reading = (
            f"{len(f)} findings: {counts.get('high', 0)} high, {counts.get('medium', 0)} "
            f"medium and {counts.get('low', 0)} low priority."
        )
        top = self.top_finding()
        if top:
            reading += f" The most serious: {top}"
        out = _h(2, "Summary") + _p(reading)
        out += table_html(
            table, caption="Results by framework (bands only where the framework publishes them)"
        )
        if len(f):
            shown = f[f["severity"] != "info"].head(5)
            out += table_html(
                shown.assign(severity=shown["severity"].map(SEVERITY_WORDS))[
                    ["severity", "message"]
                ].rename(columns={"severity": "Priority", "message": "Finding"}),
                caption="Top findings",
            )
        return out

    def governance_html(self) -> str:
        """Register facts on money and governance, and the membership."""
        from evalkit.report.render import table_html

        r = self.register
        facts = pd.DataFrame(
            [
                ("Accountable body", _text(r.get("accountable_body"), "none")),
                ("Council cash per year", _gbp(r["council_cash_gbp"])),
                ("Council in-kind per year", _gbp(r.get("in_kind_gbp"))),
                ("Council officer days per year", _int(r.get("officer_days_per_year"))),
                ("Total partnership budget", _gbp(r.get("total_budget_gbp"))),
                ("Governing document in place", _yes(r["governing_document"])),
                ("Governing document dated", _date(r.get("governing_document_date"))),
                ("Exit arrangements written down", _yes(r.get("exit_arrangements"))),
                ("Last review", _date(r.get("last_review"))),
                ("Next review due", _date(r.get("next_review_due"))),
                ("Partnership toolkit used", _yes(r.get("toolkit_used"))),
                ("Council's risk rating", _text(r.get("risk_rating"))),
                ("Reports to", _text(r.get("reporting_route"))),
                ("Objectives", _text(r.get("objectives"))),
                ("Corporate priorities served", _text(r.get("corporate_priorities"))),
            ],
            columns=["Fact", "Value"],
        )
        members = self.tables["memberships"].merge(
            self.tables["organisations"][["organisation_id", "name", "sector"]],
            on="organisation_id",
            how="left",
        )
        members = members.assign(voting=_yes_no(members["voting"]))
        members = members[["name", "sector", "role", "voting"]].rename(
            columns={"name": "Organisation", "sector": "Sector", "role": "Role", "voting": "Votes"}
        )
        gov = "is" if r["governing_document"] is True else "is not"
        reading = (
            f"{self.name} has {len(members)} member organisations. A governing document "
            f"{gov} in place; the next review is due {_date(r.get('next_review_due'))}."
        )
        return (
            _h(2, "Register facts and governance")
            + _p(reading)
            + table_html(facts, caption="Governance and money (from the register)")
            + table_html(members, caption="Member organisations")
        )

    def framework_html(self, framework_id: str) -> str:
        """A framework's section: reading, chart and table; each organisation kept apart."""
        from evalkit.report import charts
        from evalkit.report.render import callout_html, figure_html, table_html

        fw = self.frameworks[framework_id]
        d = self.dims(framework_id)
        scale = fw.scale_def
        out = _h(2, fw.title)
        if fw.label:
            out += callout_html(fw.label, kind="note")
        if d.empty:
            return out + _p("No answers were recorded for this framework in this round.")
        out += _p(self._framework_reading(fw, d))
        bands = [b.model_dump() for b in fw.bands] if fw.bands_level == "dimension" else None
        if fw.mode == "survey":
            orgs = self.scores["organisation_scores"]
            orgs = orgs[
                (orgs["framework_id"] == framework_id)
                & (orgs["round"].astype(str) == self.assessment_round)
            ].copy()
            orgs["organisation_name"] = orgs["organisation_id"].map(self.org_names())
            orgs = orgs.merge(d[["dimension_id", "dimension_title"]], on="dimension_id")
            chart = charts.profile_chart(
                orgs,
                scale_min=scale.min,
                scale_max=scale.max,
                agree_line=scale.agree_line,
                title=f"{fw.short_title or fw.title}: each organisation's view",
            )
            out += figure_html(chart)
            table = d[
                [
                    "dimension_id",
                    "dimension_title",
                    "score",
                    "min_org",
                    "max_org",
                    "sd",
                    "n_organisations",
                    "n_respondents",
                    "diverged",
                    "council_gap",
                ]
            ]
            table = table.rename(
                columns={
                    "dimension_id": "Id",
                    "dimension_title": fw.dimension_label.capitalize(),
                    "score": "Score",
                    "min_org": "Lowest organisation",
                    "max_org": "Highest organisation",
                    "sd": "Spread (SD)",
                    "n_organisations": "Organisations",
                    "n_respondents": "Respondents",
                    "diverged": "Partners disagree",
                    "council_gap": "Council minus others",
                }
            )
            formats = {
                "Score": "{:.2f}",
                "Lowest organisation": "{:.2f}",
                "Highest organisation": "{:.2f}",
                "Spread (SD)": "{:.2f}",
                "Council minus others": "{:+.2f}",
            }
        else:
            chart = charts.bar_chart(
                d,
                category="dimension_title",
                value="score",
                scale_min=scale.min,
                scale_max=scale.max,
                title=f"{fw.short_title or fw.title}: rating by {fw.dimension_label}",
                bands=bands,
            )
            out += figure_html(chart)
            table = d[
                [
                    "dimension_id",
                    "dimension_title",
                    "score",
                    "n_items",
                    "n_missing",
                    "n_no_evidence",
                ]
            ].rename(
                columns={
                    "dimension_id": "Id",
                    "dimension_title": fw.dimension_label.capitalize(),
                    "score": "Mean rating",
                    "n_items": "Items",
                    "n_missing": "Not rated",
                    "n_no_evidence": "Rated without evidence",
                }
            )
            formats = {"Mean rating": "{:.2f}"}
        if fw.bands_level == "dimension" and fw.bands:
            table["Band"] = d["band"].fillna("—").to_numpy()
        out += table_html(
            table,
            caption=f"{fw.title} by {fw.dimension_label} (scale {scale.min:g}–{scale.max:g})",
            formats=formats,
        )
        totals = self.scores["framework_scores"]
        if fw.scoring.totals_allowed and len(totals):
            t = totals[totals["framework_id"] == framework_id]
            if len(t) and pd.notna(t.iloc[0]["total"]):
                row = t.iloc[0]
                band = row["band"] if pd.notna(row.get("band")) else "no band (incomplete)"
                out += _p(
                    f"Total: {row['total']:.0f} ({int(row['items_answered'])} of "
                    f"{int(row['items_expected'])} items answered) — {band}."
                )
        return out

    def _framework_reading(self, fw: Framework, d: pd.DataFrame) -> str:
        low = d.sort_values("score").iloc[0]
        high = d.sort_values("score").iloc[-1]
        text = (
            f"Strongest {fw.dimension_label}: {high['dimension_title']} ({high['score']:.1f}); "
            f"weakest: {low['dimension_title']} ({low['score']:.1f}), on a "
            f"{fw.scale_def.min:g}–{fw.scale_def.max:g} scale."
        )
        if fw.mode == "survey":
            diverged = d[d["diverged"].fillna(False).astype(bool)]
            if len(diverged):
                names = ", ".join(diverged["dimension_title"])
                text += f" Organisations are on opposite sides of the agree line on: {names}."
            else:
                text += " No organisations sit on opposite sides of the agree line."
            n_orgs = int(d["n_organisations"].max())
            text += f" {n_orgs} organisations answered; each organisation's view counts once."
        if not fw.bands:
            text += " The source publishes no score bands, so none are applied."
        return text

    def sectors_html(self) -> str:
        """Views by sector, small groups suppressed (disclosure control)."""
        from evalkit.report.render import table_html

        s = self.scores["sector_scores"]
        if s.empty:
            return ""
        s = s[s["round"].astype(str) == self.assessment_round]
        if s.empty:
            return ""
        minimum = int(self.scoring_meta.get("min_cell_size", 3))
        suppressed = s["suppressed"].fillna(False).astype(bool)
        shown_sectors = list(dict.fromkeys(s.loc[~suppressed, "sector"]))
        hidden = sorted(set(s["sector"]) - set(shown_sectors))
        reading = (
            "Scores by sector of organisation. Any group with fewer than "
            f"{minimum} respondents is suppressed so that no individual's answers can be "
            f"inferred; {int(suppressed.sum())} of {len(s)} groups are suppressed here."
        )
        if hidden:
            reading += (
                f" These sectors never reach {minimum} respondents, so they are left out "
                f"of the table: {', '.join(hidden)}."
            )
        if not shown_sectors:
            return _h(3, "Views by sector") + _p(reading)
        cells = s.assign(
            Framework=s["framework_id"].map(lambda f: self.frameworks[f].short_title or f),
            Score=s["score"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.2f}"),
        )
        table = (
            cells[cells["sector"].isin(shown_sectors)]
            .pivot_table(
                index=["Framework", "dimension_id"],
                columns="sector",
                values="Score",
                aggfunc="first",
                sort=False,
            )
            .reindex(columns=shown_sectors)
            .fillna("no answers")
            .reset_index()
            .rename(columns={"dimension_id": "Id"})
        )
        table.columns.name = None
        table = table[(table[shown_sectors] != "suppressed").any(axis=1)]
        return (
            _h(3, "Views by sector")
            + _p(reading)
            + table_html(
                table,
                caption=f"Scores by sector, one column a sector (groups under {minimum} "
                "respondents suppressed)",
            )
        )

    def vfm_html(self) -> str:
        """Value for money: inputs, unit costs, leverage."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        inputs = self.scores["vfm_inputs"]
        out = _h(2, "Value for money")
        if inputs.empty:
            return out + _p("No inputs were recorded.")
        rate = float(self.scoring_meta.get("officer_day_rate_gbp", 0))
        long = inputs.melt(
            id_vars=["year"],
            value_vars=["cash_gbp", "in_kind_gbp", "officer_time_gbp"],
            var_name="type",
            value_name="gbp",
        )
        long["type"] = long["type"].map(
            {"cash_gbp": "cash", "in_kind_gbp": "in kind", "officer_time_gbp": "officer time"}
        )
        latest = inputs.iloc[-1]
        reading = (
            f"In {latest['year']} the partnership's inputs from all partners came to "
            f"{_gbp(latest['total_gbp'])}, including officer time valued at £{rate:,.0f} a day "
            f"({latest['officer_days']:,.0f} days). Economy is the cost of inputs; efficiency "
            "the cost per output; effectiveness the change in outcomes for that cost."
        )
        if (inputs["source"] == "register").any():
            reading += (
                " No finance breakdown was recorded, so only the council's figures "
                "from the register are used."
            )
        out += _p(reading)
        out += figure_html(
            charts.money_chart(
                long, category="year", value="gbp", stack="type", title="Inputs by year and type"
            )
        )
        out += table_html(
            inputs[
                [
                    "year",
                    "cash_gbp",
                    "in_kind_gbp",
                    "officer_days",
                    "officer_time_gbp",
                    "total_gbp",
                    "partners",
                ]
            ].rename(
                columns={
                    "year": "Year",
                    "cash_gbp": "Cash (£)",
                    "in_kind_gbp": "In kind (£)",
                    "officer_days": "Officer days",
                    "officer_time_gbp": "Officer time (£)",
                    "total_gbp": "Total (£)",
                    "partners": "Contributing partners",
                }
            ),
            caption="Inputs (economy)",
            formats={
                c: "£{:,.0f}" for c in ("Cash (£)", "In kind (£)", "Officer time (£)", "Total (£)")
            },
        )
        share = self.scores["vfm_share"]
        if len(share):
            out += table_html(
                share[
                    ["year", "council_gbp", "partners_gbp", "partner_gbp_per_council_gbp"]
                ].rename(
                    columns={
                        "year": "Year",
                        "council_gbp": "Council (£)",
                        "partners_gbp": "Partners (£)",
                        "partner_gbp_per_council_gbp": "Partner £ per council £",
                    }
                ),
                caption="What the council puts in and what partners add",
                formats={
                    "Council (£)": "£{:,.0f}",
                    "Partners (£)": "£{:,.0f}",
                    "Partner £ per council £": "{:.2f}",
                },
            )
        costs = self.scores["vfm_indicators"]
        unit = costs[costs["cost_per_unit"].notna() | costs["cost_per_improvement"].notna()]
        if len(unit):
            unit = unit.assign(cost=unit["cost_per_unit"].fillna(unit["cost_per_improvement"]))
            out += table_html(
                unit[["name", "period", "measure", "actual", "cost"]].rename(
                    columns={
                        "name": "Indicator",
                        "period": "Period",
                        "measure": "Measure",
                        "actual": "Actual",
                        "cost": "Cost (£)",
                    }
                ),
                caption="Unit costs (efficiency and effectiveness)",
                formats={"Cost (£)": "£{:,.2f}", "Actual": "{:,.0f}"},
            )
        return out

    def risk_html(self) -> str:
        """Risk heatmap and the highest risks."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        risks = self.scores["risks"]
        out = _h(2, "Risk")
        if risks.empty:
            return out + _p("No risks were recorded for this partnership.")
        high = int((risks["rating"] == "high").sum())
        top = risks.iloc[0]
        out += _p(
            f"{len(risks)} risks recorded; {high} rated high (likelihood × impact of 15 or "
            f"more, evalkit's default banding). The highest: {top['description']} "
            f"(score {int(top['score'])})."
        )
        out += figure_html(charts.risk_heatmap(risks))
        out += table_html(
            risks[
                [
                    "risk_id",
                    "description",
                    "likelihood",
                    "impact",
                    "score",
                    "rating",
                    "owner",
                    "mitigation",
                ]
            ].rename(
                columns={
                    "risk_id": "Id",
                    "description": "Risk",
                    "likelihood": "Likelihood",
                    "impact": "Impact",
                    "score": "Score",
                    "rating": "Rating",
                    "owner": "Owner",
                    "mitigation": "Mitigation",
                }
            ),
            caption="Risks, highest first",
        )
        return out

    def swot_html(self) -> str:
        """SWOT entries grouped by category."""
        from evalkit.report.render import table_html

        swot = self.tables["swot"]
        out = _h(2, "SWOT analysis")
        if swot.empty:
            return out + _p("No SWOT analysis was recorded.")
        order = {"strength": 0, "weakness": 1, "opportunity": 2, "threat": 3}
        swot = swot.assign(_o=swot["category"].map(order)).sort_values("_o")
        counts = swot["category"].value_counts()
        out += _p(
            "; ".join(
                f"{counts.get(c, 0)} {c}{'s' if counts.get(c, 0) != 1 else ''}" for c in order
            )
            + "."
        )
        return out + table_html(
            swot[["category", "text"]].rename(columns={"category": "Category", "text": "Entry"}),
            caption="Strengths, weaknesses, opportunities and threats",
        )

    def impact_html(self) -> str:
        """Outcomes and outputs against baseline and target; equity split."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        costs = self.scores["vfm_indicators"]
        out = _h(2, "Evidence of impact")
        if costs.empty:
            return out + _p("No output or outcome indicators were recorded.")
        latest = costs[costs["period"] == costs.groupby("indicator_id")["period"].transform("max")]
        better = int((latest["moved"] == "better").sum())
        worse = int((latest["moved"] == "worse").sum())
        met = int(latest["target_met"].astype(str).eq("True").sum())
        out += _p(
            f"In the latest period {better} of {len(latest)} indicators moved the right way "
            f"from their baseline and {worse} moved the wrong way; {met} met their target."
        )
        out += figure_html(charts.indicator_chart(latest))
        out += table_html(
            costs[
                [
                    "name",
                    "kind",
                    "period",
                    "baseline",
                    "target",
                    "actual",
                    "unit",
                    "good_direction",
                    "moved",
                    "target_met",
                ]
            ].rename(
                columns={
                    "name": "Indicator",
                    "kind": "Kind",
                    "period": "Period",
                    "baseline": "Baseline",
                    "target": "Target",
                    "actual": "Actual",
                    "unit": "Unit",
                    "good_direction": "Better is",
                    "moved": "Since baseline",
                    "target_met": "Target met",
                }
            ),
            caption="Outputs and outcomes against baseline and target",
            formats={"Baseline": "{:,.0f}", "Target": "{:,.0f}", "Actual": "{:,.0f}"},
        )
        equity = self.scores["equity"]
        if len(equity):
            out += _h(3, "Equity: results by place or group")
            out += table_html(
                equity[["name", "period", "group", "baseline", "actual", "moved"]].rename(
                    columns={
                        "name": "Indicator",
                        "period": "Period",
                        "group": "Group",
                        "baseline": "Baseline",
                        "actual": "Actual",
                        "moved": "Since baseline",
                    }
                ),
                caption="Indicators split by place or group",
                formats={"Baseline": "{:,.0f}", "Actual": "{:,.0f}"},
            )
        return out

    def findings_html(self) -> str:
        """Findings and the action plan."""
        from evalkit.report.render import table_html

        f = self.findings()
        acts = self.scores["actions"]
        out = _h(2, "Findings and action plan")
        if f.empty:
            return out + _p("The rules found nothing to act on.")
        out += _p(
            "Findings come from fixed rules applied to the scores and register facts "
            "(see docs/scoring.md); each has a stable code so it can be tracked between "
            "rounds."
        )
        out += table_html(
            f.assign(severity=f["severity"].map(SEVERITY_WORDS))[
                ["severity", "code", "message"]
            ].rename(columns={"severity": "Priority", "code": "Code", "message": "Finding"}),
            caption="Findings, most serious first",
        )
        if len(acts):
            out += table_html(
                _action_plan(acts),
                caption="Action plan (one row an action, with the findings it answers)",
            )
        return out

    def quality_html(self) -> str:
        """Data quality and caveats."""
        from evalkit.report.render import table_html

        d = self.dims()
        out = _h(2, "Data quality and caveats")
        notes = [
            "Scores summarise what partners said; they are a starting point for "
            "discussion, not a verdict (formal tools can mislead when used alone).",
            "'Don't know', 'not applicable' and blank answers are treated as missing, "
            "never as zero.",
        ]
        if self.notice:
            notes.insert(0, self.notice)
        out += "<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
        rows = []
        for fid in self.frameworks_present():
            fw = self.frameworks[fid]
            sub = d[d["framework_id"] == fid]
            rows.append(
                (fw.title, fw.confirmation, f"{sub['missing_rate'].mean():.0%}", fw.label or "—")
            )
        out += table_html(
            pd.DataFrame(
                rows, columns=["Framework", "Content confirmed", "Answers missing", "Caveat"]
            ),
            caption="How far each framework's content is confirmed, and missing answers",
        )
        return out + self.sectors_html()

    def provenance_html(self) -> str:
        """Evalkit version, framework editions, input hashes, parameters, build time."""
        from evalkit.report.render import table_html

        params = pd.DataFrame(
            [
                ("partnership_id", self.partnership_id),
                ("assessment_round", self.assessment_round),
                ("evalkit version", __version__),
                ("built at (UTC)", self.built_at),
                (
                    "scoring rule",
                    "lowest organisation where partners disagree"
                    if self.scoring_meta.get("lower_on_disagreement")
                    else "mean of organisations",
                ),
                ("officer day rate", f"£{self.scoring_meta.get('officer_day_rate_gbp', 0):,.0f}"),
            ],
            columns=["Parameter", "Value"],
        )
        editions = pd.DataFrame(
            [(fw.id, fw.title, fw.edition) for fw in self.frameworks.values()],
            columns=["Id", "Framework", "Edition"],
        )
        files = pd.DataFrame(
            sorted(self.meta.get("input_files", {}).items()), columns=["Input file", "SHA-256"]
        )
        return (
            _h(2, "Provenance")
            + _p("What this pack was built from, so that it can be reproduced and checked.")
            + table_html(params, caption="Build parameters")
            + table_html(editions, caption="Framework editions")
            + table_html(files, caption="Input files")
        )

    def summary_record(self) -> dict[str, Any]:
        """A small machine-readable summary of the pack (no respondent data)."""
        f = self.findings()
        return {
            "partnership_id": self.partnership_id,
            "name": self.name,
            "assessment_round": self.assessment_round,
            "invented_data": bool(self.notice),
            "top_finding": self.top_finding(),
            "findings": f["severity"].value_counts().to_dict() if len(f) else {},
            "frameworks": self.frameworks_present(),
        }

    def write_summary(self, output_dir: Path | str) -> Path:
        """Write ``summary.json`` for the index and for checks, atomically."""
        from evalkit.atomic import atomic_write_text

        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.summary_record(), indent=2, ensure_ascii=False)
        return atomic_write_text(folder / "summary.json", text + "\n")


def load_pack(
    partnership_id: str,
    assessment_round: str,
    processed_dir: Path | str,
    frameworks: Mapping[str, Framework] | None = None,
) -> Pack:
    """Load one partnership's evidence from the prepared and scored folder.

    Raises:
        InputFileError: the data has not been prepared/scored, or the id is unknown.
    """
    processed_dir = Path(processed_dir)
    tables = load_tables(processed_dir, PACK_TABLES)
    parts = tables["partnerships"]
    match = parts[parts["partnership_id"] == partnership_id]
    if match.empty:
        raise InputFileError(
            f"partnership '{partnership_id}' is not in the register; known: "
            + ", ".join(sorted(parts["partnership_id"].astype(str)))
        )
    scores_dir = processed_dir / "scores"
    if not (scores_dir / "scoring.json").exists():
        raise InputFileError(f"{scores_dir}: no scores; run `evalkit score` first")
    scores = load_results(scores_dir, partnership_id)
    own = {
        name: frame[frame["partnership_id"] == partnership_id]
        if "partnership_id" in frame
        else frame
        for name, frame in tables.items()
        if name not in ("organisations",)
    }
    own["organisations"] = tables["organisations"][
        tables["organisations"]["organisation_id"].isin(own["memberships"]["organisation_id"])
    ]
    scoring_meta = json.loads((scores_dir / "scoring.json").read_text(encoding="utf-8"))
    if frameworks is None:
        from evalkit.method.framework import load_frameworks

        # the same framework folders scoring used (a council's own ones included)
        frameworks = load_frameworks(Path(d) for d in scoring_meta.get("framework_dirs", []))
    return Pack(
        partnership_id=partnership_id,
        assessment_round=assessment_round or scoring_meta.get("assessment_round", ""),
        processed_dir=processed_dir,
        register=match.iloc[0],
        tables=own,
        scores=scores,
        frameworks=frameworks,
        meta=load_dataset_meta(processed_dir),
        scoring_meta=scoring_meta,
    )
