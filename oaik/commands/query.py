"""``oaik queries``, ``oaik query NAME`` and ``oaik sparql``: canned and ad-hoc SPARQL."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from oaik.commands.common import echo, float_range, int_range
from oaik.commands.common import path as path_type
from oaik.errors import OaikError

FORMATS = ("table", "csv", "tsv", "json", "md")


def _add_query_options(parser: argparse.ArgumentParser) -> None:
    """--format, --endpoint, --graph and --timeout, which `oaik query` and `oaik sparql` share."""
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default=None,
        help="Output format (default: table; for CONSTRUCT and DESCRIBE, N-Triples, or JSON-LD with json).",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default=os.environ.get("OAIK_ENDPOINT") or None,
        help="Query a SPARQL 1.1 endpoint instead of the embedded graph (env OAIK_ENDPOINT).",
    )
    parser.add_argument(
        "--graph",
        metavar="IRI",
        default=None,
        help="With --endpoint: the named graph to query (default: the graph `oaik push` writes, https://w3id.org/oaik/graph; '' for the store's default graph).",
    )
    parser.add_argument(
        "--timeout", metavar="SECONDS", type=float_range(0.1), default=30.0, help="Seconds before the query is stopped."
    )


def queries_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=["table", "json"], default="table", help="Output format.")


def queries(fmt: str) -> None:
    """List the canned queries with their summaries and parameters."""
    from oaik.query.canned import load_queries

    catalogue = load_queries()
    if fmt == "json":
        echo(json.dumps([_describe(q) for q in catalogue.values()], indent=2))
        return
    for query in catalogue.values():
        echo(f"{query.name}\n    {query.summary}")
        for param in query.params:
            default = f", default {param.default}" if param.default is not None else ""
            need = "required" if _must_give(param) else "optional"
            echo(f"    --param {param.name}=…  ({param.type_label}, {need}{default})")
    echo(f"\n{len(catalogue)} queries. Run one with: oaik query NAME [--param key=value …]")


def _describe(query) -> dict:
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "parameters": [
            {"name": p.name, "type": p.type_label, "required": _must_give(p), "default": p.default}
            for p in query.params
        ],
    }


def _must_give(param) -> bool:
    """Whether `oaik query` needs the parameter on the command line: required and without a default."""
    return param.required and param.default is None


def query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="The canned query to run (`oaik queries` lists them).")
    parser.add_argument(
        "-p",
        "--param",
        dest="params",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="A parameter value (repeatable).",
    )
    _add_query_options(parser)


def query(
    name: str, params: list[str], fmt: str | None, endpoint: str | None, graph: str | None, timeout: float
) -> None:
    """Run the canned query NAME (see `oaik queries`) on the embedded graph or an endpoint.

    Items inside concatenated cells are sorted, so the output is the same on every run and engine.
    """
    from oaik.query import canned
    from oaik.query.backends import DEFAULT_GRAPH, backend_for
    from oaik.query.results import check_format, render

    chosen = canned.get_query(name)
    check_format(chosen.form, fmt)
    backend = backend_for(endpoint, DEFAULT_GRAPH if graph is None else (graph or None), timeout)
    values = _parse_params(params)
    echo(render(canned.run(chosen, values, backend), fmt))
    for warning in canned.unknown_iri_warnings(chosen, values, backend):
        echo(warning, err=True)


def sparql_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", metavar="TEXT", nargs="?", default=None, help="The query (or give --file).")
    parser.add_argument(
        "-f",
        "--file",
        dest="path",
        metavar="FILE",
        type=path_type(dir_okay=False),
        help="Read the query from a file ('-' for standard input): a regular file of at most 1 MiB.",
    )
    _add_query_options(parser)
    parser.add_argument(
        "--memory", metavar="MIB", type=int_range(64), default=2048, help="MiB the embedded query may use."
    )


def sparql(
    text: str | None,
    path: str | None,
    fmt: str | None,
    endpoint: str | None,
    graph: str | None,
    timeout: float,
    memory: int,
) -> None:
    """Run your own read-only SPARQL query (as TEXT or --file).

    OAIK's prefixes (oaik:, project:, organization:, onramp:, …) are declared
    for you. Updates, SERVICE and FROM are refused; on the embedded graph the
    query runs in a worker that is stopped after --timeout seconds.
    """
    if (text is None) == (path is None):
        raise OaikError("give the query either as an argument or with --file, not both and not neither.")
    if path is not None:
        from oaik.inputfile import QUERY, read_file, read_stream

        raw = read_stream(sys.stdin.buffer, QUERY, "standard input") if path == "-" else read_file(Path(path), QUERY)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise OaikError(
                f"{path}: the query is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}). Save it as UTF-8."
            ) from None
    assert text is not None  # given as the argument or read from --file above
    _run_and_print(text, fmt, endpoint, graph, timeout, memory=memory * 1024**2)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise OaikError(f"--param {pair!r} is not KEY=VALUE. Write e.g. --param organization=organization:google.")
        if key.strip() in values:
            raise OaikError(
                f"--param {key.strip()} is given more than once ({values[key.strip()]!r} and {value!r}). Give each parameter once."
            )
        values[key.strip()] = value
    return values


def _run_and_print(
    text: str,
    fmt: str | None,
    endpoint: str | None,
    graph: str | None,
    timeout: float,
    memory: int,
) -> None:
    from oaik.query.backends import DEFAULT_GRAPH, backend_for
    from oaik.query.results import check_format, render
    from oaik.query.sparql_text import check_read_only, query_form

    check_read_only(text)
    check_format(query_form(text), fmt)
    backend = backend_for(endpoint, DEFAULT_GRAPH if graph is None else (graph or None), timeout)
    if endpoint:
        result = backend.run(text)
    else:
        from oaik.query.sandbox import run_limited
        from oaik.store.persistent import store_folders

        _ = backend.store  # open before forking, so the worker shares it
        result = run_limited(lambda: backend.run(text), timeout=timeout, memory=memory, readable=store_folders())
    echo(render(result, fmt))
