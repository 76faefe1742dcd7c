"""The committee cover report as a Word document (.docx), for the council's template.

Clerks paste the report into the council's committee template, so the document keeps
to Word's own styles: the invented-data notice as its first paragraph, the title in
Heading 1, each section in Heading 2, numbered recommendations, and the table of packs
as a real table whose header row repeats on every page. Every piece of text from the
data goes in as a plain run of text (no fields, no hyperlinks), with control
characters shown as visible escapes, as on the web page. Core properties give the
title and language and no one's name; the file's bytes depend only on the report.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.atomic import atomic_path
from evalkit.report.committee.content import CoverReport
from evalkit.report.committee.page import PACKS_CAPTION, packs_frame
from evalkit.report.committee.progress import PROGRESS_CAPTION
from evalkit.spreadsheet import show_controls

if TYPE_CHECKING:
    import pandas as pd
    from docx.document import Document
    from docx.table import _Row

#: The file the notebook writes into its output folder.
DOCX_NAME = "committee-report.docx"
#: The packs' column in the document: where each pack's PDF is, from the reports folder.
PACK_COLUMN = "Evidence pack (PDF, in the reports folder)"
#: Every file in the document is dated this (a zip needs a date; 1980 is its earliest).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _text(value: object) -> str:
    """Data as plain text that XML accepts: control characters shown as escapes."""
    return show_controls(str(value))


def _mark_header_row(row: _Row) -> None:
    """Make a table row the header row Word repeats at the top of every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _add_table(document: Document, frame: pd.DataFrame) -> None:
    """A real Word table of ``frame``: a bold header row that repeats on every page."""
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.paragraphs[0].add_run(_text(name)).bold = True
    _mark_header_row(table.rows[0])
    for values in frame.itertuples(index=False, name=None):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = _text(value)


def build_document(report: CoverReport) -> Document:
    """The report as a python-docx ``Document``."""
    import docx

    document = docx.Document()
    if report.notice:
        document.add_paragraph().add_run(_text(report.notice)).bold = True
    document.add_heading(_text(report.title), level=1)
    document.add_paragraph(_text(f"{report.dataset}. {report.dated}"))
    document.add_heading("Summary", level=2)
    document.add_paragraph(_text(report.purpose))
    for point in report.summary:
        document.add_paragraph(_text(point), style="List Bullet")
    document.add_heading("Recommendations", level=2)
    document.add_paragraph("The committee is asked to:")
    for recommendation in report.recommendations:
        document.add_paragraph(_text(recommendation), style="List Number")
    if report.progress is not None:
        document.add_heading(_text(report.progress.title), level=2)
        if report.progress.rows:
            for point in report.progress.points:
                document.add_paragraph(_text(point), style="List Bullet")
            document.add_paragraph(PROGRESS_CAPTION, style="Caption")
            _add_table(document, report.progress.frame())
        for part in report.progress.parts:
            document.add_heading(_text(part.title), level=3)
            for sentence in part.sentences:
                document.add_paragraph(_text(sentence))
            for table in part.tables:
                document.add_paragraph(_text(table.caption), style="Caption")
                _add_table(document, table.frame)
    document.add_heading("Evidence packs (appendices)", level=2)
    document.add_paragraph(
        "Each partnership's evidence pack gives the scores, findings and actions in full; "
        "the last column says where its PDF is in the published reports folder."
    )
    document.add_paragraph(PACKS_CAPTION, style="Caption")
    frame = packs_frame(report).assign(**{PACK_COLUMN: [row.pdf for row in report.packs]})
    _add_table(document, frame)
    document.add_heading("How this report was produced", level=2)
    for point in report.method:
        document.add_paragraph(_text(point), style="List Bullet")
    properties = document.core_properties
    properties.title = _text(report.title)
    properties.subject = _text(report.dataset)
    properties.author = properties.last_modified_by = ""
    properties.language = "en-GB"
    properties.revision = 1
    if report.as_of_iso:  # the data's date, never the machine's clock
        properties.created = properties.modified = datetime.fromisoformat(report.as_of_iso)
    return document


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every member dated :data:`_ZIP_DATE` (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
                member.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(member, source.read(info.filename))
    return out.getvalue()


def write_docx(report: CoverReport, folder: Path) -> Path:
    """Write the report as ``committee-report.docx`` in ``folder``, atomically."""
    buffer = io.BytesIO()
    build_document(report).save(buffer)
    out = folder / DOCX_NAME
    with atomic_path(out) as tmp:
        Path(tmp).write_bytes(_fixed_dates(buffer.getvalue()))
    return out
