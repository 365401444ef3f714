"""Harvest then validate: what an endpoint gives back validates exactly like the files.

A CONSTRUCT of the whole graph through `oaik serve`, and through an Oxigraph
server after `oaik push`, is written as Turtle and validated with `oaik
validate`'s Python API: the ontology comes from the files, the data is the
harvest less the ontology's own triples (those that come back unchanged; a
changed one stays in the data and is reported). The report must equal the report on the files: same severities,
rules, constraint components, focus nodes, paths and values. Typed literals
that an engine normalises on the way (for example ``xsd:nonNegativeInteger``
becoming ``xsd:integer``) would show up here as datatype violations.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from servers import oaik_server, oxigraph_binary, oxigraph_server

from oaik.paths import graph_files, ontology_dir
from oaik.query.backends import DEFAULT_GRAPH

WHOLE_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def harvest(url: str, query: str, **params: str) -> bytes:
    """The Turtle a SPARQL endpoint answers to a CONSTRUCT (GET, Accept: text/turtle)."""
    address = f"{url}?{urllib.parse.urlencode({'query': query, **params})}"
    request = urllib.request.Request(address, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def data_part(turtle: bytes, target: Path) -> Path:
    """Write the harvested triples that are not the ontology's (blank nodes compared by their triple's shape)."""
    import pyoxigraph as ox

    from oaik.store.graph import parse_files

    def shape(triple) -> tuple:
        def term(node):
            return "_" if isinstance(node, ox.BlankNode) else node

        return term(triple.subject), triple.predicate, term(triple.object)

    ontology = ontology_dir().resolve()
    own = {
        shape(t) for f in parse_files([p for p in graph_files() if ontology in p.resolve().parents]) for t in f.triples
    }
    harvested = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    data = [t for t in harvested if shape(t) not in own]
    assert len(data) < len(harvested), "the harvest holds the ontology too"
    target.write_bytes(ox.serialize(data, format=ox.RdfFormat.TURTLE))
    return target


def report_of(data_files: list[Path]) -> Counter:
    """`oaik validate`'s results for the ontology files plus ``data_files``, without file and line."""
    from oaik.validation.validate import Validator

    ontology = ontology_dir().resolve()
    shipped = [p for p in graph_files() if ontology in p.resolve().parents] + data_files
    report = Validator(shipped).validate()
    assert not report.syntax_errors, [r.message for r in report.results]
    return Counter(
        (r.severity, r.rule, r.component, r.node, r.path, r.value, r.message)
        for r in report.results
        if r.file is None or not Path(r.file).is_relative_to(ontology)
    )


@pytest.fixture(scope="module")
def from_files() -> Counter:
    from oaik.paths import data_dir, turtle_files

    return report_of(turtle_files(data_dir()))


def assert_same(harvested: Counter, files: Counter, where: str) -> None:
    lost, gained = files - harvested, harvested - files
    assert not lost and not gained, (
        f"validating the graph harvested from {where} differs from validating the files: "
        f"{sum(gained.values())} results only in the harvest, e.g. {list(gained)[:3]}; "
        f"{sum(lost.values())} only in the files, e.g. {list(lost)[:3]}"
    )


def test_harvest_from_oaik_serve_validates_like_the_files(from_files, tmp_path):
    with oaik_server(max_rows=10_000_000) as server:
        turtle = harvest(f"{server.url}/sparql", WHOLE_GRAPH)
    assert_same(report_of([data_part(turtle, tmp_path / "harvest.ttl")]), from_files, "oaik serve")


def test_harvest_from_oxigraph_after_push_validates_like_the_files(from_files, tmp_path):
    from oaik.publish.push import push

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server is not installed (pip install '.[test]' provides `oxigraph`)")
    with oxigraph_server(binary, tmp_path / "oxigraph") as base:
        push(f"{base}/store")
        turtle = harvest(f"{base}/query", WHOLE_GRAPH, **{"default-graph-uri": DEFAULT_GRAPH})
    assert_same(
        report_of([data_part(turtle, tmp_path / "harvest.ttl")]), from_files, "an Oxigraph server after oaik push"
    )
