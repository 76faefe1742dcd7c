"""Change since the last round: a sentence per reliable change, the rest said plainly.

Reads the pack's rows of ``changes.csv`` (:mod:`evalkit.method.change`): each framework
dimension of this round set against the partnership's previous scored round. A change
is stated only where it was called "improved" or "declined"; every other dimension is
named as showing no reliable change, with the reason. The table of both rounds goes to
the appendix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.change import DECLINED, IMPROVED, SAME_ORGANISATIONS
from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import and_list, bullets, heading, in_framework_order, para
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, appendix, downloads
from evalkit.report.render import table_html

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

TITLE = "Change since the last round"

#: Columns of the appendix table of both rounds.
TABLE_COLUMNS = [
    "dimension_title",
    "previous_score",
    "previous_n",
    "score",
    "n",
    "panel_respondents",
    "panel_organisations",
    "pairing",
    "joined",
    "left",
    "change",
    "call",
    "reason",
]
FORMATS = {
    "Score then": "{:.2f}",
    "Score now": "{:.2f}",
    "Change (same people)": "{:+.2f}",
}
RULE_TEXT = (
    "A change is called only when it is reliable. For a survey, only the people who "
    "answered in both rounds are compared (or, when people cannot be matched between "
    "rounds, the organisations that did), and there must be at least {people} of them from "
    "at least {orgs} organisations. The change must be at least an eighth of the scale "
    "(half a point on a 1 to 5 scale) or move the score into another published band."
)


def html(pack: Pack) -> str:
    """The section: what changed since the previous round, framework by framework."""
    rows = pack.scores.get("changes", pd.DataFrame())
    out = anchors.section_heading(2, TITLE, anchors.CHANGE)
    if rows.empty:
        return out + para(
            "No framework was scored for this partnership both in this round and in an "
            "earlier one, so there is nothing to compare yet."
        )
    previous = and_list(sorted({str(r) for r in rows["previous_round"]}))
    rule = RULE_TEXT.format(
        people=pack.scoring.min_respondents, orgs=pack.scoring.min_organisations
    )
    out += para(f"Each framework's results in {pack.assessment_round} against {previous}. {rule}")
    order = in_framework_order(rows["framework_id"])
    trends = {framework_id: trend_html(pack, framework_id) for framework_id in order}
    out += print_table(pack, rows, trends=any(trends.values()))
    for framework_id in order:
        fw = pack.frameworks.get(framework_id)
        title = fw.title if fw else framework_id
        group = rows[rows["framework_id"] == framework_id]
        label = fw.dimension_label if fw else "dimension"
        moved = changed(group)
        details = (bullets(moved) if moved else "") + "".join(
            para(s) for s in unchanged(group, label)
        )
        # The screen says each framework's count, then a sentence per dimension and the
        # trend chart; print has the counts in one table (print_table).
        out += '<div class="screen-only">' + heading(3, title) + para(summary(group, label))
        out += f'<div class="change-details">{details}</div>{trends[framework_id]}</div>'
    table = rows.assign(
        call=rows["call"].str.capitalize(), reason=rows["reason"].astype("object").fillna("")
    )
    return out + appendix.table(
        pack,
        labelled(table, "changes", ["framework_id", *TABLE_COLUMNS], {"framework_id": "Framework"}),
        section=TITLE,
        name="change-since-last-round",
        caption="Each dimension in both rounds, with the people who answered both",
        formats=FORMATS,
    )


@dataclass(frozen=True)
class Counts:
    """One framework's dimensions compared with the last round, counted by the call on each.

    Attributes:
        compared: dimensions in both rounds.
        improved: dimensions that reliably improved.
        declined: dimensions that reliably declined.
    """

    compared: int
    improved: int
    declined: int

    @property
    def unchanged(self) -> int:
        """Dimensions with no reliable change (whatever the reason)."""
        return self.compared - self.improved - self.declined


def counts(rows: pd.DataFrame) -> Counts:
    """One framework's rows of ``changes.csv`` counted by the call on each."""
    return Counts(
        len(rows), int((rows["call"] == IMPROVED).sum()), int((rows["call"] == DECLINED).sum())
    )


#: The printed table's column headings.
PRINT_COLUMNS = ["Framework", "Areas compared", "Improved", "Declined", "No reliable change"]


def print_frame(pack: Pack, rows: pd.DataFrame) -> pd.DataFrame:
    """One row a framework: its dimensions compared, improved, declined and unchanged."""
    out = []
    for framework_id in in_framework_order(rows["framework_id"]):
        fw = pack.frameworks.get(framework_id)
        c = counts(rows[rows["framework_id"] == framework_id])
        name = fw.name if fw else framework_id
        out.append((name, c.compared, c.improved, c.declined, c.unchanged))
    return pd.DataFrame(out, columns=PRINT_COLUMNS)


def print_table(pack: Pack, rows: pd.DataFrame, *, trends: bool = False) -> str:
    """The printed pack's change section: the counts of each framework in one table.

    The same counts as each framework's sentence on screen (:func:`summary`); the
    sentence per dimension and the trend charts (``trends``: there are some) are on
    the web page and the table of both rounds in the downloads, which the table's
    closing line says.
    """
    table = table_html(
        print_frame(pack, rows),
        caption="Areas of each framework compared with the last round, counted by change",
    )
    return (
        '<div class="print-only">'
        + table
        + para(
            "The web version names each reliable change with both scores and their bases"
            + (" and draws each framework's scores round by round" if trends else "")
            + "; the downloads hold both rounds."
        )
        + "</div>"
    )


#: The fewest rounds a trend chart is drawn for.
TREND_ROUNDS = 3


def trend_html(pack: Pack, framework_id: str) -> str:
    """A small trend chart of a framework's dimensions, once it has three rounds or more.

    Only the published dimension scores of the rounds up to the pack's are drawn.
    """
    dims = pack.folder.scores(pack.partnership_id, evidence=False)["dimension_scores"]
    if dims.empty:
        return ""
    dims = dims[
        (dims["framework_id"] == framework_id)
        & (dims["round"].astype(str) <= pack.assessment_round)
    ]
    rounds = sorted({str(r) for r in dims["round"]})
    if len(rounds) < TREND_ROUNDS:
        return ""
    fw = pack.frameworks.get(framework_id)
    name = fw.name if fw else framework_id
    label = fw.dimension_label if fw else "dimension"
    frame = dims.assign(round=dims["round"].astype(str))
    chart = charts.trend_chart(
        frame,
        category="dimension_title",
        period="round",
        value="score",
        scale_min=float(frame["scale_min"].iloc[0]),
        scale_max=float(frame["scale_max"].iloc[0]),
        title=f"{name}: score by {label}, {rounds[0]} to {rounds[-1]}",
    )
    data = labelled(
        frame.sort_values("round", kind="stable"),
        "dimension_scores",
        ["round", "dimension_title", "score", "n_respondents"],
        {"round": "Round"},
    )
    return anchors.compact(downloads.figure(pack, chart, data=f"trend-{framework_id}", frame=data))


def sentences(rows: pd.DataFrame, dimension_label: str = "dimension") -> list[str]:
    """One framework's sentences: one per reliable change, then the rest by reason."""
    return changed(rows) + unchanged(rows, dimension_label)


def summary(rows: pd.DataFrame, dimension_label: str = "dimension") -> str:
    """One framework's changes counted, the sentence print keeps.

    For example: "Of its 6 principles, 2 improved and 4 show no reliable change." Every
    dimension compared is counted once.
    """
    c = counts(rows)
    n, improved, declined, rest = c.compared, c.improved, c.declined, c.unchanged
    if n == 1:
        verb = "improved" if improved else ("declined" if declined else "")
        if verb:
            return f"Its one {dimension_label} {verb}."
        return f"No reliable change in its one {dimension_label}."
    for count, verb in ((improved, "improved"), (declined, "declined")):
        if count == n:
            return f"All {plural(n, dimension_label)} {verb}."
    if rest == n:
        return f"No reliable change in any of its {plural(n, dimension_label)}."
    parts = [
        f"{count} {words}"
        for count, words in (
            (improved, "improved"),
            (declined, "declined"),
            (rest, "shows no reliable change" if rest == 1 else "show no reliable change"),
        )
        if count
    ]
    return f"Of its {plural(n, dimension_label)}, {and_list(parts)}."


def changed(rows: pd.DataFrame) -> list[str]:
    """A sentence per reliable change, in the framework's order."""
    return [_changed(row) for _, row in rows.iterrows() if row["call"] in (IMPROVED, DECLINED)]


def unchanged(rows: pd.DataFrame, dimension_label: str = "dimension") -> list[str]:
    """The dimensions with no reliable change, one sentence for each reason."""
    rest = rows[~rows["call"].isin([IMPROVED, DECLINED])]
    out: list[str] = []
    for reason, group in rest.groupby(rest["reason"].astype("object").fillna(""), sort=False):
        why = f" ({reason})" if reason else ""
        if len(group) == len(rows) and len(rows) > 1:
            areas = plural(len(rows), dimension_label)
            out.append(f"No reliable change in any of its {areas}{why}.")
        else:
            names = and_list([str(t) for t in group["dimension_title"]])
            out.append(f"No reliable change in {names}{why}.")
    return out


def _band_move(row: pd.Series) -> str:
    """The band move (", from Concern to Borderline,"), or nothing when no band was crossed."""
    before, after = row.get("previous_band"), row.get("band")
    if not isinstance(before, str) or not isinstance(after, str) or not before or not after:
        return ""
    return "" if before == after else f", from {before} to {after},"


def _changed(row: pd.Series) -> str:
    """A reliable change: its direction, both scores and their n."""
    verb = "improved" if row["call"] == IMPROVED else "declined"
    verb += _band_move(row)
    then, now = str(row["previous_round"]), str(row["round"])
    if row["mode"] == "survey":
        people = plural(int(row["panel_respondents"]), "person", "people")
        orgs = plural(int(row["panel_organisations"]), "organisation")
        among = (
            f"across the {orgs} that answered in both rounds ({people} or more each round)"
            if row.get("pairing") == SAME_ORGANISATIONS
            else f"among the {people} from {orgs} who answered in both rounds"
        )
        return (
            f"{row['dimension_title']} {verb} from {row['panel_previous']:.2f} to "
            f"{row['panel_score']:.2f} ({row['change']:+.2f}) {among}; all answers: "
            f"{row['previous_score']:.2f} from {plural(int(row['previous_n']), 'respondent')} "
            f"in {then} and {row['score']:.2f} from {int(row['n'])} in {now}."
        )
    before, after = int(row["previous_n"]), int(row["n"])
    rated = (
        f"{plural(after, 'statement')} rated in each round"
        if before == after
        else f"{plural(before, 'statement')} rated in {then} and {after} in {now}"
    )
    return (
        f"{row['dimension_title']} {verb} from {row['previous_score']:.2f} to "
        f"{row['score']:.2f} ({row['change']:+.2f}), with {rated}."
    )
