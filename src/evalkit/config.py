"""The one place that knows where things live and which settings apply.

Paths default to the project layout (``data/raw``, ``data/processed``, ``reports``,
``logs``) under the project root, or to ``EVALKIT_RAW``, ``EVALKIT_PROCESSED``,
``EVALKIT_REPORTS`` and ``EVALKIT_LOGS`` when set. The root is the current working directory when it looks
like an evalkit project, else the checkout this package was installed from; set
``EVALKIT_ROOT`` to override.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

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


@dataclass(frozen=True)
class Settings:
    """Paths and tunable settings for one run.

    Attributes:
        raw_dir: immutable input tables.
        processed_dir: validated, typed tables and scores.
        reports_dir: generated evidence packs (what reviewers receive).
        logs_dir: what a run says for its operators only (warnings, kernel output);
            never published.
        officer_day_rate_gbp: cost of one officer day, used to price officer time.
        min_cell_size: smallest group shown in any breakdown other than by organisation.
        min_respondents: fewer answers than this earns a low-evidence caveat.
        min_organisations: fewer organisations than this earns a low-evidence caveat.
    """

    raw_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_RAW", "data/raw"))
    processed_dir: Path = field(
        default_factory=lambda: _env_path("EVALKIT_PROCESSED", "data/processed")
    )
    reports_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_REPORTS", "reports"))
    logs_dir: Path = field(default_factory=lambda: _env_path("EVALKIT_LOGS", "logs"))
    officer_day_rate_gbp: float = 350.0
    min_cell_size: int = 3
    min_respondents: int = 3
    min_organisations: int = 2

    @property
    def scores_dir(self) -> Path:
        """Folder for scoring outputs inside the processed folder."""
        return self.processed_dir / "scores"

    def with_paths(
        self,
        raw_dir: Path | str | None = None,
        processed_dir: Path | str | None = None,
        reports_dir: Path | str | None = None,
    ) -> Settings:
        """Return a copy with some paths replaced."""
        return replace(
            self,
            raw_dir=self.raw_dir if raw_dir is None else Path(raw_dir),
            processed_dir=self.processed_dir if processed_dir is None else Path(processed_dir),
            reports_dir=self.reports_dir if reports_dir is None else Path(reports_dir),
        )
