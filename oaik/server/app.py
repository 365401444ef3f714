"""The SPARQL 1.1 Protocol as an ASGI application: routes, parameters, negotiation, answers.

Routes::

    GET  /                  the query page (canned queries, a query form)
    GET  /sparql, /query    SPARQL 1.1 Protocol: ?query=…
    POST /sparql, /query    form-encoded ``query=…`` or an application/sparql-query body
    GET  /queries/NAME      a canned query, parameters as ?name=value (answers are cached)
    GET  /health            "ok"

More GET (and HEAD) routes can be put in front of all these but the endpoint
(``/sparql``, ``/query``) and ``/health``: ``extra_routes`` here, ``routes=``
of :func:`oaik.server.endpoint.serve`. Each is a :data:`GetRoute`, called in
order with the percent-decoded path and the Accept header, answering
``(status, headers, body)`` (``headers`` holding ``Content-Type``) or None to
let the next route answer.

Queries run in the worker pool (:mod:`oaik.server.pool`); errors are short
text/plain bodies that say what to do. Connections, deadlines and the accept
queue are the HTTP layer's job (:mod:`oaik.server.listener`).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from oaik.errors import OaikError
from oaik.printable import visible
from oaik.query.backends import DEFAULT_GRAPH
from oaik.query.sparql_text import query_form
from oaik.server import pages
from oaik.server.cache import ResultCache
from oaik.server.limits import HttpError, Limits
from oaik.server.negotiation import Format, negotiate, offers_for, wants_html
from oaik.server.pool import Answer, WorkerPool

#: An extra GET route: (decoded path, Accept header) -> (status, headers with Content-Type, body), or None to pass.
GetRoute = Callable[[str, "str | None"], "tuple[int, dict[str, str], bytes] | None"]

ENDPOINT_PATHS = ("/sparql", "/query")
READ_ONLY = {"Allow": "GET, POST, OPTIONS"}
UPDATES_REFUSED = (
    "SPARQL updates are refused: this endpoint is read-only. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
)
HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
SEND_CHUNK = 64 * 1024


class ClientGone(Exception):
    """The client closed the connection (or was cut off) before its request was read."""


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query: str  # the raw query string
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    line: str  # the request line as sent, for the log
    client: str
    receive: Callable

    @classmethod
    def from_scope(cls, scope: dict, receive: Callable) -> Request:
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        query = scope["query_string"].decode("latin-1")
        target = scope["raw_path"].decode("latin-1") + (f"?{query}" if query else "")
        client = scope.get("client") or ("-", 0)
        return cls(
            scope["method"],
            scope["path"],
            query,
            headers,
            f"{scope['method']} {target} HTTP/{scope['http_version']}",
            client[0],
            receive,
        )

    @property
    def accept(self) -> str | None:
        return self.headers.get("accept")


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes | Answer
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""  # for the log line of an error


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer; control characters it quotes from the request are escaped (:mod:`oaik.printable`)."""
    message = visible(message, newlines=True)
    return Response(
        status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"), headers or {}, message
    )


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
STOPPING = "the server is shutting down and could not finish this request. Try again in a moment."


class SparqlApp:
    """The ASGI application of ``oaik serve``; ``url`` is set once the server is bound."""

    def __init__(self, limits: Limits, pool: WorkerPool, catalogue: dict, log, extra_routes: Sequence[GetRoute] = ()):
        self.limits = limits
        self.pool = pool
        self.catalogue = catalogue
        self.forms = {name: canned.form for name, canned in catalogue.items()}  # SELECT, ASK, …
        self.log = log
        self.routes = list(extra_routes)
        self.cache = ResultCache()
        self.url = ""
        self._executor = ThreadPoolExecutor(limits.workers, thread_name_prefix="oaik-query")
        self._slots: asyncio.Semaphore | None = None
        self._index: bytes | None = None

    @property
    def triples(self) -> int:
        return self.pool.triples

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        started = time.monotonic()
        request = Request.from_scope(scope, receive)
        try:
            response = await self.respond(request)
        except HttpError as error:
            response = text(error.status, error.message, error.headers)
        except ClientGone:
            self.log_line(request.client, request.line, 499, 0, started, "client went away")
            return
        except asyncio.CancelledError:  # the server stops without waiting (a second Ctrl-C): say so, no traceback
            response = text(503, STOPPING, {"Retry-After": "5"})
        except Exception as error:  # never a traceback to the client; one line to the log
            response = text(500, f"internal error: {type(error).__name__}: {error}. Please report it.")
        try:
            size = await self.send(send, request, response)
        except asyncio.CancelledError:  # stopped while sending: the client gets a cut answer
            self.log_line(request.client, request.line, response.status, 0, started, "cut off: the server stopped")
            return
        self.log_line(request.client, request.line, response.status, size, started, response.note)

    def log_line(self, client: str, line: str, status: int, size: int, started: float, note: str = "") -> None:
        line = line if len(line) <= 200 else line[:199] + "…"
        note = note.splitlines()[0][:120] if note else ""
        elapsed = time.monotonic() - started
        self.log(f'{client} "{line}" {status} {size} {elapsed:.3f}s' + (f" {note}" if note else ""))

    async def send(self, send, request: Request, response: Response) -> int:
        body = response.body
        length = body.length if isinstance(body, Answer) else len(body)
        headers = {
            "Content-Type": response.content_type,
            "Content-Length": str(length),
            "Access-Control-Allow-Origin": "*",
            "Connection": "close",
            "X-Content-Type-Options": "nosniff",
            **({"Content-Security-Policy": HTML_POLICY} if response.content_type.startswith("text/html") else {}),
            **response.headers,
        }
        encoded = [(key.lower().encode("latin-1"), value.encode("latin-1")) for key, value in headers.items()]
        await send({"type": "http.response.start", "status": response.status, "headers": encoded})
        if isinstance(body, Answer):
            with body.body as stream:
                while chunk := stream.read(SEND_CHUNK):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        else:
            await send({"type": "http.response.body", "body": body})
        return length

    # -- dispatch --

    async def respond(self, request: Request) -> Response:
        if len(request.line) > self.limits.max_request_bytes:
            raise HttpError(
                413,
                f"request too large: the request target is over the server's cap of {self.limits.max_request_bytes} bytes. "
                "Send the query with POST instead of GET.",
            )
        if request.method in ("GET", "HEAD"):
            return await self.get(request)
        if request.method == "POST":
            return await self.post(request)
        if request.method == "OPTIONS":  # CORS pre-flight, e.g. for a POST with application/sparql-query
            return Response(
                204,
                "text/plain",
                b"",
                {
                    **READ_ONLY,
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                },
            )
        if request.method in ("PUT", "DELETE", "PATCH"):
            raise HttpError(
                405,
                f"{request.method} is not allowed: this endpoint is read-only. Send queries with GET or POST to /sparql.",
                READ_ONLY,
            )
        raise HttpError(501, f"method {request.method!r} is not supported. Use GET or POST.")

    async def get(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        if path in ENDPOINT_PATHS:  # the protocol's own paths come first: no other route may shadow them
            params = form_fields(request.query)
            if "query" not in params and "update" not in params and wants_html(request.accept):
                return self.index()  # a browser opening the endpoint gets the query page
            return await self.protocol(request, params)
        if path == "/health":
            return Response(200, "text/plain; charset=utf-8", b"ok\n")
        for route in self.routes:
            found = route(request.path, request.accept)
            if found is not None:
                status, headers, body = found
                headers = dict(headers)
                return Response(status, headers.pop("Content-Type", "application/octet-stream"), body, headers)
        if path == "/":
            return self.index()
        if path.startswith("/queries/"):
            return await self.canned(request, path[len("/queries/") :], form_fields(request.query))
        raise HttpError(404, f"nothing at {request.path}. The SPARQL endpoint is /sparql, the query page is /.")

    def readable(self, request: Request) -> bool:
        """Whether a GET of the request's path finds something (a page, a file, an entity, a canned query)."""
        path = request.path.rstrip("/") or "/"
        if path in ("/", "/health"):
            return True
        if path.startswith("/queries/"):
            return path[len("/queries/") :] in self.catalogue
        for route in self.routes:
            found = route(request.path, "*/*")
            if found is not None:
                return found[0] < 400
        return False

    async def post(self, request: Request) -> Response:
        path = request.path.rstrip("/")
        if path not in ENDPOINT_PATHS:
            await self.discard_body(request)
            if self.readable(request):  # there is something here, but not for POST (RFC 9110, 15.5.6)
                raise HttpError(
                    405,
                    f"POST to {request.path} is not supported: read it with GET. POST queries to /sparql.",
                    {"Allow": "GET, HEAD, OPTIONS"},
                )
            raise HttpError(404, f"nothing at {request.path}. POST queries to /sparql.")
        params = form_fields(request.query)
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        body = await self.body(request)
        if content_type == "application/x-www-form-urlencoded":
            for key, values in form_fields(decode(body)).items():
                params.setdefault(key, []).extend(values)
        elif content_type == "application/sparql-query":
            params.setdefault("query", []).append(decode(body))
        elif content_type == "application/sparql-update":
            raise HttpError(400, UPDATES_REFUSED)
        else:
            raise HttpError(
                415,
                f"unsupported Content-Type {content_type or '(none)'}. POST application/x-www-form-urlencoded (query=…) or application/sparql-query.",
            )
        return await self.protocol(request, params)

    def index(self) -> Response:
        if self._index is None:  # the page depends only on the catalogue, the limits and the URL
            self._index = pages.index_page(self).encode("utf-8")
        return Response(200, "text/html; charset=utf-8", self._index)

    # -- the SPARQL protocol --

    async def protocol(self, request: Request, params: dict[str, list[str]]) -> Response:
        if "update" in params:
            raise HttpError(400, UPDATES_REFUSED)
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
        fmt = self.negotiate(request, query_form(query))
        answer = await self.run(request, query, fmt, trusted=False)
        if fmt.name == "html":
            return self.html(pages.query_page(query, answer.read().decode("utf-8"), self))
        return Response(200, fmt.content_type, answer, {"Vary": "Accept"})

    async def canned(self, request: Request, name: str, params: dict[str, list[str]]) -> Response:
        from oaik.query.canned import bind

        canned = self.catalogue.get(name)
        if canned is None:
            raise HttpError(404, f"no canned query named {name!r}. The list is on the query page, /.")
        twice = sorted(key for key, vals in params.items() if len(vals) > 1)
        if twice:
            raise HttpError(400, f"the parameter {twice[0]} is given more than once. Give each parameter once.")
        values = {key: vals[0] for key, vals in params.items() if vals and vals[0].strip()}
        fmt = self.negotiate(request, self.forms[name])
        key = (name, tuple(sorted(values.items())), fmt.name)
        cached = self.cache.get(key)  # only values that were bound once are in the cache
        if cached is None:
            try:
                query = bind(canned, values)
            except OaikError as error:
                raise HttpError(400, str(error)) from None
            answer = await self.run(request, query, fmt, trusted=True)
            if answer.length > self.cache.max_item:
                return Response(200, fmt.content_type, answer, {"Vary": "Accept"})
            cached = answer.read()
            if fmt.name == "html":
                cached = pages.canned_page(canned, values, cached.decode("utf-8"), self).encode("utf-8")
            self.cache.put(key, cached)
        return Response(200, fmt.content_type, cached, {"Vary": "Accept"})

    def negotiate(self, request: Request, form: str) -> Format:
        offers = offers_for(form)
        fmt = negotiate(request.accept, offers)
        if fmt is None:
            listed = ", ".join(o.media_type for o in offers)
            raise HttpError(
                406,
                f"none of the requested types ({request.accept}) is available for {'an' if form == 'ASK' else 'a'} {form} query. "
                f"Ask for one of: {listed}.",
            )
        return fmt

    async def run(self, request: Request, query: str, fmt: Format, trusted: bool) -> Answer:
        """Run a query in the pool, waiting at most ``timeout`` seconds for a free worker.

        A client that hangs up while waiting gives its turn away (ClientGone).
        """
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.workers)
        slot = asyncio.ensure_future(self._slots.acquire())
        gone = asyncio.ensure_future(_hang_up(request))
        try:
            await asyncio.wait((slot, gone), timeout=self.limits.timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not slot.done():
                slot.cancel()
        if not slot.done() or slot.cancelled():
            if gone.done() and not gone.cancelled():
                raise ClientGone
            raise HttpError(
                503,
                f"all {self.limits.workers} query workers stayed busy for {self.limits.timeout:g} s. Try again in a moment.",
                {"Retry-After": "5"},
            )
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, self.pool.run, query, fmt.name, trusted)
        finally:
            self._slots.release()

    @staticmethod
    def html(page: str) -> Response:
        return Response(200, "text/html; charset=utf-8", page.encode("utf-8"), {"Vary": "Accept"})

    # -- request bodies --

    async def body(self, request: Request) -> bytes:
        if "chunked" in (request.headers.get("transfer-encoding") or "").lower():
            raise HttpError(411, "chunked request bodies are not supported. Send a Content-Length header.")
        length = content_length(request)
        if length is None:
            raise HttpError(411, "the request has no Content-Length. Send one with the body.")
        if length > self.limits.max_request_bytes:
            if "100-continue" not in (request.headers.get("expect") or "").lower():
                await self.discard_body(request)
            raise HttpError(
                413,
                f"request too large: the body is {length} bytes, over the server's cap of {self.limits.max_request_bytes} bytes (--max-request-bytes). Send a shorter query.",
            )
        chunks = []
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                return b"".join(chunks)

    @staticmethod
    async def discard_body(request: Request, most: int = 16 * 1024**2) -> None:
        """Read and drop a body we will not use, so that the client sees our answer rather than a reset."""
        try:
            length = content_length(request)
        except HttpError:
            return
        if not length or length > most:
            return
        while True:
            message = await request.receive()
            if message["type"] == "http.disconnect" or not message.get("more_body"):
                return

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


async def _hang_up(request: Request) -> None:
    """Return when the client closes the connection (its request was read whole already)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def content_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise HttpError(400, f"invalid Content-Length {raw!r}.")
    return int(raw)


def form_fields(text: str) -> dict[str, list[str]]:
    """The fields of a query string or form body; HttpError 400 for bad percent-encoding or UTF-8."""
    if _BAD_PERCENT.search(text):
        raise HttpError(
            400,
            "bad percent-encoding: every '%' must be followed by two hexadecimal digits (write a '%' itself as %25).",
        )
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpError(
            400, "the parameters are not valid UTF-8 once percent-decoded. Encode the query as UTF-8."
        ) from None


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "the request body is not valid UTF-8. Encode the query as UTF-8.") from None
