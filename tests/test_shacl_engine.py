"""The compiled SHACL engine reports exactly what plain pySHACL reports on the shapes as written.

Compared per result: focus node, path, value, source shape, constraint
component and severity (as a multiset: a result found twice must be found
twice). Here: every shape on the curated data, a sample of the imports and
the broken fixtures, and the fallback to pySHACL for shapes that do not
compile. Every shape on the whole shipped graph: tests/test_shacl_engine_shipped.py
(about four minutes of pySHACL, so in a file of its own that starts first).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox

CONTRIBUTIONS = Path(__file__).resolve().parent / "resources" / "contributions"
UNPARSABLE = {"syntax-error.ttl", "unknown-prefix.ttl", "not-stored-as-written.ttl"}  # refused by the loader


def fixtures() -> list[Path]:
    return sorted(p for p in CONTRIBUTIONS.rglob("*.ttl") if p.name not in UNPARSABLE)


def term(node) -> str | None:
    if node is None:
        return None
    return "_:" + node.value if isinstance(node, ox.BlankNode) else str(node)


def compiled(store) -> Counter:
    from oaik.validation.shacl import run

    return Counter((term(r.focus), r.path, term(r.value), term(r.shape), r.component, r.severity) for r in run(store))


def shapes_graph():
    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.graph import parse_files, to_rdflib

    return to_rdflib(parse_files(turtle_files(shapes_dir())))


def reference(parsed) -> Counter:
    import pyshacl
    from pyshacl.graph_abstraction import to_ox

    from oaik.store.graph import to_rdflib
    from oaik.validation.shacl import quiet_rdflib, report_rows

    with quiet_rdflib():
        _, report, _ = pyshacl.validate(
            to_rdflib(parsed),
            shacl_graph=shapes_graph(),
            inference="none",
            advanced=True,
            allow_infos=True,
            allow_warnings=True,
        )
    return Counter(
        (
            term(to_ox(r["focus"])),
            r["path"],
            term(to_ox(r["value"])) if r["value"] is not None else None,
            term(to_ox(r["shape"])),
            str(r["component"]),
            r["severity"],
        )
        for r in report_rows(report)
    )


def differences(ours: Counter, theirs: Counter) -> str:
    keys = sorted(set(ours) | set(theirs), key=str)
    return "\n".join(f"  pySHACL {theirs[k]} / compiled {ours[k]}: {k}" for k in keys if ours[k] != theirs[k])


def curated_and_sample(step: int = 50) -> list[Path]:
    """The shipped graph without most imported catalogue files: every ``step``-th one is kept."""
    from conftest import curated_files

    from oaik.paths import graph_files

    curated = curated_files()
    return curated + [p for p in graph_files() if p not in curated][::step]


def test_compiled_engine_equals_plain_pyshacl():
    """The broken fixtures with the curated graph and a sample of the imports (the whole graph: test_shacl_engine_shipped.py)."""
    from oaik.store.graph import parse_files, to_store
    from oaik.validation.shacl import plan

    assert not plan().unsupported, "every shipped shape should compile to SPARQL"
    parsed = parse_files(curated_and_sample() + fixtures())
    ours, theirs = compiled(to_store(parsed)), reference(parsed)
    assert sum(theirs.values()) > 100
    assert ours == theirs, "results differ:\n" + differences(ours, theirs)


def test_a_string_value_of_a_shape_left_to_pyshacl_matches_the_data(monkeypatch):
    """The shapes go to pySHACL as rdflib parses them: ``"a"`` (an xsd:string) matches the data's ``"a"``.

    rdflib tells ``"a"`` from ``"a"^^xsd:string``; with the second in the shape
    and the first in the data (as rdflib parses N-Triples), sh:hasValue failed.
    """
    from rdflib import Graph

    from oaik.validation import compile as compiled_module
    from oaik.validation.shacl import ShapesGraph, run_pyshacl

    shapes = ox.Store()
    shapes.load(
        b"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:xone ( [ sh:path ex:p ; sh:hasValue "a" ] [ sh:path ex:q ; sh:minCount 1 ] ) .""",
        ox.RdfFormat.TURTLE,
    )
    plan = compiled_module.Compiler(ShapesGraph(shapes)).plan()
    data = ox.Store()
    data.load(b'<http://example.org/x> a <http://example.org/C> ; <http://example.org/p> "a" .', ox.RdfFormat.TURTLE)
    graph = Graph().parse(
        data=data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(), format="nt"
    )
    monkeypatch.setattr("oaik.validation.shacl.shapes", lambda: ShapesGraph(shapes))
    assert run_pyshacl(graph, data, plan.unsupported) == []


def test_an_untranslatable_shape_is_left_to_pyshacl(tmp_path, monkeypatch):
    """sh:xone is not compiled: the shape goes to pySHACL and its results still come out."""
    from oaik.validation import compile as compiled_module
    from oaik.validation.shacl import ShapesGraph, run_pyshacl

    shapes = ox.Store()
    shapes.load(
        b"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .""",
        ox.RdfFormat.TURTLE,
    )
    plan = compiled_module.Compiler(ShapesGraph(shapes)).plan()
    assert [s.value for s in plan.unsupported] == ["http://example.org/S"]
    data = ox.Store()
    data.load(
        b"<http://example.org/x> a <http://example.org/C> , <http://example.org/A> , <http://example.org/B> .",
        ox.RdfFormat.TURTLE,
    )
    from rdflib import Graph

    graph = Graph().parse(
        data=data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(), format="nt"
    )
    monkeypatch.setattr("oaik.validation.shacl.shapes", lambda: ShapesGraph(shapes))
    (result,) = run_pyshacl(graph, data, plan.unsupported)
    assert result.component.endswith("XoneConstraintComponent") and result.focus.value == "http://example.org/x"
