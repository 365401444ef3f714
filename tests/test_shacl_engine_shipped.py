"""The compiled SHACL engine and plain pySHACL on the whole shipped graph: every shape, every result.

Both engines run once (about four minutes of pySHACL, most of it in the
SHACL-SPARQL rules that must read every triple: undefined terms and
concepts, dangling references, undeclared properties, ill-typed literals, in
rdflib's SPARQL engine); then one test per shape compares that shape's
results. Having the most tests, this file is the one pytest-xdist hands out
first, so the other worker runs the rest of the suite meanwhile.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from test_shacl_engine import compiled, differences, reference

SH = "http://www.w3.org/ns/shacl#"


def named_shapes() -> list[str]:
    """The IRIs of the shapes of ``shapes/`` (every shape is named, so every result names one)."""
    from oaik.validation.shacl import shapes

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    kinds = [ox.NamedNode(SH + kind) for kind in ("NodeShape", "PropertyShape")]
    found = (q.subject for kind in kinds for q in shapes().store.quads_for_pattern(None, rdf_type, kind))
    return sorted({subject.value for subject in found if isinstance(subject, ox.NamedNode)})


SHAPES = named_shapes()


@pytest.fixture(scope="module")
def results() -> tuple[Counter, Counter]:
    """(compiled engine, plain pySHACL) results on the whole shipped graph."""
    from oaik.paths import graph_files
    from oaik.store.graph import parse_files, to_store

    parsed = parse_files(list(graph_files()))
    return compiled(to_store(parsed)), reference(parsed)


def test_every_result_names_one_of_the_shapes(results):
    ours, theirs = results
    assert sum(theirs.values()) > 100
    shapes = {f"<{iri}>" for iri in SHAPES}
    assert {key[3] for key in ours + theirs} <= shapes


@pytest.mark.parametrize("shape", SHAPES, ids=lambda iri: iri.rpartition("#")[2] or iri)
def test_same_results_as_plain_pyshacl(results, shape):
    ours, theirs = (Counter({key: n for key, n in found.items() if key[3] == f"<{shape}>"}) for found in results)
    assert ours == theirs, "results differ:\n" + differences(ours, theirs)
