"""Ontology documentation: one page per class, property and concept scheme, with examples from the data."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from oaik.namespaces import OAIK
from oaik.publish.site.graphview import GraphView

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
#: How many example uses a term page lists.
EXAMPLES = 10


@dataclass
class Term:
    iri: str
    kind: str  # "class" or "property"
    types: list[str]


def terms(view: GraphView) -> list[Term]:
    """Every class and property the ontology defines in OAIK's namespace."""
    rows = view.select(
        f"""SELECT ?t (GROUP_CONCAT(STR(?type); separator=" ") AS ?types) WHERE {{
              ?t a ?type FILTER(STRSTARTS(STR(?t), "{OAIK}"))
              VALUES ?type {{ owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }}
            }} GROUP BY ?t"""
    )
    out = []
    for row in rows:
        types = sorted(row["types"].value.split())
        kind = "class" if any(t.endswith("Class") for t in types) else "property"
        out.append(Term(row["t"].value, kind, types))
    return sorted(out, key=lambda term: term.iri)


def term_context(view: GraphView, term: Term) -> dict:
    node = ox.NamedNode(term.iri)
    context = {"term": term, "facts": [], "examples": [], "subjects": []}
    if term.kind == "class":
        context["superclasses"] = view.objects(node, RDFS + "subClassOf")
        context["subclasses"] = view.subjects(RDFS + "subClassOf", node)
        context["domain_of"] = view.subjects(RDFS + "domain", node)
        context["range_of"] = view.subjects(RDFS + "range", node)
        rows = view.select(
            f"SELECT DISTINCT ?x WHERE {{ ?x a <{term.iri}> FILTER(isIRI(?x)) }} ORDER BY ?x LIMIT {EXAMPLES}"
        )
        context["instances"] = [row["x"] for row in rows]
        context["count"] = int(
            view.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{term.iri}> }}")[0]["n"].value
        )
    else:
        context["domains"] = view.objects(node, RDFS + "domain")
        context["ranges"] = view.objects(node, RDFS + "range")
        context["superproperties"] = view.objects(node, RDFS + "subPropertyOf")
        context["subproperties"] = view.subjects(RDFS + "subPropertyOf", node)
        context["inverse"] = view.objects(node, OWL + "inverseOf")
        context["characteristics"] = [ox.NamedNode(t) for t in term.types]
        rows = view.select(  # the first subjects by IRI, then their values in the view's order (SPARQL orders
            # blank nodes by id, which every parse draws anew)
            f"SELECT ?s ?o WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ ?s <{term.iri}> ?o FILTER(isIRI(?s)) }} "
            f"ORDER BY ?s LIMIT {EXAMPLES} }} ?s <{term.iri}> ?o }}"
        )
        uses = sorted(((row["s"], row["o"]) for row in rows), key=lambda use: (use[0].value, view.key(use[1])))
        context["uses"] = uses[:EXAMPLES]
        context["count"] = int(view.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{term.iri}> ?o }}")[0]["n"].value)
    context["comment"] = view.objects(node, RDFS + "comment") + view.objects(node, SKOS + "definition")
    context["notes"] = view.objects(node, SKOS + "scopeNote") + view.objects(node, SKOS + "example")
    return context


def schemes(view: GraphView) -> list[tuple[str, list[str]]]:
    """Each concept scheme with its concepts (sorted by order, then label)."""
    rows = view.select(
        "SELECT ?s ?c ?o WHERE { ?s a skos:ConceptScheme OPTIONAL { ?c skos:inScheme ?s OPTIONAL { ?c oaik:order ?o } } }"
    )
    members: dict[str, list[tuple]] = {}
    for row in rows:
        concepts = members.setdefault(row["s"].value, [])
        if row["c"] is not None:
            order = int(row["o"].value) if row["o"] is not None else 1_000_000
            concepts.append((order, view.labels.get(row["c"].value, ""), row["c"].value))
    return [(scheme, [c for *_, c in sorted(set(members[scheme]))]) for scheme in sorted(members)]
