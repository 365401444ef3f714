"""Suggestions for terms used but never defined ("Did you mean oaik:Project?"), and for entities referenced
but never described ("Did you mean organization:eleutherai?").

The rules themselves (oaiksh:UndefinedTermRule, oaiksh:UndefinedConceptRule,
oaiksh:UndeclaredPropertyRule, oaiksh:DanglingReferenceRule) are SHACL-SPARQL
shapes in ``shapes/rules.ttl``, so any SHACL engine reports the same problems;
this module only adds, for each result, the closest defined term or described
entity (difflib) and the file that uses it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from oaik.namespaces import OAIK, VOCAB, compact
from oaik.store.graph import RDF_TYPE, ParsedFile
from oaik.validation.compile import solutions

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
#: Predicates any file may use without the ontology declaring them.
BUILTIN_PROPERTIES = {
    RDF + "type",
    RDF + "first",
    RDF + "rest",
    RDF + "value",
    RDFS + "label",
    RDFS + "comment",
    RDFS + "seeAlso",
    RDFS + "isDefinedBy",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    RDFS + "domain",
    RDFS + "range",
}


class Definitions:
    """The OAIK terms, vocabulary concepts and declared properties of the ontology files."""

    def __init__(self, ontology_files: Iterable[ParsedFile]):
        self.terms: set[str] = set()
        self.concepts: set[str] = set()
        self.declared: set[str] = set()
        self.answers: dict[tuple[str, str, str], str | None] = {}  # see suggest(): one lookup a term, not a result
        for parsed_file in ontology_files:
            for triple in parsed_file.triples:
                if triple.predicate != RDF_TYPE or not isinstance(triple.subject, ox.NamedNode):
                    continue
                iri = triple.subject.value
                if iri.startswith(OAIK):
                    self.terms.add(iri)
                elif iri.startswith(VOCAB):
                    self.concepts.add(iri)
                self.declared.add(iri)

    @classmethod
    def of(cls, store: ox.Store, files: Iterable[Path]) -> Definitions:
        """The definitions in the named graphs of ``files`` (the ontology's) in the persistent store."""
        from oaik.store.persistent import graph_name

        return cls(
            ParsedFile(path, tuple(q.triple for q in store.quads_for_pattern(None, RDF_TYPE, None, graph_name(path))))
            for path in files
        )

    def suggest(self, term: str, candidates: Iterable[str]) -> str | None:
        """The defined term closest to ``term`` (case-insensitive), if any is close."""
        by_lower = {c.lower(): c for c in candidates}
        found = difflib.get_close_matches(term.lower(), list(by_lower), n=1, cutoff=0.6)
        return by_lower[found[0]] if found else None


class Instances:
    """The described entities of a store (those with an ``rdf:type``) by kind, read when a kind is first asked about.

    An entity's kind is its namespace, the IRI up to its last ``/``
    (``https://w3id.org/oaik/id/org/``).
    """

    #: Above this many entities of a kind, only case and separators are compared (difflib's spelling match
    #: takes about 1 ms among the shipped graph's 513 models, half a second among 15,000 names).
    SPELLING_AT_MOST = 1000

    def __init__(self, store: ox.Store):
        self.store = store
        self.kinds: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.answers: dict[str, str | None] = {}  # a mistyped IRI is often referenced many times

    def closest(self, iri: str) -> str | None:
        """The described entity of ``iri``'s kind whose name differs from it only in case and separators, or else
        in spelling, if any."""
        if iri not in self.answers:
            self.answers[iri] = self._closest(iri)
        return self.answers[iri]

    def _closest(self, iri: str) -> str | None:
        kind, _, name = iri.rpartition("/")
        if kind not in self.kinds:
            rows = solutions(
                self.store,
                f"SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER (STRSTARTS(STR(?s), {ox.Literal(kind + '/')})) }}",
            )
            names = sorted(row[0].value[len(kind) + 1 :] for row in rows if isinstance(row[0], ox.NamedNode))
            names = [n for n in names if "/" not in n]
            keys: dict[str, str] = {}
            for described in names:
                keys.setdefault(_key(described), described)
            self.kinds[kind] = (names, keys)
        names, keys = self.kinds[kind]
        found = keys.get(_key(name))
        if found is None and len(names) <= self.SPELLING_AT_MOST:
            by_lower = {n.lower(): n for n in names}
            close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
            found = by_lower[close[0]] if close else None
        return f"{kind}/{found}" if found and found != name else None


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


TERM_RULES = ("oaiksh:UndefinedTermRule", "oaiksh:UndefinedConceptRule", "oaiksh:UndeclaredPropertyRule")


def suggest(rule: str, term: str, predicate: str, definitions: Definitions) -> str | None:
    """The defined term closest to an undefined ``term`` that ``rule`` reported, if any is close (looked up
    once: a mistyped property may be used thousands of times)."""
    key = (rule, term, predicate)
    if key not in definitions.answers:
        definitions.answers[key] = _suggest(rule, term, predicate, definitions)
    return definitions.answers[key]


def _suggest(rule: str, term: str, predicate: str, definitions: Definitions) -> str | None:
    if rule == "oaiksh:UndefinedTermRule":
        classes = {t for t in definitions.terms if t[len(OAIK) :][:1].isupper()}
        if term == predicate:
            pool = definitions.terms - classes
        elif predicate == RDF + "type":
            pool = classes
        else:
            pool = definitions.terms
        local = definitions.suggest(term[len(OAIK) :], (t[len(OAIK) :] for t in pool))
        return OAIK + local if local else None
    if rule == "oaiksh:UndefinedConceptRule":
        scheme = term[len(VOCAB) :].split("/", 1)[0]
        same_scheme = [c for c in definitions.concepts if c.startswith(f"{VOCAB}{scheme}/")]
        return definitions.suggest(term, same_scheme or definitions.concepts)
    return definitions.suggest(term, definitions.declared | BUILTIN_PROPERTIES)


def describe(rule: str, term: str, where: Path | None, suggestion: str | None) -> str:
    """One sentence naming the term, the file and, if any, the suggestion."""
    used = f" (used in {where.name})" if where is not None else ""
    if rule == "oaiksh:UndefinedTermRule":
        text = f"{compact(term)}{used} is not defined in ontology/oaik.ttl."
    elif rule == "oaiksh:UndefinedConceptRule":
        text = f"{compact(term)}{used} is not a concept defined in ontology/vocab/."
    else:
        text = f"{compact(term)}{used} is not declared in ontology/oaik.ttl."
    if suggestion:
        text += f" Did you mean {compact(suggestion)}?"
    return text
