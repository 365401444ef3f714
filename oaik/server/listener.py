"""The HTTP layer of ``oaik serve``: uvicorn (h11) with OAIK's connection rules.

uvicorn provides the event loop, the accept queue (``backlog``), flow
control towards slow readers and the graceful shutdown. On top of its h11
protocol, :func:`protocol_class` adds what it does not do:

- a total deadline for receiving a request (headers and body), so a client
  trickling one byte at a time is answered 408 and cut off;
- a cap on open connections: a request arriving on a connection beyond it is
  answered 503 with Retry-After (read first, so the client sees no reset);
- at once 400 for a request line without an HTTP version and for a repeated
  Content-Length (h11 would wait for more, or merge equal values), 505 for
  a version other than HTTP/1.0 and 1.1;
- errors as the same short text/plain answers, logged like every request.
"""

from __future__ import annotations

import logging
import re
import socket
import time

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from oaik.errors import OaikError
from oaik.server.limits import Limits

MAX_HEAD = 64 * 1024  # bytes of a request line and headers
REQUEST_LINE = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP/\d\.\d\r?\n")
CONTENT_LENGTH = re.compile(rb"\ncontent-length[ \t]*:", re.IGNORECASE)


def head_problem(head: bytes) -> tuple[int, str] | None:
    """Why a request head (what arrived before the blank line) is refused before h11 sees all of it, if it is."""
    line_end = head.find(b"\n")
    if line_end >= 0 and not REQUEST_LINE.match(head, 0, line_end + 1):
        words = head[:line_end].split()
        if len(words) == 2:
            return (
                400,
                "the request line has no HTTP version (HTTP/0.9 is not supported). Send e.g. GET /sparql HTTP/1.1.",
            )
        return 400, "the request line is malformed. Send METHOD TARGET HTTP/1.1."
    if line_end >= 0 and not head[:line_end].rstrip().endswith((b"HTTP/1.1", b"HTTP/1.0")):
        return 505, "HTTP version not supported. Send HTTP/1.1 (or HTTP/1.0)."
    end = head.find(b"\r\n\r\n")
    end = head.find(b"\n\n") if end < 0 else end
    if end >= 0 and len(CONTENT_LENGTH.findall(head, 0, end + 1)) > 1:
        return 400, "the request has more than one Content-Length header. Send exactly one."
    if end < 0 and len(head) > MAX_HEAD:
        return 431, (
            f"request too large: the request line and headers are over {MAX_HEAD // 1024} KiB. "
            "Send the query with POST instead of GET."
        )
    return None


def protocol_class(limits: Limits, log) -> type[H11Protocol]:
    """uvicorn's h11 protocol with OAIK's deadline, connection cap and head checks."""

    class OaikProtocol(H11Protocol):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.logger = _UVICORN_LOG

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._opened = time.monotonic()
            self._head: bytes | None = b""
            self._deadline = self.loop.call_later(limits.request_deadline, self._too_slow)
            if len(self.connections) > limits.max_connections:
                self.app = _busy(limits, log)

        def data_received(self, data: bytes) -> None:
            if self._head is not None and self.conn.their_state is h11.IDLE:
                self._head += data
                problem = head_problem(self._head)
                if problem:
                    self._refuse(*problem)
                    return
                if b"\r\n\r\n" in self._head or b"\n\n" in self._head:
                    self._head = None
            super().data_received(data)
            if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
                self._deadline.cancel()

        def connection_lost(self, exc) -> None:
            self._deadline.cancel()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            self._refuse(400, "the request is not valid HTTP/1.1. Check the request line and headers.")

        def _too_slow(self) -> None:
            if self.cycle is None or not self.cycle.response_started:
                self._refuse(
                    408,
                    f"the request was not received within {limits.request_deadline:g} s. Send the whole request at once.",
                )
            else:
                self.transport.close()

        def _refuse(self, status: int, message: str) -> None:
            """Answer with a short text and close, outside the application (nothing of the request is used)."""
            body = (message + "\n").encode("utf-8")
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
            )
            if self.cycle is not None:  # the application is waiting for a body that will not come
                self.cycle.disconnected = True
                self.cycle.message_event.set()
            if not self.transport.is_closing():
                self.transport.write(head.encode("latin-1") + body)
                self.transport.close()
            request = self._head.split(b"\n", 1)[0].strip().decode("latin-1") if self._head else "-"
            client = self.client[0] if self.client else "-"
            elapsed = time.monotonic() - self._opened
            log(f'{client} "{request[:200] or "-"}" {status} {len(body)} {elapsed:.3f}s {message[:120]}')
            self._head = None

    return OaikProtocol


_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    505: "HTTP Version Not Supported",
}
#: uvicorn's own logger, silenced: each refused request is logged once, as every request is (by ``_refuse``).
_UVICORN_LOG = logging.getLogger("oaik.serve.uvicorn")
_UVICORN_LOG.addHandler(logging.NullHandler())
_UVICORN_LOG.propagate = False


def _busy(limits: Limits, log):
    """The application for a connection over the cap: 503 with Retry-After."""
    body = (
        f"the server has {limits.max_connections} connections open, its cap (--max-connections). Try again in a moment.\n"
    ).encode()

    async def busy(scope, receive, send) -> None:
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", b"1"),
            (b"connection", b"close"),
            (b"access-control-allow-origin", b"*"),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        client = (scope.get("client") or ("-",))[0]
        log(
            f'{client} "{scope["method"]} {scope["path"][:200]} HTTP/{scope["http_version"]}" 503 {len(body)} over the connection cap'
        )

    return busy


def bind(host: str, port: int, backlog: int) -> socket.socket:
    """A listening socket, or an OaikError saying what to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as error:
        sock.close()
        raise OaikError(
            f"cannot listen on {host}:{port} ({error.strerror or error}). "
            "Choose another --port (or stop the program using it), or check --host."
        ) from None
    sock.set_inheritable(False)
    return sock
