"""Serialise the graph (or a selection of it); :mod:`oaik.publish.output` writes it.

Selections are the three parts of the shipped graph: ``ontology`` (the OWL
ontology and SKOS vocabularies), ``data`` (the curated Turtle) and ``shapes``
(the SHACL shapes). TriG keeps each selection in its own named graph
(:data:`GRAPH_IRIS`); every other format merges them into one graph.

Output is streamed from the persistent store one source file at a time
(:mod:`oaik.publish.graphstream`), so memory stays flat as the graph grows;
it is deterministic: files come in a stable order, each file's triples are
sorted and its blank nodes canonically labelled, so two exports of the same
files are byte-identical. A JSON-LD framed view (``--frame``) needs the whole
graph at once and is built in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from oaik.errors import OaikError
from oaik.paths import data_dir, ontology_dir, shapes_dir, turtle_files

if TYPE_CHECKING:
    import pyoxigraph as ox

    from oaik.publish.graphstream import Chunk
    from oaik.store.graph import ParsedFile

#: The formats that serialise the graph itself.
GRAPH_FORMATS: dict[str, str] = {
    "jsonld": "JSON-LD 1.1, compact, with OAIK's context (add --frame for a nested view)",
    "turtle": "Turtle",
    "ntriples": "N-Triples (canonical)",
    "rdfxml": "RDF/XML",
    "trig": "TriG, one named graph per selection",
}
#: The formats that describe the graph for catalogues.
DESCRIPTION_FORMATS: dict[str, str] = {
    "dcat": "a DCAT 3 / DCAT-AP 3 catalogue record (--syntax turtle|jsonld)",
    "void": "a VoID description with linksets (--syntax turtle|jsonld)",
    "sssom": "the cross-references to other catalogues as an SSSOM TSV mapping set",
}
FORMATS = {**GRAPH_FORMATS, **DESCRIPTION_FORMATS}

#: File extension and media type of each serialisation (used by the DCAT record too).
MEDIA = {
    "jsonld": (".jsonld", "application/ld+json"),
    "turtle": (".ttl", "text/turtle"),
    "ntriples": (".nt", "application/n-triples"),
    "rdfxml": (".rdf", "application/rdf+xml"),
    "trig": (".trig", "application/trig"),
    "sssom": (".sssom.tsv", "text/tab-separated-values"),
}

SELECTIONS = ("ontology", "data", "shapes")

#: The named graph of each selection in TriG (and in a SPARQL store).
GRAPH_IRIS = {
    "ontology": "https://w3id.org/oaik/graph/ontology",
    "data": "https://w3id.org/oaik/graph/data",
    "shapes": "https://w3id.org/oaik/graph/shapes",
}


def format_error(fmt: str) -> OaikError:
    graph = ", ".join(GRAPH_FORMATS)
    described = ", ".join(DESCRIPTION_FORMATS)
    return OaikError(
        f"unknown export format {fmt!r}: choose one of {graph} (the graph itself) "
        f"or {described} (descriptions of it for catalogues), e.g. `oaik export --format turtle`."
    )


def check_selections(only: Iterable[str]) -> list[str]:
    """The selections asked for, in canonical order (all three when none is named)."""
    chosen = list(only)
    unknown = [name for name in chosen if name not in SELECTIONS]
    if unknown:
        raise OaikError(
            f"unknown selection {unknown[0]!r} for --only: choose data, ontology or shapes "
            "(repeat --only to combine them; leave it out to export all three)."
        )
    return [name for name in SELECTIONS if name in chosen or not chosen]


def selection_files(name: str) -> list[Path]:
    folder = {"ontology": ontology_dir, "data": data_dir, "shapes": shapes_dir}[name]()
    return turtle_files(folder) if folder.is_dir() else []


def load_selections(only: Iterable[str] = ()) -> dict[str, list[ParsedFile]]:
    """Parse the files of each selection (default: all three)."""
    from oaik.store.graph import parse_files

    return {name: parse_files(selection_files(name)) for name in check_selections(only)}


def quads(selections: dict[str, list[ParsedFile]], named: bool = False) -> list[ox.Quad]:
    """The selections' triples as canonically labelled, sorted quads.

    ``named`` puts each selection in its named graph; otherwise everything is
    in the default graph (a triple in two selections appears once).
    """
    import pyoxigraph as ox

    dataset = ox.Dataset()
    for name, parsed in selections.items():
        graph = ox.NamedNode(GRAPH_IRIS[name]) if named else ox.DefaultGraph()
        for parsed_file in parsed:
            for triple in parsed_file.triples:
                dataset.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=_quad_key)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _quad_key(quad: ox.Quad) -> tuple:
    import pyoxigraph as ox

    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
    subject = (isinstance(quad.subject, ox.BlankNode), quad.subject.value)  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
    predicate = (quad.predicate.value != _RDF_TYPE, quad.predicate.value)
    obj = quad.object
    literal = isinstance(obj, ox.Literal)
    return (
        graph,
        subject,
        predicate,
        (literal, obj.value, obj.language or "" if literal else "", obj.datatype.value if literal else ""),  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
    )


def used_prefixes(items: Iterable[ox.Quad | ox.Triple]) -> dict[str, str]:
    """The known prefixes whose namespace some IRI in the triples starts with."""
    import pyoxigraph as ox

    from oaik.namespaces import PREFIXES, prefix_of

    used = {
        prefix_of(term.value)
        for item in items
        for term in (item.subject, item.predicate, item.object)
        if isinstance(term, ox.NamedNode)
    }
    return {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix in used}


def graph_parts(only: Iterable[str] = ()) -> list[Chunk]:
    """The selections' files read once, in export order, for ``export_graph(..., parts=...)`` in several formats."""
    from oaik.publish.graphstream import chunks

    return list(chunks(check_selections(only)))


def export_graph(
    fmt: str,
    only: Iterable[str] = (),
    frame: str | None = None,
    context_url: str | None = None,
    parts: Sequence[Chunk] | None = None,
) -> bytes:
    """The shipped graph (or the selections named) serialised in ``fmt``, as bytes."""
    import io

    buffer = io.BytesIO()
    write_graph(buffer, fmt, only, frame, context_url, parts)
    return buffer.getvalue()


def write_graph(
    stream: BinaryIO,
    fmt: str,
    only: Iterable[str] = (),
    frame: str | None = None,
    context_url: str | None = None,
    parts: Sequence[Chunk] | None = None,
) -> None:
    """Serialise the shipped graph (or the selections named) in ``fmt`` to a binary stream, file by file.

    JSON-LD embeds its context, so it reads offline, unless ``context_url`` names the published one.
    ``parts`` are the selections' files already read (``graph_parts``), for several formats in a row.
    """
    import pyoxigraph as ox

    from oaik.publish.graphstream import chunks

    if fmt not in GRAPH_FORMATS:
        raise format_error(fmt)
    if frame is not None and fmt != "jsonld":
        raise OaikError(
            f"--frame works with --format jsonld only (not {fmt}): frames nest JSON-LD documents, e.g. `oaik export --format jsonld --frame project`."
        )
    selections = check_selections(only)
    files: Iterable[Chunk] = chunks(selections) if parts is None else parts  # read lazily, as it is written
    if frame is not None:
        from oaik.publish import jsonld

        jsonld.load_frame(frame)  # an unknown frame fails before any work
        imports = data_dir() / "imports"
        nested: list[ox.Triple] = []  # a frame embeds across files
        flat: list[ox.Triple] = []  # imported catalogues: no project nests them, so they are not framed
        for chunk in files:
            (flat if chunk.path.is_relative_to(imports) else nested).extend(chunk.triples)
        stream.write(jsonld.framed_jsonld(nested, frame, context_url, flat))
        return
    if fmt == "jsonld":
        _write_jsonld(stream, files, context_url)
        return
    from oaik.namespaces import PREFIXES

    items: Iterator[Any]  # triples, or quads for TriG
    if fmt == "trig":
        graphs = {name: ox.NamedNode(iri) for name, iri in GRAPH_IRIS.items()}
        items = (
            ox.Quad(t.subject, t.predicate, t.object, graphs[chunk.selection]) for chunk in files for t in chunk.triples
        )
    else:
        items = (t for chunk in files for t in chunk.triples)
    rdf_format = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "trig": ox.RdfFormat.TRIG,
    }[fmt]
    prefixes = None if fmt == "ntriples" else dict(PREFIXES)
    ox.serialize(items, output=stream, format=rdf_format, prefixes=prefixes)


#: Triples compacted together in a JSON-LD export: whole files, up to about this many (pyld's cost per call is high).
JSONLD_BATCH = 20_000


def _write_jsonld(stream: BinaryIO, parts: Iterable, context_url: str | None = None) -> None:
    """Compact JSON-LD written a few source files (projects) at a time, laid out as ``json_bytes`` would.

    A node described in two files appears as two node objects with the same
    ``id``; JSON-LD merges them when the document is read.
    """
    from oaik.publish import jsonld

    def indented(value: object, depth: int) -> bytes:
        text = json.dumps(value, indent=2, ensure_ascii=False)
        return text.replace("\n", "\n" + " " * depth).encode("utf-8")

    nodes = 0

    def flush(triples: list) -> None:
        nonlocal nodes
        document = jsonld.compact(jsonld.expand_quads(triples), context_url)
        for node in document["@graph"]:
            if nodes == 0:
                stream.write(b'{\n  "@context": ' + indented(document["@context"], 2) + b',\n  "@graph": [\n    ')
            else:
                stream.write(b",\n    ")
            stream.write(indented(node, 4))
            nodes += 1

    batch: list = []
    for part in parts:
        batch.extend(part.triples)
        if len(batch) >= JSONLD_BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    if nodes == 0:
        stream.write(json_bytes(jsonld.compact([], context_url)))
    else:
        stream.write(b"\n  ]\n}\n")


def json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
