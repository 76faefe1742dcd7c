"""The committee cover report as HTML, for the notebook, the web page and the PDF."""

from __future__ import annotations

import pandas as pd

from evalkit.report.committee.content import CoverReport
from evalkit.report.committee.progress import PROGRESS_CAPTION
from evalkit.report.fragments import SEVERITY_WORDS, bullets, escape, heading, para
from evalkit.report.overview.main_points import PRIORITIES
from evalkit.report.render import callout_html, table_html

#: Where the cover report sits: one folder below the reports folder, beside the packs.
TO_REPORTS = "../"
PACKS_CAPTION = "Evidence packs, by partnership name: findings by priority"


def packs_frame(report: CoverReport) -> pd.DataFrame:
    """The table of packs: partnership, lead, findings by priority (also for the DOCX)."""
    return pd.DataFrame(
        {
            "Partnership": [row.name for row in report.packs],
            "Lead officer and directorate": [row.lead for row in report.packs],
            **{SEVERITY_WORDS[s]: [row.counts[s] for row in report.packs] for s in PRIORITIES},
        }
    )


def _linked(table: str, hrefs: list[str]) -> str:
    """The table with each body row's first cell (the partnership's name) made a link."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(table, "html.parser")
    cells = [row.find("th") for row in soup.tbody.find_all("tr")] if soup.tbody else []
    for cell, href in zip(cells, hrefs, strict=False):
        if cell is None:
            continue
        link = soup.new_tag("a", href=href)
        link.extend(list(cell.contents))
        cell.clear()
        cell.append(link)
    return str(soup)


def numbered(items: list[str] | tuple[str, ...]) -> str:
    """An ordered (numbered) list."""
    return "<ol>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ol>"


def cover_html(report: CoverReport) -> str:
    """The whole report: title, notice, summary, recommendations, packs, method."""
    out = heading(1, report.title)
    if report.notice:
        out += callout_html(report.notice, kind="invented")
    out += para(f"{report.dataset}. {report.dated}")
    out += heading(2, "Summary") + para(report.purpose) + bullets(report.summary)
    out += heading(2, "Recommendations")
    out += para("The committee is asked to:") + numbered(report.recommendations)
    if report.progress is not None:
        out += heading(2, report.progress.title)
        if report.progress.rows:
            out += bullets(report.progress.points)
            out += table_html(report.progress.frame(), caption=PROGRESS_CAPTION)
        for part in report.progress.parts:
            out += heading(3, part.title) + "".join(para(s) for s in part.sentences)
            out += "".join(table_html(t.frame, caption=t.caption) for t in part.tables)
    hrefs = [TO_REPORTS + row.page for row in report.packs]
    table = table_html(packs_frame(report), caption=PACKS_CAPTION)
    out += heading(2, "Evidence packs (appendices)")
    out += para(
        "Each partnership's evidence pack gives the scores, findings and actions in full; "
        "the partnership's name links to its pack."
    )
    out += f'<div class="committee-packs">{_linked(table, hrefs)}</div>'
    out += heading(2, "How this report was produced") + bullets(report.method)
    return out
