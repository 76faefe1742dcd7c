"""The overview's single top-level heading, the invented-data banner and the table rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evalkit.report.fragments import heading, para
from evalkit.report.overview.sizing import rule_text
from evalkit.report.render import callout_html

if TYPE_CHECKING:
    from evalkit.report.overview.portfolio import Overview


def title_html(view: Overview) -> str:
    """The ``<h1>`` naming the dataset, the invented-data banner if any, and the table rule."""
    out = heading(1, f"Partnership landscape: {view.dataset.title}")
    if view.notice:
        out += callout_html(view.notice, kind="invented")
    return out + para(rule_text())
