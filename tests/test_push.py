"""``oaik push`` into a real triple store (Oxigraph's server), then the canned queries against it.

The store is started by the test on 127.0.0.1 and always stopped; without the
``oxigraph`` binary (PyPI package ``oxigraph``) those tests are skipped. The
credential, header and error tests use a small recording HTTP server.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from servers import comparable, oxigraph_binary, oxigraph_server, recorder

from oaik.cli import main
from oaik.query.backends import DEFAULT_GRAPH, USER_AGENT, RemoteBackend
from oaik.query.canned import load_queries

OXIGRAPH = oxigraph_binary()
needs_oxigraph = pytest.mark.skipif(
    OXIGRAPH is None,
    reason="the Oxigraph server is not installed (pip install oxigraph: its `oxigraph` binary must be next to this Python or on PATH)",
)
CATALOGUE = load_queries()
CREDENTIALS = ("OAIK_USER", "OAIK_PASSWORD", "OAIK_TOKEN")


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    if OXIGRAPH is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph)")
    with oxigraph_server(OXIGRAPH, tmp_path_factory.mktemp("oxigraph") / "db") as base:
        yield base


def oaik(capsys, *args: str) -> tuple[int, str, str]:
    """Run the oaik CLI in-process: (exit code, stdout, stderr)."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def graph_size(base: str, graph: str = DEFAULT_GRAPH) -> int:
    result = RemoteBackend(f"{base}/query", graph).run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(result.bindings[0]["n"]["value"])


def pushed_count(message: str) -> int:
    found = re.match(r"pushed (\d+) triples to graph <(.+?)> of ", message)
    assert found, message
    return int(found.group(1))


@needs_oxigraph
def test_push_then_every_canned_query_through_oaik_query(store_url, capsys):
    """`oaik push --endpoint …/store` then `oaik query NAME --endpoint …/query`, no other options."""
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store")
    assert code == 0, err
    count = pushed_count(out)
    assert out.count("\n") == 1 and f"<{DEFAULT_GRAPH}>" in out
    assert graph_size(store_url) == count > 1000
    for name, canned in CATALOGUE.items():
        code, out, err = oaik(capsys, "query", name, "--format", "json")
        assert code == 0, err
        embedded = json.loads(out)
        code, out, err = oaik(capsys, "query", name, "--format", "json", "--endpoint", f"{store_url}/query")
        assert code == 0, f"{name}: {err}"
        remote = json.loads(out)
        assert remote["head"] == embedded["head"], name
        assert comparable(remote, canned.text) == comparable(embedded, canned.text), name
        assert embedded.get("boolean") is not None or embedded["results"]["bindings"], f"{name} returned no rows"


@needs_oxigraph
def test_push_replaces_the_graph_and_leaves_others_alone(store_url, capsys):
    other = "https://example.org/other-graph"
    assert put(f"{store_url}/store?graph={urllib.parse.quote(other, safe='')}", b"<urn:x> <urn:y> <urn:z> .\n") in (
        201,
        204,
    )
    assert put(
        f"{store_url}/store?graph={urllib.parse.quote(DEFAULT_GRAPH, safe='')}", b"<urn:stale> <urn:y> <urn:z> .\n"
    ) in (201, 204)
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store")
    assert code == 0, err
    count = pushed_count(out)
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store")  # twice: replaced, not added
    assert code == 0 and pushed_count(out) == count
    assert graph_size(store_url) == count
    stale = RemoteBackend(f"{store_url}/query", DEFAULT_GRAPH).run("ASK { <urn:stale> ?p ?o }")
    assert stale.json["boolean"] is False
    assert graph_size(store_url, other) == 1


@needs_oxigraph
def test_push_to_another_named_graph_and_the_default_graph(store_url, capsys):
    code, out, _ = oaik(capsys, "push", "--endpoint", f"{store_url}/store", "--graph", "https://example.org/copy")
    assert code == 0 and "<https://example.org/copy>" in out
    assert graph_size(store_url, "https://example.org/copy") == pushed_count(out)
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store", "--graph", "")
    assert code == 0, err
    assert "the default graph" in out
    assert RemoteBackend(f"{store_url}/query", None).run("ASK { ?p a oaik:Project }").json["boolean"] is True


@needs_oxigraph
def test_a_failed_push_leaves_the_old_graph_intact(store_url, capsys):
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store")
    assert code == 0, err
    before = graph_size(store_url)
    # a wrong URL on the same server: HTTP 404
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/no-such-path")
    assert code == 2 and out == ""
    assert "answered HTTP 404" in err and "Graph Store Protocol endpoint" in err
    # nobody listening
    code, out, err = oaik(capsys, "push", "--endpoint", "http://127.0.0.1:9/store")
    assert code == 2 and "cannot push to http://127.0.0.1:9/store" in err
    # the store rejects a body (here: broken at its end), in the one request a push makes
    status = put(
        f"{store_url}/store?graph={urllib.parse.quote(DEFAULT_GRAPH, safe='')}",
        b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> broken",
    )
    assert status == 400
    assert graph_size(store_url) == before
    assert RemoteBackend(f"{store_url}/query").run("ASK { <urn:a> ?p ?o }").json["boolean"] is False


def put(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


# --- credentials, headers and errors, against a recording server ----------------------------


def needs_auth(expected: str):
    def respond(request):
        if request["headers"].get("Authorization") != expected:
            return 401, b"Unauthorized: credentials required", 0
        return 204, b"", 0

    return respond


def test_basic_credentials_come_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("OAIK_USER", "curator")
    monkeypatch.setenv("OAIK_PASSWORD", "s3cret:with colon")
    expected = "Basic " + base64.b64encode(b"curator:s3cret:with colon").decode()
    with recorder(needs_auth(expected)) as store:
        code, out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 0, err
    assert "s3cret" not in out + err
    (request,) = store.requests
    assert request["method"] == "PUT"
    assert request["path"] == "/store?" + urllib.parse.urlencode({"graph": DEFAULT_GRAPH})
    assert request["headers"]["Authorization"] == expected
    assert request["headers"]["User-Agent"] == USER_AGENT
    assert request["headers"]["Content-Type"] == "application/n-triples"
    lines = request["body"].decode("utf-8").strip().splitlines()
    assert len(lines) == pushed_count(out) and all(line.endswith(" .") for line in lines)
    assert "(HTTP 204)" in out


def test_bearer_token_comes_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("OAIK_TOKEN", "tok-123")
    with recorder(needs_auth("Bearer tok-123")) as store:
        code, _out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/data?x=1", "--graph", "")
    assert code == 0, err
    assert store.requests[0]["path"] == "/data?x=1&default"


def test_missing_or_wrong_credentials_fail_clearly(capsys, monkeypatch):
    with recorder(needs_auth("Bearer right")) as store:
        code, out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
        assert "Authorization" not in store.requests[0]["headers"]
        monkeypatch.setenv("OAIK_TOKEN", "wrong")
        code2, _, err2 = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == code2 == 2 and out == ""
    for message in (err, err2):
        assert "HTTP 401" in message and "OAIK_USER and OAIK_PASSWORD" in message and "OAIK_TOKEN" in message
    assert "wrong" not in err2


def test_conflicting_or_incomplete_credentials_are_refused(capsys, monkeypatch):
    with recorder(needs_auth("x")) as store:
        monkeypatch.setenv("OAIK_TOKEN", "t")
        monkeypatch.setenv("OAIK_USER", "u")
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
        assert code == 2 and "both OAIK_TOKEN and OAIK_USER" in err
        monkeypatch.delenv("OAIK_TOKEN")
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
        assert code == 2 and "go together" in err
        assert store.requests == []  # nothing sent


def test_credentials_are_never_taken_from_the_url(capsys):
    code, _, err = oaik(capsys, "push", "--endpoint", "http://user:pw@127.0.0.1:9/store")
    assert code == 2 and "do not put credentials in the URL" in err


def test_push_times_out_clearly(capsys):
    with recorder(lambda request: (204, b"", 3)) as store:
        code, out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store", "--timeout", "0.5")
    assert code == 2 and out == ""
    assert "did not answer within 0.5 s" in err


def test_server_errors_are_reported_with_their_message(capsys):
    with recorder(lambda request: (500, b"disk full\nmore detail", 0)) as store:
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 2
    assert "HTTP 500" in err and "(disk full)" in err and "kept its previous graph" in err


VIRTUOSO_DEADLOCK = (
    b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html>\n  <head>\n    <title>SPARQL Graph Protocol request '
    b"failed</title>\n  </head>\n  <body>\n    <h1>HTTP/1.1 500 Request Failed</h1>\n    <h3>Error 40001</h3>\n"
    b"<xmp>SR172: Transaction deadlocked</xmp></body></html>"
)


def test_a_transaction_deadlock_is_pushed_again(capsys):
    """Virtuoso 7.2 (Debian) often answers the first large PUT after it starts with 500 'SR172: Transaction
    deadlocked' (SQLSTATE 40001): a transient failure that leaves its graph as it was, which the client retries."""
    answers = iter([(500, VIRTUOSO_DEADLOCK, 0), (500, VIRTUOSO_DEADLOCK, 0), (201, b"", 0)])
    with recorder(lambda request: next(answers)) as store:
        code, _out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
        assert code == 0 and len(store.requests) == 3
    assert err.count("transaction deadlock") == 2


def test_a_deadlock_that_persists_is_reported_with_the_stores_words(capsys):
    with recorder(lambda request: (500, VIRTUOSO_DEADLOCK, 0)) as store:
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
        assert code == 2 and len(store.requests) == 3
    assert "SR172: Transaction deadlocked" in err and "<" not in err.split("answered")[1]


# --- hardening (issue 9): the URL, the credentials and what messages show ------------------


@needs_oxigraph
def test_a_fragment_endpoint_is_refused_and_the_store_is_intact(store_url, capsys):
    """`…/store#frag` used to become `PUT /store` (replace the whole dataset) and report success."""
    other = "https://example.org/kept-graph"
    assert put(f"{store_url}/store?graph={urllib.parse.quote(other, safe='')}", b"<urn:k> <urn:k> <urn:k> .\n") in (
        201,
        204,
    )
    code, _, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store")
    assert code == 0, err
    before = graph_size(store_url)
    code, out, err = oaik(capsys, "push", "--endpoint", f"{store_url}/store#frag")
    assert code == 2 and out == ""
    assert "has a fragment" in err and len(err.strip().splitlines()) == 1
    assert graph_size(store_url, other) == 1
    assert graph_size(store_url) == before


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://[::1/store", "is not a valid URL"),
        ("http://127.0.0.1:99999/store", "is not a valid URL"),
        ("ftp://127.0.0.1/store", "is not an http(s) URL"),
        ("http://127.0.0.1:9/st ore", "white space or control characters"),
        ("http://127.0.0.1:9/store\r\nX-Injected: 1", "white space or control characters"),
        ("http://127.0.0.1:9/store?graph=urn:x", "already names a graph"),
        ("http://user@127.0.0.1:9/store", "do not put credentials in the URL"),
    ],
)
def test_malformed_endpoints_are_usage_errors(capsys, endpoint, message):
    code, out, err = oaik(capsys, "push", "--endpoint", endpoint)
    assert code == 2 and out == ""
    assert message in err and "internal error" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("OAIK_TOKEN", "tok-secret-42\r", "U+000D"),
        ("OAIK_TOKEN", "tok-secret-42\r\n", "U+000D"),
        ("OAIK_TOKEN", "tok-secret-42\u00e9", "only visible ASCII"),
        ("OAIK_PASSWORD", "tok-secret-42\n", "U+000A"),
    ],
)
def test_a_token_with_control_characters_is_refused_and_never_printed(capsys, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    if variable == "OAIK_PASSWORD":
        monkeypatch.setenv("OAIK_USER", "curator")
    with recorder(needs_auth("never")) as store:
        code, out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 2 and out == ""
    assert message in err and variable in err
    assert "tok-secret" not in out + err and len(err.strip().splitlines()) == 1
    assert store.requests == []  # refused before anything was sent


def test_a_user_name_with_a_colon_is_refused(capsys, monkeypatch):
    monkeypatch.setenv("OAIK_USER", "a:b")
    monkeypatch.setenv("OAIK_PASSWORD", "pw")
    code, _, err = oaik(capsys, "push", "--endpoint", "http://127.0.0.1:9/store")
    assert code == 2 and "OAIK_USER contains ':'" in err


@pytest.mark.parametrize(
    "body",
    [
        b"Unauthorized: Authorization: Bearer tok-secret-42 is not valid",
        b"bad credentials tok-secret-42",
        b"token=tok-secret-42 rejected",
    ],
)
def test_a_store_echoing_the_credentials_is_redacted(capsys, monkeypatch, body):
    monkeypatch.setenv("OAIK_TOKEN", "tok-secret-42")
    with recorder(lambda request: (401, body, 0)) as store:
        code, out, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 2 and "HTTP 401" in err
    assert "tok-secret-42" not in out + err and "[redacted]" in err
    assert "Bearer tok" not in err


def test_basic_credentials_echoed_in_base64_are_redacted(capsys, monkeypatch):
    monkeypatch.setenv("OAIK_USER", "curator")
    monkeypatch.setenv("OAIK_PASSWORD", "pw-secret-9")
    encoded = base64.b64encode(b"curator:pw-secret-9")
    with recorder(lambda request: (403, b"forbidden for " + encoded, 0)) as store:
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 2 and encoded.decode() not in err and "pw-secret-9" not in err


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://user:s3cr3t@127.0.0.1:99999/x",  # each of these printed the password
        "http://user:s3cr3t@127.0.0.1:abc/x",
        "http://user:s3cr3t@[::1:9/x",
        "ftp://user:s3cr3t@127.0.0.1:9/x",
        "user:s3cr3t@127.0.0.1:9/x",
        "http://user:s3cr3t@127.0.0.1:9/st ore",
        "http://user:s3/cr3t@127.0.0.1:9/x",
    ],
)
def test_a_password_in_the_endpoint_is_never_printed(capsys, endpoint):
    code, out, err = oaik(capsys, "push", "--endpoint", endpoint)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "s3" not in err and "cr3t" not in err and "***@" in err


def test_redact_hides_the_user_information_of_urls():
    from oaik.publish.push import redact

    text = "see http://alice:s3cr3t@store.example/x and https://bob@h/ (mailto:carol@example.org stays)"
    assert redact(text) == "see http://***@store.example/x and https://***@h/ (mailto:carol@example.org stays)"


def test_a_short_password_echoed_by_the_store_is_redacted(capsys, monkeypatch):
    """A password under 3 characters was left in the store's echo: `(… decoded alice:pa)`."""
    monkeypatch.setenv("OAIK_USER", "alice")
    monkeypatch.setenv("OAIK_PASSWORD", "pa")
    with recorder(lambda request: (401, b"bad credentials (decoded alice:pa) for pa", 0)) as store:
        code, _, err = oaik(capsys, "push", "--endpoint", f"{store.url}/store")
    assert code == 2 and "HTTP 401" in err
    assert "alice:pa" not in err and " pa)" not in err and "[redacted]" in err
