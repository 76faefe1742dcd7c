"""The pack's title and cover: what the partnership is and which round the pack covers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import date_text, first_upper, heading, para, text_or, yes_no_text
from evalkit.report.pack import anchors, downloads
from evalkit.report.render import callout_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack


def title_html(pack: Pack) -> str:
    """The pack's single top-level heading and its invented-data banner."""
    parts = [heading(1, f"Evidence pack: {pack.name}")]
    if pack.notice:
        parts.append(callout_html(pack.notice, kind="invented"))
    return "\n".join(parts)


def html(pack: Pack) -> str:
    """Cover facts: tier, legal form, statutory basis, lead, round."""
    reading = (
        f"This pack sets out the evidence on {pack.name} for the {pack.assessment_round} "
        "review of partnerships: what the partnership is, how it is governed, how "
        "its partners rate it against the evaluation frameworks, what it costs and "
        "achieves, its risks, and the actions that follow."
    )
    return (
        anchors.section_heading(2, "About this partnership", anchors.ABOUT)
        + para(reading)
        + downloads.table(pack, _facts(pack), name="cover", caption="Register entry (cover facts)")
    )


def _facts(pack: Pack) -> pd.DataFrame:
    r = pack.register
    return pd.DataFrame(
        [
            ("Partnership", pack.name),
            ("Tier", first_upper(r["tier"])),
            ("Legal form", text_or(r["legal_form"])),
            ("Incorporated", yes_no_text(r.get("incorporated"))),
            ("Statutory basis", text_or(r["statutory_basis"])),
            ("Council's role", text_or(r["council_role"])),
            ("Lead directorate", text_or(r["lead_directorate"])),
            ("Lead officer", text_or(r["lead_officer"])),
            ("Lead member", text_or(r.get("lead_member"))),
            ("Assessment round", pack.assessment_round),
            ("Judged as at", date_text(pack.scoring.as_of or None)),
        ],
        columns=["Fact", "Value"],
    )
