"""The canned queries: ``queries/*.rq`` with grlc ``#+`` headers, and safe parameter binding.

Parameters follow grlc's (BASIL's) variable naming: ``?_name`` is a required
literal, ``?__name`` an optional one; a suffix gives the type: ``_iri`` an IRI,
``_en`` (any language tag) a language-tagged literal, ``_integer`` an
``xsd:integer``, ``_prefix_datatype`` (e.g. ``_xsd_gYear``) that datatype.
Values become RDF terms built by pyoxigraph and are bound with a VALUES block:
they are never pasted into the query text as syntax.

Output is the same bytes on every run and every engine: SPARQL leaves the
order inside ``GROUP_CONCAT`` to the engine, so :func:`run` has the engine
join with an internal separator (U+001F, never in the data) and then sorts
the items of each such cell and joins them with the query's own separator.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import OaikError
from oaik.namespaces import PREFIXES
from oaik.paths import queries_dir
from oaik.query.sparql_text import inject_values, query_form, tokenize

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

    from oaik.query.backends import QueryResult

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class Param:
    """A parameter of a canned query (plain classes here: importing ``dataclasses`` costs a warm query 12 ms)."""

    __slots__ = ("datatype", "default", "kind", "language", "name", "required", "variable")

    def __init__(
        self,
        name: str,
        variable: str,
        kind: str,
        required: bool,
        language: str | None = None,
        datatype: str | None = None,
        default: str | None = None,
    ):
        self.name = name  # what users type: --param name=value
        self.variable = variable  # the variable in the query, without "?"
        self.kind = kind  # "literal", "iri", "language" or "datatype"
        self.required = required
        self.language = language
        self.datatype = datatype
        self.default = default

    @property
    def type_label(self) -> str:
        if self.kind == "iri":
            return "IRI"
        if self.kind == "language":
            return f"literal@{self.language}"
        if self.kind == "datatype" and self.datatype is not None:
            return PREFIXES_REVERSED.get(self.datatype, self.datatype)
        return "literal"


PREFIXES_REVERSED = {
    f"{_XSD}{local}": f"xsd:{local}" for local in ("integer", "gYear", "date", "decimal", "boolean", "string")
}


class CannedQuery:
    """A canned query: its file, text, grlc header and parameters."""

    __slots__ = ("description", "name", "params", "path", "summary", "tags", "text")

    def __init__(
        self,
        name: str,
        path: Path,
        text: str,
        summary: str = "",
        description: str = "",
        tags: tuple[str, ...] = (),
        params: tuple[Param, ...] = (),
    ):
        self.name = name
        self.path = path
        self.text = text
        self.summary = summary
        self.description = description
        self.tags = tags
        self.params = params

    @property
    def form(self) -> str:
        return query_form(self.text)


def load_queries(folder: Path | None = None) -> dict[str, CannedQuery]:
    """All canned queries of a folder (default: the shipped ``queries/``), by name."""
    folder = folder or queries_dir()
    return {path.stem: read_query(path) for path in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: Path | None = None) -> CannedQuery:
    """One canned query by name (reads only its own file)."""
    folder = folder or queries_dir()
    path = folder / f"{name}.rq"
    if "/" in name or not path.is_file():
        import difflib

        names = [p.stem for p in folder.glob("*.rq")]
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise OaikError(f"no canned query named {name!r}.{hint} Run `oaik queries` to list them.")
    return read_query(path)


def read_query(path: Path) -> CannedQuery:
    """Parse one ``.rq`` file: its ``#+`` header (YAML) and its parameters."""
    text = path.read_text(encoding="utf-8")
    header = _header(text, path)
    defaults = _defaults(header.get("defaults"), path)
    tags = header.get("tags") or []
    return CannedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(tag) for tag in (tags if isinstance(tags, list) else [tags])),
        params=tuple(_params(text, defaults)),
    )


def _header(text: str, path: Path) -> dict:
    """The ``#+`` decorators as a dict.

    grlc decorators use a narrow YAML subset: ``key: value``, ``key: >``
    followed by indented folded lines, and ``key:`` followed by indented
    ``- item`` or ``- name: value`` entries. Reading that subset directly keeps
    PyYAML's ~20 ms import off the hot path; a test checks the result equals
    PyYAML's for every shipped query.
    """
    lines = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    header: dict = {}
    key: str | None = None
    folded: list[str] | None = None
    for number, line in enumerate(lines, 1):
        content = line.strip()
        if not content:
            continue
        if not line[0].isspace():
            key, colon, value = line.partition(":")
            if not colon:
                raise OaikError(f"{path}: '#+ {line}' is not 'key: value'. Write grlc decorators as '#+ key: value'.")
            key, value = key.strip(), value.strip()
            folded = [] if value == ">" else None
            header[key] = "" if folded is not None else (_scalar(value) if value else None)
        elif key is not None and folded is not None:
            folded.append(content)
            header[key] = " ".join(folded) + "\n"
        elif key is not None and content.startswith("- "):
            item = content[2:].strip()
            name, colon, value = item.partition(": ")
            header[key] = (header[key] or []) + [{name.strip(): _scalar(value.strip())} if colon else _scalar(item)]
        else:
            raise OaikError(
                f"{path}: header line {number} ({content!r}) is neither 'key: value', a '- item' nor a folded line."
            )
    return header


def _scalar(value: str):
    """A YAML plain or quoted scalar: quotes removed, numbers as numbers."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    if _INTEGER.fullmatch(value):
        return int(value)
    return value


def _defaults(raw, path: Path) -> dict[str, str]:
    if raw is None:
        return {}
    items = raw if isinstance(raw, list) else [raw]
    defaults: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            raise OaikError(f"{path}: '#+ defaults:' must list '- name: value' entries.")
        defaults.update({str(k): str(v) for k, v in item.items()})
    return defaults


def _params(text: str, defaults: dict[str, str]) -> list[Param]:
    seen: dict[str, Param] = {}
    for token in tokenize(text):
        if token.kind != "var" or not token.text[1:].startswith("_"):
            continue
        variable = token.text[1:]
        if variable in seen:
            continue
        required = not variable.startswith("__")
        name, kind, language, datatype = _parse_variable(variable.lstrip("_"))
        seen[variable] = Param(name, variable, kind, required, language, datatype, defaults.get(name))
    return list(seen.values())


def _parse_variable(body: str) -> tuple[str, str, str | None, str | None]:
    parts = body.split("_")
    if len(parts) >= 2 and parts[-1] == "iri":
        return "_".join(parts[:-1]), "iri", None, None
    if len(parts) >= 2 and parts[-1] == "integer":
        return "_".join(parts[:-1]), "datatype", None, f"{_XSD}integer"
    if len(parts) >= 3 and parts[-2] in PREFIXES:
        return "_".join(parts[:-2]), "datatype", None, PREFIXES[parts[-2]] + parts[-1]
    if len(parts) >= 2 and _LANGUAGE.match(parts[-1]):
        return "_".join(parts[:-1]), "language", parts[-1], None
    return body, "literal", None, None


def to_term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a parameter value, checked against the parameter's type."""
    if param.kind == "iri":
        iri = expand_curie(value)
        try:
            return ox.NamedNode(iri)
        except ValueError as error:
            raise OaikError(
                f"parameter {param.name}: {value!r} is not a valid IRI ({error}). Give a full IRI or a CURIE such as organization:google."
            ) from None
    if param.kind == "language":
        return ox.Literal(value, language=param.language)
    if param.kind == "datatype":
        if param.datatype == f"{_XSD}integer" and not _INTEGER.fullmatch(value):
            raise OaikError(f"parameter {param.name}: {value!r} is not an integer.")
        return ox.Literal(value, datatype=ox.NamedNode(param.datatype or f"{_XSD}string"))
    return ox.Literal(value)


def expand_curie(value: str) -> str:
    """``organization:google`` -> the full IRI, for known prefixes; anything else unchanged."""
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def bind(query: CannedQuery, values: dict[str, str]) -> str:
    """The query text with its parameters bound (defaults filled in, unknown names refused)."""
    known = {param.name: param for param in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        listing = ", ".join(known) or "none"
        raise OaikError(f"query {query.name!r} has no parameter {', '.join(unknown)} (its parameters: {listing}).")
    bindings: dict[str, str] = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            if param.required:
                raise OaikError(
                    f"query {query.name!r} needs the parameter {param.name} ({param.type_label}): "
                    f"add --param {param.name}=VALUE. Run `oaik queries` to see every query's parameters."
                )
            continue
        bindings[param.variable] = str(to_term(param, value))
    return inject_values(query.text, bindings)


#: What the engine joins GROUP_CONCAT items with before :func:`order_concatenations` sorts them.
UNIT_SEPARATOR = "\x1f"


def concatenations(text: str) -> tuple[str, dict[str, str]]:
    """The query with every ``GROUP_CONCAT(…) AS ?v`` joining with U+001F, and {v: the query's separator}.

    A GROUP_CONCAT that is not bound directly with AS (inside a larger
    expression) is left alone.
    """
    tokens = tokenize(text)
    edits: list[tuple[int, int, str]] = []
    found: dict[str, str] = {}
    for index, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() != "GROUP_CONCAT":
            continue
        close, separator_token = _closing(tokens, index + 1)
        if close is None or close + 2 >= len(tokens):
            continue
        if tokens[close + 1].text.upper() != "AS" or tokens[close + 2].kind != "var":
            continue
        separator = " " if separator_token is None else _string_value(separator_token.text)
        found[tokens[close + 2].text[1:]] = separator
        if separator_token is None:
            edits.append((tokens[close].start, tokens[close].start, f'; separator="{UNIT_SEPARATOR}"'))
        else:
            end = separator_token.start + len(separator_token.text)
            edits.append((separator_token.start, end, f'"{UNIT_SEPARATOR}"'))
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text, found


def _closing(tokens: list, opening: int) -> tuple[int | None, Any]:
    """Index of the ``)`` closing the ``(`` at ``opening``, and the separator's string token if any."""
    if opening >= len(tokens) or tokens[opening].text != "(":
        return None, None
    depth, separator = 0, None
    for index in range(opening, len(tokens)):
        text = tokens[index].text
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth == 0:
                return index, separator
        elif (
            depth == 1
            and tokens[index].kind == "word"
            and text.upper() == "SEPARATOR"
            and index + 2 < len(tokens)
            and tokens[index + 2].kind == "string"
        ):
            separator = tokens[index + 2]
    return None, None


def _string_value(literal: str) -> str:
    """The value of a SPARQL string token (quotes removed, escapes resolved)."""
    quote = 3 if literal[:3] in ('"""', "'''") else 1
    body = literal[quote:-quote]
    escapes = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and body[index + 1] in escapes:
            out.append(escapes[body[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def order_concatenations(result: QueryResult, separators: dict[str, str]) -> QueryResult:
    """Sort the items of each GROUP_CONCAT cell (joined with U+001F) and join them with the query's separator.

    The cell becomes a simple literal: a language tag on a concatenation is
    an engine's choice (Oxigraph keeps a common tag, Jena drops it). An empty
    concatenation is left unbound, as Oxigraph and Jena do.
    """
    if result.json is None or not separators:
        return result
    rows = []
    for binding in result.bindings:
        row = dict(binding)
        for name, separator in separators.items():
            term = row.get(name)
            if term is not None and term.get("type") in ("literal", "typed-literal"):
                if term["value"]:
                    items = sorted(term["value"].split(UNIT_SEPARATOR), key=natural_key)
                    row[name] = {"type": "literal", "value": separator.join(items)}
                else:  # nothing to concatenate: engines answer "" (Virtuoso) or leave it unbound (Oxigraph, Jena)
                    del row[name]
        rows.append(row)
    return result.with_bindings(rows)


def natural_key(text: str) -> tuple:
    """Sort key that puts I2 before I10: digit runs compare as numbers, the rest by code point."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text) if part)


_DIGITS = re.compile(r"([0-9]+)")


def run(query: CannedQuery, values: dict[str, str], backend: Any) -> QueryResult:
    """Bind the parameters, run on ``backend`` (embedded or remote) and order the concatenations."""
    text, separators = concatenations(bind(query, values))
    return order_concatenations(backend.run(text), separators)


def unknown_iri_warnings(query: CannedQuery, values: dict[str, str], backend: Any) -> list[str]:
    """One warning per IRI parameter given that names nothing in the graph, with the closest IRIs that exist."""
    given = [param for param in query.params if param.kind == "iri" and param.name in values]
    if not given:
        return []
    import difflib

    from oaik.namespaces import compact

    warnings = []
    for param in given:
        iri = to_term(param, values[param.name]).value
        found = backend.run(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} UNION {{ ?s <{iri}> ?o }} }}")
        if found.json and found.json.get("boolean"):
            continue
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        namespace = iri[:cut] if cut > 0 else iri
        rows = backend.run(
            "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } "
            f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{_escape(namespace)}")) }}'
        ).bindings
        candidates = {row["x"]["value"][cut:]: row["x"]["value"] for row in rows if "x" in row}
        close = difflib.get_close_matches(iri[cut:], sorted(candidates), n=3, cutoff=0.6)
        hint = f" Closest: {', '.join(compact(candidates[c]) for c in close)}." if close else ""
        warnings.append(
            f"warning: --param {param.name}={values[param.name]} names nothing in the graph, so the query finds "
            f"nothing for it.{hint}"
        )
    return warnings


def _escape(text: str) -> str:
    """Text safe inside a SPARQL double-quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
