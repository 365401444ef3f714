"""Which blank nodes of a file's new version are the same nodes as in its old version (and whose
content is the same in two stores).

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
from collections.abc import Callable, Iterable

import pyoxigraph as ox

_Key = tuple[str, str]  # (file, digest)


def same_blank_nodes(old: Iterable[tuple[str, ox.Triple]], new: Iterable[tuple[str, ox.Triple]]) -> dict[str, str]:
    """Old blank node id -> new blank node id, for the blank nodes both versions of a file (``(file, triple)``) share."""
    before, after = _keys(old), _keys(new)
    return {ids[0]: after[key][0] for key, ids in before.items() if len(ids) == 1 and len(after.get(key, ())) == 1}


#: A blank node's statements: (predicate IRI, value) pairs.
Statements = list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]


def statements_below(statements_of: Callable[[ox.BlankNode], Statements], node: ox.BlankNode) -> dict[str, Statements]:
    """The statements of a blank node and of the blank nodes below it, by id (``statements_of`` gives a node's)."""
    statements: dict[str, Statements] = {}
    pending = [node]
    while pending:
        current = pending.pop()
        if current.value not in statements:
            statements[current.value] = rows = statements_of(current)
            pending.extend(o for _, o in rows if isinstance(o, ox.BlankNode) and o.value not in statements)
    return statements


def blank_content(statements: dict[str, Statements], node: ox.BlankNode) -> str | None:
    """The digest of a blank node's statements, its blank values' digested the same way (``statements`` from
    :func:`statements_below`): equal for the same node parsed twice. None for a node in a cycle."""
    return blank_contents(statements)[node.value]


def _keys(triples: Iterable[tuple[str, ox.Triple]]) -> dict[_Key, list[str]]:
    """Each blank node's (file, digest of content and place), with the ids that have it."""
    statements: dict[str, Statements] = defaultdict(list)
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
    content = blank_contents(statements)
    place: dict[str, str | None] = {}
    for start in files:  # top down: a node's place is its parent's place, property and own content
        chain, on_chain, node = [], set(), start
        while node not in place:
            parents = above.get(node, [])
            if content[node] is None or len(parents) > 1 or node in on_chain:
                place[node] = None  # unknown content, two parents, or a cycle: left unmatched
                break
            chain.append(node)
            on_chain.add(node)
            if not parents or not parents[0][0].startswith("_:"):
                break
            node = parents[0][0][2:]
        for node in reversed(chain):
            if node in place:
                continue
            parents = above.get(node, [])
            if not parents:
                place[node] = _digest(f"top {content[node]}")
                continue
            above_node, predicate = parents[0]
            parent = place.get(above_node[2:]) if above_node.startswith("_:") else above_node
            place[node] = None if parent is None else _digest(f"{parent} {predicate} {content[node]}")

    keys: dict[_Key, list[str]] = defaultdict(list)
    for node, file in files.items():
        digest = place[node]
        if digest is not None:
            keys[(file, digest)].append(node)
    return keys


def blank_contents(statements: dict[str, Statements]) -> dict[str, str | None]:
    """Each blank node's digest of its statements, its blank values' digests in them (None in a cycle).

    Bottom up, with a stack rather than recursion: an RDF list of any length is a chain of blank nodes.
    """
    content: dict[str, str | None] = {}
    nodes = set(statements) | {o.value for rows in statements.values() for _, o in rows if isinstance(o, ox.BlankNode)}
    for start in nodes:
        stack, entered = [start], set()
        while stack:
            node = stack[-1]
            if node in content:
                stack.pop()
                continue
            below = [o.value for _, o in statements.get(node, []) if isinstance(o, ox.BlankNode)]
            if node not in entered:
                entered.add(node)
                if any(b in entered and b not in content for b in below):
                    content[node] = None  # a cycle of blank nodes
                    stack.pop()
                    continue
                stack.extend(b for b in below if b not in content)
                continue
            stack.pop()
            if any(content.get(b) is None for b in below):
                content[node] = None
                continue
            parts = sorted(
                f"{predicate} {content[o.value] if isinstance(o, ox.BlankNode) else o}"
                for predicate, o in statements.get(node, [])
            )
            content[node] = _digest("\n".join(parts))
    return content


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
