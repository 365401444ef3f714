"""Validation: SHACL shapes, term checks, reasoning and the reports contributors read."""
