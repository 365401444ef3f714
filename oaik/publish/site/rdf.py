"""Deterministic Turtle and JSON-LD for one resource's description (files next to its page)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from oaik.publish.export import _quad_key, used_prefixes


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Blank nodes canonically relabelled (RDFC-1.0, only when there are any), triples sorted."""
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    return [quad.triple for quad in sorted(set(quads), key=_quad_key)]


def canonical_ntriples(data: bytes) -> bytes:
    """N-Triples with each triple once, blank nodes labelled canonically (RDFC-1.0) and the lines sorted.

    Only the triples with a blank node are parsed (RDFC-1.0 labels a blank
    node from the triples that mention it alone); the others are sorted as
    they are written, one per line.
    """
    lines = set(data.splitlines(keepends=True))
    blank = [line for line in lines if b"_:" in line]  # a blank node is written _:name (a literal may match too)
    if blank:
        lines.difference_update(blank)
        dataset = ox.Dataset(ox.parse(b"".join(blank), format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines.update(_serialize(dataset, ox.RdfFormat.N_QUADS).splitlines(keepends=True))
    return b"".join(sorted(lines))


def _serialize(triples: list[ox.Triple] | ox.Dataset, fmt: ox.RdfFormat, **options) -> bytes:
    data = ox.serialize(triples, format=fmt, **options)
    assert data is not None  # no output file given: the bytes are returned
    return data


def turtle(triples: list[ox.Triple]) -> bytes:
    return _serialize(triples, ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))


def rdfxml(triples: list[ox.Triple]) -> bytes:
    return _serialize(triples, ox.RdfFormat.RDF_XML, prefixes=used_prefixes(triples))


def ntriples(triples: list[ox.Triple]) -> bytes:
    return _serialize(triples, ox.RdfFormat.N_TRIPLES)


def jsonld(triples: list[ox.Triple]) -> bytes:
    """Expanded JSON-LD, one node object per line: self-contained (no context to fetch), so any processor reads it offline."""
    nodes = json.loads(_serialize(triples, ox.RdfFormat.JSON_LD))
    if not nodes:
        return b"[]\n"
    return ("[\n" + ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes) + "\n]\n").encode("utf-8")


MEDIA_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
WRITERS = {"turtle": turtle, "jsonld": jsonld, "ntriples": ntriples}
