"""Load the Turtle files into one merged graph.

Every file is parsed once with pyoxigraph (fast, precise syntax errors);
the triples then feed a pyoxigraph store (for queries) or an rdflib graph
(for SHACL, reasoning and serialisation). Each parsed file remembers its
triples so that errors can name the file that defines a node.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import OaikError
from oaik.paths import graph_files, turtle_names

TYPE_CHECKING = False  # neither typing nor rdflib is imported at run time; rdflib only by the functions that need it
if TYPE_CHECKING:
    import rdflib

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class ParsedFile:
    """A file and its triples (a plain class: a warm query imports this module, not ``dataclasses``)."""

    __slots__ = ("path", "triples")

    def __init__(self, path: Path, triples: tuple[ox.Triple, ...]):
        self.path = path
        self.triples = triples


_BYTE_ORDER_MARK = b"\xef\xbb\xbf"
_BYTE_ORDER_MARK_PROBLEM = (
    "The file starts with a byte order mark (U+FEFF, which some editors write at the start of UTF-8 files), "
    "and the RDF parser refuses it: save the file as UTF-8 without a byte order mark "
    "(the encoding 'UTF-8', not 'UTF-8 with BOM')"
)


def parse_file(path: Path) -> ParsedFile:
    """Parse one Turtle file; a syntax error becomes an OaikError naming file:line."""
    return ParsedFile(path, read_triples(path))


def read_triples(path: Path, base_iri: str | None = None, data: bytes | None = None) -> tuple[ox.Triple, ...]:
    """The triples of one Turtle file (``data``: its bytes, when already read), or an OaikError (exit 2) naming file:line.

    Refused: syntax errors, files :func:`oaik.inputfile.read_file` does not read (links, devices, pipes,
    over 64 MiB), RDF 1.2 (triple terms and ``VERSION`` directives) and tokens over the parser's 16 MiB limit.
    Relative IRIs resolve against ``base_iri`` (default: the file's ``file:`` IRI).
    """
    from oaik.inputfile import TURTLE, read_file
    from oaik.store import loaderrors

    data = read_file(path, TURTLE) if data is None else data
    try:
        base_iri = base_iri or path.resolve().as_uri()
        triples = tuple(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri))
    except SyntaxError as error:
        if data.startswith(_BYTE_ORDER_MARK):
            error.msg, error.lineno, error.offset = _BYTE_ORDER_MARK_PROBLEM, 1, 1
        raise OaikError(
            f"{path}:{error.lineno}:{error.offset}: Turtle syntax error: {error.msg}. "
            "Fix the Turtle at that line (check prefixes, quotes and the final '.' of each statement) and run the command again."
        ) from None
    except MemoryError as error:
        if "maximal size" not in str(error):
            raise
        raise loaderrors.too_large_error(path) from None
    line = loaderrors.version_line(data)
    if line is not None:
        raise loaderrors.version_error(path, line)
    for triple in triples:
        if type(triple.object) is ox.Triple:
            subject = triple.subject
            raise loaderrors.triple_term_error(path, subject.value if type(subject) is ox.NamedNode else None)
    return triples


def read_quads(path: Path, base_iri: str, data: bytes) -> tuple[ox.Quad, ...]:
    """What :func:`read_triples` reads from ``data`` (the file's bytes), as quads of the default graph, with the same errors.

    Without a ``{`` in the file, Turtle and TriG accept the same documents
    with the same triples (TriG adds only graph blocks, and they need braces),
    and TriG's parser makes each quad itself: building a store this way is
    about a tenth faster than making a quad of each triple. Any other file,
    and every error, goes through :func:`read_triples`.
    """
    from oaik.store import loaderrors

    if b"{" not in data and loaderrors.version_line(data) is None:
        try:
            quads = tuple(ox.parse(data, format=ox.RdfFormat.TRIG, base_iri=base_iri))
        except (SyntaxError, MemoryError):
            pass  # read_triples reports it in Turtle's words
        else:
            if not any(type(quad.object) is ox.Triple for quad in quads):
                return quads
    return tuple(ox.Quad(t.subject, t.predicate, t.object) for t in read_triples(path, base_iri, data))


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus the ``.ttl`` files below any folder named."""
    return [Path(name) for name in expand_names(paths)]


def expand_names(paths: Iterable[Path | str]) -> list[str]:
    """:func:`expand_paths` as strings (``str(path)`` of each): a warm query needs no ``Path`` of every file."""
    files: list[str] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            files.extend(turtle_names(path))
        elif path.exists() or path.is_symlink():  # a link (even dangling or looping) is read, or refused, as a file
            files.append(str(path))
        else:
            raise OaikError(f"{path}: no such file or folder. Name a Turtle file or a folder of them.")
    return files


def parse_files(paths: Iterable[Path] | None = None) -> list[ParsedFile]:
    """Parse the given files (default: the shipped ontology, vocabularies and data)."""
    return [parse_file(path) for path in (graph_files() if paths is None else paths)]


def to_store(parsed: Iterable[ParsedFile]) -> ox.Store:
    """An in-memory pyoxigraph store holding all triples in the default graph; a file whose literals the store
    would not keep as written is refused (:mod:`oaik.store.literals`)."""
    from oaik.store.literals import check_stored_as_written

    parsed = list(parsed)
    for file in parsed:
        check_stored_as_written(file.path, file.triples)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for f in parsed for t in f.triples)
    return store


def to_rdflib(parsed: Iterable[ParsedFile]) -> rdflib.Graph:
    """An rdflib graph holding all triples (terms converted one to one)."""
    import rdflib

    graph = rdflib.Graph()
    convert = rdflib_converter()
    add = graph.add
    for parsed_file in parsed:
        for triple in parsed_file.triples:
            add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_converter():
    """A function converting pyoxigraph terms to rdflib terms (memoised), as rdflib's own parsers make them.

    rdflib tells a simple literal (no datatype) from the same text typed
    xsd:string, which RDF 1.1 says are one term; its parsers make the first,
    so this does too: a pattern or a shape's ``"Table 1"`` then matches.
    """
    import rdflib

    cache: dict = {}

    def convert(term):
        found = cache.get(term)
        if found is not None:
            return found
        if isinstance(term, ox.NamedNode):
            found = rdflib.URIRef(term.value)
        elif isinstance(term, ox.BlankNode):
            found = rdflib.BNode(term.value)
        elif isinstance(term, ox.Triple):
            raise OaikError(
                f"RDF 1.2 triple terms are not supported (found << {term} >>). State the fact as ordinary triples."
            )
        elif term.language:
            found = rdflib.Literal(term.value, lang=term.language)
        elif term.datatype.value == _XSD_STRING:  # a simple literal: rdflib's parsers give it no datatype
            found = rdflib.Literal(term.value)
        else:
            found = rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        cache[term] = found
        return found

    return convert


def load_store(paths: Iterable[Path] | None = None) -> ox.Store:
    """The merged graph (default: shipped files) as a pyoxigraph store."""
    return to_store(parse_files(paths))


def triple_count(store: ox.Store) -> int:
    """The triples of the store's default graph (in the persistent store: the merge of the file graphs)."""
    return int(select_rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] or 0)


def select_rows(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    """Run a SELECT (OAIK's prefixes declared) on the store's default graph.

    Each row is {variable: lexical value or None}.
    """
    from oaik.namespaces import sparql_prefixes

    result = store.query(sparql_prefixes() + query)
    names = [variable.value for variable in result.variables]  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
    return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in result]  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
