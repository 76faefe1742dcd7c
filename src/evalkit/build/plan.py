"""Planning a build: which partnerships, and a job for each pack that is out of date.

The register (``partnerships.csv``) says which partnerships are in scope; ``--only``
narrows them. Each in-scope partnership's pack, and the portfolio overview and the
committee cover report (both built unless ``--only`` is given), gets an input key
(:mod:`evalkit.build.keys`); the ones whose key and files match the manifest are up to
date, the others become :class:`~evalkit.build.records.BuildJob` records.

Nothing read from the processed folder is trusted to be a safe name: every id in the
register is checked again (:func:`evalkit.names.check_id`), and every pack folder must be
a real folder inside the reports folder (:func:`evalkit.names.safe_child`), before
anything is written. The notebooks' parameters hold paths relative to the project root
(:func:`evalkit.names.project_relative`), so executed notebooks say nothing of where the
project sits on the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from evalkit.build.formats import FORMATS, resolve
from evalkit.build.keys import InputKeys, up_to_date
from evalkit.build.records import BuildJob, BuildOptions, PackOutcome
from evalkit.config import NOTEBOOKS_DIR, PROJECT_ROOT, Settings
from evalkit.errors import BuildError
from evalkit.method.results import ScoredFolder
from evalkit.names import (
    DOWNLOADS_DIR,
    PORTFOLIO_FOLDERS,
    PORTFOLIO_WORKBOOK,
    check_id,
    project_relative,
    safe_child,
    workbook_name,
)
from evalkit.spreadsheet import read_csv_text

PACK_NOTEBOOK = NOTEBOOKS_DIR / "evidence_pack.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "portfolio_overview.ipynb"
PACK_STEM = "evidence-pack"
OVERVIEW_ID = "overview"
OVERVIEW_STEM = "portfolio-overview"
OVERVIEW_TITLE = "Portfolio overview: the partnership landscape"
COMMITTEE_NOTEBOOK = NOTEBOOKS_DIR / "committee_report.ipynb"
COMMITTEE_ID = "committee"
COMMITTEE_STEM = "committee-report"
COMMITTEE_TITLE = "Partnership review: report to the scrutiny committee"
#: The portfolio-wide jobs, by id: their folder and stem (not partnerships' packs).
PORTFOLIO_STEMS = {OVERVIEW_ID: OVERVIEW_STEM, COMMITTEE_ID: COMMITTEE_STEM}


def pack_parameters(
    partnership_id: str,
    assessment_round: str,
    processed_dir: Path,
    output_dir: Path,
    root: Path = PROJECT_ROOT,
) -> dict[str, str]:
    """The parameters passed to ``evidence_pack.ipynb``, folders relative to ``root``.

    Args:
        partnership_id: the pack's partnership.
        assessment_round: the round to show.
        processed_dir: the prepared and scored folder.
        output_dir: the pack's folder.
        root: the project root, which the notebook resolves the folders against.

    Returns:
        Parameter name → value, as papermill injects them.
    """
    return {
        "partnership_id": partnership_id,
        "assessment_round": assessment_round,
        "processed_dir": project_relative(processed_dir, root),
        "output_dir": project_relative(output_dir, root),
    }


def overview_parameters(
    assessment_round: str, processed_dir: Path, output_dir: Path, root: Path = PROJECT_ROOT
) -> dict[str, str]:
    """The parameters of ``portfolio_overview.ipynb`` (and ``committee_report.ipynb``).

    Folders are relative to ``root``.

    Args:
        assessment_round: the round to compare.
        processed_dir: the prepared and scored folder.
        output_dir: the overview's folder.
        root: the project root, which the notebook resolves the folders against.

    Returns:
        Parameter name → value, as papermill injects them.
    """
    return {
        "assessment_round": assessment_round,
        "processed_dir": project_relative(processed_dir, root),
        "output_dir": project_relative(output_dir, root),
    }


@dataclass(frozen=True)
class Partnership:
    """One row of the register, as the build needs it."""

    id: str
    name: str
    tier: str
    in_scope: bool


def read_register(processed_dir: Path) -> list[Partnership]:
    """The register's id, name, tier and scope, read from the prepared CSV as typed.

    The CSV is formula-neutralised (:mod:`evalkit.spreadsheet`); its text comes back as
    it was typed, so a name such as ``=X`` reads as ``=X``.

    Every id is checked again as a safe folder name: the processed folder may have been
    edited since ``evalkit prepare`` validated it.

    Raises:
        BuildError: the folder has not been prepared, or an id is not a safe name.
    """
    path = processed_dir / "partnerships.csv"
    if not path.exists():
        raise BuildError(f"{processed_dir}: no prepared data found; run `evalkit prepare` first")
    register = [
        Partnership(row["partnership_id"], row["name"], row["tier"], row["in_scope"] == "True")
        for row in read_csv_text(path)
    ]
    for number, row in enumerate(register, start=2):  # row 1 holds the headers
        where = f"{path}, row {number}, column partnership_id"
        check_id(row.id, what=where)
        if row.id in PORTFOLIO_FOLDERS:
            raise BuildError(f"{where}: {row.id!r} is the folder of a portfolio report")
    return register


def select(register: list[Partnership], only: tuple[str, ...]) -> list[Partnership]:
    """The in-scope partnerships, or those of ``only``.

    Raises:
        BuildError: an id in ``only`` is unknown or out of scope.
    """
    in_scope = [p for p in register if p.in_scope]
    if not only:
        return in_scope
    known = {p.id for p in register}
    unknown = [p for p in only if p not in known]
    if unknown:
        raise BuildError(
            f"unknown partnership id(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    out = [p for p in only if p not in {q.id for q in in_scope}]
    if out:
        raise BuildError(f"out of scope, so no pack is built: {', '.join(out)}")
    return [p for p in in_scope if p.id in only]


@dataclass
class Plan:
    """Every pack's outcome so far (up to date, or pending) and the jobs to run."""

    assessment_round: str
    notice: str | None
    outcomes: list[PackOutcome] = field(default_factory=list)
    jobs: list[BuildJob] = field(default_factory=list)

    def add(
        self, outcome: PackOutcome, job: BuildJob, previous: Mapping[str, Any] | None, force: bool
    ) -> None:
        """Add a pack: up to date (its files as the manifest has them), or its job to run."""
        self.outcomes.append(outcome)
        if previous is not None and not force and up_to_date(previous, outcome.key, job.out_dir):
            outcome.files = dict(previous.get("files", {}))
            outcome.seconds = float(previous.get("seconds", 0.0))
            return
        outcome.status = "pending"
        self.jobs.append(job)


def pack_folder(reports_dir: Path, pack_id: str, stem: str) -> Path:
    """The folder a pack is written to, confirmed safe to write into.

    The folder must be a real folder inside the reports folder (not a symbolic link),
    and none of the files the build writes there may be a symbolic link.

    Args:
        reports_dir: the reports folder.
        pack_id: the pack's id (a partnership id, or ``overview``).
        stem: the pack's file names before their suffix.

    Returns:
        ``reports_dir / pack_id``.

    Raises:
        BuildError: the id is unsafe, or the folder or one of its files is a link.
    """
    folder = safe_child(reports_dir, pack_id, what=f"the folder of pack {pack_id}")
    names = [f"{stem}.ipynb", f"{stem}.failed.ipynb", f".{stem}.page.html", "summary.json"]
    names += [f"{stem}.docx"]
    names += [fmt.file_name(stem) for fmt in FORMATS.values()]
    names += [DOWNLOADS_DIR, workbook_name(pack_id), PORTFOLIO_WORKBOOK]
    linked = sorted(name for name in names if (folder / name).is_symlink())
    if linked:
        raise BuildError(
            f"the folder of pack {pack_id}: {', '.join(linked)} in {folder} "
            f"{'is a symbolic link' if len(linked) == 1 else 'are symbolic links'}; "
            f"evalkit writes only real files. Remove {'it' if len(linked) == 1 else 'them'} "
            "and build again."
        )
    return folder


def _pack_job(
    job: Callable[..., BuildJob],
    row: Partnership,
    notebook: Path,
    settings: Settings,
    assessment_round: str,
) -> BuildJob:
    folder = pack_folder(settings.reports_dir, row.id, PACK_STEM)
    return job(
        id=row.id,
        notebook=notebook,
        out_dir=folder,
        stem=PACK_STEM,
        params=pack_parameters(row.id, assessment_round, settings.processed_dir, folder),
        title=f"Evidence pack: {row.name}",
        header=row.name,
        masthead="Evidence pack",
    )


@dataclass(frozen=True)
class _PortfolioReport:
    """A report on the whole portfolio (the overview, the committee cover report)."""

    id: str
    stem: str
    title: str
    header: str
    masthead: str
    alone: bool = False


#: The portfolio reports, in the order they are planned (the overview runs last, alone).
_PORTFOLIO_REPORTS = (
    _PortfolioReport(
        COMMITTEE_ID,
        COMMITTEE_STEM,
        COMMITTEE_TITLE,
        header="Partnership portfolio",
        masthead="Committee cover report",
    ),
    _PortfolioReport(
        OVERVIEW_ID,
        OVERVIEW_STEM,
        OVERVIEW_TITLE,
        header="Partnership landscape",
        masthead="Portfolio overview",
        alone=True,
    ),
)


def _portfolio_job(
    job: Callable[..., BuildJob],
    report: _PortfolioReport,
    notebook: Path,
    settings: Settings,
    assessment_round: str,
) -> BuildJob:
    folder = pack_folder(settings.reports_dir, report.id, report.stem)
    return job(
        id=report.id,
        notebook=notebook,
        out_dir=folder,
        stem=report.stem,
        params=overview_parameters(assessment_round, settings.processed_dir, folder),
        title=report.title,
        header=report.header,
        masthead=report.masthead,
        alone=report.alone,
    )


def plan_build(
    settings: Settings, options: BuildOptions, scored: ScoredFolder, manifest: Mapping[str, Any]
) -> Plan:
    """Key the selected packs (and, unless ``--only``, the overview and the cover report).

    The stale ones become jobs.

    Raises:
        BuildError: unknown formats, no prepared data, unknown or out-of-scope ids.
    """
    formats = resolve(options.formats)
    selected = select(read_register(settings.processed_dir), options.only)
    plan = Plan(scored.round_or_latest(options.round), scored.notice)
    assessment_round = plan.assessment_round
    names = [fmt.name for fmt in formats]
    keys = InputKeys.gather(settings, names, plan.notice, assessment_round)
    job = partial(BuildJob, timeout=options.timeout, formats=formats, notice=plan.notice)
    notebook = options.pack_notebook or PACK_NOTEBOOK
    source = notebook.read_bytes()
    previous = manifest.get("packs", {})
    for row in selected:
        key = keys.pack(source, row.id)
        plan.add(
            PackOutcome(row.id, row.name, "up-to-date", key, tier=row.tier),
            _pack_job(job, row, notebook, settings, assessment_round),
            previous.get(row.id),
            options.force,
        )
    if not options.only:
        notebooks = {
            COMMITTEE_ID: options.committee_notebook or COMMITTEE_NOTEBOOK,
            OVERVIEW_ID: options.overview_notebook or OVERVIEW_NOTEBOOK,
        }
        for report in _PORTFOLIO_REPORTS:
            notebook = notebooks[report.id]
            key = keys.overview(notebook.read_bytes())
            plan.add(
                PackOutcome(report.id, report.title, "up-to-date", key),
                _portfolio_job(job, report, notebook, settings, assessment_round),
                manifest.get(report.id),
                options.force,
            )
    return plan
