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
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from oaik.endpoints import USERINFO, check_http_url
from oaik.errors import OaikError
from oaik.printable import visible
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
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)  # type: ignore[return-value]  # pyoxigraph stubs / Optional SPARQL columns


def target_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL: ``?graph=IRI``, or ``?default`` for the store's default graph.

    The endpoint is judged by :func:`oaik.endpoints.check_http_url` (an http(s)
    URL with a host, no credentials, never shown with them); anything that
    would make the request go elsewhere than it reads (a fragment, which drops
    the ``graph`` parameter and so addresses the whole dataset, a graph
    parameter of its own) is refused.
    """
    parts = check_http_url(
        endpoint,
        "--endpoint",
        "Give the store's Graph Store Protocol URL, e.g. http://localhost:7878/store.",
        "Set OAIK_USER and OAIK_PASSWORD, or OAIK_TOKEN, in the environment instead.",
    )
    if "#" in endpoint:
        raise OaikError(
            f"--endpoint {endpoint!r} has a fragment (#…). A fragment is never sent to the server, so the graph "
            "to replace would be lost and the request would address the whole store. Remove the fragment."
        )
    names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if names & {"graph", "default"}:
        raise OaikError(
            f"--endpoint {endpoint!r} already names a graph (graph= or default). Give the store URL alone and choose the graph with --graph."
        )
    selector = urlencode({"graph": graph}) if graph else "default"
    return urlunsplit(parts._replace(query=f"{parts.query}&{selector}" if parts.query else selector))


def authorization(env: Mapping[str, str] | None = None) -> str | None:
    """The Authorization header from OAIK_TOKEN, or OAIK_USER and OAIK_PASSWORD; None without them.

    Values are checked before use (no control characters, e.g. the CR of a
    token file saved with CRLF line ends) and never shown in a message.
    """
    import base64

    env = os.environ if env is None else env
    token, user, password = env.get("OAIK_TOKEN"), env.get("OAIK_USER"), env.get("OAIK_PASSWORD")
    if token and (user or password):
        raise OaikError(
            "both OAIK_TOKEN and OAIK_USER/OAIK_PASSWORD are set. Unset one: a token (Bearer) or a user and password (Basic)."
        )
    if token:
        _check_credential("OAIK_TOKEN", token)
        if not all(33 <= ord(char) < 127 for char in token):
            raise OaikError(
                "OAIK_TOKEN has characters a bearer token cannot have (only visible ASCII characters are allowed). "
                "Set it to the token exactly as the store issued it."
            )
        return f"Bearer {token}"
    if user or password:
        if not user or password is None:
            raise OaikError("OAIK_USER and OAIK_PASSWORD go together: set both (or OAIK_TOKEN for a bearer token).")
        _check_credential("OAIK_USER", user)
        _check_credential("OAIK_PASSWORD", password)
        if ":" in user:
            raise OaikError("OAIK_USER contains ':', which Basic authentication cannot carry. Use the user name alone.")
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return None


def _check_credential(name: str, value: str) -> None:
    import unicodedata

    for position, char in enumerate(value, 1):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            what = unicodedata.name(char, "a control character")
            raise OaikError(
                f"{name} contains U+{ord(char):04X} ({what}) at character {position}, e.g. the line end of a file "
                f"saved with CRLF line ends. Set {name} without it (for a file: tr -d '\\r\\n' < FILE); "
                "the value is not shown here."
            )


_CREDENTIAL = re.compile(
    r"(?i)\b(authorization|proxy-authorization|bearer|basic|token|access_token|api[-_]?key|password|passwd|secret)"
    r"(\s*[:=]\s*|\s+)(?:(?:bearer|basic)\s+)?[^\s,;&\"']+"
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets, the user information of URLs (``http://***@host``) and anything that
    looks like a credential replaced. A secret under 3 characters is replaced where it stands alone, not
    inside a word (``pa`` in ``alice:pa)``, not in ``passed``)."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        if len(secret) >= 3:
            text = text.replace(secret, "[redacted]")
        else:
            text = re.sub(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", "[redacted]", text)
    text = USERINFO.sub(r"\1***@", text)
    return _CREDENTIAL.sub(lambda m: f"{m.group(1)}{m.group(2)}[redacted]", text)


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
    secrets = _secrets(auth, env)
    body, count = graph_body(parsed)
    headers = {"Content-Type": "application/n-triples", "User-Agent": USER_AGENT, "Accept": "*/*"}
    if auth:
        headers["Authorization"] = auth
        host = urlsplit(url).hostname or ""
        if urlsplit(url).scheme == "http" and host not in ("localhost", "127.0.0.1", "::1") and warn:
            warn(f"warning: sending credentials over unencrypted http to {host}; prefer https.")
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                return PushResult(url, count, response.status)
        except urllib.error.HTTPError as error:
            detail = _error_text(error)
            if error.code == 500 and _DEADLOCK.search(detail) and attempt < DEADLOCK_ATTEMPTS:
                if warn:  # the store's words: maybe an echoed credential, maybe control characters
                    warn(
                        redact(visible(f"the store reports a transaction deadlock ({detail}); pushing again."), secrets)
                    )
                time.sleep(attempt)
                continue
            message = _http_message(endpoint, error, detail)
        except urllib.error.URLError as error:
            message = _connection_message(endpoint, error.reason, timeout)
        except (OSError, ValueError, http.client.HTTPException) as error:  # a timeout or reset, a malformed answer
            message = _connection_message(endpoint, error, timeout)
        raise OaikError(redact(message, secrets))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _secrets(auth: str | None, env: Mapping[str, str] | None) -> list[str]:
    """Every form in which the credentials could be echoed back: header, token, password, base64."""
    env = os.environ if env is None else env
    user, password = env.get("OAIK_USER") or "", env.get("OAIK_PASSWORD") or ""
    values = [auth or "", env.get("OAIK_TOKEN") or "", password, f"{user}:{password}" if user and password else ""]
    if auth:
        values.append(auth.split(" ", 1)[1])
    return values


#: A transient conflict the store asks its client to retry (SQLSTATE 40001, e.g. Virtuoso's "SR172: Transaction
#: deadlocked" on a large PUT soon after it starts): pushed again, at most this many times in all.
DEADLOCK_ATTEMPTS = 3
_DEADLOCK = re.compile(r"\b40001\b|deadlock", re.IGNORECASE)


def _error_text(error) -> str:
    """The start of an error answer's text: its first line, or for an HTML page its words without the markup."""
    text = ""
    with contextlib.suppress(Exception):
        text = error.read(2000).decode("utf-8", "replace").strip()
    if text.startswith("<"):
        return " ".join(_words(text).split())[:200]
    return text.splitlines()[0][:200] if text else ""


def _words(html: str) -> str:
    """The text of an HTML page (an HTML parser, not a pattern: the markup is the store's, not ours)."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.words: list[str] = []

        def handle_data(self, data: str) -> None:
            self.words.append(data)

    parser = Words()
    parser.feed(html)
    parser.close()
    return " ".join(parser.words)


def _http_message(endpoint: str, error, detail: str) -> str:
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
