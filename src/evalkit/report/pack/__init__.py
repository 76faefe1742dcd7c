"""The evidence pack: one partnership's evidence, and one module per section of the pack.

:func:`load_pack` reads a :class:`Pack`; each section module turns it into HTML for the
evidence-pack notebook to display, in this order: :mod:`cover` (title and cover),
:mod:`summary`, :mod:`governance`, :mod:`frameworks` (one section a framework),
:mod:`value_for_money`, :mod:`risk`, :mod:`swot`, :mod:`impact`, :mod:`findings`,
:mod:`quality` (with the views by sector) and :mod:`provenance`. Each section is a
heading, a short plain-English reading of the evidence, then charts (with alt text) and
tables (with captions).
"""

from evalkit.report.pack import (
    cover,
    findings,
    frameworks,
    governance,
    impact,
    provenance,
    quality,
    risk,
    summary,
    swot,
    value_for_money,
)
from evalkit.report.pack.evidence import Pack, load_pack

__all__ = [
    "Pack",
    "cover",
    "findings",
    "frameworks",
    "governance",
    "impact",
    "load_pack",
    "provenance",
    "quality",
    "risk",
    "summary",
    "swot",
    "value_for_money",
]
