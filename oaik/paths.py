"""Where the ontology, data, shapes and queries live.

In an installed wheel they are packaged under ``oaik/_resources``; in a
source checkout (or an editable install) they are the top-level folders of
the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "_resources"
_CHECKOUT = Path(__file__).resolve().parent.parent


def resource_root() -> Path:
    """The folder holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``."""
    return _PACKAGED if (_PACKAGED / "ontology").is_dir() else _CHECKOUT


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def shapes_dir() -> Path:
    return resource_root() / "shapes"


def queries_dir() -> Path:
    return resource_root() / "queries"


def turtle_files(*folders: Path) -> list[Path]:
    """All ``.ttl`` files below the given folders, in a stable order."""
    files: list[Path] = []
    for folder in folders:
        files.extend(sorted(folder.rglob("*.ttl")))
    return files


def graph_files() -> list[Path]:
    """The files of the knowledge graph: ontology, vocabularies and data."""
    return turtle_files(ontology_dir(), data_dir())
