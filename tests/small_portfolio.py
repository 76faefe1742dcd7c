"""Shared by the tests: the repository root and a small valid portfolio.

The portfolio is written as real CSV and Excel files by the fixtures in conftest.py.
``pythonpath = ["tests"]`` in pyproject.toml lets any test folder import this module.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
from nbformat import NotebookNode
from nbformat.v4 import new_output
from openpyxl import Workbook

from evalkit.inputs.contract import table

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_RAW = ROOT / "data" / "raw"


def copy_sample_raw(dest: Path) -> Path:
    """Copy the bundled sample's raw folder as the repository holds it.

    Left out: the returns a run of ``make packs`` in this checkout received and kept
    (``returns/<round>/``); the sample's own returns wait in ``returns/inbox/``.
    """

    def kept_returns(folder: str, names: list[str]) -> list[str]:
        if Path(folder) == SAMPLE_RAW / "returns":
            return [name for name in names if name != "inbox"]
        return []

    shutil.copytree(SAMPLE_RAW, dest, ignore=kept_returns)
    return dest


#: The invented-data banner the test pages and packs carry.
NOTICE = "INVENTED SAMPLE DATA — this is not a real council's assessment."

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


def html_output(fragment: str) -> NotebookNode:
    """A notebook cell's display output holding an HTML fragment, as report sections make."""
    return new_output("display_data", data={"text/html": fragment, "text/plain": "<HTML>"})


# Value for money, worked by hand (tests/method/test_vfm.py and test_rules.py) ------

RATE = 350.0  # £ per officer day

FINANCE = pd.DataFrame(
    [
        # 2023-24: 10,000 cash, nothing else -> 10,000
        ("p", "council", "2023-24", 10000.0, None, None),
        # 2024-25: 10,000 + 2,000 in kind + 10 days x 350 = 15,500 (council) + 5,000 police
        ("p", "council", "2024-25", 10000.0, 2000.0, 10.0),
        ("p", "police", "2024-25", 5000.0, None, None),
    ],
    columns=[
        "partnership_id",
        "organisation_id",
        "year",
        "cash_gbp",
        "in_kind_gbp",
        "officer_days",
    ],
)
REGISTER = pd.DataFrame(
    {
        "partnership_id": ["p", "q"],
        "council_cash_gbp": [10000.0, 7000.0],
        "in_kind_gbp": [2000.0, None],
        "officer_days_per_year": [10.0, 4.0],
    }
)
INDICATORS = pd.DataFrame(
    [
        (
            "p",
            "visits",
            "Visits made",
            "output",
            "visits",
            "2023-24",
            None,
            None,
            None,
            100.0,
            "up",
        ),
        (
            "p",
            "visits",
            "Visits made",
            "output",
            "visits",
            "2024-25",
            None,
            None,
            None,
            100.0,
            "up",
        ),
        (
            "p",
            "asb",
            "ASB incidents",
            "outcome",
            "incidents",
            "2024-25",
            None,
            200.0,
            150.0,
            180.0,
            "down",
        ),
        (
            "p",
            "asb",
            "ASB incidents",
            "outcome",
            "incidents",
            "2024-25",
            "North",
            100.0,
            None,
            110.0,
            "down",
        ),
    ],
    columns=table("indicators").column_names,
)


# Two assessment rounds, worked by hand (tests/method/test_run.py, test_pack_rounds.py) --

EARLY, LATE = "2023-24", "2024-25"
VICHEALTH_DOMAINS = [f"V{d}" for d in range(1, 8)]


def _vichealth(assessment_round: str, label: str, odd_domain: str, odd_label: str) -> list[list]:
    """35 VicHealth ratings for csp: ``label`` everywhere, ``odd_label`` in one domain."""
    return [
        [
            assessment_round,
            "csp",
            "vichealth-pat",
            f"{d}.{i}",
            odd_label if d == odd_domain else label,
            "",
            "",
        ]
        for d in VICHEALTH_DOMAINS
        for i in range(1, 6)
    ]


def _nuffield_agree(assessment_round: str) -> list[list]:
    """Three council and three police respondents answer every Nuffield item "Agree" (3)."""
    from evalkit.inputs.synth import framework_facts

    (nuffield,) = [f for f in framework_facts() if f.id == "nuffield-pat"]
    people = [(f"R{i}", "the-council") for i in (1, 2, 3)] + [
        (f"R{i}", "police") for i in (4, 5, 6)
    ]
    return [
        [assessment_round, "csp", rid, org, "nuffield-pat", item, "Agree"]
        for rid, org in people
        for item in nuffield.items
    ]


#: 2023-24: V7 "Strongly disagree" (1) x 5, the rest "Disagree" (2) x 30: total 65, red
#: ("Question the partnership", 35-84); every domain below the agree line (3).
#: 2024-25: V1 "Strongly agree" (5) x 5, the rest "Agree" (4) x 30: total 145, green
#: ("Genuine collaboration", 127-175); no domain below the agree line.
TWO_ROUND_TOTALS = {EARLY: (65, "Question the partnership"), LATE: (145, "Genuine collaboration")}
#: The responses table's columns, in the contract's order.
RESPONSE_HEADERS = [
    "round",
    "partnership_id",
    "respondent_id",
    "organisation_id",
    "framework_id",
    "item_id",
    "response",
]
TWO_ROUND_TABLES: dict[str, tuple[list[str], list[list[object]]]] = {
    "checklist": (
        ["round", "partnership_id", "framework_id", "item_id", "status", "evidence_ref", "note"],
        _vichealth(EARLY, "Disagree", "V7", "Strongly disagree")
        + _vichealth(LATE, "Agree", "V1", "Strongly agree"),
    ),
    # survey answers in 2024-25 only, so 2023-24 is a round of checklists alone
    "responses": (
        RESPONSE_HEADERS,
        _nuffield_agree(LATE),
    ),
    # money: 10,000 for 100 visits (100 a visit) in 2023-24; 12,000 for 80 (150 a visit,
    # +50 %) in 2024-25
    "finance": (
        ["partnership_id", "organisation_id", "year", "cash_gbp", "in_kind_gbp", "officer_days"],
        [
            ["csp", "the-council", EARLY, "10000", "", ""],
            ["csp", "the-council", LATE, "12000", "", ""],
        ],
    ),
    "indicators": (
        list(table("indicators").column_names),
        [
            ["csp", "visits", "Visits made", "output", "visits", EARLY, "", "", "", "100", "up"],
            ["csp", "visits", "Visits made", "output", "visits", LATE, "", "", "", "80", "up"],
        ],
    ),
}


def write_two_rounds(folder: Path) -> Path:
    """The small portfolio with csp's two rounds (VicHealth, Nuffield, money, visits)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, headers in HEADERS.items():
        write_csv(folder / f"{name}.csv", headers, [list(r) for r in ROWS[name]])
    for name, (headers, rows) in TWO_ROUND_TABLES.items():
        write_csv(folder / f"{name}.csv", headers, rows)
    return folder


# An index of five packs, worked by hand (tests/build/test_index.py, tests/browser) ------

#: Each pack's manifest record. flood's rebuild failed (its 3 October version is shown);
#: roads failed with no earlier version; the others are up to date.
INDEX_MANIFEST: dict[str, dict[str, object]] = {
    "csp": {
        "name": "Community Safety Partnership",
        "tier": "strategic",
        "status": "built",
        "built": "2026-11-26T09:30:00+00:00",
        "files": {"evidence-pack.html": "a", "evidence-pack.pdf": "b", "csp-data.xlsx": "c"},
    },
    "hub": {
        "name": "Armed Forces Covenant Hub",
        "tier": "significant",
        "status": "up-to-date",
        "built": "2026-10-03T08:00:00+00:00",
        "files": {"evidence-pack.html": "a", "evidence-pack.pdf": "b"},
    },
    "flood": {
        "name": "Flood Resilience Board",
        "tier": "operational",
        "status": "stale",
        "built": "2026-10-03T08:00:00+00:00",
        "files": {"evidence-pack.html": "a"},
        "error": {"name": "KeyError", "message": "'/srv/evalkit/data/processed/tier.csv'"},
    },
    "parks": {
        "name": "Parks Friends",
        "tier": "operational",
        "status": "up-to-date",
        "built": "2026-11-25T23:59:00+00:00",
        "files": {"evidence-pack.html": "a"},
    },
    "roads": {
        "name": "Highways <Board> & Co",
        "tier": "operational",
        "status": "failed",
        "built": None,
        "files": {},
        "error": {"name": "Timeout", "message": "timed out after 600 s"},
    },
}
#: The summary.json each pack wrote (roads wrote none).
INDEX_SUMMARIES: dict[str, dict[str, object]] = {
    "csp": {
        "top_finding": "Funding for violence reduction ends in March 2025.",
        "top_priority": "high",
        "findings": {"high": 2, "medium": 3, "low": 1, "info": 1},
        "bands": [
            {"framework": "VicHealth tool", "band": "Genuine collaboration", "indicative": True}
        ],
        "lead_directorate": "Resources",
        "tier": "strategic",
    },
    "hub": {
        "top_finding": "Trust between partners is low.",
        "top_priority": "medium",
        "findings": {"medium": 4, "low": 2},
        "bands": [],
        "lead_directorate": "Adult Services",
        "tier": "significant",
    },
    "flood": {
        "top_finding": "No evidence was recorded.",
        "top_priority": "high",
        "findings": {"high": 1, "medium": 1},
        "bands": [
            {
                "framework": "Wilder factors (20 factors)",
                "band": "2 Concern, 15 Borderline, 3 Strength",
                "indicative": True,
            }
        ],
        "lead_directorate": "Growth",
        "tier": "operational",
    },
    "parks": {
        "top_finding": None,
        "top_priority": None,
        "findings": {},
        "bands": [],
        "lead_directorate": "Growth",
        "tier": "operational",
    },
}
#: The default order: most high, then medium, then low-priority findings; not known last.
INDEX_ORDER = ["csp", "flood", "hub", "parks", "roads"]


def write_index_summaries(reports: Path) -> Path:
    """Write each pack's summary.json of :data:`INDEX_SUMMARIES` under ``reports``."""
    import json

    for pid, summary in INDEX_SUMMARIES.items():
        (reports / pid).mkdir(parents=True, exist_ok=True)
        (reports / pid / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return reports
