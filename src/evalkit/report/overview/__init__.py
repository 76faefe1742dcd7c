"""The portfolio overview: the partnership landscape and cross-partnership comparison.

Used by ``notebooks/portfolio_overview.ipynb``: :func:`load_overview` reads the scored
folder into an :class:`Overview`, and each section module has one function that turns
it into HTML, in the order the notebook shows them:

:mod:`.title`, :mod:`.main_points` (whose findings points also open the committee cover
report), :mod:`.landscape`, :mod:`.network`, :mod:`.money`, :mod:`.reviews`,
:mod:`.comparison`, :mod:`.benchmark`, :mod:`.findings`, :mod:`.provenance`, then
:mod:`.downloads` (the portfolio's workbook of scores, findings and actions, and the
overview's long tables in full). :mod:`.sizing` holds the rule that keeps the printed
overview the same length whatever the portfolio's size (tables of up to 15 rows in full,
otherwise their first and last ten); :mod:`.figures` the overview's own charts (the score
grid with its colour bar, the partnership × organisation matrix).

Comparisons are made dimension by dimension; frameworks whose sources forbid totals
are never added up.
"""

from evalkit.report.overview import (
    benchmark,
    comparison,
    downloads,
    figures,
    findings,
    landscape,
    main_points,
    money,
    network,
    provenance,
    reviews,
    sizing,
    title,
)
from evalkit.report.overview.portfolio import Overview, load_overview

__all__ = [
    "Overview",
    "benchmark",
    "comparison",
    "downloads",
    "figures",
    "findings",
    "landscape",
    "load_overview",
    "main_points",
    "money",
    "network",
    "provenance",
    "reviews",
    "sizing",
    "title",
]
