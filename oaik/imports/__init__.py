"""Importers of external catalogues: read a local checkout, resolve to OAIK entities, write Turtle."""
