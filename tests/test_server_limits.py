"""``oaik serve`` under hostile or heavy clients: connection cap, deadlines, row cap, memory, recycling, cache.

Raw sockets stand in for misbehaving clients; every server listens on
127.0.0.1 only and is stopped by its fixture.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.parse

import pytest
from servers import oaik_server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000000"
#: Sorting the cross product of the graph with itself must hold every row in memory.
GREEDY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def exchange(url: str, raw: bytes, timeout: float = 20.0) -> tuple[bytes, float]:
    """Send ``raw`` on a fresh connection; (everything answered until the server closes, seconds taken)."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(raw)
        return _read_all(sock), time.monotonic() - started


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def get_request(target: str, headers: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: test\r\n{headers}\r\n".encode()


def query_target(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


@pytest.fixture(scope="module")
def server():
    with oaik_server(timeout=5.0, workers=2, max_connections=40, request_deadline=1.5) as running:
        yield running


def test_versionless_request_line_is_answered_400_at_once(server):
    response, seconds = exchange(server.url, b"GET /health\r\n")
    assert status_of(response) == 400 and b"no HTTP version" in response
    assert seconds < 1.0


def test_duplicate_content_length_is_400(server):
    query = b"ASK {}"
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 6\r\nContent-Length: 6\r\n\r\n" + query
    )
    response, _ = exchange(server.url, raw)
    assert status_of(response) == 400 and b"more than one Content-Length" in response


def test_an_http_version_other_than_1_0_or_1_1_is_505(server):
    """`GET /health HTTP/9.9` was answered 200."""
    response, _ = exchange(server.url, b"GET /health HTTP/9.9\r\nHost: test\r\n\r\n")
    assert status_of(response) == 505 and b"HTTP/1.1" in response


def test_an_invalid_request_is_logged_once_in_the_servers_words(server, caplog):
    """uvicorn logged its own "Invalid HTTP request received." (with a traceback) beside the server's line."""
    response, _ = exchange(server.url, b"GET /health HTTP/1.1\r\nHost: test\r\nBad Header\r\n\r\n")
    assert status_of(response) == 400
    assert not [record for record in caplog.records if record.name.startswith("uvicorn")], caplog.text


def test_a_trickling_client_is_cut_off_at_the_deadline(server):
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        for byte in b"Host: test\r\nX-Slow: " + b"y" * 100:
            if select.select([sock], [], [], 0.25)[0]:  # the server answered: stop sending
                break
            sock.sendall(bytes([byte]))
        response = _read_all(sock)
    assert status_of(response) == 408 and b"not received within 1.5 s" in response
    assert time.monotonic() - started < 4


def test_a_slow_body_is_cut_off_at_the_deadline(server):
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n")
        sock.sendall(b"Content-Length: 100\r\n\r\nASK")
        response = _read_all(sock)
    assert status_of(response) == 408


def test_a_huge_limit_is_413_as_soon_as_the_cap_is_passed():
    with oaik_server(timeout=20.0, workers=1, max_rows=1000) as small:
        response, seconds = exchange(small.url, get_request(query_target(HUGE)))
    assert status_of(response) == 413 and b"1001 rows or more" in response and b"--max-rows" in response
    assert seconds < 5, f"answered after {seconds:.1f} s"


def test_a_worker_out_of_memory_is_503_with_the_limit_and_is_replaced():
    with oaik_server(timeout=60.0, workers=1, memory=128 * 1024**2) as small:
        before = small.pool.pids()
        response, _ = exchange(small.url, get_request(query_target(GREEDY)))
        assert status_of(response) == 503, response[:300]
        assert b"128 MiB" in response and b"--memory" in response and b"retry-after" in response.lower()
        response, _ = exchange(small.url, get_request(query_target("ASK { ?s ?p ?o }")))
        assert status_of(response) == 200 and small.pool.pids() != before


def test_workers_are_recycled_after_their_quota_of_queries():
    with oaik_server(workers=1, recycle_after=2) as small:
        first = small.pool.pids()
        for _ in range(2):
            assert status_of(exchange(small.url, get_request(query_target("ASK {}")))[0]) == 200
        deadline = time.monotonic() + 30
        while small.pool.pids() in (first, set()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert small.pool.pids() and small.pool.pids().isdisjoint(first)
        assert status_of(exchange(small.url, get_request(query_target("ASK {}")))[0]) == 200


def test_a_cached_canned_answer_is_identical_and_needs_no_worker():
    with oaik_server(timeout=5.0, workers=1) as small:
        target = "/queries/table-1"
        first, _ = exchange(small.url, get_request(target, "Accept: text/csv\r\n"))
        assert status_of(first) == 200
        busy = threading.Thread(target=exchange, args=(small.url, get_request(query_target(SLOW))))
        busy.start()  # the only worker is now busy for 5 s
        time.sleep(0.5)
        second, seconds = exchange(small.url, get_request(target, "Accept: text/csv\r\n"))
        busy.join(30)
    assert _body(second) == _body(first) and status_of(second) == 200
    assert seconds < 2, f"the cached answer took {seconds:.1f} s"


def _body(response: bytes) -> bytes:
    return response.split(b"\r\n\r\n", 1)[1]


def test_requests_beyond_the_connection_cap_get_503_with_retry_after(server):
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    idle = [socket.create_connection((host, int(port)), timeout=10) for _ in range(40)]
    try:
        time.sleep(0.2)
        response, _ = exchange(server.url, get_request("/health"))
    finally:
        for sock in idle:
            sock.close()
    assert status_of(response) == 503 and b"retry-after: 1" in response.lower() and b"--max-connections" in response


def test_a_hundred_concurrent_clients_are_all_answered_none_reset(server):
    """With a backlog of 1024 and a cap of 40 connections: 200 or 503 + Retry-After, never a reset."""
    results: list = []

    def client(number: int) -> None:
        try:
            response, _ = exchange(server.url, get_request(query_target(f"SELECT ({number} AS ?n) {{}}")))
            results.append(response)
        except OSError as error:
            results.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures[:3]
    statuses = [status_of(r) for r in results]
    assert len(statuses) == 100 and set(statuses) <= {200, 503}, statuses
    assert all(b"retry-after" in r.lower() for r in results if status_of(r) == 503)
    answered = [json.loads(_body(r)) for r in results if status_of(r) == 200]
    assert answered and all(a["results"]["bindings"][0]["n"]["value"].isdigit() for a in answered)


def test_an_extra_get_route_answers_before_the_endpoint_routes():
    """The hook for other pages (e.g. a static site at / and entity IRIs under /id/)."""

    def entity(path: str, accept: str | None):
        if not path.startswith("/id/"):
            return None
        kind = "text/turtle" if accept and "turtle" in accept else "text/html; charset=utf-8"
        return 200, {"Content-Type": kind, "Vary": "Accept"}, f"entity {path}".encode()

    with oaik_server(routes=[entity], workers=1) as small:
        response, _ = exchange(small.url, get_request("/id/project/x", "Accept: text/turtle\r\n"))
        assert status_of(response) == 200 and b"content-type: text/turtle" in response.lower()
        assert _body(response) == b"entity /id/project/x"
        assert _body(exchange(small.url, get_request("/health"))[0]) == b"ok\n"


def test_a_client_that_hangs_up_while_waiting_gives_its_turn_away():
    with oaik_server(timeout=2.0, workers=1) as small:
        host, port = urllib.parse.urlsplit(small.url).netloc.split(":")
        busy = threading.Thread(target=exchange, args=(small.url, get_request(query_target(SLOW))))
        busy.start()  # the only worker is busy for 2 s, then stopped (408)
        time.sleep(0.3)
        with socket.create_connection((host, int(port))) as impatient:
            impatient.sendall(get_request(query_target(SLOW + " # impatient")))
            time.sleep(0.3)  # queued behind the busy worker, then gone
        busy.join(30)
        time.sleep(3)  # had the abandoned query run, it would have timed out by now
        lines = list(small.log_lines)
    assert [line for line in lines if '" 499 ' in line and "impatient" in line], lines
    assert len([line for line in lines if '" 408 ' in line]) == 1, lines


def test_without_the_os_sandbox_workers_refuse_ad_hoc_queries_and_still_answer_canned_ones(tmp_path, monkeypatch):
    """Fail closed: a worker that cannot load libseccomp (here: a pyseccomp that will not import, seen by
    the worker processes through PYTHONPATH) answers ad-hoc queries 503 with the reason, never unfenced."""
    import os

    (tmp_path / "pyseccomp.py").write_text('raise ImportError("libseccomp.so.2 not found (in this test)")\n')
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])))
    with oaik_server(workers=1) as endpoint:
        response, _ = exchange(endpoint.url, get_request(query_target("ASK { ?s ?p ?o }")))
        assert status_of(response) == 503, response[:300]
        assert b"operating-system sandbox is unavailable" in response and b"libseccomp" in response
        assert b"true" not in response.split(b"\r\n\r\n", 1)[1]
        response, _ = exchange(endpoint.url, get_request("/queries/study-design"))
        assert status_of(response) == 200, response[:300]


def test_a_worker_stopped_from_two_threads_closes_its_socket_once():
    """Shutdown may stop a worker while the thread replacing it stops it too (seen once in CI as EBADF).

    The first caller is held inside the socket's close while a second one calls ``stop``: the socket
    must be closed once (a second close could close another file that reused the number), and
    neither call may fail.
    """
    import os

    from oaik.server.pool import Worker

    worker = Worker(memory=512 * 1024**2)
    inside, release = threading.Event(), threading.Event()
    closes: list[int] = []

    def held_close(_close=os.close) -> None:
        closes.append(worker.conn.fileno())
        if len(closes) == 1:
            inside.set()
            release.wait(10)
        _close(closes[-1])

    worker.conn._close = held_close
    errors: list[BaseException] = []

    def stop() -> None:
        try:
            worker.stop()
        except OSError as error:
            errors.append(error)

    first = threading.Thread(target=stop)
    first.start()
    assert inside.wait(10)
    stop()
    release.set()
    first.join(10)
    assert errors == [] and len(closes) == 1 and worker.conn.closed and worker.process.returncode is not None
