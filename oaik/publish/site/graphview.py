"""Read access to the graph for the site: labels, a resource's triples, SPARQL rows.

Lookups by subject or object use the store's indexes (no scan per page); labels
of every resource come from one query; SELECTs return pyoxigraph terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import pyoxigraph as ox

from oaik.namespaces import compact, sparql_prefixes

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"

Term = Any  # a pyoxigraph NamedNode, BlankNode or Literal (RDF-star triples do not occur)
#: The graph pages read: in the persistent store the merge of the file graphs (each triple once).
_DEFAULT = ox.DefaultGraph()
#: Up to this many characters, a nested blank node's content is spelled out in its parent's (else a digest).
_SPELLED_OUT = 512


def term_key(term) -> tuple:
    """A total, deterministic order over RDF terms."""
    if isinstance(term, ox.Literal):
        return (2, term.value, term.language or "", term.datatype.value)
    return (1 if isinstance(term, ox.BlankNode) else 0, term.value, "", "")


#: Resources whose (predicate, object) pairs a view keeps: pages read the same few again and again.
OUTGOING_KEPT = 1 << 14


class GraphView:
    """The merged graph as the site sees it."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._prefixes = sparql_prefixes()
        self._contents: dict[ox.BlankNode, str] = {}
        self._outgoing: dict[Any, list[tuple[ox.NamedNode, Term]]] = {}  # by IRI or term: pages read a resource often

    def key(self, term) -> tuple:
        """A total, deterministic order over terms: a blank node sorts by what it says, not by its id
        (which every parse of the same file draws anew)."""
        if isinstance(term, ox.BlankNode):
            return (1, self._content(term), "", "")
        return term_key(term)

    def _content(self, start: ox.BlankNode) -> str:
        """A blank node's statements as sorted lines, its blank values' contents in brackets (a digest
        of them when long, so a deep nesting costs linear space) or ``[cycle]``; bottom up, with a stack."""
        stack: list[tuple[ox.BlankNode, bool]] = [(start, False)]
        on_path: set[ox.BlankNode] = set()
        statements: dict[ox.BlankNode, list] = {}
        while stack:
            node, expanded = stack.pop()
            if node in self._contents or (not expanded and node in on_path):
                continue
            if not expanded:
                on_path.add(node)
                statements[node] = list(self.store.quads_for_pattern(node, None, None, _DEFAULT))
                stack.append((node, True))
                stack.extend(
                    (q.object, False)
                    for q in statements[node]
                    if isinstance(q.object, ox.BlankNode) and q.object not in self._contents and q.object not in on_path
                )
                continue
            lines = [f"{q.predicate.value} {self._value(q.object)}" for q in statements.pop(node)]
            self._contents[node] = "\n".join(sorted(lines))
            on_path.discard(node)
        return self._contents[start]

    def _value(self, obj) -> str:
        if not isinstance(obj, ox.BlankNode):
            return repr(term_key(obj))
        inner = self._contents.get(obj)
        if inner is None:
            return "[cycle]"
        return f"[{inner}]" if len(inner) <= _SPELLED_OUT else f"[#{hashlib.sha256(inner.encode()).hexdigest()}]"

    @cached_property
    def labels(self) -> dict[str, str]:
        """Every resource's label (rdfs:label or skos:prefLabel; English first, then untagged)."""
        query = """SELECT ?s ?l WHERE { { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l }
                   FILTER(isIRI(?s) && LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }"""
        best: dict[str, tuple] = {}
        for row in self.solutions(self._prefixes + query):
            literal = row["l"]
            rank = (0 if literal.language else 1, literal.value)
            iri = row["s"].value
            if iri not in best or rank < best[iri]:
                best[iri] = rank
        return {iri: rank[1] for iri, rank in best.items()}

    def label(self, term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if isinstance(term, ox.BlankNode):
            return "(unnamed node)"
        return self.labels.get(term.value) or compact(term.value).strip("<>")

    def outgoing(self, subject) -> list[tuple[ox.NamedNode, Term]]:
        """(predicate, object) pairs of a resource, in a stable order (do not change the list; the graph must not change)."""
        pairs = self._outgoing.get(subject)
        if pairs is None:
            if len(self._outgoing) >= OUTGOING_KEPT:  # bounded: a graph of millions of triples is not copied
                self._outgoing.clear()
            pairs = self._outgoing[subject] = self._pairs(subject)
        return pairs

    def _pairs(self, subject) -> list[tuple[ox.NamedNode, Term]]:
        node = ox.NamedNode(subject) if isinstance(subject, str) else subject
        pairs = [(q.predicate, q.object) for q in self.store.quads_for_pattern(node, None, None, _DEFAULT)]
        return sorted(pairs, key=lambda pair: (pair[0].value, self.key(pair[1])))

    def incoming(self, obj) -> list[tuple[Term, ox.NamedNode]]:
        """(subject, predicate) pairs pointing at a resource, in a stable order."""
        node = ox.NamedNode(obj) if isinstance(obj, str) else obj
        pairs = [(q.subject, q.predicate) for q in self.store.quads_for_pattern(None, None, node, _DEFAULT)]
        return sorted(pairs, key=lambda pair: (pair[1].value, self.key(pair[0])))

    def subjects(self, predicate: str, obj) -> list[Term]:
        """The distinct resources with ``obj`` as a value of ``predicate``, by IRI."""
        node = ox.NamedNode(obj) if isinstance(obj, str) else obj
        found = {q.subject for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), node, _DEFAULT)}
        return sorted(found, key=lambda t: t.value)

    def objects(self, subject, predicate: str) -> list[Term]:
        """The values of one property of a resource, in a stable order."""
        return [obj for p, obj in self.outgoing(subject) if p.value == predicate]

    def first(self, subject, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def types(self, subject) -> list[str]:
        return [t.value for t in self.objects(subject, RDF_TYPE) if isinstance(t, ox.NamedNode)]

    def select(self, query: str, **bindings: str) -> list[dict[str, Any]]:
        """Run a SELECT with OAIK's prefixes; ``bindings`` bind variables to IRIs.

        Each row maps a variable to a pyoxigraph term, or None where it is unbound.
        """
        substitutions: dict[ox.Variable, Any] = {ox.Variable(name): ox.NamedNode(iri) for name, iri in bindings.items()}
        result = self.solutions(self._prefixes + query, substitutions)
        names = [variable.value for variable in result.variables]
        return [{name: row[name] for name in names} for row in result]

    def description(self, subject: str) -> list[ox.Triple]:
        """The concise bounded description: the resource's triples and, recursively, its blank nodes'."""
        triples: list[ox.Triple] = []
        pending: list = [ox.NamedNode(subject)]
        seen: set = set()
        while pending:
            node = pending.pop()
            if node in seen:
                continue
            seen.add(node)
            for quad in self.store.quads_for_pattern(node, None, None, _DEFAULT):
                triples.append(quad.triple)
                if isinstance(quad.object, ox.BlankNode):
                    pending.append(quad.object)
        return triples

    def subjects_under(self, namespace: str) -> list[str]:
        """Every IRI in a namespace that is the subject of some triple, sorted."""
        query = f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), {_quote(namespace)})) }}"
        return sorted(row["s"].value for row in self.solutions(query))

    def solutions(self, query: str, substitutions: dict | None = None) -> ox.QuerySolutions:
        result = self.store.query(query, substitutions=substitutions)
        assert isinstance(result, ox.QuerySolutions), "a SELECT query"
        return result


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sorted_terms(terms: Iterable) -> list:
    return sorted(terms, key=term_key)
