"""A small valid portfolio written as real CSV and Excel files (used by tests)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

HEADERS = {
    "partnerships": [
        "partnership_id",
        "name",
        "lead_directorate",
        "lead_officer",
        "tier",
        "in_scope",
        "out_of_scope_reason",
        "legal_form",
        "statutory_basis",
        "council_role",
        "council_cash_gbp",
        "governing_document",
        "next_review_due",
    ],
    "organisations": ["organisation_id", "name", "sector", "is_council"],
    "memberships": ["partnership_id", "organisation_id", "role", "voting"],
    "risks": ["partnership_id", "risk_id", "description", "likelihood", "impact"],
}

ROWS = {
    "partnerships": [
        [
            "csp",
            "Community Safety Partnership",
            "Resources",
            "A. Officer",
            "strategic",
            "Yes",
            "",
            "joint committee",
            "Crime and Disorder Act 1998 s5",
            "member",
            "£120,000",
            "Y",
            "01/04/2024",
        ],
        [
            "hub",
            "Armed Forces Covenant Hub",
            "Adult Services",
            "B. Officer",
            "significant",
            "y",
            "",
            "memorandum of understanding",
            "none",
            "lead partner",
            "25000",
            "x",
            "31/03/2026",
        ],
        [
            "roads",
            "Highways maintenance contract",
            "Growth",
            "C. Officer",
            "operational",
            "No",
            "purely contractual",
            "contract",
            "none",
            "funder",
            "0",
            "yes",
            "",
        ],
    ],
    "organisations": [
        ["the-council", "Northshire County Council (fictional)", "local authority", "yes"],
        ["police", "Lancashire Constabulary", "police", "no"],
        ["army", "British Army", "central government", "no"],
    ],
    "memberships": [
        ["csp", "the-council", "member", "yes"],
        ["csp", "police", "chair", "yes"],
        ["hub", "the-council", "chair", "yes"],
        ["hub", "army", "member", "yes"],
        ["roads", "the-council", "member", "yes"],
    ],
    "risks": [["csp", "R1", "Funding ends", "3", "4"]],
}


def write_csv(path: Path, headers: list[str], rows: list[list[object]], encoding="utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_workbook(folder: Path) -> Path:
    """Write the portfolio as one Excel workbook, a sheet per table."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers in HEADERS.items():
        ws = wb.create_sheet(name)
        ws.append(headers)
        for row in ROWS[name]:
            ws.append(list(row))
    wb.save(folder / "portfolio.xlsx")
    return folder / "portfolio.xlsx"
