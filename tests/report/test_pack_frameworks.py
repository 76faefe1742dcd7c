"""A framework's section of the pack, and the views by sector."""

from __future__ import annotations

import math

import pandas as pd
from bs4 import BeautifulSoup

from evalkit.report.pack import frameworks

NAN = math.nan


def paragraphs(fragment: str) -> list[str]:
    """The section's own paragraphs; notes in callouts, the framework's name under the
    heading and the links to the appendix are left out."""
    found = BeautifulSoup(fragment, "html.parser").find_all("p")
    skip = {"appendix-ref", "framework-name"}
    return [
        p.get_text()
        for p in found
        if p.find_parent(class_="callout") is None and not skip & set(p.get("class") or [])
    ]


def callouts(fragment: str) -> list[str]:
    """The text of each callout (note, warning) in a fragment."""
    soup = BeautifulSoup(fragment, "html.parser")
    return [div.get_text() for div in soup.find_all(class_="callout")]


def checklist_dims(framework_id="governance-checklist"):
    return pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": framework_id,
            "dimension_id": ["G1", "G2"],
            "dimension_title": ["Legal basis", "Money"],
            "score": [0.5, 1.5],
            "n_items": pd.array([4, 3], dtype="Int64"),
            "n_missing": pd.array([1, 0], dtype="Int64"),
            "n_no_evidence": pd.array([0, 2], dtype="Int64"),
            "band": [None, None],
        }
    )


def test_a_checklist_framework_shows_its_mean_rating_by_section(make_pack, read_tables, on_screen):
    pack = make_pack(scores={"dimension_scores": checklist_dims()})
    fragment = frameworks.html(pack, "governance-checklist")
    # G1 0.5 is the lower of the two sections' scores (0.5, 1.5)
    assert fragment.startswith(
        '<h2 id="framework-governance-checklist">Governance checklist: Legal basis rated '
        'lowest of 2 sections</h2><p class="framework-name">Framework: Governance and '
        "fact-finding checklist</p>"
    )
    assert paragraphs(fragment) == [
        "Strongest section: Money (1.5); weakest: Legal basis (0.5), on a 0–2 scale. "
        "The source publishes no score bands, so none are applied."
    ]
    caption = "Governance and fact-finding checklist by section (scale 0–2)"
    assert caption not in read_tables(fragment)  # the detailed table is in the appendix
    assert read_tables(on_screen(pack, fragment))[caption] == [
        ["Id", "Section", "Mean rating", "Items", "Not rated", "Rated without evidence"],
        ["G1", "Legal basis", "0.50", "4", "1", "0"],
        ["G2", "Money", "1.50", "3", "0", "2"],
    ]  # fmt: skip
    assert "<figure" in fragment


def survey_pack(make_pack, framework_id="nuffield-pat", bands=(None, None), kind="organisational"):
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": framework_id,
            "dimension_id": ["P1", "P2"],
            "dimension_title": ["Need", "Purpose"],
            "score": [2.0, 3.0],
            "min_org": [1.5, 2.75],
            "max_org": [3.0, 3.5],
            "sd": [0.75, 0.25],
            "n_organisations": pd.array([3, 3], dtype="Int64"),
            "n_respondents": pd.array([9, 8], dtype="Int64"),
            "diverged": pd.array([True, False], dtype="boolean"),
            "council_gap": [1.0, -0.25],
            "band": list(bands),
            "evidence_kind": kind,
        }
    )
    orgs = pd.DataFrame({"organisation_id": ["council", "police", "fire"]})
    org_scores = orgs.merge(dims[["dimension_id"]], how="cross").assign(
        framework_id=framework_id, round="2024-25", score=[1.5, 2.75, 3.0, 3.5, 1.5, 2.75]
    )
    return make_pack(
        scores={"dimension_scores": dims, "organisation_scores": org_scores},
        tables={"organisations": orgs.assign(name=["Council", "Police", "Fire"])},
    )


def test_a_survey_framework_keeps_each_organisations_view(make_pack, read_tables, on_screen):
    pack = survey_pack(make_pack)
    fragment = frameworks.html(pack, "nuffield-pat")
    assert paragraphs(fragment) == [
        "Strongest principle: Purpose (3.0); weakest: Need (2.0), on a 1–4 scale. "
        "Organisations are on opposite sides of the agree line on: Need. 3 organisations "
        "answered; each organisation's view counts once. The source publishes no score "
        "bands, so none are applied.",
        "These answers are official organisational positions: each organisation made one "
        "agreed return, so each organisation's view is shown by name.",
    ]
    rows = read_tables(on_screen(pack, fragment))[
        "Nuffield Partnership Assessment Tool by principle (scale 1–4)"
    ]
    assert rows == [
        ["Id", "Principle", "Score", "Lowest group", "Highest group",
         "Spread (SD)", "Organisations", "Respondents", "Partners disagree",
         "Council minus others"],
        ["P1", "Need", "2.00", "1.50", "3.00", "0.75", "3", "9", "Yes", "+1.00"],
        ["P2", "Purpose", "3.00", "2.75", "3.50", "0.25", "3", "8", "No", "-0.25"],
    ]  # fmt: skip
    assert "Nuffield PAT: each organisation" in fragment


def test_dimension_bands_get_a_column(make_pack, read_tables, on_screen):
    pack = survey_pack(make_pack, "wilder-factors", bands=("Concern", None))
    rows = read_tables(on_screen(pack, frameworks.html(pack, "wilder-factors")))[
        "Wilder Collaboration Factors Inventory by factor (scale 1–5)"
    ]
    assert rows[0][-1] == (
        "Indicative band (published Wilder factors bands applied to statements written by evalkit)"
    )
    assert [r[-1] for r in rows[1:]] == ["Concern", "—"]


def test_a_total_is_given_where_the_framework_allows_one(make_pack):
    totals = pd.DataFrame(
        {
            "framework_id": ["vichealth-pat"],
            "total": [98.0],
            "band": ["Moving in the right direction"],
            "items_answered": pd.array([34], dtype="Int64"),
            "items_expected": pd.array([35], dtype="Int64"),
        }
    )
    scores = {"dimension_scores": checklist_dims("vichealth-pat"), "framework_scores": totals}
    fragment = frameworks.html(make_pack(scores=scores), "vichealth-pat")
    assert paragraphs(fragment)[-1] == (
        "Total: 98 (34 of 35 items answered) — Moving in the right direction (indicative "
        "band: published VicHealth tool bands applied to statements written by evalkit)."
    )
    unbanded = {**scores, "framework_scores": totals.assign(band=[None])}
    assert paragraphs(frameworks.html(make_pack(scores=unbanded), "vichealth-pat"))[-1] == (
        "Total: 98 (34 of 35 items answered) — no band (incomplete)."
    )


def test_scores_from_statements_evalkit_wrote_say_so_beside_them(make_pack):
    fragment = frameworks.html(
        make_pack(scores={"dimension_scores": checklist_dims("vichealth-pat")}), "vichealth-pat"
    )
    # VicHealth's 35 statements are all evalkit's (frameworks.md: only the domains and
    # the total bands are confirmed).
    assert (
        "Note: All 35 VicHealth tool statements were written by evalkit, not taken from the "
        "source, so every VicHealth tool score is built from reconstructed statements."
    ) in callouts(fragment)


def test_a_framework_without_answers_says_so_under_its_caveat(make_pack):
    fragment = frameworks.html(make_pack(), "lga-drivers")
    assert fragment.startswith(
        '<h2 id="framework-lga-drivers">LGA drivers: no scores can be shown</h2>'
        '<p class="framework-name">Framework: LGA drivers of collaboration</p>'
    )
    assert "Note:" in fragment
    assert paragraphs(fragment)[-1] == "No answers were recorded for this framework in this round."


# -- views by sector ----------------------------------------------------------------------


def sector_pack(make_pack, rows):
    frame = pd.DataFrame(rows, columns=["round", "dimension_id", "sector", "score", "suppressed"])
    return make_pack(scores={"sector_scores": frame.assign(framework_id="nuffield-pat")})


SECTOR_ROWS = [
    ("2024-25", "P1", "local authority", 3.25, False),
    ("2024-25", "P1", "VCSE", NAN, True),
    ("2024-25", "P1", "NHS", NAN, True),
    ("2024-25", "P2", "VCSE", 2.5, False),
    ("2024-25", "P2", "NHS", NAN, True),
    ("2024-25", "P3", "local authority", NAN, True),
    ("2024-25", "P3", "VCSE", NAN, True),
    ("2023-24", "P1", "NHS", 1.0, False),
]


def test_sector_view_has_a_column_a_sector_shown_and_drops_all_suppressed_rows(
    make_pack, read_tables, on_screen
):
    pack = sector_pack(make_pack, SECTOR_ROWS)
    fragment = frameworks.by_sector_html(pack)
    assert fragment.startswith("<h3>Views by sector</h3>")
    assert paragraphs(fragment) == [
        "Scores by sector of organisation, each organisation counting once. Any group of "
        "a survey of individuals with fewer than 3 respondents, or whose score could be "
        "worked out from other figures in this pack, is suppressed so that no "
        "individual's answers can be inferred; 5 of 7 groups are suppressed here. These "
        "sectors never reach 3 respondents, so they are left out of the table: NHS."
    ]
    caption = "Scores by sector, one column a sector (groups under 3 respondents suppressed)"
    assert read_tables(on_screen(pack, fragment))[caption] == [
        ["Framework", "Id", "local authority", "VCSE"],
        ["Nuffield PAT", "P1", "3.25", "suppressed"],
        ["Nuffield PAT", "P2", "no answers", "2.50"],
    ]


def test_sector_view_with_every_group_suppressed_has_no_table(make_pack):
    fragment = frameworks.by_sector_html(sector_pack(make_pack, SECTOR_ROWS[1:3]))
    assert "<table" not in fragment
    assert paragraphs(fragment)[0].endswith("left out of the table: NHS, VCSE.")


def test_no_sector_view_without_sector_scores_for_the_round(make_pack):
    assert frameworks.by_sector_html(make_pack()) == ""
    assert frameworks.by_sector_html(sector_pack(make_pack, SECTOR_ROWS[-1:])) == ""


# -- disclosure wording -----------------------------------------------------------------


def pooled_pack(make_pack, suppressed=(False, True)):
    """An individual survey: the council (4 people) named, three small partners pooled."""
    dims = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": "nuffield-pat",
            "dimension_id": ["P1", "P2"],
            "dimension_title": ["Need", "Purpose"],
            "score": [2.5, NAN] if suppressed[1] else [2.5, 3.0],
            "n_organisations": pd.array([4, 4], dtype="Int64"),
            "min_org": [2.0, NAN],
            "max_org": [3.0, NAN],
            "sd": [0.5, NAN],
            "n_respondents": pd.array([8, 2], dtype="Int64"),
            "diverged": pd.array([False, pd.NA], dtype="boolean"),
            "council_gap": [1.0, NAN],
            "evidence_kind": "individual",
            "n_pooled": 3,
            "suppressed": list(suppressed),
        }
    )
    groups = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": "nuffield-pat",
            "dimension_id": ["P1", "P1"],
            "organisation_id": ["council", "other-partners"],
            "group_name": [None, "Other partners (3 organisations)"],
            "score": [3.0, 2.0],
        }
    )
    orgs = pd.DataFrame({"organisation_id": ["council"], "name": ["Council"]})
    return make_pack(
        scores={"dimension_scores": dims, "organisation_scores": groups},
        tables={"organisations": orgs},
    )


def test_an_individual_survey_says_what_was_pooled_and_suppressed(make_pack):
    fragment = frameworks.html(pooled_pack(make_pack), "nuffield-pat")
    assert paragraphs(fragment)[1] == (
        "These answers come from a survey of individuals, so no figure here rests on fewer "
        "than 3 respondents. Organisations with fewer than 3 respondents are not shown by "
        "name: they are shown together as “Other partners (3 organisations)”, which a "
        "larger organisation joins when that is needed to stop a small one being worked "
        "out from the other figures. Lowest, highest, spread and disagreement are over the "
        "groups shown, and the council's difference from its partners is given only where "
        "the council is shown by name. Scores are not shown for Purpose: fewer than 3 "
        "people answered it."
    )
    # the chart legend and alt text name the pooled group, never a pooled organisation
    assert "Other partners (3 organisations)" in fragment
    assert "for 2 groups" in fragment


def test_an_individual_survey_with_every_organisation_named_says_so(make_pack):
    pack = survey_pack(make_pack, kind="individual")
    text = paragraphs(frameworks.html(pack, "nuffield-pat"))[1]
    assert text == (
        "These answers come from a survey of individuals, so no figure here rests on fewer "
        "than 3 respondents. Every organisation had at least 3 respondents, so each is "
        "shown by name."
    )


def test_a_framework_with_every_score_suppressed_reads_without_numbers(make_pack):
    pack = pooled_pack(make_pack)
    pack.scores["dimension_scores"]["score"] = NAN
    text = paragraphs(frameworks.html(pack, "nuffield-pat"))[0]
    assert text.startswith("No principle has a score that can be shown.")
    assert "nan" not in text


def test_sector_view_of_organisational_returns_suppresses_nothing(make_pack, read_tables):
    frame = pd.DataFrame(
        {
            "round": "2024-25",
            "framework_id": "nuffield-pat",
            "dimension_id": ["P1", "P1"],
            "sector": ["NHS", "police"],
            "score": [2.0, 3.0],
            "suppressed": [False, False],
            "evidence_kind": "organisational",
        }
    )
    fragment = frameworks.by_sector_html(make_pack(scores={"sector_scores": frame}))
    assert paragraphs(fragment) == [
        "Scores by sector of organisation, each organisation counting once. The answers "
        "are official organisational positions, so no group is suppressed."
    ]


def test_the_data_behind_a_survey_chart_is_each_group_shown_and_no_one_else(make_pack):
    """The chart's own download: the pooled group by its group name, never its members."""
    pack = pooled_pack(make_pack)
    fragment = frameworks.html(pack, "nuffield-pat")
    data = {item.slug: item for item in pack.downloads}
    assert list(data) == ["nuffield-pat-by-group", "nuffield-pat"]
    chart = data["nuffield-pat-by-group"]
    assert chart.title == "Nuffield PAT: each group's view"
    assert chart.frame.to_dict("list") == {
        "Organisation or group": ["Council", "Other partners (3 organisations)"],
        "Id": ["P1", "P1"],
        "Principle": ["Need", "Need"],
        "Score": [3.0, 2.0],
    }
    assert 'href="downloads/nuffield-pat-by-group.csv"' in fragment
    # the dimension table's download: Purpose's suppressed figures are blank, as on the page
    table = data["nuffield-pat"].frame
    assert table.loc[1, ["Id", "Score", "Lowest group", "Spread (SD)"]].tolist() == [
        "P2", None, None, None
    ]  # fmt: skip


def test_print_says_the_frameworks_notes_once_and_each_section_keeps_them_on_screen(make_pack):
    # governance-checklist (no caveat; 8 of its 23 statements by evalkit) and iso44001
    # (a caveat; all 16 by evalkit): two frameworks, both resting partly on evalkit's words
    iso = checklist_dims("iso44001-lifecycle").assign(dimension_id=["S1", "S2"])
    pack = make_pack(
        scores={"dimension_scores": pd.concat([checklist_dims(), iso], ignore_index=True)}
    )
    printed = BeautifulSoup(frameworks.print_notes(pack), "html.parser")
    assert printed.div["class"] == ["print-only"]
    assert [li.get_text() for li in printed.find_all("li")] == [
        "ISO 44001 lifecycle: ISO 44001-informed self-assessment, not a certification or "
        "conformity assessment.",
        "All 2 frameworks here use statements written by evalkit, not taken from the source; "
        "the summary table counts them.",
    ]
    section = BeautifulSoup(frameworks.html(pack, "iso44001-lifecycle"), "html.parser")
    notes = section.find_all(class_="callout")
    assert len(notes) == 2  # the caveat and the wording note, both on screen only
    assert all(n.find_parent("div", class_="screen-only") for n in notes)


def test_print_has_no_framework_notes_when_there_is_nothing_to_say(make_pack):
    assert frameworks.print_notes(make_pack()) == ""
