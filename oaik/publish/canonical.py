"""Canonical blank node labels: in linear time for blank nodes that form trees, by RDFC-1.0 for the rest.

Every output that must be the same from run to run and from store to store
(exports, the site's descriptions, CONSTRUCT answers) labels blank nodes
canonically. RDFC-1.0, the W3C algorithm, costs more than polynomial time
on blank nodes that look alike: a chain of 800 nested ``[ ]`` took 63 s in
pyoxigraph and a list of 300 equal items 2.7 s, so one contribution could
stall every export.

Almost all blank nodes form trees: each has at most one node above it and
none is above itself (nested ``[ ]``, RDF lists, participations, evidence).
A blank node of such a tree is labelled from its place and its content: the
label of the node above it (or that node's IRI), the property, and a digest
of its statements with its own blank values' digests in them. Digests are
computed bottom up and labels top down, with stacks rather than recursion,
so each node is visited a fixed number of times. Siblings with the same
property and content are interchangeable (the graph is the same whichever
is which), so they share a digest and are told apart by a counter. The
labels are the digests' ranks: equal graphs get equal labels, whatever the
order or names their triples come in.

Blank nodes in a component that is not such a tree (a node under two
others, or a cycle) are labelled by RDFC-1.0, given only their own triples.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from oaik.store.blanks import Statements, blank_contents


def canonical_triples(triples: Iterable[ox.Triple], prefix: str = "") -> list[ox.Triple]:
    """The distinct triples with their blank nodes relabelled canonically (``<prefix>b<n>`` for trees,
    ``<prefix>c14n<n>`` by RDFC-1.0 for the rest), in no particular order."""
    distinct = list(dict.fromkeys(triples))
    statements: dict[str, Statements] = defaultdict(list)
    above: dict[str, list[tuple[ox.NamedNode | ox.BlankNode, str]]] = defaultdict(list)
    for triple in distinct:
        subject, obj = triple.subject, triple.object
        if type(subject) is ox.BlankNode:
            statements[subject.value].append((triple.predicate.value, obj))  # type: ignore[arg-type]  # no triple terms in files
        if type(obj) is ox.BlankNode:
            above[obj.value].append((subject, triple.predicate.value))  # type: ignore[arg-type]
    nodes = set(statements) | set(above)
    if not nodes:
        return distinct
    content = blank_contents(statements)
    tree = _tree_nodes(nodes, statements, above, content)
    labels = {node: f"{prefix}b{rank}" for node, rank in _tree_ranks(tree, statements, above, content).items()}
    done: list[ox.Triple] = []
    rest: list[ox.Triple] = []  # their blank nodes are all outside the trees (a component is one or the other)
    for triple in distinct:
        if _has_blank_outside(triple, tree):
            rest.append(triple)
        else:
            done.append(_relabelled(triple, labels))
    return done + (_rdfc(rest, prefix) if rest else [])


def _tree_nodes(
    nodes: set[str], statements: dict[str, Statements], above: dict[str, list], content: dict[str, str | None]
) -> set[str]:
    """The blank nodes whose whole component (blank nodes linked by triples) is a tree."""
    parent = {node: node for node in nodes}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node, rows in statements.items():
        for _, obj in rows:
            if type(obj) is ox.BlankNode:
                parent[root(obj.value)] = root(node)
    broken = {root(node) for node in nodes if len(above.get(node, ())) > 1 or content.get(node) is None}
    return {node for node in nodes if root(node) not in broken}


def _tree_ranks(
    tree: set[str], statements: dict[str, Statements], above: dict[str, list], content: dict[str, str | None]
) -> dict[str, int]:
    """Each tree node's rank among the digests of place and content (siblings that are twins numbered)."""
    keys: dict[str, tuple[str, int]] = {}
    pending = [node for node in tree if not above.get(node) or type(above[node][0][0]) is not ox.BlankNode]
    _number(pending, keys, {node: _place(above.get(node), content[node]) for node in pending})
    while pending:
        node = pending.pop()
        label = "{}#{}".format(*keys[node])
        children = [(p, o.value) for p, o in statements.get(node, ()) if type(o) is ox.BlankNode]
        _number([c for _, c in children], keys, {c: _digest(f"{label} {p} {content[c]}") for p, c in children})
        pending.extend(c for _, c in children)
    order = sorted(keys, key=keys.__getitem__)
    return {node: rank for rank, node in enumerate(order)}


def _place(parents: list | None, node_content: str | None) -> str:
    if not parents:
        return _digest(f"top {node_content}")
    subject, predicate = parents[0]
    return _digest(f"{subject.value} {predicate} {node_content}")


def _number(nodes: list[str], keys: dict[str, tuple[str, int]], digests: dict[str, str]) -> None:
    """Key each node by its digest and how many before it had the same one (twins are interchangeable)."""
    seen: Counter[str] = Counter()
    for node in nodes:
        digest = digests[node]
        keys[node] = (digest, seen[digest])
        seen[digest] += 1


def _has_blank_outside(triple: ox.Triple, tree: set[str]) -> bool:
    return any(type(term) is ox.BlankNode and term.value not in tree for term in (triple.subject, triple.object))


def _rdfc(triples: list[ox.Triple], prefix: str) -> list[ox.Triple]:
    """The triples canonically labelled by RDFC-1.0 (``<prefix>c14n<n>``)."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    labels = {
        q.value: f"{prefix}{q.value}"
        for quad in dataset
        for q in (quad.subject, quad.object)
        if type(q) is ox.BlankNode
    }
    return [_relabelled(quad.triple, labels) for quad in dataset]


def _relabelled(triple: ox.Triple, labels: dict[str, str]) -> ox.Triple:
    subject, obj = triple.subject, triple.object
    if type(subject) is ox.BlankNode:
        subject = ox.BlankNode(labels[subject.value])
    if type(obj) is ox.BlankNode:
        obj = ox.BlankNode(labels[obj.value])
    return ox.Triple(subject, triple.predicate, obj)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
