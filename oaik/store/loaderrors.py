"""Input the loader refuses, as one-paragraph errors that name the file and line.

pyoxigraph parses RDF 1.2 (triple terms, reifiers, ``VERSION "1.2"``) and
caps a single token (a literal, an IRI) at 16 MiB. OAIK's graph, shapes and
exports are RDF 1.1, so RDF 1.2 input is refused with exit 2 instead of
failing later in rdflib or pySHACL; an over-long token is reported as
unreadable input, not as an internal error.

The parser decides *that* the input is refused; the line is then located by a
scan of the text, which only points the reader to the place.
"""

from __future__ import annotations

import re
from pathlib import Path

from oaik.errors import OaikError

#: pyoxigraph's (and rdflib's) limit on one token of a Turtle file.
MAX_TOKEN_BYTES = 16 * 1024 * 1024

_VERSION = re.compile(rb"^\s*(?:@version|VERSION)\s+[\"']", re.IGNORECASE | re.MULTILINE)
_TRIPLE_TERM = re.compile(rb"<<|~|\{\|")


def version_line(data: bytes) -> int | None:
    """The line of a Turtle 1.2 ``VERSION``/``@version`` directive, if the file has one."""
    if b"ersion" not in data and b"ERSION" not in data:  # a fast substring scan spares most files the regex
        return None
    found = _VERSION.search(data)
    return None if found is None else data.count(b"\n", 0, found.start()) + 1


def rdf12_error(path: Path, line: int | None, what: str) -> OaikError:
    where = f"{path}:{line}" if line else str(path)
    return OaikError(
        f"{where}: RDF 1.2 is not supported ({what}). OAIK's graph, shapes and exports are RDF 1.1: "
        "state the fact as ordinary triples (for a statement about a statement, use an oaik:Claim node "
        "with its evidence) and remove any VERSION directive, then run the command again."
    )


def triple_term_error(path: Path, subject: str | None = None) -> OaikError:
    """The error for a file whose parse produced a triple term.

    It is located at the block of ``subject`` (the IRI of the triple that holds
    the term) when the file writes it at the start of a line, else at the
    first ``<<`` or ``~`` of the file.
    """
    from oaik.store.locate import subject_lines

    line = subject_lines(path).get(subject) if subject else None
    return rdf12_error(
        path, line or _first_line(path, _TRIPLE_TERM), "a triple term, reifier or annotation, written << >>, ~ or {| |}"
    )


def version_error(path: Path, line: int) -> OaikError:
    return rdf12_error(path, line, 'a VERSION "1.2" directive')


def too_large_error(path: Path) -> OaikError:
    """The error for a token over the parser's 16 MiB limit (located at the first line that long)."""
    line = _long_line(path)
    where = f"{path}:{line}" if line else str(path)
    return OaikError(
        f"{where}: a literal or IRI is longer than 16 MiB, the most the RDF parser accepts. "
        "Keep long texts outside the graph (link to them with a URL) and run the command again."
    )


def _first_line(path: Path, pattern: re.Pattern[bytes]) -> int | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    found = pattern.search(data)
    return None if found is None else data.count(b"\n", 0, found.start()) + 1


def _long_line(path: Path) -> int | None:
    """The first line longer than the token limit (None when the long token spans lines)."""
    try:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, start=1):
                if len(line) > MAX_TOKEN_BYTES:
                    return number
    except OSError:
        return None
    return None
