"""The graph to export, one source file at a time, in a stable order.

Files come in a stable order (selection: ontology, data, shapes; then path)
and each file's triples are sorted (subject, ``rdf:type`` first, predicate,
object). Only files with blank nodes are canonicalised (RDFC-1.0, file by
file); their blank nodes are labelled ``f<file number>c14n<n>``, stable run
to run and distinct between files. Memory holds one file's triples at a time.

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
            triples = read_triples(path)
            yield Chunk(name, path, ordered(((t.subject, t.predicate, t.object) for t in triples), number))
            number += 1


def ordered(spo: Iterable[tuple], number: int) -> list[ox.Triple]:
    """Triples sorted for reading; blank nodes canonicalised and labelled for file ``number``."""
    triples = [ox.Triple(s, p, o) for s, p, o in spo]
    if any(type(t.subject) is ox.BlankNode or type(t.object) is ox.BlankNode for t in triples):
        triples = _canonical(triples, f"f{number}")
    triples.sort(key=_key)
    return triples


def _canonical(triples: list[ox.Triple], prefix: str) -> list[ox.Triple]:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def relabel(term):
        if type(term) is not ox.BlankNode:
            return term
        found = labels.get(term)
        if found is None:
            found = labels[term] = ox.BlankNode(prefix + term.value)
        return found

    return [ox.Triple(relabel(q.subject), q.predicate, relabel(q.object)) for q in dataset]


def _key(triple: ox.Triple) -> tuple:
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
