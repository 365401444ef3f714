"""Where each IRI's page lives in the site, and relative links between pages.

Paths mirror the IRIs so that w3id redirect rules can point at them:
``https://w3id.org/oaik/id/project/x`` -> ``id/project/x.html``,
``https://w3id.org/oaik/vocab/onramp`` -> ``vocab/onramp.html``,
``https://w3id.org/oaik/vocab/onramp/c`` -> ``vocab/onramp/c.html``,
``https://w3id.org/oaik/ns`` -> ``ns.html`` and ``https://w3id.org/oaik/ns#T``
-> ``ns/T.html``. IRIs whose segments are not plain slugs get no page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from oaik.namespaces import ID, OAIK, VOCAB

ONTOLOGY = OAIK.rstrip("#")
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _safe(*segments: str) -> bool:
    return all(_SEGMENT.match(segment) for segment in segments)


def page_stem(iri: str) -> str | None:
    """The site path of an IRI's page without ``.html`` (None: the IRI has no page)."""
    if iri == ONTOLOGY:
        return "ns"
    if iri.startswith(OAIK):
        local = iri[len(OAIK) :]
        return f"ns/{local}" if _safe(local) else None
    for base, root in ((ID, "id"), (VOCAB, "vocab")):
        if iri.startswith(base):
            segments = iri[len(base) :].split("/")
            if root == "id" and len(segments) != 2:
                return None
            if root == "vocab" and len(segments) not in (1, 2):
                return None
            return f"{root}/{'/'.join(segments)}" if _safe(*segments) else None
    return None


@lru_cache(maxsize=1 << 16)
def page_path(iri: str) -> str | None:
    stem = page_stem(iri)
    return None if stem is None else f"{stem}.html"


def relative(from_page: str, to_path: str) -> str:
    """A link from one site file to another, relative (the site works under any base path).

    Paths are root-relative and normalised, so a link is the target itself in the
    same folder, else as many ``../`` as the page is deep, then the target.
    """
    folder, _, _ = from_page.rpartition("/")
    if folder and to_path.startswith(folder + "/") and "/" not in to_path[len(folder) + 1 :]:
        return to_path[len(folder) + 1 :]
    if not folder and "/" not in to_path:
        return to_path
    return "../" * from_page.count("/") + to_path
