"""Who works with whom: partner organisations and the partnerships they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import heading, para
from evalkit.report.render import figure_html, table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def network_html(view: Overview) -> str:
    """A network chart of memberships and organisations by number of partnerships."""
    links = _links(view)
    per_org = _per_organisation(view, links)
    shared = int((per_org["Partnerships"] > 1).sum())
    out = heading(2, "Who works with whom") + para(
        f"{plural(len(per_org), 'organisation')} take{'s' if len(per_org) == 1 else ''} part; "
        f"{shared} of them {'sits' if shared == 1 else 'sit'} on more than one partnership, "
        "which is where joining up governance could save effort."
    )
    out += figure_html(charts.network_chart(links, title="Partnerships and their members"))
    return out + table_html(per_org, caption="Organisations by number of partnerships")


def _links(view: Overview) -> pd.DataFrame:
    """One row per membership: the partnership's name and the organisation's name."""
    members = view.tables["memberships"]
    organisations = view.tables["organisations"]
    org_names = dict(zip(organisations["organisation_id"], organisations["name"], strict=True))
    return pd.DataFrame(
        {
            "partnership": members["partnership_id"].map(view.names),
            "organisation": members["organisation_id"].map(org_names),
        }
    )


def _per_organisation(view: Overview, links: pd.DataFrame) -> pd.DataFrame:
    """Each organisation, its sector and how many partnerships it sits on (most first)."""
    per_org = (
        links["organisation"]
        .value_counts()
        .rename_axis("Organisation")
        .reset_index(name="Partnerships")
    )
    sectors = view.tables["organisations"].set_index("name")["sector"]
    per_org.insert(1, "Sector", per_org["Organisation"].map(sectors))
    return per_org
