"""The one place that knows where things live and which settings apply.

Paths default to the project layout (``data/raw``, ``data/processed``, ``reports``,
``logs``) under the project root, or to ``EVALKIT_RAW``, ``EVALKIT_PROCESSED``,
``EVALKIT_REPORTS`` and ``EVALKIT_LOGS`` when set. The root is the current working
directory when it looks like an evalkit project, else the checkout this package was
installed from; set ``EVALKIT_ROOT`` to override. Limits on input files (sizes, cells,
YAML values) come from ``EVALKIT_MAX_*`` variables when set (:data:`LIMIT_VARIABLES`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from evalkit.errors import EvalkitError

PACKAGE_DIR = Path(__file__).resolve().parent
FRAMEWORKS_DIR = PACKAGE_DIR / "method" / "frameworks"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"


def _find_root() -> Path:
    env = os.environ.get("EVALKIT_ROOT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    for candidate in (cwd, *cwd.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "data").is_dir():
            return candidate
    # Installed in editable mode from a checkout: src/evalkit -> project root.
    return PACKAGE_DIR.parents[1]


PROJECT_ROOT = _find_root()
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def _env_path(variable: str, default: str) -> Path:
    """A folder from an environment variable, else ``default`` under the project root."""
    value = os.environ.get(variable)
    return Path(value).resolve() if value else PROJECT_ROOT / default


MB = 1024 * 1024

#: Each input limit: its Settings field -> (environment variable, default).
LIMIT_VARIABLES: dict[str, tuple[str, int]] = {
    "max_input_bytes": ("EVALKIT_MAX_INPUT_BYTES", 100 * MB),
    "max_workbook_uncompressed_bytes": ("EVALKIT_MAX_WORKBOOK_UNCOMPRESSED_BYTES", 500 * MB),
    "max_compression_ratio": ("EVALKIT_MAX_COMPRESSION_RATIO", 200),
    "max_sheet_cells": ("EVALKIT_MAX_SHEET_CELLS", 5_000_000),
    "max_yaml_bytes": ("EVALKIT_MAX_YAML_BYTES", 1 * MB),
    "max_yaml_nodes": ("EVALKIT_MAX_YAML_NODES", 100_000),
}


def _respondent_key() -> Path:
    """The respondent key's file: ``EVALKIT_RESPONDENT_KEY``, else the user's config folder."""
    value = os.environ.get("EVALKIT_RESPONDENT_KEY")
    if value:
        return Path(value).expanduser().resolve()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "evalkit" / "respondent.key"


def _env_limit(name: str) -> int:
    """A limit from its environment variable (a whole number above 0), else its default.

    Raises:
        EvalkitError: the variable is set to something other than a whole number above 0.
    """
    variable, default = LIMIT_VARIABLES[name]
    value = os.environ.get(variable, "").strip().replace("_", "")
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise EvalkitError(
            f"environment variable {variable} is {value[:40]!r}: expected a whole number above 0"
        )
    return int(value)


def limit_field(name: str) -> int:
    """A dataclass field whose default comes from :data:`LIMIT_VARIABLES`."""
    return field(default_factory=lambda: _env_limit(name))


def describe_limit(name: str) -> str:
    """How to change a limit, for messages (the setting and its environment variable)."""
    return f"setting {name} (environment variable {LIMIT_VARIABLES[name][0]})"


@dataclass(frozen=True)
class Settings:
    """Paths and tunable settings for one run.

    Attributes:
        raw_dir: immutable input tables.
        interim_dir: tables evalkit derived from raw input that people sent in (survey
            exports imported, officer returns ingested); read together with ``raw_dir``
            by validation (``EVALKIT_INTERIM``, default ``data/interim``).
        processed_dir: validated, typed tables and scores.
        reports_dir: generated evidence packs (what reviewers receive).
        logs_dir: what a run says for its operators only (warnings, kernel output);
            never published.
        officer_day_rate_gbp: cost of one officer day, used to price officer time.
        min_cell_size: smallest group shown in any breakdown other than by organisation.
        min_respondents: fewer answers than this earns a low-evidence caveat.
        min_organisations: fewer organisations than this earns a low-evidence caveat.
        min_change_share: the smallest change between rounds called "improved" or
            "declined", as a share of the scale's span (0.125: half a point on 1-5).
        max_input_bytes: largest input table file (CSV or workbook) read, in bytes
            (``EVALKIT_MAX_INPUT_BYTES``, default 100 MB).
        max_workbook_uncompressed_bytes: largest total a workbook may unpack to, in
            bytes (``EVALKIT_MAX_WORKBOOK_UNCOMPRESSED_BYTES``, default 500 MB).
        max_compression_ratio: largest unpacked-to-packed ratio of any part of a
            workbook larger than 1 MB unpacked (``EVALKIT_MAX_COMPRESSION_RATIO``,
            default 200; ordinary sheets compress 5 to 50 times, zip bombs about 1,000).
        max_sheet_cells: most cells read from one sheet, counted as rows times the widest
            row actually present (``EVALKIT_MAX_SHEET_CELLS``, default 5 million). A
            sheet's declared size is never trusted: sheets are read by their real cells.
        max_yaml_bytes: largest framework, scale or ``dataset.yaml`` file read, in bytes
            (``EVALKIT_MAX_YAML_BYTES``, default 1 MB).
        max_yaml_nodes: most values (mappings, lists and scalars) in one YAML file
            (``EVALKIT_MAX_YAML_NODES``, default 100,000).
        respondent_key: the secret key that turns survey respondents' names and e-mail
            addresses into respondent ids; kept outside the project, never published
            (``EVALKIT_RESPONDENT_KEY``, default ``~/.config/evalkit/respondent.key``).
    """

    raw_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_RAW", "data/raw"))
    interim_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_INTERIM", "data/interim"))
    processed_dir: Path = field(
        default_factory=lambda: _env_path("EVALKIT_PROCESSED", "data/processed")
    )
    reports_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_REPORTS", "reports"))
    logs_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_LOGS", "logs"))
    officer_day_rate_gbp: float = 350.0
    min_cell_size: int = 3
    min_respondents: int = 3
    min_organisations: int = 2
    min_change_share: float = 0.125
    max_input_bytes: int = limit_field("max_input_bytes")
    max_workbook_uncompressed_bytes: int = limit_field("max_workbook_uncompressed_bytes")
    max_compression_ratio: int = limit_field("max_compression_ratio")
    max_sheet_cells: int = limit_field("max_sheet_cells")
    max_yaml_bytes: int = limit_field("max_yaml_bytes")
    max_yaml_nodes: int = limit_field("max_yaml_nodes")
    respondent_key: Path = field(default_factory=_respondent_key)

    @property
    def scores_dir(self) -> Path:
        """Folder for scoring outputs inside the processed folder."""
        return self.processed_dir / "scores"

    def with_paths(
        self,
        raw_dir: Path | str | None = None,
        processed_dir: Path | str | None = None,
        reports_dir: Path | str | None = None,
        interim_dir: Path | str | None = None,
    ) -> Settings:
        """Return a copy with some paths replaced (relative ones made absolute).

        A relative path is taken from the current folder, as the command line means it,
        and made absolute at once: the build's kernels run in the notebooks' folder.
        """
        return replace(
            self,
            raw_dir=self.raw_dir if raw_dir is None else Path(raw_dir).absolute(),
            interim_dir=self.interim_dir if interim_dir is None else Path(interim_dir).absolute(),
            processed_dir=(
                self.processed_dir if processed_dir is None else Path(processed_dir).absolute()
            ),
            reports_dir=self.reports_dir if reports_dir is None else Path(reports_dir).absolute(),
        )
