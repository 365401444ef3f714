"""Signals during a build: SIGTERM stops it as Ctrl-C does, the folder swap is never cut in half, and the
rendering workers leave both signals to the parent (which removes the unfinished site)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOPPING = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM arrived (``timeout``, a CI job's time limit, ``kill``): the build stops and cleans up as for Ctrl-C."""


def _terminate(signum, frame) -> None:
    raise Terminated


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()  # the only thread that may set handlers


@contextmanager
def terminable() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the block (by default it would end the process without cleaning up)."""
    if not _in_main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


@contextmanager
def deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then act as they would have."""
    if not _in_main_thread():
        yield
        return
    arrived: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: arrived.append(signum)) for number in STOPPING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)
        if arrived:
            signal.raise_signal(arrived[0])


def quiet_worker() -> None:
    """A pool worker's initializer. Ctrl-C reaches the whole process group: the parent handles it and stops the
    workers with SIGTERM (``Pool.terminate``), which ends a worker at once and silently (no Python handler)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
