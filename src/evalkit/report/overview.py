"""The portfolio overview: the partnership landscape and cross-partnership comparison.

Used by ``notebooks/portfolio_overview.ipynb``. Comparisons are made dimension by
dimension; frameworks whose sources forbid totals are never added up.
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
from evalkit.report.pack import SECTION_ORDER, _h, _p
from evalkit.method.results import load_results

if TYPE_CHECKING:
    from evalkit.method.framework import Framework


#: Most partnerships in one comparison grid (a taller grid would not fit an A4 page).
HEATMAP_ROWS = 30


@dataclass
class Overview:
    """The whole register with its scores and findings."""

    assessment_round: str
    tables: dict[str, pd.DataFrame]
    scores: dict[str, pd.DataFrame]
    frameworks: Mapping[str, Framework]
    meta: dict[str, Any]
    scoring_meta: dict[str, Any]
    built_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def notice(self) -> str | None:
        """The invented-data notice, when the data is invented."""
        dataset = self.meta.get("dataset", {})
        return dataset.get("notice") if dataset.get("invented") else None

    @property
    def register(self) -> pd.DataFrame:
        """Every partnership in the register."""
        return self.tables["partnerships"]

    @property
    def as_of(self) -> pd.Timestamp:
        """The date reviews are judged against."""
        return pd.Timestamp(self.scoring_meta.get("as_of") or pd.Timestamp.today())

    def title_html(self) -> str:
        """The single top-level heading and the invented-data banner."""
        from evalkit.report.render import callout_html

        title = self.meta.get("dataset", {}).get("title") or "Partnership portfolio"
        out = f"<h1>Partnership landscape: {html.escape(title)}</h1>"
        if self.notice:
            out += callout_html(self.notice, kind="invented")
        return out

    def landscape_html(self) -> str:
        """The register by tier, legal form, directorate and statutory basis."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        reg = self.register.copy()
        reg["basis"] = (
            reg["statutory_basis"]
            .fillna("none")
            .map(
                lambda s: (
                    "voluntary (no statutory basis)"
                    if str(s).strip().lower() == "none"
                    else "statutory"
                )
            )
        )
        in_scope = int(reg["in_scope"].fillna(False).astype(bool).sum())
        out = _h(2, "The partnership landscape") + _p(
            f"The register holds {len(reg)} partnerships, {in_scope} of them in scope for "
            f"review; {len(reg) - in_scope} are out of scope (for example purely contractual "
            f"arrangements). {int(reg['incorporated'].astype(bool).sum())} are incorporated "
            "bodies; the rest are unincorporated."
        )
        counts = (
            reg["legal_form"]
            .value_counts()
            .rename_axis("legal_form")
            .reset_index(name="partnerships")
        )
        out += figure_html(
            charts.bar_chart(
                counts,
                category="legal_form",
                value="partnerships",
                scale_min=0,
                scale_max=float(counts["partnerships"].max()) + 1,
                title="Partnerships by legal form",
                value_format="{:.0f}",
            )
        )
        for column, label in (
            ("tier", "Tier"),
            ("lead_directorate", "Lead directorate"),
            ("basis", "Statutory basis"),
        ):
            table = (
                reg.groupby(column, observed=True)
                .agg(
                    partnerships=("partnership_id", "count"),
                    in_scope=("in_scope", lambda s: int(s.fillna(False).astype(bool).sum())),
                )
                .reset_index()
                .rename(
                    columns={column: label, "partnerships": "Partnerships", "in_scope": "In scope"}
                )
            )
            out += table_html(table, caption=f"Partnerships by {label.lower()}")
        cols = [
            "name",
            "tier",
            "legal_form",
            "incorporated",
            "statutory_basis",
            "council_role",
            "lead_officer",
            "in_scope",
            "out_of_scope_reason",
        ]
        out += table_html(
            reg[cols].rename(
                columns={
                    "name": "Partnership",
                    "tier": "Tier",
                    "legal_form": "Legal form",
                    "incorporated": "Incorporated",
                    "statutory_basis": "Statutory basis",
                    "council_role": "Council's role",
                    "lead_officer": "Lead officer",
                    "in_scope": "In scope",
                    "out_of_scope_reason": "Why out of scope",
                }
            ),
            caption="The register",
        )
        return out

    def network_html(self) -> str:
        """Partner organisations and the partnerships they belong to."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        members = self.tables["memberships"]
        names = dict(
            zip(
                self.tables["organisations"]["organisation_id"],
                self.tables["organisations"]["name"],
                strict=True,
            )
        )
        parts = dict(zip(self.register["partnership_id"], self.register["name"], strict=True))
        links = pd.DataFrame(
            {
                "partnership": members["partnership_id"].map(parts),
                "organisation": members["organisation_id"].map(names),
            }
        )
        per_org = (
            links["organisation"]
            .value_counts()
            .rename_axis("Organisation")
            .reset_index(name="Partnerships")
        )
        sectors = self.tables["organisations"].set_index("name")["sector"]
        per_org.insert(1, "Sector", per_org["Organisation"].map(sectors))
        shared = int((per_org["Partnerships"] > 1).sum())
        out = _h(2, "Who works with whom") + _p(
            f"{len(per_org)} organisations take part; {shared} of them sit on more than one "
            "partnership, which is where joining up governance could save effort."
        )
        out += figure_html(charts.network_chart(links, title="Partnerships and their members"))
        return out + table_html(per_org, caption="Organisations by number of partnerships")

    def money_html(self) -> str:
        """Council money in: cash, in-kind and officer time, by partnership."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html, table_html

        rate = float(self.scoring_meta.get("officer_day_rate_gbp", 0))
        reg = self.register[self.register["in_scope"].fillna(False).astype(bool)].copy()
        reg["officer_time_gbp"] = reg["officer_days_per_year"].fillna(0) * rate
        long = reg.melt(
            id_vars=["name"],
            value_vars=["council_cash_gbp", "in_kind_gbp", "officer_time_gbp"],
            var_name="type",
            value_name="gbp",
        ).fillna({"gbp": 0})
        long["type"] = long["type"].map(
            {
                "council_cash_gbp": "cash",
                "in_kind_gbp": "in kind",
                "officer_time_gbp": "officer time",
            }
        )
        total = long["gbp"].sum()
        out = _h(2, "Money in") + _p(
            f"The council puts about £{total:,.0f} a year into its in-scope partnerships, "
            f"counting officer time at £{rate:,.0f} a day."
        )
        out += figure_html(
            charts.money_chart(
                long,
                category="name",
                value="gbp",
                stack="type",
                title="Council inputs per year by partnership",
            )
        )
        table = reg[
            [
                "name",
                "council_cash_gbp",
                "in_kind_gbp",
                "officer_days_per_year",
                "officer_time_gbp",
                "total_budget_gbp",
            ]
        ].rename(
            columns={
                "name": "Partnership",
                "council_cash_gbp": "Cash (£)",
                "in_kind_gbp": "In kind (£)",
                "officer_days_per_year": "Officer days",
                "officer_time_gbp": "Officer time (£)",
                "total_budget_gbp": "Whole budget (£)",
            }
        )
        money = {c: "£{:,.0f}" for c in table.columns if "(£)" in c} | {"Officer days": "{:,.0f}"}
        return out + table_html(table, caption="Council inputs (from the register)", formats=money)

    def reviews_html(self) -> str:
        """Reviews overdue and use of the partnership toolkit."""
        from evalkit.report.render import table_html

        reg = self.register[self.register["in_scope"].fillna(False).astype(bool)]
        due = reg["next_review_due"]
        overdue = reg[due.notna() & (due < self.as_of)]
        never = reg[due.isna() & reg["last_review"].isna()]
        toolkit = (
            reg["toolkit_used"]
            .map({True: "used", False: "not used"})
            .fillna("not recorded")
            .value_counts()
        )
        out = _h(2, "Reviews and the partnership toolkit") + _p(
            f"At {self.as_of:%d/%m/%Y}, {len(overdue)} in-scope partnerships are overdue for "
            f"review and {len(never)} have no review recorded at all. The council's "
            f"partnership toolkit was used for {int(toolkit.get('used', 0))} of {len(reg)}."
        )
        table = (
            overdue[["name", "lead_officer", "last_review", "next_review_due"]]
            .assign(days=(self.as_of - overdue["next_review_due"]).dt.days)
            .rename(
                columns={
                    "name": "Partnership",
                    "lead_officer": "Lead officer",
                    "last_review": "Last review",
                    "next_review_due": "Due",
                    "days": "Days overdue",
                }
            )
        )
        out += table_html(table, caption="Reviews overdue", empty_text="No review is overdue.")
        return out + table_html(
            toolkit.rename_axis("Toolkit").reset_index(name="Partnerships"),
            caption="Use of the partnership toolkit",
        )

    def _dims(self) -> pd.DataFrame:
        d = self.scores["dimension_scores"]
        if d.empty:
            return d
        d = d[d["round"].astype(str) == self.assessment_round]
        names = dict(zip(self.register["partnership_id"], self.register["name"], strict=True))
        return d.assign(partnership=d["partnership_id"].map(names))

    def comparison_html(self) -> str:
        """Framework scores compared across partnerships, dimension by dimension."""
        from evalkit.report import charts
        from evalkit.report.render import figure_html

        d = self._dims()
        out = _h(2, "Framework scores compared") + _p(
            "Each grid compares partnerships dimension by dimension. Scores are not added "
            "up across dimensions where the framework's source says they should not be."
        )
        if d.empty:
            return out + _p("No scores yet.")
        for fid in [f for f in SECTION_ORDER if f in set(d["framework_id"])] + sorted(
            set(d["framework_id"]) - set(SECTION_ORDER)
        ):
            fw = self.frameworks.get(fid)
            if fw is None:
                continue
            sub = d[d["framework_id"] == fid]
            out += _h(3, fw.title)
            # A grid taller than a page cannot be printed whole, so a large portfolio's
            # grid is drawn in parts of at most HEATMAP_ROWS partnerships each.
            names = sorted(sub["partnership"].astype(str).unique())
            for first in range(0, len(names), HEATMAP_ROWS):
                part = names[first : first + HEATMAP_ROWS]
                title = f"{fw.short_title or fw.title} by {fw.dimension_label}"
                if len(names) > HEATMAP_ROWS:
                    title += f" (partnerships {first + 1}–{first + len(part)} of {len(names)})"
                out += figure_html(
                    charts.score_heatmap(
                        sub[sub["partnership"].astype(str).isin(part)],
                        row="partnership",
                        column="dimension_id",
                        value="score",
                        scale_min=fw.scale_def.min,
                        scale_max=fw.scale_def.max,
                        title=title,
                    )
                )
        return out

    def benchmark_html(self) -> str:
        """Each partnership against the portfolio median, dimension by dimension."""
        from evalkit.report.render import table_html

        d = self._dims()
        out = _h(2, "Benchmarking")
        if d.empty:
            return out + _p("No scores yet.")
        d = d.assign(
            median=d.groupby(["framework_id", "dimension_id"])["score_pct"].transform("median"),
            q1=d.groupby(["framework_id", "dimension_id"])["score_pct"].transform(
                lambda s: s.quantile(0.25)
            ),
        )
        summary = (
            d.groupby("partnership", observed=True)
            .agg(
                dimensions=("score_pct", "count"),
                above_median=("score_pct", lambda s: int((s > d.loc[s.index, "median"]).sum())),
                bottom_quarter=("score_pct", lambda s: int((s < d.loc[s.index, "q1"]).sum())),
                diverged=("diverged", lambda s: int(s.fillna(False).astype(bool).sum())),
            )
            .reset_index()
            .sort_values("bottom_quarter", ascending=False)
        )
        out += _p(
            "Scores are put on a common 0–100 scale (position between the scale's lowest and "
            "highest point) only to compare each partnership with the portfolio median for "
            "the same dimension. No comparator data from other councils is loaded, so this "
            "benchmarks partnerships against each other within the council."
        )
        return out + table_html(
            summary.rename(
                columns={
                    "partnership": "Partnership",
                    "dimensions": "Dimensions scored",
                    "above_median": "Above portfolio median",
                    "bottom_quarter": "In bottom quarter",
                    "diverged": "Partners disagree",
                }
            ),
            caption="Partnerships against the portfolio, dimension by dimension",
        )

    def findings_html(self) -> str:
        """Findings counted by partnership and by code."""
        from evalkit.report.render import table_html

        f = self.scores["findings"]
        out = _h(2, "Findings across the portfolio")
        if f.empty:
            return out + _p("No findings.")
        names = dict(zip(self.register["partnership_id"], self.register["name"], strict=True))
        by_part = (
            pd.crosstab(f["partnership_id"].map(names), f["severity"])
            .reindex(columns=["high", "medium", "low", "info"], fill_value=0)
            .reset_index()
            .rename(
                columns={
                    "partnership_id": "Partnership",
                    "high": "High",
                    "medium": "Medium",
                    "low": "Low",
                    "info": "For information",
                }
            )
        )
        by_code = (
            f["code"]
            .value_counts()
            .rename_axis("Finding")
            .reset_index(name="Partnerships affected")
        )
        top = by_code.iloc[0]
        out += _p(
            f"{len(f)} findings in all. The most common is '{top['Finding']}' "
            f"({int(top['Partnerships affected'])} times)."
        )
        return (
            out
            + table_html(by_part, caption="Findings by partnership and priority")
            + table_html(by_code, caption="Findings by code")
        )

    def provenance_html(self) -> str:
        """Version, framework editions and input hashes."""
        from evalkit.report.render import table_html

        params = pd.DataFrame(
            [
                ("assessment_round", self.assessment_round),
                ("evalkit version", __version__),
                ("built at (UTC)", self.built_at),
            ],
            columns=["Parameter", "Value"],
        )
        files = pd.DataFrame(
            sorted(self.meta.get("input_files", {}).items()), columns=["Input file", "SHA-256"]
        )
        return (
            _h(2, "Provenance")
            + table_html(params, caption="Build parameters")
            + table_html(files, caption="Input files")
        )


def load_overview(
    assessment_round: str,
    processed_dir: Path | str,
    frameworks: Mapping[str, Framework] | None = None,
) -> Overview:
    """Load the whole portfolio for the overview notebook.

    Raises:
        InputFileError: the data has not been prepared and scored.
    """
    processed_dir = Path(processed_dir)
    scores_dir = processed_dir / "scores"
    if not (scores_dir / "scoring.json").exists():
        raise InputFileError(f"{scores_dir}: no scores; run `evalkit score` first")
    scoring_meta = json.loads((scores_dir / "scoring.json").read_text(encoding="utf-8"))
    if frameworks is None:
        from evalkit.method.framework import load_frameworks

        # the same framework folders scoring used (a council's own ones included)
        frameworks = load_frameworks(Path(d) for d in scoring_meta.get("framework_dirs", []))
    tables = load_tables(processed_dir, ("partnerships", "organisations", "memberships"))
    return Overview(
        assessment_round=assessment_round or scoring_meta.get("assessment_round", ""),
        tables=tables,
        scores=load_results(scores_dir, evidence=False),
        frameworks=frameworks,
        meta=load_dataset_meta(processed_dir),
        scoring_meta=scoring_meta,
    )
