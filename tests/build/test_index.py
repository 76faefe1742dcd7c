"""The index page: what each pack found, its links, and its build status in words.

The portfolio is tests/small_portfolio.py's five packs (INDEX_MANIFEST, INDEX_SUMMARIES);
every expected text and number below is worked out from those by hand.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

from evalkit.build.index import (
    IndexRow,
    built_text,
    committee_link,
    day_text,
    index_rows,
    lead_text,
    links,
    overview_link,
    read_headline,
    render_page,
    status_text,
    write_index,
)
from small_portfolio import INDEX_MANIFEST, INDEX_ORDER, write_index_summaries

FILES = {"evidence-pack.ipynb": "a", "evidence-pack.pdf": "b"}
MANIFEST = {
    "packs": INDEX_MANIFEST,
    "overview": {"files": {"portfolio-overview.html": "c", "portfolio-data.xlsx": "f"}},
}
GENERATED = "2026-11-26T10:00:00+00:00"


def _page(tmp_path, **kwargs):
    write_index_summaries(tmp_path)
    path = write_index(tmp_path, MANIFEST, notice="INVENTED", generated=GENERATED, **kwargs)
    return path.read_text(encoding="utf-8")


def _rows(page):
    return re.findall(r"<tr data-priority=.*?</tr>", page, flags=re.S)


def _text(fragment):
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def test_links_go_to_the_files_a_record_lists_one_per_format():
    assert links("csp", "evidence-pack", FILES) == [
        ("HTML", None),
        ("PDF", "csp/evidence-pack.pdf"),
    ]


def test_the_overview_link_is_its_first_file_in_registry_order():
    html_files = {"portfolio-overview.html": "a", "portfolio-overview.pdf": "b"}
    assert overview_link({"files": html_files}) == "overview/portfolio-overview.html"
    assert overview_link({"files": {"portfolio-overview.pdf": "b"}}) == (
        "overview/portfolio-overview.pdf"
    )
    assert overview_link({"files": {}}) is None
    assert overview_link(None) is None


def test_the_committee_report_is_linked_when_built():
    files = {"committee-report.html": "a", "committee-report.pdf": "b"}
    assert committee_link({"files": files}) == "committee/committee-report.html"
    assert committee_link(None) is None
    page = render_page(
        [],
        notice=None,
        overview_href=None,
        data_href=None,
        generated=None,
        committee_href="committee/committee-report.html",
    )
    assert (
        '<a href="committee/committee-report.html">Report to the scrutiny committee: '
        "what was found and what to do</a>" in page
    )
    assert "scrutiny committee" not in render_page(
        [], notice=None, overview_href=None, data_href=None, generated=None
    )


def test_rows_come_most_high_priority_findings_first(tmp_path):
    # csp 2 high; flood 1 high; hub 0 high but 4 medium; parks nothing; roads not known
    rows = index_rows(INDEX_MANIFEST, write_index_summaries(tmp_path))
    assert [row.id for row in rows] == INDEX_ORDER == ["csp", "flood", "hub", "parks", "roads"]


def test_equal_counts_are_listed_by_name(tmp_path):
    twin = {**INDEX_MANIFEST["csp"], "name": "Anchor Trust"}
    (tmp_path / "twin").mkdir()
    (tmp_path / "twin" / "summary.json").write_text(
        json.dumps({"findings": {"high": 2, "medium": 3, "low": 1}}), encoding="utf-8"
    )
    rows = index_rows({**INDEX_MANIFEST, "twin": twin}, write_index_summaries(tmp_path))
    assert [row.id for row in rows][:2] == ["twin", "csp"]


def test_a_row_carries_what_the_pack_found(tmp_path):
    rows = {row.id: row for row in index_rows(INDEX_MANIFEST, write_index_summaries(tmp_path))}
    assert rows["csp"] == IndexRow(
        id="csp",
        name="Community Safety Partnership",
        found="Funding for violence reduction ends in March 2025.",
        priority="high",
        high=2,
        medium=3,
        low=1,
        bands=("VicHealth tool: Genuine collaboration (indicative)",),
        directorate="Resources",
        tier="strategic",
        links=[
            ("HTML", "csp/evidence-pack.html"),
            ("PDF", "csp/evidence-pack.pdf"),
            ("Excel", "csp/csp-data.xlsx"),
        ],
        status="Up to date",
        built="Built on 26 November 2026",
        error=None,
        alert=False,
        known=True,
    )
    roads = rows["roads"]
    assert (roads.known, roads.high, roads.found, roads.tier) == (False, None, None, "operational")
    assert (roads.status, roads.error, roads.alert) == (
        "Failed — no version to show",
        "timed out after 600 s",
        True,
    )
    flood = rows["flood"]
    assert flood.status == "Failed — last good version from 3 October 2026 shown"
    assert flood.error == "KeyError: 'tier.csv'"  # the server's path cut off
    assert flood.built is None  # the status already says when


def test_dates_are_written_in_words():
    assert day_text("2026-11-26T09:30:00+00:00") == "26 November 2026"
    assert day_text("2026-10-03T23:30:00-02:00") == "4 October 2026"  # UTC
    assert day_text(None) is None and day_text("soon") is None
    assert built_text(INDEX_MANIFEST["parks"]) == "Built on 25 November 2026"
    assert built_text(INDEX_MANIFEST["roads"]) is None


def test_status_in_words():
    stale = INDEX_MANIFEST["flood"]
    assert status_text(stale) == "Failed — last good version from 3 October 2026 shown"
    assert status_text({**stale, "built": None}) == "Failed — last good version shown"
    assert status_text({**stale, "status": "pending"}) == (
        "Waiting to be built — last good version from 3 October 2026 shown"
    )
    assert status_text({"status": "pending", "files": {}}) == "Waiting to be built"
    assert status_text({"status": "failed"}) == "Failed — no version to show"
    assert (
        status_text({"status": "built"}) == status_text({"status": "up-to-date"}) == ("Up to date")
    )


def test_the_lead_sentence_counts_partnerships_needing_action_now(tmp_path):
    rows = index_rows(INDEX_MANIFEST, write_index_summaries(tmp_path))
    assert lead_text(rows) == (
        "5 partnerships: 2 have at least one high-priority finding (high means act now)."
    )
    assert lead_text(rows[:1]) == (
        "1 partnership: 1 has at least one high-priority finding (high means act now)."
    )
    assert lead_text(index_rows(INDEX_MANIFEST)) == "5 partnerships."  # nothing known


def test_a_summary_without_a_priority_is_not_taken_for_nothing_to_act_on(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "summary.json").write_text(
        json.dumps({"top_finding": "Funding ends.", "findings": {"high": 1}}), encoding="utf-8"
    )
    (row,) = index_rows({"old": {"name": "Old", "status": "built"}}, tmp_path)
    assert (row.found, row.priority, row.high, row.priority_rank) == ("Funding ends.", None, 1, 4)
    page = render_page([row], notice=None, overview_href=None, data_href=None, generated=None)
    assert '<tr data-priority="unknown">' in page


def test_read_headline_copes_with_missing_and_broken_summaries(tmp_path):
    assert read_headline(tmp_path / "missing" / "summary.json") is None
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert read_headline(tmp_path / "broken.json") is None
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    assert read_headline(tmp_path / "list.json") is None


def test_the_page_shows_each_packs_headline_in_the_default_order(tmp_path):
    page = _page(tmp_path)
    rows = [_text(row) for row in _rows(page)]
    assert rows == [
        "Community Safety Partnership High priority: Funding for violence reduction ends in "
        "March 2025. 2 3 1 VicHealth tool: Genuine collaboration (indicative) Resources "
        "Strategic HTML for Community Safety Partnership PDF for Community Safety Partnership "
        "Excel for Community Safety Partnership Up to date Built on 26 November 2026",
        "Flood Resilience Board High priority: No evidence was recorded. 1 1 0 "
        "Wilder factors (20 factors): 2 Concern, 15 Borderline, 3 Strength (indicative) Growth "
        "Operational HTML for Flood Resilience Board ⚠ Failed — last good version from "
        "3 October 2026 shown This build failed: KeyError: 'tier.csv'",
        "Armed Forces Covenant Hub Medium priority: Trust between partners is low. 0 4 2 "
        "None published Adult Services Significant HTML for Armed Forces Covenant Hub "
        "PDF for Armed Forces Covenant Hub Up to date Built on 3 October 2026",
        "Parks Friends Nothing to act on 0 0 0 None published Growth Operational "
        "HTML for Parks Friends Up to date Built on 25 November 2026",
        "Highways <Board> & Co Not known: the pack has no summary — — — — — Operational "
        "No files ⚠ Failed — no version to show This build failed: timed out after 600 s",
    ]
    assert "Highways &lt;Board&gt; &amp; Co" in page  # text from data is inert
    assert "/srv/" not in page
    assert '<strong class="status-failed">⚠ Failed' in page  # words and bold, not colour alone


def test_the_page_leads_with_what_was_found_and_flags_failures(tmp_path):
    text = _text(_page(tmp_path))
    assert "5 partnerships: 2 have at least one high-priority finding (high means act now)." in text
    assert "Warning: 2 packs have a problem with this build" in text
    assert "Portfolio data: every score, finding and action (Excel workbook)" in text
    assert "Produced by evalkit" in text and "on 26 November 2026." in text
    assert "INVENTED SAMPLE DATA" in text
    assert "T10:00" not in text and "+00:00" not in text  # no ISO timestamps


def test_the_scripts_hash_in_the_csp_is_the_sha256_of_the_script_in_the_page(tmp_path):
    page = _page(tmp_path)
    (script,) = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    (policy,) = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    expected = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert html.unescape(policy) == (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
        f"script-src 'sha256-{expected}'"
    )
    assert "http" not in script and "fetch" not in script  # loads nothing


def test_without_the_script_the_page_is_whole_and_allows_no_script(tmp_path):
    rows = index_rows(INDEX_MANIFEST, write_index_summaries(tmp_path))
    page = render_page(rows, notice=None, overview_href=None, data_href=None, generated=None,
                       with_script=False)  # fmt: skip
    assert "<script" not in page and "script-src" not in page
    assert len(_rows(page)) == 5
    assert 'id="packs-filter" role="search" aria-label="Filter the partnerships" hidden' in page


def test_other_pages_keep_the_policy_without_scripts():
    from nbformat.v4 import new_markdown_cell, new_notebook

    from evalkit.report.render import notebook_to_html

    nb = new_notebook(cells=[new_markdown_cell("# Pack\n\nText.")])
    page = notebook_to_html(nb, title="Pack", running_header="Pack", notice=None)
    assert 'font-src data:">' in page and "script-src" not in page
