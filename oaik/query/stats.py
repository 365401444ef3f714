"""Counts of the merged graph: triples, headline figures, and instances per class."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from oaik.namespaces import OAIK, compact

_INSTANCES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n) ?class
"""

#: Headline figures: label -> class whose instances (including those of its subclasses) are counted.
SUMMARY = {
    "projects": f"{OAIK}Project",
    "organizations": "http://www.w3.org/ns/org#Organization",
    "artifacts": f"{OAIK}Artifact",
    "collaborations": f"{OAIK}Collaboration",
    "claims": f"{OAIK}Claim",
    "evidence records": f"{OAIK}Evidence",
}

_SUMMARY = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{}> }}"


@dataclass(frozen=True)
class GraphStats:
    triples: int
    summary: dict[str, int]  # headline figure -> count (with subclasses)
    instances: list[tuple[str, int]]  # (compact class name, number of asserted instances)


def graph_stats(store: ox.Store) -> GraphStats:
    """Count the triples, the headline figures and the instances of each class.

    The default graph is the merge of the store's graphs (one per source
    file): a triple stated in two files counts once.
    """
    from oaik.store.graph import triple_count

    def query(text: str):  # untyped: pyoxigraph's stubs give a union of result kinds
        return store.query(text)

    summary = {label: int(next(iter(query(_SUMMARY.format(iri))))["n"].value) for label, iri in SUMMARY.items()}
    instances = [(compact(row["class"].value), int(row["n"].value)) for row in query(_INSTANCES)]
    return GraphStats(triples=triple_count(store), summary=summary, instances=instances)
