"""Input the loader refuses: RDF 1.2 and tokens over 16 MiB give exit 2 with file:line, never exit 70."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PREFIXES = "@prefix ex: <http://example.org/> .\n"

CASES = {
    "triple-term": (PREFIXES + "ex:a ex:p ex:b .\n\nex:s ex:says <<( ex:a ex:p ex:b )>> .\n", 4),
    "reifier": (PREFIXES + "ex:a ex:p ex:b .\nex:c ex:p ex:d ~ ex:r .\n", 3),
    "annotation": (PREFIXES + "\nex:a ex:p ex:b {| ex:source ex:c |} .\n", 3),
    "version": ('# a comment\nVERSION "1.2"\n' + PREFIXES + "ex:a ex:p ex:b .\n", 2),
    "at-version": ('@version "1.2" .\n' + PREFIXES + "ex:a ex:p ex:b .\n", 1),
}


def oaik(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OAIK_STORE": str(tmp_path / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "oaik.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_rdf12_input_is_refused_with_file_and_line(name, tmp_path):
    from oaik.errors import OaikError
    from oaik.store.graph import parse_file

    text, line = CASES[name]
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OaikError) as raised:
        parse_file(path)
    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert message.startswith(f"{path}:{line}: RDF 1.2 is not supported"), message


def test_rdf12_contribution_exits_2_in_validate(tmp_path):
    path = tmp_path / "contribution.ttl"
    path.write_text(CASES["triple-term"][0], encoding="utf-8")
    done = oaik("validate", str(path), tmp_path=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "RDF 1.2 is not supported" in done.stdout + done.stderr
    assert "contribution.ttl:4" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_rdf12_file_is_left_out_of_the_store_with_its_error(tmp_path, monkeypatch):
    from oaik.store import persistent

    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.ttl").write_text(PREFIXES + "ex:a ex:p ex:b .\n", encoding="utf-8")
    (tree / "bad.ttl").write_text(CASES["version"][0], encoding="utf-8")
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    update = persistent.update_store([tree])
    assert [p.name for p in update.parsed] == ["good.ttl"]
    assert str(update.errors[tree / "bad.ttl"]).startswith(f"{tree / 'bad.ttl'}:2: RDF 1.2 is not supported")
    from oaik.store.graph import triple_count

    assert triple_count(update.store) == 1


@pytest.fixture(scope="module")
def huge_literal(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "huge.ttl"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(PREFIXES + "ex:a ex:p ex:b .\n")
        stream.write('ex:a ex:text "' + "x" * (17 * 1024 * 1024) + '" .\n')
    return path


def test_a_literal_over_16_mib_is_refused_with_file_and_line(huge_literal):
    from oaik.errors import OaikError
    from oaik.store.graph import parse_file

    with pytest.raises(OaikError) as raised:
        parse_file(huge_literal)
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith(f"{huge_literal}:3: a literal or IRI is longer than 16 MiB")


def test_a_literal_over_16_mib_exits_2_in_validate(huge_literal, tmp_path):
    done = oaik("validate", str(huge_literal), tmp_path=tmp_path)
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "huge.ttl:3" in done.stdout + done.stderr and "16 MiB" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


TRIG_ONLY = {
    "default-graph-block": PREFIXES + "{ ex:a ex:p ex:b . }\n",
    "named-graph-block": PREFIXES + "ex:g { ex:a ex:p ex:b . }\n",
    "graph-keyword": PREFIXES + "GRAPH ex:g { ex:a ex:p ex:b . }\n",
    "syntax-error": PREFIXES + "ex:a ex:p .\n",
}


@pytest.mark.parametrize("name", sorted({**CASES, **TRIG_ONLY}))
def test_the_store_loader_refuses_what_the_turtle_reader_refuses_with_its_words(name, tmp_path):
    """The store reads files through TriG's parser when that is safe; TriG-only syntax and every error stay Turtle's."""
    from oaik.errors import OaikError
    from oaik.store.graph import read_quads, read_triples

    path = tmp_path / f"{name}.ttl"
    path.write_text(CASES[name][0] if name in CASES else TRIG_ONLY[name], encoding="utf-8")
    with pytest.raises(OaikError) as turtle:
        read_triples(path)
    with pytest.raises(OaikError) as store:
        read_quads(path, path.resolve().as_uri(), path.read_bytes())
    assert str(store.value) == str(turtle.value)


def test_the_store_loader_reads_every_shipped_file_as_the_turtle_reader_does():
    import pyoxigraph as ox

    from oaik.paths import graph_files
    from oaik.store.graph import read_quads, read_triples

    def canonical(quads) -> set:
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return set(dataset)

    files = graph_files()
    assert len(files) > 100
    for path in files:
        base = path.resolve().as_uri()
        turtle = [ox.Quad(t.subject, t.predicate, t.object) for t in read_triples(path, base)]
        quads = read_quads(path, base, path.read_bytes())
        assert len(quads) == len(turtle), path
        assert canonical(quads) == canonical(turtle), path


def test_a_byte_order_mark_is_named_and_how_to_save_without_it(tmp_path):
    """Oxigraph refuses a UTF-8 file that starts with a byte order mark, which some editors write: the error says
    so (not "\ufeff is not a valid subject", with the mark invisible in the terminal)."""
    path = tmp_path / "contribution.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + PREFIXES.encode() + b"ex:a ex:p ex:b .\r\n")
    done = oaik("validate", str(path), tmp_path=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "line 1" in output and "byte order mark" in output and "without" in output, output
    assert "\ufeff" not in output and "Traceback" not in output
