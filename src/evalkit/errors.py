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
