"""The HTML and PDF layer: accessible, self-contained pages and tagged A4 PDFs.

Building blocks used inside the pack notebooks:

* :func:`figure_html` turns a :class:`evalkit.report.charts.Chart` into a ``<figure>`` with an
  inline PNG, its alt text and a caption.
* :func:`table_html` turns a DataFrame into a real ``<table>`` with a caption and
  scoped header cells.
* :func:`callout_html` makes a labelled note, warning or invented-data box.

After papermill has run a notebook, :func:`notebook_to_html` exports its outputs (no
code, and no cell tagged :data:`NOTEBOOK_ONLY_TAG`) with nbconvert's ``basic``
template, checks and repairs them (one ``<h1>``, no skipped heading levels, alt text
on every image, a caption on every table, nothing loaded from elsewhere) and wraps
them in evalkit's page template with the CSS inlined.
:func:`html_to_pdf` prints that page to a tagged A4 PDF with WeasyPrint, using the
same stylesheet's ``@page`` rules for the running header and page numbers.

Pages and PDFs are reproducible: the same notebook gives the same bytes. Nothing on a
page says when it was made unless ``SOURCE_DATE_EPOCH`` is set (:func:`source_date`),
and the PDF's identifier is derived from the page, its dates from the page's
``dcterms`` meta tags (absent unless ``SOURCE_DATE_EPOCH`` is set).

nbconvert, WeasyPrint, Jinja2 and pandas are imported inside the functions that need
them, so importing this module in a notebook costs next to nothing.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import math
import os
import re
import struct
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from evalkit import __version__
from evalkit.atomic import atomic_path, atomic_write_text
from evalkit.config import TEMPLATES_DIR
from evalkit.dates import MONTHS
from evalkit.errors import EvalkitError
from evalkit.names import without_paths
from evalkit.report.fragments import escape as _escape  # one escaping rule for every page
from evalkit.report.navigation import PageLink
from evalkit.spreadsheet import show_controls

if TYPE_CHECKING:
    import jinja2
    import pandas as pd
    from bs4 import BeautifulSoup
    from nbformat import NotebookNode

    from evalkit.report.charts import Chart

__all__ = [
    "NBCONVERT_ALT_PLACEHOLDER",
    "NOTEBOOK_ONLY_TAG",
    "NOTEBOOK_STYLE_CLASS",
    "PageLink",
    "callout_html",
    "figure_html",
    "html_to_pdf",
    "notebook_css",
    "notebook_style_html",
    "notebook_to_html",
    "pdf_identifier",
    "render_index",
    "source_date",
    "table_html",
    "write_html",
]

#: The alt text nbconvert invents for images that have none; treated as missing.
NBCONVERT_ALT_PLACEHOLDER = "No description has been provided"

#: Cells with this tag (notes for readers of the notebook itself) are left off the page.
NOTEBOOK_ONLY_TAG = "notebook-only"

#: Charts are drawn at this resolution: a 7 in figure printed 180 mm wide is 202 ppi,
#: just over the 200 ppi print asks for. Every further dot costs memory in each kernel
#: that prints a pack (the PDF holds the decoded bitmap), so it is no higher.
_PNG_DPI = 205
#: Their ``<img>`` is sized as at 110 dpi (770 CSS px for a 7 in figure), so the screen
#: page is laid out as before and the bitmap is nearly twice as dense (a "2x" screen).
_DISPLAY_DPI = 110
#: Tables with this many columns or more are marked ``wide`` (smaller type in print).
WIDE_TABLE_COLUMNS = 8
#: A cell with a word this long (a hash, a file name) may break it anywhere in print.
LONG_WORD = 24
#: A cell that is one word no longer than this ("Operational", "Significant") is never
#: hyphenated: its column is made wide enough for it instead of "Oper-ation-al".
SHORT_WORD = 12
_CALLOUT_LABELS = {"note": "Note", "warning": "Warning", "invented": "INVENTED SAMPLE DATA"}
_INVENTED_DEFAULT = "this is not a real council's assessment."
_ACTIVE_TAGS = ("script", "iframe", "object", "embed", "link", "base", "meta", "applet", "frame")
_MEDIA_TAGS = ("video", "audio", "source", "track", "picture")
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?(?!data:|#)", re.IGNORECASE)
_CDN_WORDS = re.compile(r"cdnjs|unpkg|jsdelivr|require(\.min)?\.js|mathjax", re.IGNORECASE)
_HEADING = re.compile(r"^h[1-6]$")


#: The reproducible-builds variable that fixes a build's date (seconds since 1970, UTC).
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


# --------------------------------------------------------------------------- small pieces


def source_date() -> str | None:
    """The build date fixed by ``SOURCE_DATE_EPOCH`` (ISO date and time, UTC), else None.

    Packs never print the time they were built (two builds of the same inputs must be
    the same bytes); a reproducible build may pin a date with this variable.

    Raises:
        EvalkitError: the variable is set but is not a whole number of seconds.
    """
    value = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise EvalkitError(
            f"{SOURCE_DATE_EPOCH} must be whole seconds since 1970-01-01 UTC (found {value!r})"
        ) from exc
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def figure_html(chart: Chart, *, figure_id: str | None = None) -> str:
    """Render a chart as a ``<figure>`` with an inline PNG, alt text and caption.

    The PNG is drawn at 205 dpi (over 200 ppi in print) and embedded as a ``data:``
    URL, with the ``width`` and ``height`` of the figure at 110 dpi in CSS pixels. The
    chart's figure is closed afterwards, even on error.

    Args:
        chart: A chart from :mod:`evalkit.report.charts`.
        figure_id: Optional ``id`` for the ``<figure>`` (for links to it).

    Returns:
        The HTML fragment.

    Raises:
        EvalkitError: If the chart has no alt text.
    """
    from evalkit.report.charts import close

    try:
        alt = " ".join(str(chart.alt).split())
        if not alt:
            raise EvalkitError("a chart must have alt text before it goes on a page")
        buffer = _png_bytes(chart)
    finally:
        close(chart)
    width, height = (round(side * _DISPLAY_DPI / _PNG_DPI) for side in _png_size(buffer))
    data = base64.b64encode(buffer).decode("ascii")
    id_attr = f' id="{_escape(figure_id)}"' if figure_id else ""
    caption = f"<figcaption>{_escape(chart.caption)}</figcaption>" if chart.caption else ""
    return (
        f'<figure class="chart"{id_attr}>'
        f'<img src="data:image/png;base64,{data}" alt="{_escape(alt)}" '
        f'width="{width}" height="{height}">{caption}</figure>'
    )


def _png_bytes(chart: Chart) -> bytes:
    """Draw a chart's figure to an opaque PNG, with no timestamp or version metadata.

    The figure is drawn once on an Agg canvas (its layout engine runs inside that draw)
    and the pixels are encoded with Pillow. ``savefig`` would draw a figure that has a
    layout engine twice, once to lay it out and once to paint it; the pixels are the
    same either way.
    """
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    figure = chart.figure
    figure.set_dpi(_PNG_DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buffer, format="png")
    return buffer.getvalue()


def _is_missing(value: Any) -> bool:
    """Return True for None, NaN, NaT and pandas NA (but not for containers)."""
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _format_cell(value: Any, fmt: str | None, missing: str) -> str:
    """Text for one table cell: the given format, else a sensible default."""
    if _is_missing(value):
        return missing
    if fmt:
        return fmt.format(value)
    if (
        isinstance(value, bool)
        or type(value).__module__ == "numpy"
        and type(value).__name__ in ("bool", "bool_")
    ):
        return "Yes" if value else "No"
    if isinstance(value, int) or (hasattr(value, "dtype") and value.dtype.kind in "iu"):
        return f"{value:,}" if abs(int(value)) >= 10_000 else str(value)
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:,.1f}"
    if isinstance(value, date | datetime) or type(value).__name__ == "datetime64":
        from evalkit.dates import date_words

        return date_words(value)
    return str(value)


def _column_label(column: Any) -> str:
    """Header text for a column (tuples from MultiIndex columns joined with ' – ')."""
    if isinstance(column, tuple):
        return " – ".join(str(part) for part in column if str(part))
    return str(column)


def table_html(
    df: pd.DataFrame,
    *,
    caption: str,
    index: bool = False,
    formats: Mapping[str, str] | None = None,
    empty_text: str = "No data recorded.",
    missing_text: str = "—",
) -> str:
    """Render a DataFrame as an accessible table.

    The table has a ``<caption>``, a ``<thead>`` of ``<th scope="col">`` cells, and the
    first column as row headers (``<th scope="row">``). Numeric columns carry the
    ``num`` class (right-aligned). A table of :data:`WIDE_TABLE_COLUMNS` columns or more
    has the ``wide`` class too (smaller type in print), and a cell with a word of
    :data:`LONG_WORD` characters or more the ``long-word`` class (it may break anywhere),
    and a cell with a word like a file name or id the ``literal`` class (never hyphenated).
    All text is HTML-escaped.

    Default formats: booleans "Yes"/"No"; integers as is, with thousands separators
    from 10,000; floats to one decimal place; dates in words ("15 March 2022", any time of
    day left off); missing values as ``missing_text``.

    Args:
        df: The data.
        caption: What the table shows (required, non-empty).
        index: Include the index as the first column(s).
        formats: :meth:`str.format` patterns by column name, e.g. ``{"cost": "£{:,.0f}"}``.
        empty_text: Shown in a single row when there are no rows.
        missing_text: Shown for missing values.

    Returns:
        The HTML fragment.

    Raises:
        EvalkitError: If ``caption`` is empty.
    """
    import pandas as pd

    if not str(caption).strip():
        raise EvalkitError("every table needs a caption")
    frame = df.reset_index() if index else df
    formats = dict(formats or {})
    columns = list(frame.columns)
    numeric = [
        pd.api.types.is_numeric_dtype(frame.iloc[:, j])
        and not pd.api.types.is_bool_dtype(frame.iloc[:, j])
        for j in range(len(columns))
    ]
    head = "".join(
        f'<th scope="col"{_num_class(numeric[j])}>{_escape(_column_label(c))}</th>'
        for j, c in enumerate(columns)
    )
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for j, value in enumerate(values):
            shown = _format_cell(value, formats.get(columns[j]), missing_text)
            text = _escape(shown)
            classes = _cell_class(
                numeric[j],
                long_word=_has_long_word(shown),
                literal=_has_identifier(shown),
                date=_is_date_in_words(shown),
                word=j > 0 and _is_short_word(shown),  # a row's header never hyphenates
            )
            opening = f'th scope="row"{classes}' if j == 0 else f"td{classes}"
            closing = "th" if j == 0 else "td"
            cells.append(f"<{opening}>{text}</{closing}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        span = max(len(columns), 1)
        rows.append(f'<tr><td colspan="{span}" class="empty">{_escape(empty_text)}</td></tr>')
    thead = f"<thead><tr>{head}</tr></thead>" if columns else ""
    wide = " wide" if len(columns) >= WIDE_TABLE_COLUMNS else ""
    return (
        f'<table class="data-table{wide}"><caption>{_escape(caption)}</caption>'
        f"{thead}<tbody>{''.join(rows)}</tbody></table>"
    )


def _num_class(is_numeric: bool) -> str:
    """Return the class attribute that right-aligns numbers."""
    return ' class="num"' if is_numeric else ""


def _has_long_word(text: str) -> bool:
    """True when the text has a word of :data:`LONG_WORD` characters or more."""
    return any(len(word) >= LONG_WORD for word in text.split())


_IDENTIFIER = re.compile(r"(?=\S*[a-z])(?=\S*[._/@:\d])\S+", re.IGNORECASE)


def _has_identifier(text: str) -> bool:
    """True when the text has a word like a file name, code or id (``jrf-members.yaml``)."""
    return _IDENTIFIER.search(text) is not None


_DATE_IN_WORDS = re.compile(r"\d{1,2} (?:" + "|".join(MONTHS) + r") \d{4}")


def _is_date_in_words(text: str) -> bool:
    """True when the text is a date in words ("30 September 2025")."""
    return _DATE_IN_WORDS.fullmatch(text) is not None


def _is_short_word(text: str) -> bool:
    """True when the text is one word, with letters, of at most :data:`SHORT_WORD` characters."""
    return len(text) <= SHORT_WORD and len(text.split()) == 1 and any(c.isalpha() for c in text)


def _cell_class(
    is_numeric: bool,
    *,
    long_word: bool,
    literal: bool = False,
    date: bool = False,
    word: bool = False,
) -> str:
    """The class attribute of a body cell.

    ``num`` right-aligns it, ``long-word`` lets a long word break anywhere, ``literal``
    keeps hyphens from being added to a file name, code or id in it, ``date`` keeps
    a date in words on one line, and ``word`` keeps a short one-word cell whole.
    """
    flags = (
        ("num", is_numeric),
        ("long-word", long_word),
        ("literal", literal),
        ("date", date),
        ("word", word and not is_numeric),
    )
    names = [name for name, on in flags if on]
    return f' class="{" ".join(names)}"' if names else ""


def callout_html(text: str, *, kind: Literal["note", "warning", "invented"] = "note") -> str:
    """Render a labelled box: a note, a warning, or the invented-data banner.

    The kind is stated in words ("Note:", "Warning:", "INVENTED SAMPLE DATA"), never by
    colour alone. For ``kind="invented"``, text that already starts with "INVENTED
    SAMPLE DATA" is not labelled twice, and empty text gets a default explanation.

    The invented-data banner (shown once, under a notebook's title) brings the styles
    that make a notebook's outputs look as on the page (:func:`notebook_style_html`);
    :func:`notebook_to_html` removes them, and the page's own banners have none.

    Args:
        text: The message (escaped unless it is markup, e.g. :class:`markupsafe.Markup`).
        kind: ``"note"``, ``"warning"`` or ``"invented"``.

    Returns:
        The HTML fragment.

    Raises:
        EvalkitError: If ``kind`` is unknown.
    """
    box = _callout(text, kind=kind)
    return box + notebook_style_html() if kind == "invented" else box


def _callout(text: str, *, kind: str) -> str:
    """The labelled box of :func:`callout_html`, with no styles."""
    if kind not in _CALLOUT_LABELS:
        raise EvalkitError(f"unknown callout kind {kind!r}; use one of {sorted(_CALLOUT_LABELS)}")
    label = _CALLOUT_LABELS[kind]
    body = _escape(text).strip()
    if kind == "invented":
        if not body:
            body = _escape(_INVENTED_DEFAULT)
        if str(text).strip().upper().startswith(label):
            inner = (
                f'<strong class="callout-label">{body[: len(label)]}</strong>{body[len(label) :]}'
            )
        else:
            inner = f'<strong class="callout-label">{label}</strong> — {body}'
    else:
        inner = f'<strong class="callout-label">{label}:</strong> {body}'
    return f'<div class="callout callout-{kind}"><p>{inner}</p></div>'


# --------------------------------------------------------------------------- templates


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Return the Jinja2 environment for evalkit's templates (autoescaping on)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def _css() -> str:
    """Return the stylesheet, read once."""
    return (TEMPLATES_DIR / "evalkit.css").read_text(encoding="utf-8")


#: The class of the ``<style>`` a notebook shows its outputs with (never on a built page).
NOTEBOOK_STYLE_CLASS = "evalkit-notebook-styles"
#: The stylesheet's sections that style what sections display (callouts, figures, tables).
_NOTEBOOK_SECTIONS = ("callouts", "figures", "tables")
#: The output areas of JupyterLab and of the classic notebook: styles apply only inside.
_NOTEBOOK_SCOPE = ":is(.jp-RenderedHTMLCommon, .rendered_html)"
_SECTION_MARK = re.compile(r"/\* -{8,} ([^*]+?) \*/")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


@lru_cache(maxsize=1)
def notebook_css() -> str:
    """The stylesheet's rules for callouts, figures and tables, scoped to notebook outputs.

    Taken from ``evalkit.css`` itself (its ``:root`` colours and the sections named in
    :data:`_NOTEBOOK_SECTIONS`), so there is one source of the styles. Every selector is
    put inside :data:`_NOTEBOOK_SCOPE`, which also outranks JupyterLab's own table styles
    (it right-aligns every cell), and nothing outside an output area is touched.
    """
    css = _css()
    marks = list(_SECTION_MARK.finditer(css))
    chosen = [css[: marks[0].start()]] if marks else []  # the :root colours
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        if mark.group(1).strip() in _NOTEBOOK_SECTIONS:
            chosen.append(css[mark.end() : after.start() if after else len(css)])
    rules = []
    for selectors, body in _RULE.findall(_COMMENT.sub("", "".join(chosen))):
        scoped = ", ".join(
            _NOTEBOOK_SCOPE if s.strip() == ":root" else f"{_NOTEBOOK_SCOPE} {s.strip()}"
            for s in selectors.split(",")
        )
        rules.append(f"{scoped} {{{' '.join(body.split())}}}")
    return "\n".join(rules)


def notebook_style_html() -> str:
    """A ``<style>`` that makes a notebook's outputs look as on the page (see :func:`notebook_css`).

    The invented-data banner (:func:`callout_html`, shown once under a notebook's title)
    carries it, and a title may call this for real data, which has no banner;
    :func:`notebook_to_html` removes it, since the built page has the whole stylesheet.
    """
    return f'<style class="{NOTEBOOK_STYLE_CLASS}">\n{notebook_css()}\n</style>'


def _render(template: str, **context: Any) -> str:
    """Render one of evalkit's templates with the shared page variables filled in."""
    from markupsafe import Markup

    notice = context.pop("notice", None)
    values: dict[str, Any] = {
        "lang": "en-GB",
        "version": __version__,
        "generated": None,
        "css": Markup(_css()),
        "notice_html": Markup(_callout(notice, kind="invented")) if notice else None,
        "body": Markup(""),
    }
    values.update(context)
    return _environment().get_template(template).render(**values)


# --------------------------------------------------------------------------- notebook → HTML


def _load_notebook(nb: NotebookNode | str | Path) -> tuple[NotebookNode, Path | None]:
    """Return the notebook node and the folder it came from (None for a node)."""
    if isinstance(nb, str | Path):
        import nbformat

        path = Path(nb)
        return nbformat.read(path, as_version=4), path.parent
    return nb, None


@lru_cache(maxsize=1)
def _quiet_logger() -> logging.Logger:
    """Return a logger for nbconvert that only passes errors (we report missing alt ourselves)."""
    logger = logging.getLogger("evalkit.report.render.nbconvert")
    logger.setLevel(logging.ERROR)
    return logger


@lru_cache(maxsize=1)
def _exporter() -> Any:
    """The HTML exporter from nbconvert, set up once (its templates compile on first use)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {NOTEBOOK_ONLY_TAG}
    return HTMLExporter(
        config=config,
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        log=_quiet_logger(),
    )


def prepare() -> None:
    """Load nbconvert, its templates and the HTML parser now rather than on first use.

    The batch build calls this while its kernels start, so the time is not added to
    the first pack.
    """
    import bs4  # noqa: F401 - imported for its side effect of being loaded

    _exporter()


def _for_readers(output: Mapping[str, Any]) -> bool:
    """Whether a cell output belongs on the page: not stderr (warnings), not an error.

    What a kernel writes to stderr (Python warnings, with the path of the source file
    that raised them) and tracebacks are for operators, never for a published page.
    """
    if output.get("output_type") == "error":
        return False
    return not (output.get("output_type") == "stream" and output.get("name") == "stderr")


def _published(node: NotebookNode) -> NotebookNode:
    """A copy of the notebook holding only outputs for readers (the node is not changed)."""
    from nbformat import NotebookNode as Node

    cells = [
        Node({**cell, "outputs": [o for o in cell["outputs"] if _for_readers(o)]})
        if "outputs" in cell
        else cell
        for cell in node.cells
    ]
    return Node({**node, "cells": cells})


def _export_body(node: NotebookNode, folder: Path | None) -> str:
    """Export a notebook's outputs and markdown (no code, no prompts) as body HTML.

    Cells tagged :data:`NOTEBOOK_ONLY_TAG` are left out, and so are warnings and other
    stderr text and tracebacks (:func:`_for_readers`).
    """
    resources = {"metadata": {"path": str(folder)}} if folder else None
    body, _ = _exporter().from_notebook_node(_published(node), resources=resources)
    return str(body)


def _strip_notebook_styles(soup: BeautifulSoup) -> None:
    """Remove the styles notebooks show their outputs with: the page has its own."""
    for style in soup.find_all("style", class_=NOTEBOOK_STYLE_CLASS):
        style.decompose()


def _strip_active_content(soup: BeautifulSoup) -> None:
    """Remove scripts, embeds, external stylesheets and event handlers."""
    for tag in soup.find_all(list(_ACTIVE_TAGS + _MEDIA_TAGS)):
        tag.decompose()
    for style in soup.find_all("style"):
        if _EXTERNAL_CSS.search(style.get_text()):
            style.decompose()
    for tag in soup.find_all(True):
        for attr in [a for a in tag.attrs if a.lower().startswith("on")]:
            del tag[attr]
        if _EXTERNAL_CSS.search(str(tag.get("style", ""))):
            del tag["style"]
        if str(tag.get("href", "")).strip().lower().startswith("javascript:"):
            del tag["href"]


def _visible(text: str | None) -> str | None:
    """``text`` with control characters shown as escapes (:func:`show_controls`); None kept."""
    return None if text is None else show_controls(text)


def _show_controls(soup: BeautifulSoup) -> None:
    r"""Show every control character in the page's text as a visible escape (``\x1b``).

    Sections escape the text they make; this catches what reaches the page another way
    (a printed line, a markdown cell), so no page holds a raw control character.
    """
    for text in soup.find_all(string=True):
        shown = show_controls(str(text))
        if shown != text:
            text.replace_with(type(text)(shown))  # a <style>'s text stays a stylesheet


def _check_images(soup: BeautifulSoup) -> None:
    """Raise unless every image is inline and has real alt text."""
    no_alt, external = [], []
    for img in soup.find_all("img"):
        alt = " ".join(str(img.get("alt", "")).split())
        if not alt or alt.startswith(NBCONVERT_ALT_PLACEHOLDER):
            no_alt.append(img)
        if not str(img.get("src", "")).startswith("data:"):
            external.append(str(img.get("src", ""))[:80])
    for svg in soup.find_all("svg"):
        if not (svg.get("aria-label") or svg.find("title")):
            no_alt.append(svg)
    if no_alt:
        raise EvalkitError(
            f"{len(no_alt)} image(s) have no alt text. Show charts with "
            "evalkit.report.render.figure_html(chart), set the code cell's metadata "
            '"alt", or give a markdown image a description (![what it shows](file.png)).'
        )
    if external:
        raise EvalkitError(f"image(s) not embedded, so the page is not self-contained: {external}")


def _check_tables(soup: BeautifulSoup) -> None:
    """Raise unless every table has a non-empty caption."""
    bare = [t for t in soup.find_all("table") if not (t.caption and t.caption.get_text(strip=True))]
    if bare:
        raise EvalkitError(
            f"{len(bare)} table(s) have no caption. Show tables with "
            "evalkit.report.render.table_html(df, caption=...) rather than displaying a DataFrame."
        )


def _fix_headings(soup: BeautifulSoup, title: str) -> None:
    """Keep exactly one ``<h1>`` and make heading levels step down one at a time.

    The first ``<h1>`` stays; if there is none, one is made from ``title``. Every other
    heading becomes at least an ``<h2>`` and at most one level below the heading before
    it.
    """
    headings = soup.find_all(_HEADING)
    first_h1 = next((h for h in headings if h.name == "h1"), None)
    if first_h1 is None:
        first_h1 = soup.new_tag("h1")
        first_h1.string = title
        soup.insert(0, first_h1)
    previous = 1
    for heading in headings:
        if heading is first_h1:
            previous = 1
            continue
        level = min(max(int(heading.name[1]), 2), previous + 1)
        heading.name = f"h{level}"
        previous = level


def _assert_self_contained(page: str) -> None:
    """Raise if the page would load anything from anywhere (script, CSS, font, image)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    problems = [f"<{t.name}>" for t in soup.find_all(["script", "link", "iframe", "object"])]
    for tag in soup.find_all(True):
        for attr in ("src", "srcset", "data", "poster"):
            value = str(tag.get(attr, ""))
            if value and not value.startswith("data:"):
                problems.append(f"{tag.name}[{attr}]={value[:60]}")
        if tag.name != "a" and tag.get("href"):
            problems.append(f"{tag.name}[href]")
        href = str(tag.get("href", ""))
        if _CDN_WORDS.search(href) or _CDN_WORDS.search(str(tag.get("style", ""))):
            problems.append(f"{tag.name} refers to a CDN")
    for style in soup.find_all("style"):
        text = style.get_text()
        if _EXTERNAL_CSS.search(text) or _CDN_WORDS.search(text):
            problems.append("<style> loads an external resource")
    if problems:
        raise EvalkitError(f"page is not self-contained: {problems[:10]}")


def notebook_to_html(
    nb: NotebookNode | str | Path,
    *,
    title: str,
    running_header: str,
    lang: str = "en-GB",
    notice: str | None = None,
    masthead_label: str = "Evidence pack",
    date: str | None = None,
    links: Sequence[PageLink] = (),
) -> str:
    """Turn an executed notebook into a self-contained, accessible HTML page.

    Code cells, prompts, cells tagged :data:`NOTEBOOK_ONLY_TAG`, stderr text (warnings)
    and tracebacks are left out; markdown and the other outputs are kept. The result
    has ``<html lang>``, a ``<title>``, a skip link to ``<main id="content">``, exactly
    one ``<h1>`` (the notebook's first ``# heading``), no skipped heading levels, inline
    CSS and images only, and ``notice`` as a banner at the top of ``<main>`` and in the
    footer. :func:`evalkit.report.navigation.add_navigation` adds heading ids, a contents
    list after the ``<h1>``, a glossary of the terms and codes found on the page, and
    tables that scroll on a narrow screen; ``links`` go under the masthead.

    Args:
        nb: An executed notebook, or the path to one.
        title: The page title (``<title>``, and the PDF's title).
        running_header: The partnership's name, shown in the masthead and at the top of
            every PDF page.
        lang: The page language (BCP 47).
        notice: Text for the invented-data banner, if any; not repeated at the top when
            the notebook already shows it, always in the footer and on every PDF page.
        masthead_label: Words before the running header in the masthead.
        date: The page's fixed date (ISO text, e.g. from :func:`source_date`), written to
            its ``dcterms.created`` and ``dcterms.modified`` meta tags (the PDF's dates);
            none when not given, so that the page does not change from build to build.
        links: Related pages and files, each with a relative ``href`` (for a pack: its
            PDF, the index, the overview and its workbook), shown under the masthead on
            screen.

    Returns:
        The page as a string.

    Raises:
        EvalkitError: If an image lacks alt text, a table lacks a caption, or anything
            would be loaded from outside the page.
    """
    from bs4 import BeautifulSoup
    from markupsafe import Markup

    from evalkit.report.glossary import page_glossary
    from evalkit.report.navigation import add_navigation

    title, running_header = show_controls(title), show_controls(running_header)
    masthead_label = show_controls(masthead_label)
    notice = _visible(notice)
    node, folder = _load_notebook(nb)
    soup = BeautifulSoup(_export_body(node, folder), "html.parser")
    _strip_notebook_styles(soup)
    _strip_active_content(soup)
    _show_controls(soup)
    _check_images(soup)
    _check_tables(soup)
    _fix_headings(soup, title)
    add_navigation(soup, page_glossary())
    # A notebook that already shows the notice at its top needs no second banner there.
    shown = bool(notice) and " ".join((notice or "").split()) in " ".join(soup.get_text().split())
    page = _render(
        "page.html.j2",
        lang=lang,
        title=title,
        running_header=running_header,
        notice=notice,
        body=Markup(str(soup)),
        top_banner=not shown,
        masthead_label=masthead_label,
        date=date,
        links=[PageLink(show_controls(link.label), link.href) for link in links],
    )
    _assert_self_contained(page)
    return page


def render_index(
    packs: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str],
    title: str,
    notice: str | None,
    overview_href: str | None,
    generated: str | None,
    data_href: str | None = None,
) -> str:
    """Render ``reports/index.html``: every pack with a link to each of its files.

    Args:
        packs: One mapping per pack with ``id``, ``name``, ``tier``, ``status``,
            ``error`` (text or None; absolute paths in it are cut to their last part),
            ``found`` (what the pack found, in a line, or None), ``alert`` (its
            status needs attention: shown in bold; default: it has an error) and
            ``links``: one ``(label, href)`` pair per column, ``href`` relative or
            None when the pack has no such file.
        columns: The heading of each link column (one per output format).
        title: Page title and heading.
        notice: Text for the invented-data banner, if any.
        overview_href: Link to the portfolio overview, if one was built.
        generated: When the packs were built, as display text.
        data_href: Link to the portfolio's workbook of scores, findings and actions,
            if one was written.

    Returns:
        The page as a string.
    """
    keys = ("id", "name", "tier", "status", "error", "found")
    rows: list[dict[str, Any]] = [{key: pack.get(key) for key in keys} for pack in packs]
    for row, pack in zip(rows, packs, strict=True):
        for key in keys:
            row[key] = _visible(None if row[key] is None else str(row[key]))
        row["name"] = row["name"] or row["id"]
        row["status"] = row["status"] or ("failed" if row["error"] else "unknown")
        row["error"] = without_paths(str(row["error"])) if row["error"] else None
        row["alert"] = bool(pack.get("alert", row["error"]))
        links = list(pack.get("links") or ())[: len(columns)]
        row["links"] = links + [("", None)] * (len(columns) - len(links))
    title, notice = show_controls(title), _visible(notice)
    page = _render(
        "index.html.j2",
        title=title,
        running_header=title,
        notice=notice,
        columns=list(columns),
        packs=rows,
        overview=overview_href,
        data=data_href,
        generated=generated,
    )
    _assert_self_contained(page)
    return page


# --------------------------------------------------------------------------- output files


def write_html(html_text: str, out_path: str | Path) -> Path:
    """Write a page atomically as UTF-8.

    Args:
        html_text: The page.
        out_path: Where to write it.

    Returns:
        The path written.
    """
    return atomic_write_text(out_path, html_text)


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Hide WeasyPrint's warnings (unsupported CSS and the like); errors still show."""
    loggers = [logging.getLogger(name) for name in ("weasyprint", "fontTools")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def pdf_identifier(html_text: str) -> bytes:
    """The PDF's file identifier: derived from the page, so it is the same on every build."""
    return hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:32].encode("ascii")


def html_to_pdf(
    html_text: str, out_path: str | Path, *, base_url: str | Path | None = None
) -> Path:
    """Print a page to a tagged A4 PDF with WeasyPrint, written atomically.

    The PDF's title and language come from the page's ``<title>`` and ``<html lang>``;
    page size, margins, running header and page numbers from the ``@page`` rules in
    evalkit's stylesheet. Only ``data:`` and ``file:`` URLs are fetched, so rendering
    never touches the network. The PDF is reproducible: its identifier is derived from
    the page, and its creation and modification dates come only from the page's
    ``dcterms.created``/``dcterms.modified`` meta tags, so the same page gives the same
    bytes.

    Args:
        html_text: A page from :func:`notebook_to_html` (or any HTML).
        out_path: Where to write the PDF.
        base_url: Base for relative URLs in the page, if it has any.

    Returns:
        The path written.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data", "file"})
    out = Path(out_path)
    with _quiet_weasyprint(), atomic_path(out) as tmp:
        page = HTML(string=html_text, base_url=base_url, url_fetcher=fetcher)
        page.write_pdf(tmp, pdf_tags=True, pdf_identifier=pdf_identifier(html_text))
    return out
