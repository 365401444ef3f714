"""``oaik serve``: the SPARQL 1.1 Protocol endpoint, its limits, errors and query page.

Two independent clients talk to it: SPARQLWrapper (as ``oaik query
--endpoint`` does) and curl. Servers listen on 127.0.0.1 only and are stopped
by their fixtures.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from servers import comparable, oaik_server

from oaik.query.backends import DEFAULT_GRAPH, EmbeddedBackend, RemoteBackend
from oaik.query.canned import bind, load_queries

PROJECTS = "SELECT ?project WHERE { ?project a oaik:Project }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CATALOGUE = load_queries()


@pytest.fixture(scope="module")
def server(store):
    with oaik_server(timeout=10.0, workers=4) as running:  # the big canned queries need seconds on a busy machine
        yield running


@pytest.fixture(scope="module")
def tight(store):
    """A server with small limits: 1 s, 5 rows, 1 KiB results, 4 KiB requests."""
    with oaik_server(timeout=1.0, max_rows=5, max_result_bytes=1024, max_request_bytes=4096) as running:
        yield running


@pytest.fixture(scope="module")
def embedded(store):
    return EmbeddedBackend(store)


# --- SPARQLWrapper as the client ----------------------------------------------------------


def wrapper(server, query: str, fmt: str, method: str = "POST"):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery("PREFIX oaik: <https://w3id.org/oaik/ns#>\n" + query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setTimeout(20)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, embedded, method):
    from SPARQLWrapper import JSON

    answer = wrapper(server, PROJECTS, JSON, method)
    assert answer["head"]["vars"] == ["project"]
    assert comparable(answer, PROJECTS) == comparable(embedded.run(PROJECTS).json, PROJECTS)
    assert len(answer["results"]["bindings"]) >= 10


def test_sparqlwrapper_ask(server):
    from SPARQLWrapper import JSON, XML

    assert wrapper(server, "ASK { ?p a oaik:Project }", JSON)["boolean"] is True
    assert wrapper(server, "ASK { ?p a oaik:NoSuchClass }", JSON)["boolean"] is False
    xml = wrapper(server, "ASK { ?p a oaik:Project }", XML)  # a DOM document
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # inside SPARQLWrapper and rdflib
@pytest.mark.parametrize("fmt", ["XML", "TURTLE", "N3", "JSONLD"])
def test_sparqlwrapper_construct(server, embedded, fmt):
    import rdflib
    import SPARQLWrapper

    query = "CONSTRUCT { ?p a oaik:Project ; rdfs:label ?l } WHERE { ?p a oaik:Project ; rdfs:label ?l }"
    expected = rdflib.Graph().parse(data=embedded.run(query).ntriples, format="nt")
    answer = wrapper(
        server, "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query, getattr(SPARQLWrapper, fmt)
    )
    graph = answer if isinstance(answer, rdflib.Graph) else rdflib.Graph().parse(data=answer, format="turtle")
    assert len(graph) == len(expected) > 10
    assert set(graph) == set(expected)


def test_every_canned_query_gives_the_same_rows_through_the_server(server, embedded):
    """``oaik query NAME --endpoint http://…/sparql`` (SPARQLWrapper, default-graph-uri sent) against embedded."""
    remote = RemoteBackend(f"{server.url}/sparql", DEFAULT_GRAPH, timeout=20)
    for name, canned in CATALOGUE.items():
        text = bind(canned, {})
        expected = embedded.run(text)
        got = remote.run(text)
        assert got.variables == expected.variables, name
        assert comparable(got.json, text) == comparable(expected.json, text), name


def test_a_canned_query_parameter_given_twice_is_refused(server):
    """`?organization=a&organization=b` silently used the last value."""
    org = "https%3A%2F%2Fw3id.org%2Foaik%2Fid%2Forg%2F"
    status, body = fetch(f"{server.url}/queries/collaborators-of?organization={org}eleutherai&organization={org}x")
    assert status == 400 and b"organization" in body and b"more than once" in body, body


def test_every_canned_query_page_gives_the_same_rows(server, embedded):
    """``/queries/NAME`` binds parameters on the server, like ``oaik query NAME --param …``."""
    for name, canned in CATALOGUE.items():
        body = get(f"{server.url}/queries/{name}", accept="application/sparql-results+json")
        text = bind(canned, {})
        assert comparable(json.loads(body), text) == comparable(embedded.run(text).json, text), name


def test_canned_query_parameters(server, embedded):
    canned = CATALOGUE["collaborators-of"]
    url = f"{server.url}/queries/collaborators-of?organization=organization:hugging-face"
    text = bind(canned, {"organization": "organization:hugging-face"})
    assert comparable(json.loads(get(url)), text) == comparable(embedded.run(text).json, text)
    status, body = fetch(f"{server.url}/queries/collaborators-of?nosuch=1")
    assert status == 400 and b"no parameter nosuch" in body
    status, body = fetch(f"{server.url}/queries/collaborators-of?organization=not%20an%20iri")
    assert status == 400 and b"not a valid IRI" in body


def test_oaik_query_cli_against_the_server(server, capsys):
    from oaik.cli import main

    main(["query", "projects-by-governance-model", "--format", "json"])
    embedded = json.loads(capsys.readouterr().out)
    main(["query", "projects-by-governance-model", "--format", "json", "--endpoint", f"{server.url}/sparql"])
    remote = json.loads(capsys.readouterr().out)
    text = CATALOGUE["projects-by-governance-model"].text
    assert comparable(remote, text) == comparable(embedded, text)


def fetch(url: str, accept: str = "*/*", data: bytes | None = None) -> tuple[int, bytes]:
    """(status, body) of one request with urllib, errors included."""
    request = urllib.request.Request(url, data=data, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def get(url: str, accept: str = "*/*") -> bytes:
    status, body = fetch(url, accept)
    assert status == 200, body
    return body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "SELECT * WHERE { GRAPH <file:///x.ttl> { ?s ?p ?o } } LIMIT 1",
        "ASK { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_no_named_graph_is_visible_and_no_file_path(server, query):
    """The store keeps one named graph per source file, named by its file: IRI: `GRAPH ?g` showed the server's
    paths (file:///…/data/…). The endpoint serves one graph, the default graph, and nothing else."""
    status, body = fetch(
        f"{server.url}/sparql", "application/sparql-results+json", urllib.parse.urlencode({"query": query}).encode()
    )
    assert status == 200, body
    answer = json.loads(body)
    assert answer.get("boolean") is False or answer["results"]["bindings"] == []
    assert b"file:" not in body


def test_control_characters_of_a_request_never_reach_the_log_or_the_answer(server):
    """`GET /x%1b%5d0%3bPWNED%07` wrote ESC ] 0;PWNED BEL to the terminal running `oaik serve` (and in the 404)."""
    status, body = fetch(f"{server.url}/x%1b%5d0%3bPWNED%07%c2%9b2J")
    assert status == 404 and rb"\x1b]0;PWNED\x07\x9b2J" in body
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", body), body
    deadline = time.monotonic() + 5  # a line is written just after its response
    while not any("PWNED" in line for line in server.log_lines) and time.monotonic() < deadline:
        time.sleep(0.01)
    (line,) = [line for line in server.log_lines if "PWNED" in line]
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", line), line


# --- curl as the client ----------------------------------------------------------------------


CURL = shutil.which("curl")
needs_curl = pytest.mark.skipif(
    CURL is None, reason="curl is not installed (apt-get install curl); the curl client tests need it"
)


def curl(url: str, *args: str, timeout: float = 30) -> tuple[int, str, bytes]:
    """(status, content type, body) of one curl request."""
    done = subprocess.run(
        [CURL, "-sS", "--max-time", str(timeout), "-o", "-", "-w", "\n%{http_code} %{content_type}", *args, url],
        capture_output=True,
        timeout=timeout + 5,
    )
    assert done.returncode == 0, done.stderr.decode()
    body, _, trailer = done.stdout.rpartition(b"\n")
    status, _, content_type = trailer.decode().partition(" ")
    return int(status), content_type, body


def form(query: str) -> tuple[str, ...]:
    return ("--data-urlencode", f"query={query}")


@needs_curl
def test_curl_get_json_is_the_default(server, embedded):
    status, content_type, body = curl(f"{server.url}/sparql", "-G", *form(PROJECTS))
    assert status == 200 and content_type == "application/sparql-results+json"
    assert comparable(json.loads(body), PROJECTS) == comparable(embedded.run(PROJECTS).json, PROJECTS)


@needs_curl
@pytest.mark.parametrize("path", ["/sparql", "/query"])
def test_curl_post_form_and_direct(server, embedded, path):
    expected = comparable(embedded.run(PROJECTS).json, PROJECTS)
    status, _, body = curl(f"{server.url}{path}", *form(PROJECTS))
    assert status == 200 and comparable(json.loads(body), PROJECTS) == expected
    status, _, body = curl(
        f"{server.url}{path}", "-H", "Content-Type: application/sparql-query", "--data-binary", PROJECTS
    )
    assert status == 200 and comparable(json.loads(body), PROJECTS) == expected


@needs_curl
@pytest.mark.parametrize(
    "accept, content_type, check",
    [
        (
            "application/sparql-results+json",
            "application/sparql-results+json",
            lambda b: json.loads(b)["head"]["vars"] == ["project"],
        ),
        ("application/json", "application/sparql-results+json", lambda b: "results" in json.loads(b)),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            lambda b: b.startswith(b"<?xml") and b'<variable name="project"/>' in b,
        ),
        (
            "text/csv",
            "text/csv; charset=utf-8",
            lambda b: b.splitlines()[0] == b"project" and b"https://w3id.org/oaik/id/project/" in b,
        ),
        (
            "text/tab-separated-values",
            "text/tab-separated-values; charset=utf-8",
            lambda b: b.splitlines()[0] == b"?project" and b"<https://w3id.org/oaik/id/project/" in b,
        ),
        ("text/html", "text/html; charset=utf-8", lambda b: b"<table>" in b and b"project:" in b),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<sparql" in b),
        ("text/*", "text/csv; charset=utf-8", lambda b: b.startswith(b"project")),
    ],
)
def test_curl_select_content_negotiation(server, accept, content_type, check):
    status, got_type, body = curl(f"{server.url}/sparql", "-H", f"Accept: {accept}", *form(PROJECTS))
    assert (status, got_type) == (200, content_type)
    assert check(body)


@needs_curl
@pytest.mark.parametrize(
    "accept, content_type, rdflib_format",
    [
        (None, "text/turtle; charset=utf-8", "turtle"),
        ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples; charset=utf-8", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_curl_construct_content_negotiation(server, embedded, accept, content_type, rdflib_format):
    import rdflib

    query = "CONSTRUCT { ?p a oaik:Project ; rdfs:label ?l } WHERE { ?p a oaik:Project ; rdfs:label ?l }"
    headers = ("-H", f"Accept: {accept}") if accept else ()
    status, got_type, body = curl(f"{server.url}/sparql", *headers, *form(query))
    assert (status, got_type) == (200, content_type)
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
    expected = rdflib.Graph().parse(data=embedded.run(query).ntriples, format="nt")
    assert set(graph) == set(expected) and len(graph) > 10


@needs_curl
def test_curl_ask_formats(server):
    query = "ASK { ?p a oaik:Project }"
    assert json.loads(curl(f"{server.url}/sparql", *form(query))[2]) == {"head": {}, "boolean": True}
    assert curl(f"{server.url}/sparql", "-H", "Accept: text/csv", *form(query))[2].strip() == b"true"
    assert (
        b"<boolean>true</boolean>"
        in curl(f"{server.url}/sparql", "-H", "Accept: application/sparql-results+xml", *form(query))[2]
    )


@needs_curl
def test_curl_describe(server):
    status, _content_type, body = curl(
        f"{server.url}/sparql", "-H", "Accept: application/n-triples", *form("DESCRIBE project:eleutherai")
    )
    assert status == 200 and body.strip(), body
    assert all(line.startswith(b"<https://w3id.org/oaik/id/project/eleutherai>") for line in body.strip().splitlines())


@needs_curl
@pytest.mark.parametrize(
    "args, status, words",
    [
        (form("SELECT * WHERE { ?s ?p }"), 400, "syntax error"),
        (form("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), 400, "updates are refused"),
        (form("DELETE WHERE { ?s ?p ?o }"), 400, "updates are refused"),
        (("--data-urlencode", "update=DROP ALL"), 400, "updates are refused"),
        (("-H", "Content-Type: application/sparql-update", "--data-binary", "CLEAR ALL"), 400, "updates are refused"),
        (
            form("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
            400,
            "SERVICE <http://example.org/sparql> is refused",
        ),
        (form("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"), 400, "FROM <file:///etc/passwd> is refused"),
        (form("SELECT * FROM <https://w3id.org/oaik/graph> WHERE { ?s ?p ?o }"), 400, "FROM"),
        ((), 411, "Content-Length"),  # a POST without a body (curl -X POST sends none)
        (("-G",), 400, "no query given"),
        (
            ("-G", *form(PROJECTS), "--data-urlencode", "default-graph-uri=http://example.org/other"),
            400,
            "unknown default-graph-uri",
        ),
        (("-G", *form(PROJECTS), "--data-urlencode", f"named-graph-uri={DEFAULT_GRAPH}"), 400, "named-graph-uri"),
        (("-H", "Accept: image/png", *form(PROJECTS)), 406, "Ask for one of: application/sparql-results+json"),
        (("-H", "Accept: text/csv", *form("CONSTRUCT WHERE { ?s ?p ?o }")), 406, "text/turtle"),
        (("-H", "Content-Type: text/plain", "--data-binary", PROJECTS), 415, "Content-Type"),
        (("-X", "PUT", "--data-binary", "<urn:a> <urn:b> <urn:c> ."), 405, "read-only"),
        (("-H", "Accept: image/png", *form("ASK {}")), 406, "for an ASK query"),  # was "a ASK query"
        (("-G", "--data", "query=%"), 400, "percent-encoding"),  # was "the query is empty"
        (("-G", "--data", "query=ASK%ZZ{}"), 400, "percent-encoding"),  # was a SPARQL syntax error
    ],
)
def test_curl_errors(server, args, status, words):
    extra = ("-X", "POST") if not args else ()
    got, content_type, body = curl(f"{server.url}/sparql", *extra, *args)
    assert got == status, body
    assert content_type == "text/plain; charset=utf-8"
    text = body.decode()
    assert words in text and len(text) < 600 and text.count("\n") <= 1


@needs_curl
def test_curl_default_graph_uri_of_the_graph_itself_is_accepted(server):
    status, _, body = curl(
        f"{server.url}/sparql", "-G", *form(PROJECTS), "--data-urlencode", f"default-graph-uri={DEFAULT_GRAPH}"
    )
    assert status == 200 and json.loads(body)["results"]["bindings"]


@needs_curl
def test_curl_timeout_is_408_and_really_stops(tight):
    """The worker running the query is killed (not left computing) and a fresh one takes its place."""
    before = tight.pool.pids()
    started = time.monotonic()
    status, _, body = curl(f"{tight.url}/sparql", *form(SLOW))
    elapsed = time.monotonic() - started
    assert status == 408, body
    assert b"took longer than 1 s" in body and b"stopped" in body
    assert elapsed < 4, f"answered after {elapsed:.1f} s"
    killed = before - _pool_after_replacement(tight, before)
    assert len(killed) == 1 and not _alive(killed.pop())
    assert curl(f"{tight.url}/sparql", *form("ASK {}"))[0] == 200  # the server still answers


def _pool_after_replacement(server, before: set[int], wait: float = 30.0) -> set[int]:
    """The worker pids once one worker was replaced and the pool is back to its size."""
    deadline = time.monotonic() + wait
    while (server.pool.pids() == before or len(server.pool.pids()) != len(before)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.pool.pids()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except FileNotFoundError:
        return False


@needs_curl
def test_curl_request_too_large(tight):
    padding = "#" + "x" * 5000 + "\n"
    status, _, body = curl(
        f"{tight.url}/sparql", "-H", "Content-Type: application/sparql-query", "--data-binary", padding + PROJECTS
    )
    assert status == 413 and b"request too large" in body and b"4096" in body
    status, _, body = curl(f"{tight.url}/sparql", *form(padding + PROJECTS))
    assert status == 413 and b"request too large" in body
    status, _, body = curl(
        f"{tight.url}/sparql",
        "-H",
        "Expect: 100-continue",
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        padding + PROJECTS,
    )
    assert status == 413 and b"request too large" in body
    status, _, body = curl(f"{tight.url}/sparql", "-G", *form(padding + PROJECTS))
    assert status == 413 and b"request too large" in body and b"POST" in body


@needs_curl
def test_curl_result_over_the_row_cap(tight):
    status, _, body = curl(f"{tight.url}/sparql", *form(PROJECTS))
    assert status == 413, body
    assert b"result too large" in body and b"rows" in body and b"--max-rows" in body
    status, _, body = curl(f"{tight.url}/sparql", *form("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 6"))
    assert status == 413 and b"6 triples" in body
    status, _, body = curl(f"{tight.url}/sparql", *form(PROJECTS + " LIMIT 5"))
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


@needs_curl
def test_curl_result_over_the_byte_cap(tight):
    query = 'SELECT ?x WHERE { VALUES ?x { "' + "y" * 1500 + '" } }'
    status, _, body = curl(f"{tight.url}/sparql", *form(query))
    assert status == 413, body
    assert b"result too large" in body and b"bytes" in body and b"--max-result-bytes" in body


@needs_curl
def test_curl_health_and_not_found(server):
    assert curl(f"{server.url}/health")[::2] == (200, b"ok\n")
    assert curl(f"{server.url}/health", "--head")[0] == 200
    status, _, body = curl(f"{server.url}/nothing-here")
    assert status == 404 and b"/sparql" in body
    status, _, body = curl(f"{server.url}/queries/no-such-query")
    assert status == 404 and b"no-such-query" in body


@needs_curl
def test_curl_query_page_lists_every_canned_query(server):
    status, content_type, body = curl(f"{server.url}/")
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    page = body.decode()
    for name, canned in CATALOGUE.items():
        assert f'action="/queries/{name}"' in page
        assert _escaped(canned.summary) in page
        for param in canned.params:
            assert f'name="{param.name}"' in page
    assert '<form method="post" action="/sparql">' in page and "<textarea" in page
    headers = subprocess.run(
        [CURL, "-sS", "-D", "-", "-o", "/dev/null", f"{server.url}/"], capture_output=True, text=True
    ).stdout
    assert "content-security-policy: default-src 'none'" in headers.lower()  # header names are case-insensitive
    # self-contained: nothing loaded from elsewhere, no scripts
    for needle in ("<script", "<link", "src=", "@import", "url("):
        assert needle not in page


def _escaped(text: str) -> str:
    from html import escape

    return escape(text)


@needs_curl
def test_curl_canned_query_as_html_and_csv(server, embedded):
    status, content_type, body = curl(f"{server.url}/queries/onramp-matrix", "-H", "Accept: text/html")
    assert status == 200 and content_type.startswith("text/html") and b"<table>" in body
    status, content_type, body = curl(f"{server.url}/queries/table-1", "-H", "Accept: text/csv")
    assert status == 200 and content_type.startswith("text/csv")
    expected = embedded.run(bind(CATALOGUE["table-1"], {}))
    assert len(body.decode().strip().splitlines()) == len(expected.bindings) + 1


@needs_curl
def test_curl_browser_form_post_gives_html(server):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, content_type, body = curl(f"{server.url}/sparql", "-H", f"Accept: {accept}", *form(PROJECTS))
    assert status == 200 and content_type.startswith("text/html")
    assert b"<table>" in body and b"<textarea" in body  # the results, and the query to edit again
    status, content_type, body = curl(f"{server.url}/sparql", "-H", f"Accept: {accept}")
    assert status == 200 and b"Canned queries" in body  # a browser opening /sparql gets the query page


# --- concurrency, logging, shutdown ---------------------------------------------------------


def test_a_slow_query_does_not_block_a_fast_one(server):
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["status"], _ = fetch(f"{server.url}/sparql", data=urllib.parse.urlencode({"query": SLOW}).encode())
        slow["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running
    started = time.monotonic()
    answer = json.loads(get(f"{server.url}/sparql?" + urllib.parse.urlencode({"query": PROJECTS})))
    fast = time.monotonic() - started
    assert answer["results"]["bindings"]
    assert thread.is_alive(), "the slow query finished before the fast one was asked"
    assert fast < 1.5, f"the fast query took {fast:.2f} s while a slow one ran"
    thread.join(30)
    assert slow["status"] == 408 and slow["elapsed"] >= 9.5


def test_one_log_line_per_request(server):
    import uuid

    marker = uuid.uuid4().hex
    get(f"{server.url}/health?probe={marker}")
    assert fetch(f"{server.url}/sparql?query=INSERT%23{marker}")[0] == 400
    deadline = time.monotonic() + 5  # a line is written just after its response
    while sum(marker in line for line in server.log_lines) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    lines = [line for line in server.log_lines if marker in line]
    assert len(lines) == 2, lines
    assert lines[0].startswith(f'127.0.0.1 "GET /health?probe={marker} HTTP/1.1" 200 3 ')
    assert f'"GET /sparql?query=INSERT%23{marker} HTTP/1.1" 400' in lines[1] and "updates are refused" in lines[1]


@contextlib.contextmanager
def oaik_serve_process(tmp_path, *options: str):
    """The real ``oaik serve`` command on 127.0.0.1, any free port; yields (process, base URL)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from oaik.cli import main; main()", "serve", "--port", "0", *options],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    try:
        banner = process.stderr.readline()
        assert "oaik serve:" in banner and "http://127.0.0.1:" in banner, banner
        yield process, banner.split(" at ", 1)[1].split("/sparql", 1)[0]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
        process.stderr.close()


@pytest.mark.parametrize("sig, probe", [(signal.SIGTERM, True), (signal.SIGINT, True), (signal.SIGTERM, False)])
def test_oaik_serve_starts_and_stops_gracefully(tmp_path, sig, probe):
    """Listens on 127.0.0.1, answers, and exits 0 on SIGTERM or Ctrl-C (SIGINT), even right after starting."""
    with oaik_serve_process(tmp_path, "--timeout", "5") as (process, url):
        if probe:
            assert get(f"{url}/health") == b"ok\n"
        process.send_signal(sig)
        assert process.wait(10) == 0
        rest = process.stderr.read()
        assert rest.rstrip().endswith("oaik serve: stopped."), rest
        assert ('"GET /health HTTP/1.1" 200' in rest) == probe


def test_oaik_serve_lets_a_running_query_finish_on_sigterm(tmp_path):
    with oaik_serve_process(tmp_path, "--timeout", "1") as (process, url):
        answer: dict = {}
        thread = threading.Thread(
            target=lambda: answer.update(
                status=fetch(f"{url}/sparql", data=urllib.parse.urlencode({"query": SLOW}).encode())[0]
            )
        )
        thread.start()
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        thread.join(10)
        assert answer["status"] == 408  # answered, not cut off
        assert process.wait(10) == 0
        assert process.stderr.read().rstrip().endswith("oaik serve: stopped.")


def slow_query_in_background(url: str) -> tuple[threading.Thread, dict]:
    answer: dict = {}

    def ask() -> None:
        answer["status"], answer["body"] = fetch(f"{url}/sparql", data=urllib.parse.urlencode({"query": SLOW}).encode())

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, answer


def test_a_query_longer_than_15_s_still_finishes_on_sigterm_without_a_traceback(tmp_path):
    """Shutdown waited 15 s at most: a query allowed more (--timeout 60) was cancelled, the client got a bare 500
    and the log two tracebacks. Requests in progress finish first, as the help says (here: 408 at --timeout)."""
    with oaik_serve_process(tmp_path, "--timeout", "17", "--workers", "1", "--no-site") as (process, url):
        thread, answer = slow_query_in_background(url)
        time.sleep(1)
        process.send_signal(signal.SIGTERM)
        thread.join(40)
        assert answer["status"] == 408, answer
        assert process.wait(10) == 0
        rest = process.stderr.read()
    assert "Traceback" not in rest and "Cancel" not in rest, rest
    assert rest.rstrip().endswith("oaik serve: stopped."), rest


def test_a_second_ctrl_c_stops_at_once_and_answers_503(tmp_path):
    with oaik_serve_process(tmp_path, "--timeout", "60", "--workers", "1", "--no-site") as (process, url):
        thread, answer = slow_query_in_background(url)
        time.sleep(1)
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        thread.join(20)
        assert answer["status"] == 503 and b"shutting down" in answer["body"], answer
        assert process.wait(10) == 0
        rest = process.stderr.read()
    assert "Traceback" not in rest and "Exception" not in rest, rest
    assert rest.rstrip().endswith("oaik serve: stopped."), rest


def test_cli_start_up_does_not_import_heavy_modules():
    code = "import sys; from oaik.cli import main; import oaik.commands.serve, oaik.commands.push; print(sorted(m for m in ('click', 'rdflib', 'SPARQLWrapper', 'pyoxigraph', 'oaik.server.endpoint') if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("path", ["/health", "/", "/queries/table-1"])
def test_post_to_a_page_read_with_get_is_405_with_allow(server, path):
    """RFC 9110 §15.5.6: the resource exists but not for POST: 405 and the methods it allows (not 404)."""
    request = urllib.request.Request(f"{server.url}{path}", data=b"x=1", method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised, urllib.request.urlopen(request, timeout=30):
        pass
    with raised.value as error:
        assert error.code == 405
        assert "GET" in error.headers["Allow"] and "POST" not in error.headers["Allow"]
        assert "/sparql" in error.read().decode()


@pytest.mark.parametrize("path", ["/no/such/page", "/queries/no-such-query"])
def test_post_to_nothing_is_404(server, path):
    status, body = fetch(f"{server.url}{path}", data=b"x=1")
    assert status == 404 and b"/sparql" in body
