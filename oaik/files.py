"""Writing a file so that no reader ever sees half of it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomically(target: Path, text: str, *, sync: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to a temporary file beside ``target``, then rename it over ``target``.

    With ``sync`` the data reaches the disk before the rename, so a crash
    leaves the old file or the new one, never an empty one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        copy_metadata(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_metadata(target: Path, temporary: str) -> None:
    """Give the new file ``temporary`` the permissions (and owner, if allowed) of the ``target`` it replaces;
    a new file gets 0666 minus the umask, as ``open()`` would give it (``mkstemp`` makes it 0600)."""
    try:
        old = target.stat()
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        return
    with contextlib.suppress(PermissionError):
        os.chown(temporary, old.st_uid, old.st_gid)
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
