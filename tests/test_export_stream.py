"""Streaming export: byte-identical run to run, isomorphic to the whole-graph export it replaced.

The reference is the previous implementation (every selection parsed into one
pyoxigraph Dataset, canonicalised with RDFC-1.0 as a whole, sorted), kept in
:func:`oaik.publish.export.quads`; every streamed format must carry exactly
its triples, and TriG the same triples in each selection's named graph.
"""

from __future__ import annotations

import json

import pytest

FORMATS = ["turtle", "ntriples", "trig", "rdfxml", "jsonld"]
OX_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "trig": "TRIG", "rdfxml": "RDF_XML"}


def canonical_quads(quads) -> set[str]:
    import pyoxigraph as ox

    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def reference(only: tuple[str, ...], named: bool) -> set[str]:
    from oaik.publish.export import load_selections, quads

    return canonical_quads(quads(load_selections(only), named=named))


_EXPORTED: dict[tuple[str, tuple[str, ...]], bytes] = {}


def exported(fmt: str, only: tuple[str, ...]) -> bytes:
    """The export of ``only`` in ``fmt``, made once per test session (a JSON-LD export of the graph takes seconds)."""
    from oaik.publish.export import export_graph

    if (fmt, only) not in _EXPORTED:
        _EXPORTED[fmt, only] = export_graph(fmt, only)
    return _EXPORTED[fmt, only]


def streamed(fmt: str, only: tuple[str, ...]) -> set[str]:
    import pyoxigraph as ox

    data = exported(fmt, only)
    if fmt == "jsonld":
        from pyld import jsonld as pyld

        from oaik.publish import jsonld

        nquads = pyld.to_rdf(
            json.loads(data), {"format": "application/n-quads", "documentLoader": jsonld.document_loader}
        )
        parsed = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    else:
        parsed = ox.parse(data, format=getattr(ox.RdfFormat, OX_FORMATS[fmt]))
    return canonical_quads(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in parsed)


@pytest.mark.parametrize(
    "fmt, only",
    [(fmt, ()) for fmt in FORMATS] + [(fmt, ("data",)) for fmt in FORMATS if fmt != "jsonld"],
)
def test_streamed_export_is_isomorphic_to_the_whole_graph_export(fmt, only):
    """Everything, and the data alone (JSON-LD: everything only; its compaction costs seconds per 10K triples)."""
    assert streamed(fmt, only) == reference(only, named=fmt == "trig")


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_export_is_byte_identical_run_to_run(fmt):
    from oaik.publish.export import export_graph

    assert export_graph(fmt, ()) == exported(fmt, ())


def test_jsonld_stream_is_the_layout_json_dumps_gives(monkeypatch):
    """Written in batches, the document is still laid out exactly as ``json.dumps(indent=2)`` lays it out."""
    from oaik.publish import export

    monkeypatch.setattr(export, "JSONLD_BATCH", 1)  # one compaction per file
    data = export.export_graph("jsonld", ("ontology", "shapes"))
    assert data == export.json_bytes(json.loads(data))


def test_blank_nodes_of_different_files_stay_apart(tmp_path, monkeypatch):
    """Two files with the same anonymous structure: their blank nodes get distinct, stable labels."""
    from oaik.publish import export, graphstream

    for name in ("a", "b"):
        (tmp_path / f"{name}.ttl").write_text(
            f"<http://example.org/{name}> <http://example.org/p> [ <http://example.org/q> 1 ] .\n", encoding="utf-8"
        )
    monkeypatch.setattr(graphstream, "selection_folders", lambda selections: {"data": tmp_path})
    data = export.export_graph("ntriples", ("data",))
    assert data == export.export_graph("ntriples", ("data",))
    labels = {token for token in data.decode().split() if token.startswith("_:")}
    assert labels == {"_:f0b0", "_:f1b0"}
