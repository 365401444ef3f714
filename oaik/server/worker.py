"""The query worker process: load the graph, fence itself, then answer queries from its pipe.

A worker is a fresh Python process (``python -m oaik.server.worker FD MEMORY``,
FD being its end of a socket pair), never forked from the HTTP server, so its
memory limit counts only its own use. Once the store is loaded it caps the memory it may add and enters the
OS-level sandbox (no sockets, no new files); ad-hoc queries run only when
that fence is up, after the read-only check, which is also made inside it.

Pipe protocol: the worker first sends ``("ready", triples, unfenced)`` (or
``("failed", message, None)`` when the graph does not load); for
each job ``(query, fmt, trusted, max_rows, max_bytes)`` it answers
``("ok", length)`` followed by the body in chunks, or ``(status, message)``
for a refusal. A job of ``None`` (or a closed pipe) ends the worker.
"""

from __future__ import annotations

import functools
import sys
from multiprocessing.connection import Connection

from oaik.errors import OaikError
from oaik.server.execute import QueryRefused, execute

CHUNK = 1024**2  # bytes per message when a result is sent back
CHECKED_TEXT = 8 * 1024  # verdicts of the read-only check are remembered for query texts up to this length
OUT_OF_MEMORY = "oom"
UNFENCED = "unfenced"

#: Run once before entering the sandbox, so that every module a query may need is already imported.
WARM_UP = (
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", ("json", "xml", "csv", "tsv", "html")),
    ("ASK { ?s ?p ?o }", ("json", "html")),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", ("turtle", "ntriples", "jsonld", "rdfxml", "html")),
)


def main(conn, memory: int) -> None:
    """The worker's life: load, fence, then serve jobs until told to stop."""
    try:
        store = _load()
    except OaikError as error:
        conn.send(("failed", str(error), None))
        return
    _warm_up(store)
    unfenced = _fence(memory)
    from oaik.store.graph import triple_count

    conn.send(("ready", triple_count(store), unfenced))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        _answer(conn, store, job, unfenced)


def _load():
    """The persistent store, opened read-only (brought up to date first if a file changed).

    RocksDB opens table files lazily, so the sandbox keeps the store's folder
    readable (and nothing else).
    """
    from oaik.store import open_store

    return open_store(read_only=True, long_reader="`oaik serve`")


def _warm_up(store) -> None:
    from oaik.publish.jsonld import preload
    from oaik.query.sparql_text import check_read_only

    preload()  # the JSON-LD context is read from a file
    for query, formats in WARM_UP:
        check_read_only(query)
        for fmt in formats:
            execute(store, query, fmt, 10, 1024**2)


def _fence(memory: int) -> str | None:
    """Cap memory, enter the OS-level sandbox; None when it is up, else why not (ad-hoc queries are then refused)."""
    from oaik.query.sandbox import SandboxUnavailable, enter_sandbox
    from oaik.store.persistent import store_folders

    try:
        enter_sandbox(memory, readable=store_folders())
    except SandboxUnavailable as error:
        return str(error)
    return None


def read_only_refusal(query: str) -> str | None:
    """Why the parse-based read-only check refuses ``query``, or None when it passes.

    Parsing with rdflib costs tens to hundreds of milliseconds, and the verdict
    depends on the text alone, so it is remembered for texts of moderate length.
    """
    return _remembered_refusal(query) if len(query) <= CHECKED_TEXT else _refusal(query)


def _refusal(query: str) -> str | None:
    from oaik.query.sparql_text import check_read_only

    try:
        check_read_only(query)
    except OaikError as error:
        return str(error)
    return None


_remembered_refusal = functools.lru_cache(maxsize=512)(_refusal)


def _answer(conn, store, job: tuple, unfenced: str | None) -> None:
    query, fmt, trusted, max_rows, max_bytes = job
    if not trusted and unfenced is not None:
        conn.send((UNFENCED, unfenced))
        return
    refusal = None if trusted else read_only_refusal(query)
    if refusal is not None:
        conn.send((400, refusal))
        return
    try:
        body = execute(store, query, fmt, max_rows, max_bytes)
    except QueryRefused as error:
        conn.send((error.status, str(error)))
        return
    except MemoryError:
        conn.send((OUT_OF_MEMORY, ""))
        raise SystemExit(1) from None  # a fresh worker replaces this one
    except Exception as error:  # never a traceback: the client gets one line
        conn.send((500, f"internal error: {type(error).__name__}: {error}. Please report it."))
        return
    conn.send(("ok", len(body)))
    view = memoryview(body)
    for start in range(0, len(body), CHUNK):
        conn.send_bytes(view[start : start + CHUNK])


if __name__ == "__main__":
    main(Connection(int(sys.argv[1])), int(sys.argv[2]))
