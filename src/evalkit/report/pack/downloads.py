"""The data behind every table and chart a pack shows: a CSV per table and one workbook.

Sections show their tables with :func:`table` and their charts with :func:`figure`
instead of calling :func:`evalkit.report.render.table_html` and
:func:`~evalkit.report.render.figure_html` directly. Each table is then registered on
the pack (:class:`Downloads`, ``pack.downloads``) under a short, stable name (its
*slug*) and gets a link, "Download this table (CSV)", under it; a chart links to the
CSV of the data it was drawn from (the table shown with it, or its own when no table
holds that data, as for each organisation's view of a survey framework). The last
section, :func:`html`, links the workbook and lists every file, and :func:`write`
writes them into the pack's folder when the notebook has one (``output_dir``):

* ``downloads/<slug>.csv``, one per table, and
* ``<partnership id>-data.xlsx``, a *Contents* sheet and then one sheet per table, in
  the order the page shows them, each sheet named by the table's slug.

What a download holds is what the page shows: the same columns under the same
headings, the same rows in the same order, and numbers rounded the way the page rounds
them (:func:`as_shown`), kept as numbers (``£185,000`` on the page is ``185000`` under
the heading ``Council cash (£)``). Yes and No are words; a blank cell is what the page
shows as "—".

**Invented data.** When the data is invented, the notice is the first row of every
CSV file and of every sheet, above the headings. A first row rather than a notes
sheet: a single CSV file, or one sheet copied into another workbook, is often passed
on alone, and the warning must travel with the figures. Real data has no such row, so
its files are plain tables.

Everything is written through :mod:`evalkit.spreadsheet`, so text that a spreadsheet
would run as a formula (``=HYPERLINK(…)`` in a SWOT entry) stays inert text. CSV files
begin with a UTF-8 byte-order mark so that Excel reads ``£`` and ``—`` correctly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from evalkit.names import DOWNLOADS_DIR, workbook_name
from evalkit.report.fragments import escape, para
from evalkit.report.pack.anchors import DATA as DATA_ID
from evalkit.report.pack.anchors import section_heading
from evalkit.report.render import figure_html, table_html
from evalkit.spreadsheet import sheet_title, write_csv, write_xlsx

if TYPE_CHECKING:
    from evalkit.report.charts import Chart
    from evalkit.report.pack.evidence import Pack

#: The text of a table's link.
TABLE_LINK = "Download this table (CSV)"
#: The text of a chart's link.
CHART_LINK = "Download the data behind this chart (CSV)"
#: The name of the workbook's first sheet, which lists the others.
CONTENTS = "Contents"
_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60
_DECIMALS = re.compile(r"\.(\d+)[f%]")


def slug(text: str) -> str:
    """A file-name-safe name: lower-case letters, digits and single hyphens, at most 60."""
    cleaned = _SLUG_BAD.sub("-", text.casefold()).strip("-")
    return cleaned[:_SLUG_MAX].strip("-") or "table"


@dataclass(frozen=True)
class Shown:
    """One table as a download.

    Attributes:
        slug: its file name without ``.csv``, and its sheet's name.
        title: the table's caption on the page.
        frame: the table as the page shows it (see :func:`as_shown`).
    """

    slug: str
    title: str
    frame: pd.DataFrame

    @property
    def csv_name(self) -> str:
        """The CSV file, relative to the pack's folder (and to its page)."""
        return f"{DOWNLOADS_DIR}/{self.slug}.csv"


@dataclass
class Downloads:
    """The tables a pack has shown so far, by slug, in the order the page shows them.

    Showing a table again under the same slug (a notebook cell run twice) replaces it
    in its place.
    """

    shown: dict[str, Shown] = field(default_factory=dict)

    def add(self, name: str, title: str, frame: pd.DataFrame) -> Shown:
        """Register a table; returns its download."""
        item = Shown(slug(name), " ".join(str(title).split()), frame)
        self.shown[item.slug] = item
        return item

    def __iter__(self) -> Iterator[Shown]:
        return iter(self.shown.values())

    def __len__(self) -> int:
        return len(self.shown)


# --------------------------------------------------------------------------- values


def _is_missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _decimals(fmt: str | None) -> int | None:
    """How many decimals a format shows (``{:.2f}`` → 2, ``£{:,.0f}`` → 0); None: unknown."""
    if fmt is None:
        return 1
    found = _DECIMALS.search(fmt)
    if found is None or "%" in fmt:
        return None
    return int(found.group(1))


def shown_value(value: Any, fmt: str | None = None) -> Any:
    """One cell as the page shows it, as a value: rounded number, Yes/No, text or None.

    Numbers are rounded exactly as the page's format rounds them (the same decimal
    text, read back as a number), whole numbers kept as integers; booleans become
    "Yes" and "No"; missing values None (blank).
    """
    if _is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes | pd.Timestamp):
        value = value.item()  # numpy scalars
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        decimals = _decimals(fmt)
        if decimals is None:
            return value
        rounded = float(format(value, f".{decimals}f"))
        return int(rounded) if decimals == 0 else rounded
    return value


def _heading(column: Any) -> str:
    """A column's heading as the page shows it (MultiIndex parts joined with ' – ')."""
    if isinstance(column, tuple):
        return " – ".join(str(part) for part in column if str(part))
    return str(column)


def as_shown(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` as its table on the page shows it: same headings, rows and rounding.

    Args:
        frame: What the section passed to :func:`~evalkit.report.render.table_html`.
        formats: The formats it passed, by column.

    Returns:
        A new frame of plain values (see :func:`shown_value`), one column per heading.
    """
    formats = dict(formats or {})
    columns = {}
    for j, column in enumerate(frame.columns):
        fmt = formats.get(column)
        values = [shown_value(v, fmt) for v in frame.iloc[:, j]]
        columns[j] = pd.Series(values, dtype=object)
    out = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(frame)))
    out.columns = [_heading(c) for c in frame.columns]
    return out


# --------------------------------------------------------------------------- on the page


def _link(href: str, text: str, about: str) -> str:
    """A download link; ``about`` (what it is) for screen readers, so links differ."""
    return (
        f'<div class="download"><a href="{escape(href)}">{escape(text)}'
        f'<span class="visually-hidden">: {escape(about)}</span></a></div>'
    )


def table(
    pack: Pack,
    frame: pd.DataFrame,
    *,
    name: str,
    caption: str,
    formats: Mapping[str, str] | None = None,
    empty_text: str = "No data recorded.",
) -> str:
    """A table on the page, with its download link, registered on the pack.

    Args:
        pack: The pack (its :class:`Downloads` gets the table).
        frame: The table, columns headed by their labels.
        name: The table's slug (its CSV file and sheet), unique in the pack.
        caption: What the table shows.
        formats: Formats by column, as for :func:`~evalkit.report.render.table_html`.
        empty_text: Shown when there are no rows.

    Returns:
        The table's HTML and its link.
    """
    item = pack.downloads.add(name, caption, as_shown(frame, formats))
    page = table_html(frame, caption=caption, formats=formats, empty_text=empty_text)
    return page + _link(item.csv_name, TABLE_LINK, item.title)


def figure(
    pack: Pack,
    chart: Chart,
    *,
    data: str,
    frame: pd.DataFrame | None = None,
    title: str | None = None,
) -> str:
    """A chart on the page, with a link to the data it was drawn from.

    Args:
        pack: The pack.
        chart: The chart.
        data: The slug of the table that holds the chart's data (shown with it), or,
            with ``frame``, the slug to register the chart's own data under.
        frame: The chart's data, when no table on the page holds it (headings as labels).
        title: What the data is (the link's words for screen readers, and the title of
            ``frame``'s sheet); by default the first sentence of the chart's caption.

    Returns:
        The figure's HTML and its link.
    """
    about = title or str(chart.caption or chart.alt).split(". ")[0].rstrip(".")
    if frame is not None:
        about = pack.downloads.add(data, about, as_shown(frame)).title
    href = f"{DOWNLOADS_DIR}/{slug(data)}.csv"
    return figure_html(chart) + _link(href, CHART_LINK, about)


def html(pack: Pack) -> str:
    """The pack's last section: the workbook and every CSV file, with links."""
    book = workbook_name(pack.partnership_id)
    invented = " Each file begins with the notice that the data is invented." if pack.notice else ""
    out = section_heading(2, "Data behind this pack", DATA_ID) + (
        '<div class="screen-only">'
        + para(
            "Every table in this pack, and the data behind every chart, as one Excel "
            "workbook with a sheet per table, or as one CSV file per table. Headings are the "
            "ones on the page, and numbers are rounded as the page shows them." + invented
        )
        + "</div>"
    )
    # Print says it in one paragraph: where the data and the detailed tables are.
    out += (
        '<p class="print-only">Every table and the data behind every chart are in the '
        f"workbook {escape(book)} and as CSV files, with the web version. The printed pack "
        "leaves out the detailed tables (each item, each organisation, every risk and "
        "indicator, the files' hashes): they are in the appendix of the web version and in "
        f"the workbook.{invented}</p>"
    )
    out += f'<p class="data-links"><a href="{escape(book)}">Excel workbook: {escape(book)}</a></p>'
    items = "".join(
        f'<li><a href="{escape(item.csv_name)}">{escape(item.title)} (CSV)</a></li>'
        for item in pack.downloads
    )
    return out + (f'<ul class="data-links">{items}</ul>' if items else "")


# --------------------------------------------------------------------------- files


def sheet_names(pack: Pack) -> dict[str, str]:
    """Each table's sheet name, by slug: the slug, made a valid and unused sheet name."""
    taken = {CONTENTS}
    names = {}
    for item in pack.downloads:
        names[item.slug] = sheet_title(item.slug, taken)
        taken.add(names[item.slug])
    return names


def contents(pack: Pack) -> pd.DataFrame:
    """The workbook's first sheet: each sheet, the table it holds and its CSV file."""
    names = sheet_names(pack)
    rows = [(names[item.slug], item.title, item.csv_name) for item in pack.downloads]
    return pd.DataFrame(rows, columns=["Sheet", "Table", "CSV file"])


def write(pack: Pack, output_dir: Path | str) -> list[Path]:
    """Write every table the pack has shown: a CSV file each, and the workbook.

    Args:
        pack: The pack, after every section has been shown.
        output_dir: The pack's folder.

    Returns:
        The files written: the CSV files in page order, then the workbook.
    """
    folder = Path(output_dir)
    (folder / DOWNLOADS_DIR).mkdir(parents=True, exist_ok=True)
    written = [
        write_csv(folder / item.csv_name, item.frame, notice=pack.notice, excel=True)
        for item in pack.downloads
    ]
    names = sheet_names(pack)
    sheets = {CONTENTS: contents(pack)} | {names[i.slug]: i.frame for i in pack.downloads}
    book = folder / workbook_name(pack.partnership_id)
    written.append(write_xlsx(book, sheets, notice=pack.notice))
    return written
