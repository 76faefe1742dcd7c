"""The evidence pack: one partnership's evidence, and one module per section of the pack.

:func:`load_pack` reads a :class:`Pack`; each section module turns it into HTML for the
evidence-pack notebook to display, in this order: the title (:func:`cover.title_html`),
:mod:`main_points`, :mod:`cover` (about this partnership), :mod:`summary`,
:mod:`governance`, :mod:`frameworks` (one section a framework), :mod:`value_for_money`,
:mod:`risk`, :mod:`swot`, :mod:`impact`, :mod:`findings`, :mod:`quality` (with the views
by sector), :mod:`provenance`, the data behind the pack (:mod:`downloads`) and the
:mod:`appendix` of detailed tables (on screen, not in print). Each section is a heading
with a stable id (:mod:`anchors`), a short plain-English reading of the evidence, then
the headline chart (with alt text) or table (with a caption); detailed tables go to the
appendix.

The section modules are imported when first used (``from evalkit.report.pack import
cover``), not with the package, and so are :class:`Pack` and :func:`load_pack`: the
build's main process reads ``summary.json`` files with :mod:`headline` and never loads
a table or draws a chart, so it loads neither pandas nor matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack, load_pack

__all__ = ["Pack", "load_pack"]


def __getattr__(name: str) -> Any:
    """``Pack`` and ``load_pack`` from :mod:`evalkit.report.pack.evidence`, loaded when asked."""
    if name in __all__:
        from evalkit.report.pack import evidence

        return getattr(evidence, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
