"""The portfolio overview: the partnership landscape and cross-partnership comparison.

Used by ``notebooks/portfolio_overview.ipynb``: :func:`load_overview` reads the scored
folder into an :class:`Overview`, and each section module has one function that turns
it into HTML, in the order the notebook shows them:

:mod:`.title`, :mod:`.landscape`, :mod:`.network`, :mod:`.money`, :mod:`.reviews`,
:mod:`.comparison`, :mod:`.benchmark`, :mod:`.findings`, :mod:`.provenance`, then
:mod:`.downloads` (the portfolio's workbook of scores, findings and actions).

Comparisons are made dimension by dimension; frameworks whose sources forbid totals
are never added up.
"""

from evalkit.report.overview import (
    benchmark,
    comparison,
    downloads,
    findings,
    landscape,
    money,
    network,
    provenance,
    reviews,
    title,
)
from evalkit.report.overview.portfolio import Overview, load_overview

__all__ = [
    "Overview",
    "benchmark",
    "comparison",
    "downloads",
    "findings",
    "landscape",
    "load_overview",
    "money",
    "network",
    "provenance",
    "reviews",
    "title",
]
