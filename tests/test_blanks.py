"""Blank nodes matched across two parses of a file (oaik.store.blanks)."""

from __future__ import annotations

import pyoxigraph as ox

from oaik.store.blanks import same_blank_nodes

PREFIX = "@prefix ex: <http://example.org/> .\n"


def parsed(text: str, file: str = "a.ttl") -> list[tuple[str, ox.Triple]]:
    return [(file, q.triple) for q in ox.parse(PREFIX + text, format=ox.RdfFormat.TURTLE)]


def statements(triples: list[tuple[str, ox.Triple]], node: str) -> set[tuple[str, str]]:
    """The node's statements, a blank value written as ``[]``."""
    return {
        (str(t.predicate), "[]" if isinstance(t.object, ox.BlankNode) else str(t.object))
        for _, t in triples
        if isinstance(t.subject, ox.BlankNode) and t.subject.value == node
    }


def test_nested_blank_nodes_are_matched_by_content_and_place():
    text = "ex:c ex:part [ ex:agent ex:o ; ex:role [ ex:name 'r' ] ] , [ ex:agent ex:p ] .\n"
    old, new = parsed(text), parsed("\n\n" + text)
    same = same_blank_nodes(old, new)
    assert len(same) == 3
    assert all(before != after and statements(old, before) == statements(new, after) for before, after in same.items())


def test_an_edited_blank_node_and_those_above_it_are_not_matched():
    old = parsed("ex:c ex:part [ ex:agent ex:o ; ex:role [ ex:name 'r' ] ] .")
    new = parsed("ex:c ex:part [ ex:agent ex:o ; ex:role [ ex:name 's' ] ] .")
    assert same_blank_nodes(old, new) == {}


def test_twins_blank_nodes_under_two_nodes_cycles_and_other_files_are_left_unmatched():
    twins = "ex:c ex:part [ ex:agent ex:o ] , [ ex:agent ex:o ] ."
    assert same_blank_nodes(parsed(twins), parsed(twins)) == {}
    shared = "ex:c ex:part _:x . ex:d ex:part _:x . _:x ex:agent ex:o ."
    assert same_blank_nodes(parsed(shared), parsed(shared)) == {}
    cycle = "_:x ex:next _:y . _:y ex:next _:x ."
    assert same_blank_nodes(parsed(cycle), parsed(cycle)) == {}
    one = "ex:c ex:part [ ex:agent ex:o ] ."
    assert same_blank_nodes(parsed(one, "a.ttl"), parsed(one, "b.ttl")) == {}
    assert len(same_blank_nodes(parsed(one, "a.ttl"), parsed(one, "a.ttl"))) == 1


def test_a_long_list_is_matched_without_recursion():
    """An RDF list is a chain of blank nodes, one per item: 5,000 items match item for item."""
    items = " ".join(f'"{n}"' for n in range(5000))
    text = f"ex:c ex:items ( {items} ) ."
    assert len(same_blank_nodes(parsed(text), parsed("\n" + text))) == 5000
