"""The static site and content negotiation on entity IRIs, as one pure function of (path, Accept).

``SiteRoutes(site_dir, builder, store)(path, accept)`` answers ``(status,
headers, body)`` or None when the path is not the site's (the server then tries
its other routes). On ``/id/…``, ``/vocab/…``, ``/ns`` and ``/ns/<Term>`` it
negotiates: Turtle, JSON-LD or N-Triples (and, for ``/ns``, RDF/XML, as
w3id.org/oaik/ns does for OWL tools) give the resource's concise bounded
description (the ``.ttl``/``.jsonld`` files the site holds next to each page,
or, given a store, computed from the graph); HTML (or no preference) gives its
page; anything else is 406. Every negotiated answer carries ``Vary: Accept``. Other paths are
files of the site folder (``/`` is its index), never outside it. While the site is being built, every
path of it answers 503 with ``Retry-After`` (``/`` and the endpoint's own pages are left to the endpoint).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from oaik.server.negotiation import Format, negotiate

Response = tuple[int, dict[str, str], bytes]
BASE = "https://w3id.org/oaik"
HTML = Format("html", "text/html", ("application/xhtml+xml",))
OFFERS = (
    HTML,
    Format("turtle", "text/turtle", ("application/x-turtle",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("ntriples", "application/n-triples", ("text/plain",)),
)
#: The ontology also in RDF/XML (the site's ns.rdf), as w3id.org/oaik/ns offers it.
ONTOLOGY_OFFERS = (*OFFERS, Format("rdfxml", "application/rdf+xml"))
#: The file of the site beside a resource's page that holds its description in a syntax (N-Triples: from the Turtle).
DESCRIPTION_FILES = {"turtle": ".ttl", "ntriples": ".ttl", "jsonld": ".jsonld", "rdfxml": ".rdf"}
#: Site pages load their own styles, scripts and images only; the query page may query any endpoint.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


#: Paths the endpoint itself answers after the site's routes (``oaik.server.app``): not the site's, even while it is built.
ENDPOINT_PAGES = ("/queries/",)
BUILDING = "the website is being built; try again in a few seconds."


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return status, {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}, (message + "\n").encode("utf-8")


class SiteRoutes:
    """Serve a built site (``site_dir``, may be None) and the graph's descriptions of its resources."""

    def __init__(self, site_dir: Path | None = None, builder=None, store=None):
        """``builder``: a process (``subprocess.Popen``) still writing ``site_dir``; pages wait for it.

        ``store``: the graph, to describe resources without a built site (optional).
        """
        from oaik.publish.site.graphview import GraphView

        self.view = GraphView(store) if store is not None else None
        self.site_dir = site_dir
        self.builder = builder
        self._root: Path | None = None

    @property
    def root(self) -> Path | None:
        """The site folder, resolved once the site is there (not before: a build may still be running)."""
        if self._root is None and self.site_dir is not None and (self.builder is None or self.builder.poll() == 0):
            self._root = self.site_dir.resolve()
        return self._root

    @property
    def building(self) -> bool:
        return self.builder is not None and self.builder.poll() is None

    def __call__(self, path: str, accept: str | None) -> Response | None:
        path = unquote(path)
        if "\x00" in path or any(part in ("..", ".") for part in path.split("/")):
            return _text(400, f"bad path {path!r}: '.' and '..' segments are not allowed.")
        if _is_resource(path):
            return self.negotiated(path, accept)
        found = self.file(path)
        if found is None and self.building and path != "/" and not path.startswith(ENDPOINT_PAGES):
            return _text(503, BUILDING, {"Retry-After": "5"})
        return found

    def negotiated(self, path: str, accept: str | None) -> Response:
        offers = ONTOLOGY_OFFERS if path == "/ns" else OFFERS
        chosen = negotiate(accept, offers)
        vary = {"Vary": "Accept"}
        if chosen is None:
            offered = ", ".join(offer.media_type for offer in offers)
            return _text(
                406,
                f"none of the types in Accept: {accept} is available for {path}; this resource is offered as {offered}.",
                vary,
            )
        iri = BASE + ("/ns#" + path[4:] if path.startswith("/ns/") else path)
        if chosen is HTML:
            answer = self.file(path + ".html")
            if answer is None and self.building:
                return _text(503, BUILDING, {"Retry-After": "5", **vary})
            if answer is None:
                return _text(
                    404, f"no page for {iri}: it is not in the graph, or the site was not built (`oaik site`).", vary
                )
            status, headers, body = answer
            return status, {**headers, **vary}, body
        described = self.description(path, iri, chosen.name)
        if described is None and self.building:
            return _text(503, BUILDING, {"Retry-After": "5", **vary})
        if described is None:
            return _text(404, f"{iri} is not described in the graph.", vary)
        media = chosen.media_type + ("; charset=utf-8" if chosen.name == "turtle" else "")
        return 200, {"Content-Type": media, **vary}, described

    def description(self, path: str, iri: str, syntax: str) -> bytes | None:
        """The resource's description in a syntax: from the graph when there is a store, else the site's file."""
        import pyoxigraph as ox

        from oaik.publish.site import rdf

        if self.view is not None:
            if iri == BASE + "/ns":  # the ontology: its header and every term of its namespace
                triples = [
                    q.triple
                    for q in self.view.store.quads_for_pattern(None, None, None)
                    if isinstance(q.subject, ox.NamedNode)
                    and (q.subject.value.startswith(iri + "#") or q.subject.value == iri)
                ]
            else:
                triples = self.view.description(iri)
            return rdf.WRITERS[syntax](rdf.canonical(triples)) if triples else None
        found = self.file(path + DESCRIPTION_FILES[syntax])
        if found is None:
            return None
        if syntax == "ntriples":
            return rdf.ntriples(rdf.canonical(ox.parse(found[2], format=ox.RdfFormat.TURTLE)))
        return found[2]

    def file(self, path: str) -> Response | None:
        """A file of the site folder (``/`` and folders: their index.html), or None."""
        root = self.root
        if root is None:
            return None
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return None
        media = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = {"Content-Type": media}
        if media.startswith("text/html"):
            headers["Content-Security-Policy"] = CSP
        return 200, headers, target.read_bytes()


def _is_resource(path: str) -> bool:
    """An IRI path of the graph (``/id/kind/slug``, ``/vocab/scheme[/concept]``, ``/ns``), not a file name."""
    if path == "/ns":
        return True
    parts = path.strip("/").split("/")
    shaped = (parts[0] == "id" and len(parts) == 3) or (parts[0] == "vocab" and len(parts) in (2, 3))
    shaped = shaped or (parts[0] == "ns" and len(parts) == 2)
    return shaped and all(parts) and Path(parts[-1]).suffix not in TYPES
