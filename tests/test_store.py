"""The persistent store: reuse, incremental updates, kills, concurrency and corruption.

Each check runs the store in a fresh Python process (as the commands do) on a
small tree of Turtle files in a temporary folder, with its own cache folder
(``OAIK_STORE``). The child reports what opening the store did (files parsed,
removed, rebuilt) and the triples it holds, so reuse is asserted by counts,
never by timing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

EX = "http://example.org/"

_REPORT = """
import json, sys
from pathlib import Path
from oaik.store import persistent
update = persistent.update_store([Path(sys.argv[1])], read_only=True)
rows = persistent.query(update.store, "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }")
print(json.dumps({
    "parsed": sorted(p.name for p in update.parsed),
    "removed": sorted(p.name for p in update.removed),
    "errors": {p.name: str(e) for p, e in update.errors.items()},
    "rebuilt": update.rebuilt,
    "counters": persistent.counters,
    "triples": sorted(f"{r['s'].value} {r['o'].value}" for r in rows),
    "graphs": sorted(p.name for p in persistent.source_files(update.store)),
}))
"""


def write(tree: Path, name: str, *objects: str) -> Path:
    path = tree / name
    lines = [f"@prefix ex: <{EX}> ."] + [f"ex:{path.stem} ex:p ex:{obj} ." for obj in objects]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    folder = tmp_path / "tree"
    folder.mkdir()
    write(folder, "a.ttl", "one", "two")
    write(folder, "b.ttl", "three")
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "OAIK_STORE": str(tmp_path / "cache")}


def run(tree: Path, env: dict[str, str], script: str = _REPORT) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script, str(tree)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def expected(tree: Path) -> list[str]:
    """The triples of the tree, parsed afresh in memory."""
    import pyoxigraph as ox

    found = []
    for path in sorted(tree.glob("*.ttl")):
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            found.append(f"{triple.subject.value} {triple.object.value}")
    return sorted(found)


def test_a_second_run_parses_nothing(tree, env):
    first = run(tree, env)
    assert first["rebuilt"] and first["parsed"] == ["a.ttl", "b.ttl"]
    second = run(tree, env)
    assert second["counters"] == {"parsed": 0, "rebuilt": 0}
    assert second["triples"] == first["triples"] == expected(tree)
    assert second["graphs"] == ["a.ttl", "b.ttl"]


def test_a_touched_but_unchanged_file_is_not_parsed(tree, env):
    run(tree, env)
    os.utime(tree / "a.ttl", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert run(tree, env)["counters"]["parsed"] == 0


def test_a_changed_file_is_parsed_again_and_replaced(tree, env):
    run(tree, env)
    write(tree, "a.ttl", "four")
    result = run(tree, env)
    assert result["parsed"] == ["a.ttl"] and not result["rebuilt"]
    assert result["triples"] == expected(tree)
    assert f"{EX}a {EX}one" not in result["triples"]


def test_new_and_removed_files(tree, env):
    run(tree, env)
    (tree / "b.ttl").unlink()
    write(tree, "c.ttl", "five")
    result = run(tree, env)
    assert result["parsed"] == ["c.ttl"] and result["removed"] == ["b.ttl"]
    assert result["triples"] == expected(tree)
    assert result["graphs"] == ["a.ttl", "c.ttl"]


@pytest.mark.parametrize(
    ("refused", "error"),
    [
        ("ex:b ex:p .", "b.ttl:2"),  # a syntax error
        ("ex:b ex:p 1.50 .", 'b.ttl:2: the value "1.50"^^xsd:decimal would be stored as "1.5"^^xsd:decimal'),
    ],
    ids=["syntax-error", "not-stored-as-written"],
)
def test_a_file_the_store_refuses_is_reported_and_left_out(tree, env, refused, error):
    run(tree, env)
    (tree / "b.ttl").write_text(f"@prefix ex: <{EX}> .\n{refused}\n", encoding="utf-8")
    result = run(tree, env)
    assert error in result["errors"]["b.ttl"]
    assert result["triples"] == [f"{EX}a {EX}one", f"{EX}a {EX}two"]
    write(tree, "b.ttl", "six")
    assert run(tree, env)["triples"] == expected(tree)


def test_a_link_device_or_pipe_among_the_files_is_refused_unread(tree, env, tmp_path):
    """A file of the graph that is a link (a pull request can add one: CI validates the whole graph), a
    device or a pipe is reported and never read: not the secret a link points to, not /dev/zero without end."""
    secret = write(tmp_path, "secret.ttl", "leaked")
    (tree / "c.ttl").symlink_to(secret)
    (tree / "d.ttl").symlink_to("/dev/zero")
    os.mkfifo(tree / "e.ttl")
    result = run(tree, env)
    assert "c.ttl: is a symbolic link" in result["errors"]["c.ttl"] and "leaked" not in json.dumps(result)
    assert "d.ttl: is a symbolic link" in result["errors"]["d.ttl"]
    assert "e.ttl: is a pipe (FIFO)" in result["errors"]["e.ttl"]
    assert result["triples"] == [f"{EX}a {EX}one", f"{EX}a {EX}two", f"{EX}b {EX}three"]


_HASHES = """
import json, sys
from pathlib import Path
from oaik.paths import turtle_files
from oaik.store import persistent
tree = Path(sys.argv[1])
print(json.dumps({Path(k).name: v for k, v in persistent.content_hashes(turtle_files(tree), [tree]).items()}))
"""


def test_the_hashes_of_the_files_never_read_a_link_device_or_pipe(tree, env):
    """What a cached validation report is checked against: a file the store does not read has no hash."""
    (tree / "d.ttl").symlink_to("/dev/zero")
    os.mkfifo(tree / "e.ttl")
    hashes = run(tree, env, _HASHES)
    assert hashes["zero"] == "" and hashes["e.ttl"] == ""  # d.ttl is keyed by its resolved path, /dev/zero
    assert len(hashes["a.ttl"]) == 64


_SLOW_UPDATE = """
import sys, time
from pathlib import Path
from oaik.store import persistent
load = persistent._load_file
def slow(path, add, *real):
    result = load(path, add, *real)
    print("loaded", path.name, flush=True)
    time.sleep(60)
    return result
persistent._load_file = slow
persistent.update_store([Path(sys.argv[1])])
"""


@pytest.mark.parametrize("stage", ["build", "update"])
def test_a_process_killed_mid_update_leaves_a_store_the_next_run_repairs(tree, env, stage):
    if stage == "update":
        run(tree, env)
        write(tree, "a.ttl", "seven")
        write(tree, "b.ttl", "eight")
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_UPDATE, str(tree)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().startswith("loaded")  # one file's graph written, the other not yet
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    result = run(tree, env)
    assert result["triples"] == expected(tree)
    assert result["graphs"] == ["a.ttl", "b.ttl"]
    assert run(tree, env)["counters"]["parsed"] == 0


def test_two_processes_at_once_both_succeed(tree, env, tmp_path):
    write(tree, "c.ttl", *[f"x{i}" for i in range(2000)])
    # Outputs go to files: a child blocked on a full pipe would hold the store until the other timed out.
    outputs = [(tmp_path / f"out{i}", tmp_path / f"err{i}") for i in range(2)]
    handles = [(out.open("w"), err.open("w")) for out, err in outputs]
    children = [
        subprocess.Popen([sys.executable, "-c", _REPORT, str(tree)], env=env, stdout=out, stderr=err)
        for out, err in handles
    ]
    for child, (out, err) in zip(children, handles, strict=True):
        child.wait(timeout=120)
        out.close()
        err.close()
    errors = [err.read_text() for _, err in outputs]
    assert [child.returncode for child in children] == [0, 0], errors
    assert not any("stayed in use" in text for text in errors), errors
    results = [json.loads(out.read_text()) for out, _ in outputs]
    assert all(result["triples"] == expected(tree) for result in results)
    assert sorted(result["rebuilt"] for result in results) == [False, True]  # one built, the other waited and reused


def test_a_corrupted_store_is_rebuilt(tree, env, tmp_path):
    run(tree, env)
    (location,) = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    for current in location.glob("CURRENT"):
        current.write_text("garbage\n")
    result = run(tree, env)
    assert result["rebuilt"] and result["triples"] == expected(tree)


def test_an_unreadable_manifest_triggers_a_rebuild(tree, env, tmp_path):
    run(tree, env)
    (location,) = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    (location / "oaik-manifest.json").write_text("{not json", encoding="utf-8")
    result = run(tree, env)
    assert result["rebuilt"] and result["triples"] == expected(tree)


def test_in_memory_store_when_asked(tree, env):
    result = run(tree, {**env, "OAIK_STORE": ":memory:"})
    assert result["rebuilt"] and result["triples"] == expected(tree)


def test_graph_names_round_trip_and_files_defining(tree, env, monkeypatch):
    from oaik.store import persistent

    assert persistent.graph_path(persistent.graph_name(tree / "a b.ttl")) == (tree / "a b.ttl").resolve()
    (tree / "d.ttl").write_text(f"<{EX}d> a <{EX}Thing> .\n", encoding="utf-8")
    monkeypatch.setenv("OAIK_STORE", env["OAIK_STORE"])
    store = persistent.open_store([tree])
    assert persistent.files_defining(store, [f"{EX}d", f"{EX}a"]) == {
        f"{EX}d": [(tree / "d.ttl").resolve()],
        f"{EX}a": [],
    }
    persistent.close_store(store)


_LONG_READER = """
import sys, time
from pathlib import Path
from oaik.store import persistent
persistent.update_store([Path(sys.argv[1])], read_only=True)
print("open", flush=True)
time.sleep(60)
"""


_SERVER_LIKE = """
import sys, time
from pathlib import Path
from oaik.store import persistent
persistent.open_store([Path(sys.argv[1])], read_only=True, long_reader="`oaik serve`")
print("open", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize(
    "script,wait,told",
    [
        (_LONG_READER, "1", "stayed in use by another oaik process"),
        (_SERVER_LIKE, "60", "is in use by `oaik serve` (process {pid})"),
    ],
    ids=["any reader, waited for up to OAIK_STORE_WAIT", "a server, not waited for"],
)
def test_a_long_reader_does_not_block_an_update(tree, env, script, wait, told):
    """While a reader holds the store, a run that must update it reads the files into memory: after
    ``$OAIK_STORE_WAIT`` seconds, or at once (naming it) for a reader that says it holds the store until it
    ends, as `oaik serve`'s workers do; the reader gone, the store itself is brought up to date."""
    reader = subprocess.Popen([sys.executable, "-c", script, str(tree)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().startswith("open")
        write(tree, "a.ttl", "nine")
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", _REPORT, str(tree)],
            env={**env, "OAIK_STORE_WAIT": wait},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert time.monotonic() - started < 30  # a server is not given the 60 s a short-lived holder is
        assert done.returncode == 0, done.stderr
        assert told.format(pid=reader.pid) in done.stderr
        assert json.loads(done.stdout)["triples"] == expected(tree)
    finally:
        reader.kill()
        reader.wait(30)
    result = run(tree, env)
    assert result["parsed"] == ["a.ttl"] and result["triples"] == expected(tree)


_REBUILD = """
import sys
from pathlib import Path
from oaik.errors import OaikError
from oaik.store import persistent
try:
    persistent.update_store([Path(sys.argv[1])], rebuild=True)
except OaikError as error:
    sys.exit(f"refused: {error}")
print("rebuilt")
"""


def test_a_rebuild_is_refused_while_a_server_holds_the_store(tree, env):
    """`oaik store rebuild` must rebuild the store: while `oaik serve` holds it, reading the files into memory
    instead (and saying "rebuilt", exit 0) left the store as it was. It is refused, naming the holder."""
    run(tree, env)
    reader = subprocess.Popen(
        [sys.executable, "-c", _SERVER_LIKE, str(tree)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().startswith("open")
        done = subprocess.run(
            [sys.executable, "-c", _REBUILD, str(tree)], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1 and "rebuilt" not in done.stdout
        assert f"is in use by `oaik serve` (process {reader.pid})" in done.stderr
        assert "oaik store rebuild" in done.stderr
    finally:
        reader.kill()
        reader.wait(30)


def test_two_oaik_stats_at_once_on_a_new_store(tmp_path):
    env = {**os.environ, "OAIK_STORE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "oaik.cli", "stats", "--format", "json"]
    children = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second and first["triples"] > 10000


def test_oaik_store_info_and_rebuild(tmp_path):
    env = {**os.environ, "OAIK_STORE": str(tmp_path / "cache")}

    def oaik(*args: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "oaik.cli", "store", *args, "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = oaik("info")
    assert first["rebuilt"] and first["location"].startswith(str(tmp_path / "cache"))
    second = oaik("info")
    assert not second["rebuilt"] and second["parsed"] == [] and second["quads"] == first["quads"]
    rebuilt = oaik("rebuild")
    assert rebuilt["rebuilt"] and len(rebuilt["parsed"]) == rebuilt["files"] and rebuilt["quads"] == first["quads"]


def test_a_triple_stated_in_two_files_is_one_triple_until_neither_states_it(tree, env):
    """The default graph is the merge of the file graphs (a set), kept so as files change and go."""
    shared = f"@prefix ex: <{EX}> .\nex:a ex:p ex:shared .\n"
    (tree / "b.ttl").write_text(shared, encoding="utf-8")
    write(tree, "a.ttl", "one", "shared")
    first = run(tree, env)
    assert first["triples"].count(f"{EX}a {EX}shared") == 1
    assert first["triples"] == sorted(set(expected(tree)))
    write(tree, "a.ttl", "one")  # a stops stating it, b still does
    assert run(tree, env)["triples"].count(f"{EX}a {EX}shared") == 1
    (tree / "b.ttl").unlink()  # now nobody does
    assert run(tree, env)["triples"] == [f"{EX}a {EX}one"]


def test_the_files_of_a_folder_are_those_rglob_finds_in_the_same_order(tmp_path):
    """``turtle_files`` (one scandir per folder) lists what ``sorted(rglob("*.ttl"))`` lists: names that sort
    differently as strings and as path parts, a folder named like a file, symbolic links, hidden files."""
    from oaik.paths import turtle_files

    for name in ("a-b/x.ttl", "a/x.ttl", "a/b/c.ttl", "a.ttl", "Z.ttl", ".hidden.ttl", "n.ttl/in.ttl", "t.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    (tmp_path / "link.ttl").symlink_to(tmp_path / "a.ttl")
    (tmp_path / "dangling.ttl").symlink_to(tmp_path / "missing.ttl")
    expected = [
        ".hidden.ttl",
        "Z.ttl",
        "a/b/c.ttl",  # a folder's files by path parts ("a" < "a-b"), not as strings ("a-b/" < "a/")
        "a/x.ttl",
        "a-b/x.ttl",
        "a.ttl",
        "dangling.ttl",
        "link.ttl",
        "n.ttl",
        "n.ttl/in.ttl",
    ]
    assert turtle_files(tmp_path) == [tmp_path / name for name in expected]
    if sys.version_info < (3, 13):  # what the listing replaced (pathlib's globbing was rewritten in 3.13)
        assert turtle_files(tmp_path) == sorted(tmp_path.rglob("*.ttl"))


def test_a_file_resolves_as_pathlib_resolves_it(tmp_path, monkeypatch):
    """``resolved`` (each folder resolved once per process) gives ``Path.resolve()``: linked folders and files,
    ``..``, relative paths from the working folder, a dangling link."""
    from oaik.store.persistent import resolved

    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.ttl").write_text("", encoding="utf-8")
    (tmp_path / "via").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "link.ttl").symlink_to(tmp_path / "real" / "sub" / "a.ttl")
    (tmp_path / "real" / "dangling.ttl").symlink_to(tmp_path / "missing.ttl")
    monkeypatch.chdir(tmp_path / "via")
    for name in (
        "sub/a.ttl",
        "../via/sub/a.ttl",
        "link.ttl",
        "dangling.ttl",
        "sub/../link.ttl",
        str(tmp_path / "via" / "sub" / "a.ttl"),
        "new.ttl",
    ):
        assert resolved(Path(name)) == str(Path(name).resolve()), name


def test_oaik_store_prune_deletes_the_stores_of_deleted_trees_and_other_versions_only(tmp_path, env):
    """A deleted clone or an upgrade leaves a store behind; `oaik store prune` finds and deletes those, and
    only those: the store of a live tree stays, and so does a stale one that another process holds."""
    import fcntl
    import shutil

    trees = {}
    for name in ("live", "gone", "held"):
        trees[name] = tmp_path / name / "data"
        trees[name].mkdir(parents=True)
        write(trees[name], "a.ttl", "one")
        run(trees[name], env)
    cache = tmp_path / "cache"
    stores = {name: next(cache.glob(f"{name}-*[!k]")) for name in trees}  # not the .lock files
    older = cache / "live-0123456789abcdef"
    shutil.copytree(stores["live"], older)
    manifest = json.loads((older / "oaik-manifest.json").read_text())
    (older / "oaik-manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    (cache / f"{older.name}-report.json").write_text("{}")
    elsewhere = tmp_path / "elsewhere" / older.name
    shutil.copytree(older, elsewhere)
    (cache / "kept-elsewhere-0123456789abcdef").symlink_to(elsewhere, target_is_directory=True)
    shutil.rmtree(tmp_path / "gone")
    shutil.rmtree(tmp_path / "held")

    def prune(*args: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "oaik.cli", "store", "prune", *args, "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return {Path(row["location"]).name: row for row in json.loads(done.stdout)["stores"]}

    listed = prune("--dry-run")
    assert set(listed) == {stores["gone"].name, stores["held"].name, older.name}
    assert "none of its 1 source files exists" in listed[stores["gone"].name]["reason"]
    assert "store format 1" in listed[older.name]["reason"]
    assert all(row["state"] == "stale" and row["bytes"] > 0 for row in listed.values()) and older.is_dir()
    with (cache / f"{stores['held'].name}.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # a process still reading that store
        pruned = prune()
    assert {name: row["state"] for name, row in pruned.items()} == {
        stores["gone"].name: "removed",
        older.name: "removed",
        stores["held"].name: "in use, left",
    }
    assert not stores["gone"].exists() and not older.exists() and not (cache / f"{older.name}-report.json").exists()
    assert stores["held"].is_dir() and stores["live"].is_dir() and run(trees["live"], env)["parsed"] == []
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # nothing half-deleted left
    assert prune() == {stores["held"].name: {**pruned[stores["held"].name], "state": "removed"}}
    assert (cache / "kept-elsewhere-0123456789abcdef").is_symlink() and elsewhere.is_dir()  # never touched


def test_the_store_keeps_one_old_rocksdb_log_however_often_it_is_updated(tree, env, tmp_path):
    """RocksDB starts a new info log (140 KB for the shipped graph) at each read-write open and keeps the old
    ones (up to a thousand): each edit followed by a command would grow the store."""
    run(tree, env)
    for round_ in range(4):
        write(tree, "a.ttl", "one", f"edit{round_}")
        assert run(tree, env)["parsed"] == ["a.ttl"]
    (location,) = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    assert len(list(location.glob("LOG.old.*"))) <= 1


def test_an_error_kept_for_the_report_holds_no_frame_of_the_update(tree, tmp_path, monkeypatch):
    """A refused file's error is kept in the update; its traceback would hold the loader's frames and with
    them the read-write store, so reopening the store read-only failed now and then (RocksDB's lock)."""
    from oaik.store import persistent

    monkeypatch.setenv("OAIK_STORE", str(tmp_path / "frames"))
    persistent.update_store([tree], read_only=True)
    (tree / "b.ttl").write_text(f"@prefix ex: <{EX}> .\nex:b ex:p .\n", encoding="utf-8")
    update = persistent.update_store([tree], read_only=True)
    error: BaseException | None = update.errors[tree / "b.ttl"]
    assert error is not None and "b.ttl:2" in str(error)
    while error is not None:
        assert error.__traceback__ is None, type(error)
        error = error.__cause__ or error.__context__
