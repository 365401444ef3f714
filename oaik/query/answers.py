"""What a remote SPARQL endpoint answers, judged before anything is shown: JSON results by their shape,
graphs by pyoxigraph's parser (then written out again as N-Triples).

An endpoint is not trusted to answer what it was asked: an answer that is not
what the query form calls for is an OaikError (exit 2) that names the
endpoint and never quotes the answer.
"""

from __future__ import annotations

import json

from oaik.errors import OaikError

#: The media types of the graph answers read, and their parser (N-Triples is also Turtle).
_GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE"}
_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")


def graph_answer(body: bytes, media_type: str, endpoint: str) -> str:
    """The triples of a CONSTRUCT or DESCRIBE answer, as N-Triples."""
    import pyoxigraph as ox

    form = _GRAPH_TYPES.get(media_type)
    if form is None:
        raise OaikError(
            f"the endpoint {endpoint} did not answer with RDF (N-Triples or Turtle) but with {media_type!r}; "
            "check that it is a SPARQL query endpoint."
        )
    try:
        triples = list(ox.parse(body, format=getattr(ox.RdfFormat, form)))
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        where = f" (a syntax error at line {line} of its answer)" if line else ""
        raise OaikError(
            f"the endpoint {endpoint} did not answer with RDF{where}; check that it is a SPARQL query endpoint."
        ) from None
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def results_answer(body: bytes, endpoint: str) -> dict:
    """A SELECT or ASK answer: SPARQL 1.1 Query Results JSON, each value a term with a text value."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not _results(answer):
        raise OaikError(
            f"the endpoint {endpoint} did not answer with SPARQL JSON results; check that it is a SPARQL query endpoint."
        )
    return answer


def _results(answer) -> bool:
    if not isinstance(answer, dict) or not isinstance(answer.get("head"), dict):
        return False
    if "boolean" in answer:
        return isinstance(answer["boolean"], bool)
    variables, results = answer["head"].get("vars", []), answer.get("results")
    if not isinstance(variables, list) or not all(isinstance(name, str) for name in variables):
        return False
    rows = results.get("bindings") if isinstance(results, dict) else None
    return isinstance(rows, list) and all(
        isinstance(row, dict) and all(_term(term) for term in row.values()) for row in rows
    )


def _term(term) -> bool:
    return isinstance(term, dict) and term.get("type") in _TERM_TYPES and isinstance(term.get("value"), str)
