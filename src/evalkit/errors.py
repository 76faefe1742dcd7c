"""Exceptions for programming errors and unusable inputs.

What an evaluation *discovers* about a partnership is never raised: it is a
:class:`evalkit.method.findings.Finding`. Problems in a user's data files are collected as
:class:`evalkit.inputs.validate.Problem` records and reported together, never one at a time.
"""

from __future__ import annotations


class EvalkitError(Exception):
    """Base class for every error evalkit raises on purpose."""


class InputFileError(EvalkitError):
    """An input file or folder cannot be read at all (missing, locked, not a table)."""


class FrameworkSpecError(EvalkitError):
    """A framework or scale YAML file breaks the framework schema."""


class BuildError(EvalkitError):
    """The evidence-pack build cannot start (not: one pack failed)."""


class Interrupted(BaseException):  # noqa: N818 - it is a stop, not an error
    """SIGTERM or SIGINT arrived: stop now, clean up, exit ``128 + signal number``.

    Derived from :class:`BaseException` (like :class:`KeyboardInterrupt`) so that no
    ``except Exception`` meant for one pack's failure swallows it.
    """

    def __init__(self, signum: int) -> None:
        import signal

        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum
