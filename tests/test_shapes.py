"""The SHACL shapes: well-formed, documented for contributors, and covering the data model."""

from __future__ import annotations

import re

import pytest

from oaik.namespaces import OAIK, SHAPES, compact

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def shapes():
    """The shapes exactly as written (not the flattened graph oaik.validation.shacl prepares)."""
    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.graph import parse_files, to_rdflib

    return to_rdflib(parse_files(turtle_files(shapes_dir())))


@pytest.fixture(scope="module")
def shape_files():
    from oaik.paths import shapes_dir, turtle_files

    return turtle_files(shapes_dir())


def iri(name: str):
    from rdflib import URIRef

    return URIRef(SH + name)


def all_shapes(shapes) -> set:
    """Node and property shapes, and every shape referenced by a shape-expecting parameter."""
    from rdflib import RDF
    from rdflib.collection import Collection

    found = set(shapes.subjects(RDF.type, iri("NodeShape"))) | set(shapes.subjects(RDF.type, iri("PropertyShape")))
    for parameter in ("node", "not", "property", "qualifiedValueShape"):
        found |= set(shapes.objects(None, iri(parameter)))
    for parameter in ("or", "and", "xone"):
        for head in shapes.objects(None, iri(parameter)):
            found |= set(Collection(shapes, head))
    return found


def test_shapes_are_valid_shacl(shapes):
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_every_shape_is_named_described_and_says_how_to_fix(shapes):
    from rdflib import BNode

    lacking = []
    for shape in all_shapes(shapes):
        if isinstance(shape, BNode):
            lacking.append(f"an anonymous shape ({shapes.value(shape, iri('path'))})")
            continue
        missing = [p for p in ("name", "description", "message", "severity") if shapes.value(shape, iri(p)) is None]
        if missing:
            lacking.append(f"{compact(str(shape))}: no sh:{', sh:'.join(missing)}")
    assert not lacking, (
        "shapes must be named IRIs with sh:name, sh:description, sh:message and sh:severity:\n"
        + "\n".join(sorted(lacking))
    )


def test_severities_are_used_deliberately(shapes):
    used = {str(s).removeprefix(SH) for s in shapes.objects(None, iri("severity"))}
    assert used == {"Violation", "Warning", "Info"}


def test_every_shape_file_states_its_licence(shape_files):
    for path in shape_files:
        head = path.read_text(encoding="utf-8")[:600]
        assert "License: CC-BY-4.0" in head, f"{path.name}: state 'License: CC-BY-4.0' in the header comment"


def test_the_shapes_graph_declares_its_licence(shapes):
    from rdflib import URIRef

    licence = shapes.value(URIRef("https://w3id.org/oaik/shapes"), URIRef("http://purl.org/dc/terms/license"))
    assert str(licence) == "https://creativecommons.org/licenses/by/4.0/"


def test_every_referenced_shape_is_defined(shapes):
    from rdflib import URIRef

    subjects = {s for s in shapes.subjects() if isinstance(s, URIRef)}
    referenced = {o for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(SHAPES)}
    assert not referenced - subjects, f"undefined shapes: {sorted(compact(str(s)) for s in referenced - subjects)}"


def test_every_class_has_a_node_shape(shapes, store):
    from conftest import rows

    targeted = {str(c) for c in shapes.objects(None, iri("targetClass"))}
    used = {r["c"] for r in rows(store, "SELECT DISTINCT ?c WHERE { ?x a ?c . FILTER NOT EXISTS { ?x a owl:Class } }")}
    used -= {
        "http://www.w3.org/2002/07/owl#" + c
        for c in (
            "Ontology",
            "Class",
            "ObjectProperty",
            "DatatypeProperty",
            "AnnotationProperty",
            "FunctionalProperty",
            "TransitiveProperty",
            "SymmetricProperty",
            "AllDisjointClasses",
        )
    }
    defined = {
        r["c"] for r in rows(store, f'SELECT ?c WHERE {{ ?c a owl:Class . FILTER STRSTARTS(STR(?c), "{OAIK}") }}')
    }
    missing = (used | defined) - targeted
    assert not missing, f"classes without a node shape (sh:targetClass): {sorted(compact(c) for c in missing)}"


def paths_of(shapes) -> set[str]:
    """Every property named by a sh:path, also inside alternative and inverse paths."""
    from rdflib import URIRef
    from rdflib.collection import Collection

    found: set[str] = set()

    def walk(path) -> None:
        if isinstance(path, URIRef):
            found.add(str(path))
            return
        inverse = shapes.value(path, iri("inversePath"))
        if inverse is not None:
            walk(inverse)
        alternatives = shapes.value(path, iri("alternativePath"))
        if alternatives is not None:
            for item in Collection(shapes, alternatives):
                walk(item)

    for path in shapes.objects(None, iri("path")):
        walk(path)
    return found


def test_every_property_has_a_property_shape(shapes, parsed_files):
    from oaik.paths import ontology_dir

    ontology = ontology_dir().resolve()
    used = set()
    for parsed_file in parsed_files:
        if parsed_file.path.resolve().parent == ontology:
            continue  # the ontology modules' own headers and axioms are OWL, not data
        used |= {t.predicate.value for t in parsed_file.triples}
    defined = {
        t.subject.value
        for f in parsed_files
        for t in f.triples
        if t.predicate.value == RDF_TYPE
        and t.subject.value.startswith(OAIK)
        and t.object.value.endswith(("#ObjectProperty", "#DatatypeProperty"))
    }
    missing = (used | defined) - paths_of(shapes) - {RDF_TYPE}
    assert not missing, f"properties without a property shape: {sorted(compact(p) for p in missing)}"


def test_the_cycle_rule_follows_every_kind_of_derivation(shapes, store):
    from conftest import rows
    from rdflib import URIRef

    derivations = {r["p"] for r in rows(store, "SELECT ?p WHERE { ?p rdfs:subPropertyOf+ prov:wasDerivedFrom }")}
    derivations.add("http://www.w3.org/ns/prov#wasDerivedFrom")
    rule = URIRef(SHAPES + "DerivationCycleRule")
    (target,) = shapes.objects(rule, iri("target"))
    target_query = str(shapes.value(target, iri("select")))
    query = str(shapes.value(URIRef(SHAPES + "DerivationCycleRule-sparql"), iri("select")))
    for derivation in derivations:
        assert target_query.count(compact(derivation)) == 1, f"the cycle target must follow {compact(derivation)}"
        assert query.count(compact(derivation)) == 2, (
            f"the cycle query must follow {compact(derivation)} (in the FILTER and the path)"
        )


def test_scheme_shapes_name_existing_schemes(shapes, store):
    from conftest import rows

    schemes = {r["s"] for r in rows(store, "SELECT ?s WHERE { ?s a skos:ConceptScheme }")}
    named = {str(o) for s, o in shapes.subject_objects(iri("hasValue")) if str(s).endswith("Scheme-inScheme")}
    assert named == schemes, (
        f"schemes without In<X>Scheme shape: {schemes - named}; shapes for unknown schemes: {named - schemes}"
    )


def test_sparql_of_the_shapes_parses(shapes):
    import pyoxigraph as ox

    prefixes = "".join(
        f"PREFIX {shapes.value(d, iri('prefix'))}: <{shapes.value(d, iri('namespace'))}>\n"
        for d in set(shapes.objects(None, iri("declare")))
    )
    store = ox.Store()
    for text in shapes.objects(None, iri("select")):
        query = re.sub(r"\$(this|value|PATH)\b", r"?\1", str(text))
        store.query(prefixes + query)  # raises SyntaxError if it does not parse


def test_only_the_checks_of_files_are_left_to_python(shapes):
    """Every rule of `oaik validate` is a shape a standard SHACL engine runs, except the three that need the
    files, which the merged graph an engine sees does not tell apart: Turtle syntax, one defining file, and
    values as the store keeps them (a store has kept them its way already)."""
    from rdflib import URIRef

    deactivated = {compact(str(s)) for s, o in shapes.subject_objects(iri("deactivated")) if str(o) == "true"}
    assert deactivated == {"oaiksh:TurtleSyntaxRule", "oaiksh:DefinedOnceRule", "oaiksh:StoredAsWrittenRule"}
    for rule in ("UndefinedTermRule", "UndefinedConceptRule", "UndeclaredPropertyRule"):
        assert shapes.value(URIRef(SHAPES + rule), iri("sparql")) is not None
