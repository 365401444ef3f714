"""The floors the scale benchmark compares oaik's commands with: bare pyoxigraph doing the same work.

    python floor.py load-query ROOT QUERYFILE...   # bulk_load ontology + data into memory, run the queries
    python floor.py load-dump ROOT FORMAT OUT      # bulk_load, then dump (turtle or jsonld) to OUT
    python floor.py open-query STORE QUERYFILE     # open the existing on-disk store read-only, run the query

Each query's rows are materialised (as the commands do before printing).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox


def loaded(root: Path) -> ox.Store:
    store = ox.Store()
    for folder in ("ontology", "data"):
        for path in sorted((root / folder).rglob("*.ttl")):
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return store


def run(store: ox.Store, query_file: str, union: bool) -> int:
    result = store.query(Path(query_file).read_text(encoding="utf-8"), use_default_graph_as_union=union)
    return len(list(result))


def main(mode: str, *args: str) -> None:
    if mode == "load-query":
        store = loaded(Path(args[0]))
        print(sum(run(store, query, union=False) for query in args[1:]))
    elif mode == "load-dump":
        fmt = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}[args[1]]
        loaded(Path(args[0])).dump(args[2], format=fmt, from_graph=ox.DefaultGraph())
    elif mode == "open-query":
        print(run(ox.Store.read_only(args[0]), args[1], union=True))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
