"""What one request to ``oaik serve`` may cost, and the error that answers a request early."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The server's caps; each has an ``oaik serve`` option or a fixed, documented value."""

    timeout: float = 30.0  # seconds a query may run (then its worker is killed and replaced)
    max_rows: int = 100_000  # solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) in a result
    max_result_bytes: int = 64 * 1024**2  # bytes of a serialised result
    max_request_bytes: int = 1024**2  # bytes of a request body (or of a GET request target)
    memory: int = 2 * 1024**3  # bytes of address space a query may add to its worker's (the graph and Python)
    workers: int = 4  # query worker processes; more queries wait for a free one
    max_connections: int = 256  # open connections; a request on any further one gets 503 + Retry-After
    request_deadline: float = 10.0  # seconds to receive a whole request (headers and body)
    recycle_after: int = 1000  # queries a worker answers before it is replaced by a fresh one
    backlog: int = 1024  # connections the kernel queues before the server accepts them


class HttpError(Exception):
    """An error answered with ``status`` and a short text/plain ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
