"""The committee cover report: what was found across the portfolio, and what to do.

Used by ``notebooks/committee_report.ipynb``: :func:`cover_report` works out every
sentence from the portfolio that :func:`evalkit.report.overview.load_overview` reads;
:func:`cover_html` lays it out for the web page and the PDF, and :func:`write_docx`
writes it as a Word document for the council's committee template.
"""

from evalkit.report.committee.content import CoverReport, PackRow, cover_report
from evalkit.report.committee.document import DOCX_NAME, build_document, write_docx
from evalkit.report.committee.page import cover_html

__all__ = [
    "DOCX_NAME",
    "CoverReport",
    "PackRow",
    "build_document",
    "cover_html",
    "cover_report",
    "write_docx",
]
