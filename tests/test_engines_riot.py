"""Jena `riot` reads every RDF export offline (no document loader) and gets the graph back.

Turtle, N-Triples, RDF/XML, TriG and the DCAT and VoID records (Turtle and
JSON-LD) are read by riot and compared, after RDFC-1.0, with what Oxigraph
reads from the same file; the JSON-LD graph export is compared with the graph.

Jena reads JSON-LD 1.1 with Titanium, which needs a Jakarta JSON-P
implementation; Debian's libapache-jena-java 4.5.0 ships Titanium with only the
API (libjsonp2-java). ``engines.jakarta_json_provider`` builds one in the
temporary folder from Debian's jars alone: jarjar (libjarjar-java) relocates
the Glassfish reference implementation of javax.json 1.1.2 (libjsonp-java)
from ``javax.json`` to ``jakarta.json`` and the jar gets the
``META-INF/services`` entry the 2.x API finds its provider by. The test skips,
naming the apt package, when one of them is missing, and first parses a
one-line JSON-LD 1.1 document, skipping, saying so, if Jena still cannot read
JSON-LD 1.1. The graph riot reads must be isomorphic to the export's.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from engines import jakarta_json_provider, jena_classpath, jena_version


def riot(classpath: str, document: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["java", "-cp", classpath, "riotcmd.riot", "--syntax=jsonld", "--output=ntriples", str(document)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def classpath(tmp_path_factory) -> str:
    workdir = tmp_path_factory.mktemp("riot")
    found, why = jena_classpath(workdir)
    if found is None:
        pytest.skip(why)
    provider, why = jakarta_json_provider(workdir)
    if provider is None:
        pytest.skip(f"no Jakarta JSON-P implementation for Jena's Titanium: {why}")
    found = os.pathsep.join([found, str(provider)])
    probe = workdir / "probe.jsonld"
    probe.write_text(
        json.dumps({"@context": {"@version": 1.1, "name": "https://schema.org/name"}, "@id": "urn:x", "name": "x"})
    )
    done = riot(found, probe)
    if done.returncode != 0 or "<urn:x>" not in done.stdout:
        pytest.skip(
            f"Jena {jena_version()} here cannot read JSON-LD 1.1 even with {provider.name} "
            f"(Glassfish JSON-P relocated to jakarta.json) on the classpath: {done.stderr.strip()[-200:]}"
        )
    return found


@pytest.mark.parametrize("frame", [None, "project"])
def test_riot_reads_the_export_offline(classpath, frame, tmp_path):
    import pyoxigraph as ox

    from oaik.publish.export import export_graph, load_selections, quads

    only = ["data"] if frame else []
    document = tmp_path / "oaik.jsonld"
    document.write_bytes(export_graph("jsonld", only, frame=frame))
    done = riot(classpath, document)
    assert done.returncode == 0, done.stderr[-2000:]
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(done.stdout, format=ox.RdfFormat.N_TRIPLES)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert {str(q) for q in dataset} == {str(q) for q in quads(load_selections(only))}


#: `oaik export` arguments -> riot's --syntax and Oxigraph's format for the file written.
RDF_EXPORTS = {
    ("turtle",): ("turtle", "TURTLE"),
    ("ntriples",): ("ntriples", "N_TRIPLES"),
    ("rdfxml",): ("rdfxml", "RDF_XML"),
    ("trig",): ("trig", "TRIG"),
    ("dcat",): ("turtle", "TURTLE"),
    ("void",): ("turtle", "TURTLE"),
    ("dcat", "--syntax", "jsonld"): ("jsonld", "JSON_LD"),
    ("void", "--syntax", "jsonld"): ("jsonld", "JSON_LD"),
}


@pytest.mark.parametrize("args", list(RDF_EXPORTS), ids=lambda args: "-".join(a for a in args if a != "--syntax"))
def test_riot_reads_every_rdf_export_as_oxigraph_does(classpath, args, tmp_path):
    import pyoxigraph as ox

    from oaik.cli import main

    syntax, oxigraph_format = RDF_EXPORTS[args]
    document = tmp_path / f"export.{syntax}"
    try:
        main(["export", "--format", *args, "-o", str(document)])
    except SystemExit as exit_:
        assert exit_.code in (0, None)
    done = subprocess.run(
        ["java", "-cp", classpath, "riotcmd.riot", f"--syntax={syntax}", "--output=nquads", str(document)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    by_jena = ox.Dataset(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    fmt = getattr(ox.RdfFormat, oxigraph_format)
    by_oxigraph = ox.Dataset(ox.parse(path=str(document), format=fmt, base_iri=document.resolve().as_uri()))
    for dataset in (by_jena, by_oxigraph):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert len(by_oxigraph) > 20
    assert {str(q) for q in by_jena} == {str(q) for q in by_oxigraph}
