"""The graph to export, one source file at a time, in a stable order.

Files come in a stable order (selection: ontology, data, shapes; then path).
Within a file, the triples without blank nodes come in the order the file
states them (parsing is deterministic); then the triples with blank nodes,
canonically labelled (:mod:`oaik.publish.canonical`, on those triples only:
the others cannot change a blank node's label) with the prefix
``f<file number>`` (stable run to run, distinct between files) and sorted.
Memory holds one file at a time.

The triples come from the files (parsed by pyoxigraph, in Rust), not from the
persistent store: the store keeps literals by value and rewrites their form
(``"1"^^xsd:positiveInteger`` becomes ``"1"^^xsd:integer``, ``"07"`` becomes
``"7"``), and an export must say exactly what the files say.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from oaik.paths import data_dir, ontology_dir, shapes_dir
from oaik.publish.canonical import canonical_triples

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Chunk:
    """The sorted, canonically labelled triples of one source file."""

    selection: str  # ontology, data or shapes
    path: Path
    triples: list[ox.Triple]


def selection_folders(selections: Iterable[str]) -> dict[str, Path]:
    folders = {"ontology": ontology_dir(), "data": data_dir(), "shapes": shapes_dir()}
    return {name: folders[name] for name in selections}


def chunks(selections: Iterable[str]) -> Iterator[Chunk]:
    """Each source file of the selections (in canonical order) as a :class:`Chunk`."""
    from oaik.paths import turtle_files
    from oaik.store.graph import read_triples

    number = 0
    for name, folder in selection_folders(selections).items():
        for path in turtle_files(folder) if folder.is_dir() else []:
            yield Chunk(name, path, ordered(read_triples(path), number))
            number += 1


def ordered(triples: Iterable[ox.Triple], number: int) -> list[ox.Triple]:
    """The triples in a stable order; those with blank nodes canonicalised and labelled for file ``number``."""
    plain: list[ox.Triple] = []
    blank: list[ox.Triple] = []
    for triple in triples:
        has_blank = type(triple.subject) is ox.BlankNode or type(triple.object) is ox.BlankNode
        (blank if has_blank else plain).append(triple)
    if blank:
        plain.extend(sorted(canonical_triples(blank, f"f{number}"), key=triple_key))
    return plain


def triple_key(triple: ox.Triple) -> tuple:
    """A total, stable order over triples: IRI subjects first, ``rdf:type`` first of a subject's triples."""
    subject: Any = triple.subject  # RDF 1.2 triple terms never reach here (the loader refuses them)
    predicate, obj = triple.predicate, cast(Any, triple.object)
    literal = type(obj) is ox.Literal
    return (
        type(subject) is ox.BlankNode,
        subject.value,
        predicate.value != _RDF_TYPE,
        predicate.value,
        literal,
        obj.value,
        (obj.language or "", obj.datatype.value) if literal else ("", ""),
    )
