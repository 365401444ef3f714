"""Where queries run: the embedded graph (pyoxigraph, in-process) or a remote SPARQL 1.1 endpoint.

Both return the same thing: a :class:`QueryResult` holding SPARQL 1.1 JSON
results (SELECT/ASK) or N-Triples (CONSTRUCT/DESCRIBE), so that formatting and
comparisons do not depend on where a query ran.
"""

from __future__ import annotations

import json

from oaik import __version__
from oaik.errors import OaikError
from oaik.namespaces import PREFIXES
from oaik.query.sparql_text import query_form, tokenize

#: The named graph ``oaik push`` writes to and remote queries read by default.
DEFAULT_GRAPH = "https://w3id.org/oaik/graph"
USER_AGENT = f"oaik/{__version__} (+https://w3id.org/oaik; SPARQL client of the OAIK knowledge graph)"


class QueryResult:
    """A query's answer. A plain class, not a dataclass: importing ``dataclasses`` costs a warm query 12 ms."""

    __slots__ = ("form", "json", "ntriples")

    def __init__(self, form: str, json: dict | None = None, ntriples: str | None = None):
        self.form = form  # SELECT, ASK, CONSTRUCT or DESCRIBE
        self.json = json  # SPARQL 1.1 Query Results JSON, for SELECT and ASK
        self.ntriples = ntriples  # for CONSTRUCT and DESCRIBE

    def with_bindings(self, bindings: list[dict]) -> QueryResult:
        """The same answer with other solutions (SELECT)."""
        assert self.json is not None
        return QueryResult(self.form, {**self.json, "results": {**self.json["results"], "bindings": bindings}})

    @property
    def variables(self) -> list[str]:
        return self.json["head"].get("vars", []) if self.json else []

    @property
    def bindings(self) -> list[dict]:
        return self.json["results"]["bindings"] if self.json and "results" in self.json else []


def with_prefixes(query: str) -> str:
    """Declare OAIK's known prefixes that a query uses without declaring them.

    A prefix that is neither declared nor one of OAIK's is an error that
    names it, its line and the closest known prefixes.
    """
    missing = missing_prefixes(query)
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing) + query


def missing_prefixes(query: str) -> list[str]:
    """OAIK's prefixes the query uses without declaring them (sorted); unknown undeclared prefixes raise."""
    tokens = tokenize(query)
    declared = {
        tokens[i + 1].text.rstrip(":")
        for i, t in enumerate(tokens[:-1])
        if t.kind == "word" and t.text.upper() == "PREFIX"
    }
    used: dict[str, int] = {}
    for token in tokens:
        if token.kind == "pname":
            used.setdefault(token.text.split(":", 1)[0], token.start)
    unknown = {prefix: start for prefix, start in used.items() if prefix not in declared and prefix not in PREFIXES}
    unknown.pop("_", None)  # blank node labels, _:b
    if unknown:
        prefix, start = min(unknown.items(), key=lambda item: item[1])
        raise OaikError(_undeclared_prefix_message(query, prefix, start))
    return sorted((set(used) - declared) & set(PREFIXES))


def _undeclared_prefix_message(query: str, prefix: str, start: int) -> str:
    import difflib

    line = query.count("\n", 0, start) + 1
    column = start - (query.rfind("\n", 0, start) + 1) + 1
    close = difflib.get_close_matches(prefix, list(PREFIXES), n=3, cutoff=0.5)
    hint = f"Did you mean {', '.join(f'{c}:' for c in close)}? " if close else ""
    return (
        f"the prefix {prefix}: at line {line}, column {column} is not declared. {hint}"
        f"Declare it with `PREFIX {prefix}: <namespace IRI>` at the top of the query, or use one of OAIK's "
        f"prefixes, which are declared for you: {', '.join(f'{p}:' for p in sorted(PREFIXES))}."
    )


def run_on_store(store, query: str):
    """pyoxigraph's result of ``query`` with OAIK's prefixes declared for it; OaikError for text it cannot parse.

    The prefixes go to the parser (``prefixes=``), not into the text, so
    nothing is tokenized on the way and error positions are the query's own.
    The query sees the default graph only (the merge of the files): the
    store's named graphs, one per source file, are named by the file's
    ``file:`` IRI, which would show where the files lie on this machine.
    """
    try:
        return store.query(query, prefixes=PREFIXES, named_graphs=[])
    except SyntaxError as error:
        missing_prefixes(query)  # an undeclared prefix OAIK does not know: named, with the closest known ones
        raise OaikError(syntax_message(error)) from None


def star_order(query: str, variables: list[str]) -> list[str]:
    """The columns of ``SELECT *`` in the order their variables first appear in the query, as Jena and
    Virtuoso give them (Oxigraph sorts them by name); the columns of any other query as they are."""
    words = [t for t in tokenize(query) if t.kind in ("word", "other", "var")]
    start = next((i for i, t in enumerate(words) if t.kind == "word" and t.text.upper() == "SELECT"), None)
    if start is None:
        return variables
    rest = words[start + 1 :]
    while rest and rest[0].kind == "word" and rest[0].text.upper() in ("DISTINCT", "REDUCED"):
        rest = rest[1:]
    if not rest or rest[0].text != "*":
        return variables
    seen = {name: index for index, name in reversed(list(enumerate(t.text[1:] for t in rest if t.kind == "var")))}
    return sorted(variables, key=lambda name: (seen.get(name, len(seen)), name))


def syntax_message(error: SyntaxError) -> str:
    """pyoxigraph's syntax error as one sentence with its line and column."""
    import re

    text = str(error)
    found = re.match(r"error at (\d+):(\d+): (.*)", text, re.DOTALL)
    if not found:
        return f"SPARQL syntax error: {' '.join(text.split())}. Fix the query and try again."
    line, column, detail = int(found[1]), int(found[2]), found[3]
    if detail.startswith("expected one of "):
        choices = [c.strip() for c in detail[len("expected one of ") :].split(", ")]
        words = [c for c in choices if re.fullmatch(r"[A-Za-z_]+|'[^']*'|\"[^\"]*\"|\S", c) and c != "[_]"]
        shown = ", ".join(words[:8]) + (", …" if len(words) > 8 or len(words) < len(choices) else "")
        detail = f"expected one of {shown}" if words else "unexpected text"
    return f"SPARQL syntax error at line {line}, column {column}: {' '.join(detail.split())}; fix the query there."


class EmbeddedBackend:
    """The shipped graph in the persistent store (:func:`oaik.store.open_store`), opened on first use.

    The store holds one named graph per source file; queries read the default
    graph, their merge, as if the files were one graph.
    """

    def __init__(self, store=None):
        self._store = store

    @property
    def store(self):
        if self._store is None:
            from oaik.store import open_store

            self._store = open_store(read_only=True)
        return self._store

    def run(self, query: str) -> QueryResult:
        import pyoxigraph as ox

        form = query_form(query)
        try:
            result = run_on_store(self.store, query)
        except (OSError, ValueError, RuntimeError) as error:
            raise OaikError(f"the query failed: {error}") from None
        if isinstance(result, (bool, ox.QueryBoolean)):  # pyoxigraph 0.5 answers ASK with a QueryBoolean
            return QueryResult(form, json={"head": {}, "boolean": bool(result)})
        if isinstance(result, ox.QuerySolutions):
            document = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON) or b"{}")
            document.get("head", {})["vars"] = star_order(query, document.get("head", {}).get("vars", []))
            return QueryResult(form, json=document)
        return QueryResult(form, ntriples=(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"))


class RemoteBackend:
    """Any SPARQL 1.1 endpoint (an http or https URL without credentials), through SPARQLWrapper (timeout,
    User-Agent, clear errors); its answers are checked (:mod:`oaik.query.answers`) before they are shown."""

    def __init__(self, endpoint: str, graph: str | None = DEFAULT_GRAPH, timeout: float = 30.0):
        from oaik.endpoints import check_http_url

        check_http_url(
            endpoint,
            "--endpoint",
            "Give the URL of a SPARQL query endpoint, e.g. http://localhost:7878/query.",
            "oaik query and oaik sparql send no credentials: query an endpoint that answers without them.",
        )
        self.endpoint = endpoint
        self.graph = graph
        self.timeout = timeout

    def run(self, query: str) -> QueryResult:
        import warnings

        from SPARQLWrapper import JSON, N3, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        from oaik.query.answers import graph_answer, results_answer

        form = query_form(query)
        client = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        client.setQuery(with_prefixes(query))
        # SPARQLWrapper guesses the form with a regular expression that a word such as "add" in a comment
        # fools into sending an update; the form comes from OAIK's tokenizer instead.
        client.queryType = form
        client.setTimeout(max(1, round(self.timeout)))  # SPARQLWrapper takes whole seconds
        client.setMethod("POST")
        if self.graph:
            client.addDefaultGraph(self.graph)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(N3 if graph_form else JSON)
        if graph_form:
            client.addCustomHttpHeader("Accept", "application/n-triples")
        try:
            with warnings.catch_warnings():  # SPARQLWrapper warns on stderr about answers it does not expect
                warnings.simplefilter("ignore", RuntimeWarning)
                response = client.query().response
            body = response.read()
            if graph_form:
                return QueryResult(
                    form, ntriples=graph_answer(body, response.headers.get_content_type(), self.endpoint)
                )
            return QueryResult(form, json=results_answer(body, self.endpoint))
        except OaikError:
            raise
        except SPARQLWrapperException as error:
            raise OaikError(f"the endpoint {self.endpoint} rejected the query: {_first_line(error)}") from None
        except Exception as error:  # urllib/socket errors carry no common base worth naming
            raise OaikError(_connection_message(self.endpoint, error, self.timeout)) from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _connection_message(endpoint: str, error: Exception, timeout: float) -> str:
    import socket
    import urllib.error

    reason = getattr(error, "reason", error)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"the endpoint {endpoint} did not answer within {timeout:g} s. Try again, raise --timeout, or check the server."
    if isinstance(error, urllib.error.HTTPError):
        return f"the endpoint {endpoint} answered HTTP {error.code} {error.reason}. Check the URL (a query endpoint, e.g. …/query or …/sparql)."
    return f"cannot reach the endpoint {endpoint} ({reason}). Check the URL and that the server is running."


def backend_for(endpoint: str | None, graph: str | None = DEFAULT_GRAPH, timeout: float = 30.0):
    """The embedded backend, or a remote one when an endpoint URL is given."""
    return RemoteBackend(endpoint, graph, timeout) if endpoint else EmbeddedBackend()
