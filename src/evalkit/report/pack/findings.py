"""Findings from the rules, each linked to its evidence, and the action plan that answers them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.dates import date_words
from evalkit.method.rules import plural
from evalkit.report.fragments import SEVERITY_WORDS, escape, para
from evalkit.report.labels import labelled
from evalkit.report.pack import anchors, downloads

if TYPE_CHECKING:
    from evalkit.report.pack.evidence import Pack

#: The heading of the findings table's last column: the section each finding rests on.
EVIDENCE = "Evidence"
#: The heading of the action plan's date column.
DUE = "Due by"
_LAST_CELL = re.compile(r"(<td[^>]*>)([^<]*)(</td></tr>)")
#: A table row whose first cell (the priority) says "Low".
_LOW_ROW = re.compile(r'<tr>(<th scope="row"[^>]*>Low</th>)')
#: The statuses of last round's actions a committee no longer needs to follow.
CLOSED = ("done", "dropped")


def html(pack: Pack) -> str:
    """Findings (each linking to the section it rests on) and the action plan."""
    f = pack.findings()
    actions = pack.scores["actions"]
    out = anchors.section_heading(2, "Findings and action plan", anchors.FINDINGS)
    if f.empty:
        return out + para("The rules found nothing to act on.")
    out += para(
        "Findings come from fixed rules applied to the scores and register facts "
        "(see docs/scoring.md); each has a stable code so it can be tracked between "
        "rounds. High priority means act now; the last column links to the section the "
        "finding rests on."
    )
    where = [evidence_section(pack, r.code, r.framework_id) for r in _rows(f)]
    columns = ["severity", "code", "message"]
    marks = f.get("since_last_round", pd.Series(dtype="object")).astype("object")
    carried = bool(marks.fillna("").astype(str).ne("").any())
    if carried:
        columns.append("since_last_round")
    table = labelled(
        f.assign(severity=f["severity"].map(SEVERITY_WORDS)),
        "findings",
        columns,
    ).assign(**{EVIDENCE: [title for _, title in where]})
    low = int((f["severity"] == "low").sum())
    short = 0 < low < len(f)
    if short:
        out += print_note(len(f) - low, low)
    found = _linked(downloads.table(pack, table, name="findings", caption=FINDINGS_CAPTION), where)
    out += _printed_close(_screen_only_low(found) if short else found)
    out += resolved_html(pack) if carried else ""
    out += progress_html(pack)
    if len(actions):
        out += anchors.section_heading(3, "Action plan", anchors.ACTIONS)
        plan = downloads.table(
            pack,
            action_plan(actions),
            name="action-plan",
            caption="Action plan (one row an action, with the findings it answers)",
        )
        out += _printed_close(_screen_only_low(plan) if short else plan)
    return out


def resolved_html(pack: Pack) -> str:
    """The previous round's findings that this round no longer has (``resolved_findings``)."""
    from evalkit.method.carried import previous_round

    scored = pack.folder.scores(pack.partnership_id, evidence=False)
    every = scored["findings"]
    rounds = sorted(pack.scoring.rounds) or sorted({str(r) for r in every["round"]})
    before = previous_round(rounds, pack.assessment_round)
    if before is None:
        return ""
    table = scored.get("resolved_findings", pd.DataFrame())
    gone = (
        table[table["round"].astype(str) == pack.assessment_round]
        if "round" in table
        else table.iloc[0:0]
    )
    if gone.empty:
        return para(f"No finding of {before} has been resolved.")
    names = {fid: fw.name for fid, fw in pack.frameworks.items()}
    codes = sorted(
        {
            f"{c} ({names.get(str(f), f)})" if isinstance(f, str) and f else str(c)
            for c, f in zip(gone["code"], gone["framework_id"], strict=True)
        }
    )
    return para(
        f"Resolved since {before}: {plural(len(gone), 'finding')} no longer found: "
        f"{'; '.join(codes)}."
    )


#: Columns of the table of last round's actions.
PROGRESS_COLUMNS = ["priority", "action", "finding", "due_date", "reported", "status"]


def progress_html(pack: Pack) -> str:
    """Last round's actions with their status from the officer's return, if one came."""
    progress = pack.scores.get("action_progress", pd.DataFrame())
    if progress.empty:
        return ""
    before = str(progress["previous_round"].iloc[0])
    counts = progress["status"].value_counts()
    parts = [
        f"{int(counts[s])} {s}"
        for s in ("done", "in progress", "not started", "overdue", "dropped", "not reported")
        if s in counts
    ]
    out = anchors.section_heading(3, f"Actions from {before}", anchors.ACTION_PROGRESS)
    out += para(
        f"The officer's return gave the status of the {plural(len(progress), 'action')} "
        f"set in {before}: {', '.join(parts)}. An action is overdue when its due date "
        "passed before the end of this round and it is not done or dropped."
    )
    shown = progress.assign(
        priority=progress["priority"].map(SEVERITY_WORDS),
        due_date=[date_words(d) if isinstance(d, str) and d else "" for d in progress["due_date"]],
    )
    table = downloads.table(
        pack,
        labelled(shown, "action_progress", PROGRESS_COLUMNS),
        name="action-progress",
        caption=f"Actions set in {before} and where they stand",
    )
    # Print follows what is still open and matters: actions not done or dropped, of high
    # or medium priority, and any overdue; the rest stay on screen and in the downloads.
    status, priority = progress["status"].astype(str), progress["priority"].astype(str)
    followed = ~status.isin(CLOSED) & ((priority != "low") | (status == "overdue"))
    kept, rest = int(followed.sum()), len(progress) - int(followed.sum())
    if kept == 0:
        out += (
            '<p class="print-only">None of them is still open at high or medium priority or '
            "overdue; the list is on the web page and in the downloads.</p>"
        )
        table = f'<div class="screen-only">{table}</div>'
    elif rest:
        out += (
            '<p class="print-only">This printed list shows the '
            f"{plural(kept, 'action')} not yet done that {'is' if kept == 1 else 'are'} "
            f"high or medium priority or overdue; the other {rest} (done, dropped or low "
            f"priority) {'is' if rest == 1 else 'are'} on the web page and in the downloads.</p>"
        )
        table = _screen_only_rows(table, list(followed))
    return out + table


def print_note(serious: int, low: int) -> str:
    """The printed pack's note that it lists only the high and medium priority findings.

    A committee acts on high and medium priority findings; the low priority ones (a
    record to keep, a document to refresh) stay on the web page and in the downloads,
    as do the actions that answer them. The note is shown in print only.
    """
    them = "it" if serious == 1 else "them"
    their = "its" if low == 1 else "their"
    return (
        '<p class="print-only">This printed list shows the '
        f"{plural(serious, 'high or medium priority finding')} and the actions that answer "
        f"{them}; {plural(low, 'low priority finding')} and {their} actions are on the web "
        "page and in the downloads.</p>"
    )


def _screen_only_rows(table: str, printed: list[bool]) -> str:
    """The table with each body row not to be printed marked ``screen-only`` (in order)."""
    head, _, body = table.partition("<tbody>")
    rows = iter(printed)
    marked = re.sub(
        r"<tr>", lambda m: m.group(0) if next(rows, True) else '<tr class="screen-only">', body
    )
    return f"{head}<tbody>{marked}"


def _screen_only_low(table: str) -> str:
    """The table with each low priority row marked to be left out of print."""
    return _LOW_ROW.sub(r'<tr class="screen-only">\1', table)


def _printed_close(table: str) -> str:
    """The findings table or action plan, marked to print in slightly smaller type.

    Both are the longest tables of a printed pack; ``.findings-table`` in the stylesheet
    sets them at 9 pt, and finding codes break only at their own hyphens.
    """
    return f'<div class="findings-table">{table}</div>'


FINDINGS_CAPTION = "Findings, most serious first"


def _rows(f: pd.DataFrame) -> list[pd.Series]:
    framework = f["framework_id"] if "framework_id" in f else pd.Series(None, index=f.index)
    return [
        pd.Series({"code": c, "framework_id": fid})
        for c, fid in zip(f["code"], framework, strict=True)
    ]


def evidence_section(pack: Pack, code: str, framework_id: object) -> tuple[str, str]:
    """The id and title of the section a finding rests on."""
    fid = framework_id if isinstance(framework_id, str) and framework_id else None
    if fid is not None and fid in pack.frameworks:
        fw = pack.frameworks[fid]
        return anchors.framework_anchor(fid), fw.short_title or fw.title
    anchor = anchors.evidence_anchor(code, None)
    return anchor, anchors.SECTION_TITLES[anchor]


def _linked(table: str, where: list[tuple[str, str]]) -> str:
    """The findings table with each row's last cell a link to its section."""
    targets = iter(where)

    def link(match: re.Match[str]) -> str:
        anchor, _ = next(targets)
        return f'{match.group(1)}<a href="#{escape(anchor)}">{match.group(2)}</a>{match.group(3)}'

    return _LAST_CELL.sub(link, table, count=len(where))


def action_plan(actions: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct action (same priority, wording, owner and due date).

    Several findings often call for the same action (say, recording the evidence behind
    each rating); listing it once, with the findings it answers, reads as a plan. The
    due date is written in words ("30 June 2025"); scores without one show the
    timescale in words instead.
    """
    acts = actions.fillna({"owner": "", "timescale": ""})
    dates = acts["due_date"] if "due_date" in acts else pd.Series(None, index=acts.index)
    acts = acts.assign(
        due=[
            date_words(pd.Timestamp(d)) if isinstance(d, str) and d else str(t)
            for d, t in zip(dates, acts["timescale"], strict=True)
        ]
    )
    keys = ["priority", "action", "owner", "due"]
    plan = acts.groupby(keys, sort=False)["finding"].agg(_answers).reset_index()
    plan["priority"] = plan["priority"].map(SEVERITY_WORDS)
    return labelled(
        plan, "actions", ["priority", "action", "finding", "owner", "due"], {"due": DUE}
    )


def _answers(codes: pd.Series) -> str:
    """Finding codes in first-seen order, each with how many times it occurs if more than once."""
    counts = codes.value_counts(sort=False)
    return ", ".join(f"{code} ×{n}" if n > 1 else str(code) for code, n in counts.items())
