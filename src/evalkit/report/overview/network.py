"""Who works with whom: a partnership × organisation matrix a councillor can read.

The matrix puts organisations that sit on several partnerships first (most
partnerships first) and, at most :data:`MATRIX_COLUMNS` of them, the partnerships they
share as rows (those with most of them first, at most :data:`MATRIX_ROWS`). Whatever
it leaves out is said in words, and every membership is in the portfolio workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.rules import plural
from evalkit.names import PORTFOLIO_WORKBOOK
from evalkit.report.fragments import heading, para
from evalkit.report.overview.figures import membership_matrix
from evalkit.report.overview.sizing import (
    MEMBERSHIPS_SHEET,
    ORGANISATIONS_SHEET,
    long_table_html,
)
from evalkit.report.render import figure_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: Most organisations (columns) and partnerships (rows) in the matrix.
MATRIX_COLUMNS = 12
MATRIX_ROWS = 20


@dataclass(frozen=True)
class Matrix:
    """What the membership matrix shows and what it leaves out.

    Attributes:
        organisations: the columns, most partnerships first.
        partnerships: the rows, most of those organisations first.
        all_organisations: how many organisations there are in all.
        all_partnerships: how many partnerships have members in all.
    """

    organisations: list[str]
    partnerships: list[str]
    all_organisations: int
    all_partnerships: int


def network_html(view: Overview) -> str:
    """What the matrix shows, the matrix, and organisations by number of partnerships."""
    links = memberships(view)
    per_org = per_organisation(view, links)
    shared = int((per_org["Partnerships"] > 1).sum())
    out = heading(2, "Who works with whom") + para(
        f"{plural(len(per_org), 'organisation')} "
        f"{'takes' if len(per_org) == 1 else 'take'} part; {shared} of them "
        f"{'sits' if shared == 1 else 'sit'} on more than one partnership, which is where "
        "joining up governance could save effort."
    )
    matrix = choose(links, per_org)
    out += para(_matrix_text(matrix))
    out += figure_html(
        membership_matrix(
            links,
            rows=matrix.partnerships,
            columns=matrix.organisations,
            title="Which organisations sit on which partnerships",
        )
    )
    return out + long_table_html(
        per_org,
        caption="Organisations by number of partnerships",
        sheet=ORGANISATIONS_SHEET,
        first="on most partnerships",
        last="on fewest",
    )


def memberships(view: Overview) -> pd.DataFrame:
    """One row per membership: ``partnership`` and ``organisation`` (names), no repeats."""
    members = view.tables["memberships"]
    organisations = view.tables["organisations"]
    org_names = dict(zip(organisations["organisation_id"], organisations["name"], strict=True))
    links = pd.DataFrame(
        {
            "partnership": members["partnership_id"].map(view.names),
            "organisation": members["organisation_id"].map(org_names),
        }
    )
    return links.dropna().drop_duplicates().reset_index(drop=True)


def per_organisation(view: Overview, links: pd.DataFrame) -> pd.DataFrame:
    """Each organisation, its sector and how many partnerships it sits on (most first)."""
    counts = links.groupby("organisation")["partnership"].nunique()
    per_org = counts.rename_axis("Organisation").reset_index(name="Partnerships")
    per_org = per_org.sort_values(["Partnerships", "Organisation"], ascending=[False, True])
    sectors = view.tables["organisations"].drop_duplicates("name").set_index("name")["sector"]
    per_org.insert(1, "Sector", per_org["Organisation"].map(sectors))
    return per_org.reset_index(drop=True)


def choose(links: pd.DataFrame, per_org: pd.DataFrame) -> Matrix:
    """The matrix's columns and rows: shared organisations first, then busiest partnerships."""
    organisations = list(per_org["Organisation"].head(MATRIX_COLUMNS))
    among = links[links["organisation"].isin(organisations)]
    per_part = among.groupby("partnership")["organisation"].nunique().reset_index(name="n")
    per_part = per_part.sort_values(["n", "partnership"], ascending=[False, True])
    return Matrix(
        organisations=organisations,
        partnerships=list(per_part["partnership"].head(MATRIX_ROWS)),
        all_organisations=len(per_org),
        all_partnerships=int(links["partnership"].nunique()),
    )


def _matrix_text(matrix: Matrix) -> str:
    """What the matrix shows, and how many organisations and partnerships it leaves out."""
    text = (
        "In the matrix below, each row is a partnership and each column an organisation; "
        "a square means the organisation sits on that partnership. Organisations on most "
        "partnerships come first, and partnerships sharing most of them."
    )
    orgs_out = matrix.all_organisations - len(matrix.organisations)
    parts_out = matrix.all_partnerships - len(matrix.partnerships)
    if orgs_out or parts_out:
        text += (
            f" It shows {len(matrix.organisations)} of {matrix.all_organisations} "
            f"organisations and {len(matrix.partnerships)} of {matrix.all_partnerships} "
            f"partnerships; {plural(orgs_out, 'organisation')} and "
            f"{plural(parts_out, 'partnership')} are left out here. Every membership is in "
            f"the workbook {PORTFOLIO_WORKBOOK}, sheet '{MEMBERSHIPS_SHEET}'."
        )
    return text
