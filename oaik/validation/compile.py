"""Compile SHACL shapes to SPARQL queries that Oxigraph runs over the whole graph.

Each constraint of a targeted shape becomes one SELECT query returning the
focus node and value node of every violation, so validation is a fixed number
of linear scans instead of one nested evaluation per focus node. Supported:
targets (sh:targetClass with subclasses, sh:targetNode, sh:targetSubjectsOf,
sh:targetObjectsOf, SHACL-AF SPARQL targets), paths (predicate, inverse,
sequence, alternative, zero-or-more, one-or-more, zero-or-one) and the Core
components class, datatype, nodeKind, minCount, maxCount, min/maxInclusive,
min/maxExclusive, minLength, maxLength, pattern, languageIn, uniqueLang, in,
hasValue, node, not, and, or, plus SPARQL-based constraints (run once per
focus node with ``$this`` pre-bound, as the SHACL specification defines).

A shape using anything else (sh:xone, sh:closed, sh:equals, qualified value
shapes, ...) is listed in :attr:`Plan.unsupported`; the caller evaluates those
shapes with pySHACL, the reference engine. ``tests/test_shacl_engine.py``
checks that both engines report the same results.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pyoxigraph as ox

#: Any RDF term (pyoxigraph's stubs name no common base class of NamedNode, BlankNode, Literal, Triple).
Term: TypeAlias = Any


def solutions(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """Run a SELECT query (typed for the checker: ``Store.query`` may also return booleans or triples)."""
    result = store.query(query, **options)
    assert isinstance(result, ox.QuerySolutions), "a SELECT query gives solutions"
    return result


SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
VALUE_COMPONENTS = {
    "class",
    "datatype",
    "nodeKind",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "pattern",
    "languageIn",
    "in",
    "node",
    "not",
    "and",
    "or",
}
COUNT_COMPONENTS = {"minCount", "maxCount", "uniqueLang", "hasValue"}
#: Parameters that configure a component or a shape rather than constrain.
PASSIVE = {
    "path",
    "name",
    "description",
    "message",
    "severity",
    "deactivated",
    "order",
    "group",
    "defaultValue",
    "flags",
    "property",
    "sparql",
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "target",
    "declare",
    "prefixes",
}
#: Datatypes whose lexical space Oxigraph checks when casting (an ill-typed literal fails the cast).
CASTABLE = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "boolean",
        "date",
        "dateTime",
        "time",
        "gYear",
        "gYearMonth",
        "gMonth",
        "gDay",
        "gMonthDay",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    )
}
NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}


class Unsupported(Exception):
    """A shape uses a feature this compiler does not translate."""


class ShapesGraph:
    """Read access to the shapes graph (a pyoxigraph store)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        if isinstance(subject, ox.Literal):
            return []
        return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]

    def value(self, subject: Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def sh(self, subject: Term, name: str) -> list[Term]:
        return self.objects(subject, SH + name)

    def items(self, head: Term) -> list[Term]:
        out, seen = [], set()
        while head != ox.NamedNode(RDF + "nil") and head not in seen:
            seen.add(head)
            first = self.value(head, RDF + "first")
            if first is None:
                break
            out.append(first)
            head = self.value(head, RDF + "rest") or ox.NamedNode(RDF + "nil")
        return out

    def predicates(self, subject: Term) -> set[str]:
        return {q.predicate.value for q in self.store.quads_for_pattern(subject, None, None)}

    def is_deactivated(self, shape: Term) -> bool:
        flag = self.value(shape, SH + "deactivated")
        return isinstance(flag, ox.Literal) and flag.value == "true"

    def prefixes(self, holder: Term) -> dict[str, str]:
        """The PREFIX declarations of a SPARQL-bearing node (sh:prefixes, followed to sh:declare)."""
        found: dict[str, str] = {}
        for ontology in self.sh(holder, "prefixes"):
            for declaration in self.sh(ontology, "declare"):
                prefix, namespace = self.value(declaration, SH + "prefix"), self.value(declaration, SH + "namespace")
                if prefix is not None and namespace is not None:
                    found.setdefault(prefix.value, namespace.value)
        return found


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query giving ``?this`` (and ``?value``) for each violation."""

    shape: Term  # sh:sourceShape
    component: str  # e.g. "http://www.w3.org/ns/shacl#ClassConstraintComponent"
    severity: str  # "Violation", "Warning" or "Info"
    path: Term | None  # sh:path of a property shape
    messages: tuple[str, ...]
    body: str  # group graph pattern binding ?this and, if has_value, ?value
    has_value: bool
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SparqlCheck:
    """A SPARQL-based constraint: run per focus node with $this pre-bound."""

    shape: Term
    severity: str
    path: Term | None
    messages: tuple[str, ...]  # the constraint's sh:message, else the shape's
    select: str
    prefixes: dict[str, str]


@dataclass
class TopShape:
    """A shape evaluated on focus nodes: targeted, or a property shape of a targeted node shape."""

    shape: Term
    focus: str  # group graph pattern binding ?this to each focus node
    prefixes: dict[str, str]
    checks: list[Check | SparqlCheck]


@dataclass
class Plan:
    shapes: list[TopShape]
    unsupported: list[Term]  # targeted shapes left to pySHACL


class Compiler:
    def __init__(self, graph: ShapesGraph):
        self.g = graph
        self._fresh = itertools.count()

    # -- plan ------------------------------------------------------------

    def plan(self) -> Plan:
        shapes, unsupported = [], []
        for shape in self._targeted():
            focus, prefixes = self._focus(shape)
            members = [shape] + [p for p in self.g.sh(shape, "property") if not self.g.is_deactivated(p)]
            compiled: list[TopShape] = []
            try:
                for member in members:
                    checks = self._checks(member)
                    compiled.append(TopShape(member, focus, prefixes, checks))
            except Unsupported:
                unsupported.append(shape)
                continue
            shapes.extend(compiled)
        return Plan(shapes, unsupported)

    def _targeted(self) -> list[Term]:
        found: dict[Term, None] = {}
        for target in TARGETS:
            for quad in self.g.store.quads_for_pattern(None, ox.NamedNode(SH + target), None):
                found.setdefault(quad.subject)
        return sorted((s for s in found if not self.g.is_deactivated(s)), key=str)

    def _focus(self, shape: Term) -> tuple[str, dict[str, str]]:
        branches, prefixes = [], {}
        for target in self.g.sh(shape, "targetClass"):
            branches.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* {_term(target)} .")
        for target in self.g.sh(shape, "targetNode"):
            branches.append(f"VALUES ?this {{ {_term(target)} }}")
        for target in self.g.sh(shape, "targetSubjectsOf"):
            branches.append(f"?this {_term(target)} ?target_o .")
        for target in self.g.sh(shape, "targetObjectsOf"):
            branches.append(f"?target_s {_term(target)} ?this .")
        for target in self.g.sh(shape, "target"):
            select = self.g.value(target, SH + "select")
            if select is None:
                raise Unsupported(f"{shape}: a sh:target without sh:select")
            prefixes.update(self.g.prefixes(target))
            branches.append("{ " + _with_slot(select.value.replace("$this", "?this")) + " }")
        union = " UNION ".join("{ " + b + " }" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {RESTRICTION_SLOT}{union} }} }}", prefixes

    # -- constraints -------------------------------------------------------

    def _checks(self, shape: Term) -> list[Check | SparqlCheck]:
        """The compiled constraints of ``shape`` itself (its sh:property shapes are compiled apart)."""
        g = self.g
        path = g.value(shape, SH + "path")
        severity = (g.value(shape, SH + "severity") or ox.NamedNode(SH + "Violation")).value.removeprefix(SH)
        messages = tuple(sorted(m.value for m in g.sh(shape, "message")))
        checks: list[Check | SparqlCheck] = []
        for name in sorted(p.removeprefix(SH) for p in g.predicates(shape) if p.startswith(SH)):
            if name in PASSIVE:
                continue
            if name not in VALUE_COMPONENTS | COUNT_COMPONENTS | {"ignoredProperties"}:
                raise Unsupported(f"{shape}: sh:{name}")
            if name == "ignoredProperties":
                continue
            for parameter in g.sh(shape, name):
                component = SH + _component(name)
                body, has_value = self._top_body(shape, path, name, parameter)
                checks.append(Check(shape, component, severity, path, messages, body, has_value))
        for constraint in g.sh(shape, "sparql"):
            if g.is_deactivated(constraint):
                continue
            select = g.value(constraint, SH + "select")
            if select is None:
                raise Unsupported(f"{shape}: a SPARQL constraint without sh:select")
            own_messages = tuple(sorted(m.value for m in g.sh(constraint, "message")))
            checks.append(
                SparqlCheck(shape, severity, path, own_messages or messages, select.value, g.prefixes(constraint))
            )
        return checks

    def _top_body(self, shape, path, name: str, parameter: Term) -> tuple[str, bool]:
        """The pattern (after the focus pattern) of one constraint of a top-level shape."""
        if name in ("minCount", "maxCount") and path is not None:
            limit = int(parameter.value)
            if name == "minCount":
                return (
                    f"OPTIONAL {{ ?this {self.path(path)} ?count_v }} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?count_v) < {limit})",
                    False,
                )
            return (
                f"?this {self.path(path)} ?count_v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?count_v) > {limit})",
                False,
            )
        if name == "uniqueLang" and path is not None:
            if parameter.value != "true":
                return "FILTER (false)", False
            return (
                f"?this {self.path(path)} ?lang_v . BIND (LANG(?lang_v) AS ?lang) FILTER (?lang != '') }} "
                "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?lang_v) > 1)",
                False,
            )
        return self.body(shape, path, name, parameter, "?this", "?value")

    def body(self, shape, path, name: str, parameter: Term, focus: str, value: str) -> tuple[str, bool]:
        """A pattern matching when the constraint fails for ``focus`` (bound outside); binds ``value``."""
        if name == "hasValue":
            if path is None:
                return f"BIND ({focus} AS {value}) FILTER (!sameTerm({focus}, {_term(parameter)}))", True
            return f"FILTER NOT EXISTS {{ {focus} {self.path(path)} {_term(parameter)} }}", False
        if name == "minCount":
            limit = int(parameter.value)
            if path is None or limit > 1:
                raise Unsupported(f"{shape}: nested sh:minCount {limit}")
            return ("FILTER (false)" if limit == 0 else f"FILTER NOT EXISTS {{ {focus} {self.path(path)} [] }}"), False
        if name == "maxCount":
            limit = int(parameter.value)
            if path is None or limit > 1:
                raise Unsupported(f"{shape}: nested sh:maxCount {limit}")
            a, b = self.var(), self.var()
            p = self.path(path)
            if limit == 0:
                return f"{focus} {p} {a} .", False
            return f"{focus} {p} {a} . {focus} {p} {b} . FILTER (!sameTerm({a}, {b}))", False
        if name == "uniqueLang":
            if parameter.value != "true" or path is None:
                return "FILTER (false)", False
            a, b = self.var(), self.var()
            p = self.path(path)
            return (
                f"{focus} {p} {a} . {focus} {p} {b} . "
                f"FILTER (!sameTerm({a}, {b}) && LANG({a}) != '' && LANG({a}) = LANG({b}))",
                False,
            )
        values = f"{focus} {self.path(path)} {value} ." if path is not None else f"BIND ({focus} AS {value})"
        return f"{values} FILTER (!({self.holds(shape, name, parameter, value)}))", True

    def holds(self, shape, name: str, parameter: Term, v: str) -> str:
        """A SPARQL expression, true when the value node ``v`` satisfies the constraint."""
        if name == "class":
            return f"EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* {_term(parameter)} }}"
        if name == "datatype":
            return well_typed(v, parameter.value)
        if name == "nodeKind":
            kind = parameter.value.removeprefix(SH)
            if kind not in NODE_KINDS:
                raise Unsupported(f"{shape}: sh:nodeKind {kind}")
            return NODE_KINDS[kind].format(v=v)
        if name in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            operator = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}[name]
            return f"COALESCE({v} {operator} {_term(parameter)}, false)"
        if name in ("minLength", "maxLength"):
            operator = ">=" if name == "minLength" else "<="
            return f"(!isBlank({v}) && COALESCE(STRLEN(STR({v})) {operator} {int(parameter.value)}, false))"
        if name == "pattern":
            flags = self.g.value(shape, SH + "flags")
            extra = f", {_term(ox.Literal(flags.value))}" if flags is not None else ""
            return f"(!isBlank({v}) && COALESCE(REGEX(STR({v}), {_term(ox.Literal(parameter.value))}{extra}), false))"
        if name == "languageIn":
            tags = self.g.items(parameter)
            tests = " || ".join(f"LANGMATCHES(LANG({v}), {_term(ox.Literal(t.value))})" for t in tags)
            return f"COALESCE({tests or 'false'}, false)"
        if name == "in":
            members = self.g.items(parameter)
            return "(" + (" || ".join(f"sameTerm({v}, {_term(m)})" for m in members) or "false") + ")"
        if name == "node":
            return self.conforms(parameter, v)
        if name == "not":
            return f"!({self.conforms(parameter, v)})"
        if name == "and":
            return "(" + " && ".join(self.conforms(s, v) for s in self.g.items(parameter)) + ")"
        if name == "or":
            return "(" + (" || ".join(self.conforms(s, v) for s in self.g.items(parameter)) or "false") + ")"
        raise Unsupported(f"{shape}: sh:{name}")

    def conforms(self, shape: Term, focus: str, depth: int = 0) -> str:
        """A SPARQL expression, true when ``focus`` conforms to ``shape`` (all its constraints)."""
        if depth > 8:
            raise Unsupported(f"{shape}: shapes nested too deeply (recursive?)")
        if self.g.is_deactivated(shape):
            return "true"
        tests = []
        members = [shape] + [p for p in self.g.sh(shape, "property") if not self.g.is_deactivated(p)]
        for member in members:
            path = self.g.value(member, SH + "path")
            if self.g.sh(member, "sparql"):
                raise Unsupported(f"{member}: a SPARQL constraint in a nested shape")
            for name in sorted(p.removeprefix(SH) for p in self.g.predicates(member) if p.startswith(SH)):
                if name in PASSIVE or name == "ignoredProperties":
                    continue
                if name not in VALUE_COMPONENTS | COUNT_COMPONENTS:
                    raise Unsupported(f"{member}: sh:{name}")
                for parameter in self.g.sh(member, name):
                    body, _ = self.body(member, path, name, parameter, focus, self.var())
                    tests.append(f"NOT EXISTS {{ {body} }}")
        return "(" + (" && ".join(tests) or "true") + ")"

    def path(self, path: Term) -> str:
        if isinstance(path, ox.NamedNode):
            return _term(path)
        g = self.g
        for name, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = g.value(path, SH + name)
            if inner is not None:
                return f"({self.path(inner)}){suffix}"
        inverse = g.value(path, SH + "inversePath")
        if inverse is not None:
            return f"^({self.path(inverse)})"
        alternatives = g.value(path, SH + "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in g.items(alternatives)) + ")"
        steps = g.items(path)
        if steps:
            return "(" + "/".join(self.path(p) for p in steps) + ")"
        raise Unsupported(f"path {path}")

    def var(self) -> str:
        return f"?v{next(self._fresh)}"


def well_typed(v: str, datatype: str) -> str:
    """True when ``v`` is a literal of ``datatype`` whose lexical form is in the datatype's lexical space."""
    test = f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{datatype}>)"
    if datatype in CASTABLE:
        test += f" && isLiteral(<{datatype}>({v}))"
    return f"COALESCE({test}, false)"


def _component(name: str) -> str:
    return name[0].upper() + name[1:] + "ConstraintComponent"


def _term(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        raise Unsupported("a blank node as a constraint parameter")
    return str(term)


def prefix_block(*declarations: dict[str, str]) -> str:
    merged: dict[str, str] = {}
    for declared in declarations:
        for prefix, namespace in declared.items():
            merged.setdefault(prefix, namespace)
    return "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(merged.items()))


#: Where a restriction of the focus nodes goes: inside the focus sub-query, so
#: that Oxigraph starts from it (a VALUES outside a sub-query is joined only
#: after the sub-query has been evaluated in full).
RESTRICTION_SLOT = "#restriction\n"


def focus_pattern(top: TopShape, restriction: str = "") -> str:
    """The group binding ``?this`` to the focus nodes of ``top``, narrowed by ``restriction`` (e.g. a VALUES block).

    The restriction is joined inside the focus sub-query and again before it:
    Oxigraph treats a sub-query as opaque and, without the outer copy, joins
    it with the constraint's patterns by scanning them whole (40 ms against
    0.2 ms a query for 30 focus nodes at 400K triples).
    """
    if not restriction:
        return top.focus.replace(RESTRICTION_SLOT, "")
    return f"{restriction} {top.focus.replace(RESTRICTION_SLOT, restriction + ' ')}"


def _with_slot(select: str) -> str:
    """A target's SELECT with the restriction slot at the start of its WHERE group.

    Joining the focus nodes there gives the same ``?this`` as joining them
    with the whole sub-query, but lets Oxigraph start from them.
    """
    import re

    return re.sub(r"(?i)\bWHERE\s*\{|\{", lambda match: match.group(0) + " " + RESTRICTION_SLOT, select, count=1)


def check_query(top: TopShape, check: Check, restriction: str = "") -> str:
    """The SELECT of a compiled core constraint; ``restriction`` narrows the focus nodes."""
    head = prefix_block(top.prefixes)
    value = " ?value" if check.has_value else ""
    body = check.body
    if "GROUP BY" in body:  # an aggregate: the body closes the WHERE group itself
        return f"{head}SELECT ?this WHERE {{ {focus_pattern(top, restriction)} {body}"
    return f"{head}SELECT DISTINCT ?this{value} WHERE {{ {focus_pattern(top, restriction)} {body} }}"


def focus_query(top: TopShape, restriction: str = "") -> str:
    return f"{prefix_block(top.prefixes)}SELECT DISTINCT ?this WHERE {{ {focus_pattern(top, restriction)} }}"


def iter_checks(plan: Plan) -> Iterator[tuple[TopShape, Check | SparqlCheck]]:
    for top in plan.shapes:
        for check in top.checks:
            yield top, check


def shapes_store(paths: Iterable) -> ox.Store:
    from oaik.store.graph import parse_files

    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for f in parse_files(paths) for t in f.triples)
    return store
