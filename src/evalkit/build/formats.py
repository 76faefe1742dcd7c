"""The output formats a pack is written in: one registry the build, manifest and index use.

Every pack's executed notebook (``.ipynb``) is always written, and its page (the
notebook as self-contained HTML) is always rendered. Each format in :data:`FORMATS`
then makes one more file from those two. A format says where its file goes, how it is
made, and whether it is made in the pack's kernel (slow work such as printing a PDF,
spread over the kernels) or in the main process. Adding a format is one entry here and
its function; the build, ``manifest.json`` and ``index.html`` loop over the registry.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from evalkit.atomic import atomic_path
from evalkit.errors import BuildError


@dataclass(frozen=True)
class Sources:
    """What a format is made from.

    Attributes:
        notebook: the executed notebook, as written.
        page: the notebook rendered as one self-contained HTML page.
    """

    notebook: Path
    page: Path


@dataclass(frozen=True)
class OutputFormat:
    """One kind of output file.

    Attributes:
        name: what ``--formats`` calls it.
        suffix: the file name's ending (``evidence-pack`` + suffix).
        label: the text of the index page's link.
        make: writes the file at the given path from the sources.
        in_kernel: made in the pack's kernel rather than the main process (``make``
            must then be a module-level function, imported there by name).
    """

    name: str
    suffix: str
    label: str
    make: Callable[[Sources, Path], None]
    in_kernel: bool = False

    def __post_init__(self) -> None:
        if self.in_kernel and self.make.__qualname__ != self.make.__name__:
            raise ValueError(f"format {self.name}: a kernel imports make by name")

    def file_name(self, stem: str) -> str:
        """The file this format writes for a notebook named ``stem``."""
        return f"{stem}{self.suffix}"

    @property
    def make_path(self) -> tuple[str, str]:
        """The module and name a kernel imports ``make`` from."""
        return self.make.__module__, self.make.__qualname__


def make_html(sources: Sources, out: Path) -> None:
    """The web page: the rendered page itself."""
    with atomic_path(out) as tmp:
        shutil.copyfile(sources.page, tmp)


def make_pdf(sources: Sources, out: Path) -> None:
    """The PDF: the page printed to tagged A4 by WeasyPrint."""
    from evalkit.report.render import html_to_pdf

    html_to_pdf(sources.page.read_text(encoding="utf-8"), out)


#: Every format, by name, in the order they are made and listed.
FORMATS: dict[str, OutputFormat] = {
    "html": OutputFormat("html", ".html", "HTML", make_html),
    "pdf": OutputFormat("pdf", ".pdf", "PDF", make_pdf, in_kernel=True),
}


def default_formats() -> tuple[str, ...]:
    """Every registered format's name (what a build makes unless told otherwise)."""
    return tuple(FORMATS)


def resolve(names: Iterable[str]) -> tuple[OutputFormat, ...]:
    """The formats asked for, in registry order.

    Raises:
        BuildError: none asked for, or a name not in :data:`FORMATS`.
    """
    names = tuple(names)
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise BuildError(
            f"--formats must be one or more of {','.join(FORMATS)} (got {','.join(names)})"
        )
    return tuple(fmt for name, fmt in FORMATS.items() if name in names)
