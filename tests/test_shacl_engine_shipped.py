"""The compiled SHACL engine and plain pySHACL on the whole shipped graph: every shape, every result.

Plain pySHACL takes about four minutes here, most of it in the SHACL-SPARQL
rules that must read every triple (undefined terms and concepts, dangling
references, undeclared properties, ill-typed literals) in rdflib's SPARQL
engine. So this is a file of its own, marked ``early``: the runner starts it
first, on one worker, while the other worker runs the rest (tests/conftest.py).
"""

from __future__ import annotations

import pytest
from test_shacl_engine import compiled, differences, reference


@pytest.mark.early
def test_compiled_engine_equals_plain_pyshacl_on_the_whole_shipped_graph():
    from oaik.paths import graph_files
    from oaik.store.graph import parse_files, to_store

    parsed = parse_files(list(graph_files()))
    ours, theirs = compiled(to_store(parsed)), reference(parsed)
    assert sum(theirs.values()) > 100
    assert ours == theirs, "results differ:\n" + differences(ours, theirs)
