"""The evidence-pack build: plan, run on warm kernels, write every format, index.

Modules: :mod:`~evalkit.build.records` (options, jobs, outcomes),
:mod:`~evalkit.build.formats` (the output formats), :mod:`~evalkit.build.keys`
(input keys), :mod:`~evalkit.build.plan` (what to build),
:mod:`~evalkit.build.job` (one job), :mod:`~evalkit.build.lanes` and
:mod:`~evalkit.build.kernels` (the warm kernels), :mod:`~evalkit.build.manifest`,
:mod:`~evalkit.build.index`, and :mod:`~evalkit.build.run` (the whole build).
"""

from __future__ import annotations

from evalkit.build.formats import FORMATS, OutputFormat, Sources
from evalkit.build.records import BuildOptions, BuildResult, Failure, PackOutcome
from evalkit.config import Settings

__all__ = [
    "FORMATS",
    "BuildOptions",
    "BuildResult",
    "Failure",
    "OutputFormat",
    "PackOutcome",
    "Sources",
    "run_build",
]


def run_build(settings: Settings, options: BuildOptions) -> BuildResult:
    """Build the packs and the overview; write the manifest and the index.

    See :func:`evalkit.build.run.run_build` (imported here only when called, so that
    reading the formats or options, as the command line's help does, stays quick).
    """
    from evalkit.build.run import run_build as run

    return run(settings, options)
