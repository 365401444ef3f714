"""A full report revised after edits (`oaik validate` with a kept report) equals a full validation.

A copy of the curated tree is validated in full (the report is kept), then
edited: a label removed or duplicated, a reference broken, a derivation cycle
added, a file written again with the same triples (every line moves), an
entity's statements moved to another file, a file removed, a file added that
repeats another's entities under new IRIs (duplicate labels across files), or
a statement about a term added to the ontology (a full validation then). The
kept report revised for the edit must equal a full validation of the edited
tree, result for result (rule, focus, path, value, message, file, line,
severity).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_incremental import edited

EDITS = [
    "remove-label",
    "duplicate-label",
    "break-reference",
    "add-cycle",
    "reformat",
    "move-entity",
    "remove-file",
    "add-file",
    "ontology",
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    from conftest import copy_curated

    return copy_curated(tmp_path_factory.mktemp("revised-tree"))


def kept_report(roots: list[Path]):
    """``oaik validate`` for the tree of ``roots``: the kept report, revised or computed."""
    from oaik.store.graph import expand_paths
    from oaik.validation.cache import full_report
    from oaik.validation.validate import Validator

    validator = Validator(roots)
    return full_report(expand_paths(roots), lambda: validator.validate(None), validator.revise, roots=roots)


def results(report) -> Counter:
    return Counter(
        (r.severity, r.rule, r.component, r.focus, r.path, r.value, r.message, r.file, r.line) for r in report.results
    )


def renamed(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with every subject IRI (and its uses) renamed: new entities with the same labels."""
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}

    def rename(term):
        return (
            ox.NamedNode(term.value + "-again") if isinstance(term, ox.NamedNode) and term.value in subjects else term
        )

    return [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]


def apply(tree: Path, edit: str, pick: int) -> dict[Path, bytes | None]:
    """Make the edit; what each touched file held before (None: it did not exist)."""
    from oaik.store.graph import parse_file

    projects = sorted((tree / "data" / "projects").glob("*.ttl"))
    path = projects[pick % len(projects)]
    if edit == "ontology":  # a statement about a term: any node may depend on it
        path = tree / "ontology" / "oaik.ttl"
        saved = {path: path.read_bytes()}
        touched = b'<https://w3id.org/oaik/ns#Project> <http://www.w3.org/2000/01/rdf-schema#comment> "touched"@de .'
        path.write_bytes(path.read_bytes() + b"\n" + touched + b"\n")
        return saved
    if edit == "remove-file":
        saved = {path: path.read_bytes()}
        path.unlink()
        return saved
    if edit == "move-entity":  # one entity's statements to the next file: the same graph, other files and lines
        target = projects[(pick + 1) % len(projects)]
        triples = list(parse_file(path).triples)
        subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
        moved = subjects[pick % len(subjects)]
        saved = {path: path.read_bytes(), target: target.read_bytes()}
        stays = [t for t in triples if t.subject.value != moved]
        goes = [t for t in triples if t.subject.value == moved]
        path.write_bytes(ox.serialize(stays, format=ox.RdfFormat.N_TRIPLES))
        target.write_bytes(saved[target] + b"\n" + ox.serialize(goes, format=ox.RdfFormat.N_TRIPLES))
        return saved
    if edit == "add-file":
        added = tree / "data" / "projects" / "zz-added.ttl"
        added.write_bytes(ox.serialize(renamed(list(parse_file(path).triples)), format=ox.RdfFormat.N_TRIPLES))
        return {added: None}
    others = [t for f in projects if f != path for t in parse_file(f).triples]
    saved = {path: path.read_bytes()}
    path.write_bytes(
        ox.serialize(edited(list(parse_file(path).triples), edit, pick, others), format=ox.RdfFormat.N_TRIPLES)
    )
    return saved


def restore(saved: dict[Path, bytes | None]) -> None:
    for path, data in saved.items():
        if data is None:
            path.unlink()
        else:
            path.write_bytes(data)


@settings(max_examples=16, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=st.sampled_from(EDITS), pick=st.integers(min_value=0, max_value=50))
@example(edit="reformat", pick=0)
@example(edit="move-entity", pick=7)
@example(edit="ontology", pick=0)
def test_a_revised_report_equals_a_full_validation(tree, edit, pick):
    from oaik.validation.validate import Validator

    roots = [tree / "ontology", tree / "data"]
    kept_report(roots)  # the report of the tree as it is, kept
    saved = apply(tree, edit, pick)
    try:
        revised = kept_report(roots)
        full = Validator(roots).validate(None)
    finally:
        restore(saved)
    assert ("revised" in revised.timings) == (edit != "ontology"), revised.timings
    assert revised.files == full.files
    ours, theirs = results(revised), results(full)
    assert ours == theirs, (
        f"{edit}: missed {sorted((theirs - ours).elements())}; extra {sorted((ours - theirs).elements())}"
    )


def test_a_revision_back_to_the_kept_state_and_an_unchanged_tree(tree):
    """Edit, revise, undo the edit, revise again: the report is the first one; then nothing changed: it is kept."""
    roots = [tree / "ontology", tree / "data"]
    first = kept_report(roots)
    saved = apply(tree, "add-cycle", 3)
    try:
        kept_report(roots)
    finally:
        restore(saved)
    back = kept_report(roots)
    assert "revised" in back.timings and results(back) == results(first)
    assert "cached" in kept_report(roots).timings


def test_a_store_updated_by_another_command_meanwhile_means_a_full_validation(tree):
    """The old triples of an edited file come from the store: if something else updated it, they are gone."""
    from oaik.store.persistent import update_store

    roots = [tree / "ontology", tree / "data"]
    kept_report(roots)
    saved = apply(tree, "remove-label", 1)
    try:
        update_store(roots)  # as `oaik stats` or `oaik query` would
        report = kept_report(roots)
    finally:
        restore(saved)
    assert "revised" not in report.timings and "cached" not in report.timings


def test_many_changed_files_mean_a_full_validation(tree, monkeypatch):
    """Past a twentieth of the files (here: more than 3 of the tree's), revising would cost more than it saves."""
    import oaik.validation.revise as revise

    monkeypatch.setattr(revise, "MOST_CHANGED", 0)
    roots = [tree / "ontology", tree / "data"]
    kept_report(roots)
    projects = sorted((tree / "data" / "projects").glob("*.ttl"))
    saved = {path: path.read_bytes() for path in projects}
    try:
        for path in projects:
            path.write_bytes(saved[path] + b"\n")
        report = kept_report(roots)
    finally:
        restore(saved)
    assert len(projects) > 3 and "revised" not in report.timings and "cached" not in report.timings


@pytest.mark.parametrize("top_level", [False, True], ids=["under-an-iri", "top-level"])
def test_a_file_written_again_keeps_the_results_of_its_blank_nodes_once(tree, top_level):
    """Parsed again, a file's blank nodes get new ids: their results stay, once (not again under the old ids).

    A result on a blank node with no IRI above it is not revised but computed
    again (which edit touches such a node is not known); the full validation
    names its file.
    """
    from oaik.validation.validate import Validator

    roots = [tree / "ontology", tree / "data"]
    added = tree / "data" / "projects" / "zz-blank.ttl"
    text = """@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/oaik/id/collab/zz-blank> a oaik:Collaboration ;
    oaik:participation [ a oaik:Participation ; prov:agent <https://w3id.org/oaik/id/org/eleutherai> ] .
"""
    text += "[] a oaik:Evidence .\n" if top_level else ""
    added.write_text(text, encoding="utf-8")
    try:
        before = kept_report(roots)
        added.write_text("\n\n" + text, encoding="utf-8")
        revised = kept_report(roots)
        full = Validator(roots).validate(None)
    finally:
        added.unlink()
    assert [r for r in before.results if r.focus.startswith("collab:zz-blank oaik:participation [")]
    top = [r for r in before.results if r.focus == "[ a oaik:Evidence ]"]
    assert top or not top_level
    assert {r.file for r in top} <= {r.file for r in before.results if r.focus.startswith("collab:zz-blank")}
    assert ("revised" in revised.timings) != top_level
    assert results(revised) == results(full)


def test_an_entity_defined_again_in_another_file_is_reported_in_both_and_revised(tree):
    """oaiksh:DefinedOnceRule is checked on the files, not by SHACL: the revision must find it as the full
    validation does, when a second definition comes and when it goes."""
    from oaik.validation.validate import Validator

    roots = [tree / "ontology", tree / "data"]
    kept_report(roots)
    again = tree / "data" / "projects" / "zz-again.ttl"
    again.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/oaik/id/org/eleutherai> a org:Organization ; rdfs:label "EleutherAI"@en .\n',
        encoding="utf-8",
    )
    try:
        revised, full = kept_report(roots), Validator(roots).validate(None)
    finally:
        again.unlink()
    assert "revised" in revised.timings
    assert results(revised) == results(full)
    found = {(Path(r.file).name, r.line) for r in full.results if r.rule == "oaiksh:DefinedOnceRule"}
    assert {name for name, _ in found} == {"eleutherai.ttl", "zz-again.ttl"} and all(line for _, line in found)
    revised, full = kept_report(roots), Validator(roots).validate(None)
    assert "revised" in revised.timings
    assert results(revised) == results(full)
    assert not [r for r in full.results if r.rule == "oaiksh:DefinedOnceRule"]
