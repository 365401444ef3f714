"""The cached report of a full validation: reused while nothing changed, never when anything did."""

from __future__ import annotations

import os

import pytest

from oaik.store.persistent import content_hashes
from oaik.validation.cache import full_report
from oaik.validation.validate import Report, Result


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("OAIK_STORE", str(tmp_path / "cache"))
    return tmp_path


def counting(results: list[Result]):
    calls = []

    def compute() -> Report:
        calls.append(1)
        return Report(list(results), ["data/x.ttl"])

    return compute, calls


RESULT = Result("Warning", "oaiksh:X", "Add a label.", focus="project:x", file="data/x.ttl", line=3, node="urn:x")


def test_a_second_run_with_nothing_changed_is_read_from_the_cache(cache):
    files = [cache / "a.ttl"]
    files[0].write_text("<urn:a> <urn:b> <urn:c> .\n")
    compute, calls = counting([RESULT])
    first = full_report(files, compute)
    second = full_report(files, compute)
    assert len(calls) == 1
    assert second.results == first.results == [RESULT] and second.files == first.files
    assert "cached" in second.timings and "cached" not in first.timings


def test_an_edit_that_keeps_size_and_time_is_seen(cache):
    path = cache / "a.ttl"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n")
    stat = path.stat()
    before = content_hashes([path])
    path.write_text("<urn:a> <urn:b> <urn:d> .\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert content_hashes([path]) != before
    compute, calls = counting([])
    full_report([path], compute)
    path.write_text("<urn:a> <urn:b> <urn:c> .\n")
    full_report([path], compute)
    assert len(calls) == 2


def test_a_damaged_cache_is_recomputed_and_replaced(cache):
    files = [cache / "a.ttl"]
    files[0].write_text("<urn:a> <urn:b> <urn:c> .\n")
    compute, calls = counting([RESULT])
    full_report(files, compute)
    (written,) = (cache / "cache").glob("*-report.json")
    written.write_text('{"key": "')
    assert full_report(files, compute).results == [RESULT]
    assert full_report(files, compute).results == [RESULT]
    assert len(calls) == 2


def test_a_report_with_syntax_errors_is_never_kept(cache):
    files = [cache / "a.ttl"]
    files[0].write_text("<urn:a> <urn:b> .\n")
    calls = []

    def compute() -> Report:
        calls.append(1)
        return Report([RESULT], ["data/x.ttl"], syntax_errors=1)

    full_report(files, compute)
    full_report(files, compute)
    assert len(calls) == 2


def test_in_memory_mode_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    files = [tmp_path / "a.ttl"]
    files[0].write_text("<urn:a> <urn:b> <urn:c> .\n")
    compute, calls = counting([])
    full_report(files, compute)
    full_report(files, compute)
    assert len(calls) == 2 and not list(tmp_path.glob("*-report.json"))


def test_the_cli_prints_the_same_report_from_the_cache(cache):
    import subprocess
    import sys

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "oaik.cli", "validate", "--format", "json"]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, env=os.environ.copy())

    first, second = run(), run()
    assert first.returncode == second.returncode == 0, first.stderr[-500:]
    assert first.stdout == second.stdout and first.stdout.startswith("{")
    assert list((cache / "cache").glob("*-report.json"))


def test_the_hashes_of_files_the_store_holds_unchanged_are_not_read_again(cache, monkeypatch):
    """A warm `oaik validate` with nothing changed reads no file of the graph: the store's manifest has the
    hash of each file whose size and modification time it recorded; a changed file is read."""
    from oaik.store import persistent

    tree = cache / "tree"
    tree.mkdir()
    files = [tree / "a.ttl", tree / "b.ttl"]
    for path in files:
        path.write_text(f"<urn:{path.stem}> <urn:p> <urn:o> .\n")
    persistent.close_store(persistent.open_store([tree], read_only=True))
    expected = content_hashes(files)
    read = []
    monkeypatch.setattr(persistent, "file_sha256", lambda path: read.append(path.name) or "read")
    assert content_hashes(files, [tree]) == expected and read == []
    files[1].write_text("<urn:b> <urn:p> <urn:changed> .\n")
    assert content_hashes(files, [tree]) == {**expected, str(files[1].resolve()): "read"} and read == ["b.ttl"]
