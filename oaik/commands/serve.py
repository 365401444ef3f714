"""``oaik serve``: the graph as a read-only SPARQL 1.1 endpoint with a query page."""

from __future__ import annotations

from pathlib import Path

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
    "--memory", type=click.IntRange(min=64), default=2048, show_default=True, help="MiB each query worker may use."
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=4, show_default=True, help="Queries that may run at the same time."
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Serve this site (built by `oaik site -o DIR`) at /. Default: build it from the graph at start-up.",
)
@click.option("--no-site", is_flag=True, help="Serve no website: / is the page of canned queries.")
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_result_bytes: int,
    max_request_bytes: int,
    memory: int,
    workers: int,
    site_dir: Path | None,
    no_site: bool,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint.

    The endpoint is /sparql (and /query): GET ?query=… or POST, results in
    JSON, XML, CSV or TSV (SELECT/ASK) or Turtle, N-Triples, JSON-LD or
    RDF/XML (CONSTRUCT/DESCRIBE) by the Accept header. The page at / lists
    the canned queries (/queries/NAME) and has a query form; /health answers
    "ok". Updates, SERVICE and FROM are refused; each query runs in a worker
    process stopped after --timeout seconds. One line per request goes to
    standard error. Stop with Ctrl-C (or SIGTERM).

    The website (`oaik site`) is served at /; entity IRIs such as
    /id/project/eleutherai answer HTML, Turtle or JSON-LD by the Accept header.
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
    )
    if no_site:
        run(host, port, limits)
        return
    if site_dir is not None:
        from oaik.errors import OaikError
        from oaik.publish.site.build import MARKER

        if not (site_dir / MARKER).is_file():
            raise OaikError(
                f"{site_dir}: not a site built by `oaik site` (no {MARKER}). Build one with `oaik site -o {site_dir}`."
            )
        run(host, port, limits, site_dir=site_dir)
        return
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="oaik-site-") as folder:
        # Built in a separate process, so the endpoint answers at once; / is the site when it is ready.
        log = open(Path(folder) / "build.log", "wb")  # noqa: SIM115 - closed below
        builder = subprocess.Popen(
            [sys.executable, "-m", "oaik.cli", "site", "-o", str(Path(folder) / "site")],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            run(host, port, limits, site_dir=Path(folder) / "site", builder=builder)
        finally:
            if builder.poll() is None:
                builder.terminate()
            builder.wait()
            log.close()
