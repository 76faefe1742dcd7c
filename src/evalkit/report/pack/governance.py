"""Register facts on money and governance, and the partnership's members."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report.fragments import (
    and_list,
    date_text,
    gbp_text,
    para,
    text_or,
    whole_text,
    yes_no,
    yes_no_text,
)
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, appendix
from evalkit.values import is_missing

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def html(pack: Pack) -> str:
    """Register facts on money and governance, and the membership."""
    members = _members(pack)
    reading = (
        f"{pack.name} has {plural(len(members), 'member organisation')}. "
        f"{governing_document_text(pack.register.get('governing_document'))}; "
        f"{next_review_text(pack.register.get('next_review_due'), pack.scoring.as_of)}."
    )
    return (
        anchors.section_heading(2, "Register facts and governance", anchors.GOVERNANCE)
        + para(reading)
        + para(council_inputs_text(pack.register))
        + appendix.table(
            pack,
            _facts(pack),
            section="Register facts and governance",
            name="governance",
            caption="Governance and money (from the register)",
        )
        + appendix.table(
            pack, members, section="Members", name="members", caption="Member organisations"
        )
    )


def governing_document_text(value: object) -> str:
    """Whether a governing document is in place, as the register records it."""
    if is_missing(value):
        return "No governing document is recorded"
    return "A governing document is in place" if bool(value) else "There is no governing document"


def council_inputs_text(register: pd.Series) -> str:
    """What the council puts in each year and the partnership's budget, as the register says.

    For example: "Each year the council puts in £185,000 in cash, £12,000 in kind and
    140 officer days, towards a partnership budget of £1,450,000." Blank facts are left
    out; when all three inputs are blank the sentence says the register records none.
    """
    parts = []
    if not is_missing(register.get("council_cash_gbp")):
        parts.append(f"{gbp_text(register['council_cash_gbp'])} in cash")
    if not is_missing(register.get("in_kind_gbp")):
        parts.append(f"{gbp_text(register['in_kind_gbp'])} in kind")
    days = register.get("officer_days_per_year")
    if not is_missing(days):
        parts.append(f"{whole_text(days)} officer {'day' if whole_text(days) == '1' else 'days'}")
    text = (
        f"Each year the council puts in {and_list(parts)}"
        if parts
        else "The register records nothing the council puts in each year"
    )
    budget = register.get("total_budget_gbp")
    if not is_missing(budget):
        text += f", towards a partnership budget of {gbp_text(budget)}"
    return text + "."


def next_review_text(due: object, as_of: str | None) -> str:
    """When the next review is due, in words ("no review date is recorded" when blank)."""
    if is_missing(due):
        return "no review date is recorded"
    when = pd.Timestamp(str(due))
    if as_of and when < pd.Timestamp(as_of):
        return f"the next review was due on {date_text(when)} and is overdue"
    return f"the next review is due on {date_text(when)}"


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
