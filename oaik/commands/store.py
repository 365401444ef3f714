"""``oaik store``: where the persistent graph store lives, what it holds, and rebuilding it."""

from __future__ import annotations

import argparse
import json

from oaik.commands.common import echo, summary

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def store_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="subcommand", metavar="COMMAND", title="commands")
    for function in (info, prune, rebuild):
        sub = commands.add_parser(
            function.__name__,
            help=summary(function),
            documented=function,  # the description, read when the help is shown
            formatter_class=parser.formatter_class,
            allow_abbrev=False,
        )
        if function is prune:
            sub.add_argument("--dry-run", action="store_true", help="List the stale stores without deleting them.")
        sub.add_argument("--format", dest="fmt", choices=["table", "json"], default="table", help="Output format.")


def store(subcommand: str, **options: Any) -> None:
    """The persistent graph store the commands share (see docs/store.md).

    \b
    oaik store info       # where it is, how many files and triples it holds
    oaik store rebuild    # parse every file again into a fresh store
    oaik store prune      # delete the stores of deleted checkouts and of other oaik versions
    """
    run: dict[str, Callable[..., None]] = {"info": info, "rebuild": rebuild, "prune": prune}
    run[subcommand](**options)


def info(fmt: str) -> None:
    """Bring the store up to date and describe it: location, files, triples, what this run changed."""
    from oaik.store import update_store

    update = update_store(read_only=True)
    _report(update, fmt)


def rebuild(fmt: str) -> None:
    """Discard the store and parse every file again (waits for other oaik processes using it)."""
    from oaik.store import update_store

    update = update_store(rebuild=True)
    _report(update, fmt)


def prune(dry_run: bool, fmt: str) -> None:
    """Delete the stores in the cache folder that no oaik will use again.

    Each checkout and each oaik version has its own store, so a deleted clone
    or an upgrade leaves one behind: a store is stale when none of its source
    files exists any more, or when another oaik version or store format made
    it. A store another process holds is left, and said so; a store folder
    that is a symbolic link is never touched.
    """
    from oaik.store.housekeeping import remove_store, stale_stores
    from oaik.store.persistent import cache_root

    rows: list[dict[str, Any]] = []
    for stale in stale_stores():
        state = "stale" if dry_run else remove_store(stale.location)
        rows.append({"location": str(stale.location), "state": state, "bytes": stale.size, "reason": stale.reason})
    if fmt == "json":
        echo(json.dumps({"cache": str(cache_root()), "stores": rows}, indent=2))
        return
    if not rows:
        echo(f"No stale stores in {cache_root()}.")
    for row in rows:
        echo(f"{row['state']:<13} {_megabytes(row['bytes']):>9}  {row['location']}\n{'':>25}{row['reason']}")
    freed = sum(row["bytes"] for row in rows if row["state"] == "removed")
    if freed:
        echo(f"freed {_megabytes(freed)}")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


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
    from oaik.store.housekeeping import stale_stores

    stale = [] if update.location is None else stale_stores(update.location.parent)
    facts["stale_stores"] = [str(entry.location) for entry in stale]
    if fmt == "json":
        echo(json.dumps(facts, indent=2))
    else:
        echo(f"location  {location}")
        echo(f"files     {facts['files']}")
        echo(f"quads     {facts['quads']} (one named graph per file)")
        echo(
            f"this run  {'rebuilt, ' if update.rebuilt else ''}{len(update.parsed)} parsed, {len(update.removed)} removed"
        )
        if stale:
            size = _megabytes(sum(entry.size for entry in stale))
            echo(f"stale     {len(stale)} other stores, {size}: `oaik store prune` deletes them")
    update.raise_errors()
