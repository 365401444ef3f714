"""Errors the command line reports as one clear paragraph with an exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # data does not conform, or a check found a problem
EXIT_USAGE = 2  # usage error or unreadable input


class OaikError(Exception):
    """An error meant for the user: a message that says what and how to fix it."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code
