"""The last full report brought up to date after some of the graph's files changed.

The report of the last full validation is kept (:mod:`oaik.validation.cache`)
with the SHA-256 of every file it covered. When some data files changed
since, the store update hands back what it held for them (their triples at
the time of the report). Only the triples an edit changed count (a triple
kept in its file changes no result; blank nodes are matched across the two
versions by :mod:`oaik.store.blanks`), and only the nodes they can
affect are validated again: :func:`~oaik.validation.validate.affected_nodes`
of the changed triples, every IRI the old ones named, the nearest IRI above
each blank node among them, and every blank node below those. Their new
results replace the report's results on those nodes; every other result
stands, as nothing it depends on changed (in an edited file, on the line
where its node now is). A property test compares the outcome with a full
validation after random edits. A result on a blank node with no IRI above
it (it names no file), a change to a term (an OAIK class, property, concept
or shape, or any RDFS, OWL or SHACL statement: any node may depend on it),
to many files, or to files the store no longer holds in their reported
version means a full validation instead (None here).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oaik.store.blanks import same_blank_nodes
from oaik.store.locate import Locator, subject_lines
from oaik.validation.definitions import definition_results
from oaik.validation.validate import (
    Report,
    Result,
    _display,
    _nodes,
    _results,
    _shacl,
    _sorted,
    affected_nodes,
    describes_terms,
)

if TYPE_CHECKING:
    from oaik.store.persistent import StoreUpdate

#: Revise the report when at most this many files changed (or a twentieth of the graph's files, if more).
MOST_CHANGED = 20


def revise(roots: list[Path] | None, previous: Report, before: dict[str, str], now: dict[str, str]) -> Report | None:
    """``previous`` (the report when the files had the hashes ``before``) for the files as they are (``now``), or None.

    Hashes are by resolved path. None means: validate everything instead.
    """
    from oaik.store.persistent import graph_name, resolved_paths, update_store

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    if any(":" not in previous.anchors.get(r.node, r.node or ":") for r in previous.results):
        return None  # a result on a blank node with no IRI above it: the report does not say in which file
    if sum(1 for key in {*before, *now} if before.get(key) != now.get(key)) > max(MOST_CHANGED, len(now) // 20):
        return None  # decided before the store update keeps the old triples of every file it replaces
    update = update_store(roots, read_only=True, keep_previous=True)
    if update.errors:
        return None  # a full validation reports them
    real = dict(zip(update.files, map(str, resolved_paths(update.files)), strict=True))
    changed = [path for path in update.files if before.get(real[path]) != now.get(real[path])]
    removed = [key for key in before if key not in now]
    stale = [real[path] for path in changed] + removed
    held: set[tuple[str, ox.Triple]] = set()
    for key in stale:
        if key in before:  # the file was validated: the store must have held that version
            kept_version = update.previous.get(key)
            if kept_version is None or kept_version[0] != before[key]:
                return None
            held.update((key, triple) for triple in kept_version[1])
    now_held = {
        (real[path], q.triple)
        for path in changed
        for q in update.store.quads_for_pattern(None, None, None, graph_name(path))
    }
    same = same_blank_nodes(held, now_held)  # parsed again, a file's blank nodes have new ids
    held = {(key, _renamed(triple, same)) for key, triple in held}
    old = [triple for _, triple in held - now_held]  # only what an edit changed: a triple kept in its file
    new = [triple for _, triple in now_held - held]  # changes no result
    if describes_terms(old) or describes_terms(new):
        return None  # decided before a private copy of the store is made
    timings["parse"] = time.perf_counter() - clock
    focus, owners, fresh, anchors = _validate_again(update, old, new, timings) if old or new else (set(), set(), [], {})
    edited = {_display(path): path for path in changed}
    gone = {_display(Path(key)) for key in removed}
    previous_anchors = {same.get(node, node): anchor for node, anchor in previous.anchors.items()}
    lines: dict[Path, dict[str, int]] = {}
    kept = []
    for result in previous.results:
        if result.node in same:
            result = replace(result, node=same[result.node])
        anchor = previous_anchors.get(result.node, result.node)
        if anchor in owners or result.node in focus or result.file in gone:
            continue
        if result.file in edited:  # a node whose triples the edit kept: its results stand, maybe on another line
            path = edited[result.file]
            if path not in lines:
                lines[path] = subject_lines(path)
            result = replace(result, line=lines[path].get(anchor))
        kept.append(result)
    anchors.update({r.node: previous_anchors[r.node] for r in kept if r.node in previous_anchors})
    timings["revised"] = float(len(focus))
    return Report(_sorted(kept + fresh), [_display(p) for p in update.files], timings=timings, anchors=anchors)


def _validate_again(
    update: StoreUpdate, old: list[ox.Triple], new: list[ox.Triple], timings: dict[str, float]
) -> tuple[set[str], set[str], list[Result], dict[str, str]]:
    """(the nodes validated again, the IRIs above them, their results, the IRI above each blank one) after
    the triples ``old`` were replaced by ``new``, in a private copy of the store."""
    from oaik.store.persistent import scratch_copy

    clock = time.perf_counter()
    with scratch_copy(update) as store:  # the copy has the store's blank node ids: ``new`` names its nodes
        named = {t.value for triple in old for t in (triple.subject, triple.object) if isinstance(t, ox.NamedNode)}
        found = affected_nodes(store, [*old, *new], also=named) | _nodes(new)
        # Files looked up in the store, not the copy: as in a full validation, a blank node with no IRI above
        # it gets no file (the full validation's in-memory copy names blank nodes its own way).
        locator = Locator(store, update.files, graphs=update.store)
        owners = {locator.anchor(node) for node in found}
        owners = {node for node in owners if not locator.is_blank(node)}
        focus = found | owners | _below(store, owners)
        timings["store"] = time.perf_counter() - clock
        clock = time.perf_counter()
        raw = _shacl(store, focus)
        timings["shacl"] = time.perf_counter() - clock
        fresh = _results(raw, [], locator, None, timings)
        fresh += definition_results(store, update.files, [node for node in focus if not locator.is_blank(node)])
        anchors = {r.node: locator.anchor(r.node) for r in fresh if r.node and locator.is_blank(r.node)}
    return focus, owners, fresh, anchors


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


def _renamed(triple: ox.Triple, names: dict[str, str]) -> ox.Triple:
    """The triple with its blank nodes renamed by ``names`` (old id -> new id)."""
    subject, obj = triple.subject, triple.object
    if isinstance(subject, ox.BlankNode) and subject.value in names:
        subject = ox.BlankNode(names[subject.value])
    if isinstance(obj, ox.BlankNode) and obj.value in names:
        obj = ox.BlankNode(names[obj.value])
    return ox.Triple(subject, triple.predicate, obj)
