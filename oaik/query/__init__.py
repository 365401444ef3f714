"""Queries: canned queries and their headers, binding, SPARQL safety, sandbox, backends, rendering."""
