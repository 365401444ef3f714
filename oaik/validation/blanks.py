"""Which blank nodes of a file's new version are the same nodes as in its old version.

A file parsed again gets new blank node ids, so all its blank nodes' triples
look changed. A blank node is the same node in both versions when it has the
same statements (its own blank nodes' compared the same way, bottom up) and
the same place (the one node and property above it, top down) in the same
file; only a match that is unique on both sides counts. A blank node under
two nodes, in a cycle, or with a twin of the same content and place is left
unmatched: it counts as changed, which costs time but never a result.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

_Key = tuple[str, str]  # (file, digest)


def same_blank_nodes(old: Iterable[tuple[str, ox.Triple]], new: Iterable[tuple[str, ox.Triple]]) -> dict[str, str]:
    """Old blank node id -> new blank node id, for the blank nodes both versions of a file (``(file, triple)``) share."""
    before, after = _keys(old), _keys(new)
    return {ids[0]: after[key][0] for key, ids in before.items() if len(ids) == 1 and len(after.get(key, ())) == 1}


def _keys(triples: Iterable[tuple[str, ox.Triple]]) -> dict[_Key, list[str]]:
    """Each blank node's (file, digest of content and place), with the ids that have it."""
    statements: dict[str, list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(list)
    above: dict[str, list[tuple[str, str]]] = defaultdict(list)
    files: dict[str, str] = {}
    for file, triple in triples:
        subject, obj = triple.subject, triple.object
        if isinstance(subject, ox.BlankNode):
            statements[subject.value].append((str(triple.predicate), obj))  # type: ignore[arg-type]  # no triple terms in files
            files[subject.value] = file
        if isinstance(obj, ox.BlankNode):
            above[obj.value].append((str(subject), str(triple.predicate)))
            files[obj.value] = file
    content: dict[str, str | None] = {}
    place: dict[str, str | None] = {}

    def content_of(node: str, visiting: frozenset[str] = frozenset()) -> str | None:
        if node not in content:
            if node in visiting:
                return None  # a cycle of blank nodes
            parts = []
            for predicate, obj in statements.get(node, []):
                value = content_of(obj.value, visiting | {node}) if isinstance(obj, ox.BlankNode) else str(obj)
                if value is None:
                    content[node] = None
                    return None
                parts.append(f"{predicate} {value}")
            content[node] = _digest("\n".join(sorted(parts)))
        return content[node]

    def place_of(node: str, visiting: frozenset[str] = frozenset()) -> str | None:
        if node not in place:
            parents = above.get(node, [])
            own = content_of(node)
            if own is None or len(parents) > 1 or node in visiting:
                return None
            if not parents:
                place[node] = _digest(f"top {own}")
            else:
                subject, predicate = parents[0]
                parent = place_of(subject[2:], visiting | {node}) if subject.startswith("_:") else subject
                place[node] = None if parent is None else _digest(f"{parent} {predicate} {own}")
        return place[node]

    keys: dict[_Key, list[str]] = defaultdict(list)
    for node, file in files.items():
        digest = place_of(node)
        if digest is not None:
            keys[(file, digest)].append(node)
    return keys


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
