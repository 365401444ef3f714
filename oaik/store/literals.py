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
        anchors = _anchors(statements, [subjects[written].subject for written in rewritten])
        lines = _lines(path, data, {written: anchors[subjects[written].subject] for written in rewritten})
        written = min(rewritten, key=lambda term: (lines[term] or len(data), term.value))
        subject = subjects[written].subject
        raise RewrittenLiteral(path, lines[written], subjects[written], written, rewritten[written], anchors[subject])


def _anchors(statements: Sequence[Statement], subjects: list) -> dict:
    """Each subject, or for a blank node the nearest IRI above it in the file (itself when there is none; in a
    cycle of blank nodes, the first node met again).

    One pass over the statements, and each node's walk up is made once: a
    file of many values under deep nesting costs no more than its size.
    """
    above = {s.object: s.subject for s in statements if type(s.object) is ox.BlankNode}
    anchors: dict = {}
    for subject in subjects:
        chain, walked, node = [], set(), subject
        while node not in anchors and type(node) is ox.BlankNode and node in above and node not in walked:
            chain.append(node)
            walked.add(node)
            node = above[node]
        if node in walked:  # a cycle: the nodes before it meet ``node`` again, those on it themselves
            entry = chain.index(node)
            anchors.update(dict.fromkeys(chain[:entry], node))
            anchors.update((member, member) for member in chain[entry:])
        else:
            anchors.update(dict.fromkeys(chain, anchors.get(node, node)))
        anchors.setdefault(subject, subject)
    return anchors


#: A value written in quotes (on one line, without a quote in it) followed by a datatype.
_QUOTED_TYPED = re.compile(rb'"([^"\n]*)"\^\^')


def _lines(path: Path, data: bytes, subjects: dict[ox.Literal, object]) -> dict[ox.Literal, int | None]:
    """For each literal, the first line where its value is written in quotes with a datatype; else the line of
    the block of its subject (for a blank node, of the nearest IRI above it). One scan of the file."""
    wanted = {literal.value.encode("utf-8") for literal in subjects}
    first: dict[bytes, int] = {}
    line, counted = 1, 0
    for found in _QUOTED_TYPED.finditer(data):
        value = found.group(1)
        if value in wanted and value not in first:
            line += data.count(NEWLINE, counted, found.start())
            counted = found.start()
            first[value] = line
    lines: dict[ox.Literal, int | None] = {}
    blocks: dict[str, int] | None = None
    for literal, subject in subjects.items():
        lines[literal] = first.get(literal.value.encode("utf-8"))
        if lines[literal] is None and isinstance(subject, ox.NamedNode):
            if blocks is None:
                from oaik.store.locate import subject_lines

                blocks = subject_lines(path)
            lines[literal] = blocks.get(subject.value)
    return lines


def _text(term: ox.Literal) -> str:
    """A literal as a contributor writes it: ``"5"^^xsd:integer``."""
    return f'"{term.value}"^^xsd:{term.datatype.value.removeprefix(XSD)}'
