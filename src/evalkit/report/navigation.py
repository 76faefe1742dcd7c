"""Ways round a page: heading ids, the contents list, the glossary, tables that scroll.

:func:`add_navigation` is what :func:`evalkit.report.render.notebook_to_html` calls on the
body of every page (packs, the overview, and any other page rendered from a notebook), so
the features need nothing from the sections that make the HTML:

* every ``<h2>`` and ``<h3>`` gets a stable ``id`` from its words (an id a section set is
  kept);
* a contents list (``<nav aria-label="Contents">``) of the ``<h2>`` headings, with the
  ``<h3>`` headings nested, goes just after the page's ``<h1>`` and its banner (screen
  only: the PDF has bookmarks);
* a glossary of the terms and codes found on the page goes at its end, and table headings
  and cells that are exactly a glossary term link to its entry;
* every table sits in a scrolling region with the table's caption as its name, so a
  narrow screen scrolls the table, never the page.

:class:`PageLink` is a link to a related page or file (the pack's PDF, the index, the
overview, the data), shown by the page template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.report.glossary import GlossaryEntry, glossary_html, used_on

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = [
    "CONTENTS_LABEL",
    "PageLink",
    "add_navigation",
    "contents_nav",
    "heading_ids",
    "scrolling_tables",
]

#: The accessible name of the contents list.
CONTENTS_LABEL = "Contents"


@dataclass(frozen=True)
class PageLink:
    """A link from a page to a related page or file.

    Attributes:
        label: the link's words, meaningful on their own ("This pack as a PDF").
        href: where it goes, relative to the page (``evidence-pack.pdf``,
            ``../index.html``).
    """

    label: str
    href: str


def _slug(text: str) -> str:
    """Lower-case words joined by hyphens: the id made from a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "section"


def heading_ids(soup: BeautifulSoup) -> None:
    """Give every ``<h2>`` and ``<h3>`` an id from its words, unique on the page.

    Ids already on the page (a section's own, a figure's) are kept and never reused.
    """
    taken = {str(tag["id"]) for tag in soup.find_all(id=True)}
    for tag in soup.find_all(["h2", "h3"]):
        if tag.get("id"):
            continue
        base = _slug(tag.get_text(" ", strip=True))
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        tag["id"] = candidate
        taken.add(candidate)


def contents_nav(soup: BeautifulSoup) -> Tag | None:
    """The contents list: each ``<h2>`` linked, its ``<h3>`` headings nested under it.

    Returns None when the page has no ``<h2>``. Headings need ids (:func:`heading_ids`).
    """
    nav = soup.new_tag("nav", attrs={"class": "contents", "aria-label": CONTENTS_LABEL})
    title = soup.new_tag("p", attrs={"class": "contents-title"})
    title.string = CONTENTS_LABEL
    top = soup.new_tag("ol")
    current = None
    for tag in soup.find_all(["h2", "h3"]):
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{tag['id']}")
        link.string = tag.get_text(" ", strip=True)
        item.append(link)
        if tag.name == "h2" or current is None:
            top.append(item)
            current = item
            continue
        sub = current.find("ol")
        if sub is None:
            sub = soup.new_tag("ol")
            current.append(sub)
        sub.append(item)
    if not top.contents:
        return None
    nav.append(title)
    nav.append(top)
    return nav


def _after_title(soup: BeautifulSoup) -> Tag | None:
    """The element the contents list follows: the ``<h1>``, or the banner right after it."""
    h1 = soup.find("h1")
    if h1 is None:
        return None
    last = h1
    for sibling in h1.find_next_siblings():
        if "callout-invented" not in (sibling.get("class") or []):
            break
        last = sibling
    return last


def scrolling_tables(soup: BeautifulSoup) -> None:
    """Put every table in a focusable region that scrolls sideways, named by its caption.

    A table wider than a phone's screen then scrolls inside its region (by touch, or by
    keyboard once the region has focus) and the page itself never does.
    """
    for number, table in enumerate(soup.find_all("table"), start=1):
        parent = table.parent
        if parent is not None and "table-scroll" in (parent.get("class") or []):
            continue
        caption = table.find("caption")
        if caption is not None and not caption.get("id"):
            caption["id"] = f"table-caption-{number}"
        attrs = {"class": "table-scroll", "role": "region", "tabindex": "0"}
        if caption is not None:
            attrs["aria-labelledby"] = str(caption["id"])
        else:
            attrs["aria-label"] = "Table"
        table.wrap(soup.new_tag("div", attrs=attrs))


def _link_terms(soup: BeautifulSoup, entries: Sequence[GlossaryEntry]) -> None:
    """Link table headings and cells that are exactly a glossary term to its entry."""
    exact: dict[str, GlossaryEntry] = {}  # codes, as written
    folded: dict[str, GlossaryEntry] = {}  # terms, whatever their case
    for e in entries:
        if not e.pattern:
            for name in (e.term, *e.match):
                if e.code:
                    exact.setdefault(name, e)
                else:
                    folded.setdefault(name.casefold(), e)
    for cell in soup.find_all(["th", "td"]):
        text = " ".join(cell.get_text(" ").split())
        entry = exact.get(text) or folded.get(text.casefold())
        if entry is None or cell.find(["a", "abbr"]) is not None:
            continue
        link = soup.new_tag("a", href=f"#{entry.anchor}", attrs={"class": "term"})
        for child in list(cell.contents):
            link.append(child.extract())
        cell.append(link)


def _page_text(soup: BeautifulSoup) -> str:
    """The words a reader sees on the page (no stylesheet text)."""
    return " ".join(
        str(text)
        for text in soup.find_all(string=True)
        if text.parent is None or text.parent.name != "style"
    )


def add_navigation(soup: BeautifulSoup, glossary: Sequence[GlossaryEntry]) -> None:
    """Add heading ids, the contents list, the glossary and scrolling tables to a page body.

    Args:
        soup: the page's body (after its headings have been put in order).
        glossary: every entry the page may use; only those found on it are listed.
    """
    from bs4 import BeautifulSoup

    used = used_on(_page_text(soup), glossary)
    if used:
        _link_terms(soup, used)
        soup.append(BeautifulSoup(glossary_html(used), "html.parser"))
    heading_ids(soup)
    scrolling_tables(soup)
    nav = contents_nav(soup)
    anchor = _after_title(soup)
    if nav is None:
        return
    if anchor is None:
        soup.insert(0, nav)
    else:
        anchor.insert_after(nav)
