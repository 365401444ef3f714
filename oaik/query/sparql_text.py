"""Lexical work on SPARQL text: safety checks and binding parameters with VALUES.

A query is tokenised (comments, strings and IRIs skipped properly) rather than
searched with regular expressions, so that a keyword inside a string or a
prefixed name never counts, and a value never becomes syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokenize(query: str) -> list[Token]:
    """The significant tokens of a query (no white space, no comments)."""
    tokens = []
    for match in _token_regex().finditer(query):
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            tokens.append(Token(kind, match.group(), match.start()))
    return tokens


def check_read_only(query: str, allowed_iris: frozenset[str] = frozenset()) -> None:
    """Refuse updates, and SERVICE / FROM / FROM NAMED to IRIs not allowed.

    Federated and dataset clauses would make the engine fetch from the network
    or the file system; an allowed IRI (e.g. the graph's own name) passes.
    """
    tokens = tokenize(query)
    for index, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        if word in UPDATE_KEYWORDS:
            raise OaikError(
                f"SPARQL updates are refused (found {token.text!r} at character {token.start}): this graph is read-only. "
                "Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
            )
        if word in ("SERVICE", "FROM"):
            following = tokens[index + 1 : index + 4]
            target = next((t for t in following if t.kind in ("iri", "pname", "var")), None)
            iri = target.text[1:-1] if target is not None and target.kind == "iri" else None
            if iri is None or iri not in allowed_iris:
                shown = target.text if target is not None else "(nothing)"
                raise OaikError(
                    f"{word} {shown} is refused: queries may not reach other endpoints, the network or local files. "
                    f"Remove the {word} clause and query the graph's default graph"
                    + (f" (allowed: {', '.join(sorted(allowed_iris))})." if allowed_iris else ".")
                )


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
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword."""
    for token in tokenize(query):
        if token.kind == "word" and token.text.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.text.upper()
    return "SELECT"
