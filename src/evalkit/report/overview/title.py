"""The overview's single top-level heading and the invented-data banner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.report.fragments import heading
from evalkit.report.render import callout_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def title_html(view: Overview) -> str:
    """The ``<h1>`` naming the dataset, then the invented-data banner if there is one."""
    out = heading(1, f"Partnership landscape: {view.dataset.title}")
    if view.notice:
        out += callout_html(view.notice, kind="invented")
    return out
