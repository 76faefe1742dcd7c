"""The committee cover report: every sentence, recommendation and row worked out by hand.

A four-partnership portfolio is made in the test: Alpha, Beta and Gamma in scope, Delta
out of scope (its findings must not be counted). Alpha and Beta have framework scores in
2024-25; Gamma has none.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from evalkit.method.results import DatasetMeta, ScoringMeta
from evalkit.report.committee import CoverReport, cover_html, cover_report
from evalkit.report.fragments import and_list
from evalkit.report.overview import Overview
from evalkit.report.words import date_in_words, finding_phrase

NOTICE = "INVENTED SAMPLE DATA — made up for a test."


def _register() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "partnership_id": ["a", "b", "c", "d"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "lead_officer": ["A. Officer", "B. Officer", None, "D. Officer"],
            "lead_directorate": ["Resources", "Growth", "Growth", "Growth"],
            "in_scope": pd.array([True, True, True, False], dtype="boolean"),
        }
    )


def _findings() -> pd.DataFrame:
    rows = [
        ("a", "no-governing-document", "high", "Agree a governing document."),
        ("a", "evidence-missing", "medium", "Record the evidence."),
        ("a", "target-missed", "low", "Review the target."),
        ("b", "no-governing-document", "high", "Agree a governing document."),
        ("b", "evidence-missing", "medium", "Record the evidence."),
        ("b", "evidence-missing", "medium", "Record the evidence."),
        ("c", "evidence-missing", "medium", "Record the evidence."),
        ("c", "partners-diverge", "medium", "Discuss it at the board: why?"),
        ("d", "high-risk", "high", "Confirm the mitigation."),  # out of scope
    ]
    return pd.DataFrame(rows, columns=["partnership_id", "code", "severity", "action"])


def _actions() -> pd.DataFrame:
    rows = [
        ("a", "no-governing-document", "within 3 months"),
        ("b", "no-governing-document", "within 3 months"),
        ("a", "evidence-missing", "within 6 months"),
        ("b", "evidence-missing", "within 6 months"),
        ("c", "evidence-missing, partners-diverge", None),
        ("d", "high-risk", "at once"),  # out of scope
    ]
    return pd.DataFrame(rows, columns=["partnership_id", "finding", "timescale"])


def _dimension_scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "round": ["2024-25", "2024-25", "2024-25", "2023-24"],
            "partnership_id": ["a", "b", "d", "c"],
            "framework_id": ["nuffield-pat"] * 4,
            "dimension_id": ["P1"] * 4,
            "score": [2.0, 3.0, 4.0, 1.0],
        }
    )


@pytest.fixture
def view(frameworks) -> Overview:
    return Overview(
        assessment_round="2024-25",
        tables={"partnerships": _register()},
        scores={
            "dimension_scores": _dimension_scores(),
            "findings": _findings(),
            "actions": _actions(),
        },
        frameworks=frameworks,
        dataset=DatasetMeta(title="Test portfolio", invented=True, notice=NOTICE),
        scoring=ScoringMeta(
            assessment_round="2024-25",
            as_of="2025-03-31",
            lower_on_disagreement=False,
            officer_day_rate_gbp=300.0,
            min_cell_size=3,
            framework_editions={},
            framework_dirs=(),
        ),
    )


@pytest.fixture
def report(view) -> CoverReport:
    return cover_report(view)


def test_words():
    assert date_in_words("2025-03-31") == "31 March 2025"
    assert date_in_words("2024-01-05") == "5 January 2024"
    assert date_in_words("") == ""
    assert and_list([]) == "" and and_list(["A"]) == "A"
    assert and_list(["A", "B"]) == "A and B"
    assert and_list(["A", "B", "C"]) == "A, B and C"
    assert finding_phrase("no-governing-document") == "no governing document"
    assert finding_phrase("made-up") == "the finding 'made-up'"


def test_title_round_date_and_notice(report):
    assert report.title == "Partnership review 2024-25: report to the scrutiny committee"
    assert report.dated == "Assessment round 2024-25; position as at 31 March 2025."
    assert report.notice == NOTICE
    assert report.purpose == (
        "This report summarises the evidence packs on the council's 3 partnerships in scope "
        "for review in the 2024-25 round, and asks the committee to agree what happens next."
    )


def test_summary_counts_in_scope_partnerships_not_findings(report):
    # high: a, b (Delta's high risk is out of scope); medium: 4 evidence-missing (a, b, b, c)
    # + 1 partners-diverge (c) = 5 over a, b, c; low: 1 (a).
    # most common by partnerships: evidence-missing 3, no-governing-document 2, then
    # partners-diverge and target-missed 1 each (1 finding each): the code breaks the tie.
    assert report.summary == (
        "The register holds 4 partnerships; 3 are in scope for review, and 2 of them had "
        "evidence scored against at least one framework in 2024-25.",
        "Across the portfolio there are 2 high-priority findings affecting 2 partnerships, "
        "5 medium-priority findings affecting 3 partnerships and 1 low-priority finding "
        "affecting 1 partnership.",
        "The most common findings are ratings given without evidence (3 partnerships), "
        "no governing document (2 partnerships) and partners disagreeing about how well it "
        "works (1 partnership).",
        "2 partnerships have high-priority findings: Alpha and Beta.",
    )


def test_recommendations_come_from_the_findings_high_first(report):
    assert report.recommendations == (
        "Ask the lead officers of the 2 partnerships with no governing document (Alpha and "
        "Beta) to report back within 3 months on this action: Agree a governing document.",
        "Ask the lead officers of the 3 partnerships with ratings given without evidence "
        "(Alpha, Beta and Gamma) to report back within 6 months on this action: Record the "
        "evidence.",
        "Ask the lead officer of the partnership with partners disagreeing about how well it "
        "works (Gamma) to report back on this action: Discuss it at the board: why?",
        "Note the 5 actions in the evidence packs, each with an owner and a timescale, and "
        "ask officers to report progress on them with the next round's packs.",
    )


def test_packs_table_rows_by_name_with_counts_by_priority(report):
    rows = [(r.partnership_id, r.name, r.lead, r.counts, r.page, r.pdf) for r in report.packs]
    assert rows == [
        ("a", "Alpha", "A. Officer, Resources", {"high": 1, "medium": 1, "low": 1},
         "a/evidence-pack.html", "a/evidence-pack.pdf"),
        ("b", "Beta", "B. Officer, Growth", {"high": 1, "medium": 2, "low": 0},
         "b/evidence-pack.html", "b/evidence-pack.pdf"),
        ("c", "Gamma", "not recorded, Growth", {"high": 0, "medium": 2, "low": 0},
         "c/evidence-pack.html", "c/evidence-pack.pdf"),
    ]  # fmt: skip


def test_how_it_was_produced(report):
    assert report.method == (
        "Partnerships were scored against 1 published framework: Nuffield PAT.",
        "Scores, findings and actions are for the 2024-25 assessment round; each finding "
        "follows a published rule, and each partnership's evidence pack shows the evidence "
        "behind it.",
        "Made with evalkit version 0.1.0, from the same data as the evidence packs and the "
        "portfolio overview.",
    )


def test_without_findings_or_high_priorities(view):
    view.scores = {**view.scores, "findings": _findings().iloc[:0]}
    report = cover_report(view)
    assert report.summary[1:] == ("No findings were raised for the partnerships in scope.",)
    assert report.recommendations == (
        "Note that no findings were raised for the partnerships in scope this round.",
    )
    view.scores = {**view.scores, "findings": _findings().iloc[[1, 2]]}  # Alpha: medium, low
    report = cover_report(view)
    assert report.summary[-1] == "No partnership in scope has a high-priority finding."
    assert report.summary[2] == (
        "The most common findings are ratings given without evidence (1 partnership) and a "
        "missed target (1 partnership)."
    )


def test_real_data_has_no_notice(view):
    view.dataset = DatasetMeta(title="Real", invented=False, notice=None)
    report = cover_report(view)
    assert report.notice is None
    assert "INVENTED" not in cover_html(report)


# --------------------------------------------------------------------------- the page


def test_page_headings_notice_numbered_recommendations_and_linked_table(report):
    soup = BeautifulSoup(cover_html(report), "html.parser")
    assert [(h.name, h.get_text()) for h in soup.find_all(["h1", "h2", "h3"])] == [
        ("h1", "Partnership review 2024-25: report to the scrutiny committee"),
        ("h2", "Summary"),
        ("h2", "Recommendations"),
        ("h2", "Evidence packs (appendices)"),
        ("h2", "How this report was produced"),
    ]
    assert soup.find(class_="callout-invented").get_text() == NOTICE
    assert [li.get_text() for li in soup.ol.find_all("li")] == list(report.recommendations)
    table = soup.find("table")
    assert table.caption.get_text() == ("Evidence packs, by partnership name: findings by priority")
    head = [(th.get_text(), th.get("scope")) for th in table.thead.find_all("th")]
    assert head == [
        ("Partnership", "col"),
        ("Lead officer and directorate", "col"),
        ("High", "col"),
        ("Medium", "col"),
        ("Low", "col"),
    ]
    body = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]
    assert body == [
        ["Alpha", "A. Officer, Resources", "1", "1", "1"],
        ["Beta", "B. Officer, Growth", "1", "2", "0"],
        ["Gamma", "not recorded, Growth", "0", "2", "0"],
    ]
    links = [(a.get_text(), a["href"]) for a in table.find_all("a")]
    assert links == [
        ("Alpha", "../a/evidence-pack.html"),
        ("Beta", "../b/evidence-pack.html"),
        ("Gamma", "../c/evidence-pack.html"),
    ]
    assert all(tr.th.get("scope") == "row" for tr in table.tbody("tr"))


def test_text_from_data_is_inert_on_the_page(view):
    register = _register()
    register.loc[0, "name"] = "<script>alert(1)</script> & \x1b[31m"
    view.tables = {"partnerships": register}
    html = cover_html(cover_report(view))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\x1b[31m" in html
    assert "\x1b" not in html


# --------------------------------------------------------------------------- the Word document


def _docx(report: CoverReport, tmp_path):
    import docx

    from evalkit.report.committee import write_docx

    path = write_docx(report, tmp_path)
    assert path == tmp_path / "committee-report.docx"
    return docx.Document(str(path)), path


def test_docx_notice_first_then_headings_in_word_styles(report, tmp_path):
    document, _ = _docx(report, tmp_path)
    paragraphs = document.paragraphs
    assert paragraphs[0].text == NOTICE
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Partnership review 2024-25: report to the scrutiny committee"),
        ("Heading 2", "Summary"),
        ("Heading 2", "Recommendations"),
        ("Heading 2", "Evidence packs (appendices)"),
        ("Heading 2", "How this report was produced"),
    ]
    numbered = [p.text for p in paragraphs if p.style.name == "List Number"]
    assert numbered == list(report.recommendations)
    bulleted = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bulleted == [*report.summary, *report.method]
    assert paragraphs[2].text == (
        "Test portfolio. Assessment round 2024-25; position as at 31 March 2025."
    )


def test_docx_table_has_a_repeated_header_row_and_plain_paths(report, tmp_path):
    from docx.oxml.ns import qn

    document, _ = _docx(report, tmp_path)
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [
        ["Partnership", "Lead officer and directorate", "High", "Medium", "Low",
         "Evidence pack (PDF, in the reports folder)"],
        ["Alpha", "A. Officer, Resources", "1", "1", "1", "a/evidence-pack.pdf"],
        ["Beta", "B. Officer, Growth", "1", "2", "0", "b/evidence-pack.pdf"],
        ["Gamma", "not recorded, Growth", "0", "2", "0", "c/evidence-pack.pdf"],
    ]  # fmt: skip
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
               for r in table.rows[1:])  # fmt: skip
    caption = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert caption == ["Evidence packs, by partnership name: findings by priority"]


def test_docx_properties_name_no_one_and_the_file_is_reproducible(report, tmp_path):
    import zipfile

    document, path = _docx(report, tmp_path)
    properties = document.core_properties
    assert properties.title == report.title
    assert properties.author == "" and properties.last_modified_by == ""
    assert properties.language == "en-GB"
    assert properties.created.date().isoformat() == "2025-03-31"
    first = path.read_bytes()
    _docx(report, tmp_path)
    assert path.read_bytes() == first
    body = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "fldSimple" not in body and "instrText" not in body and "hyperlink" not in body


def test_docx_text_from_data_is_plain_and_visible(view, tmp_path):
    register = _register()
    register.loc[0, "name"] = '=HYPERLINK("x") <b>\x1b[31m'
    view.tables = {"partnerships": register}
    view.dataset = DatasetMeta(title="Real", invented=False, notice=None)
    document, path = _docx(cover_report(view), tmp_path)
    assert document.paragraphs[0].style.name == "Heading 1"  # no notice for real data
    assert document.tables[0].rows[1].cells[0].text == '=HYPERLINK("x") <b>\\x1b[31m'
    import zipfile

    body = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "fldSimple" not in body and "instrText" not in body


# -- progress since the last round (the twelve-month progress report) ----------------------


def _changes() -> pd.DataFrame:
    """Alpha: 3 dimensions compared (2 improved, 1 declined); Beta: 2 (no reliable change);
    Delta is out of scope (its improvement must not count); Gamma had no earlier round."""
    rows = [
        ("a", "improved"), ("a", "improved"), ("a", "declined"),
        ("b", "no reliable change"), ("b", "no reliable change"),
        ("d", "improved"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "round": "2024-25",
            "previous_round": "2023-24",
            "partnership_id": [p for p, _ in rows],
            "call": [c for _, c in rows],
        }
    )


def test_a_first_round_has_no_progress_section(report):
    assert report.progress is None


def test_progress_since_the_last_round_is_counted_by_hand(view):
    view.scores["changes"] = _changes()
    view.scores["findings"] = _findings().assign(
        since_last_round=[
            "new",
            "continuing",
            "continuing",
            "new",
            "new",
            "new",
            "first assessed",
            "",
            "new",
        ]
    )  # in scope: a, a, a, b, b, b, c, c -> 4 new, 2 continuing and 1 first assessed of 8
    view.scores["action_progress"] = pd.DataFrame(
        {"partnership_id": ["a", "a", "b", "d"], "status": ["done", "overdue", "done", "done"]}
    )
    # returns from Alpha and Delta (out of scope) this round, from Beta last round
    view.scoring = replace(
        view.scoring, returns_received={"2024-25": ("a", "d"), "2023-24": ("b",)}
    )
    progress = cover_report(view).progress
    assert progress.title == "Progress since 2023-24"
    assert progress.points == (
        "2 of the 3 partnerships in scope were scored in an earlier round too, so their results "
        "can be compared; 1 improved reliably on at least one framework dimension and 1 "
        "declined on at least one.",
        "Of the 5 dimensions compared, 2 improved, 1 declined and 2 show no reliable change. A "
        "change is called only when enough people answered in both rounds and it is large "
        "enough (each pack's 'Change since the last round' section gives the rule).",
        "Of this round's 8 findings, 4 are new and 2 continue from the last round; 1 is about "
        "a partnership or framework first assessed this round, so neither.",
        "Of last round's 3 actions: 2 done and 1 overdue.",
        "Officer returns for 2024-25 came from 1 of the 3 partnerships in scope.",
    )
    assert progress.frame().values.tolist() == [
        ["Alpha", "2023-24", 2, 1, 0],
        ["Beta", "2023-24", 0, 0, 2],
    ]


def test_progress_is_in_the_page_and_the_word_document(view, tmp_path):
    from docx import Document

    from evalkit.report.committee import write_docx

    view.scores["changes"] = _changes()
    report = cover_report(view)
    soup = BeautifulSoup(cover_html(report), "html.parser")
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings.index("Progress since 2023-24") < headings.index("Evidence packs (appendices)")
    captions = [c.get_text() for c in soup.find_all("caption")]
    assert "Framework dimensions compared with the last round, by partnership" in captions
    assert "No officer return reported on last round's actions." in soup.get_text()
    document = Document(str(write_docx(report, tmp_path)))
    texts = [p.text for p in document.paragraphs]
    assert "Progress since 2023-24" in texts
    assert [c.text for c in document.tables[0].rows[1].cells] == ["Alpha", "2023-24", "2", "1", "0"]


def test_returns_received_are_read_from_the_statuses_scoring_recorded():
    meta = ScoringMeta.from_json(
        {"action_statuses": {"2024-25/b": "h1", "2024-25/a": "h2", "2023-24/a": "h3"}}
    )
    assert meta.returns_received == {"2024-25": ("a", "b"), "2023-24": ("a",)}
    assert ScoringMeta.from_json({}).returns_received == {}


# -- register changes and findings resolved since the last round ---------------------------


def _register_changes() -> pd.DataFrame:
    nan = float("nan")
    rows = [
        ("a", "Alpha", "council cash", "120000", "150000", 30000.0, 25.0, "2024-25"),
        ("b", "Beta", "legal form", "joint committee", "other", nan, nan, "2024-25"),
        ("c", "Gamma", "in scope", "out of scope: purely contractual", "in scope", nan, nan,
         "2024-25"),
        ("c", "Gamma", "review overdue", "overdue", "not overdue", nan, nan, "2024-25"),
        ("y", "New Forum", "added", "", "in scope", nan, nan, "2024-25"),
        ("x", "Old Board", "ended", "in scope", "", nan, nan, "2024-25"),
        ("a", "Alpha", "tier", "strategic", "significant", nan, nan, "2023-24"),  # not this round
    ]  # fmt: skip
    columns = ["partnership_id", "name", "what", "before", "after", "change_gbp"]
    columns += ["change_percent", "round_now"]
    return pd.DataFrame(rows, columns=columns).assign(round_before="2023-24")


def test_register_changes_are_counted_and_listed_by_hand(view):
    view.scores["register_changes"] = _register_changes()
    view.scoring = replace(view.scoring, reviews_overdue={"2023-24": 2, "2024-25": 1})
    progress = cover_report(view).progress
    assert progress.title == "Progress since 2023-24"
    assert progress.rows == ()  # no framework scores compared in this view
    (part,) = progress.parts
    assert part.title == "Register changes since 2023-24"
    assert part.sentences == (
        "Comparing the register now with the register as it stood in 2023-24: 1 partnership "
        "added, 1 ended, 1 brought into scope, 1 change of legal form, 1 change of money and "
        "1 review no longer overdue.",
        "Partnerships in scope with an overdue review: 2 at the end of 2023-24, 1 at the end "
        "of 2024-25.",
    )
    counts, rows = part.tables
    assert counts.caption == "Register changes since 2023-24, by kind"
    assert counts.frame.values.tolist() == [
        ["Added to the register", 1],
        ["Ended (gone from the register)", 1],
        ["Scope", 1],
        ["Legal form", 1],
        ["Council cash per year", 1],
        ["Review overdue", 1],
    ]
    assert list(rows.frame.columns) == [
        "Partnership", "Change", "Then (2023-24)", "Now (2024-25)", "Difference"
    ]  # fmt: skip
    assert rows.frame.values.tolist() == [
        # 150,000 - 120,000 = 30,000, a quarter of 120,000
        ["Alpha", "Council cash per year", "£120,000", "£150,000", "£30,000 more (+25.0%)"],
        ["Beta", "Legal form", "joint committee", "other", ""],
        ["Gamma", "Scope", "out of scope: purely contractual", "in scope", ""],
        ["Gamma", "Review overdue", "overdue", "not overdue", ""],
        ["New Forum", "Added to the register", "not in the register", "in scope", ""],
        ["Old Board", "Ended (gone from the register)", "in scope", "not in the register", ""],
    ]


def test_money_down_in_words():
    from evalkit.report.pack.register_change import difference_words

    assert difference_words(-50000.0, -9.1) == "£50,000 less (−9.1%)"
    assert difference_words(5000.0, float("nan")) == "£5,000 more"
    assert difference_words(float("nan"), float("nan")) == ""


def _resolved(count: int) -> pd.DataFrame:
    """``count`` resolved findings of Alpha (the first two high), plus one of Delta."""
    rows = [
        ("a", f"code-{i:02d}", "high" if i < 2 else "low", f"Message {i}.") for i in range(count)
    ]
    rows.append(("d", "high-risk", "high", "Out of scope."))
    frame = pd.DataFrame(rows, columns=["partnership_id", "code", "severity", "message"])
    return frame.assign(round="2024-25", previous_round="2023-24", framework_id="")


def test_one_resolved_finding_is_listed(view):
    view.scores["resolved_findings"] = _resolved(1)
    (part,) = cover_report(view).progress.parts
    assert part.title == "Findings resolved since 2023-24"
    assert part.sentences == ("1 finding of 2023-24 is no longer found in 2024-25.",)
    (table,) = part.tables
    assert table.caption == "Findings of 2023-24 resolved by 2024-25"
    # an unknown code is quoted; a known one is in words (words.py)
    assert table.frame.values.tolist() == [["Alpha", "The finding 'code-00'", "Message 0."]]


def test_many_resolved_findings_are_capped_with_a_count(view):
    view.scores["resolved_findings"] = _resolved(12)
    (part,) = cover_report(view).progress.parts
    assert part.sentences == (
        "12 findings of 2023-24 are no longer found in 2024-25.",
        "The 10 of highest priority are listed; the other 2 are listed in each partnership's "
        "evidence pack (under Findings).",
    )
    shown = part.tables[0].frame
    assert len(shown) == 10
    assert list(shown["What it was in 2023-24"][:3]) == ["Message 0.", "Message 1.", "Message 2."]
    assert shown["Partnership"].tolist() == ["Alpha"] * 10  # Delta is out of scope


def test_no_snapshot_and_nothing_resolved_say_nothing(view):
    view.scores["register_changes"] = _register_changes().iloc[0:0]
    view.scores["resolved_findings"] = _resolved(0).iloc[0:0]
    assert cover_report(view).progress is None


def test_register_changes_and_resolved_in_the_page_and_the_word_document(view, tmp_path):
    from docx import Document

    from evalkit.report.committee import write_docx

    view.scores["changes"] = _changes()
    view.scores["register_changes"] = _register_changes()
    view.scores["resolved_findings"] = _resolved(1)
    report = cover_report(view)
    soup = BeautifulSoup(cover_html(report), "html.parser")
    assert [h.get_text() for h in soup.find_all("h3")][:2] == [
        "Register changes since 2023-24",
        "Findings resolved since 2023-24",
    ]
    captions = [c.get_text() for c in soup.find_all("caption")]
    assert captions[:4] == [
        "Framework dimensions compared with the last round, by partnership",
        "Register changes since 2023-24, by kind",
        "Register changes since 2023-24, by partnership",
        "Findings of 2023-24 resolved by 2024-25",
    ]
    document = Document(str(write_docx(report, tmp_path)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert headings == ["Register changes since 2023-24", "Findings resolved since 2023-24"]
    assert [c.text for c in document.tables[2].rows[1].cells] == [
        "Alpha", "Council cash per year", "£120,000", "£150,000", "£30,000 more (+25.0%)"
    ]  # fmt: skip


def test_a_resolved_finding_code_is_said_in_words(view):
    view.scores["resolved_findings"] = _resolved(1).assign(code="review-overdue")
    (part,) = cover_report(view).progress.parts
    assert part.tables[0].frame["Finding"].tolist() == ["An overdue review"]
