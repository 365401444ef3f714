"""``oaik push``: load the graph into a SPARQL 1.1 store (Graph Store HTTP Protocol)."""

from __future__ import annotations

import argparse

from oaik.commands.common import echo, float_range
from oaik.query.backends import DEFAULT_GRAPH


def push_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="The store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; Fuseki: http://HOST:3030/DATASET/data).",
    )
    parser.add_argument(
        "--graph",
        metavar="IRI",
        default=DEFAULT_GRAPH,
        help="The named graph to replace ('' for the store's default graph).",
    )
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=float_range(0.1), default=120.0, help="Seconds to wait for the store."
    )


def push(endpoint: str, graph: str, timeout: float) -> None:
    """Replace a named graph of a SPARQL 1.1 store with the OAIK graph.

    Sends the whole graph (ontology, vocabularies and data) in one HTTP PUT,
    so a failed push leaves the store's previous graph in place. Credentials
    come from the environment only: OAIK_USER and OAIK_PASSWORD (Basic auth)
    or OAIK_TOKEN (Bearer). Afterwards `oaik query NAME --endpoint QUERY-URL`
    queries this graph with no further options.
    """
    from oaik.publish.push import push as run

    result = run(endpoint, graph or None, timeout, warn=lambda message: echo(f"oaik: {message}", err=True))
    where = f"graph <{graph}>" if graph else "the default graph"
    echo(f"pushed {result.triples} triples to {where} of {endpoint} (HTTP {result.status}).")
