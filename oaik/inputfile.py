"""Reading a file oaik was given to read: a regular file, never through a symbolic link, of bounded size.

A Turtle file of a contribution or of the graph, and a query file, are read
this way. A link in a contribution could point to any file of the machine (a
CI runner's secrets), whose text would then show in parser messages; a device
(``/dev/zero``) is read without end, and a pipe may keep the reader waiting
for ever. Folders above the file may be links (a checkout reached through one
is fine): only the file itself is judged, before it is opened and again once
it is open, so it cannot be swapped in between. A query file is the user's
own: a link to it is followed, to a regular file only.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from oaik.errors import OaikError

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import BinaryIO

_MiB = 1024 * 1024
_FLAGS = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Kind:
    """What the file holds: its name in messages, the most bytes read, how to make a larger file fit, and
    whether a link to it is followed (a plain class: a warm query does not import ``dataclasses``)."""

    __slots__ = ("follow_links", "limit", "noun", "shrink")

    def __init__(self, noun: str, limit: int, shrink: str, follow_links: bool = False):
        self.noun = noun
        self.limit = limit
        self.shrink = shrink
        self.follow_links = follow_links


TURTLE = Kind("Turtle file", 64 * _MiB, "split it into several files")
QUERY = Kind("query file", 1 * _MiB, "shorten the query", follow_links=True)
INDEX_FILE = Kind("index file", 16 * _MiB, "check that it is the index's file")


def check_file(path: Path, kind: Kind) -> os.stat_result:
    """The status of ``path`` (a link followed only if ``kind`` says so), or an OaikError (exit 2) saying why it
    is not read."""
    try:
        info = os.stat(path) if kind.follow_links else os.lstat(path)
    except OSError as error:
        raise _unreadable(path, kind, error) from None
    _judge(path, info, kind)
    return info


def open_file(path: Path, kind: Kind) -> BinaryIO:
    """``path`` opened for reading in binary, or an OaikError (exit 2) naming it and saying why it is not read."""
    check_file(path, kind)
    try:
        descriptor = os.open(path, _FLAGS if kind.follow_links else _FLAGS | _NOFOLLOW)
    except OSError as error:
        raise (_link(path) if error.errno == errno.ELOOP else _unreadable(path, kind, error)) from None
    stream = os.fdopen(descriptor, "rb")
    try:
        _judge(path, os.fstat(descriptor), kind)
    except OaikError:
        stream.close()
        raise
    return stream


def read_file(path: Path, kind: Kind) -> bytes:
    """The bytes of ``path`` (at most ``kind.limit``), or an OaikError (exit 2) naming it and saying why it is not read."""
    with open_file(path, kind) as stream:
        try:
            data = stream.read(kind.limit + 1)
        except OSError as error:
            raise _unreadable(path, kind, error) from None
    if len(data) > kind.limit:
        raise _too_large(path, kind, len(data))
    return data


def read_stream(stream, kind: Kind, name: str) -> bytes:
    """At most ``kind.limit`` bytes of a binary stream (standard input, named ``name``), or an OaikError."""
    try:
        data = stream.read(kind.limit + 1)
    except OSError as error:
        raise _unreadable(Path(name), kind, error) from None
    if len(data) > kind.limit:
        raise _too_large(Path(name), kind, len(data))
    return data


def _judge(path: Path, info: os.stat_result, kind: Kind) -> None:
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise _link(path)
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise OaikError(
            f"{path}: is {what}, not a regular file; oaik reads only regular files (a device or a pipe can be read "
            f"without end). Name a {kind.noun} instead and run the command again."
        )
    if info.st_size > kind.limit:
        raise _too_large(path, kind, info.st_size)


def _link(path: Path) -> OaikError:
    return OaikError(
        f"{path}: is a symbolic link; oaik does not read files through links (a link can point to any file of "
        "this machine, whose text would then show in messages). Put a copy of the file itself there and run "
        "the command again."
    )


def _too_large(path: Path, kind: Kind, size: int) -> OaikError:
    return OaikError(
        f"{path}: the {kind.noun} is larger than {kind.limit // _MiB} MiB (at least {size:,} bytes), the most oaik "
        f"reads from one; {kind.shrink} and run the command again."
    )


def _unreadable(path: Path, kind: Kind, error: OSError) -> OaikError:
    return OaikError(f"{path}: cannot read the {kind.noun} ({error.strerror}). Check the path and its permissions.")
