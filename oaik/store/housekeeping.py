"""Stores no oaik will use again: of source folders that are gone, or made by another oaik version or format.

Each checkout, installation and release has its own store in the cache
folder (:func:`oaik.store.persistent.store_location`), so deleting a clone or
upgrading oaik leaves the old store behind (65 MB for the shipped graph,
450 MB at a million triples). :func:`stale_stores` finds them and
:func:`remove_store` deletes one that no process holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oaik import __version__
from oaik.store.persistent import FORMAT, MANIFEST, cache_root


@dataclass(frozen=True)
class StaleStore:
    """A store folder in the cache and why no oaik will use it again."""

    location: Path
    reason: str
    size: int  # bytes on disk


def stale_stores(root: Path | None = None) -> list[StaleStore]:
    """The stale stores in ``root`` (default: the cache folder), by name."""
    root = cache_root() if root is None else root
    found = []
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if entry.name.startswith(".") or entry.is_symlink() or not (entry / MANIFEST).is_file():
            continue  # a build or working copy in progress, a store kept elsewhere on purpose, or not a store
        reason = _why_stale(entry / MANIFEST)
        if reason:
            found.append(StaleStore(entry, reason, _size(entry)))
    return found


def remove_store(location: Path) -> str:
    """Delete a store, its kept report and its readers' folder: "removed", or why not ("in use, left" when
    a process holds it; nothing is deleted then).

    The lock file stays: a process may have opened it already, and deleting
    it would let a second process take a lock of its own on a new file.
    """
    try:
        with _held(location.parent / f"{location.name}.lock") as held:
            if not held:
                return "in use, left"
            doomed = location.parent / f".{location.name}.old-{os.getpid()}"
            os.replace(location, doomed)  # the store disappears at once, then its files go
            for leftover in (doomed, location.parent / f"{location.name}.readers"):
                shutil.rmtree(leftover, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                (location.parent / f"{location.name}-report.json").unlink()
    except OSError as error:
        return f"not deleted ({error.strerror}: check the folder's permissions)"
    return "removed"


def _why_stale(manifest_path: Path) -> str:
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        made_by, files = (manifest["oaik"], manifest["format"]), list(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return "its manifest cannot be read (it would be rebuilt anyway)"
    if made_by != (__version__, FORMAT):
        return f"made by oaik {made_by[0]} (store format {made_by[1]}); this oaik {__version__} uses format {FORMAT}"
    if files and not any(os.path.exists(name) for name in files):
        return f"none of its {len(files)} source files exists any more (such as {files[0]})"
    return ""


def _size(folder: Path) -> int:
    total = 0
    for base, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(base, name)).st_size
    return total


@contextlib.contextmanager
def _held(lock: Path) -> Iterator[bool]:
    """The store's lock taken exclusively without waiting: True if taken (held until the block ends)."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no locking, as for the store itself
        yield True
        return
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
