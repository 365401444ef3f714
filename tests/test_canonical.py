"""Canonical blank node labels (oaik.publish.canonical): the same graph gets the same labels whatever the order and
names of its triples, the graph is unchanged (isomorphic), and blank nodes that look alike cost linear time."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oaik.publish.canonical import canonical_triples

EX = "http://example.org/"


def parse(text: str) -> list[ox.Triple]:
    return list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))


def shuffled_and_renamed(triples: list[ox.Triple], seed: int) -> list[ox.Triple]:
    """The same graph: triples in another order, blank nodes under other names."""
    generator = random.Random(seed)
    names: dict[str, ox.BlankNode] = {}

    def rename(term):
        if type(term) is ox.BlankNode:
            return names.setdefault(term.value, ox.BlankNode(f"r{seed}x{generator.randrange(10**9)}n{len(names)}"))
        return term

    out = [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]
    generator.shuffle(out)
    return out


def isomorphic(left: list[ox.Triple], right: list[ox.Triple]) -> bool:
    from rdflib import Graph
    from rdflib.compare import isomorphic as same

    def graph(triples):
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    return same(graph(left), graph(right))


def written(triples: list[ox.Triple]) -> list[str]:
    return sorted(str(t) for t in triples)


SHAPES = {
    "nested": f"<{EX}s> <{EX}p> [ <{EX}q> [ <{EX}r> 1 ] ; <{EX}q> [ <{EX}r> 2 ] ] .",
    "twins": f"<{EX}s> <{EX}p> [ <{EX}q> [ <{EX}r> 1 ] ] , [ <{EX}q> [ <{EX}r> 1 ] ] . [] <{EX}q> 1 . [] <{EX}q> 1 .",
    "list": f'<{EX}s> <{EX}p> ("a" "a" ("b" "a") "a") .',
    "shared": f"<{EX}s> <{EX}p> _:x . <{EX}t> <{EX}p> _:x . _:x <{EX}q> [ <{EX}r> 1 ] . <{EX}u> <{EX}p> [ <{EX}r> 1 ] .",
    "cycle": f"_:a <{EX}p> _:b . _:b <{EX}p> _:a . <{EX}s> <{EX}p> _:a . <{EX}s> <{EX}p> [ <{EX}p> [] ] .",
    "self": f"_:a <{EX}p> _:a . <{EX}s> <{EX}p> [] .",
}


@pytest.mark.parametrize("name", SHAPES)
def test_labels_do_not_depend_on_order_or_names_and_keep_the_graph(name):
    triples = parse(SHAPES[name])
    labelled = canonical_triples(triples)
    assert isomorphic(labelled, triples)
    for seed in range(5):
        assert written(canonical_triples(shuffled_and_renamed(triples, seed))) == written(labelled)


def test_trees_and_the_rest_are_labelled_apart_with_a_prefix():
    labelled = canonical_triples(parse(SHAPES["shared"]), prefix="f3")
    labels = {t.value for triple in labelled for t in (triple.subject, triple.object) if type(t) is ox.BlankNode}
    assert labels == {"f3b0", "f3c14n0", "f3c14n1"}  # the tree [ r 1 ] under u; _:x (under two) and its child


@pytest.mark.parametrize(
    "text",
    [
        f"<{EX}s> <{EX}p> " + f"[ <{EX}p> " * 5000 + '"end"' + " ]" * 5000 + " .",
        f"<{EX}s> <{EX}p> (" + ' "x"' * 5000 + " ) .",
    ],
    ids=["5000 nested", "5000 equal items"],
)
def test_blank_nodes_that_look_alike_take_linear_time(text):
    """RDFC-1.0 took 63 s for 800 nested nodes and 2.7 s for 300 equal list items (more than polynomial)."""
    triples = parse(text)
    started = time.monotonic()
    labelled = canonical_triples(triples)
    assert time.monotonic() - started < 10
    assert len(labelled) == len(triples)
    assert written(canonical_triples(shuffled_and_renamed(triples, 1))) == written(labelled)


@st.composite
def graphs(draw) -> list[ox.Triple]:
    """Small graphs of IRIs, literals and blank nodes: trees, twins, shared nodes and cycles."""
    size = draw(st.integers(1, 12))
    nodes = [ox.BlankNode(f"n{i}") for i in range(size)]
    iris = [ox.NamedNode(f"{EX}i{i}") for i in range(3)]
    predicates = [ox.NamedNode(f"{EX}p{i}") for i in range(2)]
    subjects = st.sampled_from(nodes + iris)
    objects = st.sampled_from([*nodes, *iris, ox.Literal("a"), ox.Literal("b")])
    edges = draw(st.lists(st.tuples(subjects, st.sampled_from(predicates), objects), min_size=1, max_size=20))
    return [ox.Triple(s, p, o) for s, p, o in edges]


@settings(max_examples=300, deadline=None)
@given(graphs(), st.integers(0, 10**6))
def test_any_graph_keeps_its_shape_and_gets_the_same_labels(triples, seed):
    labelled = canonical_triples(triples)
    assert isomorphic(labelled, triples)
    assert written(canonical_triples(shuffled_and_renamed(triples, seed))) == written(labelled)


def test_labels_are_the_same_in_every_process(tmp_path):
    """Twins are numbered in set order, which string hashing changes from process to process: the output
    must not (twins are interchangeable)."""
    (tmp_path / "g.ttl").write_text(SHAPES["twins"] + "\n" + SHAPES["list"] + "\n", encoding="utf-8")
    script = (
        "import sys, pyoxigraph as ox; from oaik.publish.canonical import canonical_triples; "
        "t = list(ox.parse(path=sys.argv[1], format=ox.RdfFormat.TURTLE)); "
        "print(sorted(str(x) for x in canonical_triples(t)))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "g.ttl")],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(4)
    }
    assert len(outputs) == 1
