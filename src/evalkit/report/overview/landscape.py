"""The partnership landscape: the register by legal form, tier, directorate and basis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import first_upper, heading, para
from evalkit.report.labels import labelled
from evalkit.report.overview.sizing import REGISTER_SHEET, long_table_html
from evalkit.report.render import figure_html, table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: The register's columns, in the order the register table shows them.
REGISTER_COLUMNS = (
    "name",
    "tier",
    "legal_form",
    "incorporated",
    "statutory_basis",
    "council_role",
    "lead_officer",
    "in_scope",
    "out_of_scope_reason",
)
#: The groupings counted, each with its heading.
GROUPINGS = (
    ("tier", "Tier"),
    ("lead_directorate", "Lead directorate"),
    ("basis", "Statutory basis"),
)


def landscape_html(view: Overview) -> str:
    """Counts of the register, a chart by legal form, tables by grouping, the register."""
    reg = view.register.assign(
        basis=view.register["statutory_basis"].fillna("none").map(_basis),
        tier=view.register["tier"].map(
            lambda tier: first_upper(tier) if isinstance(tier, str) and tier else None
        ),
    )
    out = heading(2, "The partnership landscape") + para(_summary(reg))
    out += figure_html(_legal_form_chart(reg))
    for column, title in GROUPINGS:
        out += table_html(_grouped(reg, column, title), caption=f"Partnerships by {title.lower()}")
    return out + long_table_html(
        register_table(reg), caption="The register", sheet=REGISTER_SHEET, first="", last=""
    )


def register_table(reg: pd.DataFrame) -> pd.DataFrame:
    """The register's columns a reader needs, headed by their labels."""
    return labelled(reg, "partnerships", REGISTER_COLUMNS)


def _basis(statutory_basis: object) -> str:
    """'statutory', or 'voluntary (no statutory basis)' when the basis is 'none'."""
    if str(statutory_basis).strip().lower() == "none":
        return "voluntary (no statutory basis)"
    return "statutory"


def _in_scope_count(in_scope: pd.Series) -> int:
    return int(in_scope.fillna(False).astype(bool).sum())


def _summary(reg: pd.DataFrame) -> str:
    in_scope = _in_scope_count(reg["in_scope"])
    out = len(reg) - in_scope
    incorporated = reg["incorporated"]
    yes = int(incorporated.eq(True).fillna(False).astype(bool).sum())
    no = int(incorporated.eq(False).fillna(False).astype(bool).sum())
    unknown = len(reg) - yes - no
    text = (
        f"The register holds {plural(len(reg), 'partnership')}, {in_scope} of them in scope "
        f"for review; {out} {'is' if out == 1 else 'are'} out of scope (for example purely "
        f"contractual arrangements). {yes} {'is' if yes == 1 else 'are'} incorporated and "
        f"{no} {'is' if no == 1 else 'are'} unincorporated"
    )
    if unknown:
        text += f"; for {unknown} it is not recorded"
    return text + "."


def _legal_form_chart(reg: pd.DataFrame) -> charts.Chart:
    counts = (
        reg["legal_form"].value_counts().rename_axis("legal_form").reset_index(name="partnerships")
    )
    return charts.bar_chart(
        counts,
        category="legal_form",
        value="partnerships",
        scale_min=0,
        scale_max=float(counts["partnerships"].max()) + 1,
        title="Partnerships by legal form",
        value_format="{:.0f}",
    )


def _grouped(reg: pd.DataFrame, column: str, title: str) -> pd.DataFrame:
    """Partnerships and those in scope, per value of ``column``."""
    table = (
        reg.groupby(column, observed=True)
        .agg(partnerships=("partnership_id", "count"), in_scope=("in_scope", _in_scope_count))
        .reset_index()
    )
    return table.rename(
        columns={column: title, "partnerships": "Partnerships", "in_scope": "In scope"}
    )
