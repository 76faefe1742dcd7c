"""The evidence pack's sections, each from a pack built by hand (no scoring run)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.report.pack import (
    cover,
    governance,
    impact,
    quality,
    risk,
    summary,
    swot,
    value_for_money,
)


def paragraphs(fragment: str) -> list[str]:
    """The section's own paragraphs (not the framework's name, not links to the appendix)."""
    skip = {"appendix-ref", "framework-name"}
    return [
        p.get_text()
        for p in BeautifulSoup(fragment, "html.parser").find_all("p")
        if not skip & set(p.get("class") or [])
    ]


# -- cover ------------------------------------------------------------------------------


def test_title_is_the_one_h1_with_the_name_escaped_and_the_invented_data_banner(make_pack):
    fragment = cover.title_html(make_pack())
    assert fragment.startswith("<h1>Evidence pack: Safer Northshire &amp; Co</h1>\n")
    assert "INVENTED DATA — a made-up partnership for tests" in fragment
    assert cover.title_html(make_pack(notice=None)) == (
        "<h1>Evidence pack: Safer Northshire &amp; Co</h1>"
    )


def test_cover_facts_are_in_words(make_pack, read_tables):
    rows = read_tables(cover.html(make_pack()))["Register entry (cover facts)"]
    facts = dict(rows[1:])
    assert rows[0] == ["Fact", "Value"]
    assert facts["Tier"] == "Strategic"
    assert facts["Incorporated"] == "No"
    assert facts["Lead member"] == "not recorded"
    assert facts["Assessment round"] == "2024-25"
    assert facts["Judged as at"] == "31 March 2025"


def test_cover_without_an_as_of_date_says_not_recorded(make_pack, read_tables):
    rows = read_tables(cover.html(make_pack(as_of="")))["Register entry (cover facts)"]
    assert dict(rows[1:])["Judged as at"] == "not recorded"


# -- governance ---------------------------------------------------------------------------


def governance_pack(make_pack):
    return make_pack(
        tables={
            "organisations": pd.DataFrame(
                {
                    "organisation_id": ["council", "police"],
                    "name": ["Northshire Council", "Northshire Police"],
                    "sector": ["local authority", "police"],
                }
            ),
            "memberships": pd.DataFrame(
                {
                    "organisation_id": ["police", "council"],
                    "role": ["chair", "member"],
                    "voting": pd.array([True, pd.NA], dtype="boolean"),
                }
            ),
        }
    )


def test_members_are_headed_by_the_contract_labels(make_pack, read_tables, on_screen):
    pack = governance_pack(make_pack)
    fragment = governance.html(pack)
    assert "Member organisations" not in read_tables(fragment)  # a detail: in the appendix
    rows = read_tables(on_screen(pack, fragment))["Member organisations"]
    assert rows == [
        ["Organisation", "Sector", "Role", "Votes"],
        ["Northshire Police", "police", "chair", "Yes"],
        ["Northshire Council", "local authority", "member", "—"],
    ]


def test_governance_facts_and_reading(make_pack, read_tables, on_screen):
    pack = governance_pack(make_pack)
    fragment = governance.html(pack)
    caption = "Governance and money (from the register)"
    assert caption not in read_tables(fragment)  # a detail: in the appendix, not in print
    facts = dict(read_tables(on_screen(pack, fragment))[caption][1:])
    assert facts["Accountable body"] == "none"
    assert facts["Council cash per year"] == "£185,000"
    assert facts["Council officer days per year"] == "140"
    assert facts["Total partnership budget"] == "not recorded"
    assert facts["Governing document in place"] == "Yes"
    assert facts["Governing document dated"] == "1 June 2019"
    assert facts["Exit arrangements written down"] == "No"
    assert facts["Partnership toolkit used"] == "not recorded"
    assert paragraphs(fragment) == [
        "Safer Northshire & Co has 2 member organisations. A governing document is in "
        "place; the next review was due on 15 March 2024 and is overdue.",  # as at 31/03/2025
        "Each year the council puts in £185,000 in cash, £12,000 in kind and 140 officer days.",
    ]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            {
                "council_cash_gbp": 50000.0,
                "in_kind_gbp": None,
                "officer_days_per_year": 1.0,
                "total_budget_gbp": 2500000.0,
            },
            "Each year the council puts in £50,000 in cash and 1 officer day, towards a "
            "partnership budget of £2,500,000.",
        ),
        (
            {
                "council_cash_gbp": None,
                "in_kind_gbp": None,
                "officer_days_per_year": None,
                "total_budget_gbp": None,
            },
            "The register records nothing the council puts in each year.",
        ),
        (
            {
                "council_cash_gbp": 0.0,
                "in_kind_gbp": 7500.0,
                "officer_days_per_year": None,
                "total_budget_gbp": None,
            },
            "Each year the council puts in £0 in cash and £7,500 in kind.",
        ),
    ],
)
def test_what_the_council_puts_in_is_said_from_the_register(facts, expected):
    assert governance.council_inputs_text(pd.Series(facts, dtype=object)) == expected


IN_PLACE = "A governing document is in place"


@pytest.mark.parametrize(
    ("document", "due", "reading"),
    [
        (True, "2025-06-30", f"{IN_PLACE}; the next review is due on 30 June 2025."),
        (False, "2025-03-31", "There is no governing document; the next review is due on "
         "31 March 2025."),
        (None, None, "No governing document is recorded; no review date is recorded."),
        (np.True_, "2025-03-30", f"{IN_PLACE}; the next review was due on 30 March 2025 and is "
         "overdue."),
    ],
)  # fmt: skip
def test_governance_reading_agrees_with_the_register(make_pack, document, due, reading):
    register = {"governing_document": document, "next_review_due": due and pd.Timestamp(due)}
    fragment = governance.html(make_pack(register=register))
    first = paragraphs(fragment)[0]
    assert first == f"Safer Northshire & Co has 0 member organisations. {reading}"


def test_governance_with_one_member_is_singular(make_pack):
    pack = governance_pack(make_pack)
    pack.tables["memberships"] = pack.tables["memberships"].iloc[:1]
    assert paragraphs(governance.html(pack))[0].startswith(
        "Safer Northshire & Co has 1 member organisation. "
    )


def test_cover_says_not_recorded_when_incorporation_is_blank(make_pack, read_tables):
    for value, shown in [(None, "not recorded"), (np.True_, "Yes"), (False, "No")]:
        pack = make_pack(register={"incorporated": value})
        rows = read_tables(cover.html(pack))["Register entry (cover facts)"]
        assert dict(rows[1:])["Incorporated"] == shown


# -- summary ------------------------------------------------------------------------------


def summary_pack(make_pack):
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": ["governance-checklist"] * 2 + ["nuffield-pat"] * 2,
            "dimension_id": ["G1", "G2", "P1", "P2"],
            "dimension_title": ["Legal basis", "Money", "Need", "Purpose"],
            "score": [0.5, 1.5, 2.25, 3.0],
            "diverged": pd.array([pd.NA, pd.NA, True, False], dtype="boolean"),
        }
    )
    findings = pd.DataFrame(
        {
            "severity": ["high", "medium", "info"],
            "code": ["high-risk", "weak-dimension", "note"],
            "message": ["Risk R1 is high.", "G1 is weak.", "For the record."],
        }
    )
    return make_pack(scores={"dimension_scores": dims, "findings": findings})


def test_summary_has_a_line_per_framework(make_pack, read_tables):
    rows = read_tables(summary.html(summary_pack(make_pack)))[
        "Results by framework (bands only where the framework publishes them)"
    ]
    assert rows == [
        ["Framework", "Result", "Statements", "Weakest area", "Areas where partners disagree"],
        ["Nuffield Partnership Assessment Tool", "Principle scores 2.2 to 3.0 on a 1–4 scale",
         "21 of 31 written by evalkit", "P1 Need", "1"],
        ["Governance and fact-finding checklist", "Section scores 0.5 to 1.5 on a 0–2 scale",
         "8 of 23 written by evalkit", "G1 Legal basis", "—"],
    ]  # fmt: skip


def test_summary_counts_findings_and_names_the_most_serious(make_pack, read_tables):
    fragment = summary.html(summary_pack(make_pack))
    assert fragment.startswith('<h2 id="summary">Summary of results</h2>')
    assert paragraphs(fragment) == [
        "3 findings: 1 high, 1 medium and 0 low priority, and 1 for information. "
        "The most serious (high priority): Risk R1 is high."
    ]
    # the findings are listed in full in their own section, not repeated here
    assert list(read_tables(fragment)) == [
        "Results by framework (bands only where the framework publishes them)"
    ]


def test_summary_shows_a_total_and_its_band_where_there_is_one(make_pack, read_tables):
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": "vichealth-pat",
            "dimension_id": ["D1"],
            "dimension_title": ["Determining the need"],
            "score": [3.5],
        }
    )
    totals = pd.DataFrame({"framework_id": ["vichealth-pat"], "total": [98.0], "band": ["Good"]})
    pack = make_pack(scores={"dimension_scores": dims, "framework_scores": totals})
    rows = read_tables(summary.html(pack))[
        "Results by framework (bands only where the framework publishes them)"
    ]
    # VicHealth's bands are published, its statements evalkit's: the band is indicative.
    assert rows[1][1] == "Total 98 — Good (indicative band)"
    assert rows[1][2] == "all 35 written by evalkit"


def test_summary_of_a_partnership_without_evidence_says_so(make_pack, read_tables):
    findings = pd.DataFrame(
        {
            "severity": ["high"],
            "code": ["no-evidence"],
            "message": ["No evidence was recorded for this partnership in this round."],
        }
    )
    fragment = summary.html(make_pack(scores={"findings": findings}))
    assert paragraphs(fragment)[0] == (
        "No evidence was recorded for this partnership in 2024-25: no survey answers and no "
        "checklist ratings, so no framework could be scored. 1 finding: 1 high, 0 medium and "
        "0 low priority. The most serious (high priority): No evidence was recorded for this "
        "partnership in this round."
    )
    rows = read_tables(fragment)[
        "Results by framework (bands only where the framework publishes them)"
    ]
    assert rows[1] == ["No framework could be scored: no evidence was recorded in this round."]


def test_summary_total_comes_from_the_packs_round(make_pack, read_tables):
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": "vichealth-pat",
            "dimension_id": ["D1"],
            "dimension_title": ["Determining the need"],
            "score": [3.5],
        }
    )
    totals = pd.DataFrame(
        {
            "round": ["2023-24", "2024-25"],
            "framework_id": ["vichealth-pat"] * 2,
            "total": [70.0, 98.0],
            "band": ["Moderate", pd.NA],
            "complete": [True, False],
        }
    )
    pack = make_pack(scores={"dimension_scores": dims, "framework_scores": totals})
    rows = read_tables(summary.html(pack))[
        "Results by framework (bands only where the framework publishes them)"
    ]
    assert rows[1][1] == "Total 98 (no band: not every item was answered)"


# -- value for money ----------------------------------------------------------------------


def vfm_pack(make_pack, source="finance"):
    inputs = pd.DataFrame(
        {
            "year": ["2023-24", "2024-25"],
            "cash_gbp": [1000.0, 2000.0],
            "in_kind_gbp": [0.0, 500.0],
            "officer_days": pd.array([4, 10], dtype="Int64"),
            "officer_time_gbp": [1400.0, 3500.0],
            "total_gbp": [2400.0, 6000.0],
            "partners": pd.array([2, 3], dtype="Int64"),
            "source": source,
        }
    )
    share = pd.DataFrame(
        {
            "year": ["2024-25"],
            "council_gbp": [1500.0],
            "partners_gbp": [4500.0],
            "partner_gbp_per_council_gbp": [3.0],
        }
    )
    indicators = pd.DataFrame(
        {
            "name": ["Victims supported", "Incidents"],
            "period": ["2024-25", "2024-25"],
            "measure": ["per victim", None],
            "actual": [480.0, 5620.0],
            "cost_per_unit": [12.5, None],
            "cost_per_improvement": [None, None],
        }
    )
    return make_pack(
        scores={"vfm_inputs": inputs, "vfm_share": share, "vfm_indicators": indicators}
    )


def test_value_for_money_reading_is_about_the_latest_year(make_pack):
    assert paragraphs(value_for_money.html(vfm_pack(make_pack))) == [
        "In 2024-25 the partnership's inputs from all partners came to £6,000, including "
        "officer time valued at £350 a day (10 days). Economy is the cost of inputs; "
        "efficiency the cost per output; effectiveness the change in outcomes for that cost."
    ]


def test_value_for_money_says_when_only_the_register_was_used(make_pack):
    reading = paragraphs(value_for_money.html(vfm_pack(make_pack, source="register")))[0]
    assert reading.endswith(
        "No finance breakdown was recorded, so only the council's figures from the "
        "register are used."
    )


def test_value_for_money_tables_are_headed_by_the_contract_labels(
    make_pack, read_tables, on_screen
):
    pack = vfm_pack(make_pack)
    fragment = value_for_money.html(pack)
    assert read_tables(fragment) == {}  # the chart is printed; the tables are details
    tables = read_tables(on_screen(pack, fragment))
    assert tables["Inputs (economy)"] == [
        ["Year", "Cash (£)", "In kind (£)", "Officer days", "Officer time (£)", "Total (£)",
         "Contributing partners"],
        ["2023-24", "£1,000", "£0", "4", "£1,400", "£2,400", "2"],
        ["2024-25", "£2,000", "£500", "10", "£3,500", "£6,000", "3"],
    ]  # fmt: skip
    assert tables["What the council puts in and what partners add"] == [
        ["Year", "Council (£)", "Partners (£)", "Partner £ per council £"],
        ["2024-25", "£1,500", "£4,500", "3.00"],
    ]
    assert tables["Unit costs (efficiency and effectiveness)"] == [
        ["Indicator", "Period", "Measure", "Actual", "Cost (£)"],
        ["Victims supported", "2024-25", "per victim", "480", "£12.50"],
    ]


def test_value_for_money_with_no_inputs(make_pack):
    assert value_for_money.html(make_pack()) == (
        '<h2 id="value-for-money">Value for money</h2><p>No inputs were recorded.</p>'
    )


# -- risk ---------------------------------------------------------------------------------


def test_risks_are_read_and_headed_by_the_contract_labels(make_pack, read_tables, on_screen):
    risks = pd.DataFrame(
        {
            "risk_id": ["R1", "R2"],
            "description": ["Grant ends", "Data stops"],
            "likelihood": [4, 3],
            "impact": [4, 3],
            "score": [16, 9],
            "rating": ["high", "medium"],
            "owner": ["Head of service", None],
            "mitigation": ["Bid again", "Refresh agreement"],
        }
    )
    pack = make_pack(scores={"risks": risks})
    fragment = risk.html(pack)
    # R1 (4 × 4 = 16) is rated high, R2 (3 × 3 = 9) is not
    assert fragment.startswith('<h2 id="risk">Risk: 1 of 2 risks rated high</h2>')
    assert paragraphs(fragment) == [
        "2 risks recorded; 1 rated high (likelihood × impact of 15 or more, evalkit's "
        "default banding). The highest scoring: Grant ends (score 16)."
    ]
    assert read_tables(fragment)["Risks rated high, with their owners and mitigations"] == [
        ["Id", "Risk", "Score", "Owner", "Mitigation"],
        ["R1", "Grant ends", "16", "Head of service", "Bid again"],
    ]
    assert "Risks, highest first" not in read_tables(fragment)  # the full register: appendix
    assert read_tables(on_screen(pack, fragment))["Risks, highest first"][0] == [
        "Id", "Risk", "Likelihood", "Impact", "Score", "Rating", "Owner", "Mitigation"
    ]  # fmt: skip
    assert "<figure" in fragment


def test_no_risks(make_pack):
    assert risk.html(make_pack()) == (
        '<h2 id="risk">Risk: no risks recorded</h2>'
        "<p>No risks were recorded for this partnership.</p>"
    )


# -- swot ---------------------------------------------------------------------------------


def test_swot_entries_come_strengths_first_and_are_counted(make_pack, read_tables, on_screen):
    entries = pd.DataFrame(
        {
            "category": ["threat", "strength", "opportunity", "weakness", "strength", "threat"],
            "text": ["Cuts", "Trust", "Bids", "Papers", "Footing", "Policy"],
        }
    )
    pack = make_pack(tables={"swot": entries})
    fragment = swot.html(pack)
    assert paragraphs(fragment) == ["2 strengths; 1 weakness; 1 opportunity; 2 threats."]
    rows = read_tables(on_screen(pack, fragment))[
        "Strengths, weaknesses, opportunities and threats"
    ]
    assert rows[0] == ["Category", "Entry"]
    assert [r[0] for r in rows[1:]] == [
        "strength", "strength", "weakness", "opportunity", "threat", "threat"
    ]  # fmt: skip


def test_swot_plurals_are_words_not_letters(make_pack):
    entries = pd.DataFrame(
        {
            "category": ["weakness", "weakness", "opportunity", "opportunity", "opportunity"],
            "text": ["a", "b", "c", "d", "e"],
        }
    )
    assert paragraphs(swot.html(make_pack(tables={"swot": entries}))) == [
        "0 strengths; 2 weaknesses; 3 opportunities; 0 threats."
    ]


def test_no_swot(make_pack):
    assert swot.html(make_pack()) == (
        '<h2 id="swot">SWOT analysis</h2><p>No SWOT analysis was recorded.</p>'
    )


# -- impact -------------------------------------------------------------------------------


def impact_pack(make_pack, equity=None):
    indicators = pd.DataFrame(
        {
            "indicator_id": ["asb", "asb", "victims"],
            "name": ["Incidents", "Incidents", "Victims supported"],
            "kind": ["outcome", "outcome", "output"],
            "period": ["2023-24", "2024-25", "2024-25"],
            "baseline": [5400.0, 5400.0, 300.0],
            "target": [4800.0, 4800.0, 450.0],
            "actual": [5100.0, 5620.0, 480.0],
            "unit": ["incidents", "incidents", "people"],
            "good_direction": ["down", "down", "up"],
            "moved": ["better", "worse", "better"],
            "target_met": pd.array([False, False, True], dtype="boolean"),
        }
    )
    scores = {"vfm_indicators": indicators}
    if equity is not None:
        scores["equity"] = equity
    return make_pack(scores=scores)


def test_impact_reads_the_latest_period_of_each_indicator(make_pack, read_tables, on_screen):
    pack = impact_pack(make_pack)
    fragment = impact.html(pack)
    # latest periods: Incidents 2024-25 moved worse, Victims supported 2024-25 better
    assert fragment.startswith(
        '<h2 id="impact">Evidence of impact: 1 of 2 indicators moved the right way</h2>'
    )
    assert paragraphs(fragment) == [
        "In each indicator's latest period: 1 of 2 moved the right way from its baseline "
        "and 1 the wrong way; 1 of 2 with a target met it."
    ]
    rows = read_tables(on_screen(pack, fragment))[
        "Outputs and outcomes against baseline and target"
    ]
    assert rows[0] == [
        "Indicator", "Kind", "Period", "Baseline", "Target", "Actual", "Unit", "Better is",
        "Since baseline", "Target met",
    ]  # fmt: skip
    assert rows[2] == [
        "Incidents", "outcome", "2024-25", "5,400", "4,800", "5,620", "incidents", "down",
        "worse", "No",
    ]  # fmt: skip
    assert "Equity" not in fragment


def test_impact_shows_the_equity_split_when_there_is_one(make_pack, read_tables, on_screen):
    equity = pd.DataFrame(
        {
            "name": ["Incidents"],
            "period": ["2024-25"],
            "group": ["Westdale"],
            "baseline": [1200.0],
            "actual": [1100.0],
            "moved": ["better"],
        }
    )
    pack = impact_pack(make_pack, equity)
    fragment = impact.html(pack)
    assert 'href="#detail-equity"' in fragment
    assert read_tables(on_screen(pack, fragment))["Indicators split by place or group"] == [
        ["Indicator", "Period", "Group", "Baseline", "Actual", "Since baseline"],
        ["Incidents", "2024-25", "Westdale", "1,200", "1,100", "better"],
    ]


# -- quality ------------------------------------------------------------------------------


def test_quality_lists_the_notice_first_and_missing_answers_per_framework(
    make_pack, read_tables, on_screen
):
    # G1: 1 of 2 ratings missing (50 %), G2: 0 of 10. The mean of the two rates would be
    # 25 %; missing answers over expected answers is 1 / 12 = 8 %.
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "partnership_id": "csp",
            "framework_id": "governance-checklist",
            "dimension_id": ["G1", "G2"],
            "n_missing": [1, 0],
            "n_items": [2, 10],
            "missing_rate": [0.5, 0.0],
        }
    )
    pack = make_pack(scores={"dimension_scores": dims})
    fragment = quality.html(pack)
    soup = BeautifulSoup(fragment, "html.parser")
    items = [li.get_text() for li in soup.ul.find_all("li")]
    assert items[0] == "INVENTED DATA — a made-up partnership for tests"
    assert len(items) == 3
    # print says the frameworks' notes here once: 8 of the checklist's 23 are evalkit's
    (printed,) = soup.find_all("div", class_="print-only")
    assert "The framework here uses statements written by evalkit" in printed.get_text()
    rows = read_tables(on_screen(pack, fragment))[
        "How far each framework's content is confirmed, and missing answers"
    ]
    assert rows == [
        ["Framework", "Content confirmed", "Answers missing", "Caveat"],
        ["Governance and fact-finding checklist", "partly", "8% (1 of 12)", "—"],
    ]
