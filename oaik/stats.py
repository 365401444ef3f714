"""Counts of the merged graph: triples, and instances per class."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from oaik.namespaces import compact

_INSTANCES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n) ?class
"""


@dataclass(frozen=True)
class GraphStats:
    triples: int
    instances: list[tuple[str, int]]  # (compact class name, number of instances)


def graph_stats(store: ox.Store) -> GraphStats:
    """Count the store's triples and the distinct instances of each class."""
    instances = [(compact(row["class"].value), int(row["n"].value)) for row in store.query(_INSTANCES)]
    return GraphStats(triples=len(store), instances=instances)
