"""Change since the last round: a sentence per reliable change, the rest said plainly.

Reads the pack's rows of ``changes.csv`` (:mod:`evalkit.method.change`): each framework
dimension of this round set against the partnership's previous scored round. A change
is stated only where it was called "improved" or "declined"; every other dimension is
named as showing no reliable change, with the reason. The table of both rounds goes to
the appendix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.change import DECLINED, IMPROVED, SAME_ORGANISATIONS
from evalkit.method.rules import plural
from evalkit.report.fragments import and_list, heading, in_framework_order, para
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, appendix

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
    "A change is called only when it is reliable: for a survey, at least {people} people "
    "from at least {orgs} organisations answered in both rounds, and only their answers "
    "are compared; and the change is at least an eighth of the scale (half a point on a "
    "1 to 5 scale) or moves the score into another published band."
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
    for framework_id in in_framework_order(rows["framework_id"]):
        fw = pack.frameworks.get(framework_id)
        title = fw.title if fw else framework_id
        group = rows[rows["framework_id"] == framework_id]
        label = fw.dimension_label if fw else "dimension"
        out += heading(3, title) + "".join(para(s) for s in sentences(group, label))
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


def sentences(rows: pd.DataFrame, dimension_label: str = "dimension") -> list[str]:
    """One framework's sentences: one per reliable change, then the rest by reason."""
    out = [_changed(row) for _, row in rows.iterrows() if row["call"] in (IMPROVED, DECLINED)]
    rest = rows[~rows["call"].isin([IMPROVED, DECLINED])]
    if rest.empty:
        return out
    every = len(rest) == len(rows)
    for reason, group in rest.groupby(rest["reason"].astype("object").fillna(""), sort=False):
        names = and_list([str(t) for t in group["dimension_title"]])
        why = f" ({reason})" if reason else ""
        if every and len(group) == len(rows) and len(rows) > 1:
            areas = plural(len(rows), dimension_label)
            out.append(f"No reliable change in any of its {areas}{why}.")
        else:
            out.append(f"No reliable change in {names}{why}.")
    return out


def _changed(row: pd.Series) -> str:
    """A reliable change: its direction, both scores and their n."""
    verb = "improved" if row["call"] == IMPROVED else "declined"
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
            f"{row['dimension_title']} {verb}: from {row['panel_previous']:.2f} to "
            f"{row['panel_score']:.2f} ({row['change']:+.2f}) {among}. "
            f"All answers: {row['previous_score']:.2f} "
            f"from {plural(int(row['previous_n']), 'respondent')} in {then}, "
            f"{row['score']:.2f} from {plural(int(row['n']), 'respondent')} in {now}."
        )
    return (
        f"{row['dimension_title']} {verb}: from {row['previous_score']:.2f} in {then} "
        f"({plural(int(row['previous_n']), 'statement')} rated) to {row['score']:.2f} in "
        f"{now} ({plural(int(row['n']), 'statement')} rated), a change of {row['change']:+.2f}."
    )
