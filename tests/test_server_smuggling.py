"""The smuggling corpus through ``oaik serve``: by GET, form POST and query body, nothing reaches the network.

Each query of ``resources/smuggling`` names a bait listener on 127.0.0.1
that records every connection and would answer with a recognisable row; the
server must make zero connections to it and no answer may carry the bait,
whether the query is refused (400) or harmless and answered.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from leak_listener import BAIT, listening, smuggling_queries
from servers import oaik_server

METHODS = ("GET", "form POST", "query body")


@pytest.fixture(scope="module")
def server():
    with oaik_server(timeout=10.0, workers=2) as running:
        yield running


def send(url: str, query: str, method: str) -> tuple[int, bytes]:
    if method == "GET":
        request = urllib.request.Request(f"{url}/sparql?" + urllib.parse.urlencode({"query": query}))
    elif method == "form POST":
        request = urllib.request.Request(
            f"{url}/sparql",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    else:
        request = urllib.request.Request(
            f"{url}/sparql", data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query"}
        )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def test_no_smuggled_query_connects_or_leaks(server):
    with listening() as listener:
        queries = smuggling_queries(listener.address)
        assert len(queries) >= 20
        answers = {
            (name, method): send(server.url, text, method) for name, text in queries.items() for method in METHODS
        }
    assert listener.connections == []
    leaked = [key for key, (_, body) in answers.items() if BAIT.encode() in body]
    assert leaked == []
    # refused by the parse check, or harmless and answered; 503 for all when the OS fence is unavailable
    expected = {200, 400} if server.pool.unfenced is None else {503}
    assert {status for status, _ in answers.values()} <= expected, {
        key: status for key, (status, _) in answers.items() if status not in expected
    }
