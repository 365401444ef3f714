"""Work on SPARQL text: the read-only check of untrusted queries, and binding parameters with VALUES.

The read-only check comes from a real SPARQL parse (rdflib's parser, walked
node by node). The small tokenizer here serves only trusted text and
harmless tasks: finding the query form, the WHERE block of a canned query and
the prefixes a query uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from oaik.errors import OaikError

_TOKEN_PATTERN = r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:[\w.\-%:]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """


@cache
def _token_regex() -> re.Pattern:
    """Compiled on first use, so that importing this module costs nothing."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


class Token:
    """A significant token: its kind, its text and where it starts (a plain class: no ``dataclasses`` import)."""

    __slots__ = ("kind", "start", "text")

    def __init__(self, kind: str, text: str, start: int):
        self.kind = kind
        self.text = text
        self.start = start


def tokenize(query: str) -> list[Token]:
    """The significant tokens of a query (no white space, no comments)."""
    return list(_tokens(query))


def _tokens(query: str) -> Iterator[Token]:
    """The significant tokens, one at a time (callers that look for the first of something stop early)."""
    for match in _token_regex().finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def check_read_only(query: str, allowed_iris: frozenset[str] = frozenset()) -> None:
    """Refuse anything but a local, read-only query, judged by a real SPARQL parser (rdflib's).

    Refused: updates (LOAD, INSERT, …), SERVICE in any form and anywhere (a
    variable, SILENT, in sub-selects, EXISTS, …), FROM / FROM NAMED unless the
    resolved IRI is in ``allowed_iris``, and text that rdflib cannot parse.
    Because Oxigraph, not rdflib, runs the query, text where the two parsers
    are known to read differently is refused before parsing: ``\\u`` escapes
    (rdflib expands them everywhere, Oxigraph only in strings and IRIs), a CR
    not followed by LF (it ends a comment for Oxigraph only) and control or
    unusual white-space characters. The OS-level sandbox
    (:mod:`oaik.query.sandbox`) stays the backstop for any other disagreement.
    """
    _refuse_ambiguous_text(query)
    tree = _parse(query)
    from rdflib.plugins.sparql.algebra import translatePrologue

    from oaik.namespaces import PREFIXES

    prologue = translatePrologue(tree[0], None, initNs=PREFIXES)  # OAIK's prefixes are declared for the user
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise OaikError(
                f"SERVICE {_shown(node.get('term'))} is refused: queries may not reach other endpoints, the network or local "
                "files. Remove the SERVICE clause and query this graph only."
            )
        if node.name == "DatasetClause":
            keyword = "FROM" if "default" in node else "FROM NAMED"
            iri = _resolved(prologue, node.get("default") if "default" in node else node.get("named"))
            if iri not in allowed_iris:
                raise OaikError(
                    f"{keyword} <{iri}> is refused: queries may not choose their dataset, which could make the engine "
                    "read other graphs or sources. Remove the clause and query the graph's default graph"
                    + (f" (allowed: {', '.join(sorted(allowed_iris))})." if allowed_iris else ".")
                )


def _resolved(prologue, term) -> str:
    """The absolute IRI of a parse-tree IRI or prefixed name; an undeclared prefix is refused."""
    try:
        return str(prologue.absolutize(term))
    except Exception:  # rdflib raises a bare Exception for an unknown prefix
        prefix = term.get("prefix") or ""
        raise OaikError(f"the prefix {prefix}: is not declared. Add `PREFIX {prefix}: <…>` to the query.") from None


def _shown(term) -> str:
    """A parse-tree term as the user wrote it, near enough: <iri>, prefix:name or ?var."""
    from rdflib.term import URIRef, Variable

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"


_UNICODE_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]")


def _refuse_ambiguous_text(query: str) -> None:
    """Refuse text two conforming SPARQL parsers may read differently (see :func:`check_read_only`)."""
    import unicodedata

    escape = _UNICODE_ESCAPE.search(query)
    if escape:
        line, column = _position(query, escape.start())
        raise OaikError(
            f"the query has a \\u or \\U escape at line {line}, column {column}; such escapes are refused because "
            "SPARQL engines disagree on where they apply. Write the character itself instead (the query is UTF-8)."
        )
    for offset, char in enumerate(query):
        if char in " \t\n" or (char == "\r" and query[offset + 1 : offset + 2] == "\n"):
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp", "Zs"):
            line, column = _position(query, offset)
            name = unicodedata.name(char, "a control character")
            raise OaikError(
                f"the query has U+{ord(char):04X} ({name}) at line {line}, column {column}; only space, "
                "tab and line breaks (LF or CR LF) are accepted as white space or control characters, because "
                "engines disagree on the others (for example on where a comment ends). Remove or replace it."
            )


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _parse(query: str):
    """rdflib's parse tree of a query; an update or unparsable text is refused with rdflib's position."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseQuery(query)
    except ParseException as error:
        problem = error
    except RecursionError:
        raise OaikError("the query is nested too deeply to be checked; flatten its groups or sub-queries.") from None
    words = [t.text.upper() for t in tokenize(query) if t.kind == "word" and t.text.upper() not in ("PREFIX", "BASE")]
    if not words:  # SPARQL Update's grammar takes a prologue alone: an empty update
        raise OaikError(
            "the query is empty (nothing but prefixes, comments or white space). "
            "Write a SELECT, ASK, CONSTRUCT or DESCRIBE query."
        )
    try:
        parseUpdate(query)
        is_update = True
    except (ParseException, RecursionError):  # the message only: refused either way
        is_update = words[0] in _UPDATE_KEYWORDS
    if is_update:
        raise OaikError(
            "SPARQL updates are refused: this graph is read-only. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
        )
    raise OaikError(
        f"SPARQL syntax error at line {problem.lineno}, column {problem.col} ({problem.msg}). Fix the query there; "
        "ad-hoc queries are checked with a standard SPARQL 1.1 parser (rdflib's) before they run."
    )


_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def _walk(node):
    """Every rdflib parse-tree node (CompValue) below ``node``, depth first."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)


def inject_values(query: str, bindings: dict[str, str]) -> str:
    """Bind variables by inserting ``VALUES (?a ?b) { (t1 t2) }`` at the start of the top-level WHERE block.

    ``bindings`` maps a variable name (without ``?``) to an RDF term already
    serialised by pyoxigraph (so escaping is the library's, not ours).
    """
    if not bindings:
        return query
    brace = _where_brace(query)
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(bindings.values())
    return f"{query[: brace + 1]}\n  VALUES ({names}) {{ ({terms}) }}\n{query[brace + 1 :]}"


def _where_brace(query: str) -> int:
    """Offset of the ``{`` that opens the top-level WHERE block."""
    tokens = tokenize(query)
    for index, token in enumerate(tokens):
        if token.kind == "word" and token.text.upper() == "WHERE":
            for following in tokens[index + 1 :]:
                if following.text == "{":
                    return following.start
    for token in tokens:  # ``SELECT * { … }`` without the WHERE keyword
        if token.text == "{":
            return token.start
    raise OaikError("the query has no WHERE block to bind parameters into; add `WHERE { … }`.")


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword (the rest of the text is not read)."""
    for token in _tokens(query):
        if token.kind == "word" and token.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.text.upper()
    return "SELECT"
