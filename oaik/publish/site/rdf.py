"""Deterministic Turtle and JSON-LD for one resource's description (files next to its page)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from oaik.publish.canonical import canonical_triples
from oaik.publish.export import used_prefixes
from oaik.publish.graphstream import triple_key


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Each triple once, blank nodes canonically labelled (:mod:`oaik.publish.canonical`), sorted."""
    return sorted(canonical_triples(triples), key=triple_key)


def canonical_ntriples(data: bytes) -> bytes:
    """N-Triples with each triple once, blank nodes labelled canonically and the lines sorted.

    Only the triples with a blank node are parsed (a blank node's label
    depends on the triples that mention blank nodes alone); the others are
    sorted as they are written, one per line.
    """
    lines = set(data.splitlines(keepends=True))
    blank = [line for line in lines if b"_:" in line]  # a blank node is written _:name (a literal may match too)
    if blank:
        lines.difference_update(blank)
        triples = canonical_triples(ox.parse(b"".join(blank), format=ox.RdfFormat.N_TRIPLES))
        lines.update(_serialize(triples, ox.RdfFormat.N_TRIPLES).splitlines(keepends=True))
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
WRITERS = {"turtle": turtle, "jsonld": jsonld, "ntriples": ntriples, "rdfxml": rdfxml}
