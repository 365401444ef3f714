"""``oaik stats``: triples and instances per class of the loaded graph."""

from __future__ import annotations

import json

import click


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format."
)
def stats(fmt: str) -> None:
    """Count triples, headline figures (with subclasses) and instances per class of the merged graph (ontology + vocabularies + data)."""
    from oaik.query.stats import graph_stats
    from oaik.store import open_store

    result = graph_stats(open_store(read_only=True))
    if fmt == "json":
        click.echo(
            json.dumps(
                {"triples": result.triples, "summary": result.summary, "instances": dict(result.instances)}, indent=2
            )
        )
        return
    width = max((len(name) for name, _ in result.instances), default=10)
    click.echo(f"{'triples':<{width}}  {result.triples:>9}")
    for label, count in result.summary.items():
        click.echo(f"{label:<{width}}  {count:>9}")
    click.echo("")
    click.echo(f"{'class':<{width}}  {'instances':>9}")
    for name, count in result.instances:
        click.echo(f"{name:<{width}}  {count:>9}")
