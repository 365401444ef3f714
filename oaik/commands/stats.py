"""``oaik stats``: triples and instances per class of the loaded graph."""

from __future__ import annotations

import argparse
import json

from oaik.commands.common import echo

_COUNTED = "ontology + vocabularies + data (shapes not included)"


def stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=["table", "json"], default="table", help="Output format.")


def stats(fmt: str) -> None:
    """Count triples, headline figures (with subclasses) and instances per class of the merged graph.

    The graph counted is the one `oaik query`, `oaik serve` and `oaik push`
    use: ontology + vocabularies + data, without the SHACL shapes (`oaik
    export` adds them by default; `oaik export --only ontology --only data`
    holds exactly the triples counted here).
    """
    from oaik.query.stats import graph_stats
    from oaik.store import open_store

    result = graph_stats(open_store(read_only=True))
    if fmt == "json":
        echo(
            json.dumps(
                {
                    "graph": _COUNTED,
                    "triples": result.triples,
                    "summary": result.summary,
                    "instances": dict(result.instances),
                },
                indent=2,
            )
        )
        return
    width = max((len(name) for name, _ in result.instances), default=10)
    echo(f"{'triples':<{width}}  {result.triples:>9}  in {_COUNTED}")
    for label, count in result.summary.items():
        echo(f"{label:<{width}}  {count:>9}")
    echo("")
    echo(f"{'class':<{width}}  {'instances':>9}")
    for name, count in result.instances:
        echo(f"{name:<{width}}  {count:>9}")
