"""A framework's section (reading, chart, table, total) and the views by sector.

Each organisation's view is kept apart in survey frameworks. What a survey shows has
already passed disclosure control (:mod:`evalkit.method.disclosure`): for a survey of
individuals, small organisations are pooled and figures under the floor are blank;
for organisational returns every organisation is shown by name. This section says
which, and exactly what was pooled or suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from evalkit.method.disclosure import ORGANISATIONAL, POOLED_ID
from evalkit.method.rules import plural
from evalkit.report import charts
from evalkit.report.fragments import bullets, escape, heading, para
from evalkit.report.labels import label, labelled
from evalkit.report.pack import anchors, appendix, downloads
from evalkit.report.render import callout_html

if TYPE_CHECKING:
    from evalkit.method.framework import Framework
    from evalkit.report.pack.evidence import Pack

DIMENSIONS = "dimension_scores"
#: A heading names at most this many areas tied for the lowest score; more are counted.
MAX_NAMED_LOWEST = 2
#: Columns of a survey framework's table, and the format of each number shown.
SURVEY_COLUMNS: dict[str, str | None] = {
    "dimension_id": None,
    "dimension_title": None,
    "score": "{:.2f}",
    "min_org": "{:.2f}",
    "max_org": "{:.2f}",
    "sd": "{:.2f}",
    "n_organisations": None,
    "n_respondents": None,
    "diverged": None,
    "council_gap": "{:+.2f}",
}
#: Columns of a checklist framework's table, and the format of each number shown.
CHECKLIST_COLUMNS: dict[str, str | None] = {
    "dimension_id": None,
    "dimension_title": None,
    "score": "{:.2f}",
    "n_items": None,
    "n_missing": None,
    "n_no_evidence": None,
}


def html(pack: Pack, framework_id: str) -> str:
    """A framework's section: reading, chart and table; each organisation kept apart."""
    fw = pack.frameworks[framework_id]
    d = pack.dims(framework_id)
    out = anchors.section_heading(2, headline(fw, d), anchors.framework_anchor(fw.id))
    out += f'<p class="framework-name">Framework: {escape(fw.title)}</p>'
    if fw.label:
        out += notes_html([fw.label])
    if d.empty:
        return out + para("No answers were recorded for this framework in this round.")
    if fw.reconstructed:
        out += notes_html([fw.wording_note])
    out += para(_reading(fw, d))
    if fw.mode == "survey":
        out += disclosure_html(pack, fw, d)
        chart, data, title = _profile_chart(pack, framework_id, d)
        out += downloads.figure(pack, chart, data=f"{fw.id}-by-group", frame=data, title=title)
        out += _total(pack, framework_id)
        return out + _dimension_table(pack, fw, d, SURVEY_COLUMNS)
    out += downloads.figure(pack, _bar_chart(fw, d), data=fw.id)
    out += _total(pack, framework_id)
    return out + _dimension_table(pack, fw, d, CHECKLIST_COLUMNS, {"score": "Mean rating"})


def notes_html(notes: list[str]) -> str:
    """A framework's notes, on screen under its heading.

    Print says them once for every framework, in Data quality and caveats
    (:func:`print_notes`), so the notes are left out of each framework's printed section.
    """
    return (
        '<div class="screen-only">'
        + "".join(callout_html(n, kind="note") for n in notes)
        + "</div>"
    )


def print_notes(pack: Pack) -> str:
    """The frameworks' notes said once, for print: each caveat, then the wording in brief.

    For example: "LGA drivers: Evidence rating on evalkit's own 0–3 scale." for each
    framework with a caveat, then one sentence counting the frameworks whose scores rest
    wholly or partly on statements evalkit wrote (the summary table gives each one's
    count; each framework's section on the web page says which). '' when there is
    nothing to say.
    """
    shown = [pack.frameworks[fid] for fid in pack.frameworks_present()]
    caveats = [f"{fw.name}: {fw.label}" for fw in shown if fw.label]
    rebuilt = [fw for fw in shown if fw.reconstructed]
    if not (caveats or rebuilt):
        return ""
    items = list(caveats)
    if rebuilt:
        if len(shown) == 1:
            who = "The framework here uses"
        elif len(rebuilt) == len(shown):
            who = f"All {len(shown)} frameworks here use"
        else:
            who = f"{len(rebuilt)} of the {len(shown)} frameworks here use"
        items.append(
            f"{who} statements written by evalkit, not taken from the source; the summary "
            "table counts them."
        )
    return (
        '<div class="print-only">'
        + para("Notes on the frameworks (on the web page, each is under its framework):")
        + bullets(items)
        + "</div>"
    )


def headline(fw: Framework, d: pd.DataFrame) -> str:
    """A heading that says what was found: the framework's name and its lowest-rated area.

    "Nuffield PAT: partners rate Governance lowest of 6 principles" (a survey);
    "LGA drivers: Leadership rated lowest of 8 drivers" (a checklist). Two areas tied for
    lowest (to two decimal places, as the table shows them) are both named; more than
    two are counted ("3 of 8 drivers share the lowest rating, 1.0").
    """
    name = fw.short_title or fw.title
    scored = d.dropna(subset=["score"]) if len(d) else d
    if scored.empty:
        return f"{name}: no scores can be shown"
    if len(scored) == 1:
        only = scored.iloc[0]
        return f"{name}: {only['dimension_title']} scored {only['score']:.1f}"
    shown = scored["score"].astype(float).round(2)
    lowest = scored[shown == shown.min()]
    out_of = plural(len(scored), fw.dimension_label)
    if len(lowest) == len(scored):
        return f"{name}: all {out_of} scored the same ({shown.min():.1f})"
    if len(lowest) > MAX_NAMED_LOWEST:
        return f"{name}: {len(lowest)} of {out_of} share the lowest score ({shown.min():.1f})"
    titles = " and ".join(str(t) for t in lowest["dimension_title"])
    if fw.mode == "survey":
        return f"{name}: partners rate {titles} lowest of {out_of}"
    return f"{name}: {titles} rated lowest of {out_of}"


def _reading(fw: Framework, d: pd.DataFrame) -> str:
    scored = d.dropna(subset=["score"]).sort_values("score", kind="stable")
    if scored.empty:
        text = f"No {fw.dimension_label} has a score that can be shown."
    else:
        low, high = scored.iloc[0], scored.iloc[-1]
        text = (
            f"Strongest {fw.dimension_label}: {high['dimension_title']} "
            f"({high['score']:.1f}); weakest: {low['dimension_title']} ({low['score']:.1f}), "
            f"on a {fw.scale_def.min:g}–{fw.scale_def.max:g} scale."
        )
    if fw.mode == "survey":
        diverged = d[d["diverged"].fillna(False).astype(bool)]
        if len(diverged):
            names = ", ".join(diverged["dimension_title"])
            text += f" Organisations are on opposite sides of the agree line on: {names}."
        else:
            text += " No organisations sit on opposite sides of the agree line."
        n_orgs = int(d["n_organisations"].max())
        text += f" {n_orgs} organisations answered; each organisation's view counts once."
    if not fw.bands:
        text += " The source publishes no score bands, so none are applied."
    return text


def disclosure_html(pack: Pack, fw: Framework, d: pd.DataFrame) -> str:
    """What disclosure control did, said in full unless print has said it already.

    When an earlier survey framework of the pack has word for word the same paragraph,
    print refers back to it ("Disclosure control as for the Nuffield PAT above.") and
    the screen keeps the paragraph.
    """
    text = _disclosure(pack, fw, d)
    for earlier in pack.frameworks_present():
        if earlier == fw.id:
            break
        before = pack.frameworks[earlier]
        if before.mode == "survey" and _disclosure(pack, before, pack.dims(earlier)) == text:
            return (
                f'<div class="screen-only">{para(text)}</div>'
                f'<p class="print-only">As for the {escape(before.name)} above: the same '
                "disclosure control applies to these answers.</p>"
            )
    return para(text)


def _kind(d: pd.DataFrame) -> str:
    """The evidence kind of a survey framework's answers (individual unless stated)."""
    kinds = d.get("evidence_kind", pd.Series(dtype=object)).dropna()
    return str(kinds.iloc[0]) if len(kinds) else "individual"


def _groups(pack: Pack, framework_id: str) -> pd.DataFrame:
    """The published groups of a survey framework in the pack's round, with names."""
    orgs = pack.scores["organisation_scores"]
    if orgs.empty:
        return pd.DataFrame(columns=["organisation_id", "dimension_id", "score", "group_name"])
    orgs = orgs[
        (orgs["framework_id"] == framework_id)
        & (orgs["round"].astype(str) == pack.assessment_round)
    ].copy()
    names = orgs["organisation_id"].map(pack.org_names())
    if "group_name" in orgs:
        pooled = orgs["organisation_id"] == POOLED_ID
        names = names.where(~pooled, orgs["group_name"])
    orgs["group_name"] = names.fillna(orgs["organisation_id"])
    return orgs


def _disclosure(pack: Pack, fw: Framework, d: pd.DataFrame) -> str:
    """What kind of evidence this is and exactly what disclosure control did to it."""
    if _kind(d) == ORGANISATIONAL:
        return (
            "These answers are official organisational positions: each organisation made "
            "one agreed return, so each organisation's view is shown by name."
        )
    floor = pack.scoring.min_cell_size
    text = (
        "These answers come from a survey of individuals, so no figure here rests on "
        f"fewer than {floor} respondents."
    )
    groups = _groups(pack, fw.id)
    pooled = groups[groups["organisation_id"] == POOLED_ID]
    if len(pooled):
        text += (
            f" Organisations with fewer than {floor} respondents are not shown by name: "
            f"they are shown together as “{pooled['group_name'].iloc[0]}”, which a larger "
            "organisation joins when that is needed to stop a small one being worked out "
            "from the other figures. Lowest, highest, spread and disagreement are over the "
            "groups shown, and the council's difference from its partners is given only "
            "where the council is shown by name."
        )
    elif len(groups):
        text += f" Every organisation had at least {floor} respondents, so each is shown by name."
    hidden = d[d.get("suppressed", pd.Series(False, index=d.index)).fillna(False).astype(bool)]
    if len(hidden):
        names = ", ".join(hidden["dimension_title"].astype(str))
        text += (
            f" Scores are not shown for {names}: fewer than {floor} people answered "
            f"{'it' if len(hidden) == 1 else 'them'}."
        )
    return text


def _profile_chart(
    pack: Pack, framework_id: str, d: pd.DataFrame
) -> tuple[charts.Chart, pd.DataFrame, str]:
    """Each published group's score on each dimension (survey frameworks): chart, data, title."""
    fw = pack.frameworks[framework_id]
    orgs = _groups(pack, framework_id)
    pooled = bool((orgs["organisation_id"] == POOLED_ID).any())
    orgs = orgs.merge(d[["dimension_id", "dimension_title"]], on="dimension_id")
    # a pooled chart shows groups, not organisations (the note above says who is pooled)
    view = "each group's view" if pooled else "each organisation's view"
    title = f"{fw.short_title or fw.title}: {view}"
    data = pd.DataFrame(
        {
            "Organisation or group" if pooled else "Organisation": orgs["group_name"],
            label(DIMENSIONS, "dimension_id"): orgs["dimension_id"],
            fw.dimension_label.capitalize(): orgs["dimension_title"],
            label(DIMENSIONS, "score"): orgs["score"],
        }
    )
    chart = charts.profile_chart(
        orgs.rename(columns={"group_name": "group_name" if pooled else "organisation_name"}),
        group="group_name" if pooled else "organisation_name",
        scale_min=fw.scale_def.min,
        scale_max=fw.scale_def.max,
        agree_line=fw.scale_def.agree_line,
        title=title,
    )
    return chart, data.reset_index(drop=True), title


def _bar_chart(fw: Framework, d: pd.DataFrame) -> charts.Chart:
    """The agreed rating of each dimension (checklist frameworks), with its bands."""
    bands = [b.model_dump() for b in fw.bands] if fw.bands_level == "dimension" else None
    return charts.bar_chart(
        d,
        category="dimension_title",
        value="score",
        scale_min=fw.scale_def.min,
        scale_max=fw.scale_def.max,
        title=f"{fw.short_title or fw.title}: rating by {fw.dimension_label}",
        bands=bands,
    )


def _dimension_table(
    pack: Pack,
    fw: Framework,
    d: pd.DataFrame,
    columns: Mapping[str, str | None],
    overrides: Mapping[str, str] | None = None,
) -> str:
    """The dimension scores as a table, with each dimension's band where there are any."""
    headings = {"dimension_title": fw.dimension_label.capitalize(), **(overrides or {})}
    table = labelled(d, DIMENSIONS, list(columns), headings)
    formats = {
        headings.get(c) or label(DIMENSIONS, c): f for c, f in columns.items() if f is not None
    }
    if fw.bands_level == "dimension" and fw.bands:
        table[fw.band_label] = d["band"].fillna("—").to_numpy()
    scale = fw.scale_def
    return appendix.table(
        pack,
        table,
        section=fw.title,
        name=fw.id,
        caption=f"{fw.title} by {fw.dimension_label} (scale {scale.min:g}–{scale.max:g})",
        formats=formats,
    )


def _total(pack: Pack, framework_id: str) -> str:
    """The framework's total, where its scoring allows one and it was worked out."""
    totals = pack.scores["framework_scores"]
    if not (pack.frameworks[framework_id].scoring.totals_allowed and len(totals)):
        return ""
    t = totals[totals["framework_id"] == framework_id]
    if not (len(t) and pd.notna(t.iloc[0]["total"])):
        return ""
    row = t.iloc[0]
    fw = pack.frameworks[framework_id]
    band = row["band"] if pd.notna(row.get("band")) else "no band (incomplete)"
    if pd.notna(row.get("band")) and fw.band_note:
        band += f" (indicative band: {fw.band_note})"
    return para(
        f"Total: {row['total']:.0f} ({int(row['items_answered'])} of "
        f"{int(row['items_expected'])} items answered) — {band}."
    )


def by_sector_html(pack: Pack) -> str:
    """Views by sector, small groups suppressed (disclosure control); '' when none."""
    s = pack.scores["sector_scores"]
    if s.empty:
        return ""
    s = s[s["round"].astype(str) == pack.assessment_round]
    if s.empty:
        return ""
    minimum = pack.scoring.min_cell_size
    suppressed = s["suppressed"].fillna(False).astype(bool)
    shown = list(dict.fromkeys(s.loc[~suppressed, "sector"]))
    hidden = sorted(set(s["sector"]) - set(shown))
    notes = s.get("note", pd.Series("", index=s.index)).fillna("").astype(str)
    worked_out = int((suppressed & notes.str.contains("worked out")).sum())
    reading = "Scores by sector of organisation, each organisation counting once. "
    kinds = set(s.get("evidence_kind", pd.Series(dtype=object)).dropna().astype(str))
    if kinds == {ORGANISATIONAL}:
        reading += "The answers are official organisational positions, so no group is suppressed."
    else:
        reading += (
            f"Any group of a survey of individuals with fewer than {minimum} respondents, "
            "or whose score could be worked out from other figures in this pack, is "
            "suppressed so that no individual's answers can be inferred; "
            f"{int(suppressed.sum())} of {len(s)} groups are suppressed here"
        )
        reading += (
            f" ({worked_out} of them because they could be worked out)." if worked_out else "."
        )
    if hidden:
        reading += (
            f" These sectors never reach {minimum} respondents, so they are left out "
            f"of the table: {', '.join(hidden)}."
        )
    out = heading(3, "Views by sector") + para(reading)
    if not shown:
        return out
    return out + appendix.table(
        pack,
        _sector_table(pack, s, shown),
        section="Views by sector",
        name="scores-by-sector",
        caption=f"Scores by sector, one column a sector (groups under {minimum} "
        "respondents suppressed)",
    )


def _sector_table(pack: Pack, s: pd.DataFrame, sectors: list[str]) -> pd.DataFrame:
    """One row a dimension, one column a sector; rows with every group suppressed dropped."""
    cells = s.assign(
        framework_id=s["framework_id"].map(lambda f: pack.frameworks[f].short_title or f),
        score=s["score"].map(lambda v: "suppressed" if pd.isna(v) else f"{v:.2f}"),
    )
    keys = ["framework_id", "dimension_id"]
    table = (
        cells[cells["sector"].isin(sectors)]
        .pivot_table(index=keys, columns="sector", values="score", aggfunc="first", sort=False)
        .reindex(columns=sectors)
        .fillna("no answers")
        .reset_index()
        .rename(columns={k: label("sector_scores", k) for k in keys})
    )
    table.columns.name = None
    return table[(table[sectors] != "suppressed").any(axis=1)]
