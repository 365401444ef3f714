"""`oaik validate --since REV`: the files changed since a git revision, and what they break elsewhere.

A copy of the curated tree is committed to a new git repository and edited.
What `--since HEAD` reports in other files must be exactly what a full
validation of the edited tree reports beyond a full validation of the
committed tree. That includes what `oaik validate FILE` cannot see: the
referrers of an entity renamed, or defined by a deleted file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

RENAMED = "organization:eleutherai a org:Organization"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository whose one commit is the curated tree."""
    from conftest import copy_curated

    root = copy_curated(tmp_path / "tree")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "graph")
    return root


def validator(root: Path):
    from oaik.validation.validate import Validator

    return Validator([root / "ontology", root / "data"])


def key(result) -> tuple:
    return (result.rule, result.component or "", result.focus, result.path or "", result.value or "", result.message)


def outside(results, name: str) -> Counter:
    """The results on files other than ``name``."""
    return Counter(key(r) for r in results if not r.file.endswith(name))


def test_a_rename_reports_the_referrers_in_other_files(repository):
    before = validator(repository).validate()
    project = repository / "data" / "projects" / "eleutherai.ttl"
    text = project.read_text(encoding="utf-8")
    assert RENAMED in text
    project.write_text(text.replace(RENAMED, "organization:eleuther-ai a org:Organization"), encoding="utf-8")

    since = validator(repository).validate(since="HEAD")
    name = "data/projects/eleutherai.ttl"
    after = validator(repository).validate()
    expected = outside(after.results, name) - outside(before.results, name)
    assert expected, "the rename breaks references in other files"
    assert outside(since.results, name) == expected
    assert "oaiksh:DanglingReferenceRule" in {r.rule for r in since.results if r.file.endswith("hugging-face.ttl")}
    assert [Path(f).name for f in since.files] == ["eleutherai.ttl"]

    alone = validator(repository).validate([project])  # without the file, the referrers dangle too
    assert not outside(alone.results, name)


def test_a_deleted_file_reports_the_referrers_of_what_it_defined(repository):
    before = validator(repository).validate()
    project = repository / "data" / "projects" / "eleutherai.ttl"
    project.unlink()

    since = validator(repository).validate(since="HEAD")
    after = validator(repository).validate()
    expected = Counter(key(r) for r in after.results) - Counter(key(r) for r in before.results)
    assert expected
    assert Counter(key(r) for r in since.results) == expected
    assert [Path(f).name for f in since.files] == ["eleutherai.ttl"]
    assert since.exit_code() == 1


def test_new_untracked_and_ignored_files_are_validated(repository):
    """A Turtle file under data/ is part of the graph whether git tracks it, or even ignores it."""
    (repository / ".gitignore").write_text("data/projects/zz-*.ttl\n", encoding="utf-8")
    added = repository / "data" / "projects" / "zz-new.ttl"
    added.write_text(
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "<https://w3id.org/oaik/id/model/zz-new> prov:wasDerivedFrom <https://w3id.org/oaik/id/model/nowhere> .\n",
        encoding="utf-8",
    )
    since = validator(repository).validate(since="HEAD")
    assert [Path(f).name for f in since.files] == ["zz-new.ttl"]
    assert "oaiksh:DanglingReferenceRule" in {r.rule for r in since.results if "nowhere" in (r.value or "")}
    assert since.exit_code() == 1


def test_nothing_changed_reports_nothing(repository):
    since = validator(repository).validate(since="HEAD")
    assert (since.results, since.files, since.exit_code()) == ([], [], 0)


@pytest.mark.parametrize("revision", ["nosuch", "--output=/tmp/oaik-x", "HEAD:data", " ", "HEAD\nmain"])
def test_an_unknown_revision_is_a_one_paragraph_error(repository, revision):
    from oaik.errors import OaikError

    with pytest.raises(OaikError) as raised:
        validator(repository).validate(since=revision)
    message = str(raised.value)
    assert raised.value.exit_code == 2 and "\n" not in message
    assert "--since" in message
    assert not Path("/tmp/oaik-x").exists()


def test_outside_a_git_repository(tmp_path):
    from conftest import copy_curated

    from oaik.errors import OaikError

    root = copy_curated(tmp_path / "tree")
    with pytest.raises(OaikError, match="git"):
        validator(root).validate(since="HEAD")


def test_the_command_refuses_paths_with_since():
    done = subprocess.run(
        [sys.executable, "-m", "oaik.cli", "validate", "--since", "HEAD", "data/projects"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not both" in done.stderr and "Traceback" not in done.stderr


SUBCLASS = (
    "@prefix oaik: <https://w3id.org/oaik/ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "oaik:Software rdfs:subClassOf oaik:Model .\n"
)


def test_a_class_hierarchy_edit_reaches_the_nodes_that_refer_to_its_instances(repository):
    """``sh:class`` follows a value's type up the class hierarchy: a new subclass axiom changes results on
    nodes two steps away (a benchmark forked from software that is now also a model), in any file."""
    before = validator(repository).validate()
    axiom = repository / "ontology" / "zz-new.ttl"
    axiom.write_text(SUBCLASS, encoding="utf-8")
    after = validator(repository).validate()
    expected = outside(after.results, "zz-new.ttl") - outside(before.results, "zz-new.ttl")
    assert any(rule == "oaiksh:BenchmarkShape-forkOf" for rule, *_ in expected)

    since = validator(repository).validate(since="HEAD")
    assert outside(since.results, "zz-new.ttl") == expected
    assert since.exit_code() == 1
    alone = validator(repository).validate([axiom])  # without the file, the benchmark conforms
    assert outside(alone.results, "zz-new.ttl") == expected


def test_changed_shapes_mean_the_whole_graph_is_validated(repository, monkeypatch):
    from oaik.paths import shapes_dir

    shutil.copytree(shapes_dir(), repository / "shapes")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "shapes")
    monkeypatch.setattr("oaik.validation.validate.shapes_dir", lambda: repository / "shapes")
    shapes = sorted((repository / "shapes").glob("*.ttl"))[0]
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    since = validator(repository).validate(since="HEAD")
    assert "the shapes (shapes/) changed since HEAD" in since.note
    whole = validator(repository).validate()
    assert Counter(key(r) for r in since.results) == Counter(key(r) for r in whole.results)
    assert since.files == whole.files


def test_a_version_that_did_not_parse_at_the_revision_means_the_whole_graph(repository):
    project = repository / "data" / "projects" / "eleutherai.ttl"
    text = project.read_text(encoding="utf-8")
    project.write_text(text + "\nthis is not Turtle\n", encoding="utf-8")
    git(repository, "commit", "-q", "-am", "broken")
    project.write_text(text.replace(RENAMED, "organization:eleuther-ai a org:Organization"), encoding="utf-8")
    since = validator(repository).validate(since="HEAD")
    assert since.note.startswith("data/projects/eleutherai.ttl is not readable Turtle at HEAD")
    whole = validator(repository).validate()
    assert Counter(key(r) for r in since.results) == Counter(key(r) for r in whole.results)
    assert "oaiksh:DanglingReferenceRule" in {r.rule for r in since.results if r.file.endswith("hugging-face.ttl")}


def test_a_deleted_file_whose_name_has_a_newline(repository):
    """git's batch format is one name a line: such a file's old version is asked for on its own."""
    before = validator(repository).validate()
    odd = repository / "data" / "projects" / "eleuther\nai.ttl"
    (repository / "data" / "projects" / "eleutherai.ttl").rename(odd)
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "odd name")
    odd.unlink()
    since = validator(repository).validate(since="HEAD")
    after = validator(repository).validate()
    expected = Counter(key(r) for r in after.results) - Counter(key(r) for r in before.results)
    assert expected and Counter(key(r) for r in since.results) == expected


def test_an_entity_defined_again_is_reported_in_both_files(repository):
    """Defining in a changed file an entity another file defines makes both files wrong, as a full
    validation says: the other file's result is new too."""
    before = validator(repository).validate()
    project = repository / "data" / "projects" / "eleutherai.ttl"
    text = project.read_text(encoding="utf-8")
    project.write_text(text + '\norganization:google rdfs:label "Google again"@en .\n', encoding="utf-8")
    name = "data/projects/eleutherai.ttl"
    after = validator(repository).validate()
    expected = outside(after.results, name) - outside(before.results, name)
    assert "oaiksh:DefinedOnceRule" in {rule for rule, *_ in expected}
    for report in (validator(repository).validate(since="HEAD"), validator(repository).validate([project])):
        assert outside(report.results, name) == expected
