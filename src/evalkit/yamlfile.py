"""Read a YAML file with bounded work: the one YAML loader for evalkit's input files.

Frameworks, ``scales.yaml`` and ``dataset.yaml`` are small, plain documents. A hostile
file of a few hundred bytes can still ask for gigabytes (the "billion laughs": aliases of
aliases) or for a deep recursion, so :func:`load_yaml` reads only safe YAML, refuses
aliases outright (no evalkit file needs them), and limits the file's size, the number of
values in it and how deeply they nest. Every refusal names the file and the limit, and
never quotes the document.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import Node
from yaml.resolver import Resolver

from evalkit.config import Settings, describe_limit
from evalkit.errors import EvalkitError, InputFileError

#: Deepest nesting of mappings and lists accepted (the shipped files nest 4 deep).
MAX_DEPTH = 50

if yaml.__with_libyaml__:  # libyaml's fast parser, as yaml.CSafeLoader uses
    from yaml._yaml import CParser as _Parser
else:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        """The pure-Python reader, scanner and parser of yaml.SafeLoader."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


class _Refused(Exception):
    """Raised inside the loader; turned into the caller's error with the file's name."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


class _BoundedComposer(Composer):
    """PyYAML's composer, counting values and depth and refusing aliases."""

    max_nodes = 100_000

    def __init__(self) -> None:
        super().__init__()
        self.node_count = 0
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one value after checking the limits (the composer's own recursion)."""
        event = self.peek_event()  # type: ignore[attr-defined]  # from the parser
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            raise _Refused(
                "uses a YAML alias (*name): evalkit does not accept aliases; "
                "write each value out in full",
                line,
            )
        self.node_count += 1
        if self.node_count > self.max_nodes:
            raise _Refused(
                f"holds more than {self.max_nodes:,} values "
                f"(the limit; {describe_limit('max_yaml_nodes')})",
                line,
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"nests values more than {MAX_DEPTH} levels deep", line)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class BoundedSafeLoader(_BoundedComposer, _Parser, SafeConstructor, Resolver):
    """Safe YAML (plain data, no Python objects) with no aliases and a value limit."""

    def __init__(self, stream: str, max_nodes: int = 100_000) -> None:
        _Parser.__init__(self, stream)
        _BoundedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.max_nodes = max_nodes


def _read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The file's bytes, refusing a folder, an unreadable file or more than ``limit`` bytes."""
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, but a {what} file was expected")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputFileError(f"{path}: {what} file not found") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputFileError(
            f"{path.name}: {what} file is larger than {limit:,} bytes "
            f"(the limit; {describe_limit('max_yaml_bytes')})"
        )
    return data


def load_yaml(
    path: Path,
    *,
    what: str,
    error: type[EvalkitError] = InputFileError,
    settings: Settings | None = None,
) -> object:
    """Read one YAML document with bounded work.

    Args:
        path: the YAML file.
        what: what the file is, for messages ("framework", "dataset description").
        error: the exception raised for a file that cannot be used.
        settings: the size and value limits (default: ``Settings()``, which reads the
            ``EVALKIT_MAX_YAML_*`` environment variables).

    Returns:
        The document as plain Python data (dicts, lists, strings, numbers, dates); None
        for an empty file.

    Raises:
        EvalkitError: of type ``error``: the file is missing, a folder, unreadable, too
            large, not UTF-8, not valid YAML, uses aliases, holds too many values or nests
            too deeply. The message names the file and, where one applies, the limit.
    """
    limits = settings or Settings()
    try:
        data = _read_bounded(path, limits.max_yaml_bytes, what)
    except InputFileError as exc:
        raise error(str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{path.name}: {what} file is not UTF-8 text (byte {exc.start:,} cannot be decoded)"
        ) from None
    loader = BoundedSafeLoader(text, max_nodes=limits.max_yaml_nodes)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise error(f"{path.name}: {what} file {exc.reason}{where}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise error(f"{path.name}: {what} file is not valid YAML{where}: {problem}") from None
    finally:
        loader.dispose()
