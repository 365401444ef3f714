"""Incremental validation (`oaik validate FILE` for a changed file of the tree) equals full validation.

A copy of the shipped tree is validated in full, one project file is edited
(a label removed or duplicated, a reference broken, a derivation cycle added),
and validating just that file must report exactly what full validation of the
edited tree reports beyond full validation of the tree without that file,
plus everything on the file's own nodes.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the shipped tree without the imported catalogues (90 % of the triples, none of the edited files)."""
    from conftest import copy_curated

    return copy_curated(tmp_path_factory.mktemp("tree"))


def project_files(root: Path) -> list[Path]:
    return sorted((root / "data" / "projects").glob("*.ttl"))[:6]


def edited(triples: list[ox.Triple], edit: str, pick: int, others: list[ox.Triple]) -> list[ox.Triple]:
    labelled = [t for t in triples if t.predicate.value == RDFS_LABEL and isinstance(t.subject, ox.NamedNode)]
    linked = [t for t in triples if isinstance(t.object, ox.NamedNode) and "/id/" in t.object.value]
    if edit == "remove-label" and labelled:
        return [t for t in triples if t != labelled[pick % len(labelled)]]
    if edit == "duplicate-label" and labelled:
        foreign = [t for t in others if t.predicate.value == RDFS_LABEL and isinstance(t.subject, ox.NamedNode)]
        victim, model = labelled[pick % len(labelled)], foreign[pick % len(foreign)]
        return [*triples, ox.Triple(victim.subject, victim.predicate, model.object)]
    if edit == "break-reference" and linked:
        broken = linked[pick % len(linked)]
        missing = ox.NamedNode(broken.object.value + "-missing")
        return [ox.Triple(t.subject, t.predicate, missing) if t == broken else t for t in triples]
    if edit == "add-cycle" and linked:
        link = linked[pick % len(linked)]
        return [*triples, ox.Triple(link.object, ox.NamedNode(DERIVED), link.subject)]
    return triples


@pytest.fixture(scope="module")
def unedited(tree):
    """The tree's files, a validator of them, and full validation results of the tree without a file (by file)."""
    from oaik.validation.validate import Validator

    files = sorted(p for base in (tree / "ontology", tree / "data") for p in base.rglob("*.ttl"))
    without: dict[Path, object] = {}

    def validated_without(path: Path):
        if path not in without:
            without[path] = Validator([f for f in files if f != path]).validate()
        return without[path]

    return files, validated_without, Validator(files)


def key(result) -> tuple:
    return (result.rule, result.component or "", result.focus, result.path or "", result.value or "", result.message)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file_index=st.integers(min_value=0, max_value=5),
    edit=st.sampled_from(["remove-label", "duplicate-label", "break-reference", "add-cycle"]),
    pick=st.integers(min_value=0, max_value=50),
)
def test_incremental_validation_equals_full_validation(tree, unedited, file_index, edit, pick):
    check(tree, unedited, file_index, edit, pick)


def test_an_edit_about_a_node_of_another_file(tree, unedited):
    check(tree, unedited, 0, "add-cycle", 2)


def check(tree, unedited, file_index: int, edit: str, pick: int) -> None:
    """Edit one project file, validate it incrementally, and compare with full validation of the edited tree."""
    from oaik.store.graph import parse_file
    from oaik.validation.validate import Validator

    files, validated_without, validator = unedited
    path = project_files(tree)[file_index]
    original = path.read_bytes()
    try:
        others = [t for f in files if f != path for t in parse_file(f).triples]
        changed = edited(list(parse_file(path).triples), edit, pick, others)
        path.write_bytes(ox.serialize(changed, format=ox.RdfFormat.N_TRIPLES))
        incremental = validator.validate([path])
        after = Validator(files).validate()
    finally:
        path.write_bytes(original)
    new = {key(r) for r in after.results} - {key(r) for r in validated_without(path).results}
    in_file = {key(r) for r in after.results if r.file and Path(r.file).name == path.name}
    reported = {key(r) for r in incremental.results}
    assert new | in_file == reported, (
        f"{edit} in {path.name}: missed {sorted(new | in_file - reported)}; extra {sorted(reported - new - in_file)}"
    )


def test_validating_a_file_reads_the_store_and_leaves_no_copy_behind(tree, unedited):
    """An unchanged tree is not parsed again, and the private copies of the store are deleted."""
    from oaik.store.persistent import counters, store_location

    files, _, validator = unedited
    validator.validate()
    parsed = counters["parsed"]
    report = validator.validate([project_files(tree)[0]])
    assert counters["parsed"] == parsed, "validating a file of an unchanged tree parsed files again"
    assert report.files == [str(project_files(tree)[0])] or report.files[0].endswith(project_files(tree)[0].name)
    location = store_location(files)
    assert location is not None and location.is_dir()
    assert sorted(p.name for p in location.parent.glob(f".{location.name}.*")) == []
