"""The static website built from the graph (``oaik site``).

One page per entity at its IRI's path (``id/<kind>/<slug>.html``), per SKOS
concept (``vocab/<scheme>/<concept>.html``) and per ontology term
(``ns/<Term>.html``); figures regenerated from the canned queries as SVG with
their CSV; downloads with a data dictionary; badges; and a YASGUI query page.
Everything comes from SPARQL over the graph, so new data appears on its own.
"""
