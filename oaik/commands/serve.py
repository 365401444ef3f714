"""``oaik serve``: the graph as a read-only SPARQL 1.1 endpoint with a query page."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for every interface: anyone who can reach it can query).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds before a query is stopped (answer 408).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Most rows (or triples) in a result (more: 413).",
)
@click.option(
    "--max-result-bytes",
    type=click.IntRange(min=1024),
    default=64 * 1024**2,
    show_default=True,
    help="Most bytes in a result (more: 413).",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=256),
    default=1024**2,
    show_default=True,
    help="Most bytes in a request body or GET target (more: 413).",
)
@click.option(
    "--memory",
    type=click.IntRange(min=64),
    default=2048,
    show_default=True,
    help="MiB a query may use in its worker (over it: 503).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Query worker processes: queries that may run at the same time.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Open connections; requests on more get 503 with Retry-After.",
)
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_result_bytes: int,
    max_request_bytes: int,
    memory: int,
    workers: int,
    max_connections: int,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint.

    The endpoint is /sparql (and /query): GET ?query=… or POST, results in
    JSON, XML, CSV or TSV (SELECT/ASK) or Turtle, N-Triples, JSON-LD or
    RDF/XML (CONSTRUCT/DESCRIBE) by the Accept header. The page at / lists
    the canned queries (/queries/NAME) and has a query form; /health answers
    "ok". Updates, SERVICE and FROM are refused. Queries run in a pool of
    --workers processes that cannot open files or network connections; a
    query over --timeout seconds or --memory MiB is stopped and its worker
    replaced. Answers to canned queries are cached. A request must arrive
    whole within 10 seconds. One line per request goes to standard error.
    Stop with Ctrl-C (or SIGTERM): requests in progress finish first.
    """
    from oaik.server.endpoint import Limits
    from oaik.server.endpoint import serve as run

    limits = Limits(
        timeout=timeout,
        max_rows=max_rows,
        max_result_bytes=max_result_bytes,
        max_request_bytes=max_request_bytes,
        memory=memory * 1024**2,
        workers=workers,
        max_connections=max_connections,
    )
    run(host, port, limits)
