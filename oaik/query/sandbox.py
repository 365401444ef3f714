"""Run an untrusted query where it can be stopped: a forked worker with a wall-clock and a memory limit.

Neither pyoxigraph nor rdflib can cancel a running query, so a user-supplied
query runs in a child process that is killed when its time is up. The child
also caps its address space and installs an audit hook that refuses any
network connection or file opening made from Python, as a backstop to the
lexical refusal of SERVICE/FROM/LOAD.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from typing import TypeVar

from oaik.errors import OaikError

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MEMORY = 2 * 1024**3  # bytes of address space for the worker


class QueryTimeout(OaikError):
    """The query ran out of time and was stopped."""


def run_limited(function: Callable[[], T], timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY) -> T:
    """Call ``function`` in a forked child; return its result or raise its OaikError, a timeout or a crash."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, sender, memory), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(
                f"the query took longer than {timeout:g} s and was stopped. Make it more selective (add LIMIT or filters), or raise the time limit."
            )
        status, payload = receiver.recv()
    except EOFError:
        child.join(1)
        raise OaikError(
            f"the query worker died (exit code {child.exitcode}), most likely over the memory limit of {memory // 1024**2} MiB. Make the query more selective."
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(1)
        receiver.close()
    if status == "ok":
        return payload
    raise OaikError(payload)


def _child(function: Callable[[], T], sender, memory: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    sys.addaudithook(_refuse_io)
    try:
        sender.send(("ok", function()))
    except OaikError as error:
        sender.send(("error", str(error)))
    except MemoryError:
        sender.send(("error", "the query needed more memory than allowed and was stopped. Make it more selective."))
    except Exception as error:  # report, never let a traceback escape the worker
        sender.send(("error", f"the query failed: {error}"))
    finally:
        sender.close()


_BLOCKED_EVENTS = (
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "urllib.Request",
    "subprocess.Popen",
    "os.system",
)


def _refuse_io(event: str, args: tuple) -> None:
    if event in _BLOCKED_EVENTS:
        raise PermissionError(f"{event} is not allowed while running a query")
    if event == "open" and args and isinstance(args[0], str) and not args[0].startswith(("/proc/", "/dev/")):
        mode = args[1] if len(args) > 1 else "r"
        if isinstance(mode, str) and any(flag in mode for flag in "wax+"):
            raise PermissionError("writing files is not allowed while running a query")
