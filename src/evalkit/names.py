"""Names that become paths: the one rule for ids, and folders kept inside their parent.

Partnership, organisation, framework and indicator ids name files and folders
(``reports/<partnership_id>/``), so an id must be a safe name on every common file
system, wherever it comes from. The rule (:func:`id_problem`):

* lower-case letters ``a``-``z``, digits and single hyphens between them
  (``community-safety``), so no slashes, dots, spaces or control characters;
* at most :data:`MAX_ID_LENGTH` (64) characters;
* not a device name Windows reserves (``con``, ``prn``, ``aux``, ``nul``, ``com0``-``com9``,
  ``lpt0``-``lpt9``), in any case, with or without an extension.

Validation applies it to every id column (:mod:`evalkit.inputs.normalise`); the build
applies it again to every id it reads back from the processed folder
(:mod:`evalkit.build.plan`), which it never trusts, and confirms that every folder it
writes into lies inside the reports folder and is not a symbolic link
(:func:`safe_child`).

Paths handed to notebooks are written relative to the project root
(:func:`project_relative`) and resolved against it when used (:func:`project_path`), so
an executed notebook never records where the project sits on the server.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from evalkit.config import PROJECT_ROOT
from evalkit.errors import BuildError
from evalkit.terminal import inert

__all__ = [
    "DOWNLOADS_DIR",
    "ID_RULE",
    "MAX_ID_LENGTH",
    "PORTFOLIO_WORKBOOK",
    "PORTFOLIO_FOLDERS",
    "RESERVED_NAMES",
    "check_id",
    "id_problem",
    "project_path",
    "project_relative",
    "safe_child",
    "shown",
    "without_paths",
    "workbook_name",
]

#: The folder of a pack's CSV downloads, inside the pack's folder.
DOWNLOADS_DIR = "downloads"
#: The portfolio's workbook of every score, finding and action, in the overview's folder.
PORTFOLIO_WORKBOOK = "portfolio-data.xlsx"

#: Folders of the reports folder that hold portfolio-wide reports (the overview and the
#: committee cover report), so no partnership may have one of these as its id.
PORTFOLIO_FOLDERS = frozenset({"overview", "committee"})

#: The longest id accepted, in characters.
MAX_ID_LENGTH = 64

#: Device names Windows reserves in every folder, with or without an extension.
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in range(10)}
    | {f"lpt{digit}" for digit in range(10)}
)

#: What an acceptable id looks like, for messages and the data contract.
ID_RULE = (
    f"lower-case letters, digits and single hyphens between them, at most {MAX_ID_LENGTH} "
    "characters, and not a name Windows reserves (con, prn, aux, nul, com0-com9, lpt0-lpt9)"
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: An absolute path of two or more parts (POSIX ``/a/b``, Windows ``C:\a\b``, ``~/a``).
_ABSOLUTE_PATH = re.compile(
    r"(?<![\w.~/:\\])(?:~|[A-Za-z]:)?[/\\](?:[\w.@+-]+[/\\])+(?P<last>[\w.@+-]+)"
)
_SHOWN_LENGTH = 40


def _reserved(value: str) -> bool:
    """Whether Windows reserves the name: its part before the first dot, any case."""
    stem = value.split(".", 1)[0].rstrip(" ").lower()
    return stem in RESERVED_NAMES


def id_problem(value: str) -> str | None:
    """Say why ``value`` cannot be an id (a file or folder name), or None when it can.

    Args:
        value: the id as found.

    Returns:
        None for a safe id, else the reason in plain English (without the value itself,
        which the caller shows where it was found).
    """
    if not isinstance(value, str):
        return "an id must be text"
    if value == "":
        return "an id cannot be blank"
    if len(value) > MAX_ID_LENGTH:
        return f"it is {len(value)} characters long; an id has at most {MAX_ID_LENGTH}"
    if value in (".", ".."):
        return "'.' and '..' mean this folder and the one above it, so they cannot be ids"
    if _reserved(value):
        return (
            "Windows reserves this name for a device (con, prn, aux, nul, com0-com9, "
            "lpt0-lpt9), so no file or folder can have it"
        )
    if not _SLUG.fullmatch(value):
        return "an id has only lower-case letters, digits and single hyphens between them"
    return None


def shown(value: object) -> str:
    """A value as a message shows it: quoted, control characters escaped, long ones cut.

    Args:
        value: any value found in a file.

    Returns:
        At most about 40 characters of it in quotes, with a note of its full length
        when it was cut.
    """
    text = str(value)
    cut = text[:_SHOWN_LENGTH]
    escaped = inert(cut)
    if len(text) > _SHOWN_LENGTH:
        return f"'{escaped}…' ({len(text)} characters)"
    return f"'{escaped}'"


def without_paths(text: str) -> str:
    """``text`` with every absolute path cut to its last part, for a published page.

    An error message (``No such file or directory: '/srv/evalkit/data/x.csv'``) may
    name where a file sits on the server; a reader needs only the file's name.

    Args:
        text: a message.

    Returns:
        The message, each absolute path replaced by its last part (``x.csv``).
    """
    return _ABSOLUTE_PATH.sub(lambda match: match["last"], text)


def check_id(value: str, *, what: str) -> str:
    """Return ``value`` when it is a safe id, else refuse it.

    Args:
        value: the id to check.
        what: what the id is and where it was read, for the message (e.g.
            ``"partnership id in data/processed/partnerships.csv, row 3"``).

    Returns:
        ``value``, unchanged.

    Raises:
        BuildError: the id is not safe as a file or folder name.
    """
    problem = id_problem(value)
    if problem is not None:
        raise BuildError(f"{what}: {shown(value)} cannot be used as a name: {problem}")
    return value


def safe_child(parent: Path, name: str, *, what: str) -> Path:
    """The folder ``parent / name``, confirmed to be a real folder inside ``parent``.

    ``name`` must be a safe id (:func:`check_id`); the folder, when it exists already,
    must not be a symbolic link, and must resolve inside ``parent`` (itself resolved, so
    a reports folder that is a link is fine). Nothing is created.

    Args:
        parent: the folder the child must stay in (e.g. the reports folder).
        name: the child's name (e.g. a partnership id).
        what: what the folder is, for the message.

    Returns:
        ``parent / name``.

    Raises:
        BuildError: the name is unsafe, or the folder is a link or lies outside ``parent``.
    """
    check_id(name, what=what)
    child = parent / name
    if child.is_symlink():
        raise BuildError(
            f"{what}: {child} is a symbolic link; evalkit writes only into real folders "
            "inside the reports folder. Remove the link and build again."
        )
    if not child.resolve().is_relative_to(parent.resolve()):
        raise BuildError(f"{what}: {child} lies outside {parent}; nothing was written")
    return child


def project_relative(path: Path, root: Path = PROJECT_ROOT) -> str:
    """``path`` written relative to the project root, with forward slashes.

    A path outside the project is written with ``..`` steps, so it is still relative.

    Args:
        path: a file or folder (absolute, or relative to the current folder).
        root: the project root.

    Returns:
        The relative path, e.g. ``"data/processed"``, or ``"."`` for the root itself.
    """
    relative = os.path.relpath(Path(path).resolve(), Path(root).resolve())
    return PurePosixPath(*Path(relative).parts).as_posix()


def project_path(value: str | Path, root: Path = PROJECT_ROOT) -> Path:
    """A path as notebooks receive it, resolved against the project root.

    Args:
        value: a path relative to the project root (or an absolute path, kept).
        root: the project root.

    Returns:
        The absolute path.
    """
    path = Path(value)
    return path if path.is_absolute() else (Path(root) / path).resolve()


def workbook_name(partnership_id: str) -> str:
    """A pack's workbook of its tables, in the pack's folder: ``<partnership id>-data.xlsx``."""
    return f"{partnership_id}-data.xlsx"
