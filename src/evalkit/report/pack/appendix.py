"""The appendix of detailed tables: on the web page and in the downloads, not in print.

A committee reads the printed pack, so it holds the main points, the headline chart
or table of each section, the findings and the action plan. The detailed tables
(each item, each organisation, every risk, every indicator, every file's hash) move to
the end of the web page under "Appendix: detailed tables", which the print stylesheet
hides (``.appendix`` in ``evalkit.css``). A section shows such a table with
:func:`table` instead of :func:`evalkit.report.pack.downloads.table`: the table is
registered for the downloads all the same (a CSV file and a sheet of the workbook), and
the section gets a one-line link to it in the appendix, shown on screen only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.report.fragments import escape, para
from evalkit.report.pack import anchors, downloads

if TYPE_CHECKING:
    import pandas as pd

    from evalkit.report.pack.evidence import Pack

#: The appendix's heading.
TITLE = "Appendix: detailed tables"


@dataclass(frozen=True)
class Detail:
    """One detailed table kept for the appendix.

    Attributes:
        slug: its download's slug (and, prefixed, its id on the page).
        section: the title of the section it belongs to.
        caption: the table's caption.
        html: the table and its download link.
    """

    slug: str
    section: str
    caption: str
    html: str

    @property
    def anchor(self) -> str:
        """Its id on the page: ``detail-<slug>``."""
        return f"detail-{self.slug}"


def table(
    pack: Pack,
    frame: pd.DataFrame,
    *,
    section: str,
    name: str,
    caption: str,
    formats: Mapping[str, str] | None = None,
    empty_text: str = "No data recorded.",
) -> str:
    """Keep a detailed table for the appendix; return the section's link to it.

    Args:
        pack: The pack (the table joins ``pack.appendix`` and ``pack.downloads``).
        frame: The table, columns headed by their labels.
        section: The title of the section it belongs to (its heading in the appendix).
        name: The table's slug, unique in the pack.
        caption: What the table shows.
        formats: Formats by column, as for :func:`evalkit.report.render.table_html`.
        empty_text: Shown when there are no rows.

    Returns:
        A screen-only line linking to the table in the appendix.
    """
    shown = downloads.table(
        pack, frame, name=name, caption=caption, formats=formats, empty_text=empty_text
    )
    item = Detail(downloads.slug(name), section, " ".join(caption.split()), shown)
    pack.appendix[item.slug] = item
    return (
        '<p class="appendix-ref">Detailed table: '
        + anchors.link(item.anchor, item.caption)
        + " (in the appendix, and in the downloads).</p>"
    )


def html(pack: Pack) -> str:
    """The appendix: every detailed table, grouped under its section's title."""
    if not pack.appendix:
        return ""
    out = [
        '<section class="appendix">',
        anchors.section_heading(2, TITLE, anchors.APPENDIX),
        para(
            "The tables behind the sections above, in full. They are on this page and "
            "in the downloads, and are left out of the printed pack to keep it short."
        ),
    ]
    section = None
    for item in pack.appendix.values():
        if item.section != section:
            section = item.section
            out.append(f"<h3>{escape(section)}</h3>")
        out.append(f'<div id="{escape(item.anchor)}">{item.html}</div>')
    out.append("</section>")
    return "\n".join(out)
