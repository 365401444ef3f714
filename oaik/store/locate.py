"""Where a node is written: the file that defines it and the line of its block.

Validation results name nodes; contributors fix files. A :class:`Locator`
maps a node (an IRI, or a blank node id as pyoxigraph and rdflib share them)
to the file that types it (:func:`oaik.store.graph.defining_files`), or else the
first file where it is a subject. A blank node (a participation, an
anonymous evidence record) is placed where its parent is. Lines come from a
cheap scan of the file for subjects written at the start of a line
(``project:eleutherai a oaik:Project ;``), not from the parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from oaik.namespaces import compact
from oaik.store.graph import ParsedFile, defining_files

if TYPE_CHECKING:
    #: Any RDF term (pyoxigraph's stubs name no such union).
    Term = Any  # any pyoxigraph term: NamedNode, BlankNode, Literal (or Triple)


_PREFIX = re.compile(
    r"^\s*(?:@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>)", re.I
)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:(?:[^\s;,]|\\.)*|:(?:[^\s;,]|\\.)*)(?=\s|$)")


class Locator:
    """File and line of the nodes of a set of parsed files."""

    def __init__(self, parsed: Iterable[ParsedFile]):
        self.parsed = list(parsed)
        self.defining = defining_files(self.parsed)
        self.subject_files: dict[str, list[Path]] = {}
        self.parents: dict[str, tuple[str, str]] = {}  # blank node id -> (parent node, predicate IRI)
        self.blank_triples: dict[str, list[tuple[str, Term]]] = {}
        for parsed_file in self.parsed:
            for triple in parsed_file.triples:
                subject, obj = triple.subject, triple.object
                files = self.subject_files.setdefault(subject.value, [])  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
                if not files or files[-1] != parsed_file.path:
                    files.append(parsed_file.path)
                if isinstance(subject, ox.BlankNode):
                    self.blank_triples.setdefault(subject.value, []).append((triple.predicate.value, obj))
                if isinstance(obj, ox.BlankNode):
                    self.parents.setdefault(obj.value, (subject.value, triple.predicate.value))  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
        self._lines: dict[Path, dict[str, int]] = {}

    def is_blank(self, node: str) -> bool:
        return node in self.blank_triples or node in self.parents

    def anchor(self, node: str) -> str:
        """The nearest IRI above a blank node (the node itself if it is an IRI)."""
        seen = set()
        while node in self.parents and node not in seen and self.is_blank(node):
            seen.add(node)
            node = self.parents[node][0]
        return node

    def files_of(self, node: str) -> list[Path]:
        """Files that write the node (or, for a blank node, its anchor): the defining one first."""
        node = self.anchor(node)
        files = list(self.subject_files.get(node, []))
        defining = self.defining.get(node)
        if defining is not None:
            files = [defining] + [f for f in files if f != defining]
        return files

    def file_of(self, node: str, among: set[Path] | None = None) -> Path | None:
        files = self.files_of(node)
        if among is not None:
            files = [f for f in files if f in among]
        return files[0] if files else None

    def line_of(self, node: str, path: Path | None) -> int | None:
        """The line where the node's (or its anchor's) block starts in the file."""
        if path is None:
            return None
        if path not in self._lines:
            self._lines[path] = subject_lines(path)
        return self._lines[path].get(self.anchor(node))

    def describe(self, node: str) -> str:
        """A readable name: ``prefix:local`` for an IRI; for a blank node its parent and key values."""
        if not self.is_blank(node):
            return compact(node)
        parts = []
        for predicate, obj in self.blank_triples.get(node, []):
            if predicate.endswith(("#type", "prov#agent", "prov#hadRole", "ns#section")) and not isinstance(
                obj, ox.BlankNode
            ):
                name = "a" if predicate.endswith("#type") else compact(predicate)
                parts.append(f"{name} {_term(obj)}")
        inner = f"[ {' ; '.join(parts)} ]" if parts else "[ ]"
        if node in self.parents:
            parent, predicate = self.parents[node]
            return f"{self.describe(parent)} {compact(predicate)} {inner}"
        return inner


def _term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    return "[ ]"


def subject_lines(path: Path) -> dict[str, int]:
    """IRI -> first line (1-based) where it starts a statement at column 0."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    prefixes: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        declared = _PREFIX.match(line)
        if declared:
            prefix = declared.group(1) if declared.group(2) is not None else declared.group(3)
            prefixes[prefix or ""] = declared.group(2) if declared.group(2) is not None else declared.group(4)
            continue
        if not line or line[0] in " \t#@[(":
            continue
        found = _SUBJECT.match(line)
        if not found:
            continue
        token = found.group(1)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, _, local = token.partition(":")
            if prefix not in prefixes or prefix.upper() in ("PREFIX", "BASE"):
                continue
            iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        lines.setdefault(iri, number)
    return lines
