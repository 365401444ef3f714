"""The catalogue record (DCAT-AP 3) and the VoID description of the graph.

The record is validated with the official DCAT-AP 3.0.1 SHACL shapes, read
from ../shared/vendor/dcat-ap-3.0.1/ beside the checkout (never copied into
the repository); those tests skip when that folder is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DCAT_AP = REPO.parent / "shared" / "vendor" / "dcat-ap-3.0.1"

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def record(store):
    from oaik.publish.catalog import dcat_record

    return dcat_record(store)


@pytest.fixture(scope="module")
def record_graph(record):
    import rdflib

    from oaik.publish.catalog import serialize

    return rdflib.Graph().parse(data=serialize(record, "turtle").decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def void(store):
    from oaik.publish.catalog import void_description

    return void_description(store)


def objects(triples, subject: str, predicate: str) -> list[str]:
    return sorted(t.object.value for t in triples if t.subject.value == subject and t.predicate.value == predicate)


def instances(triples, cls: str) -> list[str]:
    return sorted(t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value == cls)


@pytest.fixture(scope="module")
def dcat_ap_shapes():
    """DCAT-AP 3.0.1 shapes: dcat-ap-SHACL.ttl with ranges.ttl (which defines some of its property shapes).

    The two files refer to a few property shapes that neither defines (they
    have no sh:path); pySHACL rejects such references, so they are dropped
    here. They constrain nothing.
    """
    if not DCAT_AP.is_dir():
        pytest.skip(f"the DCAT-AP 3.0.1 shapes are not beside this checkout ({DCAT_AP} is absent)")
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(DCAT_AP / name, format="turtle")
    for node, shape in list(shapes.subject_objects(SH.property)):
        if (shape, SH.path, None) not in shapes:
            shapes.remove((node, SH.property, shape))
    return shapes


def test_record_conforms_to_dcat_ap(record_graph, dcat_ap_shapes):
    import pyshacl

    # RDFS inference gives every resource its rdfs:Resource membership, which ranges.ttl checks with sh:class.
    conforms, _, text = pyshacl.validate(record_graph, shacl_graph=dcat_ap_shapes, inference="rdfs")
    assert conforms, text


def test_record_in_json_ld_is_the_same_graph(record, record_graph):
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    from oaik.publish import jsonld
    from oaik.publish.catalog import serialize

    document = json.loads(serialize(record, "jsonld"))
    assert document["@context"][0] == jsonld.context_document()["@context"], "the context is embedded"
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": jsonld.document_loader})
    from_json = ox.Dataset(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    from_turtle = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in record)
    for dataset in (from_json, from_turtle):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert {str(q) for q in from_json} == {str(q) for q in from_turtle}


def test_catalog_holds_the_dataset_and_the_service(record):
    from oaik.publish.catalog import CATALOG, DATASET, SERVICE

    assert instances(record, DCAT + "Catalog") == [CATALOG]
    assert instances(record, DCAT + "Dataset") == [DATASET]
    assert objects(record, CATALOG, DCAT + "dataset") == [DATASET]
    assert objects(record, CATALOG, DCAT + "service") == [SERVICE]


def test_dataset_metadata(record):
    from oaik import __version__
    from oaik.publish.catalog import DATASET, THEME

    assert objects(record, DATASET, DCAT + "version") == [__version__]
    for predicate in ("title", "description", "publisher", "temporal", "spatial", "language", "conformsTo", "rights"):
        assert objects(record, DATASET, DCT + predicate), f"the dataset has no dcterms:{predicate}"
    assert len(objects(record, DATASET, DCAT + "keyword")) >= 5
    assert objects(record, DATASET, DCAT + "theme") == [THEME]
    period = objects(record, DATASET, DCT + "temporal")[0]
    assert objects(record, period, DCAT + "startDate") and objects(record, period, DCAT + "endDate")


def test_a_distribution_per_export_format_with_its_licence(record):
    from oaik.publish.catalog import CC0, CC_BY, DATASET
    from oaik.publish.export import GRAPH_FORMATS, MEDIA

    distributions = objects(record, DATASET, DCAT + "distribution")
    media = {m for d in distributions for m in objects(record, d, DCAT + "mediaType")}
    for fmt in GRAPH_FORMATS:
        assert f"http://www.iana.org/assignments/media-types/{MEDIA[fmt][1]}" in media, f"no distribution in {fmt}"
    for distribution in distributions:
        assert len(objects(record, distribution, DCT + "license")) == 1, f"{distribution} needs exactly one licence"
        assert objects(record, distribution, DCAT + "accessURL"), f"{distribution} needs an access URL"
    licences = {objects(record, d, DCT + "license")[0] for d in distributions}
    assert licences == {CC_BY}, "the graph holds imported index data (CC BY 4.0, MIT): no distribution is CC0"
    assert CC0 not in licences


def test_distributions_holding_imported_data_carry_cc_by_and_the_attribution(record):
    """OSAI's data is CC BY 4.0 and MOT's is MIT: both require attribution, so every distribution that holds
    them says CC BY 4.0 and points to the rights statement, which cites both sources."""
    from oaik.publish.catalog import CC_BY, DATASET, RIGHTS

    for distribution in objects(record, DATASET, DCAT + "distribution"):
        assert objects(record, distribution, DCT + "license") == [CC_BY], distribution
        assert objects(record, distribution, DCT + "rights") == [RIGHTS], distribution
    (statement,) = objects(record, RIGHTS, "http://www.w3.org/2000/01/rdf-schema#label")
    assert "https://osai-index.eu/" in statement and "CC-BY-4.0" in statement
    assert "The Model Openness Tool Authors" in statement and "MIT" in statement
    assert "CC0" not in statement.split("dedicated to the public domain under CC0 1.0")[1]


def test_without_imported_data_the_data_only_distributions_stay_cc0():
    from oaik.paths import data_dir, ontology_dir, turtle_files
    from oaik.publish.catalog import CC0, CC_BY, DATASET, RIGHTS, dcat_record
    from oaik.store.graph import parse_files, to_store

    imports = data_dir() / "imports"
    curated = [p for p in turtle_files(ontology_dir(), data_dir()) if imports not in p.parents]
    record = dcat_record(to_store(parse_files(curated)))
    data_only = f"{DATASET}/oaik-data-turtle"
    assert objects(record, data_only, DCT + "license") == [CC0]
    assert objects(record, f"{DATASET}/oaik-turtle", DCT + "license") == [CC_BY]
    (statement,) = objects(record, RIGHTS, "http://www.w3.org/2000/01/rdf-schema#label")
    assert "osai-index.eu" not in statement


def test_the_sparql_endpoint_is_a_data_service(record):
    from oaik.publish.catalog import DATASET, DEFAULT_ENDPOINT, SERVICE

    assert DEFAULT_ENDPOINT.endswith("/sparql")
    assert instances(record, DCAT + "DataService") == [SERVICE]
    assert objects(record, SERVICE, DCAT + "endpointURL") == [DEFAULT_ENDPOINT]
    assert objects(record, SERVICE, DCAT + "servesDataset") == [DATASET]


def test_endpoint_option(tmp_path, capsys):
    from oaik.cli import main

    target = tmp_path / "dcat.ttl"
    main(["export", "--format", "dcat", "--endpoint", "https://sparql.example.org/sparql", "-o", str(target)])
    assert "<https://sparql.example.org/sparql>" in target.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# VoID
# ---------------------------------------------------------------------------


def test_void_statistics(void, store):
    from oaik.publish.catalog import DATASET

    assert int(objects(void, DATASET, VOID + "triples")[0]) == len(store)
    distinct_subjects = len({q.subject for q in store})
    assert int(objects(void, DATASET, VOID + "distinctSubjects")[0]) == distinct_subjects
    for statistic in ("entities", "distinctObjects", "classes", "properties"):
        assert int(objects(void, DATASET, VOID + statistic)[0]) > 0
    assert "https://w3id.org/oaik/ns#" in objects(void, DATASET, VOID + "vocabulary")


def test_void_states_the_licence_and_the_rights(void):
    from oaik.publish.catalog import CC_BY, DATASET, RIGHTS

    assert objects(void, DATASET, DCT + "license") == [CC_BY]
    assert objects(void, DATASET, DCT + "rights") == [RIGHTS]


def test_void_partitions_cover_every_class_and_property(void, store):
    from oaik.publish.catalog import DATASET

    classes = {row[0].value for row in store.query("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    properties = {row[0].value for row in store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")}
    class_nodes = [
        t.object for t in void if t.subject.value == DATASET and t.predicate.value == VOID + "classPartition"
    ]
    property_nodes = [
        t.object for t in void if t.subject.value == DATASET and t.predicate.value == VOID + "propertyPartition"
    ]
    assert {t.object.value for t in void if t.subject in class_nodes and t.predicate.value == VOID + "class"} == classes
    assert {
        t.object.value for t in void if t.subject in property_nodes and t.predicate.value == VOID + "property"
    } == properties
    triples = sum(
        int(t.object.value) for t in void if t.subject in property_nodes and t.predicate.value == VOID + "triples"
    )
    assert triples == len(store)


def test_void_has_a_linkset_per_target_with_its_count(void, store):
    from oaik.publish.catalog import DATASET
    from oaik.publish.links import TARGETS

    linksets = instances(void, VOID + "Linkset")
    targets = {objects(void, ls, VOID + "objectsTarget")[0].rsplit("/", 1)[-1] for ls in linksets}
    assert targets == {target.key for target in TARGETS}
    for linkset in linksets:
        assert objects(void, linkset, VOID + "subjectsTarget") == [DATASET]
        predicate = objects(void, linkset, VOID + "linkPredicate")[0]
        target = next(
            t
            for t in TARGETS
            if linkset.endswith(f"/linkset/{t.key}-" + predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        )
        where = f'FILTER(STRSTARTS(STR(?o), "{target.namespace}"))' if target.namespace else ""
        expected = int(
            next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o {where} }}")))[0].value
        )
        assert int(objects(void, linkset, VOID + "triples")[0]) == expected, linkset


def test_void_cli_in_json_ld(capsys):
    from oaik.cli import main
    from oaik.publish.catalog import DATASET

    main(["export", "--format", "void", "--syntax", "jsonld", "--only", "ontology"])
    document = json.loads(capsys.readouterr().out)
    dataset = next(
        node for node in document["@graph"] if node.get("id") == DATASET.removeprefix("https://w3id.org/oaik/id/")
    )
    assert dataset["type"] == "void:Dataset" and int(dataset["triples"]) > 0
