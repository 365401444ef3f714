"""OWL reasoning with HermiT (through owlready2): is the graph consistent?

SHACL checks what the data looks like; HermiT checks that the ontology and
the data together do not contradict themselves (an individual in two disjoint
classes, a functional data property with two values, a literal outside a
property's range) and that every class can have instances.

owlready2 reads RDF/XML or N-Triples, so the parsed graph is written to a
temporary N-Triples file. HermiT starts Java, which is why ``oaik validate``
runs it only with ``--reason``. HermiT reports *that* the graph is
inconsistent, not *why*; :func:`diagnose` then looks for the usual culprits
with SPARQL so that the report can name individuals.

Contributions are untrusted: nothing in them is dereferenced. ``owl:imports``
statements are dropped before owlready2 sees the graph, and the reasoning
runs in a child process (with Java under it) fenced from the network by
seccomp (:func:`oaik.query.sandbox.fence_network`) and stopped after
:data:`REASON_TIMEOUT`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from oaik.namespaces import compact, sparql_prefixes

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: Dropped before reasoning: owlready2 would fetch the imported IRI (a URL, or a file: IRI).
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
REASON_TIMEOUT = 600.0  # seconds: a backstop, HermiT needs seconds on the shipped graph
#: Datatypes of the OWL 2 datatype map, which HermiT supports. Others (xsd:gYear,
#: xsd:date, xsd:gYearMonth) should occur only as values of dcterms:* properties,
#: which the ontology declares as annotation properties to keep them out of
#: reasoning, and HermiT accepts them there. But HermiT aborts (Java exception,
#: no verdict) as soon as a data property carries one, e.g. a mistyped
#: oaik:section "2025"^^xsd:gYear, so the copy given to it retypes every such
#: literal as a plain xsd:string (see :func:`reasoner_triples`); SHACL reports
#: the wrong datatype itself.
OWL2_DATATYPES = {
    XSD + t
    for t in (
        "string",
        "normalizedString",
        "token",
        "language",
        "Name",
        "NCName",
        "NMTOKEN",
        "boolean",
        "decimal",
        "integer",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "double",
        "float",
        "dateTime",
        "dateTimeStamp",
        "hexBinary",
        "base64Binary",
        "anyURI",
    )
} | {RDF + "langString", RDF + "PlainLiteral", RDF + "XMLLiteral", "http://www.w3.org/2000/01/rdf-schema#Literal"}


@dataclass
class Outcome:
    """What HermiT found."""

    consistent: bool | None  # None: the reasoner could not run
    unsatisfiable: list[str] = field(default_factory=list)  # classes that can have no instance
    causes: list[str] = field(default_factory=list)  # likely causes of an inconsistency, in plain words
    message: str = ""
    retyped: int = 0  # literals retyped to xsd:string for HermiT

    @property
    def exit_code(self) -> int:
        if self.consistent is None:
            return EXIT_USAGE
        return EXIT_OK if self.consistent and not self.unsatisfiable else EXIT_FAILED

    def as_text(self) -> str:
        lines = [f"OWL reasoning (HermiT): {self.message}"]
        lines += [f"  unsatisfiable class: {c}" for c in self.unsatisfiable]
        lines += [f"  likely cause: {c}" for c in self.causes]
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {
                "reasoner": "HermiT",
                "consistent": self.consistent,
                "unsatisfiable": self.unsatisfiable,
                "causes": self.causes,
                "message": self.message,
                "exit_code": self.exit_code,
            },
            indent=2,
        )

    def as_github(self) -> str:
        if self.exit_code == EXIT_OK:
            return f"OWL reasoning (HermiT): {self.message}"
        details = "%0A".join([self.message] + self.causes + [f"unsatisfiable: {c}" for c in self.unsatisfiable])
        return f"::error title=OWL reasoning (HermiT)::{details}"


def reason(paths: Iterable[Path | str] | None = None) -> Outcome:
    """Reason over the shipped graph plus, if given, the Turtle files or folders ``paths``."""
    from oaik.paths import graph_files
    from oaik.store.graph import expand_paths

    files = {p.resolve(): p for p in graph_files()}
    for path in expand_paths(paths or []):
        files.setdefault(path.resolve(), path)
    return reason_files(list(files.values()))


def reason_files(files: Iterable[Path]) -> Outcome:
    """Load exactly these Turtle files into owlready2 and run HermiT."""
    from oaik.store.graph import parse_files

    if shutil.which("java") is None:
        return Outcome(
            None, message="cannot run: 'java' is not on PATH. Install a Java runtime (11 or later) to use --reason."
        )
    parsed = parse_files(list(files))
    triples = [t for f in parsed for t in f.triples]
    return _run_fenced(triples)


def _run_fenced(triples: list[ox.Triple]) -> Outcome:
    """HermiT in a child process that can open no network connection (nor can Java), stopped after a time limit."""
    from oaik.errors import OaikError
    from oaik.query.sandbox import QueryTimeout, SandboxUnavailable, fence_network, run_limited

    try:
        return run_limited(lambda: _run_hermit(triples), timeout=REASON_TIMEOUT, memory=None, fence=fence_network)
    except QueryTimeout:
        return Outcome(None, message=f"HermiT did not finish within {REASON_TIMEOUT:g} s and was stopped.")
    except SandboxUnavailable as error:
        return Outcome(None, message=f"cannot run: reasoning is {error}")
    except OaikError as error:
        return Outcome(None, message=f"HermiT failed ({error}).")


def reasoner_triples(triples: Iterable[ox.Triple]) -> tuple[list[ox.Triple], int]:
    """The triples HermiT is given: no owl:imports (nothing is ever fetched), and literals of datatypes outside OWL 2 as plain strings."""
    out, retyped = [], 0
    for triple in triples:
        if triple.predicate.value == OWL_IMPORTS:
            continue
        obj = triple.object
        if isinstance(obj, ox.Literal) and obj.language is None and obj.datatype.value not in OWL2_DATATYPES:
            obj = ox.Literal(obj.value)
            retyped += 1
            triple = ox.Triple(triple.subject, triple.predicate, obj)
        out.append(triple)
    return out, retyped


def _run_hermit(triples: list[ox.Triple]) -> Outcome:
    import owlready2

    given, retyped = reasoner_triples(triples)
    with tempfile.TemporaryDirectory(prefix="oaik-reason-") as folder:
        path = Path(folder) / "graph.nt"
        ox.serialize(given, output=str(path), format=ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load(format="ntriples")
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            causes = diagnose(triples)
            message = "the graph is INCONSISTENT: some statements contradict the ontology."
            if not causes:
                message += " HermiT does not say which; validate smaller sets of files (oaik validate --reason FILE) to narrow it down."
            return Outcome(False, causes=causes, message=message, retyped=retyped)
        except owlready2.OwlReadyJavaError as error:
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            cause = next(
                (line for line in lines if "Exception" in line or "Error:" in line), lines[-1] if lines else ""
            )
            return Outcome(
                None,
                message=f"HermiT failed ({cause}). Run `oaik validate` first: it reports the Turtle or datatype problem behind this.",
                retyped=retyped,
            )
        unsatisfiable = sorted(compact(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    if unsatisfiable:
        message = f"consistent, but {len(unsatisfiable)} class(es) are unsatisfiable (can have no instance): fix the ontology."
    else:
        message = f"consistent; no unsatisfiable classes ({len(given)} triples reasoned over)."
    return Outcome(True, unsatisfiable=unsatisfiable, message=message, retyped=retyped)


def diagnose(triples: Iterable[ox.Triple]) -> list[str]:
    """Plain-words reasons an OWL reasoner would find the graph inconsistent."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    causes = []
    disjoint = """
        SELECT DISTINCT ?x ?a ?b WHERE {
          ?x a ?c1 , ?c2 . ?c1 rdfs:subClassOf* ?a . ?c2 rdfs:subClassOf* ?b .
          { ?a owl:disjointWith ?b } UNION {
            ?all a owl:AllDisjointClasses ; owl:members ?list .
            ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (STR(?a) < STR(?b)) }
        } ORDER BY ?x"""
    for row in store.query(sparql_prefixes() + disjoint):
        causes.append(
            f"{_name(row['x'])} is an instance of both {_name(row['a'])} and {_name(row['b'])}, classes the ontology declares disjoint."
        )
    functional = """
        SELECT ?x ?p (COUNT(DISTINCT ?v) AS ?n) WHERE {
          ?p a owl:FunctionalProperty , owl:DatatypeProperty . ?x ?p ?v .
        } GROUP BY ?x ?p HAVING (COUNT(DISTINCT ?v) > 1) ORDER BY ?x"""
    for row in store.query(sparql_prefixes() + functional):
        causes.append(
            f"{_name(row['x'])} has {row['n'].value} different values for {_name(row['p'])}, a functional property (at most one value)."
        )
    from oaik.validation.shacl import quiet_rdflib

    with quiet_rdflib():
        violations = list(_range_violations(triples, store))
    for subject, predicate, value, expected in violations:
        causes.append(
            f"{_name(subject)} {_name(predicate)} {value}: not a valid {compact(expected)}, the property's range."
        )
    return causes


def _range_violations(triples: Iterable[ox.Triple], store: ox.Store):
    """Literals (as parsed: the store would normalise them) outside the value space of the property's range."""
    ranges = {
        row["p"].value: row["r"].value
        for row in store.query(
            sparql_prefixes()
            + """
        SELECT ?p ?r WHERE { ?p a owl:DatatypeProperty ; rdfs:range ?r . FILTER (STRSTARTS(STR(?r), STR(xsd:))) }"""
        )
    }
    for triple in triples:
        expected = ranges.get(triple.predicate.value)
        obj = triple.object
        if expected is None or not isinstance(obj, ox.Literal):
            continue
        datatype = RDF + "langString" if obj.language is not None else obj.datatype.value
        if not _fits(datatype, obj.value, expected):
            yield triple.subject, triple.predicate, f'"{obj.value}"^^{compact(datatype)}', expected


_NUMERIC = {
    XSD + t
    for t in (
        "decimal",
        "integer",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


def _fits(datatype: str, lexical: str, expected: str) -> bool:
    """Whether a literal is in the value space of ``expected`` (numbers compare by value, as in OWL 2)."""
    from rdflib import Literal, URIRef

    if datatype == RDF + "langString":
        return expected in (RDF + "langString", RDF + "PlainLiteral")
    if Literal(lexical, datatype=URIRef(datatype)).ill_typed:
        return False
    if datatype == expected:
        return True
    return expected in _NUMERIC and datatype in _NUMERIC and not Literal(lexical, datatype=URIRef(expected)).ill_typed


def _name(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "a blank node"
    return str(term.value)
