"""Servers for the tests, always on 127.0.0.1 and always stopped: ``oaik serve``, Oxigraph, a recorder.

Also how to compare query results from different engines: rows as multisets
of values, blank node labels ignored, GROUP_CONCAT cells as sets.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def oaik_server(routes=(), **limits) -> Iterator:
    """``oaik serve`` on 127.0.0.1, any free port, in a background thread; yields the endpoint (``.url``, ``.log_lines``)."""
    from oaik.server.endpoint import Limits, make_server

    lines: list[str] = []
    endpoint = make_server(HOST, 0, Limits(**limits), log=lines.append, routes=routes)
    endpoint.log_lines = lines
    thread = threading.Thread(target=endpoint.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not endpoint.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        yield endpoint
    finally:
        endpoint.stop()
        thread.join(20)
        endpoint.close()


@contextlib.contextmanager
def serving(server) -> Iterator:
    """Run a socketserver in a background thread; shut it down and close it afterwards."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def oxigraph_binary() -> str | None:
    """The Oxigraph server (PyPI package ``oxigraph``) next to this Python, or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


@contextlib.contextmanager
def oxigraph_server(binary: str, location: Path, startup: float = 20.0) -> Iterator[str]:
    """``oxigraph serve`` on 127.0.0.1 with its data in ``location``; yields its base URL."""
    port = free_port()
    log = open(location.parent / f"oxigraph-{port}.log", "wb")  # noqa: SIM115 - closed when the server stops
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"{HOST}:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"oxigraph serve exited with {process.returncode}: {(location.parent / log.name).read_text(errors='replace')[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1) as response:
                    response.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not answer on {base} within {startup:g} s") from None
                time.sleep(0.1)
        yield base
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen, grace: float = 5.0) -> None:
    """Terminate a process we started, then kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)


class Recorder(http.server.ThreadingHTTPServer):
    """A stand-in store that records each request and answers as ``respond(request)`` says."""

    daemon_threads = True

    def __init__(self, respond):
        self.requests: list[dict] = []
        self.respond = respond
        super().__init__((HOST, 0), _RecordingHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    def _record(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = {
            "method": self.command,
            "path": self.path,
            "headers": dict(self.headers),
            "body": self.rfile.read(length),
        }
        self.server.requests.append(request)
        status, body, delay, *content_type = self.server.respond(request)  # optionally a Content-Type
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", content_type[0] if content_type else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_POST = do_GET = _record

    def log_message(self, format, *args) -> None:
        pass


@contextlib.contextmanager
def recorder(respond) -> Iterator[Recorder]:
    with serving(Recorder(respond)) as server:
        yield server


# --- comparing results ------------------------------------------------------------------

_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[?$]\w+\s*;\s*SEPARATOR\s*=\s*("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')\s*\)\s*AS\s*[?$](\w+)',
    re.IGNORECASE,
)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def concat_separators(query: str) -> dict[str, str]:
    """Variables bound to a GROUP_CONCAT, with their separators (default " ")."""
    found = {name: literal[1:-1] for literal, name in _CONCAT.findall(query)}
    for name in re.findall(r"GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[?$]\w+\s*\)\s*AS\s*[?$](\w+)", query, re.IGNORECASE):
        found.setdefault(name, " ")
    return found


def comparable(result_json: dict, query: str) -> Counter | bool:
    """A SPARQL JSON result as a multiset of rows (or the ASK boolean), engine quirks removed."""
    if "boolean" in result_json:
        return result_json["boolean"]
    separators = concat_separators(query)
    names = result_json["head"]["vars"]
    rows = []
    for binding in result_json["results"]["bindings"]:
        rows.append(tuple(_value(binding.get(name), separators.get(name)) for name in names))
    return Counter(rows)


def _value(term: dict | None, separator: str | None):
    if term is None:
        return None
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    if kind == "bnode":
        return ("bnode",)
    value = term["value"]
    if separator is not None and value:
        value = frozenset(value.split(separator))
    datatype = term.get("datatype")
    return (kind, value, None if datatype == _XSD_STRING else datatype, term.get("xml:lang"))
