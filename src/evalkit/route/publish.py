"""Publishing: the reviewer-facing outputs copied where reviewers read them, all at once.

The destination ``DEST`` is a symbolic link that evalkit manages. Each publish copies
the set into a new folder beside it (``.<DEST name>.sets/<UTC time>-<short id>/``),
checks every copy against the manifest's hash, and only then points ``DEST`` at the new
set by renaming a new link onto it (:func:`os.replace`, atomic): a reader sees the old
set or the new one, never half of one. The previous set is kept (a reader may still be
in it); older sets, and sets a killed publish left half copied, are removed.

What is published: ``index.html`` and, for every pack, the overview and the cover
report, the files the manifest lists for the version on disk except the executed
notebooks and ``summary.json`` (the index's own data). Never the manifest, logs, lock
files or anything else of the server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evalkit.atomic import fsync_quietly
from evalkit.errors import EvalkitError
from evalkit.inputs.dataset import file_sha256
from evalkit.names import project_relative
from evalkit.route.record import Publication, utc_now

#: no-failures: publish only when no pack failed; keep-last-good: publish when packs
#: failed too, each failed pack showing its last good version (marked stale in the index).
Policy = Literal["no-failures", "keep-last-good"]
POLICIES: tuple[Policy, ...] = ("no-failures", "keep-last-good")
#: Files of a pack's record that are not for reviewers.
NOT_PUBLISHED_SUFFIXES = (".ipynb",)
NOT_PUBLISHED_NAMES = ("summary.json",)
INDEX_FILE = "index.html"


class PolicyNotMet(EvalkitError):
    """The reports do not meet the publishing policy: nothing was published."""


@dataclass(frozen=True)
class PublishItem:
    """One file to publish.

    Attributes:
        path: its path under the reports folder (and under the published set).
        sha256: its hash as the manifest lists it, or None (the index).
    """

    path: str
    sha256: str | None


def _records(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    records: dict[str, Mapping[str, Any]] = dict(manifest.get("packs") or {})
    for portfolio in ("overview", "committee"):
        if manifest.get(portfolio):
            records[portfolio] = manifest[portfolio]
    return records


def policy_problems(manifest: Mapping[str, Any], policy: Policy) -> list[str]:
    """Why the reports do not meet ``policy`` (empty when they do)."""
    records = _records(manifest)
    if not records:
        return ["no packs have been built (run evalkit run or evalkit build first)"]
    problems = []
    for pid, record in sorted(records.items()):
        status = record.get("status")
        if status in ("failed", "stale") and policy == "no-failures":
            problems.append(f"{pid} failed to build")
        elif status == "failed":
            problems.append(f"{pid} failed to build and has no earlier version")
        elif status == "pending":
            problems.append(f"{pid} was not built (the build stopped)")
    return problems


def published_items(manifest: Mapping[str, Any]) -> list[PublishItem]:
    """The reviewer-facing files the manifest lists, and the index page."""
    items = [PublishItem(INDEX_FILE, None)]
    for pid, record in sorted(_records(manifest).items()):
        for name, digest in sorted(dict(record.get("files") or {}).items()):
            if name.endswith(NOT_PUBLISHED_SUFFIXES) or name in NOT_PUBLISHED_NAMES:
                continue
            items.append(PublishItem(f"{pid}/{name}", str(digest)))
    return items


def sets_folder(destination: Path) -> Path:
    """The folder beside ``destination`` that holds the published sets."""
    return destination.parent / f".{destination.name}.sets"


def _copy_set(reports: Path, items: list[PublishItem], target: Path) -> dict[str, str]:
    """Copy ``items`` into ``target``; check each against its hash; return path → hash."""
    copied: dict[str, str] = {}
    for item in items:
        source = reports / item.path
        if not source.is_file() or source.is_symlink():
            raise EvalkitError(f"cannot publish {item.path}: not a regular file in the reports")
        copy = target / item.path
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        digest = file_sha256(copy)
        if item.sha256 is not None and digest != item.sha256:
            raise EvalkitError(
                f"cannot publish {item.path}: it changed since the build (hash differs from "
                "the manifest)"
            )
        copied[item.path] = digest
    for folder in sorted({p.parent for p in target.rglob("*")}, reverse=True):
        fsync_quietly(folder)
    return copied


def _current_set(destination: Path) -> Path | None:
    """The set ``destination`` points at, if it is a link evalkit made."""
    if not destination.is_symlink():
        return None
    return (destination.parent / os.readlink(destination)).resolve()


def _tidy_sets(sets: Path, keep: set[Path]) -> None:
    """Remove every set but ``keep`` (older sets, and half-copied ones a killed publish left)."""
    for folder in sets.iterdir():
        if folder.is_dir() and not folder.is_symlink() and folder.resolve() not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def publish(
    reports: Path, manifest: Mapping[str, Any], destination: Path, policy: Policy
) -> Publication:
    """Copy the reviewer-facing outputs to ``destination`` in one swap.

    Raises:
        PolicyNotMet: the reports do not meet ``policy``; nothing was copied.
        EvalkitError: ``destination`` is a folder or file rather than a link evalkit
            made, or a file cannot be copied; the destination is left as it was.
    """
    problems = policy_problems(manifest, policy)
    if problems:
        raise PolicyNotMet(
            f"not published (policy {policy}): "
            + "; ".join(problems[:10])
            + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        )
    destination = destination.absolute()
    if destination.exists() and not destination.is_symlink():
        raise EvalkitError(
            f"{project_relative(destination)} is a folder or file, not a link evalkit made: "
            "publish to a new name (evalkit makes it a link to the published set), or move "
            "it aside first"
        )
    previous = _current_set(destination)
    sets = sets_folder(destination)
    sets.mkdir(parents=True, exist_ok=True)
    _tidy_sets(sets, {previous} if previous else set())
    when = utc_now()
    name = f"{when.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
    target = sets / name
    target.mkdir()
    try:
        files = _copy_set(reports, published_items(manifest), target)
        link = destination.parent / f".{destination.name}.{uuid.uuid4().hex[:12]}.link"
        os.symlink(Path(sets.name) / name, link)
        try:
            os.replace(link, destination)  # the swap: readers see the old set or the new
        except BaseException:
            link.unlink(missing_ok=True)
            raise
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    fsync_quietly(destination.parent)
    with contextlib.suppress(OSError):
        _tidy_sets(sets, {target.resolve(), *([previous] if previous else [])})
    return Publication(
        destination=str(destination),
        set=f"{sets.name}/{name}",
        policy=policy,
        published=when.isoformat(),
        files=files,
    )
