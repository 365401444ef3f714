"""Where a node is written: the file that defines it and the line of its block.

Validation results name nodes; contributors fix files. A :class:`Locator`
answers from the persistent store, where each source file is a named graph
(:func:`oaik.store.persistent.graph_name`): a node (an IRI, or a blank node id
as the store gives it) is placed in the first file, in the order given, that
types it, or else the first file where it is a subject. A blank node (a
participation, an anonymous evidence record) is placed where its parent is;
one with no node above it, where a blank node of the same content is (the
nodes may come from a merge of the files, which names blank nodes anew).
Nothing is read up front: each question is a lookup in the store's indexes.
Lines come from a cheap scan of the file for subjects written at the start of
a line (``project:eleutherai a oaik:Project ;``), not from the parser; only
for a blank node with none above it is the file parsed again, to pair such
nodes with the lines where they start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from oaik.namespaces import compact
from oaik.store.blanks import Statements, blank_content, blank_contents, statements_below
from oaik.store.graph import RDF_TYPE
from oaik.store.persistent import graph_name

if TYPE_CHECKING:
    #: Any RDF term (pyoxigraph's stubs name no such union).
    Term = Any  # any pyoxigraph term: NamedNode, BlankNode, Literal (or Triple)


_PREFIX = re.compile(
    r"^\s*(?:@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>)", re.I
)
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an IRI that starts with a scheme
_ESCAPE = re.compile(r"\\(.)")  # a backslash escape in a local name (``ex:a\.b``)
#: The first characters of the lines ``_PREFIX`` and ``_BASE`` can match, after white space.
_DIRECTIVE = frozenset("@PpBb")
_BASE = re.compile(r"^\s*(?:@base\s+<([^>]*)>\s*\.|BASE\s+<([^>]*)>)", re.I)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:(?:[^\s;,]|\\.)*|:(?:[^\s;,]|\\.)*)(?=\s|$)")
_DEFAULT = ox.DefaultGraph()
#: Nodes looked up in one query by :meth:`Locator.prefetch`.
_BATCH = 1000
#: The properties that name a blank node in a report, in the order they are shown.
_NAMING = ("#type", "prov#agent", "prov#hadRole", "ns#section")
#: Blank nodes above a blank focus node that its description spells out before ``…``.
SHOWN_LEVELS = 3


class Locator:
    """File and line of the nodes of a store whose named graphs are the given files.

    ``graphs`` is the store holding the files' named graphs, when ``store``
    (the one the nodes come from) holds only their merge: IRIs are the same
    in both, and blank nodes are looked up in ``store``.
    """

    def __init__(self, store: ox.Store, files: Iterable[Path], graphs: ox.Store | None = None):
        self.store = store
        self.graphs = store if graphs is None else graphs
        self.paths: dict[str, Path] = {}  # graph IRI -> file, in file order
        for path in files:
            self.paths.setdefault(graph_name(path).value, path)
        self.rank = {name: index for index, name in enumerate(self.paths)}
        self._files: dict[str, list[Path]] = {}
        self._lines: dict[Path, dict[str, int]] = {}
        self._twins_placed: dict[str, int] = {}  # content digest -> top-level blank nodes with it placed so far
        self._roots: dict[tuple[str, Term], dict[str, list[str]]] = {}  # see _roots_with
        self._contents: dict[str, tuple[dict[str, Statements], str | None]] = {}  # see _content
        self._root_lines: dict[Path, dict[str, list[int]]] = {}  # see top_level_blank_lines
        self._blank_lines: dict[str, int | None] = {}  # see _blank_line
        self._lines_taken: dict[tuple[Path, str | None], int] = {}  # twins' lines given so far
        self._anchors: dict[str, str] = {}  # blank node -> the nearest IRI above it (see anchor)

    def is_blank(self, node: str) -> bool:
        return ":" not in node

    def parent(self, node: str) -> tuple[str, str] | None:
        """(the node above a blank node, the predicate linking them), or None."""
        if not self.is_blank(node):
            return None
        for quad in self.store.quads_for_pattern(None, None, ox.BlankNode(node), _DEFAULT):
            return quad.subject.value, quad.predicate.value  # type: ignore[union-attr]  # a subject is never a triple term here
        return None

    def anchor(self, node: str) -> str:
        """The nearest IRI above a blank node (the node itself if it is an IRI); remembered for every
        blank node on the way up, so the nodes of a deep nesting cost one walk, not one each."""
        path: list[str] = []
        seen: set[str] = set()
        while self.is_blank(node) and node not in seen:
            known = self._anchors.get(node)
            if known is not None:
                node = known
                break
            seen.add(node)
            path.append(node)
            above = self.parent(node)
            if above is None:
                break
            node = above[0]
        for below in path:
            self._anchors[below] = node
        return node

    def _graphs_of(self, node: str, predicate: ox.NamedNode | None = None) -> set[str]:
        """The graphs (IRIs) with a triple about ``node``, with ``predicate`` if given."""
        if self.is_blank(node):  # a blank node is not named in a query; only its own store knows it
            quads = (
                self.graphs.quads_for_pattern(ox.BlankNode(node), predicate, None) if self.graphs is self.store else []
            )
            return {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        where = f"<{node}> {predicate if predicate else '?p'} ?o"
        rows = self.graphs.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {where} }} }}")
        return {row[0].value for row in rows}  # type: ignore[union-attr]  # a SELECT gives rows

    def _ordered(self, names: set[str]) -> list[Path]:
        return [self.paths[n] for n in sorted(names & self.paths.keys(), key=self.rank.__getitem__)]

    def _place(self, node: str, subject_graphs: set[str], typing_graphs: set[str]) -> None:
        files, defining = self._ordered(subject_graphs), self._ordered(typing_graphs)
        self._files[node] = [defining[0]] + [f for f in files if f != defining[0]] if defining else files

    def prefetch(self, nodes: Iterable[str]) -> None:
        """Look up the files of many nodes at once: two queries a thousand nodes, not two a node."""
        iris = sorted({a for a in map(self.anchor, nodes) if not self.is_blank(a)} - self._files.keys())
        for start in range(0, len(iris), _BATCH):
            chunk = iris[start : start + _BATCH]
            values = " ".join(f"<{iri}>" for iri in chunk)
            found: dict[str, dict[str, set[str]]] = {"?p ?o": {}, "a ?c": {}}
            for pattern, graphs in found.items():
                query = f"SELECT DISTINCT ?n ?g WHERE {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n {pattern} }} }}"
                for row in self.graphs.query(query):  # type: ignore[union-attr]  # a SELECT gives rows
                    graphs.setdefault(row[0].value, set()).add(row[1].value)
            for iri in chunk:
                self._place(iri, found["?p ?o"].get(iri, set()), found["a ?c"].get(iri, set()))

    def files_of(self, node: str) -> list[Path]:
        """Files that write the node (or, for a blank node, its anchor): the defining one first."""
        node = self.anchor(node)
        if node not in self._files:
            if self.is_blank(node) and self.graphs is not self.store:
                self._files[node] = self._ordered(self._twin_graph(node))
            else:
                self._place(node, self._graphs_of(node), self._graphs_of(node, RDF_TYPE))
        return self._files[node]

    def _twin_graph(self, node: str) -> set[str]:
        """The graph of ``graphs`` with a blank node, none above it, of the same content as ``node`` of ``store``.

        Twins (the same content, in several files) are placed one per file:
        their results are the same, so which is which does not matter.
        """
        statements, content = self._content(node)
        values = [(p, o) for rows in statements.values() for p, o in rows if not isinstance(o, ox.BlankNode)]
        if content is None or not values:
            return set()
        rarest = max(values, key=_selectivity)  # the candidates: the nodes with the rarest value
        if rarest not in self._roots:
            self._roots[rarest] = self._roots_with(*rarest)
        found = self._roots[rarest].get(content)
        if not found:
            return set()
        placed = self._twins_placed.get(content, 0)
        self._twins_placed[content] = placed + 1
        return {found[min(placed, len(found) - 1)]}

    def _content(self, node: str) -> tuple[dict[str, Statements], str | None]:
        """The statements of a blank node of ``store`` and of those below it, and its content digest (read once:
        a top-level node is asked for its file and for its line)."""
        if node not in self._contents:
            blank = ox.BlankNode(node)
            statements = statements_below(partial(_statements, self.store, graph=_DEFAULT), blank)
            self._contents[node] = (statements, blank_content(statements, blank))
        return self._contents[node]

    def _roots_with(self, predicate: str, value: Term) -> dict[str, list[str]]:
        """The blank nodes of ``graphs`` with none above them and ``predicate value`` stated at or below them, by
        content: their graphs, in file order (a graph once for each such node). Read once for all the nodes that
        share it, so that a thousand twins cost one scan, not a thousand."""
        roots = set()
        for quad in self.graphs.quads_for_pattern(None, ox.NamedNode(predicate), value, None):
            graph = quad.graph_name
            if isinstance(quad.subject, ox.BlankNode) and isinstance(graph, ox.NamedNode) and graph.value in self.paths:
                root = _root(self.graphs, quad.subject, graph)
                if root is not None:
                    roots.add((graph, root))
        found: dict[str, list[str]] = {}
        for graph, root in roots:
            content = blank_content(statements_below(partial(_statements, self.graphs, graph=graph), root), root)
            if content is not None:
                found.setdefault(content, []).append(graph.value)
        for graphs in found.values():
            graphs.sort(key=self.rank.__getitem__)
        return found

    def file_of(self, node: str, among: set[Path] | None = None) -> Path | None:
        files = self.files_of(node)
        if among is not None:
            files = [f for f in files if f in among]
        return files[0] if files else None

    def line_of(self, node: str, path: Path | None) -> int | None:
        """The line where the node's (or its anchor's) block starts in the file."""
        if path is None:
            return None
        anchor = self.anchor(node)
        if self.is_blank(anchor):
            return self._blank_line(anchor, path)
        if path not in self._lines:
            self._lines[path] = subject_lines(path)
        return self._lines[path].get(anchor)

    def _blank_line(self, node: str, path: Path) -> int | None:
        """The line of a blank node with none above it: of the file's such nodes with its content, the next
        line not yet given (twins take their lines in turn)."""
        if node not in self._blank_lines:
            if path not in self._root_lines:
                self._root_lines[path] = top_level_blank_lines(path)
            content = self._content(node)[1]
            lines = self._root_lines[path].get(content or "", [])
            taken = self._lines_taken.get((path, content), 0)
            self._lines_taken[(path, content)] = taken + 1
            self._blank_lines[node] = lines[taken] if taken < len(lines) else None
        return self._blank_lines[node]

    def describe(self, node: str) -> str:
        """A readable name: ``prefix:local`` for an IRI; for a blank node the nodes above it (at most
        :data:`SHOWN_LEVELS` blank ones, then ``…`` up to the nearest IRI) and its key values."""
        if not self.is_blank(node):
            return compact(node)
        text, seen = self._inner(node), {node}
        while (above := self.parent(node)) is not None:
            subject, predicate = above
            if not self.is_blank(subject):
                return f"{compact(subject)} {compact(predicate)} {text}"
            if subject in seen:  # a cycle of blank nodes
                return f"… {compact(predicate)} {text}"
            if len(seen) > SHOWN_LEVELS:  # deep nesting: the way up is left out, not spelled out
                top = self.anchor(subject)
                return f"{'' if self.is_blank(top) else compact(top) + ' '}… {compact(predicate)} {text}"
            seen.add(subject)
            text, node = f"{self._inner(subject)} {compact(predicate)} {text}", subject
        return text

    def _inner(self, node: str) -> str:
        """A blank node's type and naming values, e.g. ``[ a oaik:Participation ; oaik:agent org:x ]``."""
        parts = []
        for quad in self.store.quads_for_pattern(ox.BlankNode(node), None, None, _DEFAULT):
            predicate, obj = quad.predicate.value, quad.object
            rank = next((i for i, end in enumerate(_NAMING) if predicate.endswith(end)), None)
            if rank is not None and not isinstance(obj, ox.BlankNode):
                name = "a" if rank == 0 else compact(predicate)
                parts.append((rank, f"{name} {_term(obj)}"))
        return f"[ {' ; '.join(text for _, text in sorted(parts))} ]" if parts else "[ ]"


def _statements(store: ox.Store, node: ox.BlankNode, graph: ox.NamedNode | ox.DefaultGraph) -> Statements:
    return [(q.predicate.value, q.object) for q in store.quads_for_pattern(node, None, None, graph)]  # type: ignore[misc]  # no triple terms in files


def _root(store: ox.Store, node: ox.BlankNode, graph: ox.NamedNode) -> ox.BlankNode | None:
    """The blank node of ``graph`` above ``node`` that has none above it (``node`` itself, maybe); None when
    an IRI or two nodes are above, or in a cycle."""
    seen = set()
    while node.value not in seen:
        seen.add(node.value)
        above = [q.subject for q in store.quads_for_pattern(None, None, node, graph)]
        if not above:
            return node
        if len(above) > 1 or not isinstance(above[0], ox.BlankNode):
            return None
        node = above[0]
    return None


def _selectivity(value: tuple[str, Term]) -> tuple[bool, bool, int]:
    """Literals first (the longest), then IRIs other than a type: the values fewest nodes share."""
    predicate, obj = value
    return isinstance(obj, ox.Literal), predicate != RDF_TYPE.value, len(obj.value)


def _term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    return "[ ]"


def _resolved(base: str, iri: str) -> str | None:
    """``iri`` resolved against ``base``; None when it cannot be (the parser would have refused it: it is in a
    string, not a directive or a subject)."""
    from urllib.parse import urljoin

    if _ABSOLUTE.match(iri):
        return iri
    try:
        return urljoin(base, iri)
    except ValueError:  # e.g. //[x: an IPv6 host left open
        return None


def top_level_blank_lines(path: Path) -> dict[str, list[int]]:
    """The lines where the file's blank nodes with none above them start, by their content (:mod:`oaik.store.blanks`).

    The k-th blank node written at the start of a line (``[``, ``(`` or a new
    ``_:label``) is the k-th of the parse's blank subjects with none above
    them, when the two counts agree; otherwise (a line inside a long string,
    say) no line is given.
    """
    try:
        data = path.read_bytes()
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=graph_name(path).value))
    except (OSError, SyntaxError, ValueError):
        return {}
    statements: dict[str, Statements] = {}
    below = {t.object.value for t in triples if isinstance(t.object, ox.BlankNode)}
    roots: list[str] = []
    for triple in triples:
        subject = triple.subject
        if isinstance(subject, ox.BlankNode):
            if subject.value not in statements and subject.value not in below:
                roots.append(subject.value)
            statements.setdefault(subject.value, []).append((triple.predicate.value, triple.object))
    starts: list[int] = []
    labels: set[str] = set()
    for number, text in enumerate(data.decode("utf-8").splitlines(), start=1):
        if text.startswith(("[", "(")):  # a blank node, or the first of an RDF list
            starts.append(number)
        elif text.startswith("_:"):
            label = text.split(None, 1)[0]
            if label not in labels:
                labels.add(label)
                starts.append(number)
    if len(starts) != len(roots):
        return {}
    contents = blank_contents(statements)
    found: dict[str, list[int]] = {}
    for root, start in zip(roots, starts, strict=True):
        content = contents.get(root)
        if content is not None:
            found.setdefault(content, []).append(start)
    return found


def subject_lines(path: Path) -> dict[str, int]:
    """IRI -> first line (1-based) where it starts a statement at column 0.

    Relative IRIs resolve against the last ``@base``/``BASE`` above them, or
    the file's own ``file:`` IRI, as the loader resolves them.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    base = graph_name(path).value
    prefixes: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line:
            continue
        first = line[0]
        if first in _DIRECTIVE or (first in " \t" and line.lstrip()[:1] in _DIRECTIVE):  # the regexes cost more
            declared = _PREFIX.match(line)
            if declared:
                prefix = declared.group(1) if declared.group(2) is not None else declared.group(3)
                iri = declared.group(2) if declared.group(2) is not None else declared.group(4)
                prefixes[prefix or ""] = _resolved(base, iri) or iri
                continue
            based = _BASE.match(line)
            if based:
                base = _resolved(base, based.group(1) if based.group(1) is not None else based.group(2)) or base
                continue
        if first in " \t#@[(":
            continue
        found = _SUBJECT.match(line)
        if not found:
            continue
        token = found.group(1)
        if token.startswith("<"):
            resolved = _resolved(base, token[1:-1])
            if resolved is None:
                continue
            iri = resolved
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes or prefix.upper() in ("PREFIX", "BASE"):
                continue
            iri = prefixes[prefix] + (_ESCAPE.sub(r"\1", local) if "\\" in local else local)
        lines.setdefault(iri, number)
    return lines
