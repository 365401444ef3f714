"""``oaik push``: replace a named graph of a SPARQL 1.1 store with the OAIK graph.

One Graph Store HTTP Protocol request, ``PUT <store>?graph=<IRI>`` with the
whole graph as N-Triples, so the store swaps the graph in one go: when the
request fails, the store keeps the graph it had. Credentials come from the
environment only: ``OAIK_TOKEN`` (Bearer) or ``OAIK_USER`` and
``OAIK_PASSWORD`` (Basic).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from oaik.errors import OaikError
from oaik.query.backends import DEFAULT_GRAPH, USER_AGENT

DEFAULT_TIMEOUT = 120.0  # seconds


@dataclass(frozen=True)
class PushResult:
    url: str
    triples: int
    status: int


def graph_body(parsed: Iterable | None = None) -> tuple[bytes, int]:
    """The merged graph (default: ontology, vocabularies and data) as N-Triples, and its number of distinct triples."""
    import pyoxigraph as ox

    from oaik.store.graph import parse_files

    parsed = parse_files() if parsed is None else parsed
    triples = list(dict.fromkeys(t for parsed_file in parsed for t in parsed_file.triples))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


def target_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL: ``?graph=IRI``, or ``?default`` for the store's default graph."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OaikError(
            f"--endpoint {endpoint!r} is not an http(s) URL. Give the store's Graph Store Protocol URL, e.g. http://localhost:7878/store."
        )
    if parts.username or parts.password:
        raise OaikError(
            "do not put credentials in the URL. Set OAIK_USER and OAIK_PASSWORD, or OAIK_TOKEN, in the environment instead."
        )
    separator = "&" if parts.query else "?"
    return endpoint + separator + (urlencode({"graph": graph}) if graph else "default")


def authorization(env: Mapping[str, str] | None = None) -> str | None:
    """The Authorization header from OAIK_TOKEN, or OAIK_USER and OAIK_PASSWORD; None without them."""
    import base64

    env = os.environ if env is None else env
    token, user, password = env.get("OAIK_TOKEN"), env.get("OAIK_USER"), env.get("OAIK_PASSWORD")
    if token and (user or password):
        raise OaikError(
            "both OAIK_TOKEN and OAIK_USER/OAIK_PASSWORD are set. Unset one: a token (Bearer) or a user and password (Basic)."
        )
    if token:
        return f"Bearer {token}"
    if user or password:
        if not user or password is None:
            raise OaikError("OAIK_USER and OAIK_PASSWORD go together: set both (or OAIK_TOKEN for a bearer token).")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return None


def push(
    endpoint: str,
    graph: str | None = DEFAULT_GRAPH,
    timeout: float = DEFAULT_TIMEOUT,
    parsed: Iterable | None = None,
    env: Mapping[str, str] | None = None,
    warn=None,
) -> PushResult:
    """PUT the graph into ``graph`` (None or '': the store's default graph) of the store at ``endpoint``."""
    import http.client
    import urllib.error
    import urllib.request

    url = target_url(endpoint, graph)
    auth = authorization(env)
    body, count = graph_body(parsed)
    headers = {"Content-Type": "application/n-triples", "User-Agent": USER_AGENT, "Accept": "*/*"}
    if auth:
        headers["Authorization"] = auth
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme == "http" and host not in ("localhost", "127.0.0.1", "::1") and warn:
            warn(f"warning: sending credentials over unencrypted http to {host}; prefer https.")
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return PushResult(url, count, response.status)
    except urllib.error.HTTPError as error:
        raise OaikError(_http_message(endpoint, error)) from None
    except urllib.error.URLError as error:
        raise OaikError(_connection_message(endpoint, error.reason, timeout)) from None
    except (
        OSError,
        http.client.HTTPException,
    ) as error:  # a timeout or reset while sending or reading, a malformed answer
        raise OaikError(_connection_message(endpoint, error, timeout)) from None


def _http_message(endpoint: str, error) -> str:
    detail = ""
    with contextlib.suppress(Exception):
        detail = error.read(400).decode("utf-8", "replace").strip().splitlines()[0]
    said = f" ({detail})" if detail else ""
    code = error.code
    if code in (401, 403):
        hint = "Check the credentials: set OAIK_USER and OAIK_PASSWORD (Basic) or OAIK_TOKEN (Bearer) in the environment, with write access to the store."
    elif code in (404, 405):
        hint = "Check that the URL is the store's Graph Store Protocol endpoint (Oxigraph: …/store; Fuseki: …/DATASET/data; GraphDB: …/repositories/REPO/rdf-graphs/service)."
    elif code == 413:
        hint = "The store refuses a body this large; raise its upload limit."
    elif 300 <= code < 400:
        hint = f"The store redirects to {error.headers.get('Location', 'another URL')}; push to that URL directly."
    else:
        hint = "The store kept its previous graph. Check the store's log."
    return f"the store at {endpoint} answered HTTP {code} {error.reason}{said}. {hint}"


def _connection_message(endpoint: str, reason, timeout: float) -> str:
    import socket

    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"the store at {endpoint} did not answer within {timeout:g} s. Raise --timeout or check the store; it keeps its previous graph unless it finished the request."
    return (
        f"cannot push to {endpoint} ({reason or type(reason).__name__}). Check the URL and that the store is running."
    )
