"""Untrusted SPARQL never reaches the network or the file system (issue 9, point 1).

Two independent layers are tested: the read-only check (a real SPARQL parse)
refuses every query of the smuggling corpus, and the OS-level fence stops a
query that gets past the check (the check is bypassed on purpose here). A bait
endpoint on 127.0.0.1 records every connection and answers with rows that
must never show up in the output.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leak_listener import BAIT, listening, smuggling_queries

from oaik.errors import OaikError
from oaik.query.sandbox import SandboxUnavailable, enter_sandbox, run_limited, sandbox_available
from oaik.query.sparql_text import check_read_only

pytestmark = pytest.mark.skipif(not sandbox_available(), reason="seccomp (libseccomp + pyseccomp) is unavailable here")

#: the three smuggling classes of issue 9, each of which the old lexical check let through
ISSUE_CLASSES = ("cr-ends-comment.rq", "escaped-local-name.rq", "less-than-operator.rq")
CORPUS = sorted(smuggling_queries("127.0.0.1:1"))


@dataclass
class Result:
    exit_code: int
    output: str  # standard output and error


def run_oaik(*args: str, input: str | None = None) -> Result:
    """Run ``oaik.cli.main`` in this process (one-paragraph errors, exit codes), its output captured."""
    import io

    from oaik.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")))
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _stdin(stdin):
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    return Result(code, out.getvalue() + err.getvalue())


@contextlib.contextmanager
def _stdin(stream):
    saved, sys.stdin = sys.stdin, stream
    try:
        yield
    finally:
        sys.stdin = saved


@pytest.fixture
def small_graph(monkeypatch):
    """`oaik sparql` on a one-triple graph, so that each run costs milliseconds."""
    store = ox.Store()
    node = ox.NamedNode("https://w3id.org/oaik/id/example")
    store.add(ox.Quad(node, node, ox.Literal("local")))
    monkeypatch.setattr("oaik.store.open_store", lambda *args, **kwargs: store)
    monkeypatch.setattr("oaik.store.persistent.store_folders", lambda: ())  # in memory: the full fence
    return store


def oaik_sparql(query: str):
    return run_oaik("sparql", query, "--timeout", "10")


def run_unchecked(store: ox.Store, query: str) -> str:
    """Run a query in pyoxigraph with no check at all; the result serialised (for leak checks)."""
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return str(bool(result))
    if isinstance(result, ox.QuerySolutions):
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode()
    return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES).decode()


@pytest.mark.parametrize("name", ISSUE_CLASSES)
def test_the_issue_classes_really_reach_the_listener_when_unchecked(name):
    """The corpus is live: without check and fence, pyoxigraph connects and the bait comes back."""
    with listening() as listener:
        output = run_unchecked(ox.Store(), smuggling_queries(listener.address)[name])
        time.sleep(0.1)
    assert listener.connections, "the query did not reach the listener: the corpus entry is not a live attack"
    assert BAIT in output


@pytest.mark.parametrize("name", CORPUS)
def test_oaik_sparql_refuses_every_smuggling_query(small_graph, name):
    with listening() as listener:
        result = oaik_sparql(smuggling_queries(listener.address)[name])
        time.sleep(0.1)
    assert listener.connections == []
    assert BAIT not in result.output
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("name", CORPUS)
def test_the_read_only_check_refuses_every_smuggling_query(name):
    with pytest.raises(OaikError):
        check_read_only(smuggling_queries("127.0.0.1:1")[name])


def test_the_fence_stops_service_even_when_the_check_is_bypassed():
    store = ox.Store()
    with listening() as listener:
        queries = smuggling_queries(listener.address)
        with pytest.raises(OaikError, match="Permission denied"):
            run_limited(lambda: run_unchecked(store, queries["plain-service.rq"]), timeout=10)
        for name in (*ISSUE_CLASSES, "service-silent.rq"):
            try:
                output = run_limited(lambda name=name: run_unchecked(store, queries[name]), timeout=10)
            except OaikError as error:
                output = str(error)
            assert BAIT not in output
        time.sleep(0.1)
    assert listener.connections == []


def _fenced_attempts(path: Path, port: int) -> dict[str, str]:
    """What a fenced worker gets when it tries to open, create, connect and run a program."""

    def outcome(action) -> str:
        try:
            action()
        except OSError as error:
            return type(error).__name__
        return "allowed"

    return {
        "read": outcome(lambda: open(path, "rb").close()),
        "write": outcome(lambda: open(path.with_name("new.txt"), "wb").close()),
        "unlink": outcome(lambda: os.unlink(path)),
        "socket": outcome(lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close()),
        "unix": outcome(lambda: socket.socket(socket.AF_UNIX).close()),
        "udp": outcome(lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()),
        "exec": outcome(lambda: subprocess.run(["true"], check=False)),
    }


def test_the_fence_blocks_files_sockets_and_programs(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    with listening() as listener:
        port = int(listener.address.rsplit(":", 1)[1])
        outcomes = run_limited(lambda: _fenced_attempts(secret, port), timeout=10)
        time.sleep(0.1)
    assert outcomes == dict.fromkeys(outcomes, "PermissionError")
    assert listener.connections == []
    assert secret.read_text() == "secret" and not (tmp_path / "new.txt").exists()


def test_descriptors_opened_before_the_fence_keep_working():
    """A server worker accepts on an inherited listening socket and answers through it."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve_one() -> bytes:
        client, _ = server.accept()
        with client:
            request = client.recv(100)
            client.sendall(b"pong")
        return request

    answers: list[bytes] = []

    def ask() -> None:
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"ping")
            answers.append(connection.recv(100))

    thread = threading.Thread(target=ask)
    thread.start()
    try:
        assert run_limited(serve_one, timeout=10) == b"ping"
    finally:
        thread.join(5)
        server.close()
    assert answers == [b"pong"]


def test_without_the_fence_ad_hoc_queries_are_refused(small_graph, monkeypatch):
    """Fail closed: no seccomp, no ad-hoc query (exit 2, one paragraph), nothing run."""

    from oaik.query.sandbox import _unavailable

    def unavailable():
        raise SandboxUnavailable(_unavailable("libseccomp could not be loaded (in this test)"))

    monkeypatch.setattr("oaik.query.sandbox._seccomp", unavailable)
    result = oaik_sparql("SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "operating-system sandbox is unavailable" in result.output and "local" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_fence_reports_unavailable_instead_of_running_unfenced(monkeypatch):
    def unavailable():
        raise SandboxUnavailable("no seccomp here")

    monkeypatch.setattr("oaik.query.sandbox._seccomp", unavailable)
    ran = []
    with pytest.raises(SandboxUnavailable):
        run_limited(lambda: ran.append(1), timeout=10)
    with pytest.raises(SandboxUnavailable):
        enter_sandbox()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv to drop to nobody")
def test_the_fence_works_unprivileged(tmp_path):
    """As user nobody (no capabilities) the fence installs and blocks a file open."""
    script = (
        "from oaik.query.sandbox import enter_sandbox\n"
        "enter_sandbox()\n"
        "try:\n    open('/etc/hostname')\nexcept PermissionError:\n    print('blocked')\n"
    )
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", script]
    probe = subprocess.run([*command[:-2], "-c", "import oaik"], capture_output=True, text=True, cwd=tmp_path)
    if probe.returncode != 0:
        pytest.skip(f"user nobody cannot run this Python/oaik checkout: {probe.stderr.strip()[-200:]}")
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.stdout.strip() == "blocked", result.stderr


def test_legitimate_queries_pass_the_check():
    from oaik.query.canned import load_queries

    for query in load_queries().values():
        check_read_only(query.text)
    check_read_only("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) } # a comment\r\n")
    check_read_only(
        "SELECT * FROM <https://w3id.org/oaik/graph> { ?s ?p ?o }", frozenset({"https://w3id.org/oaik/graph"})
    )


def test_an_integer_parameter_is_a_whole_integer():
    from oaik.query.canned import Param, to_term

    param = Param("limit", "_limit_integer", "datatype", True, None, "http://www.w3.org/2001/XMLSchema#integer")
    assert str(to_term(param, "12")) == '"12"^^<http://www.w3.org/2001/XMLSchema#integer>'
    for bad in ("1\n", "1 ", "", "1e3", "١"):
        with pytest.raises(OaikError, match="is not an integer"):
            to_term(param, bad)


# --- a bounded fuzz run ------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["\r", "\n", "\r\n", "\u2028", "\u0085", "\f", "#", "<", ">", "'", '"', '"""', "\\", "\\#", "{", "}", "(", ")",
     " ", ".", ";", "?x", "e:", ":", "SERVICE", "SILENT", "FROM", "\\u0053", "&&", "BASE <http://@LISTENER@/>"]
)  # fmt: skip


@st.composite
def mutated_queries(draw) -> tuple[str, list[tuple[int, str]]]:
    base = draw(st.sampled_from(CORPUS))
    edits = draw(st.lists(st.tuples(st.integers(min_value=0, max_value=400), _PIECES), min_size=1, max_size=4))
    return base, edits


@pytest.fixture(scope="module")
def bait():
    with listening() as listener:
        yield listener


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_queries())
def test_fuzzed_queries_never_reach_the_listener(small_graph, bait, case):
    base, edits = case
    query = smuggling_queries(bait.address)[base]
    for position, piece in edits:
        position %= len(query) + 1
        query = query[:position] + piece.replace("@LISTENER@", bait.address) + query[position:]
    result = oaik_sparql(query)
    assert bait.connections == []
    assert BAIT not in result.output
    assert result.exit_code in (0, 2)


def test_a_query_file_that_is_not_utf8_is_a_usage_error(tmp_path):
    """It was exit 70 (UnicodeDecodeError)."""
    query = tmp_path / "q.rq"
    query.write_bytes(b"SELECT \xff * WHERE {}")
    result = run_oaik("sparql", "--file", str(query))
    assert result.exit_code == 2 and "is not UTF-8 text (byte 0xff at offset 7)" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("source", ["device", "pipe", "huge file", "huge standard input"])
def test_a_query_file_is_a_regular_file_of_at_most_1_mib(tmp_path, source):
    """``-f /dev/zero`` was read until memory ran out (exit 70); a FIFO kept it waiting for ever."""
    import os

    from oaik.inputfile import QUERY

    path, given = tmp_path / "q.rq", None
    if source == "device":
        path = Path("/dev/zero")
    elif source == "pipe":
        os.mkfifo(path)
    elif source == "huge file":
        with path.open("wb") as stream:
            stream.truncate(QUERY.limit + 1)
    else:
        path, given = Path("-"), "#" * (QUERY.limit + 1)
    result = run_oaik("sparql", "--file", str(path), input=given)
    expected = {"device": "is a device", "pipe": "is a pipe"}.get(source, "is larger than 1 MiB")
    assert result.exit_code == 2 and expected in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_query_file_may_be_a_link_to_a_regular_file(small_graph, tmp_path):
    """The query file is the user's own, not untrusted input: a link to it is followed."""
    (tmp_path / "q.rq").write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    (tmp_path / "link.rq").symlink_to(tmp_path / "q.rq")
    result = run_oaik("sparql", "--file", str(tmp_path / "link.rq"))
    assert result.exit_code == 0 and result.output.strip() == "true", result.output


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p '\udcff' }", "SELECT * WHERE " + "{" * 500 + "}" * 500])
def test_odd_or_deep_queries_are_refused_clearly(text):
    with pytest.raises(OaikError, match=r"U\+DCFF|nested too deeply"):
        check_read_only(text)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * FROM nope:x WHERE { ?s ?p ?o }", "the prefix nope: is not declared"),
        ("SELECT * FROM oaik:x WHERE { ?s ?p ?o }", "FROM <https://w3id.org/oaik/ns#x> is refused"),
        ("SELECT * WHERE { SERVICE nope:x { ?s ?p ?o } }", "SERVICE nope:x is refused"),
        ("INSERT#x", "updates are refused"),
    ],
)
def test_refusals_are_one_paragraph_with_exit_2(small_graph, query, message):
    result = oaik_sparql(query)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


# --- a worker that reads a store on disk: Landlock lets it read there and nowhere else -----------


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    """An on-disk store of many table files, which RocksDB opens lazily (after the fence)."""
    folder = tmp_path_factory.mktemp("rocksdb")
    store = ox.Store(str(folder))
    for batch in range(30):
        graph = ox.NamedNode(f"https://example.org/g{batch}")
        p = ox.NamedNode("https://example.org/p")
        store.bulk_extend(
            ox.Quad(ox.NamedNode(f"https://example.org/s{batch}-{i}"), p, ox.Literal(f"v{i}"), graph)
            for i in range(500)
        )
    store.flush()
    del store
    assert len(list(folder.glob("*.sst"))) > 50
    return folder, ox.Store.read_only(str(folder))


def test_a_worker_reads_its_store_on_disk_and_nothing_else(disk_store, tmp_path):
    folder, store = disk_store
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")

    def attempts() -> dict:
        count = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", use_default_graph_as_union=True)
        outcomes = {"count": next(iter(count))["n"].value}
        for name, action in {
            "read outside": outside.read_text,
            "write inside": lambda: open(folder / "new", "w").close(),
            "socket": lambda: socket.socket().close(),
            "exec": lambda: subprocess.run(["true"], check=False),
        }.items():
            try:
                action()
                outcomes[name] = "allowed"
            except PermissionError:
                outcomes[name] = "refused"
        return outcomes

    outcomes = run_limited(attempts, timeout=60, memory=None, readable=[folder])
    assert outcomes == {
        "count": "15000",
        "read outside": "refused",
        "write inside": "refused",
        "socket": "refused",
        "exec": "refused",
    }
    assert not (folder / "new").exists()


def test_oaik_sparql_on_the_persistent_store_is_fenced_even_without_the_check(monkeypatch):
    """The real `oaik sparql` path (persistent store, Landlock + seccomp), the check switched off."""
    monkeypatch.setattr("oaik.query.sparql_text.check_read_only", lambda query, allowed_iris=frozenset(): None)
    with listening() as listener:
        result = oaik_sparql(smuggling_queries(listener.address)["plain-service.rq"])
        time.sleep(0.1)
    assert listener.connections == [] and BAIT not in result.output
    assert result.exit_code == 2 and "Permission denied" in result.output
    counted = oaik_sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s a oaik:Project }")
    assert counted.exit_code == 0 and "(1 row)" in counted.output


def test_oaik_sparql_sees_no_named_graph_of_the_store():
    """The persistent store names a graph after each source file (file:///…): `oaik sparql` showed them."""
    query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3"
    result = run_oaik("sparql", query, "--format", "csv")
    assert result.exit_code == 0 and result.output.strip() == "g", result.output
