"""Text from untrusted input made safe for a terminal: control characters shown as visible escapes.

A value of a contribution, a parser's message quoting it, or the path of an
HTTP request can hold control characters (``ESC ] 0;title BEL`` sets the
terminal's title, ``ESC [ 2J`` clears it, a carriage return overwrites the
line). Every C0 and C1 control character and DEL is written as its Python
escape (``\\x1b``, ``\\t``, ``\\n``); line breaks are kept only where asked.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with its control characters escaped; with ``newlines``, ``\\n`` is kept as a line break."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
