"""Where a validation result's node is written (oaik.store.locate), when the nodes come from a merge of the files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from oaik.store.locate import Locator
from oaik.store.persistent import graph_name

PREFIXES = "@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"


def stores(tmp_path: Path, texts: dict[str, str]) -> tuple[ox.Store, ox.Store, list[Path]]:
    """(the files' merge, as a full validation loads it; a store of each file in its named graph; the files)."""
    files = []
    merge, graphs = ox.Store(), ox.Store()
    for name, text in texts.items():
        path = tmp_path / name
        path.write_text(PREFIXES + text, encoding="utf-8")
        files.append(path)
        merge.load(path=str(path), format=ox.RdfFormat.TURTLE)
        graphs.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph_name(path))
    return merge, graphs, files


def top_level_blank_nodes(store: ox.Store) -> list[str]:
    rows = store.query("SELECT DISTINCT ?b WHERE { ?b ?p ?o FILTER (isBlank(?b) && NOT EXISTS { ?x ?q ?b }) }")
    return sorted(row[0].value for row in rows)  # type: ignore[union-attr]


def test_a_top_level_blank_node_is_placed_in_its_file_not_with_a_lookalike_below_an_iri(tmp_path):
    merge, graphs, files = stores(
        tmp_path,
        {
            "a.ttl": '<https://w3id.org/oaik/id/project/x> oaik:evidence [ a oaik:Evidence ; oaik:quote "q" ] .\n',
            "b.ttl": '[] a oaik:Evidence ; oaik:quote "q" .\n',
            "c.ttl": '[] a oaik:Evidence ; oaik:quote "other" .\n',
        },
    )
    locator = Locator(merge, files, graphs=graphs)
    placed = {locator.file_of(node).name for node in top_level_blank_nodes(merge)}  # type: ignore[union-attr]
    assert placed == {"b.ttl", "c.ttl"}


def test_twins_in_two_files_are_placed_one_in_each(tmp_path):
    """Two blank nodes with the same content and no node above them: either may be either; one file each."""
    text = '[] a oaik:Evidence ; oaik:quote "q" ; oaik:section [ rdfs:label "s"@en ] .\n'
    merge, graphs, files = stores(tmp_path, {"a.ttl": text, "b.ttl": text})
    locator = Locator(merge, files, graphs=graphs)
    nodes = top_level_blank_nodes(merge)
    assert len(nodes) == 2
    assert sorted(locator.file_of(node).name for node in nodes) == ["a.ttl", "b.ttl"]  # type: ignore[union-attr]
    assert [locator.file_of(node) for node in nodes] == [locator.file_of(node) for node in nodes]  # asked again


def test_a_blank_node_below_a_top_level_one_is_placed_with_it(tmp_path):
    merge, graphs, files = stores(
        tmp_path,
        {
            "a.ttl": '<https://w3id.org/oaik/id/project/x> rdfs:label "x"@en .\n',
            "b.ttl": '[] oaik:section [ rdfs:label "s"@en ] .\n',
        },
    )
    locator = Locator(merge, files, graphs=graphs)
    (inner,) = [
        q.object.value for q in merge.quads_for_pattern(None, ox.NamedNode("https://w3id.org/oaik/ns#section"), None)
    ]
    assert locator.file_of(inner).name == "b.ttl"  # type: ignore[union-attr]


def test_lines_of_subjects_written_relative_to_a_base(tmp_path):
    """Relative IRIs resolve against @base / BASE (or the file's own IRI) as the parser resolves them."""
    from oaik.store.locate import subject_lines

    path = tmp_path / "relative.ttl"
    path.write_text(
        "@base <https://w3id.org/oaik/id/> .\n"
        "@prefix p: <project/> .\n"
        "<project/a> a <https://w3id.org/oaik/ns#Project> .\n"
        "p:b a <https://w3id.org/oaik/ns#Project> .\n"
        "BASE <org/>\n"
        "<c> a <https://w3id.org/oaik/ns#Project> .\n"
        "<../d> a <https://w3id.org/oaik/ns#Project> .\n"
        "<#e> a <https://w3id.org/oaik/ns#Project> .\n",
        encoding="utf-8",
    )
    parsed = {
        str(t.subject.value) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    }
    lines = subject_lines(path)
    assert {iri: lines.get(iri) for iri in sorted(parsed)} == {
        "https://w3id.org/oaik/id/d": 7,
        "https://w3id.org/oaik/id/org/c": 6,
        "https://w3id.org/oaik/id/org/#e": 8,
        "https://w3id.org/oaik/id/project/a": 3,
        "https://w3id.org/oaik/id/project/b": 4,
    }


def test_many_top_level_twins_are_placed_one_per_file_in_one_scan(tmp_path):
    """A thousand copies of one anonymous node in each of two files (and nodes that differ only in their blank
    structure): each file gets its own count. Candidates are read once per value, not once per node (the first
    version took 47 s for 800 twins a file)."""
    twins = '[] a oaik:Evidence ; oaik:quote "q" .\n' * 1000
    shapes = "".join(f'[] a oaik:Evidence ; oaik:quote "q" ; oaik:section {"[ ] , " * i}[ ] .\n' for i in range(50))
    merge, graphs, files = stores(tmp_path, {"a.ttl": twins + shapes, "b.ttl": twins})
    locator = Locator(merge, files, graphs=graphs)
    placed = [locator.file_of(node).name for node in top_level_blank_nodes(merge)]  # type: ignore[union-attr]
    assert placed.count("a.ttl") == 1050 and placed.count("b.ttl") == 1000


def test_a_base_the_iri_parser_refuses_inside_a_long_string_does_not_stop_the_scan(tmp_path):
    """The scan reads lines, not the parse: a string may hold a line that looks like an unparsable @base."""
    from oaik.store.locate import subject_lines

    path = tmp_path / "quoted.ttl"
    path.write_text(
        "@base <https://w3id.org/oaik/id/> .\n"
        '<project/a> <http://www.w3.org/2000/01/rdf-schema#comment> """\n'
        "@base <//[x> .\n"
        "<[y> a thing .\n"
        '""" .\n'
        "<project/b> a <https://w3id.org/oaik/ns#Project> .\n",
        encoding="utf-8",
    )
    assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) == 2
    lines = subject_lines(path)
    assert lines["https://w3id.org/oaik/id/project/a"] == 2 and lines["https://w3id.org/oaik/id/project/b"] == 6


def test_a_top_level_blank_node_is_placed_on_the_line_where_it_starts(tmp_path):
    """The k-th blank node written at the start of a line is the k-th with none above it in the parse; twins
    take their lines in turn. Both for a merge of the files and for the store of their graphs."""
    text = (
        '<https://w3id.org/oaik/id/project/x> rdfs:label "x"@en .\n'  # line 2 (line 1 holds the prefixes)
        '[] a oaik:Evidence ; oaik:quote "first" .\n'
        "\n"
        "[ a oaik:Evidence ;\n"
        '  oaik:section [ rdfs:label "s"@en ] ] .\n'
        '_:twin a oaik:Evidence ; oaik:quote "twin" .\n'
        '[] a oaik:Evidence ; oaik:quote "twin" .\n'
    )
    merge, graphs, files = stores(tmp_path, {"a.ttl": text})
    # the persistent store holds each file's graph and, in its default graph, their merge
    graphs.extend([ox.Quad(q.subject, q.predicate, q.object) for q in graphs.quads_for_pattern(None, None, None)])
    for locator, store in ((Locator(merge, files, graphs=graphs), merge), (Locator(graphs, files), graphs)):
        placed = {}
        for node in top_level_blank_nodes(store):
            quotes = [
                q.object.value for q in store.quads_for_pattern(ox.BlankNode(node), None, None, ox.DefaultGraph())
            ]
            placed.setdefault(next((q for q in quotes if q in ("first", "twin")), "section"), []).append(
                locator.line_of(node, files[0])
            )
        assert {key: sorted(lines) for key, lines in placed.items()} == {"first": [3], "section": [5], "twin": [7, 8]}


def test_no_line_is_guessed_when_the_blank_nodes_written_at_line_starts_do_not_add_up(tmp_path):
    text = '[] a oaik:Evidence ; oaik:quote """\n[ a trick\n""" .\n'
    merge, graphs, files = stores(tmp_path, {"a.ttl": text})
    locator = Locator(merge, files, graphs=graphs)
    assert [locator.line_of(node, files[0]) for node in top_level_blank_nodes(merge)] == [None]


def test_deeply_nested_blank_nodes_are_described_in_a_line_each_and_in_linear_time(tmp_path):
    """5,000 nested blank nodes (beyond Python's recursion limit): each description shows a few levels and
    the IRI at the top, and finding the IRIs above all of them is one walk, not one per node."""
    import time

    depth = 5000
    text = "<https://w3id.org/oaik/id/project/x> oaik:evidence " + "[ oaik:evidence " * depth + '"end"' + " ]" * depth
    merge, graphs, files = stores(tmp_path, {"deep.ttl": text + " .\n"})
    locator = Locator(merge, files, graphs=graphs)
    nodes = [row[0].value for row in merge.query("SELECT ?b WHERE { ?s ?p ?b FILTER isBlank(?b) }")]  # type: ignore[union-attr]
    assert len(nodes) == depth
    started = time.monotonic()
    descriptions = [locator.describe(node) for node in nodes]
    anchors = {locator.anchor(node) for node in nodes}
    assert time.monotonic() - started < 20  # quadratic took minutes at this depth
    assert anchors == {"https://w3id.org/oaik/id/project/x"}
    assert max(map(len, descriptions)) < 200
    deepest = [d for d in descriptions if d.startswith("project:x … ")]
    assert deepest and all(d.count("[ ]") == 4 for d in deepest)  # three levels above the node, then …
    assert "project:x oaik:evidence [ ]" in descriptions


def test_a_cycle_of_blank_nodes_is_described(tmp_path):
    merge, graphs, files = stores(tmp_path, {"cycle.ttl": "_:a oaik:evidence _:b . _:b oaik:evidence _:a .\n"})
    locator = Locator(merge, files, graphs=graphs)
    nodes = [row[0].value for row in merge.query("SELECT DISTINCT ?b WHERE { ?b ?p ?o }")]  # type: ignore[union-attr]
    assert [locator.describe(node) for node in nodes] == ["… oaik:evidence [ ] oaik:evidence [ ]"] * 2
    assert all(locator.is_blank(locator.anchor(node)) for node in nodes)
