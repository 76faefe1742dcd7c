"""The portfolio overview: loading a scored folder, and each section worked out by hand.

The section tests build a four-partnership portfolio in the test itself, so every
number in the expected text can be checked with pencil and paper.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.errors import InputFileError
from evalkit.method.results import DatasetMeta, ScoringMeta
from evalkit.report.overview import (
    Overview,
    benchmark,
    comparison,
    figures,
    findings,
    landscape,
    load_overview,
    main_points,
    money,
    network,
    provenance,
    reviews,
    title,
)

SECTIONS = (
    title.title_html,
    main_points.main_points_html,
    landscape.landscape_html,
    network.network_html,
    money.money_html,
    reviews.reviews_html,
    comparison.comparison_html,
    benchmark.benchmark_html,
    findings.findings_html,
    provenance.provenance_html,
)


@pytest.fixture(scope="module")
def sample_view(sample_scored) -> Overview:
    return load_overview("", sample_scored["processed"])


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _paragraphs(html: str) -> list[str]:
    return [p.get_text() for p in _soup(html).find_all("p")]


def _table(html: str, caption: str) -> list[list[str]]:
    """The table with this caption: its header row, then its body rows, as text."""
    for table in _soup(html).find_all("table"):
        if table.caption.get_text() == caption:
            return [[c.get_text() for c in row.find_all(["th", "td"])] for row in table("tr")]
    raise AssertionError(f"no table captioned {caption!r}")


# --------------------------------------------------------------------------- a small portfolio


def _register() -> pd.DataFrame:
    """A, B and C in scope; D out of scope. Money, reviews and toolkit use chosen by hand."""
    return pd.DataFrame(
        {
            "partnership_id": ["a", "b", "c", "d"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "tier": ["strategic", "strategic", "operational", "operational"],
            "lead_directorate": ["Resources", "Growth", "Growth", "Growth"],
            "lead_officer": ["A. Officer", "B. Officer", "C. Officer", "D. Officer"],
            "in_scope": pd.array([True, True, True, False], dtype="boolean"),
            "out_of_scope_reason": [None, None, None, "purely contractual"],
            "legal_form": ["joint committee", "MoU", "MoU", "contract"],
            "statutory_basis": ["Crime and Disorder Act 1998 s5", "none", None, "none"],
            "council_role": ["member", "lead partner", "funder", "funder"],
            "incorporated": [True, False, False, False],
            "council_cash_gbp": [1000.0, 2000.0, 0.0, 9999.0],
            "in_kind_gbp": [500.0, None, 0.0, 9999.0],
            "officer_days_per_year": [2.0, None, 0.0, 99.0],
            "total_budget_gbp": [10000.0, None, None, None],
            "last_review": pd.to_datetime(["2023-12-01", "2024-06-01", None, None]),
            "next_review_due": pd.to_datetime(["2024-12-01", "2025-06-01", None, "2020-01-01"]),
            "toolkit_used": pd.array([True, False, None, True], dtype="boolean"),
        }
    )


def _organisations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "organisation_id": ["council", "police", "army"],
            "name": ["The Council", "The Police", "The Army"],
            "sector": ["local authority", "police", "central government"],
        }
    )


def _memberships() -> pd.DataFrame:
    """The council sits on A, B and C; the police on A; the army on C."""
    return pd.DataFrame(
        {
            "partnership_id": ["a", "a", "b", "c", "c"],
            "organisation_id": ["council", "police", "council", "council", "army"],
        }
    )


def _dimension_scores() -> pd.DataFrame:
    """One dimension, four partnerships scoring 10, 20, 30 and 40 per cent; one old round."""
    return pd.DataFrame(
        {
            "round": ["2024-25"] * 4 + ["2023-24"],
            "partnership_id": ["a", "b", "c", "d", "a"],
            "framework_id": ["nuffield-pat"] * 5,
            "dimension_id": ["P1"] * 5,
            "score": [1.4, 1.8, 2.2, 2.6, 5.0],
            "score_pct": [10.0, 20.0, 30.0, 40.0, 100.0],
            "diverged": pd.array([True, False, None, False, True], dtype="boolean"),
        }
    )


def _findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": ["a", "a", "b"],
            "code": ["no-review", "no-exit", "no-review"],
            "severity": ["high", "low", "high"],
        }
    )


@pytest.fixture
def view(sample_view: Overview) -> Overview:
    """The small portfolio, with the sample's frameworks, reviewed at 01/01/2025."""
    return Overview(
        assessment_round="2024-25",
        tables={
            "partnerships": _register(),
            "organisations": _organisations(),
            "memberships": _memberships(),
        },
        scores={"dimension_scores": _dimension_scores(), "findings": _findings()},
        frameworks=sample_view.frameworks,
        dataset=DatasetMeta(
            title="Tom & Jerry's portfolio",
            invented=True,
            notice="Made up for a test.",
            input_files={"b.csv": "bbb", "a.csv": "aaa"},
        ),
        scoring=ScoringMeta(
            assessment_round="2024-25",
            as_of="2025-01-01",
            lower_on_disagreement=False,
            officer_day_rate_gbp=300.0,
            min_cell_size=3,
            framework_editions={},
            framework_dirs=(),
        ),
    )


# --------------------------------------------------------------------------- loading


def test_load_overview_reads_the_scored_folder(sample_scored, sample_view):
    assert sample_view.assessment_round == sample_view.scoring.assessment_round != ""
    assert sorted(sample_view.register["partnership_id"]) == sorted(
        sample_scored["in_scope"] + sample_scored["out_of_scope"]
    )
    assert sorted(sample_view.in_scope["partnership_id"]) == sample_scored["in_scope"]
    assert sample_view.notice  # the sample is invented
    assert "nuffield-pat" in sample_view.frameworks
    assert set(sample_view.tables) == {"partnerships", "organisations", "memberships"}
    assert isinstance(sample_view.scores["findings"]["evidence"].iloc[0], str)  # not parsed


def test_load_overview_keeps_the_round_and_frameworks_asked_for(sample_scored, sample_view):
    fw = {"nuffield-pat": sample_view.frameworks["nuffield-pat"]}
    loaded = load_overview("2023-24", sample_scored["processed"], frameworks=fw)
    assert loaded.assessment_round == "2023-24"
    assert loaded.frameworks == fw
    # six sample partnerships answered in 2023-24 (tools/make_sample_data.py)
    assert loaded.round_dimension_scores()["partnership_id"].nunique() == 6
    with pytest.raises(InputFileError, match="round '2019-20' was not scored"):
        load_overview("2019-20", sample_scored["processed"], frameworks=fw)


def test_load_overview_needs_scores(sample_scored, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(sample_scored["processed"], processed)
    (processed / "scores" / "scoring.json").unlink()
    with pytest.raises(InputFileError, match="evalkit score"):
        load_overview("", processed)


def test_every_sample_section_has_one_h1_between_them_and_captioned_tables(sample_view):
    pages = [section(sample_view) for section in SECTIONS]
    soup = _soup("".join(pages))
    assert len(soup.find_all("h1")) == 1
    assert [len(_soup(p).find_all("h2")) for p in pages[1:]] == [1] * (len(SECTIONS) - 1)
    assert all(t.caption and t.caption.get_text(strip=True) for t in soup.find_all("table"))
    assert all(img.get("alt") for img in soup.find_all("img"))


# --------------------------------------------------------------------------- the small portfolio


def test_overview_properties(view):
    assert list(view.in_scope["partnership_id"]) == ["a", "b", "c"]
    assert view.names == {"a": "Alpha", "b": "Beta", "c": "Gamma", "d": "Delta"}
    assert view.as_of == pd.Timestamp("2025-01-01")
    assert view.notice == "Made up for a test."
    dims = view.round_dimension_scores()
    assert list(dims["partnership"]) == ["Alpha", "Beta", "Gamma", "Delta"]  # 2023-24 left out


def test_title_escapes_the_dataset_title_and_shows_the_notice(view):
    html = title.title_html(view)
    assert html.startswith("<h1>Partnership landscape: Tom &amp; Jerry&#x27;s portfolio</h1>")
    assert "Made up for a test." in html


def test_title_has_no_banner_for_real_data(view):
    view.dataset = DatasetMeta(title="Real", invented=False, notice=None)
    html = title.title_html(view)
    assert html.startswith("<h1>Partnership landscape: Real</h1><p>Tables of up to 15 rows")
    assert "callout" not in html


def test_landscape_counts_and_register(view):
    html = landscape.landscape_html(view)
    assert _paragraphs(html)[0] == (
        "The register holds 4 partnerships, 3 of them in scope for review; 1 is out of "
        "scope (for example purely contractual arrangements). 1 is incorporated and 3 are "
        "unincorporated."
    )
    assert _table(html, "Partnerships by tier") == [
        ["Tier", "Partnerships", "In scope"],
        ["Operational", "2", "1"],
        ["Strategic", "2", "2"],
    ]
    # blank and "none" both count as voluntary
    assert _table(html, "Partnerships by statutory basis") == [
        ["Statutory basis", "Partnerships", "In scope"],
        ["statutory", "1", "1"],
        ["voluntary (no statutory basis)", "3", "2"],
    ]
    register = _table(html, "The register")
    assert register[0] == [
        "Partnership",
        "Tier",
        "Legal form",
        "Incorporated",
        "Statutory basis",
        "Council's role",
        "Lead officer",
        "In scope",
        "Why out of scope",
    ]
    assert register[4] == [
        "Delta",
        "Operational",
        "contract",
        "No",
        "none",
        "funder",
        "D. Officer",
        "No",
        "purely contractual",
    ]
    assert "Partnerships by legal form" in html  # the chart's caption


def test_network_counts_organisations_on_more_than_one_partnership(view):
    html = network.network_html(view)
    assert _paragraphs(html)[0] == (
        "3 organisations take part; 1 of them sits on more than one partnership, which is "
        "where joining up governance could save effort."
    )
    rows = _table(html, "Organisations by number of partnerships")
    assert rows[0] == ["Organisation", "Sector", "Partnerships"]
    assert rows[1] == ["The Council", "local authority", "3"]
    assert sorted(rows[2:]) == [
        ["The Army", "central government", "1"],
        ["The Police", "police", "1"],
    ]


def test_money_adds_officer_time_at_the_day_rate_for_in_scope_partnerships(view):
    html = money.money_html(view)
    # Alpha 1,000 + 500 + 2 days × £300; Beta 2,000; Gamma nothing; Delta is out of scope
    assert _paragraphs(html)[0] == (
        "The council puts about £4,100 a year into its in-scope partnerships, counting "
        "officer time at £300 a day."
    )
    assert _table(html, "Council inputs (from the register)") == [
        [
            "Partnership",
            "Cash (£)",
            "In kind (£)",
            "Officer days",
            "Officer time (£)",
            "Whole budget (£)",
        ],
        ["Alpha", "£1,000", "£500", "2", "£600", "£10,000"],
        ["Beta", "£2,000", "—", "—", "£0", "—"],
        ["Gamma", "£0", "£0", "0", "£0", "—"],
    ]


def test_reviews_overdue_never_reviewed_and_toolkit(view):
    html = reviews.reviews_html(view)
    # Alpha was due 01/12/2024, 31 days before 01/01/2025; Gamma has no review at all;
    # Delta is overdue but out of scope.
    assert _paragraphs(html)[0] == (
        "At 1 January 2025, 1 in-scope partnership is overdue for review and 1 has no review "
        "recorded at all. The council's partnership toolkit was used for 1 of 3."
    )
    overdue = _table(html, "Reviews overdue")
    assert overdue[0] == ["Partnership", "Lead officer", "Last review", "Due", "Days overdue"]
    assert overdue[1] == ["Alpha", "A. Officer", "1 December 2023", "1 December 2024", "31"]
    assert len(overdue) == 2
    assert sorted(_table(html, "Use of the partnership toolkit")[1:]) == [
        ["not recorded", "1"],
        ["not used", "1"],
        ["used", "1"],
    ]


def test_main_points_give_each_number_with_what_it_is_out_of(view):
    html = main_points.main_points_html(view)
    assert _soup(html).h2.get_text() == "Main points"
    assert [li.get_text() for li in _soup(html).find_all("li")] == [
        # a, b, c are in scope and each has a 2024-25 score; d is out of scope
        "The register holds 4 partnerships; 3 are in scope for review, and 3 of them had "
        "evidence scored against at least one framework in 2024-25.",
        # a: one high, one low; b: one high; nothing medium
        "Across the portfolio there are 2 high-priority findings affecting 2 partnerships, "
        "no medium-priority findings and 1 low-priority finding affecting 1 partnership.",
        # codes with no phrase of their own are named as codes
        "The most common findings are the finding 'no-review' (2 partnerships) and the "
        "finding 'no-exit' (1 partnership).",
        "2 partnerships have high-priority findings: Alpha and Beta.",
        # Alpha was due 1 December 2024; Gamma has no review at all; Delta is out of scope
        "At 1 January 2025, 1 of the 3 partnerships in scope is overdue for review and 1 has "
        "no review recorded at all.",
        # Alpha 1,000 + 500 + 2 days × £300 = 2,100; Beta 2,000; Gamma 0: 4,100 in all;
        # 2,100 / 4,100 = 51.2%
        "The council puts about £4,100 a year into its 3 in-scope partnerships (cash, in kind "
        "and officer time at £300 a day); the most, £2,100 (51%), goes to Alpha.",
    ]


def test_main_points_escape_names_and_leave_out_money_when_there_is_none(view):
    view.tables["partnerships"].loc[0, "name"] = "<b>Alpha</b>"
    for column in ("council_cash_gbp", "in_kind_gbp", "officer_days_per_year"):
        view.tables["partnerships"][column] = 0.0
    html = main_points.main_points_html(view)
    assert "<b>" not in html and "&lt;b&gt;Alpha&lt;/b&gt;" in html
    assert not any("puts about" in p for p in main_points.points(view))


def test_reviews_says_when_none_is_overdue(view):
    view.scoring = ScoringMeta("2024-25", "2024-01-01", False, 300.0, 3, {}, ())
    html = reviews.reviews_html(view)
    assert _table(html, "Reviews overdue")[1] == ["No review is overdue."]


def test_comparison_draws_one_grid_per_framework_for_the_round(view):
    html = comparison.comparison_html(view)
    headings = [h.get_text() for h in _soup(html).find_all("h3")]
    assert headings == [view.frameworks["nuffield-pat"].title]
    assert len(_soup(html).find_all("figure")) == 1


def test_comparison_has_no_grid_beyond_its_rows_but_keeps_the_key_and_spread(view, monkeypatch):
    monkeypatch.setattr(comparison, "HEATMAP_ROWS", 3)
    html = comparison.comparison_html(view)
    assert not _soup(html).find_all("figure")  # 4 partnerships, more than 3
    assert _paragraphs(html)[1] == (
        "4 partnerships have Nuffield PAT scores this round: too many for a grid on paper. "
        "Every score is in the workbook portfolio-data.xlsx, sheet 'Dimension scores'."
    )
    assert len(_table(html, KEY_CAPTION)) == 2


KEY_CAPTION = (
    "Nuffield PAT: key to the principle codes and spread of scores "
    "(Four-point agreement, no midpoint, 1 to 4)"
)


def test_comparison_keys_every_code_with_its_name_and_spread(view):
    # P1 scores 1.4, 1.8, 2.2, 2.6: median 2.0; quartiles (linear) 1.7 and 2.3
    html = comparison.comparison_html(view)
    assert _table(html, KEY_CAPTION) == [
        ["Code", "Name", "Partnerships scored", "Lowest", "Middle half", "Median", "Highest"],
        ["P1", "Recognise and accept the need for partnership", "4", "1.4", "1.7 to 2.3",
         "2.0", "2.6"],
    ]  # fmt: skip


def test_grid_columns_follow_the_framework_not_text_order(view):
    jrf = view.frameworks["jrf-members"]
    codes = pd.Series(["M10", "M2", "M11", "M1"])
    assert comparison.dimension_order(jrf, codes) == ["M1", "M2", "M10", "M11"]
    # codes a framework does not list come after, digits read as numbers
    assert comparison.dimension_order(jrf, pd.Series(["X10", "X9", "M3"])) == ["M3", "X9", "X10"]


def test_grid_has_a_colour_bar_with_the_scale_and_values_in_cells(view):
    scores = view.round_dimension_scores()
    fw = view.frameworks["nuffield-pat"]
    chart = figures.score_grid(
        comparison.score_table(fw, scores),
        scale_min=1,
        scale_max=4,
        scale_name="Score, 1 to 4",
        title="Grid",
    )
    grid_axes, bar_axes = chart.figure.axes
    assert bar_axes.get_ylabel() == "Score, 1 to 4 (darker is higher)"
    assert bar_axes.get_ylim() == (1.0, 4.0)
    assert [t.get_text() for t in grid_axes.get_yticklabels()] == [
        "Alpha", "Beta", "Delta", "Gamma",
    ]  # fmt: skip
    assert sorted(t.get_text() for t in grid_axes.texts) == ["1.4", "1.8", "2.2", "2.6"]
    assert "colour bar" in chart.alt


def test_comparison_and_benchmark_without_scores(view):
    view.assessment_round = "1999-00"
    assert _paragraphs(comparison.comparison_html(view))[-1] == "No scores yet."
    assert _paragraphs(benchmark.benchmark_html(view)) == ["No scores yet."]


def test_benchmark_against_the_portfolio_median_and_bottom_quarter(view):
    # scores 10, 20, 30, 40: median 25, lower quartile 17.5
    rows = _table(
        benchmark.benchmark_html(view),
        "Partnerships against the portfolio, dimension by dimension",
    )
    assert rows[0] == [
        "Partnership",
        "Dimensions scored",
        "Above portfolio median",
        "In bottom quarter",
        "Partners disagree",
    ]
    assert rows[1] == ["Alpha", "1", "0", "1", "1"]  # the only one in the bottom quarter
    assert sorted(rows[2:]) == [
        ["Beta", "1", "0", "0", "0"],
        ["Delta", "1", "1", "0", "0"],
        ["Gamma", "1", "1", "0", "0"],
    ]


def test_findings_counted_by_partnership_priority_and_code(view):
    html = findings.findings_html(view)
    assert _paragraphs(html)[0] == (
        "3 findings in all. The most common is 'no-review', affecting 2 partnerships."
    )
    assert _table(html, "Findings by partnership and priority") == [
        ["Partnership", "High", "Medium", "Low", "For information"],
        ["Alpha", "1", "0", "1", "0"],
        ["Beta", "1", "0", "0", "0"],
    ]
    assert _table(html, "Findings by code") == [
        ["Finding", "Findings", "Partnerships affected"],
        ["no-review", "2", "2"],
        ["no-exit", "1", "1"],
    ]


def test_findings_by_lead_directorate_count_partnerships_and_priorities(view):
    # Alpha (Resources): one high, one low; Beta (Growth): one high
    assert _table(findings.findings_html(view), "Findings by lead directorate") == [
        ["Lead directorate", "Partnerships with findings", "High", "Medium", "Low",
         "For information"],
        ["Growth", "1", "1", "0", "0", "0"],  # same highs and partnerships: by name
        ["Resources", "1", "1", "0", "1", "0"],
    ]  # fmt: skip


def test_findings_count_partnerships_not_findings_and_name_ties(view):
    # Alpha has two high risks; Beta one review finding: each code affects 1 partnership
    view.scores = {
        **view.scores,
        "findings": pd.DataFrame(
            {
                "partnership_id": ["a", "a", "b"],
                "code": ["high-risk", "high-risk", "no-review"],
                "severity": ["high", "high", "medium"],
            }
        ),
    }
    html = findings.findings_html(view)
    assert _paragraphs(html)[0] == (
        "3 findings in all. The most common are 'high-risk' and 'no-review', each "
        "affecting 1 partnership."
    )
    assert _table(html, "Findings by code")[1:] == [
        ["high-risk", "2", "1"],
        ["no-review", "1", "1"],
    ]


def test_findings_name_partnerships_without_evidence(view):
    view.scores = {
        **view.scores,
        "findings": pd.DataFrame(
            {"partnership_id": ["c"], "code": ["no-evidence"], "severity": ["high"]}
        ),
    }
    assert _paragraphs(findings.findings_html(view))[0] == (
        "1 finding in all. The most common is 'no-evidence', affecting 1 partnership. "
        "1 in-scope partnership has no evidence recorded in this round (no survey answers "
        "and no checklist ratings)."
    )


def test_landscape_says_when_incorporation_is_not_recorded(view):
    view.tables = {
        **view.tables,
        "partnerships": view.register.assign(
            incorporated=pd.array([True, None, False, None], dtype="boolean")
        ),
    }
    assert _paragraphs(landscape.landscape_html(view))[0].endswith(
        "1 is incorporated and 1 is unincorporated; for 2 it is not recorded."
    )


def test_findings_when_there_are_none(view):
    view.scores = {**view.scores, "findings": pd.DataFrame()}
    assert _paragraphs(findings.findings_html(view)) == ["No findings."]


def test_the_overview_notebook_reads_as_a_document_but_its_notes_stay_off_the_page():
    import nbformat

    from evalkit.config import NOTEBOOKS_DIR
    from evalkit.report.render import NOTEBOOK_ONLY_TAG

    cells = nbformat.read(NOTEBOOKS_DIR / "portfolio_overview.ipynb", as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    for before, cell in zip(cells, cells[1:], strict=False):
        if cell.cell_type == "code":
            assert before.cell_type == "markdown" and before.source.startswith("## ")
    notes = [c for c in cells if c.cell_type == "markdown"]
    assert all(NOTEBOOK_ONLY_TAG in c.metadata.get("tags", []) for c in notes)
