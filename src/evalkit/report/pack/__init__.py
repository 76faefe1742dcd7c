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
cover``), not with the package: the build's main process reads ``summary.json`` files
and hashes the code with :mod:`headline` and :mod:`provenance` and never draws a chart,
so it does not load matplotlib.
"""

from evalkit.report.pack.evidence import Pack, load_pack

__all__ = ["Pack", "load_pack"]
