"""Run the SHACL shapes of ``shapes/`` over the merged graph.

The shapes are standard SHACL (Core, SHACL-SPARQL constraints and SHACL-AF
SPARQL targets) and are used exactly as written: no rewriting. Constraints are
compiled to SPARQL (:mod:`oaik.validation.compile`) and run in Oxigraph over
the store; a shape the compiler cannot translate is evaluated by pySHACL, the
reference engine, on an rdflib copy of the data built only in that case.
``tests/test_shacl_engine.py`` checks that the results are those of plain
pySHACL on the raw shapes.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oaik.validation.compile import (
    SH,
    Check,
    Compiler,
    Plan,
    ShapesGraph,
    SparqlCheck,
    Term,
    TopShape,
    check_query,
    focus_pattern,
    prefix_block,
    solutions,
)

if TYPE_CHECKING:
    import rdflib

_TEMPLATE = re.compile(r"\{[?$]([A-Za-z_][\w]*)\}")
_THIS = re.compile(r"[?$]this\b")
_SELECT_WORD = re.compile(r"\bSELECT\b", re.I)
#: Up to this many focus nodes, a SPARQL constraint runs once per node.
FEW = 64
#: Focus nodes beyond one per this many quads of the store are validated as every node is, then picked out:
#: marking them and narrowing each check costs more (16 s against 3 s for the 120K nodes of data/).
MANY_FOCUS = 100
_SELECT = re.compile(
    r"\s*SELECT\s+(?P<modifier>(?:DISTINCT|REDUCED)\s+)?(?P<projection>[?$\w\s]+?)\s*(?:WHERE\s*)?\{", re.I
)


@dataclass(frozen=True)
class RawResult:
    """One sh:ValidationResult, with terms as pyoxigraph terms and the path as text."""

    focus: Term
    path: str | None  # a property IRI, or a path written as text (``a|b``, ``^p``, ``a/b``)
    value: Term | None
    severity: str  # "Violation", "Warning" or "Info"
    shape: Term  # sh:sourceShape
    component: str  # sh:sourceConstraintComponent (IRI)
    messages: tuple[str, ...]


@contextmanager
def quiet_rdflib():
    """Silence rdflib's logged tracebacks for ill-typed literals (pySHACL fallback only)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=1)
def shapes() -> ShapesGraph:
    """The shapes of ``shapes/*.ttl``, as written."""
    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.graph import parse_files

    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object) for f in parse_files(turtle_files(shapes_dir())) for t in f.triples
    )
    return ShapesGraph(store)


_COMPILING = threading.Lock()


def plan() -> Plan:
    """The compiled shapes, made once per process (also when validations run in several threads at once:
    a second parse of the shapes would give their blank nodes other ids)."""
    with _COMPILING:
        return _plan()


@lru_cache(maxsize=1)
def _plan() -> Plan:
    return Compiler(shapes()).plan()


def _node(shape: str) -> ox.NamedNode:
    from oaik.namespaces import SHAPES

    return ox.NamedNode(SHAPES + shape.removeprefix("oaiksh:") if shape.startswith("oaiksh:") else shape)


def shape_info(shape: str) -> tuple[str, str, str] | None:
    """(sh:name, sh:message, severity) of a shape (IRI or ``oaiksh:Name``)."""
    graph, node = shapes(), _node(shape)
    message = graph.value(node, SH + "message")
    if message is None:
        return None
    name = graph.value(node, SH + "name")
    severity = graph.value(node, SH + "severity")
    return (
        (name.value if name else ""),
        message.value,
        (severity.value if severity else SH + "Violation").removeprefix(SH),
    )


def shape_messages(shape: Term) -> set[str]:
    return {m.value for m in shapes().objects(shape, SH + "message")}


def path_text(path: Term | None) -> str | None:
    """A SHACL path as text: a property IRI, or ``a|b``, ``^p``, ``a/b``, ``p*`` with compact names."""
    from oaik.namespaces import compact

    if path is None:
        return None
    if isinstance(path, ox.NamedNode):
        return path.value
    graph = shapes()

    def text(node: Term) -> str:
        if isinstance(node, ox.NamedNode):
            return compact(node.value)
        for name, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = graph.value(node, SH + name)
            if inner is not None:
                return text(inner) + suffix
        inverse = graph.value(node, SH + "inversePath")
        if inverse is not None:
            return "^" + text(inverse)
        alternatives = graph.value(node, SH + "alternativePath")
        if alternatives is not None:
            return "|".join(text(n) for n in graph.items(alternatives))
        return "/".join(text(n) for n in graph.items(node)) or "[path]"

    return text(path)


# -- running ----------------------------------------------------------------------


def run(
    store: ox.Store, focus: set[str] | None = None, data_graph=None, only: set[Term] | None = None
) -> list[RawResult]:
    """Every SHACL result on the data in ``store`` (only for focus nodes in ``focus`` if given,
    and only of the shapes ``only`` if given).

    ``data_graph`` is a function giving the data as an rdflib graph; it is called
    only if some shape needs pySHACL. With ``focus``, the store must be writable:
    the focus nodes are marked for the queries in a named graph of their own,
    removed afterwards (queries read the default graph, so the mark is unseen).
    """
    from concurrent.futures import ThreadPoolExecutor

    if focus is not None and many_nodes(len(focus), store):
        wanted = focus  # so many focus nodes that marking them costs more than validating every node
        return [r for r in run(store, None, data_graph, only) if r.focus.value in wanted]
    compiled = plan()
    restriction = _mark_focus(store, focus)

    def evaluate(job: tuple[TopShape, str, Check | SparqlCheck]) -> list[RawResult]:
        top, narrowed, check = job
        if isinstance(check, Check):
            return list(_core_results(check, store.query(check_query(top, check, narrowed)), focus))
        return list(_sparql_results(store, top, check, narrowed, focus))

    chosen = [
        TopShape(top.shape, top.focus, top.prefixes, [c for c in top.checks if only is None or c.shape in only])
        for top in compiled.shapes
    ]
    results: list[RawResult] = []
    marks: list[ox.NamedNode] = []
    try:
        tops = _with_focus(store, [top for top in chosen if top.checks], restriction, marks)
        jobs = [(top, narrowed, check) for top, narrowed in tops for check in top.checks]
        # Shapes with SPARQL targets (whole-graph queries, the slowest) start first; results keep plan order.
        slow_first = sorted(range(len(jobs)), key=lambda i: (not _sparql_target(jobs[i][0]), i))
        with ThreadPoolExecutor(max_workers=_workers()) as pool:  # Oxigraph releases the GIL while it evaluates
            found = dict(zip(slow_first, pool.map(evaluate, [jobs[i] for i in slow_first]), strict=True))
        for index in range(len(jobs)):
            results.extend(found[index])
    finally:
        for graph in marks if focus is None else [_FOCUS_GRAPH, *marks]:
            store.remove_graph(graph)
    unsupported = [s for s in compiled.unsupported if only is None or s in only]
    if unsupported:
        if data_graph is None:
            raise ValueError("some shapes need pySHACL: pass data_graph")
        results.extend(
            r
            for r in run_pyshacl(data_graph(), store, unsupported)
            if (focus is None or r.focus.value in focus) and (only is None or r.shape in only)
        )
    return results


def many_nodes(count: int, store: ox.Store) -> bool:
    """Whether ``count`` nodes are more than one per :data:`MANY_FOCUS` quads of the store (counting the
    quads takes 50 ms on disk: only past a thousand nodes, so that a small edit never waits for it)."""
    return count > 1_000 and count * MANY_FOCUS > len(store)


_FOCUS_GRAPH = ox.NamedNode("urn:oaik:validation:focus")


#: The start of the names of the graphs where :func:`_with_focus` marks each target's focus nodes.
_MARKS = "urn:oaik:validation:focus:"


def _with_focus(
    store: ox.Store, tops: list[TopShape], restriction: str, marks: list[ox.NamedNode]
) -> list[tuple[TopShape, str]]:
    """The shapes with a focus node among those marked (all of them when nothing is marked), each with the
    restriction its checks join (none for a shape whose own focus nodes are marked: they are narrowed already).

    Most of a restricted run's shapes target classes the marked nodes do not
    have. One query per thread asks it of every shape whose targets are plain
    (no SPARQL target, no prefixes): one UNION branch for each distinct target,
    instead of one query for each check. The answers also say which marked
    nodes are each target's focus nodes: they are marked again, in a graph
    for that target (named in ``marks``, for the caller to remove), which
    its shapes' checks then start from. Otherwise each check would test its
    target (a class and its subclasses, say) on every marked node again.
    """
    plain = {top.focus: top for top in tops if not _sparql_target(top)} if restriction else {}
    if not plain:
        return [(top, restriction) for top in tops]
    from concurrent.futures import ThreadPoolExecutor

    order = sorted(plain)

    def focus_nodes(indexes: range) -> list[tuple[str, Term]]:
        branches = " UNION ".join(
            f"{{ {focus_pattern(plain[order[index]], restriction)} BIND ({index} AS ?shape) }}" for index in indexes
        )
        query = f"SELECT DISTINCT ?shape ?this WHERE {{ {branches} }}"
        return [(order[int(row[0].value)], row[1]) for row in solutions(store, query)]

    workers = _workers()
    targeted: dict[str, list[Term]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:  # Oxigraph releases the GIL while it evaluates
        for found in pool.map(focus_nodes, [range(i, len(order), workers) for i in range(min(workers, len(order)))]):
            for focus, node in found:
                targeted.setdefault(focus, []).append(node)
    patterns = {}
    for focus, nodes in targeted.items():
        graph = ox.NamedNode(f"{_MARKS}{len(marks)}")
        marks.append(graph)
        store.extend(ox.Quad(node, graph, graph, graph) for node in nodes)
        patterns[focus] = _marked(graph)
    return [
        (TopShape(top.shape, patterns[top.focus], top.prefixes, top.checks), "")
        if top.focus in patterns
        else (top, restriction)
        for top in tops
        if top.focus in targeted or top.focus not in plain
    ]


def _sparql_target(top: TopShape) -> bool:
    """Whether the shape's targets include a SPARQL target (its own SELECT inside the focus sub-query)."""
    return bool(top.prefixes) or len(_SELECT_WORD.findall(top.focus)) > 1


def _workers() -> int:
    """Threads running checks at once: the processors this process may use (at most 8)."""
    import os

    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, min(8, len(usable)))


def _mark_focus(store: ox.Store, focus: set[str] | None) -> str:
    """Mark ``focus`` in the store; the group that narrows a query's ``?this`` to the marked nodes.

    Blank nodes cannot be written in a query, but they can be stored: each
    focus node, named or blank, gets one triple in :data:`_FOCUS_GRAPH`, and
    Oxigraph starts each query from that graph's index, so a query touches
    only the focus nodes' neighbourhood.
    """
    if focus is None:
        return ""
    store.remove_graph(_FOCUS_GRAPH)
    store.extend(
        ox.Quad(ox.NamedNode(node) if ":" in node else ox.BlankNode(node), _FOCUS_GRAPH, _FOCUS_GRAPH, _FOCUS_GRAPH)
        for node in focus  # blank node ids have no ":"
    )
    return _marked(_FOCUS_GRAPH)


def _marked(graph: ox.NamedNode) -> str:
    """The group binding ``?this`` to the nodes marked in ``graph`` (each by the quad ``node graph graph graph``).

    Written with all three constants, so that Oxigraph starts from it rather
    than from a target's pattern with two (``?this oaik:claimStatus
    <…inferred>`` read every such claim: 20 ms against 1 ms for 65 nodes).
    """
    return f"GRAPH {graph} {{ ?this {graph} {graph} }}"


def _core_results(check: Check, rows, focus: set[str] | None) -> Iterable[RawResult]:
    path = path_text(check.path)
    messages = check.messages or (f"{check.component.removeprefix(SH)} failed",)
    for row in rows:
        this = row["this"]
        if focus is not None and this.value not in focus:
            continue
        yield RawResult(
            focus=this,
            path=path,
            value=row["value"] if check.has_value else None,
            severity=check.severity,
            shape=check.shape,
            component=check.component,
            messages=messages,
        )


def _sparql_results(
    store: ox.Store, top: TopShape, check: SparqlCheck, restriction: str, focus: set[str] | None
) -> Iterable[RawResult]:
    """Run a SPARQL constraint with ``$this`` pre-bound to each focus node.

    When ``$this`` occurs only in the top-level group of the query (triple
    patterns, FILTER, BIND, EXISTS, OPTIONAL) and the query has no solution
    modifiers, joining that group with the focus nodes is the same as
    pre-binding, and for many focus nodes one such query serves them all.
    Otherwise, and for a few focus nodes (a rule whose SPARQL target selects
    only the nodes that break it; its query may pair nodes, which is cheap
    only once ``$this`` is bound), the query runs once per focus node with
    Oxigraph's substitutions.
    """
    text = _THIS.sub("?this", check.select)
    if check.path is not None:
        from oaik.validation.compile import Compiler

        text = text.replace("$PATH", Compiler(shapes()).path(check.path))
    prefixes = prefix_block(check.prefixes, top.prefixes)
    nodes = [
        r["this"]
        for r in solutions(store, f"{prefixes}SELECT DISTINCT ?this WHERE {{ {focus_pattern(top, restriction)} }}")
    ]
    if focus is not None:
        nodes = [node for node in nodes if node.value in focus]
    flat = _flat_select(text) if len(nodes) > FEW else None
    if flat is not None:
        head, body = flat
        answers = [solutions(store, f"{prefixes}{head} WHERE {{ {focus_pattern(top, restriction)} {body} }}")]
    else:
        this_var = ox.Variable("this")
        answers = [solutions(store, prefixes + text, substitutions={this_var: node}) for node in nodes]
    shape_path = path_text(check.path)
    for answer in answers:
        names = [v.value for v in answer.variables]
        for row in answer:
            bound = {name: row[name] for name in names if row[name] is not None}
            node = bound["this"]
            if focus is not None and node.value not in focus:
                continue
            path = bound.get("path")
            yield RawResult(
                focus=node,
                path=path.value if isinstance(path, ox.NamedNode) else shape_path,
                value=bound.get("value", node if check.path is None else None),
                severity=check.severity,
                shape=check.shape,
                component=SH + "SPARQLConstraintComponent",
                messages=tuple(_fill(m, bound) for m in check.messages),
            )


def _flat_select(text: str) -> tuple[str, str] | None:
    """(``SELECT ... ``, the WHERE group's content) if ``?this`` is only used at its top level, else None."""
    found = _SELECT.match(text)
    if found is None or "?this" not in found.group("projection").split():
        return None
    depth, start, end, nested = 1, found.end(), None, []
    position, quote = start, None
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif text.startswith(quote, position):
                position += len(quote) - 1
                quote = None
        elif char in "\"'":
            quote = text[position : position + 3] if text.startswith(char * 3, position) else char
            position += len(quote) - 1
        elif char == "{":
            if depth == 1:
                nested.append(position)
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                end = position
                break
        position += 1
    if end is None or text[end + 1 :].strip():
        return None  # unbalanced, or solution modifiers (GROUP BY, ORDER BY, LIMIT ...)
    for brace in nested:  # a nested group is allowed only as the pattern of [NOT] EXISTS or OPTIONAL
        if not re.search(r"\b(EXISTS|OPTIONAL)\s*$", text[:brace], re.I):
            return None
    head = f"SELECT {found.group('modifier') or ''}{found.group('projection')}"
    return head, text[start:end]


def _fill(message: str, bound: dict[str, Term]) -> str:
    return _TEMPLATE.sub(lambda m: bound[m.group(1)].value if m.group(1) in bound else m.group(0), message)


# -- pySHACL, for shapes the compiler does not translate ----------------------------------


def run_pyshacl(graph: rdflib.Graph, store: ox.Store, only: list[Term]) -> list[RawResult]:
    """Validate with pySHACL, the shapes as written but only those in ``only`` targeted."""
    import pyshacl
    from pyshacl.graph_abstraction import to_ox
    from rdflib import Graph

    from oaik.store.graph import rdflib_converter

    to_rdflib = rdflib_converter()
    shapes_graph = Graph()
    for quad in shapes().store:
        shapes_graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    keep = set(only)
    for target in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        for quad in shapes().store.quads_for_pattern(None, ox.NamedNode(SH + target), None):
            if quad.subject not in keep:
                shapes_graph.remove((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    with quiet_rdflib():
        _conforms, report, _ = pyshacl.validate(
            _data_graph(graph, store),
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            inplace=True,
            allow_infos=True,
            allow_warnings=True,
        )
    if not hasattr(report, "subjects"):  # a pyshacl.errors.ValidationFailure
        from oaik.errors import OaikError

        raise OaikError(f"the SHACL shapes could not be run: {report}. This is a bug in shapes/; please report it.")
    return [
        RawResult(
            focus=to_ox(r["focus"]),
            path=r["path"],
            value=to_ox(r["value"]) if r["value"] is not None else None,
            severity=r["severity"],
            shape=to_ox(r["shape"]),
            component=str(r["component"]),
            messages=r["messages"],
        )
        for r in report_rows(report)
    ]


def report_rows(report) -> list[dict]:
    """The results of a pySHACL report graph as dicts (path as text, see :func:`path_text`)."""
    from rdflib import URIRef

    sh = {p: URIRef(SH + p) for p in ("focusNode", "resultPath", "value", "resultSeverity", "sourceShape")}
    rows = []
    for node in report.objects(None, URIRef(SH + "result")):  # not the nested sh:detail results
        path = report.value(node, sh["resultPath"])
        rows.append(
            {
                "focus": report.value(node, sh["focusNode"]),
                "path": _rdflib_path(report, path),
                "value": report.value(node, sh["value"]),
                "severity": str(report.value(node, sh["resultSeverity"])).removeprefix(SH),
                "shape": report.value(node, sh["sourceShape"]),
                "component": report.value(node, URIRef(SH + "sourceConstraintComponent")),
                "messages": tuple(sorted(str(m) for m in report.objects(node, URIRef(SH + "resultMessage")))),
            }
        )
    return rows


def _rdflib_path(graph, path) -> str | None:
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    from oaik.namespaces import compact

    if path is None:
        return None
    if not isinstance(path, BNode):
        return str(path)

    def text(node) -> str:
        if isinstance(node, URIRef):
            return compact(str(node))
        for name, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            inner = graph.value(node, URIRef(SH + name))
            if inner is not None:
                return text(inner) + suffix
        inverse = graph.value(node, URIRef(SH + "inversePath"))
        if inverse is not None:
            return "^" + text(inverse)
        alternatives = graph.value(node, URIRef(SH + "alternativePath"))
        if alternatives is not None:
            return "|".join(text(n) for n in Collection(graph, alternatives))
        return "/".join(text(n) for n in Collection(graph, node)) or "[path]"

    return text(path)


def _data_graph(graph: rdflib.Graph, store: ox.Store):
    """pySHACL's view of the data: core constraints read the rdflib graph, SPARQL runs in Oxigraph."""
    from pyshacl.graph_abstraction import RdfLibDataGraph, to_ox, to_rdf
    from rdflib import Variable
    from rdflib.query import Result

    class DataGraph(RdfLibDataGraph):
        def __bool__(self) -> bool:  # pySHACL tests ``datagraph or shapes`` for every result
            return True

        def query(
            self,
            query_object,
            processor="sparql",
            result="sparql",
            initNs=None,
            initBindings=None,
            use_store_provided=True,
            **kwargs,
        ):
            substitutions = {ox.Variable(str(k)): to_ox(v) for k, v in (initBindings or {}).items()} or None
            prefixes = {str(k): str(v) for k, v in (initNs or {}).items()} or None
            answer = store.query(str(query_object), prefixes=prefixes, substitutions=substitutions)
            if isinstance(answer, ox.QueryBoolean):
                out = Result("ASK")
                out.askAnswer = bool(answer)
                return out
            out = Result("SELECT")
            out.vars = [Variable(v.value) for v in answer.variables]
            out.bindings = [
                {v: to_rdf(t) for v, t in zip(out.vars, row, strict=False) if t is not None} for row in answer
            ]
            return out

    return DataGraph(graph.store, graph)
