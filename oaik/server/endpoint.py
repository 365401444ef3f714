"""``oaik serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph.

The graph is loaded once into a pyoxigraph store in this process; every query
then runs in a forked worker (:func:`oaik.query.sandbox.run_limited`) that shares
the loaded store, so a query that runs out of time is really stopped, and a
slow query never blocks the others (a thread per connection, at most
``Limits.workers`` query workers at a time).

Routes::

    GET  /                  the query page (canned queries, a query form)
    GET  /sparql, /query    SPARQL 1.1 Protocol: ?query=…
    POST /sparql, /query    form-encoded ``query=…`` or an application/sparql-query body
    GET  /queries/NAME      a canned query, parameters as ?name=value
    GET  /health            "ok"

Results are negotiated with the Accept header (see ``RESULT_FORMATS`` and
``GRAPH_FORMATS``); errors are short text/plain bodies that say what to do.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import warnings
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from oaik.errors import OaikError
from oaik.query.backends import DEFAULT_GRAPH, EmbeddedBackend, QueryResult
from oaik.query.sandbox import QueryTimeout, run_limited
from oaik.query.sparql_text import check_read_only, query_form
from oaik.server import pages

DEFAULT_PORT = 7878
ENDPOINT_PATHS = ("/sparql", "/query")


@dataclass(frozen=True)
class Limits:
    """What one request may cost."""

    timeout: float = 30.0  # seconds a query may run
    max_rows: int = 100_000  # solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) in a result
    max_result_bytes: int = 64 * 1024**2  # bytes of a serialised result
    max_request_bytes: int = 1024**2  # bytes of a request body (or of a GET request target)
    memory: int = 2 * 1024**3  # bytes of address space for each query worker
    workers: int = 4  # queries running at the same time; more wait for a free worker


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str  # what the response's Content-Type says
    aliases: tuple[str, ...] = ()  # other media types a client may ask for
    charset: bool = False  # add "; charset=utf-8"

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


#: For SELECT and ASK, in order of preference (the first is the default).
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml",)),
    Format("csv", "text/csv", (), True),
    Format("tsv", "text/tab-separated-values", (), True),
    Format("html", "text/html", ("application/xhtml+xml",), True),
)
#: For CONSTRUCT and DESCRIBE.
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle"), True),
    Format("ntriples", "application/n-triples", (), True),
    Format("jsonld", "application/ld+json"),
    Format("rdfxml", "application/rdf+xml"),
    Format("html", "text/html", ("application/xhtml+xml",), True),
)


class HttpError(Exception):
    """An error answered with ``status`` and a short text/plain ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --- content negotiation --------------------------------------------------------------


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; a malformed q counts as 0."""
    ranges = []
    for part in header.split(","):
        fields = part.split(";")
        media = fields[0].strip().lower()
        if not media:
            continue
        q = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(header: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers (ties go to the server's order), or None when none is acceptable."""
    if not header or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _quality(offer: Format, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching the offer (exact > type/* > */*)."""
    best_specificity, q = -1, 0.0
    for media_type in (offer.media_type, *offer.aliases):
        major = media_type.split("/")[0]
        for media, value in ranges:
            specificity = 2 if media == media_type else 1 if media == f"{major}/*" else 0 if media == "*/*" else -1
            if specificity > best_specificity:
                best_specificity, q = specificity, value
            elif specificity == best_specificity and specificity >= 0:
                q = max(q, value)
    return q


def offers_for(form: str) -> tuple[Format, ...]:
    return GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS


# --- running a query (in the worker) --------------------------------------------------


def execute(store, query: str, fmt: str, limits: Limits) -> tuple[str, object]:
    """Run ``query`` and serialise it as ``fmt``; meant to run in a forked worker.

    Returns ("ok", bytes), ("ok", str) for the HTML fragment, ("bad", message)
    for a query error, or ("too-large", message) for a result over the caps.
    """
    try:
        result = EmbeddedBackend(store).run(query)
    except OaikError as error:
        return "bad", str(error)
    if result.json is not None:
        size = len(result.bindings)
        body = _serialise_solutions(result, fmt) if size <= limits.max_rows else None
        unit = "rows"
    else:
        triples = _triples(result.ntriples)
        size = len(triples)
        body = _serialise_triples(triples, fmt) if size <= limits.max_rows else None
        unit = "triples"
    if body is None:
        return "too-large", (
            f"result too large: {size} {unit}, over the server's cap of {limits.max_rows} {unit} (--max-rows). "
            "Add LIMIT (and OFFSET to page through), or make the query more selective."
        )
    length = len(body.encode("utf-8") if isinstance(body, str) else body)
    if length > limits.max_result_bytes:
        return "too-large", (
            f"result too large: {length} bytes, over the server's cap of {limits.max_result_bytes} bytes (--max-result-bytes). "
            "Add LIMIT (and OFFSET to page through), or select fewer variables."
        )
    return "ok", body


def _serialise_solutions(result: QueryResult, fmt: str):
    import json

    import pyoxigraph as ox

    if fmt == "html":
        return pages.solutions_fragment(result)
    data = json.dumps(result.json, ensure_ascii=False).encode("utf-8")
    if fmt == "json":
        return data
    formats = {"xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=formats[fmt])


def _triples(ntriples: str) -> list:
    import pyoxigraph as ox

    return list(ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


def _serialise_triples(triples: list, fmt: str):
    import pyoxigraph as ox

    if fmt == "ntriples":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "rdfxml":
        return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=_used_prefixes(triples))
    if fmt == "jsonld":  # compact, with OAIK's context embedded: readable offline, like `oaik export`
        from oaik.publish.jsonld import graph_jsonld

        return graph_jsonld(triples)
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_used_prefixes(triples))
    if fmt == "html":
        return pages.graph_fragment(turtle.decode("utf-8"), len(triples))
    return turtle


def _used_prefixes(triples: list) -> dict[str, str]:
    """OAIK's prefixes that some IRI of the triples starts with (for readable Turtle)."""
    import pyoxigraph as ox

    from oaik.namespaces import PREFIXES

    iris = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    namespaces = {iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/" for iri in iris}
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in namespaces}


# --- the HTTP server ------------------------------------------------------------------


class SparqlServer(ThreadingHTTPServer):
    """A threading HTTP server holding the loaded store, the canned queries and the limits."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store, limits: Limits, catalogue: dict, log=None):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, SparqlHandler)
        self.store = store
        self.limits = limits
        self.catalogue = catalogue
        self.triples = len(store)
        self.slots = threading.BoundedSemaphore(limits.workers)
        self.log = log or log_line
        self._active = 0
        self._idle = threading.Condition()

    def process_request(self, request, client_address) -> None:
        with self._idle:
            self._active += 1
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._done()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._active -= 1
            self._idle.notify_all()

    def wait_idle(self, grace: float) -> int:
        """Wait up to ``grace`` seconds for the requests in progress; return how many are left."""
        deadline = time.monotonic() + grace
        with self._idle:
            while self._active and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            return self._active

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"


def log_line(line: str) -> None:
    """One line to standard error, unbuffered: a forked worker never inherits a held stream lock."""
    with contextlib.suppress(OSError):
        os.write(2, (line + "\n").encode("utf-8", "replace"))


def make_server(
    host: str = "127.0.0.1", port: int = DEFAULT_PORT, limits: Limits | None = None, store=None, log=None
) -> SparqlServer:
    """Load the graph (unless a store is given) and bind the server; call ``serve_forever`` to run it."""
    from oaik.publish.jsonld import preload as preload_jsonld
    from oaik.query.canned import load_queries
    from oaik.store.graph import load_store

    limits = limits or Limits()
    store = store if store is not None else load_store()
    preload_jsonld()  # fenced workers cannot import modules or read the context file
    # Forking a query worker from a handler thread is safe here: no other thread ever
    # queries the store, and the log bypasses Python's stream locks (see log_line).
    warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks", category=DeprecationWarning)
    try:
        return SparqlServer((host, port), store, limits, load_queries(), log)
    except OSError as error:
        raise OaikError(
            f"cannot listen on {host}:{port} ({error.strerror or error}). "
            "Choose another --port (or stop the program using it), or check --host."
        ) from None


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, limits: Limits | None = None) -> None:
    """Run the endpoint until Ctrl-C or SIGTERM, then close it cleanly."""
    import signal

    server = make_server(host, port, limits)
    previous = signal.getsignal(signal.SIGTERM)
    try:  # from here on, Ctrl-C or SIGTERM stop the server cleanly
        signal.signal(signal.SIGTERM, _interrupt)
        log_line(
            f"oaik serve: {server.triples} triples at {server.url}/sparql (query page {server.url}/); "
            f"query timeout {server.limits.timeout:g} s, at most {server.limits.max_rows} rows. Press Ctrl-C to stop."
        )
        if host not in ("127.0.0.1", "localhost", "::1"):
            log_line(
                f"oaik serve: warning: listening on {host}, so anyone who can reach this machine can query the graph."
            )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()  # no new connections; let those in progress finish for a while
        try:
            left = server.wait_idle(min(server.limits.timeout + 1, 10.0))
        except KeyboardInterrupt:
            left = -1
        signal.signal(signal.SIGTERM, previous)
        log_line("oaik serve: stopped." if left == 0 else "oaik serve: stopped (requests in progress were cut off).")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"  # for Expect: 100-continue; every response still closes the connection
    server_version = "oaik-serve"
    timeout = 60  # seconds to read a request, against idle or trickling clients

    # -- dispatch --

    def do_GET(self) -> None:
        self._dispatch(self._get)

    def do_HEAD(self) -> None:  # as GET, without the body (e.g. for health checks)
        self._dispatch(self._get)

    def do_POST(self) -> None:
        self._dispatch(self._post)

    def do_OPTIONS(self) -> None:  # CORS pre-flight, e.g. for a POST with application/sparql-query
        self._dispatch(
            lambda url: self._send(
                204,
                "text/plain",
                b"",
                {
                    "Allow": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                },
            )
        )

    def _read_only(self) -> None:
        self._dispatch(self._refuse_write)

    do_PUT = do_DELETE = do_PATCH = _read_only

    def _refuse_write(self, url) -> None:
        raise HttpError(
            405,
            f"{self.command} is not allowed: this endpoint is read-only. Send queries with GET or POST to /sparql.",
            {"Allow": "GET, POST, OPTIONS"},
        )

    def _dispatch(self, handler) -> None:
        self._started = time.monotonic()
        try:
            if len(self.path) > self.server.limits.max_request_bytes:
                raise HttpError(
                    413,
                    f"request too large: the request target is {len(self.path)} bytes, over the server's cap of {self.server.limits.max_request_bytes} bytes. Send the query with POST instead of GET.",
                )
            handler(urlsplit(self.path))
        except HttpError as error:
            self._send_text(error.status, error.message, error.headers)
        except (BrokenPipeError, ConnectionResetError):
            self._log(499, 0, "client went away")
        except Exception as error:  # never a traceback to the client; one line to the log
            self._send_text(500, f"internal error: {type(error).__name__}: {error}. Please report it.")

    def _get(self, url) -> None:
        path = url.path.rstrip("/") or "/"
        if path == "/":
            self._index()
        elif path == "/health":
            self._send(200, "text/plain; charset=utf-8", b"ok\n")
        elif path in ENDPOINT_PATHS:
            params = _form(url.query)
            if "query" not in params and "update" not in params and _wants_html(self.headers.get("Accept")):
                self._index()  # a browser opening the endpoint gets the query page
                return
            self._protocol(params)
        elif path.startswith("/queries/"):
            self._canned(path[len("/queries/") :], _form(url.query))
        else:
            raise HttpError(404, f"nothing at {url.path}. The SPARQL endpoint is /sparql, the query page is /.")

    def _post(self, url) -> None:
        path = url.path.rstrip("/")
        if path not in ENDPOINT_PATHS:
            self._discard_body()
            raise HttpError(
                404 if not path.startswith("/queries/") else 405,
                f"POST to {url.path} is not supported. POST queries to /sparql.",
            )
        params = _form(url.query)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        if content_type == "application/x-www-form-urlencoded":
            for key, values in _form(_decode(body)).items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(_decode(body))
        elif content_type == "application/sparql-update":
            raise HttpError(
                400,
                "SPARQL updates are refused: this endpoint is read-only. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query.",
            )
        else:
            raise HttpError(
                415,
                f"unsupported Content-Type {content_type or '(none)'}. POST application/x-www-form-urlencoded (query=…) or application/sparql-query.",
            )
        self._protocol(params)

    # -- the SPARQL protocol --

    def _protocol(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise HttpError(
                400,
                "SPARQL updates are refused: this endpoint is read-only. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query.",
            )
        queries = params.get("query", [])
        if not queries or not queries[0].strip():
            raise HttpError(
                400,
                "no query given. Send ?query=… with GET, or POST query=… (form-encoded) or an application/sparql-query body.",
            )
        if len(queries) > 1:
            raise HttpError(400, "more than one query parameter given. Send exactly one query.")
        for graph in params.get("default-graph-uri", []):
            if graph != DEFAULT_GRAPH:
                raise HttpError(
                    400,
                    f"unknown default-graph-uri {graph!r}: this endpoint serves one graph, {DEFAULT_GRAPH}. Give that IRI or leave the parameter out.",
                )
        if params.get("named-graph-uri"):
            raise HttpError(
                400,
                f"named-graph-uri is not supported: this endpoint serves one graph, {DEFAULT_GRAPH}, as its default graph. Leave the parameter out.",
            )
        query = queries[0]
        try:
            check_read_only(query)
        except OaikError as error:
            raise HttpError(400, str(error)) from None
        fmt = self._negotiate(query_form(query))
        self._answer(query, fmt, page=lambda fragment: pages.query_page(query, fragment, self.server))

    def _canned(self, name: str, params: dict[str, list[str]]) -> None:
        from oaik.query.canned import bind

        canned = self.server.catalogue.get(name)
        if canned is None:
            raise HttpError(404, f"no canned query named {name!r}. The list is on the query page, /.")
        values = {key: vals[-1] for key, vals in params.items() if vals and vals[-1].strip()}
        try:
            text = bind(canned, values)
        except OaikError as error:
            raise HttpError(400, str(error)) from None
        fmt = self._negotiate(canned.form)
        self._answer(text, fmt, page=lambda fragment: pages.canned_page(canned, values, fragment, self.server))

    def _negotiate(self, form: str) -> Format:
        offers = offers_for(form)
        fmt = negotiate(self.headers.get("Accept"), offers)
        if fmt is None:
            listed = ", ".join(o.media_type for o in offers)
            raise HttpError(
                406,
                f"none of the requested types ({self.headers.get('Accept')}) is available for a {form} query. Ask for one of: {listed}.",
            )
        return fmt

    def _answer(self, query: str, fmt: Format, page) -> None:
        limits = self.server.limits
        if not self.server.slots.acquire(timeout=limits.timeout):
            raise HttpError(
                503,
                f"all {limits.workers} query workers stayed busy for {limits.timeout:g} s. Try again in a moment.",
                {"Retry-After": "5"},
            )
        try:
            store = self.server.store
            status, payload = run_limited(
                lambda: execute(store, query, fmt.name, limits), timeout=limits.timeout, memory=limits.memory
            )
        except QueryTimeout as error:
            raise HttpError(408, f"{error} (this server's limit: {limits.timeout:g} s)") from None
        except OaikError as error:
            raise HttpError(500, str(error)) from None
        finally:
            self.server.slots.release()
        if status == "bad":
            raise HttpError(400, payload)
        if status == "too-large":
            raise HttpError(413, payload)
        if fmt.name == "html":
            payload = page(payload)
        body = payload.encode("utf-8") if isinstance(payload, str) else payload
        self._send(200, fmt.content_type, body, {"Vary": "Accept"})

    def _index(self) -> None:
        self._send(200, "text/html; charset=utf-8", pages.index_page(self.server).encode("utf-8"))

    # -- request bodies --

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise HttpError(411, "chunked request bodies are not supported. Send a Content-Length header.")
        length = self._content_length()
        if length is None:
            raise HttpError(411, "the request has no Content-Length. Send one with the body.")
        if length > self.server.limits.max_request_bytes:
            self._discard_body(length)
            raise HttpError(
                413,
                f"request too large: the body is {length} bytes, over the server's cap of {self.server.limits.max_request_bytes} bytes (--max-request-bytes). Send a shorter query.",
            )
        return self.rfile.read(length)

    def _content_length(self) -> int | None:
        raw = self.headers.get("Content-Length")
        if raw is None:
            return None
        if not raw.strip().isdigit():
            raise HttpError(400, f"invalid Content-Length {raw!r}.")
        return int(raw)

    def _discard_body(self, length: int | None = None, most: int = 16 * 1024**2, seconds: float = 5.0) -> None:
        """Read and drop a body we will not use, so that the client sees our answer rather than a reset."""
        try:
            length = self._content_length() if length is None else length
        except HttpError:
            return
        if not length or length > most:
            return
        deadline = time.monotonic() + seconds
        try:
            while length > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    break
                length -= len(chunk)
        except OSError:
            pass

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it."""
        try:
            length = self._content_length()
        except HttpError:
            length = None
        if length is not None and length > self.server.limits.max_request_bytes:
            self._started = time.monotonic()
            self._send_text(
                413,
                f"request too large: the body would be {length} bytes, over the server's cap of {self.server.limits.max_request_bytes} bytes (--max-request-bytes). Send a shorter query.",
            )
            return False
        return super().handle_expect_100()

    # -- responses and the log --

    def _send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(
            status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers, note=message
        )

    def _send(
        self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None, note: str = ""
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Connection", "close")
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type.startswith("text/html"):  # the pages load nothing, run nothing, post only here
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
            )
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.close_connection = True
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self._log(status, len(body), note if status >= 400 else "")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors raised by http.server itself (malformed request, line too long, unknown method)."""
        self._started = getattr(self, "_started", time.monotonic())
        text = message or self.responses.get(code, ("error",))[0]
        if code == 414:
            text = "request too large: the request line is too long. Send the query with POST instead of GET."
        elif code == 501:
            text = f"method {self.command!r} is not supported. Use GET or POST."
        self._send_text(code, text)

    def log_request(self, code="-", size="-") -> None:
        pass  # logged once per response by _log, with size and duration

    def log_message(self, format: str, *args) -> None:
        self.server.log(f"{self.client_address[0]} {format % args}")

    def _log(self, status: int, size: int, note: str = "") -> None:
        elapsed = time.monotonic() - getattr(self, "_started", time.monotonic())
        request = getattr(self, "requestline", "") or "-"
        if len(request) > 200:
            request = request[:199] + "…"
        note = note.splitlines()[0][:120] if note else ""
        self.server.log(
            f'{self.client_address[0]} "{request}" {status} {size} {elapsed:.3f}s' + (f" {note}" if note else "")
        )


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpError(
            400, "the parameters are not valid UTF-8 once percent-decoded. Encode the query as UTF-8."
        ) from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not valid UTF-8. Encode the query as UTF-8.") from None


def _wants_html(accept: str | None) -> bool:
    return any(media in ("text/html", "application/xhtml+xml") and q > 0 for media, q in parse_accept(accept or ""))
