"""The namespaces OAIK uses, as plain strings (no rdflib import on this path).

The typo-proof rdflib ``DefinedNamespace`` for OAIK's own terms is generated
into :mod:`oaik.terms` from the ontology.
"""

from __future__ import annotations

import re
from functools import lru_cache

OAIK = "https://w3id.org/oaik/ns#"
ID = "https://w3id.org/oaik/id/"
VOCAB = "https://w3id.org/oaik/vocab/"
SHAPES = "https://w3id.org/oaik/shapes#"

#: The controlled vocabularies (SKOS concept schemes): prefix -> scheme slug.
SCHEMES = {
    "stage": "stage",
    "domain": "domain",
    "onramp": "onramp",
    "challenge": "challenge",
    "motivation": "motivation",
    "governance": "governance",
    "orgtype": "orgtype",
    "orgcategory": "orgcategory",
    "sector": "sector",
    "role": "role",
    "computekind": "computekind",
    "artifacttype": "artifacttype",
    "metric": "metric",
    "qualifier": "qualifier",
    "claimstatus": "claimstatus",
    "permission": "permission",
    "country": "country",
    "region": "region",
    "language": "language",
    # openness indices (ontology/openness.ttl)
    "osaicriterion": "osaicriterion",
    "mofcomponent": "mofcomponent",
    "opennessgrade": "opennessgrade",
    "framework": "framework",
    "matchrule": "matchrule",
    "licensefamily": "licensefamily",
    "infrakind": "infrakind",
    "mechanism": "mechanism",
    "stakeholder": "stakeholder",
    "sampling": "sampling",
    "interviewmode": "interviewmode",
    "projectstatus": "projectstatus",
}

#: The kinds of instances: prefix -> path under ``ID``. (A Turtle local name
#: cannot hold "/", so each kind has a prefix of its own; ``organization:``
#: because ``org:`` is W3C ORG.)
KINDS = {
    "project": "project",
    "organization": "org",
    "person": "person",
    "interviewee": "interviewee",
    "model": "model",
    "dataset": "dataset",
    "software": "software",
    "benchmark": "benchmark",
    "leaderboard": "leaderboard",
    "publication": "publication",
    "app": "app",
    "artifact": "artifact",
    "infra": "infra",
    "collab": "collab",
    "claim": "claim",
    "evidence": "evidence",
    "platform": "platform",
    "source": "source",
    "license": "license",
    "assessment": "assessment",
    "membership": "membership",
    "recommendation": "recommendation",
    "study": "study",
}

#: Prefix -> namespace IRI, for Turtle, SPARQL and compact display.
PREFIXES: dict[str, str] = {
    "oaik": OAIK,
    **{prefix: f"{ID}{path}/" for prefix, path in KINDS.items()},
    **{prefix: f"{VOCAB}{slug}/" for prefix, slug in SCHEMES.items()},
    "sh": "http://www.w3.org/ns/shacl#",
    "oaiksh": SHAPES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "doap": "http://usefulinc.com/ns/doap#",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/licenses/",
    "wd": "http://www.wikidata.org/entity/",
}

#: Every namespace ends with ``/`` or ``#`` (a test checks it), so the namespaces an IRI starts with are its
#: prefixes up to one of those characters: looked up from the longest, a few dictionary lookups per IRI.
#: (Built in reverse, so that the first prefix of a namespace wins.)
_BY_NAMESPACE = {namespace: prefix for prefix, namespace in reversed(PREFIXES.items())}
_CUT = re.compile(r"[/#]")


def _namespace_of(iri: str) -> str | None:
    """The longest known namespace that ``iri`` starts with and is longer than, or None."""
    for cut in reversed([m.end() for m in _CUT.finditer(iri, 0, len(iri) - 1)]):
        if iri[:cut] in _BY_NAMESPACE:
            return iri[:cut]
    return None


@lru_cache(maxsize=1 << 16)
def prefix_of(iri: str) -> str | None:
    """The known prefix whose namespace ``iri`` starts with (the longest such), or None; remembered per IRI."""
    namespace = iri if iri in _BY_NAMESPACE else _namespace_of(iri)
    return None if namespace is None else _BY_NAMESPACE[namespace]


@lru_cache(maxsize=1 << 16)
def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI in <>; remembered per IRI (results repeat them)."""
    namespace = _namespace_of(iri)
    return f"<{iri}>" if namespace is None else f"{_BY_NAMESPACE[namespace]}:{iri[len(namespace) :]}"


def sparql_prefixes() -> str:
    """PREFIX lines for every known namespace."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
