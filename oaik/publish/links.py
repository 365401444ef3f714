"""Links from OAIK entities into other catalogues: collection, coverage, SSSOM.

A link is a plain triple on an entity (``oaik:huggingFaceUrl``,
``oaik:githubUrl``, ``schema:url``, ``owl:sameAs``, ``skos:exactMatch``,
``dcterms:license``) whose value belongs to a target catalogue
(:data:`TARGETS`). Its verification is the entity's evidence whose verbatim
quote holds the link (Appendix B of the Cartography paper, or a line of a
vendored dataset, see ``data/links/``). Wikidata and ROR identifiers are
linked only when verified; none has been so far, and coverage says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oaik.namespaces import OAIK, PREFIXES, compact
from oaik.store.graph import select_rows

if TYPE_CHECKING:
    import pyoxigraph as ox

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
DCT_LICENSE = "http://purl.org/dc/terms/license"
SCHEMA_URL = "https://schema.org/url"
FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/homepage"

#: Kinds of entities whose links are counted: kind -> class (instances of subclasses count too).
KINDS: dict[str, str] = {
    "organisation": "http://www.w3.org/ns/org#Organization",
    "project": OAIK + "Project",
    "model": OAIK + "Model",
    "dataset": OAIK + "Dataset",
    "software": OAIK + "Software",
    "licence": "http://purl.org/dc/terms/LicenseDocument",
}


@dataclass(frozen=True)
class Target:
    key: str
    name: str
    homepage: str
    predicates: tuple[str, ...]
    namespace: str | None  # values must start with it (None: any value)
    kinds: tuple[str, ...]  # the kinds for which the target makes sense
    curie_prefix: str | None = None  # prefix of object CURIEs in SSSOM (None: not in SSSOM)
    sssom_predicate: str | None = None
    unverified_note: str | None = None  # said when nothing is linked

    def curie(self, value: str) -> str | None:
        if self.curie_prefix is None or self.namespace is None or not value.startswith(self.namespace):
            return None
        return f"{self.curie_prefix}:{value[len(self.namespace) :]}"


_NONE_VERIFIED = (
    "no {name} identifier has been verified: none occurs in the Cartography paper or in the vendored "
    "European Open Source AI Index and Model Openness Tool data, so none is linked (OAIK never guesses an identifier)."
)

TARGETS: tuple[Target, ...] = (
    Target(
        "wikidata",
        "Wikidata",
        "https://www.wikidata.org/",
        (OWL_SAME_AS, SKOS_EXACT),
        "http://www.wikidata.org/entity/",
        tuple(KINDS),
        "wikidata",
        OWL_SAME_AS,
        _NONE_VERIFIED.format(name="Wikidata"),
    ),
    Target(
        "ror",
        "ROR",
        "https://ror.org/",
        (OWL_SAME_AS, SKOS_EXACT),
        "https://ror.org/",
        ("organisation",),
        "ror",
        OWL_SAME_AS,
        _NONE_VERIFIED.format(name="ROR"),
    ),
    Target(
        "huggingface",
        "Hugging Face",
        "https://huggingface.co/",
        (OAIK + "huggingFaceUrl",),
        "https://huggingface.co/",
        ("organisation", "project", "model", "dataset"),
        "huggingface",
        SKOS_EXACT,
    ),
    Target(
        "github",
        "GitHub",
        "https://github.com/",
        (OAIK + "githubUrl",),
        "https://github.com/",
        ("organisation", "project", "model", "dataset", "software"),
        "github",
        SKOS_EXACT,
    ),
    Target(
        "spdx",
        "SPDX",
        "https://spdx.org/licenses/",
        (DCT_LICENSE, SKOS_EXACT, OWL_SAME_AS),
        "http://spdx.org/licenses/",
        ("model", "dataset", "software", "licence"),
        "spdx",
        SKOS_EXACT,
    ),
    Target(
        "website",
        "official website",
        "",
        (SCHEMA_URL, FOAF_HOMEPAGE),
        None,
        ("organisation", "project", "model", "dataset", "software"),
    ),
)
TARGET_KEYS = tuple(target.key for target in TARGETS)


@dataclass(frozen=True)
class Verification:
    evidence: str
    source: str | None
    section: str | None


@dataclass(frozen=True)
class Link:
    entity: str
    label: str | None
    kinds: tuple[str, ...]
    target: str
    predicate: str
    value: str
    identity: bool = False  # the entity's own IRI is in the target (an SPDX licence)
    verified_by: tuple[Verification, ...] = ()

    @property
    def in_sssom(self) -> bool:
        """A cross-reference (not a licence of an artifact, nor an SPDX licence's own IRI)."""
        return _TARGET[self.target].curie_prefix is not None and not self.identity and self.predicate != DCT_LICENSE


_TARGET = {target.key: target for target in TARGETS}


def entity_kinds(store: ox.Store) -> dict[str, tuple[str, ...]]:
    """IRI -> the kinds it is an instance of (through rdfs:subClassOf* in the ontology)."""
    values = " ".join(f"(<{iri}> {_literal(kind)})" for kind, iri in KINDS.items())
    rows = select_rows(
        store,
        f"""
        SELECT DISTINCT ?e ?kind WHERE {{
          VALUES (?class ?kind) {{ {values} }}
          ?e a/rdfs:subClassOf* ?class .
          FILTER(isIRI(?e))
        }}""",
    )
    kinds: dict[str, set[str]] = {}
    for row in rows:
        kinds.setdefault(row["e"], set()).add(row["kind"])  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns
    order = list(KINDS)
    return {iri: tuple(sorted(found, key=order.index)) for iri, found in kinds.items()}


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def collect_links(store: ox.Store) -> list[Link]:
    """Every link of every entity of a counted kind, with the evidence that verifies it."""
    kinds = entity_kinds(store)
    labels = {
        row["e"]: row["label"]
        for row in select_rows(store, "SELECT ?e (SAMPLE(?l) AS ?label) WHERE { ?e rdfs:label ?l } GROUP BY ?e")
    }
    predicates = sorted({p for target in TARGETS for p in target.predicates})
    triples = select_rows(
        store,
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {' '.join(f'<{p}>' for p in predicates)} }} ?s ?p ?o . FILTER(isIRI(?s)) }}",
    )
    evidence = _evidence_by_subject(store)
    links: list[Link] = []
    for row in triples:
        subject, predicate, value = row["s"], row["p"], row["o"]
        if subject not in kinds:
            continue
        for target in TARGETS:
            if predicate in target.predicates and (target.namespace is None or value.startswith(target.namespace)):  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
                verified = tuple(_verifications(evidence.get(subject, ()), value, target))  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns
                links.append(
                    Link(subject, labels.get(subject), kinds[subject], target.key, predicate, value, False, verified)  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns
                )
                break
    spdx = _TARGET["spdx"]
    for iri, found in kinds.items():
        if "licence" in found and iri.startswith(spdx.namespace or ""):
            links.append(Link(iri, labels.get(iri), found, "spdx", OWL_SAME_AS, iri, True))
    return sorted(links, key=lambda link: (TARGET_KEYS.index(link.target), link.entity, link.predicate, link.value))


def _evidence_by_subject(store: ox.Store) -> dict[str, list[dict[str, str | None]]]:
    rows = select_rows(
        store,
        """
        SELECT ?s ?e ?quote ?source ?section WHERE {
          ?s oaik:evidence ?e . ?e oaik:quote ?quote .
          OPTIONAL { ?e dcterms:source ?source } OPTIONAL { ?e oaik:section ?section }
        }""",
    )
    found: dict[str, list[dict[str, str | None]]] = {}
    for row in rows:
        found.setdefault(row["s"], []).append(row)  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns
    return found


def _verifications(evidence: Iterable[dict[str, str | None]], value: str, target: Target) -> Iterable[Verification]:
    needles = {value, value.rstrip("/")}
    if target.namespace and value.startswith(target.namespace) and target.key in ("wikidata", "ror"):
        needles.add(value[len(target.namespace) :])
    for row in sorted(evidence, key=lambda r: r["e"]):  # type: ignore[arg-type,return-value]  # pyoxigraph stubs / Optional SPARQL columns
        quote = row["quote"] or ""
        if any(needle and needle in quote for needle in needles):
            yield Verification(row["e"], row["source"], row["section"])  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


@dataclass
class KindCoverage:
    total: int
    linked: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)


@dataclass
class TargetCoverage:
    target: Target
    kinds: dict[str, KindCoverage]
    links: list[Link]

    @property
    def unverified(self) -> list[Link]:
        return [
            link for link in self.links if not link.verified_by and not link.identity and link.predicate != DCT_LICENSE
        ]

    @property
    def note(self) -> str | None:
        return self.target.unverified_note if not self.links else None

    def by_source(self) -> dict[str, int]:
        """How many links each source verifies (a link verified twice counts for each source)."""
        counts: dict[str, int] = {}
        for link in self.links:
            for source in sorted({v.source or "?" for v in link.verified_by}):
                counts[source] = counts.get(source, 0) + 1
        return dict(sorted(counts.items()))


def coverage(store: ox.Store, targets: Iterable[str] = TARGET_KEYS) -> list[TargetCoverage]:
    kinds = entity_kinds(store)
    links = collect_links(store)
    members: dict[str, list[str]] = {
        kind: sorted(iri for iri, found in kinds.items() if kind in found) for kind in KINDS
    }
    result: list[TargetCoverage] = []
    for key in targets:
        target = _TARGET[key]
        target_links = [link for link in links if link.target == key]
        linked_entities = {link.entity for link in target_links}
        per_kind = {}
        for kind in target.kinds:
            entities = members[kind]
            per_kind[kind] = KindCoverage(
                total=len(entities),
                linked=[iri for iri in entities if iri in linked_entities],
                unlinked=[iri for iri in entities if iri not in linked_entities],
            )
        result.append(TargetCoverage(target, per_kind, target_links))
    return result


def coverage_json(report: list[TargetCoverage]) -> dict:
    return {
        "targets": [
            {
                "target": item.target.key,
                "name": item.target.name,
                "links": len(item.links),
                "note": item.note,
                "verified_by_source": {
                    compact(source) if source.startswith("http") else source: n
                    for source, n in item.by_source().items()
                },
                "unverified": [_link_json(link) for link in item.unverified],
                "kinds": {
                    kind: {
                        "linked": len(cov.linked),
                        "total": cov.total,
                        "unlinked": [compact(iri) for iri in cov.unlinked],
                    }
                    for kind, cov in item.kinds.items()
                },
                "link_list": [_link_json(link) for link in item.links],
            }
            for item in report
        ]
    }


def _link_json(link: Link) -> dict:
    return {
        "entity": compact(link.entity),
        "label": link.label,
        "predicate": compact(link.predicate),
        "value": link.value,
        "verified_by": [
            {"evidence": compact(v.evidence), "source": compact(v.source) if v.source else None, "section": v.section}
            for v in link.verified_by
        ],
    }


# ---------------------------------------------------------------------------
# SSSOM
# ---------------------------------------------------------------------------

SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "see_also",
    "comment",
)

#: The prefixes of object CURIEs (each target's namespace).
SSSOM_OBJECT_PREFIXES = {
    target.curie_prefix: target.namespace for target in TARGETS if target.curie_prefix and target.namespace
}


def sssom_links(links: Iterable[Link]) -> list[Link]:
    return [link for link in links if link.in_sssom]


@dataclass(frozen=True)
class CrosswalkMapping:
    """A mapping between the criteria of two openness frameworks, with its one-line justification."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    justification: str


def crosswalk_mappings(store: ox.Store) -> list[CrosswalkMapping]:
    """The OSAI criteria <-> MOF components crosswalk (vocab/osaicriterion.ttl): each SKOS mapping with its owl:Axiom comment."""
    rows = select_rows(
        store,
        """
        SELECT ?s ?sl ?p ?o ?ol ?why WHERE {
          ?axiom a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
                 rdfs:comment ?why .
          VALUES ?p { skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch }
          ?s ?p ?o ; skos:inScheme <https://w3id.org/oaik/vocab/osaicriterion> ; skos:prefLabel ?sl .
          ?o skos:inScheme <https://w3id.org/oaik/vocab/mofcomponent> ; skos:prefLabel ?ol .
        } ORDER BY ?s ?p ?o""",
    )
    return [
        CrosswalkMapping(row["s"], row["sl"], row["p"], row["o"], row["ol"], row["why"])  # type: ignore[arg-type]
        for row in rows
    ]


def sssom_tsv(
    links: Iterable[Link],
    version: str | None = None,
    crosswalk: Iterable[CrosswalkMapping] = (),
    sources: Iterable[dict[str, str]] = (),
) -> str:
    """The cross-references (and the openness crosswalk) as an SSSOM TSV mapping set (YAML metadata in # lines, then the table).

    ``sources`` are the imported index snapshots (:func:`oaik.publish.catalog.imported_sources`): links they
    verify are their data, so the set is then CC BY 4.0 and cites them (their licences require attribution).
    """
    from oaik import __version__

    version = version or __version__
    rows = sssom_links(links)
    used = {"owl", "skos", "semapv", "oaik"}
    table: list[dict[str, str]] = []
    for link in rows:
        target = _TARGET[link.target]
        subject = compact(link.entity)
        used.add(subject.split(":", 1)[0])
        used.add(target.curie_prefix or "")
        evidence = " | ".join(
            f"{compact(v.source) if v.source else '?'} {v.section or ''}".strip() for v in link.verified_by
        )
        table.append(
            {
                "subject_id": subject,
                "subject_label": link.label or "",
                "predicate_id": compact(target.sssom_predicate or SKOS_EXACT),
                "object_id": target.curie(link.value) or link.value,
                "object_label": "",
                "mapping_justification": "semapv:ManualMappingCuration",
                "see_also": "|".join(v.evidence for v in link.verified_by),
                "comment": (
                    f"{compact(link.predicate)} {link.value}; verified by {evidence}"
                    if evidence
                    else f"{compact(link.predicate)} {link.value}; unverified"
                ),
            }
        )
    for mapping in crosswalk:
        subject, obj = compact(mapping.subject), compact(mapping.object)
        used.update({subject.split(":", 1)[0], obj.split(":", 1)[0]})
        table.append(
            {
                "subject_id": subject,
                "subject_label": mapping.subject_label,
                "predicate_id": compact(mapping.predicate),
                "object_id": obj,
                "object_label": mapping.object_label,
                "mapping_justification": "semapv:ManualMappingCuration",
                "see_also": "",
                "comment": mapping.justification,
            }
        )
    curie_map = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix in used}
    curie_map.update({prefix: ns for prefix, ns in SSSOM_OBJECT_PREFIXES.items() if prefix in used})
    curie_map["semapv"] = "https://w3id.org/semapv/vocab/"
    header = [
        "curie_map:",
        *[f"  {prefix}: {namespace}" for prefix, namespace in sorted(curie_map.items())],
        f"mapping_set_id: https://w3id.org/oaik/id/catalog/mappings/{version}.sssom.tsv",
        f'mapping_set_version: "{version}"',
        "mapping_set_title: OAIK cross-references to other catalogues",
        "mapping_set_description: "
        + json.dumps(  # a YAML double-quoted scalar: the citations hold ": "
            "Links from organisations, projects, models, datasets, software and licences of the OAIK knowledge graph "
            "to Wikidata, ROR, Hugging Face, GitHub and SPDX, each verified by an evidence record of the graph "
            "(Appendix B of the Cartography paper, the European Open Source AI Index or the Model Openness Tool); "
            "and the crosswalk between the European Open Source AI Index's criteria and the Model Openness Framework's "
            "components, each mapping with its justification in the comment."
            + "".join(f" Includes data from {source['citation']}" for source in sources),
            ensure_ascii=False,
        ),
        "license: "
        + (
            "https://creativecommons.org/licenses/by/4.0/"
            if sources
            else "https://creativecommons.org/publicdomain/zero/1.0/"
        ),
        *(["see_also:", *[f"  - {source['url']}" for source in sources]] if sources else []),
        "creator_label:",
        "  - OAIK contributors",
        "mapping_provider: https://w3id.org/oaik/",
        "subject_source: https://w3id.org/oaik/id/catalog/knowledge-graph",
    ]
    out = io.StringIO()
    for line in header:
        out.write(f"# {line}\n")
    writer = csv.DictWriter(out, fieldnames=SSSOM_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow(row)
    return out.getvalue()
