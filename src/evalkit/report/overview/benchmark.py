"""Benchmarking: each partnership against the portfolio median, dimension by dimension.

No comparator data from other councils is loaded, so partnerships are benchmarked
against each other within the council.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.report.fragments import heading, para
from evalkit.report.overview.sizing import BENCHMARK_SHEET, long_table_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview

#: Headings of the benchmark table (a summary worked out here, not a contract table).
HEADINGS = {
    "partnership": "Partnership",
    "dimensions": "Dimensions scored",
    "above_median": "Above portfolio median",
    "bottom_quarter": "In bottom quarter",
    "diverged": "Partners disagree",
}


def benchmark_html(view: Overview) -> str:
    """Per partnership: dimensions scored, above the median, in the bottom quarter."""
    d = view.round_dimension_scores()
    out = heading(2, "Benchmarking")
    if d.empty:
        return out + para("No scores yet.")
    out += para(
        "Scores are put on a common 0–100 scale (position between the scale's lowest and "
        "highest point) only to compare each partnership with the portfolio median for "
        "the same dimension. No comparator data from other councils is loaded, so this "
        "benchmarks partnerships against each other within the council."
    )
    return out + long_table_html(
        benchmark_table(view),
        caption="Partnerships against the portfolio, dimension by dimension",
        sheet=BENCHMARK_SHEET,
        first="most dimensions in the bottom quarter",
        last="fewest",
    )


def benchmark_table(view: Overview) -> pd.DataFrame:
    """The benchmark table with its headings (empty when nothing is scored)."""
    d = view.round_dimension_scores()
    if d.empty:
        return pd.DataFrame(columns=list(HEADINGS.values()))
    return _against_portfolio(d).rename(columns=HEADINGS)


def _against_portfolio(d: pd.DataFrame) -> pd.DataFrame:
    """Counts per partnership, the most dimensions in the bottom quarter first."""
    same_dimension = d.groupby(["framework_id", "dimension_id"])["score_pct"]
    d = d if "diverged" in d else d.assign(diverged=False)  # a round of checklists only
    d = d.assign(
        median=same_dimension.transform("median"),
        q1=same_dimension.transform(lambda s: s.quantile(0.25)),
    )
    return (
        d.groupby("partnership", observed=True)
        .agg(
            dimensions=("score_pct", "count"),
            above_median=("score_pct", lambda s: int((s > d.loc[s.index, "median"]).sum())),
            bottom_quarter=("score_pct", lambda s: int((s < d.loc[s.index, "q1"]).sum())),
            diverged=("diverged", lambda s: int(s.fillna(False).astype(bool).sum())),
        )
        .reset_index()
        .sort_values(
            ["bottom_quarter", "above_median", "partnership"], ascending=[False, True, True]
        )
    )
