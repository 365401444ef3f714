"""Where the ontology, data, shapes and queries live.

In an installed wheel they are packaged under ``oaik/_resources``; in a
source checkout (or an editable install) they are the top-level folders of
the repository.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_root() -> Path:
    """The folder holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``."""
    return _PACKAGED if (_PACKAGED / "ontology").is_dir() else _CHECKOUT


def installed_copy() -> bool:
    """Whether the graph is the copy packaged in an installed wheel (not a checkout's own folders)."""
    return resource_root() == _PACKAGED


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def shapes_dir() -> Path:
    return resource_root() / "shapes"


def queries_dir() -> Path:
    return resource_root() / "queries"


def turtle_files(*folders: Path) -> list[Path]:
    """All ``.ttl`` files below the given folders, in a stable order: ``sorted(folder.rglob("*.ttl"))``."""
    return [Path(name) for name in turtle_names(*folders)]


def turtle_names(*folders: Path) -> list[str]:
    """:func:`turtle_files` as strings (``str(path)`` of each)."""
    return [name for folder in folders for name in _turtle_names(os.fspath(folder))]


def _turtle_names(folder: str) -> Iterator[str]:
    """What ``sorted(Path(folder).rglob("*.ttl"))`` gives, as strings, in a tenth of its time (one ``scandir``
    per folder, names sorted in each: the same order). Symbolic links to folders are not followed, and
    folders that cannot be read are skipped, as ``rglob`` does."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(".ttl"):
            yield entry.path
        if entry.is_dir(follow_symlinks=False):
            yield from _turtle_names(entry.path)


def graph_files() -> list[Path]:
    """The files of the knowledge graph: ontology, vocabularies and data."""
    return turtle_files(ontology_dir(), data_dir())


@functools.lru_cache(maxsize=1024)  # asked for the folder of every file of a contribution
def checkout_root(path: Path) -> Path | None:
    """The checkout of the OAIK repository holding ``path`` (a resolved path): the nearest folder at or above
    it with ``ontology/oaik.ttl`` and ``shapes/``; None outside any. A user's clone is one, also when the
    ``oaik`` that runs was installed from a wheel (whose graph is then another copy: :func:`resource_root`)."""
    for folder in (path, *path.parents):
        if (folder / "ontology" / "oaik.ttl").is_file() and (folder / "shapes").is_dir():
            return folder
    return None
