"""Content negotiation picks a type the client accepts: a wildcard such as ``application/*`` matches only the
media type the response would carry, never an alias of it (``application/xhtml+xml`` for an HTML page)."""

from __future__ import annotations

import pytest

from oaik.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, negotiate, parse_accept
from oaik.server.site_routes import OFFERS

HEADERS = [
    "application/*",
    "text/*",
    "application/*, text/html;q=0.5",
    "text/*;q=0.2, application/*;q=0.9",
    "application/xhtml+xml",
    "text/html;q=0, */*;q=0.1",
    "*/*",
    "image/*",
]


def accepts(header: str, chosen: Format) -> bool:
    """Whether the client named the chosen type, an alias of it exactly, or a range covering the type it is sent as."""
    major = chosen.media_type.split("/")[0]
    for media, q in parse_accept(header):
        if q > 0 and media in (chosen.media_type, *chosen.aliases, f"{major}/*", "*/*"):
            return True
    return False


@pytest.mark.parametrize("offers", [OFFERS, RESULT_FORMATS, GRAPH_FORMATS], ids=["site", "results", "graphs"])
@pytest.mark.parametrize("header", HEADERS)
def test_the_chosen_type_is_one_the_client_accepts(offers, header):
    chosen = negotiate(header, offers)
    assert chosen is None or accepts(header, chosen), f"{header!r} got {chosen.media_type}"


def test_application_wildcard_gets_a_data_type_not_html():
    assert negotiate("application/*", OFFERS).media_type != "text/html"
    assert negotiate("application/xhtml+xml", OFFERS).media_type == "text/html"  # named exactly: the page
    assert negotiate("image/*", OFFERS) is None
