"""Write the bundled sample portfolio into data/raw/ (INVENTED data, for illustration).

"Northshire County Council" is fictional. Real public bodies appear by name as partners
(the Environment Agency, National Highways, the British Army, a university), but every
answer, figure and date is invented and is not any organisation's real assessment.

    python tools/make_sample_data.py [--out data/raw]

Deterministic: the same cell contents every run (survey answers come from
``evalkit.inputs.synth`` with a fixed seed). Three assessment rounds: 2024-25 for every
in-scope partnership, an earlier 2023-24 round, with other answers, for six, and a 2022-23
round for three of those six (each earlier round from a random stream of its own, so the
later rounds are the same with or without it). The officer returns for 2024-25 give the
status of last round's actions, one of them overdue.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.styles import Font
from sample_survey import move_to_survey_export

from evalkit.config import FRAMEWORKS_DIR
from evalkit.inputs.contract import table
from evalkit.inputs.synth import (
    ROUND,
    FrameworkFacts,
    framework_facts,
    respondents,
    round_answers,
)

SEED = 2024
NOTICE = (
    "INVENTED SAMPLE DATA — Northshire County Council is fictional; "
    "no value here is a real council's assessment"
)
C = "the-council"

ORGANISATIONS = [
    (C, "Northshire County Council (fictional)", "local authority", "Yes"),
    ("northshire-police", "Northshire Police (fictional)", "police", "No"),
    ("northshire-fire", "Northshire Fire and Rescue Service (fictional)", "fire", "No"),
    ("probation-service", "The Probation Service", "central government", ""),
    ("northshire-icb", "Northshire and Westdale Integrated Care Board (fictional)", "NHS", "no"),
    ("northshire-hospitals", "Northshire Teaching Hospitals NHS Trust (fictional)", "NHS", "no"),
    ("westdale-dc", "Westdale District Council (fictional)", "Local Authority", "no"),
    ("eastvale-bc", "Eastvale Borough Council (fictional)", "local authority", "no"),
    ("northshire-cvs", "Northshire Council for Voluntary Service (fictional)", "VCSE", "no"),
    ("northshire-volunteers", "Volunteer Centre Northshire (fictional)", "voluntary", "no"),
    ("business-board", "Northshire Business Board (fictional)", "private", "no"),
    ("harbourside-dev", "Harbourside Developments Ltd (fictional)", "private", "no"),
    ("british-army", "British Army", "central government", "no"),
    ("uclan", "University of Central Lancashire", "education", "no"),
    ("environment-agency", "Environment Agency", "central government", "no"),
    ("national-highways", "National Highways", "central government", "no"),
    ("northshire-water", "Northshire Water plc (fictional)", "private", "no"),
    ("northshire-gas", "Northshire Gas Networks (fictional)", "private", "no"),
    ("nalc-northshire", "Northshire Association of Local Councils (fictional)", "other", "no"),
    ("northshire-schools", "Northshire Schools Forum (fictional)", "education", "no"),
    ("highways-contractor", "Northshire Highways Services Ltd (fictional)", "private", "no"),
]

D = dt.datetime  # a real Excel date cell
# (id, name, directorate, officer, member, tier, in scope, reason, legal form, statutory basis,
#  accountable body, council role, cash, in kind, officer days, budget, governing doc, doc date,
#  exit, last review, next review, toolkit, risk, objectives, priorities, reporting route)
PARTNERSHIPS = [
    (
        "community-safety",
        "Northshire Community Safety Partnership",
        "Resources",
        "Head of Community Safety",
        "Cllr A. Patel",
        "Strategic ",
        "Yes",
        "",
        "other",
        "Crime and Disorder Act 1998 s5-6",
        "",
        "member",
        "£185,000",
        "12000",
        140,
        "£1,450,000",
        "Yes",
        D(2019, 6, 1),
        "No",
        "15/03/2022",
        "15/03/2024",
        "x",
        "high",
        "Reduce reoffending; reduce anti-social behaviour; tackle domestic abuse",
        "Delivering better services; Supporting communities",
        "Community Safety Scrutiny Panel",
    ),
    (
        "integrated-care-board",
        "Engagement with the Integrated Care Board",
        "Adult Services",
        "Director of Adult Services",
        "Cllr B. Jones",
        "strategic",
        "Y",
        "",
        "Section 75 agreement",
        "NHS Act 2006 s75; Health and Care Act 2022 s65Z5",
        "",
        "lead partner",
        2400000,
        150000,
        220,
        38000000,
        "Y",
        D(2023, 4, 1),
        "Yes",
        D(2024, 4, 30),
        D(2025, 4, 30),
        "TRUE",
        "high",
        "Joint commissioning of community health and care; pooled Better Care Fund",
        "Delivering better services; Caring for the vulnerable",
        "Health and Wellbeing Board",
    ),
    (
        "city-deal-lep",
        "Northshire City Deal and Enterprise Partnership",
        "Growth and Environment",
        "Head of Economic Development",
        "Cllr C. Evans",
        "strategic",
        "yes",
        "",
        "collaboration agreement",
        "none",
        "Northshire County Council (fictional)",
        "accountable body",
        "£500,000",
        "£40,000",
        180,
        "£22,000,000",
        "yes",
        "12/09/2018",
        "no",
        "01/02/2023",
        "01/02/2024",
        "no",
        "high",
        "Deliver the City Deal infrastructure programme; business growth",
        "Growing the economy",
        "Cabinet",
    ),
    (
        "vcse-agreement",
        "VCSE Partnership Agreement",
        "Public Health",
        "Public Health Manager",
        "",
        "significant",
        "Yes",
        "",
        "MoU",
        "none",
        "",
        "lead partner",
        "£60,000",
        "£8,000",
        45,
        "£60,000",
        "Yes",
        "01/10/2017",
        "No",
        "",
        "",
        "No",
        "medium",
        "Refresh the agreement; fair funding and early commissioning conversations",
        "Supporting communities",
        "Cabinet Member for Health",
    ),
    (
        "armed-forces-hub",
        "Northshire Armed Forces Covenant Hub",
        "Resources",
        "Armed Forces Covenant Officer",
        "Cllr D. Khan",
        "significant",
        "Yes",
        "",
        "memorandum of understanding",
        "Armed Forces Act 2021 (covenant duty)",
        "",
        "host",
        "£35,000",
        "£15,000",
        60,
        "£210,000",
        "Yes",
        D(2021, 11, 11),
        "Yes",
        D(2023, 11, 1),
        D(2025, 11, 1),
        "x",
        "low",
        "One front door for veterans and service families; training for frontline staff",
        "Supporting communities",
        "Corporate Services Scrutiny",
    ),
    (
        "parish-councils",
        "Parish and Town Councils Service Delivery Forum",
        "Growth and Environment",
        "Localities Manager",
        "",
        "operational",
        "Yes",
        "",
        "forum",
        "none",
        "",
        "member",
        0,
        "£5,000",
        25,
        "",
        "No",
        "",
        "No",
        "",
        "",
        "",
        "low",
        "Agree which local services parish councils could deliver",
        "Supporting communities",
        "",
    ),
    (
        "environment-agency-flood",
        "Northshire Flood Risk Management Partnership",
        "Growth and Environment",
        "Flood Risk Manager",
        "Cllr E. Brown",
        "significant",
        "Yes",
        "",
        "collaboration agreement with accountable body",
        "Flood and Water Management Act 2010 s9 and s13",
        "Environment Agency",
        "member",
        "£90,000",
        0,
        80,
        "£3,200,000",
        "Yes",
        "05/05/2020",
        "Yes",
        "20/06/2023",
        "20/06/2025",
        "yes",
        "medium",
        "Deliver the local flood risk strategy and capital schemes",
        "Protecting our environment",
        "Environment Scrutiny",
    ),
    (
        "national-highways",
        "Strategic Road Network Liaison with National Highways",
        "Growth and Environment",
        "Head of Highways",
        "",
        "operational",
        "Yes",
        "",
        "MoU",
        "none",
        "",
        "member",
        0,
        "£3,000",
        20,
        "",
        "Y",
        "14/02/2020",
        "N",
        "10/01/2024",
        "10/01/2026",
        "N",
        "low",
        "Coordinate roadworks and diversions; share traffic data",
        "Delivering better services",
        "",
    ),
    (
        "shared-service-district",
        "County and District Shared Regulatory Service",
        "Resources",
        "Head of Trading Standards",
        "Cllr F. Wood",
        "significant",
        "Yes",
        "",
        "joint committee",
        "Local Government Act 1972 s101-102",
        "",
        "lead partner",
        "£420,000",
        "£30,000",
        90,
        "£1,100,000",
        "Yes",
        D(2022, 4, 1),
        "Yes",
        D(2024, 5, 1),
        D(2025, 5, 1),
        "x",
        "medium",
        "One trading standards and licensing service for three councils",
        "Delivering better services; Value for money",
        "Joint Committee",
    ),
    (
        "street-works-forum",
        "Utilities and Public Realm Street Works Forum",
        "Growth and Environment",
        "Network Manager",
        "",
        "operational",
        "Yes",
        "",
        "forum or network",
        "New Roads and Street Works Act 1991 s59-60",
        "",
        "host",
        "£8,000",
        "£2,000",
        30,
        "",
        "No",
        "",
        "",
        "01/09/2022",
        "01/09/2023",
        "no",
        "medium",
        "Coordinate utility works; reduce disruption",
        "Protecting our environment",
        "",
    ),
    (
        "safeguarding-children",
        "Northshire Safeguarding Children Partnership",
        "Children's Services",
        "Director of Children's Services",
        "Cllr G. Smith",
        "strategic",
        "Yes",
        "",
        "other",
        "Children Act 2004 s16E (as amended 2017)",
        "",
        "lead partner",
        "£310,000",
        "£25,000",
        160,
        "£640,000",
        "Yes",
        "01/09/2019",
        "Yes",
        "30/09/2024",
        "30/09/2025",
        "yes",
        "high",
        "Keep children safe; learn from practice reviews",
        "Caring for the vulnerable",
        "Children's Scrutiny Committee",
    ),
    (
        "harbourside-regeneration",
        "Harbourside Regeneration LLP",
        "Growth and Environment",
        "Head of Regeneration",
        "Cllr C. Evans",
        "significant",
        "Yes",
        "",
        "LLP",
        "Localism Act 2011 s1; Local Government Act 2003 s95",
        "",
        "member",
        "£250,000",
        0,
        50,
        "£9,500,000",
        "Yes",
        "20/03/2021",
        "Yes",
        "01/03/2024",
        "01/03/2026",
        "x",
        "medium",
        "Regenerate the harbourside with a private partner",
        "Growing the economy",
        "Cabinet",
    ),
    (
        "highways-maintenance-contract",
        "Highways Maintenance Term Contract",
        "Growth and Environment",
        "Highways Contracts Manager",
        "",
        "operational",
        "No",
        "purely contractual",
        "contract",
        "none",
        "",
        "funder",
        "£6,800,000",
        0,
        40,
        "",
        "Yes",
        "01/04/2020",
        "Yes",
        "",
        "",
        "",
        "low",
        "Routine highway maintenance",
        "Delivering better services",
        "",
    ),
]
HEADERS = [
    "Partnership ID",
    "Name",
    "Lead directorate",
    "Lead officer",
    "Lead member",
    "Tier",
    "In scope",
    "Out of scope reason",
    "Legal form",
    "Statutory basis",
    "Accountable body",
    "Council role",
    "Council cash (£)",
    "In kind (£)",
    "Officer days per year",
    "Total budget (£)",
    "Governing document",
    "Governing document date",
    "Exit arrangements",
    "Last review",
    "Next review due",
    "Toolkit used",
    "Risk rating",
    "Objectives",
    "Corporate priorities",
    "Reporting route",
]

MEMBERS = {
    "community-safety": [
        "northshire-police",
        "northshire-fire",
        "probation-service",
        "northshire-icb",
        "westdale-dc",
        "eastvale-bc",
    ],
    "integrated-care-board": ["northshire-icb", "northshire-hospitals", "northshire-cvs"],
    "city-deal-lep": ["business-board", "westdale-dc", "eastvale-bc", "uclan"],
    "vcse-agreement": ["northshire-cvs", "northshire-volunteers", "northshire-icb"],
    "armed-forces-hub": ["northshire-hospitals", "british-army", "uclan"],
    "parish-councils": ["nalc-northshire", "westdale-dc"],
    "environment-agency-flood": ["environment-agency", "northshire-water", "westdale-dc"],
    "national-highways": ["national-highways", "northshire-police"],
    "shared-service-district": ["westdale-dc", "eastvale-bc"],
    "street-works-forum": ["northshire-water", "northshire-gas", "national-highways"],
    "safeguarding-children": ["northshire-police", "northshire-icb", "northshire-schools"],
    "harbourside-regeneration": ["harbourside-dev", "eastvale-bc"],
    "highways-maintenance-contract": ["highways-contractor"],
}
CHAIRS = {
    "community-safety": "northshire-police",
    "integrated-care-board": "northshire-icb",
    "city-deal-lep": "business-board",
    "shared-service-district": C,
    "safeguarding-children": C,
    "environment-agency-flood": "environment-agency",
}

# Where partners see things differently (organisation bias on the latent -2..2 scale).
BIAS = {
    ("community-safety", C): 0.9,
    ("community-safety", "northshire-police"): -1.2,
    ("community-safety", "probation-service"): -0.8,
    ("city-deal-lep", C): 1.0,
    ("city-deal-lep", "business-board"): -1.3,
    ("city-deal-lep", "westdale-dc"): -0.7,
    ("vcse-agreement", C): 0.8,
    ("vcse-agreement", "northshire-cvs"): -1.1,
    ("vcse-agreement", "northshire-volunteers"): -0.9,
}
LEVEL = {
    "community-safety": 0.6,
    "integrated-care-board": 1.1,
    "city-deal-lep": 0.5,
    "vcse-agreement": 0.3,
    "armed-forces-hub": 1.4,
    "parish-councils": -0.4,
    "environment-agency-flood": 1.2,
    "national-highways": 0.9,
    "shared-service-district": 1.3,
    "street-works-forum": -0.2,
    "safeguarding-children": 1.0,
    "harbourside-regeneration": 0.7,
}

# The earlier round (2023-24): a few partnerships were assessed the year before too,
# with their own respondents and a different level, so every pack, overview and test
# meets two rounds. Integrated care improved a lot since; the City Deal declined.
EARLIER_ROUND = "2023-24"
EARLIER_LEVEL = {
    "community-safety": -0.2,
    "integrated-care-board": 0.1,
    "city-deal-lep": 1.3,
    "vcse-agreement": -0.3,
    "environment-agency-flood": 0.6,
    "safeguarding-children": 0.4,
}
EARLIER_SEED = (SEED, 2023)

# The earliest round (2022-23): three of those partnerships were assessed a year before
# that too, so their packs draw a trend over three rounds. Community safety was weaker
# still; integrated care dipped before it improved; the City Deal held up, then fell.
# Eastvale Borough Council joined the Community Safety Partnership after 2022-23 (it has
# no answers then), and the Northshire Schools Forum answered in 2022-23 and then left it.
EARLIEST_ROUND = "2022-23"
EARLIEST_LEVEL = {
    "community-safety": -0.5,
    "integrated-care-board": 0.3,
    "city-deal-lep": 1.2,
}
EARLIEST_SEED = (SEED, 2022)
#: Members in later rounds who did not answer in the earliest round (they joined since).
JOINED_SINCE = {("community-safety", "eastvale-bc")}
#: Organisations that answered in the earliest round only (they left since), with their
#: bias on the latent scale.
LEFT_SINCE = {("community-safety", "northshire-schools"): -0.4}

# Checklist ratings set by hand so that particular findings show (latest round).
OVERRIDES = {
    ("vcse-agreement", "governance-checklist", "G7.1"): "Not in place",
    ("parish-councils", "governance-checklist", "G7.1"): "Not in place",
    ("parish-councils", "governance-checklist", "G3.1"): "Not in place",
    ("street-works-forum", "governance-checklist", "G3.1"): "Not in place",
    ("city-deal-lep", "jrf-members", "M4.1"): "Not in place",
    ("community-safety", "iso44001-lifecycle", "S8.1"): "Not in place",
}


def build_tables() -> dict[str, pd.DataFrame]:
    """Every sample table except the register (which is written with its quirks)."""
    rng = np.random.default_rng(SEED)
    facts = framework_facts()
    members = []
    for pid, orgs in MEMBERS.items():
        role = "chair" if CHAIRS.get(pid) == C else "member"
        if pid == "city-deal-lep":
            role = "accountable body"
        members.append((pid, C, role, "yes"))
        for org in orgs:
            members.append(
                (
                    pid,
                    org,
                    "chair" if CHAIRS.get(pid) == org else "member",
                    "no" if org == "national-highways" else "yes",
                )
            )
    memberships = pd.DataFrame(
        members, columns=["partnership_id", "organisation_id", "role", "voting"]
    )
    in_scope = [p[0] for p in PARTNERSHIPS if p[6] != "No"]
    scoped = memberships[memberships["partnership_id"].isin(in_scope)].reset_index(drop=True)
    bias = {
        (p, o): BIAS.get((p, o), float(rng.normal(0, 0.25)))
        for p, o in zip(scoped["partnership_id"], scoped["organisation_id"], strict=True)
    }
    people = respondents(scoped, np.where(scoped["organisation_id"] == C, 3, 2), width=4)
    responses, checklist = round_answers(rng, facts, people, in_scope, LEVEL, bias)
    finance = _finance(rng, scoped)
    earlier_responses, earlier_checklist = _earlier_round(
        facts, scoped, bias, first_respondent=len(people) + 1
    )
    earliest_responses, earliest_checklist = _earliest_round(
        facts, scoped, bias, first_respondent=len(people) + len(earlier_people(scoped)) + 1
    )
    responses = pd.concat([earliest_responses, earlier_responses, responses], ignore_index=True)
    checklist = pd.concat([earliest_checklist, earlier_checklist, checklist], ignore_index=True)
    checklist["evidence_ref"] = checklist["evidence_ref"].str.replace(
        "Evidence file", "Review evidence log ref", regex=False
    )
    for (pid, fid, item), status in OVERRIDES.items():
        mask = (
            (checklist["round"] == ROUND)
            & (checklist["partnership_id"] == pid)
            & (checklist["framework_id"] == fid)
            & (checklist["item_id"] == item)
        )
        checklist.loc[mask, "status"] = status
    return {
        "organisations": pd.DataFrame(
            ORGANISATIONS, columns=["Organisation ID", "Name", "Sector", "Is council"]
        ),
        "memberships": memberships.rename(
            columns={
                "partnership_id": "Partnership ID",
                "organisation_id": "Organisation ID",
                "role": "Role",
                "voting": "Voting",
            }
        ),
        "finance": finance,
        "indicators": _indicators(),
        "risks": _risks(),
        "swot": _swot(),
        "checklist": checklist,
        "responses": responses,
    }


def _earlier_round(
    facts: list[FrameworkFacts],
    scoped: pd.DataFrame,
    bias: dict[tuple[str, str], float],
    first_respondent: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers and ratings of ``EARLIER_ROUND`` for the partnerships in ``EARLIER_LEVEL``.

    New respondents (numbered on from ``first_respondent``), the same organisation
    bias, each partnership's earlier level; a random stream of its own, so the latest
    round is the same with or without it.
    """
    rng = np.random.default_rng(EARLIER_SEED)
    people = earlier_people(scoped, first_respondent)
    responses, checklist = round_answers(
        rng, facts, people, list(EARLIER_LEVEL), EARLIER_LEVEL, bias, EARLIER_ROUND
    )
    checklist["evidence_ref"] = checklist["evidence_ref"].str.replace(
        "Evidence file", f"Evidence file {EARLIER_ROUND}", regex=False
    )
    return responses, checklist


def earlier_people(scoped: pd.DataFrame, first_respondent: int = 1) -> pd.DataFrame:
    """The respondents of ``EARLIER_ROUND``: three from the council, two from each partner."""
    members = scoped[scoped["partnership_id"].isin(list(EARLIER_LEVEL))].reset_index(drop=True)
    counts = np.where(members["organisation_id"] == C, 3, 2)
    return respondents(members, counts, first_respondent, width=4)


def _earliest_round(
    facts: list[FrameworkFacts],
    scoped: pd.DataFrame,
    bias: dict[tuple[str, str], float],
    first_respondent: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers and ratings of ``EARLIEST_ROUND`` for the partnerships in ``EARLIEST_LEVEL``.

    Like :func:`_earlier_round`, from a random stream of its own so that the later rounds
    are the same with or without it; the members in ``JOINED_SINCE`` give no answers and
    the organisations in ``LEFT_SINCE`` answer as well.
    """
    rng = np.random.default_rng(EARLIEST_SEED)
    keys = zip(scoped["partnership_id"], scoped["organisation_id"], strict=True)
    keep = [p in EARLIEST_LEVEL and (p, o) not in JOINED_SINCE for p, o in keys]
    members = pd.concat(
        [
            scoped[keep][["partnership_id", "organisation_id"]],
            pd.DataFrame(list(LEFT_SINCE), columns=["partnership_id", "organisation_id"]),
        ],
        ignore_index=True,
    ).sort_values(["partnership_id", "organisation_id"], kind="stable", ignore_index=True)
    counts = np.where(members["organisation_id"] == C, 3, 2)
    people = respondents(members, counts, first_respondent, width=4)
    responses, checklist = round_answers(
        rng,
        facts,
        people,
        list(EARLIEST_LEVEL),
        EARLIEST_LEVEL,
        {**bias, **LEFT_SINCE},
        EARLIEST_ROUND,
    )
    checklist["evidence_ref"] = checklist["evidence_ref"].str.replace(
        "Evidence file", f"Evidence file {EARLIEST_ROUND}", regex=False
    )
    return responses, checklist


def _finance(rng: np.random.Generator, scoped: pd.DataFrame) -> pd.DataFrame:
    register = {p[0]: p for p in PARTNERSHIPS}
    rows = []
    for pid, org in zip(scoped["partnership_id"], scoped["organisation_id"], strict=True):
        p = register[pid]
        for year, growth in (("2023-24", 1.0), ("2024-25", 1.0)):
            if pid == "community-safety":
                growth = 1.0 if year == "2023-24" else 1.25  # costs rise while outputs fall
            if org == C:
                cash = _money(p[12]) * growth * (0.95 if year == "2023-24" else 1.0)
                rows.append((pid, org, year, round(cash), _money(p[13]), float(p[14])))
            else:
                cash = float(rng.integers(0, 40)) * 2500 * growth
                rows.append(
                    (
                        pid,
                        org,
                        year,
                        round(cash),
                        float(rng.integers(0, 8)) * 1000,
                        float(rng.integers(0, 30)),
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "partnership_id",
            "organisation_id",
            "year",
            "cash_gbp",
            "in_kind_gbp",
            "officer_days",
        ],
    )


def _money(value: object) -> float:
    if value in ("", None):
        return 0.0
    return float(str(value).replace("£", "").replace(",", ""))


# (partnership, id, name, kind, unit, direction, baseline, target, 2023-24, 2024-25)
INDICATORS = [
    (
        "community-safety",
        "cases-supported",
        "Victims supported",
        "output",
        "people",
        "up",
        None,
        None,
        1450,
        1180,
    ),
    (
        "community-safety",
        "asb-incidents",
        "Anti-social behaviour incidents",
        "outcome",
        "incidents",
        "down",
        5400,
        4800,
        5250,
        5620,
    ),
    (
        "integrated-care-board",
        "discharges",
        "Hospital discharges supported at home",
        "output",
        "people",
        "up",
        None,
        None,
        3900,
        4350,
    ),
    (
        "integrated-care-board",
        "delayed-days",
        "Days of delayed discharge",
        "outcome",
        "days",
        "down",
        21000,
        17000,
        19500,
        17400,
    ),
    ("city-deal-lep", "jobs-created", "Jobs created", "outcome", "jobs", "up", 0, 1200, 640, 980),
    (
        "city-deal-lep",
        "businesses-assisted",
        "Businesses assisted",
        "output",
        "businesses",
        "up",
        None,
        None,
        310,
        295,
    ),
    (
        "vcse-agreement",
        "grants-awarded",
        "Grants awarded to VCSE groups",
        "output",
        "grants",
        "up",
        None,
        None,
        42,
        38,
    ),
    (
        "vcse-agreement",
        "volunteer-hours",
        "Volunteer hours",
        "outcome",
        "hours",
        "up",
        120000,
        135000,
        118000,
        112000,
    ),
    (
        "armed-forces-hub",
        "veterans-helped",
        "Veterans and families helped",
        "output",
        "people",
        "up",
        None,
        None,
        610,
        790,
    ),
    (
        "armed-forces-hub",
        "staff-trained",
        "Frontline staff trained on the covenant",
        "outcome",
        "staff",
        "up",
        150,
        600,
        420,
        650,
    ),
    (
        "parish-councils",
        "services-devolved",
        "Services delivered by parish councils",
        "outcome",
        "services",
        "up",
        3,
        10,
        4,
        4,
    ),
    (
        "environment-agency-flood",
        "homes-protected",
        "Homes better protected from flooding",
        "outcome",
        "homes",
        "up",
        0,
        900,
        380,
        860,
    ),
    (
        "environment-agency-flood",
        "schemes-completed",
        "Flood schemes completed",
        "output",
        "schemes",
        "up",
        None,
        None,
        4,
        6,
    ),
    (
        "national-highways",
        "diversions-coordinated",
        "Diversions coordinated",
        "output",
        "diversions",
        "up",
        None,
        None,
        120,
        135,
    ),
    (
        "shared-service-district",
        "inspections",
        "Inspections completed",
        "output",
        "inspections",
        "up",
        None,
        None,
        2800,
        3100,
    ),
    (
        "shared-service-district",
        "complaints-resolved",
        "Consumer complaints resolved in 20 days",
        "outcome",
        "percent",
        "up",
        71,
        85,
        79,
        86,
    ),
    (
        "street-works-forum",
        "overrun-days",
        "Days of street works overrun",
        "outcome",
        "days",
        "down",
        900,
        600,
        940,
        1010,
    ),
    (
        "safeguarding-children",
        "reviews-completed",
        "Practice reviews completed on time",
        "output",
        "reviews",
        "up",
        None,
        None,
        6,
        7,
    ),
    (
        "safeguarding-children",
        "repeat-referrals",
        "Repeat referrals within 12 months",
        "outcome",
        "percent",
        "down",
        24,
        18,
        22,
        20,
    ),
    (
        "harbourside-regeneration",
        "homes-started",
        "Homes started on site",
        "outcome",
        "homes",
        "up",
        0,
        400,
        120,
        210,
    ),
]
EQUITY = [  # ASB incidents split by district in 2024-25 (baseline, actual)
    ("community-safety", "asb-incidents", "Westdale", 2100, 2050),
    ("community-safety", "asb-incidents", "Eastvale", 1900, 2310),
    ("community-safety", "asb-incidents", "Northshire rural", 1400, 1260),
]


def _indicators() -> pd.DataFrame:
    rows = []
    for pid, iid, name, kind, unit, good, base, target, y1, y2 in INDICATORS:
        for period, actual in (("2023-24", y1), ("2024-25", y2)):
            rows.append((pid, iid, name, kind, unit, period, "", base, target, actual, good))
    for pid, iid, group, base, actual in EQUITY:
        rows.append(
            (
                pid,
                iid,
                "Anti-social behaviour incidents",
                "outcome",
                "incidents",
                "2024-25",
                group,
                base,
                None,
                actual,
                "Lower is better",
            )
        )
    return pd.DataFrame(
        rows,
        columns=table("indicators").column_names,
    )


RISKS = [
    (
        "community-safety",
        "R1",
        "Home Office grant for violence reduction ends in March 2025",
        4,
        4,
        "Head of Community Safety",
        "Bid for successor funding; exit plan for posts",
    ),
    (
        "community-safety",
        "R2",
        "Partners stop sharing data after a change of system",
        3,
        3,
        "Data protection officer",
        "Refresh the information sharing agreement",
    ),
    (
        "integrated-care-board",
        "R1",
        "Pooled budget overspends and the council bears the risk",
        3,
        5,
        "Director of Finance",
        "Risk share agreed in the s75 schedule",
    ),
    (
        "integrated-care-board",
        "R2",
        "NHS reorganisation changes the ICB's footprint",
        3,
        3,
        "Director of Adult Services",
        "Monitor national guidance",
    ),
    (
        "city-deal-lep",
        "R1",
        "Clawback of government grant if milestones slip",
        3,
        5,
        "Head of Economic Development",
        "Quarterly milestone review by the accountable body",
    ),
    (
        "city-deal-lep",
        "R2",
        "Business partners disengage from the board",
        3,
        3,
        "Chief Executive",
        "Refresh board membership",
    ),
    (
        "vcse-agreement",
        "R1",
        "Small VCSE groups close for lack of core funding",
        4,
        3,
        "Public Health Manager",
        "Longer grant terms",
    ),
    (
        "armed-forces-hub",
        "R1",
        "Hub funding is year to year",
        3,
        2,
        "Covenant Officer",
        "Seek three-year commitment",
    ),
    (
        "parish-councils",
        "R1",
        "Parish councils lack capacity to take on services",
        4,
        2,
        "Localities Manager",
        "Pilot with larger town councils first",
    ),
    (
        "environment-agency-flood",
        "R1",
        "Capital scheme costs rise beyond the grant",
        3,
        4,
        "Flood Risk Manager",
        "Value engineering; contingency",
    ),
    (
        "national-highways",
        "R1",
        "Unplanned closures on the strategic network",
        2,
        3,
        "Head of Highways",
        "Shared incident protocol",
    ),
    (
        "shared-service-district",
        "R1",
        "A district withdraws from the joint committee",
        2,
        4,
        "Head of Trading Standards",
        "Notice period and exit terms in the agreement",
    ),
    (
        "street-works-forum",
        "R1",
        "Utility works overrun without penalty",
        4,
        3,
        "Network Manager",
        "Use permit scheme conditions",
    ),
    (
        "safeguarding-children",
        "R1",
        "A serious case is not identified in time",
        2,
        5,
        "Director of Children's Services",
        "Multi-agency audit programme",
    ),
    (
        "harbourside-regeneration",
        "R1",
        "Developer partner's finances weaken",
        3,
        5,
        "Head of Regeneration",
        "Step-in rights; parent company guarantee",
    ),
    (
        "harbourside-regeneration",
        "R2",
        "Council liable for LLP debts beyond its share",
        2,
        4,
        "Monitoring Officer",
        "Members' agreement limits liability",
    ),
]


def _risks() -> pd.DataFrame:
    return pd.DataFrame(
        RISKS,
        columns=[
            "partnership_id",
            "risk_id",
            "description",
            "likelihood",
            "impact",
            "owner",
            "mitigation",
        ],
    )


SWOT_TEXT = {
    "strength": [
        "Long-standing relationships between leaders",
        "Statutory footing gives clarity",
        "Shared data and joint analysis",
    ],
    "weakness": [
        "Reliance on short-term funding",
        "Papers not published",
        "Roles of smaller partners unclear",
    ],
    "opportunity": [
        "Align with the new corporate plan",
        "Join up with neighbouring partnerships",
        "External funding bids",
    ],
    "threat": ["National policy change", "Partner budget pressures", "Loss of key staff"],
}


#: Plural headings as officers write them (accepted as aliases in the data contract).
SWOT_PLURALS = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}


def _swot() -> pd.DataFrame:
    rows = []
    for i, p in enumerate(PARTNERSHIPS):
        if p[6] == "No":
            continue
        for k, (category, texts) in enumerate(SWOT_TEXT.items()):
            rows.append(
                (
                    p[0],
                    SWOT_PLURALS[category] if k % 2 else category,
                    texts[(i + k) % len(texts)],
                )
            )
            if (i + k) % 3 == 0:
                rows.append((p[0], category, texts[(i + k + 1) % len(texts)]))
    return pd.DataFrame(rows, columns=["partnership_id", "category", "text"])


def _sheet(wb: Workbook, name: str, headers: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(name)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])
    ws.append([None] * len(headers))  # blank trailing rows, as spreadsheets have
    ws.append([None] * len(headers))
    for cell in ws[2 : ws.max_row]:
        for c in cell:
            if isinstance(c.value, dt.datetime):
                c.number_format = "dd/mm/yyyy"


def _same_bytes_every_run(path: Path) -> None:
    """Rewrite a workbook without the save time openpyxl stamps in it.

    The sample's input hashes then stay the same when it is regenerated unchanged.
    """
    fixed = (2024, 4, 18, 0, 0, 0)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-04-18T00:00:00Z", data
                )
            out.writestr(zipfile.ZipInfo(name, fixed), data, compress_type=zipfile.ZIP_DEFLATED)


def write_sample(out: Path) -> None:
    """Write portfolio.xlsx, responses.csv and dataset.yaml into ``out``."""
    from sample_returns import last_round_actions, split_returned, write_returns

    out.mkdir(parents=True, exist_ok=True)
    tables, returned = split_returned(build_tables())
    wb = Workbook()
    about = wb.active
    about.title = "About"
    about.append(["INVENTED SAMPLE DATA"])
    about["A1"].font = Font(bold=True, size=14)
    about.append([NOTICE + "."])
    about.append(
        [
            "Every partnership, figure, date and answer in this workbook is invented "
            "to illustrate evalkit. Real public bodies named as partners did not "
            "provide these answers."
        ]
    )
    about.append(["Each sheet is one table of the evalkit data contract (docs/data-contract.md)."])
    wb.properties.creator = "evalkit tools/make_sample_data.py"
    wb.properties.created = dt.datetime(2024, 4, 18)
    wb.properties.modified = dt.datetime(2024, 4, 18)
    _sheet(wb, "partnerships", HEADERS, [list(p) for p in PARTNERSHIPS])
    for name in (
        "organisations",
        "memberships",
        "finance",
        "indicators",
        "risks",
        "swot",
        "checklist",
    ):
        frame = tables[name].astype(object).where(tables[name].notna(), None)
        _sheet(wb, name, list(frame.columns), frame.values.tolist())
    wb.save(out / "portfolio.xlsx")
    _same_bytes_every_run(out / "portfolio.xlsx")
    write_returns(out, returned, NOTICE + ".")

    tables["responses"] = move_to_survey_export(
        tables["responses"],
        {p[0]: p[1] for p in PARTNERSHIPS},
        {o[0]: o[1] for o in ORGANISATIONS},
        yaml.safe_load((FRAMEWORKS_DIR / "nuffield-pat.yaml").read_text(encoding="utf-8")),
        out,
    )
    # The survey tool's export: "CSV UTF-8" as Excel saves it, with a byte-order mark.
    tables["responses"].to_csv(
        out / "responses.csv", index=False, encoding="utf-8-sig", lineterminator="\r\n"
    )
    meta = {
        "title": "Northshire County Council partnership portfolio (fictional sample)",
        "publisher": "evalkit sample data",
        "invented": True,
        "notice": NOTICE,
        "generated_by": "tools/make_sample_data.py",
        "seed": SEED,
    }
    (out / "dataset.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    # The returns list last round's actions, which scoring the sample finds.
    write_returns(out, returned, NOTICE + ".", last_round_actions(out))


#: The register as it stood at the end of 2023-24 (invented): changes by partnership id
#: to today's rows (column header → value then), one partnership since added
#: (parish-councils) and one since ended (covid-recovery-board).
SNAPSHOT_ROUND = "2023-24"
SNAPSHOT_CHANGES: dict[str, dict[str, object]] = {
    "community-safety": {"In kind (£)": "10000"},
    "integrated-care-board": {
        "Council cash (£)": "£2,200,000",
        "Last review": "30/04/2023",
        "Next review due": "30/04/2024",
    },
    "city-deal-lep": {"Council cash (£)": "£550,000"},
    "vcse-agreement": {"Legal form": "forum or network"},
    "armed-forces-hub": {"Tier": "operational"},
    "national-highways": {
        "In scope": "No",
        "Out of scope reason": "informal liaison; no agreed objectives",
    },
    "shared-service-district": {"Last review": "01/05/2023", "Next review due": "01/05/2024"},
    "safeguarding-children": {"Last review": "30/09/2021", "Next review due": "30/09/2023"},
}
SNAPSHOT_ENDED = (
    "covid-recovery-board",
    "Northshire COVID-19 Recovery Board",
    "Resources",
    "Chief Executive",
    "Cllr A. Patel",
    "strategic",
    "Yes",
    "",
    "forum or network",
    "none",
    "",
    "lead partner",
    "£75,000",
    "£10,000",
    90,
    "£400,000",
    "Yes",
    "01/06/2020",
    "Yes",
    "31/03/2023",
    "31/03/2025",
    "yes",
    "medium",
    "Coordinate recovery from the pandemic; wind down when recovery is complete",
    "Supporting communities",
    "Cabinet",
)


def write_register_snapshot(out: Path) -> None:
    """Write registers/2023-24.xlsx: the register as it stood at the end of 2023-24.

    Invented like the rest, and saying so: a title row above the header (as a register
    keeper saves it) and an About sheet.
    """
    rows = []
    for partnership in PARTNERSHIPS:
        if partnership[0] == "parish-councils":
            continue  # set up in 2024-25
        row = list(partnership)
        for header, value in SNAPSHOT_CHANGES.get(str(partnership[0]), {}).items():
            row[HEADERS.index(header)] = value
        rows.append(row)
    rows.append(list(SNAPSHOT_ENDED))
    wb = Workbook()
    about = wb.active
    about.title = "About"
    about.append(["INVENTED SAMPLE DATA"])
    about.append([NOTICE + "."])
    about.append([f"The partnership register as it stood at the end of {SNAPSHOT_ROUND}."])
    wb.properties.creator = "evalkit tools/make_sample_data.py"
    wb.properties.created = dt.datetime(2024, 3, 31)
    wb.properties.modified = dt.datetime(2024, 3, 31)
    ws = wb.create_sheet("partnerships")
    ws.append([f"Partnership register at 31 March 2024 — {NOTICE}"])
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    folder = out / "registers"
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / f"{SNAPSHOT_ROUND}.xlsx")
    _same_bytes_every_run(folder / f"{SNAPSHOT_ROUND}.xlsx")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "data/raw"))
    args = parser.parse_args()
    write_sample(Path(args.out))
    write_register_snapshot(Path(args.out))
    print(f"Sample portfolio (invented) written to {args.out}")


if __name__ == "__main__":
    main()
