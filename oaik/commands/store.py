"""``oaik store``: where the persistent graph store lives, what it holds, and rebuilding it."""

from __future__ import annotations

import json

import click


@click.group()
def store() -> None:
    """The persistent graph store the commands share (see docs/store.md).

    \b
    oaik store info       # where it is, how many files and triples it holds
    oaik store rebuild    # parse every file again into a fresh store
    """


@store.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format."
)
def info(fmt: str) -> None:
    """Bring the store up to date and describe it: location, files, triples, what this run changed."""
    from oaik.store import update_store

    update = update_store(read_only=True)
    _report(update, fmt)


@store.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format."
)
def rebuild(fmt: str) -> None:
    """Discard the store and parse every file again (waits for other oaik processes using it)."""
    from oaik.store import update_store

    update = update_store(rebuild=True)
    _report(update, fmt)


def _report(update, fmt: str) -> None:
    location = str(update.location) if update.location is not None else "(in memory)"
    facts = {
        "location": location,
        "files": len(update.files),
        "quads": len(update.store),
        "parsed": [str(p) for p in update.parsed],
        "removed": [str(p) for p in update.removed],
        "rebuilt": update.rebuilt,
    }
    if fmt == "json":
        click.echo(json.dumps(facts, indent=2))
    else:
        click.echo(f"location  {location}")
        click.echo(f"files     {facts['files']}")
        click.echo(f"quads     {facts['quads']} (one named graph per file)")
        click.echo(
            f"this run  {'rebuilt, ' if update.rebuilt else ''}{len(update.parsed)} parsed, {len(update.removed)} removed"
        )
    update.raise_errors()
