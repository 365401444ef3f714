"""Checks SHACL cannot make well: terms that are used but never defined.

A typo such as ``oaik:Projekt`` or ``onramp:comunity-feedback`` still parses;
SHACL would only see an untyped value. These checks compare the terms a file
uses with those the ontology and vocabularies define, and suggest the closest
defined term (difflib). Their rule ids, names and messages are declared, as
deactivated shapes, in ``shapes/rules.ttl``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from oaik.namespaces import OAIK, VOCAB, compact
from oaik.store.graph import RDF_TYPE, ParsedFile

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


@dataclass(frozen=True)
class TermProblem:
    rule: str  # oaiksh:UndefinedTermRule, oaiksh:UndefinedConceptRule or oaiksh:UndeclaredPropertyRule
    path: Path  # the file that uses the term
    subject: str  # the subject of the triple (IRI or blank node id)
    predicate: str
    term: str  # the undefined term
    suggestion: str | None


class Definitions:
    """The OAIK terms, vocabulary concepts and declared properties of the ontology files."""

    def __init__(self, ontology_files: Iterable[ParsedFile]):
        self.terms: set[str] = set()
        self.concepts: set[str] = set()
        self.declared: set[str] = set()
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

    def suggest(self, term: str, candidates: Iterable[str]) -> str | None:
        """The defined term closest to ``term`` (case-insensitive), if any is close."""
        by_lower = {c.lower(): c for c in candidates}
        found = difflib.get_close_matches(term.lower(), list(by_lower), n=1, cutoff=0.6)
        return by_lower[found[0]] if found else None


def check_terms(files: Iterable[ParsedFile], definitions: Definitions, data_files: set[Path]) -> list[TermProblem]:
    """Undefined OAIK terms and vocabulary concepts in ``files``; undeclared properties in ``data_files``."""
    problems: list[TermProblem] = []
    seen: set[tuple] = set()
    classes = {t for t in definitions.terms if t[len(OAIK) :][:1].isupper()}
    properties = definitions.terms - classes
    for parsed_file in files:
        is_data = parsed_file.path in data_files
        for triple in parsed_file.triples:
            subject, predicate, obj = triple.subject.value, triple.predicate.value, triple.object
            candidates: list[tuple[str, str]] = [(predicate, "predicate")]
            if isinstance(obj, ox.NamedNode):
                candidates.append((obj.value, "class" if triple.predicate == RDF_TYPE else "object"))
            if isinstance(triple.subject, ox.NamedNode):
                candidates.append((subject, "subject"))
            for term, role in candidates:
                problem = _problem(term, role, definitions, classes, properties, is_data)
                if problem is None:
                    continue
                key = (parsed_file.path, subject, predicate, term)
                if key in seen:
                    continue
                seen.add(key)
                rule, suggestion = problem
                problems.append(TermProblem(rule, parsed_file.path, subject, predicate, term, suggestion))
    return problems


def _problem(term, role, definitions, classes, properties, is_data):
    if term.startswith(OAIK) and term not in definitions.terms:
        pool = properties if role == "predicate" else classes if role == "class" else definitions.terms
        local = definitions.suggest(term[len(OAIK) :], (t[len(OAIK) :] for t in pool))
        return "oaiksh:UndefinedTermRule", OAIK + local if local else None
    if term.startswith(VOCAB) and term not in definitions.concepts:
        scheme = term[len(VOCAB) :].split("/", 1)[0]
        same_scheme = [c for c in definitions.concepts if c.startswith(f"{VOCAB}{scheme}/")]
        return "oaiksh:UndefinedConceptRule", definitions.suggest(term, same_scheme or definitions.concepts)
    if (
        role == "predicate"
        and is_data
        and not term.startswith(OAIK)
        and term not in definitions.declared
        and term not in BUILTIN_PROPERTIES
    ):
        return "oaiksh:UndeclaredPropertyRule", definitions.suggest(term, definitions.declared | BUILTIN_PROPERTIES)
    return None


def describe(problem: TermProblem) -> str:
    """One sentence naming the term, the file and, if any, the suggestion."""
    where = problem.path.name
    if problem.rule == "oaiksh:UndefinedTermRule":
        text = f"{compact(problem.term)} (used in {where}) is not defined in ontology/oaik.ttl."
    elif problem.rule == "oaiksh:UndefinedConceptRule":
        text = f"{compact(problem.term)} (used in {where}) is not a concept defined in ontology/vocab/."
    else:
        text = f"{compact(problem.term)} (used in {where}) is not declared in ontology/oaik.ttl."
    if problem.suggestion:
        text += f" Did you mean {compact(problem.suggestion)}?"
    return text
