"""Evidence people sent in, brought in as one step each: officer returns, survey exports.

The ``evalkit returns ingest`` and ``evalkit survey import`` commands and the first
stages of ``evalkit run`` call the same functions here, so a scheduled run brings
evidence in exactly as a person at the command line would. Each step reports in lines
(inert text, ready to print or to log) with the exit code its command gives: 0, or 2
when the input cannot be used as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evalkit.config import Settings

if TYPE_CHECKING:
    from evalkit.method.framework import Framework

#: The exit code of a step whose input can be used, and of one whose input cannot.
OK, INVALID = 0, 2
#: Where officers' returned workbooks wait to be ingested, inside the raw folder.
RETURNS_INBOX = Path("returns") / "inbox"
#: Where survey exports and their mappings wait to be imported, inside the raw folder.
SURVEY_FOLDER = Path("survey")
#: A mapping's file name ends so: ``<export name>.mapping.yaml`` beside ``<export name>.xlsx``.
MAPPING_SUFFIX = ".mapping.yaml"
#: The export file types a mapping's export may have, in the order they are looked for.
EXPORT_SUFFIXES = (".xlsx", ".csv")


@dataclass
class StepReport:
    """What one intake step did.

    Attributes:
        exit_code: 0, or 2 when the input cannot be used as it is.
        lines: its report, one line each, as the command prints it.
    """

    exit_code: int = OK
    lines: list[str] = field(default_factory=list)

    def add(self, other: StepReport) -> None:
        """Fold another step's report into this one (the worse exit code wins)."""
        self.exit_code = max(self.exit_code, other.exit_code)
        self.lines += other.lines


def returns_inbox(settings: Settings) -> Path:
    """The folder the route ingests officer returns from: ``<raw>/returns/inbox``."""
    return settings.raw_dir / RETURNS_INBOX


def has_returns(settings: Settings) -> bool:
    """True when officer returns wait in the inbox."""
    inbox = returns_inbox(settings)
    return inbox.is_dir() and any(p.is_file() for p in inbox.iterdir())


def survey_mappings(settings: Settings) -> list[Path]:
    """Every survey mapping waiting in ``<raw>/survey/``, in name order."""
    return sorted((settings.raw_dir / SURVEY_FOLDER).glob(f"*{MAPPING_SUFFIX}"))


def ingest_returns(
    settings: Settings,
    frameworks: dict[str, Framework],
    folder: Path,
    *,
    round_: str | None = None,
    accept_problems: bool = False,
) -> StepReport:
    """Ingest every returned workbook in ``folder`` (see :func:`.returns.ledger.ingest`).

    Exit code 2 when a return is refused (wrong partnership, round or template), or
    when one has cell problems and ``accept_problems`` is off; the valid cells of a
    return with problems are used either way.
    """
    from evalkit.inputs.returns import ledger, outbox
    from evalkit.inputs.returns.template import build_template

    outcomes = ledger.ingest(
        folder,
        settings,
        build_template(frameworks),
        frameworks,
        outbox.register_ids(settings),
        expected_round=round_ or ledger.known_round(settings, sent_only=True),
    )
    report = StepReport(lines=[ledger.describe(outcome) for outcome in outcomes])
    refused = sum(o.read.refused for o in outcomes)
    with_problems = sum(bool(o.read.problems) and not o.read.refused for o in outcomes)
    report.lines.append(
        f"{len(outcomes)} workbook(s): {refused} refused, {with_problems} with problems to "
        "send back"
    )
    if refused or (with_problems and not accept_problems):
        report.exit_code = INVALID
    return report


def import_survey(
    settings: Settings,
    frameworks: dict[str, Framework],
    export: Path,
    mapping_path: Path,
    out: Path | None = None,
) -> StepReport:
    """Import one survey export with its mapping into the interim folder (or ``out``).

    Exit code 2, with every problem and nothing written, when the mapping cannot be
    applied. A respondent key created on first use is said in the report.
    """
    from evalkit.inputs.survey.importer import import_export, interim_folder, write_import
    from evalkit.inputs.survey.mapping import MappingError, load_mapping
    from evalkit.inputs.survey.pseudonym import load_key

    report = StepReport()
    key = load_key(settings.respondent_key)
    if key.created:
        report.lines.append(
            f"Created a new respondent key at {key.path} (readable by you only). Keep it and "
            "back it up: a new key gives every respondent a new id."
        )
    try:
        mapping = load_mapping(mapping_path, settings)
        imported = import_export(
            export, mapping, frameworks, key, mapping_name=mapping_path.name, settings=settings
        )
    except MappingError as exc:
        report.lines += [f"ERROR {problem}" for problem in exc.problems]
        report.lines.append(f"{len(exc.problems)} problem(s): nothing imported from {export.name}.")
        report.exit_code = INVALID
        return report
    written = write_import(imported, out or interim_folder(settings, export))
    report.lines += imported.coverage.summary().splitlines()
    report.lines.append(f"Wrote {', '.join(str(p) for p in written)}")
    return report


def import_surveys(settings: Settings, frameworks: dict[str, Framework]) -> StepReport:
    """Import every export in ``<raw>/survey/`` that has a mapping beside it.

    A mapping ``<name>.mapping.yaml`` goes with the export ``<name>.xlsx`` (or ``.csv``);
    a mapping without its export is a problem (exit code 2), the others are imported.
    """
    report = StepReport()
    for mapping in survey_mappings(settings):
        stem = mapping.name.removesuffix(MAPPING_SUFFIX)
        exports = [mapping.with_name(stem + suffix) for suffix in EXPORT_SUFFIXES]
        export = next((path for path in exports if path.is_file()), None)
        if export is None:
            report.add(
                StepReport(
                    INVALID,
                    [
                        f"ERROR {mapping.name}: no export beside it (expected "
                        f"{' or '.join(p.name for p in exports)})"
                    ],
                )
            )
            continue
        report.add(import_survey(settings, frameworks, export, mapping))
    return report
