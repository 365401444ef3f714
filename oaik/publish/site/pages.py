"""The context of each kind of page (entity, concept scheme, browse list), from the graph."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from oaik.namespaces import ID, OAIK
from oaik.publish.site.entities import Entities
from oaik.publish.site.graphview import GraphView

PROJECT = OAIK + "Project"
COMPUTE = OAIK + "ComputePartnership"
#: At most this many claim cards on one page (a concept such as a grade may be named by thousands).
MOST_CARDS = 50
ARTIFACT_PROPERTIES = ("baseModel", "derivativeModel", "openSourceSoftware", "notableDataset", "otherArtifact")
#: schema.org type of each kind of instance (for search engines); others are schema:Thing.
SCHEMA_TYPES = {
    "project": "ResearchProject",
    "org": "Organization",
    "person": "Person",
    "interviewee": "Person",
    "model": "SoftwareSourceCode",
    "software": "SoftwareSourceCode",
    "dataset": "Dataset",
    "benchmark": "Dataset",
    "publication": "ScholarlyArticle",
    "app": "SoftwareApplication",
    "platform": "WebSite",
    "source": "CreativeWork",
    "license": "CreativeWork",
    "evidence": "Quotation",
    "claim": "Claim",
}


def kind_of(iri: str) -> str:
    """The kind segment of an instance IRI (``project`` for ``.../id/project/x``)."""
    return iri[len(ID) :].split("/", 1)[0] if iri.startswith(ID) else ""


class PageData:
    """Builds template contexts; shares graph-wide lookups between pages."""

    def __init__(self, view: GraphView, table1: dict[str, list[tuple[str, str]]], governance: dict[str, list[str]]):
        self.view = view
        self.entities = Entities(view)
        self.table1 = table1
        self.governance = governance

    def entity(self, iri: str) -> dict:
        e, view = self.entities, self.view
        types = view.types(iri)
        referring_collabs = e.collaboration_groups(iri)
        compute: list[dict] = []
        collaborations: list = []
        for stage, onramps in referring_collabs:
            groups = []
            for onramp, members in onramps:
                cards = [e.collaboration(c) for c in members]
                groups.append((ox.NamedNode(onramp) if onramp else None, cards))
                compute.extend(card for card in cards if COMPUTE in view.types(card["iri"]))
            collaborations.append((ox.NamedNode(stage) if stage else None, groups))
        openness = self.openness(iri) if kind_of(iri) in ("model", "project") else []
        graded = {row["claim"].value for row in openness}
        all_claims = [c for c in e.claims_of(iri) if c not in graded]
        claim_iris = all_claims[:MOST_CARDS]
        by_type: dict[str, list[dict]] = defaultdict(list)
        for claim in claim_iris:
            card = e.claim(claim)
            by_type[(card["types"] or [OAIK + "Claim"])[0]].append(card)
        conflicts = [(e.claim(a), e.claim(b)) for a, b in e.conflict_pairs(claim_iris)]
        shown = (
            {c for _, groups in referring_collabs for _, members in groups for c in members} | set(claim_iris) | graded
        )
        lineage = e.lineage(iri)
        artifacts = []
        if PROJECT in types:
            for prop in ARTIFACT_PROPERTIES:
                for artifact in view.objects(iri, OAIK + prop):
                    if isinstance(artifact, ox.NamedNode):
                        edges = e.lineage(artifact.value)["from"]
                        artifacts.append(
                            (artifact, [(ox.NamedNode(p), ox.NamedNode(o), d) for p, o, d in edges if d == 1])
                        )
        return {
            "iri": iri,
            "types": [ox.NamedNode(t) for t in types],
            "description": e.description(iri),
            "facts": e.facts(iri),
            "external": e.external_links(iri),
            "evidence": e.evidence(iri),
            "table1": self.table1.get(iri, []),
            "collaborations": collaborations,
            "compute": compute if PROJECT in types else [],
            "claims": [(ox.NamedNode(t), by_type[t]) for t in sorted(by_type)],
            "claims_total": len(all_claims),
            "claims_shown": len(claim_iris),
            "conflicts": conflicts,
            "artifacts": artifacts,
            "lineage": {
                "from": [(ox.NamedNode(p), ox.NamedNode(o), d) for p, o, d in lineage["from"]],
                "to": [(ox.NamedNode(p), ox.NamedNode(o), d) for p, o, d in lineage["to"]],
            },
            "referers": e.other_referers(iri, shown),
            "openness": openness,
        }

    def openness(self, iri: str) -> list[dict]:
        """Grade claims of openness indices on a model (or its parts), or on a project's models."""
        # The IRI comes from the graph (no spaces or '>'), so it is written into the query: a bound
        # object lets the engine walk dcterms:isPartOf* from the model instead of over every pair.
        models = (
            f"VALUES ?model {{ <{iri}> }}"
            if kind_of(iri) == "model"
            else f"<{iri}> oaik:baseModel|oaik:derivativeModel ?model ."
        )
        rows = self.view.select(
            f"""SELECT ?assessed ?claim ?framework ?criterion ?grade ?url WHERE {{
                 {models}
                 ?assessed dcterms:isPartOf* ?model .
                 ?claim a oaik:GradeClaim ; oaik:about ?assessed ; oaik:framework ?framework ;
                        oaik:criterion ?criterion ; oaik:grade ?grade .
                 OPTIONAL {{ ?claim oaik:evidenceUrl ?url }} }}"""
        )
        label = self.view.label
        return sorted(
            (dict(row) for row in rows),
            key=lambda r: (label(r["assessed"]), label(r["framework"]), label(r["criterion"]), r["claim"].value),
        )

    def schema_org(self, iri: str, kind: str, concept: bool = False) -> dict:
        """schema.org JSON-LD for search engines: type, name, description, same-as links."""
        view, e = self.view, self.entities
        document = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm" if concept else SCHEMA_TYPES.get(kind, "Thing"),
            "@id": iri,
            "name": view.label(ox.NamedNode(iri)),
            "isPartOf": {"@type": "Dataset", "name": "OAIK knowledge graph", "@id": "https://w3id.org/oaik/graph"},
        }
        description = e.description(iri)
        if description:
            document["description"] = description[0].value
        links = sorted({url for _, url in e.external_links(iri)})
        if links:
            document["sameAs"] = links
        return document
