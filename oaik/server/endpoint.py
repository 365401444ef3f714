"""``oaik serve``: a read-only SPARQL 1.1 endpoint over the graph, built to be left running.

Three parts, each in its own module: the HTTP layer (:mod:`oaik.server.listener`,
uvicorn with OAIK's deadlines and connection cap), the protocol
(:mod:`oaik.server.app`, an ASGI application) and the query workers
(:mod:`oaik.server.pool`: pre-started, sandboxed processes, each with its own
copy of the graph). This module binds them together.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import signal
from collections.abc import Sequence

from oaik.printable import visible
from oaik.server.app import GetRoute, SparqlApp
from oaik.server.limits import Limits
from oaik.server.listener import bind, protocol_class
from oaik.server.pool import WorkerPool

DEFAULT_PORT = 7878
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def log_line(line: str) -> None:
    """One line to standard error, unbuffered."""
    with contextlib.suppress(OSError):
        os.write(2, (line + "\n").encode("utf-8", "replace"))


class Endpoint:
    """A bound server: ``run`` serves until ``stop`` (or SIGINT/SIGTERM in the main thread); then ``close``.

    On stopping, requests in progress finish first: each waits for a worker
    and runs for at most ``--timeout`` seconds, and uvicorn waits that long. A
    second Ctrl-C stops at once; the application answers the requests it
    then cancels with 503 (:meth:`SparqlApp.__call__`).
    """

    def __init__(self, sock, app: SparqlApp, limits: Limits, log):
        import uvicorn

        self.sock, self.app, self.limits = sock, app, limits
        host, port = sock.getsockname()[:2]
        self.url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        app.url = self.url
        config = uvicorn.Config(
            app,
            http=protocol_class(limits, log),
            ws="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            backlog=limits.backlog,
            timeout_keep_alive=1,
            timeout_graceful_shutdown=math.ceil(2 * limits.timeout) + 5,  # a wait for a worker, the query, sending
            h11_max_incomplete_event_size=2 * 64 * 1024,
        )
        self.server = uvicorn.Server(config)

    @property
    def pool(self) -> WorkerPool:
        return self.app.pool

    @property
    def started(self) -> bool:
        return self.server.started

    def run(self) -> None:
        asyncio.run(self.server.serve(sockets=[self.sock]))

    def stop(self) -> None:
        self.server.should_exit = True

    def close(self) -> None:
        self.app.close()
        self.pool.close()
        self.sock.close()


def make_server(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    limits: Limits | None = None,
    log=None,
    routes: Sequence[GetRoute] = (),
) -> Endpoint:
    """Bind the socket and start the query workers; call ``run`` to serve."""
    from oaik.query.canned import load_queries

    limits = limits or Limits()
    sink = log or log_line
    log = lambda line: sink(visible(line))  # noqa: E731 - lines quote requests: no control character reaches a terminal
    catalogue = load_queries()
    sock = bind(host, port, limits.backlog)
    pool = WorkerPool(limits, log)
    try:
        pool.start()
    except BaseException:
        pool.close()
        sock.close()
        raise
    return Endpoint(sock, SparqlApp(limits, pool, catalogue, log, routes), limits, log)


def serve(
    host: str = "127.0.0.1", port: int = DEFAULT_PORT, limits: Limits | None = None, routes: Sequence[GetRoute] = ()
) -> None:
    """Run the endpoint (``routes`` tried before its own GET routes) until Ctrl-C or SIGTERM, then stop cleanly."""
    endpoint = make_server(host, port, limits, routes=routes)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _interrupt)  # uvicorn handles it while serving, then raises it again
        limits = endpoint.limits
        log_line(
            f"oaik serve: {endpoint.app.triples} triples at {endpoint.url}/sparql (query page {endpoint.url}/); "
            f"query timeout {limits.timeout:g} s, at most {limits.max_rows} rows, {limits.workers} query workers. "
            "Press Ctrl-C to stop."
        )
        if host not in LOCAL_HOSTS:
            log_line(
                f"oaik serve: warning: listening on {host}, so anyone who can reach this machine can query the graph."
            )
        endpoint.run()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.close()
        signal.signal(signal.SIGTERM, previous)
        log_line("oaik serve: stopped.")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
