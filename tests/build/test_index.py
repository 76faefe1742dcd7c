"""The index page: one row per pack, one link column per output format."""

from __future__ import annotations

import json

from evalkit.build.index import (
    headline,
    index_rows,
    links,
    overview_link,
    status_text,
    write_index,
)

FILES = {"evidence-pack.ipynb": "a", "evidence-pack.pdf": "b"}


def test_links_go_to_the_files_a_record_lists_one_per_format():
    assert links("csp", "evidence-pack", FILES) == [
        ("HTML", None),
        ("PDF", "csp/evidence-pack.pdf"),
    ]


def test_rows_are_sorted_by_name_and_carry_their_links_and_error():
    packs = {
        "z": {"name": "Armed Forces Hub", "tier": "minor", "status": "built", "files": FILES},
        "a": {"name": "Zoo Trust", "status": "failed", "error": {"message": "boom"}},
    }
    assert index_rows(packs) == [
        {
            "id": "z",
            "name": "Armed Forces Hub",
            "tier": "minor",
            "status": "built",
            "links": [("HTML", None), ("PDF", "z/evidence-pack.pdf"), ("Excel", None)],
            "error": None,
            "found": "",
            "alert": False,
        },
        {
            "id": "a",
            "name": "Zoo Trust",
            "tier": None,
            "status": "failed",
            "links": [("HTML", None), ("PDF", None), ("Excel", None)],
            "error": "boom",
            "found": "",
            "alert": True,
        },
    ]


def test_the_overview_link_is_its_first_file_in_registry_order():
    html = {"portfolio-overview.html": "a", "portfolio-overview.pdf": "b"}
    assert overview_link({"files": html}) == "overview/portfolio-overview.html"
    assert overview_link({"files": {"portfolio-overview.pdf": "b"}}) == (
        "overview/portfolio-overview.pdf"
    )
    assert overview_link({"files": {}}) is None
    assert overview_link(None) is None


def test_the_page_has_a_column_per_format_and_a_link_per_file(tmp_path):
    manifest = {
        "packs": {"csp": {"name": "Safety", "status": "built", "files": FILES}},
        "overview": {"files": {"portfolio-overview.html": "c"}},
    }
    path = write_index(tmp_path, manifest, notice="INVENTED", generated="2025-01-02T03:04:05")
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "index.html"
    assert '<th scope="col">Web page</th>' in page and '<th scope="col">PDF</th>' in page
    assert '<a href="csp/evidence-pack.pdf">PDF<span class="visually-hidden"> for Safety' in page
    assert '<a href="overview/portfolio-overview.html">' in page
    assert page.count(">none</td>") == 2  # no web page and no workbook for csp
    assert "1 pack, generated 2025-01-02T03:04:05." in page
    assert "Portfolio data" not in page  # the overview has no workbook


def test_the_index_links_each_packs_workbook_and_the_portfolios(tmp_path):
    files = {**FILES, "csp-data.xlsx": "d", "downloads/risks.csv": "e"}
    manifest = {
        "packs": {"csp": {"name": "Safety", "status": "built", "files": files}},
        "overview": {"files": {"portfolio-overview.html": "c", "portfolio-data.xlsx": "f"}},
    }
    page = write_index(tmp_path, manifest, notice=None, generated="").read_text(encoding="utf-8")
    assert '<th scope="col">Data</th>' in page
    assert '<a href="csp/csp-data.xlsx">Excel<span class="visually-hidden"> for Safety' in page
    assert (
        '<a href="overview/portfolio-data.xlsx">Portfolio data: every score, finding and '
        "action (Excel workbook)</a>"
    ) in page


def _summary(folder, top, findings):
    folder.mkdir(parents=True)
    text = json.dumps({"top_finding": top, "findings": findings})
    (folder / "summary.json").write_text(text, encoding="utf-8")
    return folder / "summary.json"


def test_the_headline_is_the_most_serious_finding_with_counts(tmp_path):
    path = _summary(tmp_path / "csp", "No evidence was recorded.", {"high": 1, "info": 2})
    assert headline(path) == "No evidence was recorded. (findings: 1 high, 0 medium, 0 low)"
    quiet = _summary(tmp_path / "quiet", None, {})
    assert headline(quiet) == "Nothing to act on (findings: 0 high, 0 medium, 0 low)"
    assert headline(tmp_path / "missing" / "summary.json") == ""


def test_the_index_says_what_each_pack_found(tmp_path):
    _summary(tmp_path / "csp", "No evidence was recorded for this partnership.", {"high": 1})
    manifest = {"packs": {"csp": {"name": "Safety", "status": "built", "files": FILES}}}
    page = write_index(tmp_path, manifest, notice=None, generated="").read_text(encoding="utf-8")
    assert '<th scope="col">Most serious finding</th>' in page
    assert "No evidence was recorded for this partnership. (findings: 1 high" in page


STALE = {
    "name": "Safety",
    "status": "stale",
    "built": "2025-12-01T09:30:00+00:00",
    "files": {"evidence-pack.html": "a"},
    "error": {"name": "Timeout", "message": "timed out after 600 s"},
}


def test_a_stale_pack_says_when_its_last_good_version_is_from_and_why_this_build_failed():
    assert status_text(STALE) == (
        "stale — last good version from 2025-12-01 09:30 UTC, "
        "this build failed: timed out after 600 s"
    )
    broken = {**STALE, "error": {"name": "KeyError", "message": "'tier'"}, "built": None}
    assert status_text(broken) == (
        "stale — last good version from an earlier build, this build failed: KeyError: 'tier'"
    )


def test_a_pack_waiting_for_this_build_says_which_version_is_there():
    assert status_text({**STALE, "status": "pending", "error": None}) == (
        "pending — last good version from 2025-12-01 09:30 UTC"
    )
    assert status_text({"status": "pending", "files": {}}) == "pending"
    assert status_text({"status": "failed"}) == "failed"
    assert status_text({"status": "built"}) == "built"


def test_the_index_links_a_stale_packs_last_good_files_and_shows_the_failure(tmp_path):
    _summary(tmp_path / "csp", "Funding ends soon.", {"high": 1})
    manifest = {"packs": {"csp": STALE, "hub": {"name": "Hub", "status": "failed", "files": {}}}}
    page = write_index(tmp_path, manifest, notice=None, generated="").read_text(encoding="utf-8")
    assert '<a href="csp/evidence-pack.html">HTML' in page
    assert "stale — last good version from 2025-12-01 09:30 UTC, this build failed: " in page
    assert "Funding ends soon. (findings: 1 high" in page  # the last good version's headline
    rows = {row["id"]: row for row in index_rows(manifest["packs"])}
    assert rows["csp"]["error"] is None  # the status says it all
    assert rows["csp"]["alert"] and rows["hub"]["alert"]  # both shown in bold
    assert '<td class="status-failed">stale — last good version' in page
    assert rows["hub"]["status"] == "failed"
