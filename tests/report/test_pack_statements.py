"""Every sentence a pack or the overview states as a fact is checked against the data.

For every partnership of the sample, and of synthetic portfolios from ``evalkit synth``
with seeds chosen by hypothesis, each section is rendered and each sentence that states a
fact, a count, a direction or a comparison is parsed and compared with figures worked out
here from the prepared input tables and the score files, never by the code under test.
One helper per kind of sentence.
"""

from __future__ import annotations

import calendar
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.inputs.dataset import load_tables
from evalkit.report.overview import findings as overview_findings
from evalkit.report.overview import landscape, load_overview, network, reviews
from evalkit.report.pack import (
    appendix,
    cover,
    frameworks,
    governance,
    impact,
    load_pack,
    main_points,
    quality,
    risk,
    summary,
    swot,
)
from evalkit.spreadsheet import read_csv_frame

#: Answers that count as missing (docs/scoring.md: never zero).
MISSING = {"", "nan", "<na>", "don't know", "dont know", "dk", "n/a", "na", "not applicable", "-"}
SEVERITIES = ("high", "medium", "low", "info")


# -- reading the rendered HTML ------------------------------------------------------------


def _paragraphs(fragment: str) -> list[str]:
    """The readings: not the framework's name under a heading, not links to the appendix."""
    skip = {"appendix-ref", "framework-name"}
    return [
        p.get_text()
        for p in BeautifulSoup(fragment, "html.parser").find_all("p")
        if not skip & set(p.get("class") or [])
    ]


def _h2(fragment: str) -> str:
    return BeautifulSoup(fragment, "html.parser").find("h2").get_text()


def _cells(fragment: str, caption: str, column: str = "Value") -> dict[str, str]:
    """A table as {first cell of each row: the cell under ``column``}."""
    for table in BeautifulSoup(fragment, "html.parser").find_all("table"):
        if table.caption and table.caption.get_text() == caption:
            rows = [[c.get_text() for c in r.find_all(["th", "td"])] for r in table.find_all("tr")]
            at = rows[0].index(column)
            return {r[0]: r[at] for r in rows[1:]}
    raise AssertionError(f"no table captioned {caption!r}")


def _n(word_count: str) -> int:
    return int(word_count.replace(",", ""))


def _words(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _date(value: Any) -> str:
    """A date in words, worked out here with the standard library's month names."""
    moment = pd.Timestamp(value)
    return f"{moment.day} {calendar.month_name[moment.month]} {moment.year}"


# -- the facts, worked out from the inputs ---------------------------------------------------


class Facts:
    """One scored folder's inputs and score files, read with pandas only."""

    def __init__(self, processed: Path) -> None:
        self.processed = processed
        self.tables = load_tables(processed)
        scores = processed / "scores"
        self.findings = read_csv_frame(scores / "findings.csv", dtype=str, keep_default_na=False)
        self.as_of = pd.Timestamp(
            pd.read_json(scores / "scoring.json", typ="series")["as_of"]  # type: ignore[index]
        )
        self.round = str(pd.read_json(scores / "scoring.json", typ="series")["assessment_round"])

    def rows(self, table: str, pid: str) -> pd.DataFrame:
        frame = self.tables[table]
        return frame[frame["partnership_id"] == pid]

    def register(self, pid: str) -> pd.Series:
        return self.rows("partnerships", pid).iloc[0]

    def answers(self, pid: str) -> pd.DataFrame:
        """Every answer row of the round (survey and checklist), with ``missing``."""
        survey = self.rows("responses", pid)[["round", "framework_id", "response"]]
        checklist = self.rows("checklist", pid)[["round", "framework_id", "status"]]
        survey = survey.rename(columns={"response": "answer"})
        checklist = checklist.rename(columns={"status": "answer"})
        both = pd.concat([survey, checklist], ignore_index=True)
        both = both[both["round"].astype(str) == self.round]
        return both.assign(
            missing=both["answer"].fillna("").astype(str).str.strip().str.lower().isin(MISSING)
        )

    def own_findings(self, pid: str) -> pd.DataFrame:
        f = self.findings[self.findings["partnership_id"] == pid]
        if "round" in f:
            f = f[f["round"] == self.round]
        return f


# -- one checker per kind of sentence ---------------------------------------------------------


def check_governance(pack: Any, facts: Facts) -> None:
    reading, inputs = _paragraphs(governance.html(pack))
    r = facts.register(pack.partnership_id)
    given = [
        f"£{r[column]:,.0f} {what}"
        for column, what in (("council_cash_gbp", "in cash"), ("in_kind_gbp", "in kind"))
        if pd.notna(r[column])
    ]
    if pd.notna(r["officer_days_per_year"]):
        days = r["officer_days_per_year"]
        given.append(f"{days:,.0f} officer day" + ("" if days == 1 else "s"))
    said = (
        "Each year the council puts in "
        + ", ".join(given[:-1])
        + " and " * (len(given) > 1)
        + given[-1]
        if given
        else "The register records nothing the council puts in each year"
    )
    if pd.notna(r["total_budget_gbp"]):
        said += f", towards a partnership budget of £{r['total_budget_gbp']:,.0f}"
    assert inputs == said + "."
    members = len(facts.rows("memberships", pack.partnership_id))
    assert reading.startswith(
        f"{pack.name} has {_words(members, 'member organisation', 'member organisations')}. "
    )
    document = r["governing_document"]
    expected = (
        "No governing document is recorded"
        if pd.isna(document)
        else ("A governing document is in place" if document else "There is no governing document")
    )
    assert f". {expected}; " in reading
    page = governance.html(pack) + appendix.html(pack)  # the table is a detail
    table = _cells(page, "Governance and money (from the register)")
    assert table["Governing document in place"] == (
        "not recorded" if pd.isna(document) else ("Yes" if document else "No")
    )
    due = r["next_review_due"]
    if pd.isna(due):
        assert reading.endswith("; no review date is recorded.")
    elif pd.Timestamp(due) < facts.as_of:
        assert reading.endswith(f"; the next review was due on {_date(due)} and is overdue.")
    else:
        assert reading.endswith(f"; the next review is due on {_date(due)}.")


def check_cover(pack: Any, facts: Facts) -> None:
    value = facts.register(pack.partnership_id)["incorporated"]
    shown = _cells(cover.html(pack), "Register entry (cover facts)")["Incorporated"]
    assert shown == ("not recorded" if pd.isna(value) else ("Yes" if value else "No"))


def check_swot(pack: Any, facts: Facts) -> None:
    entries = facts.rows("swot", pack.partnership_id)
    (reading,) = _paragraphs(swot.html(pack))
    if entries.empty:
        assert reading == "No SWOT analysis was recorded."
        return
    counts = entries["category"].value_counts()
    plurals = [
        ("strength", "strengths"),
        ("weakness", "weaknesses"),
        ("opportunity", "opportunities"),
        ("threat", "threats"),
    ]
    assert reading == "; ".join(_words(int(counts.get(a, 0)), a, b) for a, b in plurals) + "."


def check_summary(pack: Any, facts: Facts) -> None:
    reading = _paragraphs(summary.html(pack))[0]
    f = facts.own_findings(pack.partnership_id)
    answered = int((~facts.answers(pack.partnership_id)["missing"]).sum())
    no_evidence = f"No evidence was recorded for this partnership in {facts.round}"
    assert reading.startswith(no_evidence) == (answered == 0)
    assert ("no-evidence" in set(f["code"])) == (answered == 0)
    match = re.search(
        r"(\d+) findings?: (\d+) high, (\d+) medium and (\d+) low priority"
        r"(?:, and (\d+) for information)?\.",
        reading,
    )
    assert match, reading
    count = {s: int((f["severity"] == s).sum()) for s in SEVERITIES}
    assert int(match.group(1)) == len(f)
    assert [int(match.group(i)) for i in (2, 3, 4)] == [
        count["high"],
        count["medium"],
        count["low"],
    ]
    assert int(match.group(5) or 0) == count["info"]
    acted = [s for s in SEVERITIES[:3] if count[s]]
    serious = re.search(r"The most serious \((\w+) priority\): (.*)$", reading)
    if acted:
        assert serious and serious.group(1) == acted[0], reading
        top = f[f["severity"] == acted[0]]["message"]
        assert serious.group(2) in set(top)
    else:
        assert serious is None


def check_risk(pack: Any, facts: Facts) -> None:
    risks = facts.rows("risks", pack.partnership_id)
    (reading,) = _paragraphs(risk.html(pack))
    if risks.empty:
        assert reading == "No risks were recorded for this partnership."
        return
    scores = risks["likelihood"].astype(int) * risks["impact"].astype(int)
    match = re.match(r"(\d+) risks? recorded; (\d+) rated high .*\(score (\d+)\)\.$", reading)
    assert match, reading
    assert (_n(match.group(1)), _n(match.group(2))) == (len(risks), int((scores >= 15).sum()))
    assert int(match.group(3)) == scores.max()


def check_impact(pack: Any, facts: Facts) -> None:
    rows = facts.rows("indicators", pack.partnership_id)
    rows = rows[rows["group"].isna()]
    (reading, *_) = _paragraphs(impact.html(pack))
    if rows.empty:
        assert reading == "No output or outcome indicators were recorded."
        return
    last = rows.groupby("indicator_id")["period"].transform("max")
    latest = rows[rows["period"] == last]
    sign = latest["good_direction"].map({"down": -1.0}).fillna(1.0)
    gain = (latest["actual"] - latest["baseline"]) * sign
    has_target = latest["target"].notna() & latest["actual"].notna()
    met = has_target & ((latest["actual"] - latest["target"]) * sign >= 0)
    assert reading == (
        f"In each indicator's latest period: {int((gain > 0).sum())} of {len(latest)} moved "
        f"the right way from its baseline and {int((gain < 0).sum())} the wrong way; "
        f"{int(met.sum())} of {int(has_target.sum())} with a target met it."
    )


def check_quality(pack: Any, facts: Facts) -> None:
    caption = "How far each framework's content is confirmed, and missing answers"
    answers = facts.answers(pack.partnership_id)
    page = quality.html(pack) + appendix.html(pack)  # the table is a detail: in the appendix
    shown = _cells(page, caption, "Answers missing") if len(pack.dims()) else {}
    for fid, group in answers.groupby("framework_id"):
        title = pack.frameworks[str(fid)].title
        if title not in shown:
            continue
        missing, expected = int(group["missing"].sum()), len(group)
        match = re.fullmatch(r"(\d+(?:\.\d)?)% \((\d+) of (\d+)\)", shown[title])
        assert match, shown[title]
        assert (int(match.group(2)), int(match.group(3))) == (missing, expected)
        assert abs(float(match.group(1)) - 100 * missing / expected) <= 0.5


def check_missing_answers_finding(pack: Any, facts: Facts) -> None:
    """ "k of n answers to X (p%)": counted from the answer rows, and only above a quarter."""
    answers = facts.answers(pack.partnership_id)
    f = facts.own_findings(pack.partnership_id)
    rows = f[f["code"] == "many-missing-answers"]
    flagged = dict(zip(rows["framework_id"], rows["message"], strict=True))
    for fid, group in answers.groupby("framework_id"):
        missing, expected = int(group["missing"].sum()), len(group)
        assert (str(fid) in flagged) == (4 * missing > expected), (fid, missing, expected)
        if str(fid) in flagged:
            assert flagged[str(fid)].startswith(f"{missing} of {expected} answers to ")


def _latest_indicators(facts: Facts, pid: str) -> tuple[int, int, int, int]:
    """Indicators in their latest period: how many, moved the right way, with a target, met."""
    rows = facts.rows("indicators", pid)
    rows = rows[rows["group"].isna()]
    if rows.empty:
        return 0, 0, 0, 0
    latest = rows[rows["period"] == rows.groupby("indicator_id")["period"].transform("max")]
    sign = latest["good_direction"].map({"down": -1.0}).fillna(1.0)
    gain = (latest["actual"] - latest["baseline"]) * sign
    has_target = latest["target"].notna() & latest["actual"].notna()
    met = has_target & ((latest["actual"] - latest["target"]) * sign >= 0)
    return len(latest), int((gain > 0).sum()), int(has_target.sum()), int(met.sum())


def _blank(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip().eq("")


def check_main_points(pack: Any, facts: Facts) -> None:
    """Each main point's numbers and bases, worked out from the inputs and findings."""
    pid = pack.partnership_id
    texts = [li.get_text() for li in BeautifulSoup(main_points.html(pack), "html.parser")("li")]
    assert 3 <= len(texts) <= 6, texts
    f = facts.own_findings(pid)
    count = {s: int((f["severity"] == s).sum()) for s in SEVERITIES}
    acted = len(f) - count["info"]
    if acted:
        assert texts[0].startswith(
            f"The review makes {_words(acted, 'finding', 'findings')} to act on: "
            f"{count['high']} high priority (act now), {count['medium']} medium and "
            f"{count['low']} low."
        ), texts[0]
        high = f[f["severity"] == "high"]["message"]
        assert ("Most urgent: " in texts[0]) == bool(len(high))
        if len(high):
            assert texts[0].split("Most urgent: ", 1)[1] in set(high)
    else:
        assert texts[0] == "The review's rules found nothing to act on."
    risks = facts.rows("risks", pid)
    (risk_text,) = [t for t in texts if "recorded risk" in t or t.startswith("No risks are")]
    if risks.empty:
        assert risk_text == "No risks are recorded for this partnership."
    elif len(risks) > 1:
        high = risks[risks["likelihood"].astype(int) * risks["impact"].astype(int) >= 15]
        assert risk_text.startswith(f"{len(high)} of the {len(risks)} recorded risks "), risk_text
        managed = int((~_blank(high["mitigation"]) & ~_blank(high["owner"])).sum())
        if len(high) > 1:
            assert f"; {managed} of them ha" in risk_text, risk_text
    n, better, with_target, met = _latest_indicators(facts, pid)
    if n == 0:
        assert "No output or outcome indicators were recorded." in texts
    else:
        expected = (
            f"{better} of {_words(n, 'indicator', 'indicators')} moved the right way from "
            "the baseline in the latest period"
        )
        if with_target:
            expected += f", and {met} of {with_target} with a target met it"
        assert expected + "." in texts, (expected, texts)
    for text in texts:
        weak = re.match(r"(?:Partners rated|The agreed ratings put) (\d+) of the (\d+) ", text)
        if weak:
            short = text.split(" weak, based on")[0].rsplit(" of the ", 1)[1]
            fid = next(
                i for i, fw in pack.frameworks.items() if (fw.short_title or fw.title) == short
            )
            row = f[(f["code"] == "weak-dimension") & (f["framework_id"] == fid)].iloc[0]
            assert int(weak.group(1)) == len(json.loads(row["evidence"])["dimensions"])
            answers = facts.rows("responses", pid)
            answers = answers[
                (answers["round"].astype(str) == facts.round) & (answers["framework_id"] == fid)
            ]
            if pack.frameworks[fid].mode == "survey":
                given = answers[
                    ~answers["response"]
                    .fillna("")
                    .astype(str)
                    .str.strip()
                    .str.lower()
                    .isin(MISSING)
                ]
                who = re.search(r"based on (\d+) respondents? from (\d+) organisations?", text)
                assert who, text
                assert int(who.group(1)) == given["respondent_id"].nunique()
                assert int(who.group(2)) == given["organisation_id"].nunique()
    evidence = [t for t in texts if re.match(r"\d+ of the \d+ checklist ratings? that", t)]
    needs = [i for i, fw in pack.frameworks.items() if fw.evidence_required]
    ratings = facts.rows("checklist", pid)
    ratings = ratings[
        (ratings["round"].astype(str) == facts.round) & ratings["framework_id"].isin(needs)
    ]
    given = ratings[~ratings["status"].fillna("").astype(str).str.strip().str.lower().isin(MISSING)]
    without = int(_blank(given["evidence_ref"]).sum())
    if without and len(given) and len(texts) < 6:
        (text,) = evidence
        assert text.startswith(f"{without} of the {len(given)} checklist rating"), text
    if evidence:
        assert evidence[0].startswith(f"{without} of the {len(given)} checklist rating")


def check_headings(pack: Any, facts: Facts) -> None:
    """Headings that say what was found: the risks rated high, indicators, lowest areas."""
    pid = pack.partnership_id
    risks = facts.rows("risks", pid)
    if len(risks):
        high = int((risks["likelihood"].astype(int) * risks["impact"].astype(int) >= 15).sum())
        assert _h2(risk.html(pack)) == (
            f"Risk: {high or 'none'} of {_words(len(risks), 'risk', 'risks')} rated high"
        )
    n, better, _, _ = _latest_indicators(facts, pid)
    if n:
        assert _h2(impact.html(pack)) == (
            f"Evidence of impact: {better} of {_words(n, 'indicator', 'indicators')} "
            "moved the right way"
        )
    dims = read_csv_frame(facts.processed / "scores" / "dimension_scores.csv", dtype={"round": str})
    dims = dims[(dims["partnership_id"] == pid) & (dims["round"] == facts.round)]
    for fid, d in dims.groupby("framework_id"):
        fw = pack.frameworks[str(fid)]
        heading = _h2(frameworks.html(pack, str(fid)))
        assert heading.startswith(f"{fw.short_title or fw.title}: "), heading
        scored = d.dropna(subset=["score"])
        if len(scored) < 2:
            continue
        low = scored["score"].round(2).min()
        lowest = scored[scored["score"].round(2) == low]["dimension_title"].tolist()
        if len(lowest) <= 2 and len(lowest) < len(scored):
            assert " and ".join(lowest) + " " in heading and "lowest of" in heading, heading
        elif len(lowest) < len(scored):
            assert f": {len(lowest)} of {len(scored)} " in heading, heading


_CHANGED = re.compile(
    r"^(?P<dim>.+) (?P<verb>improved|declined)(?:, from (?P<b0>.+?) to (?P<b1>.+?),)? from "
    r"(?P<a>\d+\.\d\d) to (?P<b>\d+\.\d\d) \((?P<c>[+-]\d+\.\d\d)\)"
)


def _checklist_means(facts: Facts, pack: Any, pid: str, fid: str, round_: str) -> dict[str, float]:
    """Each checklist dimension's mean rating in a round, coded here from the prepared table."""
    from evalkit.inputs.normalise import token

    fw = pack.frameworks[fid]
    codes = {token(k): v for k, v in fw.scale_def.code_map().items()}
    items = {i.id: i.dimension for i in fw.items}
    titles = {d.id: d.title for d in fw.dimensions}
    rows = facts.rows("checklist", pid)
    rows = rows[(rows["framework_id"] == fid) & (rows["round"].astype(str) == round_)]
    values: dict[str, list[float]] = {}
    for item, status in zip(rows["item_id"], rows["status"], strict=True):
        value = codes.get(token(str(status)))
        if value is not None and item in items:
            values.setdefault(titles[items[item]], []).append(float(value))
    return {d: sum(v) / len(v) for d, v in values.items()}


def check_change(pack: Any, facts: Facts) -> None:
    """Each reliable change: its direction and size agree with its numbers and the rule;
    a checklist's two scores are the mean ratings worked out here from the inputs."""
    from evalkit.report.pack import change

    fragment = change.html(pack)
    soup = BeautifulSoup(fragment, "html.parser")
    pid = pack.partnership_id
    names = {fw.title: fid for fid, fw in pack.frameworks.items()}
    changes = pack.scores["changes"]
    for heading in soup.find_all("h3"):
        fid = names[heading.get_text()]
        fw = pack.frameworks[fid]
        span = float(fw.scale_def.max) - float(fw.scale_def.min)
        # the sentence print keeps: the framework's calls counted
        calls = changes.loc[changes["framework_id"] == fid, "call"].tolist()
        counted = heading.find_next_sibling("p").get_text()
        words = re.findall(r"(\d+) (improved|declined|shows? no reliable change)", counted)
        if counted.startswith("All "):
            n, verb = re.match(r"All (\d+) \w+ (improved|declined)\.", counted).groups()
            assert calls.count(verb) == len(calls) == int(n), counted
        elif counted.startswith(("No reliable change", "Its one")):
            assert calls.count("improved") + calls.count("declined") == len(calls) * (
                "improved" in counted or "declined" in counted
            ), counted
        else:
            said = {w.split()[0].replace("shows", "show"): int(k) for k, w in words}
            assert said.get("improved", 0) == calls.count("improved"), counted
            assert said.get("declined", 0) == calls.count("declined"), counted
            assert sum(said.values()) == len(calls), counted
        details = heading.find_next_sibling("div")
        listed = details.find("ul") if details is not None else None
        if listed is None:
            continue
        for item in listed.find_all("li"):
            said = _CHANGED.match(item.get_text())
            assert said, item.get_text()
            a, b, c = float(said["a"]), float(said["b"]), float(said["c"])
            assert abs((b - a) - c) <= 0.011, item.get_text()
            assert (c > 0) == (said["verb"] == "improved")
            assert abs(c) >= 0.125 * span - 0.006 or said["b0"], item.get_text()
            if fw.mode == "checklist":
                rounds = sorted(r for r in pack.scoring.rounds if r <= pack.assessment_round)
                before = _checklist_means(facts, pack, pid, fid, rounds[-2])
                after = _checklist_means(facts, pack, pid, fid, pack.assessment_round)
                dim = said["dim"]
                assert f"{before[dim]:.2f}" == said["a"], item.get_text()
                assert f"{after[dim]:.2f}" == said["b"], item.get_text()


PACK_CHECKS = (
    check_main_points,
    check_headings,
    check_cover,
    check_missing_answers_finding,
    check_governance,
    check_summary,
    check_risk,
    check_swot,
    check_impact,
    check_quality,
    check_change,
)


def check_overview(facts: Facts) -> None:
    view = load_overview("", facts.processed)
    reg = facts.tables["partnerships"]
    in_scope = reg[reg["in_scope"].fillna(False).astype(bool)]
    text = _paragraphs(landscape.landscape_html(view))[0]
    out = len(reg) - len(in_scope)
    yes = int(reg["incorporated"].eq(True).sum())
    no = int(reg["incorporated"].eq(False).sum())
    assert text.startswith(
        f"The register holds {_words(len(reg), 'partnership', 'partnerships')}, "
        f"{len(in_scope)} of them in scope for review; {out} {'is' if out == 1 else 'are'} out"
    )
    assert f"{yes} {'is' if yes == 1 else 'are'} incorporated and {no} " in text

    members = facts.tables["memberships"]
    per_org = members.groupby("organisation_id")["partnership_id"].count()
    text = _paragraphs(network.network_html(view))[0]
    assert text.startswith(f"{_words(len(per_org), 'organisation', 'organisations')} take")
    assert f"; {int((per_org > 1).sum())} of them sit" in text

    text = _paragraphs(reviews.reviews_html(view))[0]
    due = in_scope["next_review_due"]
    overdue = int((due.notna() & (due < facts.as_of)).sum())
    never = int((due.isna() & in_scope["last_review"].isna()).sum())
    used = int(in_scope["toolkit_used"].eq(True).sum())
    assert f", {_words(overdue, 'in-scope partnership', 'in-scope partnerships')} " in text
    assert f"for review and {never} " in text
    assert text.endswith(f"was used for {used} of {len(in_scope)}.")

    f = facts.findings
    if "round" in f:
        f = f[f["round"] == facts.round]
    text = _paragraphs(overview_findings.findings_html(view))[0]
    if f.empty:
        assert text == "No findings."
        return
    assert text.startswith(f"{_words(len(f), 'finding', 'findings')} in all.")
    reach = f.groupby("code")["partnership_id"].nunique()
    assert f"affecting {_words(int(reach.max()), 'partnership', 'partnerships')}." in text
    for code in reach[reach == reach.max()].index:
        assert f"'{code}'" in text


def check_portfolio(processed: Path) -> None:
    facts = Facts(processed)
    reg = facts.tables["partnerships"]
    frameworks = load_pack(str(reg["partnership_id"].iloc[0]), "", processed).frameworks
    for pid in reg.loc[reg["in_scope"].fillna(False).astype(bool), "partnership_id"]:
        pack = load_pack(str(pid), "", processed, frameworks)
        for check in PACK_CHECKS:
            check(pack, facts)
    check_overview(facts)


# -- the sample and synthetic portfolios -----------------------------------------------------


def test_every_statement_in_the_sample_packs_agrees_with_the_data(sample_scored):
    check_portfolio(sample_scored["processed"])


def _scored_synth(n: int, seed: int, base: Path) -> Path:
    from evalkit.cli import main
    from evalkit.inputs.synth import synthesise

    raw, processed = base / "raw", base / "processed"
    synthesise(n, seed, raw)
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    return processed


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**16), n=st.integers(3, 5))
def test_every_statement_in_synthetic_packs_agrees_with_the_data(seed, n):
    with tempfile.TemporaryDirectory() as tmp:
        check_portfolio(_scored_synth(n, seed, Path(tmp)))


def test_a_synthetic_partnership_with_no_answers_says_so_everywhere(tmp_path):
    """Remove one in-scope partnership's answers: its pack and the overview say so."""
    from evalkit.cli import main
    from evalkit.inputs.synth import synthesise

    raw = tmp_path / "raw"
    synthesise(4, 11, raw)
    register = pd.read_csv(raw / "partnerships.csv", dtype=str)
    bare = str(register.loc[register["in_scope"] == "Yes", "partnership_id"].iloc[0])
    for name in ("responses", "checklist"):
        frame = pd.read_csv(raw / f"{name}.csv", dtype=str, keep_default_na=False)
        frame[frame["partnership_id"] != bare].to_csv(raw / f"{name}.csv", index=False)
    processed = tmp_path / "processed"
    assert main(["prepare", "--raw", str(raw), "--processed", str(processed)]) == 0
    assert main(["score", "--raw", str(raw), "--processed", str(processed)]) == 0
    check_portfolio(processed)
    pack = load_pack(bare, "", processed)
    assert _paragraphs(summary.html(pack))[0].startswith(
        "No evidence was recorded for this partnership in 2024-25: no survey answers and no "
        "checklist ratings, so no framework could be scored."
    )
    assert pack.summary_record()["top_finding"].startswith("No evidence was recorded")
