"""Run the SHACL shapes of ``shapes/`` over the merged graph with pySHACL.

The shapes files are standard SHACL (plus SHACL-AF SPARQL targets); any
engine gives the same results. To make pySHACL fast enough for every pull
request, :func:`shapes_graph` and :func:`prepare_shapes` rewrite the shapes
graph in ways that do not change which results are found (tests check this):

* **flattening** -- a property shape listed by a targeted node shape
  (``sh:property``) gets the node shape's targets and is validated once over
  all its focus nodes, instead of once per focus node;
* **scheme lists** -- ``sh:node oaiksh:In<X>Scheme`` (the value is a concept of
  scheme X) becomes ``sh:in (<the concepts of X in the data graph>)``, which
  needs no nested validation per value;
* **focus** (optional) -- when only some nodes matter (a contribution), each
  targeted shape gets ``sh:targetNode`` for just those of its focus nodes.

pySHACL reads the data from an rdflib graph (exact literals for sh:datatype)
but runs every SPARQL query in Oxigraph over the same triples (see
:func:`_data_graph`). pyshacl and rdflib are imported inside the functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    import rdflib

SH = "http://www.w3.org/ns/shacl#"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


@dataclass(frozen=True)
class RawResult:
    """One sh:ValidationResult, with terms as rdflib nodes."""

    focus: object
    path: object
    value: object
    severity: str  # "Violation", "Warning" or "Info"
    shape: object  # sh:sourceShape
    component: object  # sh:sourceConstraintComponent
    messages: tuple[str, ...]


@contextmanager
def quiet_rdflib():
    """Silence rdflib's logged tracebacks for ill-typed literals ("-5"^^xsd:nonNegativeInteger).

    Such literals are bad input that SHACL reports as a datatype violation; the
    log record (with a Python traceback) would only confuse a contributor.
    """
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The shapes of ``shapes/*.ttl`` as one rdflib graph, flattened (see module docstring)."""
    from rdflib import RDF, URIRef

    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.graph import parse_files, to_rdflib

    graph = to_rdflib(parse_files(turtle_files(shapes_dir())))
    sh_property = URIRef(SH + "property")
    targets = [URIRef(SH + t) for t in TARGETS]
    for node_shape in set(graph.subjects(RDF.type, URIRef(SH + "NodeShape"))):
        if graph.value(node_shape, URIRef(SH + "deactivated")) is not None:
            continue
        declared = [(p, o) for p in targets for o in graph.objects(node_shape, p)]
        if not declared:
            continue
        for property_shape in list(graph.objects(node_shape, sh_property)):
            for predicate, obj in declared:
                graph.add((property_shape, predicate, obj))
            graph.remove((node_shape, sh_property, property_shape))
    return graph


def shape_info(shape: str) -> tuple[str, str, str] | None:
    """(sh:name, sh:message, severity) of a shape (IRI or ``oaiksh:Name``), for the checks run in Python."""
    from rdflib import URIRef

    from oaik.namespaces import SHAPES

    graph = shapes_graph()
    node = URIRef(SHAPES + shape.removeprefix("oaiksh:") if shape.startswith("oaiksh:") else shape)
    name, message, severity = (graph.value(node, URIRef(SH + p)) for p in ("name", "message", "severity"))
    if message is None:
        return None
    return str(name or ""), str(message), str(severity or SH + "Violation").removeprefix(SH)


def shape_messages(shape) -> set[str]:
    from rdflib import URIRef

    return {str(m) for m in shapes_graph().objects(shape, URIRef(SH + "message"))}


def prepare_shapes(store: ox.Store, focus: set[str] | None = None) -> rdflib.Graph:
    """A copy of :func:`shapes_graph` with scheme lists and, if ``focus`` is given, focus targets."""
    from rdflib import BNode, Graph, URIRef
    from rdflib.collection import Collection

    from oaik.store.graph import rdflib_converter

    base = shapes_graph()
    graph = Graph()
    for triple in base:
        graph.add(triple)
    convert = rdflib_converter()
    sh_node, sh_in, sh_property, sh_has_value = (URIRef(SH + p) for p in ("node", "in", "property", "hasValue"))
    for shape, member_shape in list(graph.subject_objects(sh_node)):
        scheme = next(
            (
                graph.value(p, sh_has_value)
                for p in graph.objects(member_shape, sh_property)
                if str(graph.value(p, URIRef(SH + "path"))) == SKOS_IN_SCHEME
            ),
            None,
        )
        if scheme is None:
            continue
        query = f"SELECT DISTINCT ?c WHERE {{ ?c <{SKOS_IN_SCHEME}> <{scheme}> }}"
        members = [convert(row["c"]) for row in store.query(query)]
        head = BNode()
        Collection(graph, head, members)
        graph.remove((shape, sh_node, member_shape))
        graph.add((shape, sh_in, head))
    if focus is not None:
        _restrict_targets(graph, store, focus, convert)
    return graph


def _restrict_targets(graph, store: ox.Store, focus: set[str], convert) -> None:
    """Replace the targets of every targeted shape by sh:targetNode for its focus nodes in ``focus``."""
    from rdflib import URIRef

    targets = [URIRef(SH + t) for t in TARGETS]
    shapes = {s for p in targets for s in graph.subjects(p, None)}
    prefixes = _sparql_prefixes(graph)
    for shape in shapes:
        nodes: set = set()
        for predicate in targets:
            for target in list(graph.objects(shape, predicate)):
                nodes |= _target_nodes(graph, store, predicate.removeprefix(SH), target, prefixes, convert)
                graph.remove((shape, predicate, target))
        for node in nodes:
            if str(node) in focus:
                graph.add((shape, URIRef(SH + "targetNode"), node))


def _target_nodes(graph, store: ox.Store, kind: str, target, prefixes: str, convert) -> set:
    if kind == "targetNode":
        return {target}
    if kind == "targetClass":
        query = f"SELECT DISTINCT ?x WHERE {{ ?x a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{target}> }}"
    elif kind == "targetSubjectsOf":
        query = f"SELECT DISTINCT ?x WHERE {{ ?x <{target}> ?o }}"
    elif kind == "targetObjectsOf":
        query = f"SELECT DISTINCT ?x WHERE {{ ?s <{target}> ?x }}"
    else:  # a SHACL-AF SPARQL target
        from rdflib import URIRef

        select = graph.value(target, URIRef(SH + "select"))
        if select is None:
            return set()
        return {convert(row["this"]) for row in store.query(prefixes + str(select)) if row["this"] is not None}
    return {convert(row["x"]) for row in store.query(query)}


def _sparql_prefixes(graph) -> str:
    from rdflib import URIRef

    lines = []
    for declaration in graph.objects(None, URIRef(SH + "declare")):
        prefix = graph.value(declaration, URIRef(SH + "prefix"))
        namespace = graph.value(declaration, URIRef(SH + "namespace"))
        if prefix is not None and namespace is not None:
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def run_shacl(graph: rdflib.Graph, store: ox.Store, shapes: rdflib.Graph) -> list[RawResult]:
    """Validate the data (the same triples as an rdflib graph and a store); every result."""
    import pyshacl

    _speed_up_pyshacl()
    _conforms, report, _ = pyshacl.validate(
        _data_graph(graph, store),
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        inplace=True,
        allow_infos=True,
        allow_warnings=True,
    )
    if not hasattr(report, "subjects"):  # a pyshacl.errors.ValidationFailure
        from oaik.errors import OaikError

        raise OaikError(f"the SHACL shapes could not be run: {report}. This is a bug in shapes/; please report it.")
    from rdflib import RDF, URIRef

    sh = {
        p: URIRef(SH + p)
        for p in (
            "focusNode",
            "resultPath",
            "value",
            "resultSeverity",
            "sourceShape",
            "sourceConstraintComponent",
            "resultMessage",
            "ValidationResult",
        )
    }
    results = []
    for node in report.subjects(RDF.type, sh["ValidationResult"]):
        results.append(
            RawResult(
                focus=report.value(node, sh["focusNode"]),
                path=_path(report, report.value(node, sh["resultPath"])),
                value=report.value(node, sh["value"]),
                severity=str(report.value(node, sh["resultSeverity"])).removeprefix(SH),
                shape=report.value(node, sh["sourceShape"]),
                component=report.value(node, sh["sourceConstraintComponent"]),
                messages=tuple(sorted(str(m) for m in report.objects(node, sh["resultMessage"]))),
            )
        )
    return results


def _data_graph(graph: rdflib.Graph, store: ox.Store):
    """pySHACL's view of the data: core constraints read the rdflib graph, SPARQL runs in Oxigraph.

    Both hold the same triples. The rdflib graph keeps every literal exactly as
    written (Oxigraph's store normalises "5"^^xsd:nonNegativeInteger to
    "5"^^xsd:integer, which would break sh:datatype); Oxigraph answers the
    SPARQL constraints and targets many times faster than rdflib's engine.
    """
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


def _path(graph, path) -> object:
    """A SHACL path as text for blank-node paths (``a|b``, ``^p``, ``a/b``), else the IRI."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection

    from oaik.namespaces import compact

    if not isinstance(path, BNode):
        return path

    def text(node) -> str:
        if isinstance(node, URIRef):
            return compact(str(node))
        inverse = graph.value(node, URIRef(SH + "inversePath"))
        if inverse is not None:
            return "^" + text(inverse)
        alternatives = graph.value(node, URIRef(SH + "alternativePath"))
        if alternatives is not None:
            return "|".join(text(n) for n in Collection(graph, alternatives))
        if graph.value(node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")) is not None:
            return "/".join(text(n) for n in Collection(graph, node))
        return "[path]"

    return text(path)


def _speed_up_pyshacl() -> None:
    """Make pySHACL's per-shape parameter lookup a set lookup (same result, much less time).

    pySHACL tests each predicate of a shape against the list of constraint
    parameters, comparing rdflib terms one by one, for every focus node.
    It caches that list on its ``pyshacl.shape`` module; we put the same
    parameters there as a list with O(1) membership. If pySHACL changes this
    internal, nothing is patched and validation is only slower.
    """
    try:
        import pyshacl.shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:  # pragma: no cover
        return
    current = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    if current is not None and isinstance(current[0], _ParameterList):
        return
    shape_module.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


class _ParameterList(list):
    """A list whose ``in`` test is a set lookup."""

    def __init__(self, items: Iterable = ()):
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item) -> bool:
        return item in self._members

    def copy(self) -> _ParameterList:
        return _ParameterList(self)

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)
