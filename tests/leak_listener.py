"""A bait SPARQL endpoint on 127.0.0.1 that records every connection made to it.

It answers any request with a SPARQL JSON result holding one row of
:data:`BAIT` values, so a query that reaches it both shows up in
``connections`` and would leak the bait into its output. The smuggling corpus
in ``resources/smuggling`` names it as ``@LISTENER@`` (host:port).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"
BAIT = "bait-from-the-listener"
SMUGGLING = Path(__file__).parent / "resources" / "smuggling"
_ROW = {name: {"type": "literal", "value": BAIT} for name in "abc"}
_BODY = json.dumps({"head": {"vars": list(_ROW)}, "results": {"bindings": [_ROW]}}).encode()
_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    + f"Content-Length: {len(_BODY)}\r\nConnection: close\r\n\r\n".encode()
    + _BODY
)


class Listener:
    """Accepts connections in a thread; ``connections`` lists the first bytes each one sent."""

    def __init__(self) -> None:
        self.connections: list[bytes] = []
        self._socket = socket.create_server((HOST, 0))
        self._socket.settimeout(0.1)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def address(self) -> str:
        return f"{HOST}:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._socket.accept()
            except TimeoutError:
                continue
            with client:
                client.settimeout(2)
                try:
                    self.connections.append(client.recv(65536))
                    client.sendall(_RESPONSE)
                except OSError:
                    self.connections.append(b"")


@contextlib.contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    listener._thread.start()
    try:
        yield listener
    finally:
        listener._stopped.set()
        listener._thread.join(5)
        listener._socket.close()


def smuggling_queries(address: str) -> dict[str, str]:
    """Every query of the corpus by file name, with ``@LISTENER@`` replaced by ``address``."""
    return {
        path.name: path.read_bytes().decode("utf-8").replace("@LISTENER@", address)
        for path in sorted(SMUGGLING.glob("*.rq"))
    }
