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


def test_rdf12_file_is_left_out_of_the_store_with_its_error(tmp_path):
    from oaik.store import persistent

    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "good.ttl").write_text(PREFIXES + "ex:a ex:p ex:b .\n", encoding="utf-8")
    (tree / "bad.ttl").write_text(CASES["version"][0], encoding="utf-8")
    os.environ["OAIK_STORE"] = ":memory:"
    try:
        update = persistent.update_store([tree])
    finally:
        del os.environ["OAIK_STORE"]
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
