"""Importers of external catalogues: read a local checkout, resolve to OAIK entities, write Turtle.

One module per source (:mod:`osai`, :mod:`mot`) turns its YAML files into
:class:`~oaik.imports.records.Entry` records; :mod:`resolve` matches them to
OAIK's curated entities (and MOT's releases to the families OSAI's import
made); :mod:`turtle` writes them; :mod:`run` ties the steps together and
reports what it did (:mod:`report`).
"""
