"""Typed literals the graph store would not keep as written.

Oxigraph's store keeps numbers, booleans and date-times in one canonical
form: ``"05"^^xsd:integer`` is stored as ``"5"``, ``1.50`` as ``1.5``,
``"1"^^xsd:boolean`` as ``true``, ``"5"^^xsd:int`` as ``"5"^^xsd:integer``. The
values are equal, but the RDF terms are not: the site's pages, query answers
and what ``oaik push`` sends would then differ from the file (and from the
exports, which are read from the files). The loader refuses such a file (exit 2) and
names the form to write, so that the graph is exactly its files.

Which literals change is asked of Oxigraph itself (each candidate stored in
a scratch store and read back), not guessed from a list of rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from oaik.errors import OaikError

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose values are never rewritten: they are kept character for character.
_KEPT = {XSD + "string", XSD + "anyURI"}
_PROBE = ox.NamedNode("urn:oaik:literal")
NEWLINE = b"\n"
#: A triple or a quad.
Statement = ox.Triple | ox.Quad


class RewrittenLiteral(OaikError):
    """A file refused because the store would rewrite one of its literals (``line``: where it is written)."""

    rule = "oaiksh:StoredAsWrittenRule"

    def __init__(
        self,
        path: Path,
        line: int | None,
        statement: Statement,
        written: ox.Literal,
        stored: ox.Literal,
        anchor: object,
    ):
        self.line, self.anchor = line, anchor  # anchor: the subject, or for a blank node the nearest IRI above it
        self.subject, self.predicate, self.written = statement.subject, statement.predicate, _text(written)
        self.detail = (
            f"the value {self.written} would be stored as {_text(stored)}: the graph store "
            "(Oxigraph) keeps numbers, booleans and date-times in one canonical form, so pages, query answers "
            f"and pushes would differ from this file. Write {_text(stored)}"
        )
        super().__init__(
            f"{path}:{line}: {self.detail}, and run the command again." if line else f"{path}: {self.detail}."
        )


def check_stored_as_written(path: Path, statements: Sequence[Statement], data: bytes | None = None) -> None:
    """Raise :class:`RewrittenLiteral` (exit 2) for the first typed literal among the objects of ``statements``
    (the triples or quads of the file ``path``, whose bytes are ``data`` if at hand) that the store would rewrite."""
    subjects: dict[ox.Literal, Statement] = {}
    for statement in statements:
        term = statement.object
        if type(term) is ox.Literal:
            datatype = term.datatype.value
            if datatype.startswith(XSD) and datatype not in _KEPT:
                subjects.setdefault(term, statement)
    if not subjects:
        return
    candidates = list(subjects)
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"urn:oaik:literal:{i}"), _PROBE, term) for i, term in enumerate(candidates))
    rewritten = {}
    for quad in store.quads_for_pattern(None, _PROBE, None):
        written = candidates[int(cast(ox.NamedNode, quad.subject).value.rpartition(":")[2])]
        if quad.object != written:
            rewritten[written] = cast(ox.Literal, quad.object)
    if rewritten:
        if data is None:
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
        anchors = {written: _anchor(statements, subjects[written].subject) for written in rewritten}
        lines = {written: _line(path, data, written, anchors[written]) for written in rewritten}
        written = min(rewritten, key=lambda term: (lines[term] or len(data), term.value))
        raise RewrittenLiteral(path, lines[written], subjects[written], written, rewritten[written], anchors[written])


def _anchor(statements: Sequence[Statement], subject: object) -> object:
    """The subject, or for a blank node the nearest IRI above it in the file (itself when there is none)."""
    above = {s.object: s.subject for s in statements if type(s.object) is ox.BlankNode}
    node, seen = subject, set()
    while type(node) is ox.BlankNode and node in above and node not in seen:
        seen.add(node)
        node = above[node]
    return node


def _line(path: Path, data: bytes, literal: ox.Literal, subject: object) -> int | None:
    """The line of the literal written in quotes with its datatype; else of the block of its subject (for a
    blank node, of the nearest IRI above it)."""
    found = re.search(rb'"' + re.escape(literal.value.encode("utf-8")) + rb'"\^\^', data)
    if found:
        return data.count(NEWLINE, 0, found.start()) + 1
    if not isinstance(subject, ox.NamedNode):
        return None
    from oaik.store.locate import subject_lines

    return subject_lines(path).get(subject.value)


def _text(term: ox.Literal) -> str:
    """A literal as a contributor writes it: ``"5"^^xsd:integer``."""
    return f'"{term.value}"^^xsd:{term.datatype.value.removeprefix(XSD)}'
