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


# --- nothing in a contribution is dereferenced (issue 9) ------------------------------------


@needs_java
def test_owl_imports_in_a_contribution_are_never_followed(tmp_path):
    """owl:imports of a listener URL, of file:///etc/passwd and of a FIFO: no connection, no open, seconds."""
    import errno
    import os
    import subprocess
    import sys
    import threading
    import time

    from leak_listener import listening

    fifo = tmp_path / "imported.owl"
    os.mkfifo(fifo)  # opening it to read would block: a reasoner following the import hangs and is caught
    opened: list[bool] = []
    stop = threading.Event()

    def watch_fifo() -> None:
        while not stop.is_set():
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                opened.append(True)  # only possible while someone has it open for reading
            except OSError as error:
                assert error.errno == errno.ENXIO
            time.sleep(0.01)

    watcher = threading.Thread(target=watch_fifo, daemon=True)
    watcher.start()
    with listening() as listener:
        contribution = tmp_path / "imports.ttl"
        contribution.write_text(
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            # imports of OAIK's own ontology IRI are the ones owlready2 follows; of a new ontology, too
            f"<https://w3id.org/oaik/ns> owl:imports <http://{listener.address}/ontology.owl> ,\n"
            f"  <file:///etc/passwd> , <{fifo.as_uri()}> .\n"
            "<https://w3id.org/oaik/id/contribution> a owl:Ontology ;\n"
            f"  owl:imports <http://{listener.address}/other.owl> , <{fifo.as_uri()}> .\n",
            encoding="utf-8",
        )
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", "from oaik.cli import main; main()", "validate", "--reason", str(contribution)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        elapsed = time.monotonic() - started
        time.sleep(0.1)
    stop.set()
    watcher.join(5)
    assert listener.connections == []
    assert opened == []
    assert "internal error" not in result.stderr and result.returncode in (0, 1), result.stdout + result.stderr
    assert "OWL reasoning (HermiT): consistent" in result.stdout, result.stdout
    assert elapsed < 120


def test_owl_imports_are_dropped_before_reasoning():
    import pyoxigraph as ox

    from oaik.validation.reason import OWL_IMPORTS, reasoner_triples

    ontology = ox.NamedNode("https://w3id.org/oaik/id/contribution")
    triples = [
        ox.Triple(ontology, ox.NamedNode(OWL_IMPORTS), ox.NamedNode("http://127.0.0.1:9/x.owl")),
        ox.Triple(ontology, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("kept")),
    ]
    given, _ = reasoner_triples(triples)
    assert given == triples[1:]


def test_the_reasoner_process_and_its_programs_cannot_connect():
    """The fence the reasoner runs under: no socket from Python, nor from a program it starts (as Java is)."""
    import socket
    import subprocess
    import sys
    import time

    from leak_listener import listening

    from oaik.query.sandbox import fence_network, run_limited, sandbox_available

    if not sandbox_available():
        pytest.skip("seccomp (libseccomp + pyseccomp) is unavailable here")
    with listening() as listener:
        host, port = listener.address.rsplit(":", 1)
        connect = f"import socket; socket.create_connection(({host!r}, {port}), timeout=5)"

        def attempts() -> tuple[str, int, bool]:
            try:
                socket.create_connection((host, int(port)), timeout=5).close()
                python = "allowed"
            except PermissionError:
                python = "refused"
            program = subprocess.run([sys.executable, "-c", connect], capture_output=True, check=False).returncode
            with open(__file__, "rb") as readable:  # files stay readable: owlready2 and Java need them
                return python, program, bool(readable.read(1))

        python, program, read = run_limited(attempts, timeout=60, memory=None, fence=fence_network)
        time.sleep(0.1)
    assert (python, read) == ("refused", True) and program != 0
    assert listener.connections == []
