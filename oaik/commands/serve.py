"""``oaik serve``: the graph as a read-only SPARQL 1.1 endpoint with a query page."""

from __future__ import annotations

import argparse
from pathlib import Path

from oaik.commands.common import float_range, int_range
from oaik.commands.common import path as path_type


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="Address to listen on (0.0.0.0 for every interface: anyone who can reach it can query).",
    )
    parser.add_argument(
        "--port", metavar="PORT", type=int_range(0, 65535), default=7878, help="Port to listen on (0: any free port)."
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float_range(0.1),
        default=30.0,
        help="Seconds before a query is stopped (answer 408).",
    )
    parser.add_argument(
        "--max-rows",
        metavar="N",
        type=int_range(1),
        default=100_000,
        help="Most rows (or triples) in a result (more: 413).",
    )
    parser.add_argument(
        "--max-result-bytes",
        metavar="BYTES",
        type=int_range(1024),
        default=64 * 1024**2,
        help="Most bytes in a result (more: 413).",
    )
    parser.add_argument(
        "--max-request-bytes",
        metavar="BYTES",
        type=int_range(256),
        default=1024**2,
        help="Most bytes in a request body or GET target (more: 413).",
    )
    parser.add_argument(
        "--memory",
        metavar="MIB",
        type=int_range(64),
        default=2048,
        help="MiB a query may use in its worker (over it: 503).",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=int_range(1),
        default=4,
        help="Query worker processes: queries that may run at the same time.",
    )
    parser.add_argument(
        "--max-connections",
        metavar="N",
        type=int_range(1),
        default=256,
        help="Open connections; requests on more get 503 with Retry-After.",
    )
    parser.add_argument(
        "--site",
        dest="site_dir",
        metavar="DIRECTORY",
        type=path_type(file_okay=False, kind=Path),
        default=None,
        help="Serve this website (built by `oaik site -o DIR`) at /. Default: build it from the graph in the background.",
    )
    parser.add_argument("--no-site", action="store_true", help="Serve no website: / is the page of canned queries.")


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
    site_dir: Path | None,
    no_site: bool,
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
    Stop with Ctrl-C (or SIGTERM): requests in progress finish first (within
    twice --timeout: a wait for a worker, then the query); a second Ctrl-C
    stops at once, answering them 503.

    The website (`oaik site`) is served at / (until it is built, / is the
    query page); entity IRIs such as /id/project/eleutherai answer HTML,
    Turtle or JSON-LD by the Accept header.
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
    from oaik.errors import OaikError

    if no_site and site_dir is not None:
        raise OaikError(
            "give --site DIR (serve that website) or --no-site (serve none), not both: --site and --no-site contradict each other."
        )
    if no_site:
        run(host, port, limits)
    elif site_dir is not None:
        from oaik.publish.site.build import MARKER
        from oaik.server.site_routes import SiteRoutes

        if not (site_dir / MARKER).is_file():
            raise OaikError(
                f"{site_dir}: not a site built by `oaik site` (no {MARKER}). Build one with `oaik site -o {site_dir}`, "
                "or leave out --site to build it at start-up."
            )
        run(host, port, limits, routes=[SiteRoutes(site_dir)])
    else:
        _serve_with_built_site(host, port, limits, run)


def _serve_with_built_site(host: str, port: int, limits, run) -> None:
    """Serve while `oaik site` builds the website in a separate process (the endpoint answers at once)."""
    import subprocess
    import sys
    import tempfile

    from oaik.server.site_routes import SiteRoutes

    with tempfile.TemporaryDirectory(prefix="oaik-site-") as folder:
        site = Path(folder) / "site"
        with open(Path(folder) / "build.log", "wb") as log:
            builder = subprocess.Popen(
                [sys.executable, "-m", "oaik.cli", "site", "-o", str(site), "-j", "1"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                run(host, port, limits, routes=[SiteRoutes(site, builder)])
            finally:
                if builder.poll() is None:
                    builder.terminate()
                builder.wait()
