"""A pool of pre-started query workers, replaced when they time out, die or have served enough queries.

Each worker is a fresh ``python -m oaik.server.worker`` process talking over a
socket pair (see :mod:`oaik.server.worker`), never a fork of the HTTP server.
:meth:`WorkerPool.run` blocks (call it from a thread): it takes an idle
worker, sends the job, waits at most ``timeout`` seconds for the whole answer
and spools a large body to a temporary file, so that slow readers of big
results do not hold them in the server's memory.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO

from oaik.errors import OaikError
from oaik.server import worker
from oaik.server.limits import HttpError, Limits

SPOOL_IN_MEMORY = 1024**2  # bytes of a result kept in memory; more goes to a temporary file
START_TIMEOUT = 120.0  # seconds a new worker may take to load the graph


@dataclass
class Answer:
    """A result body: ``length`` bytes in ``body`` (a file positioned at its start)."""

    length: int
    body: IO[bytes]

    def read(self) -> bytes:
        with self.body:
            return self.body.read()


class Worker:
    def __init__(self, memory: int):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "oaik.server.worker", str(theirs.fileno()), str(memory)],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # a worker reports through its socket; an abort is seen as its end
            )
            self.conn = Connection(ours.detach())
        self.jobs = 0
        self._stopping = threading.Lock()  # held for good by the first caller of stop()

    def wait_ready(self, seconds: float) -> tuple[int, str | None]:
        """(triples, why ad-hoc queries are refused or None) once loaded; OaikError if it failed."""
        try:
            if self.conn.poll(seconds):
                status, detail, unfenced = self.conn.recv()
                if status == "ready":
                    return detail, unfenced
                self.stop()
                raise OaikError(detail)
        except (EOFError, OSError):
            pass
        self.stop()
        raise OaikError(
            f"a query worker could not start (exit code {self.process.returncode}). "
            "Check that the graph loads (`oaik validate`) and that --memory is large enough."
        )

    def stop(self) -> None:
        """Kill the process and close the socket, once: shutdown and a replacing thread may both ask."""
        if not self._stopping.acquire(blocking=False):
            return
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, limits: Limits, log):
        self.limits = limits
        self.log = log
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._workers: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.triples = 0
        self.unfenced: str | None = None

    def start(self) -> None:
        """Start every worker and wait until each has loaded the graph."""
        started = [self._spawn() for _ in range(self.limits.workers)]
        for each in started:
            self.triples, self.unfenced = each.wait_ready(START_TIMEOUT)
            self._idle.put(each)
        if self.unfenced:
            self.log(f"oaik serve: warning: {self.unfenced}")

    def _spawn(self) -> Worker:
        fresh = Worker(self.limits.memory)
        with self._lock:
            self._workers.add(fresh)
        return fresh

    def _replace(self, old: Worker) -> None:
        """Stop ``old`` and start a fresh worker in the background."""

        def replace() -> None:
            old.stop()
            with self._lock:
                self._workers.discard(old)
            if self._closed:
                return
            fresh = self._spawn()
            try:
                fresh.wait_ready(START_TIMEOUT)
            except OaikError as error:
                with self._lock:
                    self._workers.discard(fresh)
                if not self._closed:  # stopping the server kills a worker that is still starting
                    self.log(f"oaik serve: {error}")
                return
            self._idle.put(fresh)

        threading.Thread(target=replace, name="oaik-worker-replace", daemon=True).start()

    def pids(self) -> set[int]:
        with self._lock:
            return {each.process.pid for each in self._workers}

    def run(self, query: str, fmt: str, trusted: bool) -> Answer:
        """Run one query on an idle worker; HttpError for anything but a result."""
        limits = self.limits
        try:
            chosen = self._idle.get(timeout=limits.timeout)
        except queue.Empty:
            raise HttpError(
                503,
                f"all {limits.workers} query workers stayed busy for {limits.timeout:g} s. Try again in a moment.",
                {"Retry-After": "5"},
            ) from None
        deadline = time.monotonic() + limits.timeout
        try:
            chosen.conn.send((query, fmt, trusted, limits.max_rows, limits.max_result_bytes))
            answer = self._receive(chosen, deadline)
        except BaseException:  # timed out, died or interrupted: its state is unknown
            self._replace(chosen)
            raise
        chosen.jobs += 1
        if chosen.jobs >= limits.recycle_after:
            self._replace(chosen)
        else:
            self._idle.put(chosen)
        if isinstance(answer, HttpError):
            raise answer
        return answer

    def _receive(self, chosen: Worker, deadline: float) -> Answer | HttpError:
        """The worker's answer, or the refusal it sent back (raised instead when the worker is done for)."""
        conn, limits = chosen.conn, self.limits
        try:
            status, detail = self._next(conn, deadline, lambda: conn.recv())
            if status == worker.OUT_OF_MEMORY:
                raise _out_of_memory(limits)
            if status != "ok":
                return HttpError(503 if status == worker.UNFENCED else status, detail)
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - handed to the caller
            received = 0
            while received < detail:
                chunk = self._next(conn, deadline, lambda: conn.recv_bytes())
                spool.write(chunk)
                received += len(chunk)
        except (EOFError, OSError):  # the worker died: Rust aborts when an allocation fails
            raise _out_of_memory(limits) from None
        spool.seek(0)
        return Answer(received, spool)

    def _next(self, conn, deadline: float, read):
        if not conn.poll(max(deadline - time.monotonic(), 0)):
            raise HttpError(
                408,
                f"the query took longer than {self.limits.timeout:g} s and was stopped. "
                "Make it more selective (add LIMIT or filters), or raise the time limit (--timeout).",
            )
        return read()

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for each in workers:
            with contextlib.suppress(OSError):
                each.conn.send(None)
            each.stop()


def _out_of_memory(limits: Limits) -> HttpError:
    return HttpError(
        503,
        f"the query needed more memory than the {limits.memory // 1024**2} MiB a query may use (--memory) "
        "and was stopped; its worker was replaced. Make the query more selective (add LIMIT or filters).",
        {"Retry-After": "1"},
    )
