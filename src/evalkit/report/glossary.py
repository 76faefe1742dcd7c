"""The glossary: every term and code a page uses, explained in plain English.

The terms and finding codes are data (``glossary.yaml`` beside this module, checked when
it is read); the codes of each framework's principles, drivers, factors and so on
(``P1``, ``F01`` ...) come from the framework files. A page lists only the entries whose
words appear on it (:func:`used_on`), as a ``<dl>`` (:func:`glossary_html`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.errors import EvalkitError
from evalkit.yamlfile import load_yaml

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

__all__ = [
    "GLOSSARY_FILE",
    "GLOSSARY_ID",
    "GlossaryEntry",
    "framework_entries",
    "glossary_html",
    "load_glossary",
    "page_glossary",
    "used_on",
]

#: The glossary's data file.
GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary.yaml"
#: The ``id`` of the glossary's heading on a page (links to its entries start with it).
GLOSSARY_ID = "glossary"
_KEYS = {"term", "definition", "match", "pattern", "code"}


@dataclass(frozen=True)
class GlossaryEntry:
    """One term or code and what it means.

    Attributes:
        term: the word or code as a page shows it.
        definition: what it means, in plain English.
        match: the ways a page may write it (whole words).
        pattern: a regular expression used instead of ``match``, if any.
        code: a code (finding or framework code): matched exactly, shown in code type.
    """

    term: str
    definition: str
    match: tuple[str, ...] = ()
    pattern: str | None = None
    code: bool = False

    @property
    def anchor(self) -> str:
        """The ``id`` of the entry on a page: ``glossary-`` and the term in lower case."""
        words = re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")
        return f"{GLOSSARY_ID}-{words or 'term'}"

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        """The expression that finds the entry in a page's text (made once per entry)."""
        if self.pattern:
            return re.compile(self.pattern)
        words = "|".join(re.escape(w) for w in sorted({self.term, *self.match}, key=len)[::-1])
        flags = 0 if self.code else re.IGNORECASE
        return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", flags)

    def found_in(self, text: str) -> bool:
        """Whether the entry's term (or one of its other forms) is in ``text``."""
        return self._regex.search(text) is not None

    def names(self, text: str) -> bool:
        """Whether ``text`` (a table cell or heading) is exactly this term or a form of it."""
        found = self._regex.fullmatch(text.strip())
        return found is not None and not self.pattern


def _problem(path: Path, where: str, what: str) -> EvalkitError:
    """An error naming the file and the entry at fault."""
    return EvalkitError(f"{path.name}: {where}: {what}")


def _entry(path: Path, number: int, raw: object) -> GlossaryEntry:
    """One entry checked: known keys, non-empty text, a valid expression."""
    where = f"entry {number}"
    if not isinstance(raw, Mapping):
        raise _problem(path, where, "must be a mapping with a term and a definition")
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        raise _problem(path, where, f"unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    term, definition = raw.get("term"), raw.get("definition")
    if not isinstance(term, str) or not term.strip():
        raise _problem(path, where, "term must be non-empty text")
    where = f"entry {number} ({term})"
    if not isinstance(definition, str) or not definition.strip():
        raise _problem(path, where, "definition must be non-empty text")
    match = raw.get("match") or []
    if not isinstance(match, list) or not all(isinstance(m, str) and m.strip() for m in match):
        raise _problem(path, where, "match must be a list of non-empty words")
    pattern = raw.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise _problem(path, where, "pattern must be text")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _problem(path, where, f"pattern is not a valid expression ({exc})") from None
    code = raw.get("code", False)
    if not isinstance(code, bool):
        raise _problem(path, where, "code must be true or false")
    return GlossaryEntry(
        " ".join(term.split()), " ".join(definition.split()), tuple(match), pattern, code
    )


def read_glossary(path: Path) -> tuple[GlossaryEntry, ...]:
    """Read and check a glossary file.

    Raises:
        EvalkitError: the file is unreadable, or an entry is malformed or repeated.
    """
    data = load_yaml(path, what="glossary", error=EvalkitError)
    if not isinstance(data, Mapping) or not isinstance(data.get("terms"), list):
        raise EvalkitError(f"{path.name}: must hold a list called 'terms'")
    entries = tuple(_entry(path, n, raw) for n, raw in enumerate(data["terms"], start=1))
    seen: set[str] = set()
    for entry in entries:
        if entry.anchor in seen:
            raise _problem(path, entry.term, "is in the glossary twice")
        seen.add(entry.anchor)
    return entries


@lru_cache(maxsize=1)
def load_glossary() -> tuple[GlossaryEntry, ...]:
    """The shipped glossary (``glossary.yaml``), read once."""
    return read_glossary(GLOSSARY_FILE)


def framework_entries(frameworks: Iterable[Framework]) -> tuple[GlossaryEntry, ...]:
    """One entry per framework for the codes of its dimensions ("P1–P6", "F01–F20")."""
    entries = []
    for fw in frameworks:
        codes = [d.id for d in fw.dimensions]
        label = fw.dimension_label
        many = label if len(codes) == 1 else f"{label}s"
        span = codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]}"
        entries.append(
            GlossaryEntry(
                term=span,
                definition=(
                    f"The codes of the {len(codes)} {many} of the {fw.title}, numbered as "
                    f"in the framework; tables give each {label}'s name beside its code."
                ),
                match=tuple(codes),
                code=True,
            )
        )
    return tuple(entries)


@lru_cache(maxsize=1)
def _shipped_framework_entries() -> tuple[GlossaryEntry, ...]:
    """Entries for the codes of the frameworks evalkit ships and the council's own."""
    from evalkit.config import Settings
    from evalkit.method.framework import framework_dirs, load_frameworks

    return framework_entries(load_frameworks(framework_dirs(Settings())).values())


def page_glossary() -> tuple[GlossaryEntry, ...]:
    """Every entry a page may use: the glossary file's, then the frameworks' codes."""
    return load_glossary() + _shipped_framework_entries()


def used_on(text: str, entries: Sequence[GlossaryEntry]) -> list[GlossaryEntry]:
    """The entries whose term appears in ``text``, in alphabetical order of term."""
    return sorted((e for e in entries if e.found_in(text)), key=lambda e: e.term.casefold())


def glossary_html(entries: Sequence[GlossaryEntry]) -> str:
    """The glossary section: an ``<h2>`` and a ``<dl>`` of the entries (empty for none)."""
    from evalkit.report.fragments import escape

    if not entries:
        return ""
    items = "".join(
        f'<dt id="{e.anchor}">'
        + (f"<code>{escape(e.term)}</code>" if e.code else escape(e.term))
        + f"</dt><dd>{escape(e.definition)}</dd>"
        for e in entries
    )
    return (
        f'<section class="glossary" aria-labelledby="{GLOSSARY_ID}">'
        f'<h2 id="{GLOSSARY_ID}">Glossary</h2>'
        "<p>The terms and codes used on this page.</p>"
        f"<dl>{items}</dl></section>"
    )
