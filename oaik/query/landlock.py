"""Landlock (Linux 5.13+): let a process read files beneath a few folders and nothing else, for good.

The three Landlock system calls through ctypes (no maintained Python binding
exists yet). Used by :func:`oaik.query.sandbox.enter_sandbox` when a fenced
worker must keep reading a store on disk (RocksDB opens its table files
lazily): every file access outside those folders, and every write, exec or
file creation anywhere, is then refused by the kernel. Works unprivileged;
the caller must have set ``no_new_privs``.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable
from pathlib import Path

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
#: every file-system right of each ABI version (all handled, so all refused unless granted)
_FS_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _syscall():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc.syscall


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is missing or disabled."""
    result = _syscall()(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(result), 0)


def restrict_to_reading(folders: Iterable[str | os.PathLike]) -> None:
    """From now on this process may only read files and list folders beneath ``folders``.

    Raises OSError when the kernel refuses (no Landlock, or a folder that cannot be opened).
    """
    syscall = _syscall()
    version = abi_version()
    if version < 1:
        raise OSError(0, "Landlock is not available in this kernel (Linux 5.13 or newer with Landlock enabled)")
    attr = _RulesetAttr(_FS_RIGHTS[min(version, max(_FS_RIGHTS))])
    ruleset = syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        raise _oserror("landlock_create_ruleset")
    try:
        for folder in folders:
            fd = os.open(Path(folder), os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(_READ_FILE | _READ_DIR, fd)
                if syscall(_ADD_RULE, ctypes.c_int(ruleset), _RULE_PATH_BENEATH, ctypes.byref(rule), 0) < 0:
                    raise _oserror(f"landlock_add_rule({folder})")
            finally:
                os.close(fd)
        if syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise _oserror("landlock_restrict_self")
    finally:
        os.close(ruleset)


def _oserror(call: str) -> OSError:
    number = ctypes.get_errno()
    return OSError(number, f"{call}: {os.strerror(number)}")
