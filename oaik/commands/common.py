"""What the command modules share: argparse value types (ranges, paths), help text, and printing."""

from __future__ import annotations

import argparse
import math
import os
import stat
import sys

TYPE_CHECKING = False  # typing is not imported at run time: a warm query needs none of it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def echo(text: str = "", err: bool = False) -> None:
    """Write one line to standard output (standard error with ``err``) and flush it, as ``click.echo`` did."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


class Range:
    """An argparse ``type``: a number (int or float) within bounds; ``shown`` describes them for --help (x>=0.1)."""

    def __init__(self, kind: type[int] | type[float], minimum: float | None = None, maximum: float | None = None):
        self.kind, self.minimum, self.maximum = kind, minimum, maximum
        self.__name__ = kind.__name__  # argparse names the type in some messages
        if maximum is None:
            self.shown = f"x>={minimum}"
        elif minimum is None:
            self.shown = f"x<={maximum}"
        else:
            self.shown = f"{minimum}<=x<={maximum}"

    def __call__(self, text: str) -> int | float:
        noun = "a whole number" if self.kind is int else "a number"
        if self.maximum is None:
            wanted = f"{noun} of at least {self.minimum}"
        elif self.minimum is None:
            wanted = f"{noun} of at most {self.maximum}"
        else:
            wanted = f"{noun} from {self.minimum} to {self.maximum}"
        try:
            value = self.kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}: give {wanted}.") from None
        if (
            (isinstance(value, float) and math.isnan(value))
            or (self.minimum is not None and value < self.minimum)
            or (self.maximum is not None and value > self.maximum)
        ):
            raise argparse.ArgumentTypeError(f"{text} is not in the range {self.shown}: give {wanted}.")
        return value


def int_range(minimum: int | None = None, maximum: int | None = None) -> Range:
    return Range(int, minimum, maximum)


def float_range(minimum: float | None = None, maximum: float | None = None) -> Range:
    return Range(float, minimum, maximum)


def path(*, file_okay: bool = True, dir_okay: bool = True, kind: Callable[[str], Any] = str) -> Callable[[str], Any]:
    """An argparse ``type`` for a path that need not exist; if it does, it is of the kind asked for and readable
    (what ``click.Path`` checked)."""

    def check(text: str) -> Any:
        try:
            mode = os.stat(text).st_mode
        except (OSError, ValueError):
            return kind(text)
        if not file_okay and stat.S_ISREG(mode):
            raise argparse.ArgumentTypeError(f"{text!r} is a file: give a folder.")
        if not dir_okay and stat.S_ISDIR(mode):
            raise argparse.ArgumentTypeError(f"{text!r} is a folder: give a file.")
        if not os.access(text, os.R_OK):
            raise argparse.ArgumentTypeError(f"{text!r} is not readable: check its permissions or give another path.")
        return kind(text)

    check.__name__ = "folder" if not file_okay else "file" if not dir_okay else "path"
    return check


def describe(function: Callable[..., Any], width: int = 78) -> str:
    """A command's description for --help from its docstring: paragraphs filled to ``width``, except those
    marked with a ``\\b`` line, which keep their lines (as click showed them)."""
    import textwrap

    lines = (function.__doc__ or "").expandtabs().split("\n")
    indent = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
    text = "\n".join([lines[0].strip(), *(line[indent:].rstrip() for line in lines[1:])]).strip()
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            paragraphs.append(paragraph[2:])
        else:
            paragraphs.append(
                textwrap.fill(" ".join(paragraph.split()), width, break_long_words=False, break_on_hyphens=False)
            )
    return "\n\n".join(paragraphs)


def summary(function: Callable[..., Any]) -> str:
    """The first line of a command's docstring: its one-line help in a list of commands."""
    return (function.__doc__ or "").strip().split("\n", 1)[0]
