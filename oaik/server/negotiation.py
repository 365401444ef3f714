"""Content negotiation: which serialisation a client gets for a query form and an ``Accept`` header."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str  # what the response's Content-Type says
    aliases: tuple[str, ...] = ()  # other media types a client may ask for
    charset: bool = False  # add "; charset=utf-8"

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


#: For SELECT and ASK, in order of preference (the first is the default).
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml",)),
    Format("csv", "text/csv", (), True),
    Format("tsv", "text/tab-separated-values", (), True),
    Format("html", "text/html", ("application/xhtml+xml",), True),
)
#: For CONSTRUCT and DESCRIBE.
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", ("application/x-turtle", "application/turtle"), True),
    Format("ntriples", "application/n-triples", (), True),
    Format("jsonld", "application/ld+json"),
    Format("rdfxml", "application/rdf+xml"),
    Format("html", "text/html", ("application/xhtml+xml",), True),
)


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; a malformed q counts as 0."""
    ranges = []
    for part in header.split(","):
        fields = part.split(";")
        media = fields[0].strip().lower()
        if not media:
            continue
        q = 1.0
        for field in fields[1:]:
            key, _, value = field.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(header: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer the client prefers (ties go to the server's order), or None when none is acceptable."""
    if not header or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _quality(offer: Format, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching the offer (exact > type/* > */*).

    An alias counts only when named exactly: a wildcard covers the type the
    response is sent as, so ``application/*`` never gets an HTML page for
    its alias ``application/xhtml+xml``.
    """
    major = offer.media_type.split("/")[0]
    best_specificity, q = -1, 0.0
    for media, value in ranges:
        if media == offer.media_type or media in offer.aliases:
            specificity = 2
        else:
            specificity = 1 if media == f"{major}/*" else 0 if media == "*/*" else -1
        if specificity > best_specificity:
            best_specificity, q = specificity, value
        elif specificity == best_specificity and specificity >= 0:
            q = max(q, value)
    return q


def offers_for(form: str) -> tuple[Format, ...]:
    return GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS


def format_named(name: str) -> Format:
    """The offer called ``name`` (as a worker's answer names it)."""
    return next(f for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.name == name)


def wants_html(accept: str | None) -> bool:
    return any(media in ("text/html", "application/xhtml+xml") and q > 0 for media, q in parse_accept(accept or ""))
