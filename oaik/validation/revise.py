"""The last full report brought up to date after some of the graph's files changed.

The report of the last full validation is kept (:mod:`oaik.validation.cache`)
with the SHA-256 of every file it covered. When some data files changed
since, the store update hands back what it held for them (their triples at
the time of the report), and only the nodes that either version can affect
are validated again: :func:`~oaik.validation.validate.affected_nodes` of
the old and new triples, every IRI the old triples named, the nearest IRI
above each blank node among them, and every blank node below those. Their
new results replace the report's results on those nodes and in the changed
files; every other result stands, as nothing it depends on changed. A
property test compares the outcome with a full validation after random
edits. A change to a term (an OAIK class, property, concept or shape, or
any RDFS, OWL or SHACL statement: any node may depend on it), to many files,
or to files the store no longer holds in their reported version means a full
validation instead (None here).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox

from oaik.validation.validate import (
    RDFS_LABEL,
    Report,
    _display,
    _nodes,
    _results,
    _shacl,
    _sorted,
    affected_nodes,
)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: Revise the report when at most this many files changed (or a twentieth of the graph's files, if more).
MOST_CHANGED = 20


def revise(roots: list[Path] | None, previous: Report, before: dict[str, str], now: dict[str, str]) -> Report | None:
    """``previous`` (the report when the files had the hashes ``before``) for the files as they are (``now``), or None.

    Hashes are by resolved path. None means: validate everything instead.
    """
    from oaik.store.locate import Locator
    from oaik.store.persistent import graph_name, resolved_paths, scratch_copy, update_store

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    if sum(1 for key in {*before, *now} if before.get(key) != now.get(key)) > max(MOST_CHANGED, len(now) // 20):
        return None  # decided before the store update keeps the old triples of every file it replaces
    update = update_store(roots, read_only=True, keep_previous=True)
    if update.errors:
        return None  # a full validation reports them
    real = dict(zip(update.files, map(str, resolved_paths(update.files)), strict=True))
    changed = [path for path in update.files if before.get(real[path]) != now.get(real[path])]
    removed = [key for key in before if key not in now]
    stale = [real[path] for path in changed] + removed
    old: list[ox.Triple] = []
    for key in stale:
        if key in before:  # the file was validated: the store must have held that version
            held = update.previous.get(key)
            if held is None or held[0] != before[key]:
                return None
            old.extend(held[1])
    new = [q.triple for path in changed for q in update.store.quads_for_pattern(None, None, None, graph_name(path))]
    if _shapes_terms(old) or _shapes_terms(new):
        return None  # decided before a private copy of the store is made
    timings["parse"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with scratch_copy(update) as store:  # the copy has the store's blank node ids: ``new`` names its nodes
        named = {t.value for triple in old for t in (triple.subject, triple.object) if isinstance(t, ox.NamedNode)}
        found = affected_nodes(store, [*old, *new], also=named) | _nodes(new)
        locator = Locator(store, update.files)
        owners = {locator.anchor(node) for node in found}
        owners = {node for node in owners if not locator.is_blank(node)}
        focus = found | owners | _below(store, owners)
        timings["store"] = time.perf_counter() - clock
        clock = time.perf_counter()
        raw = _shacl(store, focus)
        timings["shacl"] = time.perf_counter() - clock
        fresh = _results(raw, [], locator, None, timings)
        anchors = {r.node: locator.anchor(r.node) for r in fresh if r.node and locator.is_blank(r.node)}
    gone = {_display(path) for path in changed} | {_display(Path(key)) for key in removed}
    kept = [
        r
        for r in previous.results
        if r.file not in gone and previous.anchors.get(r.node, r.node) not in owners and r.node not in focus
    ]
    anchors.update({r.node: previous.anchors[r.node] for r in kept if r.node in previous.anchors})
    timings["revised"] = float(len(focus))
    return Report(_sorted(kept + fresh), [_display(p) for p in update.files], timings=timings, anchors=anchors)


#: Namespaces of the terms that decide what other nodes must be (classes, properties, concepts, shapes).
_TERMS = ("https://w3id.org/oaik/ns", "https://w3id.org/oaik/vocab/", "https://w3id.org/oaik/shapes")
_SCHEMA = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/shacl#")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DATA_PREDICATES = {
    RDFS_LABEL,
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
}


def _shapes_terms(triples: list[ox.Triple]) -> bool:
    """Whether the triples describe a term (an OAIK class, property, concept or shape, or any RDFS/OWL/SHACL
    statement but a label, comment or see-also): such a change can reach any node, so all are validated."""
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(_TERMS):
            return True
        if predicate.startswith(_SCHEMA) and predicate not in _DATA_PREDICATES:
            return True
        if predicate == _RDF_TYPE and isinstance(obj, ox.NamedNode) and obj.value.startswith((*_SCHEMA, RDF)):
            return True
    return False


def _below(store: ox.Store, iris: set[str]) -> set[str]:
    """The blank nodes under ``iris`` (their values, the values' values, … while blank)."""
    found: set[str] = set()
    pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri) for iri in iris]
    while pending:
        node = pending.pop()
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            if isinstance(quad.object, ox.BlankNode) and quad.object.value not in found:
                found.add(quad.object.value)
                pending.append(quad.object)
    return found
