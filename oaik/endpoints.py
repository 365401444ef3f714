"""URLs of endpoints and stores given on the command line: judged by real parsers, shown without credentials.

A URL is taken apart with :func:`urllib.parse.urlsplit` and checked as an IRI
by pyoxigraph (the check every IRI of the graph passes); only absolute
``http`` and ``https`` URLs with a host are accepted (``file:`` would read a
local file). A URL with user information (``user:password@``) is refused
before any other check, and no message ever shows it: :func:`shown` hides it
even in a URL too malformed to parse.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit

from oaik.errors import OaikError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: User information in a URL anywhere in a text: ``scheme://…@``, up to the host.
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/@]+@")


def shown(url: str) -> str:
    """``url`` as messages show it: everything between the scheme (or the start) and its last ``@`` is ``***``."""
    scheme = _SCHEME.match(url)
    start = scheme.end() if scheme else 0
    at = url.rfind("@", start)
    return url if at < 0 else f"{url[:start]}***{url[at:]}"


def check_http_url(url: str, option: str, fix: str, credentials: str) -> SplitResult:
    """The parts of ``url``, an absolute http(s) URL with a host; else an OaikError (exit 2) that names
    ``option``, says what is wrong, then ``fix`` (for credentials in the URL: ``credentials``)."""
    scheme = _SCHEME.match(url)
    if "@" in re.split(r"[/?#]", url[scheme.end() if scheme else 0 :], maxsplit=1)[0]:
        raise OaikError(f"{option} {shown(url)!r}: do not put credentials in the URL (user:password@). {credentials}")
    named = f"{option} {shown(url)!r}"
    if any(char.isspace() or ord(char) < 32 or 127 <= ord(char) < 160 for char in url):
        raise OaikError(f"{named} contains white space or control characters. {fix}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        detail = "" if "@" in url else f" ({error})"  # the parser's words may quote part of a password
        raise OaikError(f"{named} is not a valid URL{detail}. {fix}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OaikError(f"{named} is not an http(s) URL with a host. {fix}")
    import pyoxigraph as ox

    try:
        ox.NamedNode(url)
    except ValueError as error:
        raise OaikError(f"{named} is not a valid URL ({error}). {fix}") from None
    return parts
