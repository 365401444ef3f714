"""Where an export goes: standard output, a regular file (replaced atomically) or a device, FIFO or symlink.

* No name or ``-``: standard output. ``/dev/stdout``, ``/dev/stderr`` and
  ``/dev/fd/N`` (``/proc/self/fd/N``) write to that already open descriptor,
  so ``-o /dev/stdout >> log`` appends as the shell asked.
* A regular file, or a name that does not exist yet: written to a temporary
  file beside it, flushed, given the old file's permissions (and owner, when
  we may), then renamed over it. Readers see the old file or the new one;
  on any error the old file is left as it was.
* A character device (``/dev/null``, a terminal) or a FIFO: written through,
  never replaced by a regular file.
* A symbolic link: written through to what it points to, by the rules above
  (a link to a regular file replaces that file atomically, and the link
  stays a link).

Every problem (a missing or unwritable folder, permissions, a full disk) is
an :class:`~oaik.errors.OaikError` (exit 2) naming the path.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from oaik.errors import OaikError
from oaik.files import copy_metadata

_OPEN_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def check_output(target: str | os.PathLike | None) -> None:
    """Fail early, before any work, when ``target`` cannot be written."""
    if _descriptor(target) is None:
        _plan(Path(os.fspath(target)))  # type: ignore[arg-type]


def write(data: bytes | Iterable[bytes], target: str | os.PathLike | None) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks) to ``target`` (see the module)."""
    chunks = [data] if isinstance(data, bytes) else data
    with open_output(target) as stream:
        for chunk in chunks:
            stream.write(chunk)


@contextlib.contextmanager
def open_output(target: str | os.PathLike | None) -> Iterator[BinaryIO]:
    """A binary file to write an export to; committed when the block ends without an error."""
    descriptor = _descriptor(target)
    if descriptor is not None:
        yield from _to_descriptor(descriptor, str(target) if target is not None else "standard output")
        return
    path = Path(os.fspath(target))  # type: ignore[arg-type]
    real, through = _plan(path)
    if through:
        yield from _through(real, path)
    else:
        yield from _atomic(real, path)


def _descriptor(target: str | os.PathLike | None) -> int | None:
    """The open descriptor ``target`` names (None and '-' are standard output), or None for a path."""
    if target is None or os.fspath(target) == "-":
        return 1
    name = os.fspath(target)
    if isinstance(name, bytes):
        return None
    if name in _STANDARD:
        return _STANDARD[name]
    found = _OPEN_DESCRIPTOR.fullmatch(name)
    return int(found.group(1)) if found else None


def _plan(path: Path) -> tuple[Path, bool]:
    """Where to write for ``path`` (symbolic links followed) and whether to write through (not replace)."""
    try:
        real = Path(os.path.realpath(path))
        mode = real.stat().st_mode if real.exists() else None
        parent_is_dir = real.parent.is_dir()
    except OSError as error:
        raise _error(path, error, "Check the permissions of its folders or choose another --output.") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OaikError(f"{path}: is a folder; give --output a file name, e.g. {path / 'oaik.ttl'}.")
    if mode is not None and not stat.S_ISREG(mode):
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            raise OaikError(
                f"{path}: cannot write the export to this kind of file (not a regular file, character device or FIFO). Choose another --output."
            )
        return real, True
    if not parent_is_dir:
        reason = "is a file, not a folder" if real.parent.exists() else "does not exist"
        raise OaikError(
            f"{path}: cannot write the export: the folder {real.parent} {reason}. Create it or choose another --output."
        )
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise OaikError(
            f"{path}: cannot write the export: the folder {real.parent} is not writable. Choose an --output in a folder you can write to."
        )
    if mode is not None and not os.access(real, os.W_OK):
        raise OaikError(
            f"{path}: cannot write the export: the file is read-only. Choose another --output or make it writable."
        )
    return real, False


def _to_descriptor(descriptor: int, shown: str) -> Iterator[BinaryIO]:
    if descriptor == 1:
        yield from _written(sys.stdout.buffer, shown)
        return
    try:
        stream = os.fdopen(os.dup(descriptor), "wb")
    except OSError as error:
        raise _error(Path(shown), error, "Is that descriptor open for writing?") from None
    try:
        yield from _written(stream, shown)
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def _through(real: Path, shown: Path) -> Iterator[BinaryIO]:
    """A device or FIFO: opened for writing as it is, never created or truncated."""
    try:
        stream = os.fdopen(os.open(real, os.O_WRONLY | os.O_NOCTTY), "wb")
    except OSError as error:
        raise _error(shown, error, "Choose another --output.") from None
    try:
        yield from _written(stream, str(shown))
    finally:
        with contextlib.suppress(OSError):  # what could not be flushed was reported already
            stream.close()


def _written(stream: BinaryIO, shown: str) -> Iterator[BinaryIO]:
    """Yield ``stream``, flush it at the end; a write error becomes a message (a closed pipe stays BrokenPipeError)."""
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _error(Path(shown), error, "The output is incomplete.") from None


def _atomic(real: Path, shown: Path) -> Iterator[BinaryIO]:
    """A regular file: a temporary beside it, renamed over it at the end."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent)
    except OSError as error:
        raise _error(shown, error, "Choose an --output in a folder you can write to.") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        copy_metadata(real, temporary)
        os.replace(temporary, real)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _error(
                shown, error, f"nothing was written. Check the free space and permissions of {real.parent}."
            ) from None
        raise


def _error(path: Path, error: OSError, advice: str) -> OaikError:
    return OaikError(f"{path}: cannot write the export ({error.strerror or error}). {advice}")
