"""OWL reasoning: owlready2 loads the ontology and HermiT finds it consistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REASONING = Path(__file__).resolve().parent / "resources" / "reasoning"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java: 'java' is not on PATH")


def ontology_files() -> list[Path]:
    from oaik.paths import ontology_dir, turtle_files

    return turtle_files(ontology_dir())


@needs_java
def test_ontology_is_consistent_and_every_class_satisfiable():
    from oaik.validation.reason import reason_files

    outcome = reason_files(ontology_files())
    assert outcome.consistent is True, outcome.as_text()
    assert outcome.unsatisfiable == [], outcome.as_text()


@needs_java
def test_ontology_is_consistent_with_individuals_of_every_major_class():
    from oaik.validation.reason import reason_files

    outcome = reason_files([*ontology_files(), REASONING / "individuals.ttl"])
    assert outcome.consistent is True and outcome.exit_code == 0, outcome.as_text()


@needs_java
def test_inconsistency_is_reported_in_plain_words():
    from oaik.validation.reason import reason_files

    outcome = reason_files([*ontology_files(), REASONING / "inconsistent.ttl"])
    assert outcome.consistent is False and outcome.exit_code == 1
    causes = "\n".join(outcome.causes)
    assert "project:reasoning-clash is an instance of both oaik:Artifact and oaik:Project" in causes
    assert "evidence:reasoning-two-quotes has 2 different values for oaik:quote" in causes
    assert 'claim:reasoning-negative oaik:value "-3"^^xsd:nonNegativeInteger' in causes


@needs_java
def test_shipped_graph_is_consistent():
    from oaik.validation.reason import reason

    outcome = reason()
    assert outcome.consistent is True and not outcome.unsatisfiable, outcome.as_text()


@needs_java
def test_validate_reason_option(capsys):
    from oaik.cli import main

    valid = Path(__file__).resolve().parent / "resources" / "contributions" / "valid" / "compute-partnership.ttl"
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--reason", str(valid)])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "OWL reasoning (HermiT): consistent" in out


def test_the_individuals_use_every_class_of_the_ontology():
    from oaik.namespaces import OAIK
    from oaik.store.graph import parse_files

    defined = {
        t.subject.value
        for f in parse_files(ontology_files())
        for t in f.triples
        if t.predicate.value.endswith("#type")
        and t.object.value.endswith("#Class")
        and t.subject.value.startswith(OAIK)
    }
    used = {
        t.object.value
        for f in parse_files([REASONING / "individuals.ttl"])
        for t in f.triples
        if t.predicate.value.endswith("#type")
    }
    abstract = {OAIK + c for c in ("Artifact", "Software", "Dataset", "Publication", "Application", "Claim")}
    assert defined - abstract <= used, f"add individuals of {sorted(defined - abstract - used)}"


def test_literals_hermit_does_not_support_are_retyped():
    import pyoxigraph as ox

    from oaik.validation.reason import reasoner_triples

    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("http://purl.org/dc/terms/issued")
    year = ox.Literal("2025", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    count = ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
    given, retyped = reasoner_triples([ox.Triple(s, p, year), ox.Triple(s, p, count)])
    assert retyped == 1
    assert given[0].object == ox.Literal("2025") and given[1].object == count


def test_missing_java_is_a_clear_error(monkeypatch):
    from oaik.validation import reason

    monkeypatch.setattr(reason.shutil, "which", lambda name: None)
    outcome = reason.reason_files(ontology_files())
    assert outcome.consistent is None and outcome.exit_code == 2
    assert "java" in outcome.message


@needs_java
def test_validate_reason_json_is_one_document(capsys):
    import json

    from oaik.cli import main

    valid = Path(__file__).resolve().parent / "resources" / "contributions" / "valid" / "compute-partnership.ttl"
    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--reason", "--format", "json", str(valid)])
    document = json.loads(capsys.readouterr().out)
    assert exit_.value.code == 0 and document["exit_code"] == 0
    assert document["reasoning"]["consistent"] is True
