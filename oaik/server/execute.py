"""Run one query inside a query worker: stop at ``max_rows`` + 1, serialise, cap the bytes.

Results are read lazily from pyoxigraph, so a query asking for millions of
rows is refused as soon as the row after the cap appears, never after the
whole result was built.
"""

from __future__ import annotations

import itertools
import json

import pyoxigraph as ox

from oaik.errors import OaikError
from oaik.publish.jsonld import graph_jsonld
from oaik.query.backends import QueryResult, run_on_store
from oaik.server import pages

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULT_SERIALISERS = {
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


class QueryRefused(Exception):
    """A query the client must change: ``status`` 400 (bad query) or 413 (result over a cap)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def execute(store: ox.Store, query: str, fmt: str, max_rows: int, max_bytes: int) -> bytes:
    """The result of ``query`` serialised as ``fmt`` (for "html", a UTF-8 fragment), or QueryRefused.

    The default graph is the merge of the store's graphs (one per source file).
    """
    try:
        result = run_on_store(store, query)
        if isinstance(result, ox.QuerySolutions):
            body = _solutions(result, fmt, max_rows)
        elif isinstance(result, ox.QueryTriples):
            body = _triples(result, fmt, max_rows)
        else:  # ASK: pyoxigraph answers with a QueryBoolean
            body = _serialise_solutions({"head": {}, "boolean": bool(result)}, fmt)
    except OaikError as error:  # text the parser refused
        raise QueryRefused(400, str(error)) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryRefused(400, f"the query failed: {error}") from None
    if len(body) > max_bytes:
        raise QueryRefused(
            413,
            f"result too large: {len(body)} bytes, over the server's cap of {max_bytes} bytes (--max-result-bytes). "
            "Add LIMIT (and OFFSET to page through), or select fewer variables.",
        )
    return body


def _too_many(unit: str, max_rows: int) -> QueryRefused:
    return QueryRefused(
        413,
        f"result too large: {max_rows + 1} {unit} or more, over the server's cap of {max_rows} {unit} (--max-rows). "
        "Add LIMIT (and OFFSET to page through), or make the query more selective.",
    )


def _solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int) -> bytes:
    names = [variable.value for variable in solutions.variables]
    rows = list(itertools.islice(solutions, max_rows + 1))
    if len(rows) > max_rows:
        raise _too_many("rows", max_rows)
    bindings = [
        {name: term_json(term) for name, term in zip(names, row) if term is not None}  # noqa: B905 - same length
        for row in rows
    ]
    return _serialise_solutions({"head": {"vars": names}, "results": {"bindings": bindings}}, fmt)


def term_json(term) -> dict:
    """One RDF term in the SPARQL 1.1 Query Results JSON format (triple terms as in SPARQL 1.2)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {part: term_json(getattr(term, part)) for part in parts}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def _serialise_solutions(result: dict, fmt: str) -> bytes:
    if fmt == "html":
        form = "ASK" if "boolean" in result else "SELECT"
        return pages.solutions_fragment(QueryResult(form, json=result)).encode("utf-8")
    data = json.dumps(result, ensure_ascii=False).encode("utf-8")
    if fmt == "json":
        return data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return bytes(parsed.serialize(format=RESULT_SERIALISERS[fmt]) or b"")


def _triples(query_triples: ox.QueryTriples, fmt: str, max_rows: int) -> bytes:
    triples = list(itertools.islice(query_triples, max_rows + 1))
    if len(triples) > max_rows:
        raise _too_many("triples", max_rows)
    if fmt == "ntriples":
        return _serialise(triples, ox.RdfFormat.N_TRIPLES)
    if fmt == "rdfxml":
        return _serialise(triples, ox.RdfFormat.RDF_XML, _used_prefixes(triples))
    if fmt == "jsonld":
        return graph_jsonld(triples)
    turtle = _serialise(triples, ox.RdfFormat.TURTLE, _used_prefixes(triples))
    if fmt == "html":
        return pages.graph_fragment(turtle.decode("utf-8"), len(triples)).encode("utf-8")
    return turtle


def _serialise(triples: list, rdf_format, prefixes: dict[str, str] | None = None) -> bytes:
    return bytes(ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b"")


def _used_prefixes(triples: list) -> dict[str, str]:
    """OAIK's prefixes that some IRI of the triples starts with (for readable Turtle)."""
    from oaik.namespaces import PREFIXES

    iris = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    namespaces = {iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in namespaces}
