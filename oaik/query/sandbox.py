"""Run an untrusted query where it can neither escape nor run forever.

Two layers. :func:`enter_sandbox` installs a seccomp filter (through
libseccomp) in the calling process: afterwards the kernel refuses to create
sockets, connect, open or create files, change the file system or execute
programs, while file descriptors that are already open (pipes, a listening
socket to ``accept`` on) keep working. A worker that must keep reading an
on-disk store names its folder: Landlock then allows reading beneath it and
nothing else (:mod:`oaik.query.landlock`). It works unprivileged (it sets
``no_new_privs``) and as root, and applies to every thread, so it also stops
what no Python audit hook sees: pyoxigraph's own HTTP client for ``SERVICE``.
If the kernel or libseccomp cannot provide it, :class:`SandboxUnavailable` is
raised and the caller refuses the query rather than run it unfenced.

:func:`run_limited` runs a function in a forked worker that enters the
sandbox, caps its memory and is killed when its time is up (neither
pyoxigraph nor rdflib can cancel a running query).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import multiprocessing
import os
import signal
import socket
from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar, cast

from oaik.errors import OaikError

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_MEMORY = 2 * 1024**3  # bytes of address space the worker may add to what it inherited

#: System calls refused (with EACCES) once the sandbox is entered: the network, opening
#: files, changing the file system, running programs and kernel interfaces that bypass
#: the others (io_uring submits opens and connects without these system calls).
REFUSED_SYSCALLS = (
    # network
    "socket",
    "connect",
    "bind",
    "listen",
    # opening files (open, openat and openat2 too, unless Landlock limits them: see OPENING)
    "creat",
    "open_by_handle_at",
    # changing the file system
    "truncate",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "mkdir",
    "mkdirat",
    "rmdir",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "chmod",
    "fchmodat",
    "chown",
    "lchown",
    "fchownat",
    "mknod",
    "mknodat",
    "mount",
    "umount2",
    "chroot",
    "pivot_root",
    # running programs, leaving the sandbox, bypasses
    "execve",
    "execveat",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "unshare",
    "setns",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "bpf",
    "userfaultfd",
    "perf_event_open",
)


#: Refused outright when nothing may be read; left to Landlock when some folders may be.
OPENING = ("open", "openat", "openat2")


class SandboxUnavailable(OaikError):
    """The operating system cannot fence a query worker; untrusted queries are refused."""


class QueryTimeout(OaikError):
    """The query ran out of time and was stopped."""


def enter_sandbox(memory: int | None = None, readable: Iterable[str | os.PathLike] = ()) -> None:
    """Fence the calling process (and all its threads) for good; call it once everything needed is loaded.

    ``memory``, if given, is how many bytes of address space the process may
    add to what it already has (so a worker forked from a large parent is not
    charged for the parent's mappings). ``readable`` lists folders whose files
    the process must still be able to read (an on-disk store, whose table
    files RocksDB opens lazily): then Landlock allows reading beneath them and
    nothing else, instead of seccomp refusing every open. Raises
    :class:`SandboxUnavailable` when the fence cannot be installed.
    """
    folders = [os.fspath(folder) for folder in readable]
    _seccomp()  # loaded before Landlock may forbid reading its files
    if memory is not None:
        import resource

        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if folders:
        from oaik.query import landlock

        try:
            _no_new_privileges()
            landlock.restrict_to_reading(folders)
        except OSError as error:
            raise SandboxUnavailable(_unavailable(f"Landlock could not limit reading to the store ({error})")) from None
    refused = REFUSED_SYSCALLS if folders else REFUSED_SYSCALLS + OPENING
    _load_filter(lambda seccomp, fence: [fence.add_rule(seccomp.ERRNO(errno.EACCES), name) for name in refused])


def _no_new_privileges() -> None:
    """prctl(PR_SET_NO_NEW_PRIVS): required before Landlock (libseccomp sets it too, but later)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) != 0:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))


def fence_network() -> None:
    """A lighter fence for trusted programs fed untrusted input (the OWL reasoner): no network, files allowed.

    Internet and packet sockets can no longer be created, so neither this
    process nor a program it starts (Java, inheriting the filter) can fetch
    anything; it may still read and write files.
    """

    def rules(seccomp, fence) -> None:
        for family in (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET):
            fence.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family))
        for name in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            fence.add_rule(seccomp.ERRNO(errno.EACCES), name)

    _load_filter(rules)


def _load_filter(add_rules: Callable) -> None:
    """Build a default-allow seccomp filter for all threads with ``add_rules(pyseccomp, filter)`` and load it."""
    seccomp = _seccomp()
    try:
        fence = seccomp.SyscallFilter(seccomp.ALLOW)
        fence.set_attr(seccomp.Attr.CTL_TSYNC, 1)
        add_rules(seccomp, fence)
        # a datagram sent to an explicit address is a new connection
        fence.add_rule(seccomp.ERRNO(errno.EACCES), "sendto", seccomp.Arg(4, seccomp.NE, 0))
        fence.load()
    except (OSError, RuntimeError, ValueError) as error:
        raise SandboxUnavailable(_unavailable(f"the kernel refused the seccomp filter: {error}")) from None


@cache
def sandbox_available() -> bool:
    """Whether :func:`enter_sandbox` works here (tried once, in a throw-away child process)."""
    try:
        _seccomp()
    except SandboxUnavailable:
        return False
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: try, report one byte, leave without running any cleanup
        status = b"0"
        try:
            enter_sandbox()
            status = b"1"
        finally:
            os.write(writer, status)
            os._exit(0)
    os.close(writer)
    try:
        return os.read(reader, 1) == b"1"
    finally:
        os.close(reader)
        os.waitpid(pid, 0)


def _seccomp():
    """The pyseccomp module (libseccomp through ctypes), or SandboxUnavailable."""
    try:
        import pyseccomp
    except (ImportError, RuntimeError, OSError) as error:
        raise SandboxUnavailable(_unavailable(f"libseccomp could not be loaded ({error})")) from None
    return pyseccomp


def _unavailable(reason: str) -> str:
    return (
        f"refused because the operating-system sandbox is unavailable: {reason}. OAIK runs untrusted input "
        "(ad-hoc SPARQL queries, OWL reasoning over contributions) only in a worker that the kernel stops from opening "
        "network connections (and, for queries, files), using a seccomp filter (Linux only); install libseccomp "
        "(Debian/Ubuntu: apt-get install libseccomp2) and the Python package pyseccomp, or run OAIK on Linux. "
        "Canned queries (`oaik query NAME`) are not affected."
    )


def _address_space() -> int:
    """Bytes of virtual memory the process has mapped now."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def run_limited(
    function: Callable[[], T],
    timeout: float = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    readable: Iterable[str | os.PathLike] = (),
    fence: Callable[[], None] | None = None,
) -> T:
    """Call ``function`` in a forked, fenced child; return its result or raise its OaikError, a timeout or a crash.

    The fence is :func:`enter_sandbox` with ``memory`` and ``readable``,
    unless another one is given. The child leads its own process group, so
    programs it starts are stopped with it.
    """
    fence = fence or functools.partial(enter_sandbox, memory, tuple(readable))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(function, sender, memory, fence), daemon=True)
    child.start()
    pid = cast(int, child.pid)
    with contextlib.suppress(OSError):  # also done by the child: whichever runs first, no window
        os.setpgid(pid, pid)
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout(
                f"the query took longer than {timeout:g} s and was stopped. Make it more selective (add LIMIT or filters), or raise the time limit."
            )
        status, payload = receiver.recv()
    except EOFError:
        child.join(1)
        limit = f" of {memory // 1024**2} MiB" if memory else ""
        raise OaikError(
            f"the query worker died (exit code {child.exitcode}), most likely over the memory limit{limit}. Make the query more selective."
        ) from None
    finally:
        with contextlib.suppress(OSError):  # the child and programs it started; not yet reaped, so the group is ours
            os.killpg(pid, signal.SIGKILL)
        child.join(1)
        receiver.close()
    if status == "ok":
        return payload
    if status == "unavailable":
        raise SandboxUnavailable(payload)
    raise OaikError(payload)


def _child(function: Callable[[], T], sender, memory: int | None, fence: Callable[[], None]) -> None:
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    try:
        fence()
    except SandboxUnavailable as error:
        sender.send(("unavailable", str(error)))
        sender.close()
        return
    try:
        sender.send(("ok", function()))
    except OaikError as error:
        sender.send(("error", str(error)))
    except MemoryError:
        limit = f"the {memory // 1024**2} MiB of memory allowed" if memory else "the memory available"
        sender.send(("error", f"the query needed more than {limit} and was stopped. Make it more selective."))
    except Exception as error:  # report, never let a traceback escape the worker
        sender.send(("error", f"the query failed: {error}"))
    finally:
        sender.close()
