"""Disclosure control tested like an attacker.

Synthetic portfolios with one- and two-respondent organisations and a one-respondent
council go through prepare and score; the pack's framework, sector, summary and findings
sections are rendered. The test then tries to recover a small organisation's (and so a
lone respondent's) score from everything written for reviewers: reading the score CSVs
and the HTML (alt text included), extremes, the council's gap, differencing the
partnership mean against the named organisations, and differencing sector cells. Every
secret is worked out here from the raw answers, never by the code under test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from evalkit.config import Settings
from evalkit.inputs.prepare import prepare
from evalkit.method.run import run_scoring
from evalkit.report.pack import findings, frameworks, load_pack, summary
from small_portfolio import HEADERS, RESPONSE_HEADERS, ROWS, write_csv

pytestmark = pytest.mark.slow  # prepares and scores eight portfolios

FLOOR = 3
ROUND = "2024-25"
SURVEYS = ("nuffield-pat", "wilder-factors")
SCALE = {"nuffield-pat": (1, 4), "wilder-factors": (1, 5)}

#: organisation id → (name, sector, council?)
ORGANISATIONS = {
    "the-council": ("Northshire County Council (fictional)", "local authority", True),
    "police": ("Lancashire Constabulary", "police", False),
    "army": ("British Army", "central government", False),
    "fire": ("Northshire Fire (fictional)", "fire", False),
    "nhs": ("Northshire NHS Trust (fictional)", "NHS", False),
    "vcs": ("Northshire Voluntary Action (fictional)", "VCSE", False),
    "district": ("Westdale District (fictional)", "local authority", False),
}

#: scenario → respondents per organisation in the partnership "csp"
SCENARIOS = {
    "lone-council-and-small-partners": {
        "the-council": 1,
        "police": 4,
        "army": 2,
        "fire": 1,
        "nhs": 3,
        "vcs": 1,
        "district": 2,
    },
    "lone-council-one-named-partner": {"the-council": 1, "police": 3, "army": 2},
    "pool-too-small-takes-a-named-partner": {"the-council": 1, "police": 3, "nhs": 4},
    "small-partner-beside-a-named-council": {"the-council": 3, "district": 1, "police": 3},
}


def write_portfolio(folder, sizes, seed):
    """The small portfolio, its organisations widened, and survey answers for csp."""
    folder.mkdir(parents=True)
    for name, headers in HEADERS.items():
        rows = [list(r) for r in ROWS[name]]
        if name == "organisations":
            rows = [[i, n, s, "yes" if c else "no"] for i, (n, s, c) in ORGANISATIONS.items()]
        if name == "memberships":
            rows = [r for r in rows if r[0] != "csp"]
            rows += [["csp", org, "member", "yes"] for org in sizes]
        write_csv(folder / f"{name}.csv", headers, rows)
    rng = np.random.default_rng(seed)
    from evalkit.method.framework import load_frameworks

    shipped = load_frameworks()
    answers = []
    number = itertools.count(1)
    for org, count in sizes.items():
        for _ in range(count):
            respondent = f"R{next(number):03d}"
            for fid in SURVEYS:
                low, high = SCALE[fid]
                for item in shipped[fid].items_frame()["item_id"]:
                    value = int(rng.integers(low, high + 1))
                    answers.append([ROUND, "csp", respondent, org, fid, item, str(value)])
    write_csv(folder / "responses.csv", RESPONSE_HEADERS, answers)
    return pd.DataFrame(answers, columns=RESPONSE_HEADERS), shipped


def secrets(answers, shipped):
    """Each small organisation's dimension score, worked out here from the raw answers.

    An organisation's item score is its respondents' mean; its dimension score the mean
    of its item scores (docs/scoring.md). For a one-respondent organisation this is the
    respondent's own dimension mean. Reverse-scored items are flipped.
    """
    frame = answers.assign(value=answers["response"].astype(float))
    out = {}
    for fid in SURVEYS:
        items = shipped[fid].items_frame().set_index("item_id")
        low, high = SCALE[fid]
        rows = frame[frame["framework_id"] == fid].copy()
        flip = rows["item_id"].map(items["reverse"]).astype(bool)
        rows.loc[flip, "value"] = low + high - rows.loc[flip, "value"]
        rows["dimension_id"] = rows["item_id"].map(items["dimension_id"])
        people = rows.groupby("organisation_id")["respondent_id"].nunique()
        item_means = rows.groupby(["organisation_id", "dimension_id", "item_id"])["value"].mean()
        dims = item_means.groupby(["organisation_id", "dimension_id"]).mean()
        for (org, dim), value in dims.items():
            out[(fid, dim, org)] = (float(value), int(people[org]))
    return out


def small(secret):
    return {k: v for k, (v, n) in secret.items() if n < FLOOR}


def same(a, b):
    return a is not None and b is not None and not math.isnan(a) and abs(a - b) < 1e-9


@pytest.fixture(
    scope="module",
    params=list(itertools.product(SCENARIOS, (1, 2))),
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def attacked(request, tmp_path_factory):
    scenario, seed = request.param
    tmp_path = tmp_path_factory.mktemp("attack")
    raw = tmp_path / "raw"
    answers, shipped = write_portfolio(raw, SCENARIOS[scenario], seed)
    settings = Settings(
        raw_dir=raw, processed_dir=tmp_path / "processed", reports_dir=tmp_path / "reports"
    )
    assert prepare(settings, shipped).report.valid
    run_scoring(settings, shipped)
    csvs = {p.stem: pd.read_csv(p) for p in settings.scores_dir.glob("*.csv") if p.stat().st_size}
    pack = load_pack("csp", "", settings.processed_dir, shipped)
    html = "".join(frameworks.html(pack, fid) for fid in SURVEYS)
    html += frameworks.by_sector_html(pack) + summary.html(pack) + findings.html(pack)
    return secrets(answers, shipped), csvs, html, SCENARIOS[scenario]


def test_no_small_organisation_is_shown_or_named(attacked):
    secret, csvs, html, sizes = attacked
    groups = csvs["organisation_scores"]
    small_orgs = {org for (_, _, org), (_, n) in secret.items() if n < FLOOR}
    assert not set(groups["organisation_id"]) & small_orgs
    assert (groups["n_respondents"] >= FLOOR).all()
    for org in small_orgs:
        assert ORGANISATIONS[org][0] not in html  # not in text, tables, legends or alt text


def test_no_figure_attributed_to_one_organisation_rests_on_a_small_one(attacked):
    """Every figure the outputs pin on one organisation belongs to one of the floor or more.

    (A pooled or partnership figure may equal a small organisation's score by chance; it
    does not disclose it, so only figures that name one organisation are read here.)
    """
    secret, csvs, _, sizes = attacked
    hidden = small(secret)
    groups = csvs["organisation_scores"]
    for row in groups[groups["n_organisations"] == 1].itertuples():
        assert sizes[row.organisation_id] >= FLOOR
        assert not same(
            row.score, hidden.get((row.framework_id, row.dimension_id, row.organisation_id))
        )
    dims = csvs["dimension_scores"]
    for row in dims[dims["framework_id"].isin(SURVEYS)].itertuples():
        value = hidden.get((row.framework_id, row.dimension_id, "the-council"))
        assert value is None or (
            math.isnan(row.council_score) and not same(row.council_score, value)
        )
    sectors = csvs["sector_scores"]
    for row in sectors[~sectors["suppressed"].astype(bool)].itertuples():
        members = [o for o in sizes if ORGANISATIONS[o][1] == row.sector]
        if len(members) == 1:
            assert sizes[members[0]] >= FLOOR
            assert not same(row.score, hidden.get((row.framework_id, row.dimension_id, members[0])))


def test_extremes_come_only_from_published_groups(attacked):
    _, csvs, _, _ = attacked
    dims = csvs["dimension_scores"]
    groups = csvs["organisation_scores"]
    for row in dims[dims["framework_id"].isin(SURVEYS)].itertuples():
        shown = groups[
            (groups["framework_id"] == row.framework_id)
            & (groups["dimension_id"] == row.dimension_id)
        ]["score"]
        for value in (row.min_org, row.max_org):
            if not math.isnan(value):
                assert any(same(value, s) for s in shown)


def test_the_councils_gap_does_not_give_away_a_lone_council(attacked):
    secret, csvs, _, sizes = attacked
    dims = csvs["dimension_scores"]
    for row in dims[dims["framework_id"].isin(SURVEYS)].itertuples():
        council = row.council_gap + row.others_score
        # the partnership mean and the others' mean give the council too
        via_mean = row.n_organisations * row.mean - (row.n_organisations - 1) * row.others_score
        value, people = secret[(row.framework_id, row.dimension_id, "the-council")]
        if people < FLOOR:
            assert not same(council, value) and not same(via_mean, value)
            assert math.isnan(row.council_gap)


def test_differencing_the_partnership_mean_never_isolates_a_small_organisation(attacked):
    secret, csvs, _, sizes = attacked
    dims = csvs["dimension_scores"]
    groups = csvs["organisation_scores"]
    hidden = small(secret)
    for row in dims[dims["framework_id"].isin(SURVEYS)].itertuples():
        if math.isnan(row.mean):
            continue
        here = groups[
            (groups["framework_id"] == row.framework_id)
            & (groups["dimension_id"] == row.dimension_id)
        ]
        named = here[here["organisation_id"] != "other-partners"]
        rest = row.n_organisations - len(named)
        if rest == 0:
            continue
        leftover = (row.n_organisations * row.mean - named["score"].sum()) / rest
        for (fid, dim, org), value in hidden.items():
            if (fid, dim) == (row.framework_id, row.dimension_id):
                assert not (rest == 1 and same(leftover, value)), org
        # any subset of the named groups taken away leaves a pool of at least the floor
        assert (
            rest == 0
            or here[here["organisation_id"] == "other-partners"]["n_respondents"].sum() >= FLOOR
        )


def test_differencing_sector_cells_never_isolates_a_small_organisation(attacked):
    secret, csvs, _, sizes = attacked
    sectors = csvs["sector_scores"]
    groups = csvs["organisation_scores"]
    hidden = small(secret)
    members = {s: [o for o in sizes if ORGANISATIONS[o][1] == s] for s in set(sectors["sector"])}
    for row in sectors[~sectors["suppressed"].astype(bool)].itertuples():
        named = groups[
            (groups["framework_id"] == row.framework_id)
            & (groups["dimension_id"] == row.dimension_id)
            & groups["organisation_id"].isin(members[row.sector])
        ]
        rest = [o for o in members[row.sector] if o not in set(named["organisation_id"])]
        if len(rest) == 1:
            leftover = len(members[row.sector]) * row.score - named["score"].sum()
            assert not same(leftover, hidden.get((row.framework_id, row.dimension_id, rest[0])))
        # a shown cell never mixes named organisations with fewer than the floor of others
        others = sum(sizes[o] for o in rest)
        assert others == 0 or others >= FLOOR
