"""What an entity page shows, read from the graph: facts, evidence, collaborations, claims, lineage.

Every section is generic over kinds (a page shows the collaborations and claims
that point at its entity, whatever it is), with a few sections that only some
kinds have data for (Table 1 rows for projects, lineage for artifacts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pyoxigraph as ox

from oaik.namespaces import OAIK
from oaik.publish.site.graphview import LABEL, PREF_LABEL, RDF_TYPE, GraphView

EVIDENCE = OAIK + "evidence"
ABOUT = OAIK + "about"
CONFLICTS = OAIK + "conflictsWith"
PARTICIPATION = OAIK + "participation"
AGENT = "http://www.w3.org/ns/prov#agent"
ROLE = "http://www.w3.org/ns/prov#hadRole"
STAGE = OAIK + "stage"
ONRAMP = OAIK + "onRamp"
ORDER = OAIK + "order"
XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"
#: Shown in the page header, not among the facts.
HEADER = {
    RDF_TYPE,
    LABEL,
    PREF_LABEL,
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
    EVIDENCE,
}
DESCRIPTIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://purl.org/dc/terms/description",
)
#: At most this many referring resources are listed per property (the rest are counted).
MOST_REFERENCES = 100


@dataclass
class Group:
    """Values of one property: (property IRI, its label, the values)."""

    predicate: str
    label: str
    values: list = field(default_factory=list)


class Entities:
    """Graph-wide facts the entity pages share, computed once."""

    def __init__(self, view: GraphView):
        self.view = view

    def _instances(self, cls: str) -> frozenset[str]:
        rows = self.view.select(f"SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* <{cls}> FILTER(isIRI(?x)) }}")
        return frozenset(row["x"].value for row in rows)

    @cached_property
    def collaborations(self) -> frozenset[str]:
        return self._instances(OAIK + "Collaboration")

    @cached_property
    def claims(self) -> frozenset[str]:
        return self._instances(OAIK + "Claim")

    @cached_property
    def stage_order(self) -> dict[str, int]:
        rows = self.view.select("SELECT ?s ?o WHERE { ?s oaik:order ?o }")
        return {row["s"].value: int(row["o"].value) for row in rows}

    @cached_property
    def lineage_predicates(self) -> frozenset[str]:
        rows = self.view.select("SELECT ?p WHERE { ?p rdfs:subPropertyOf* prov:wasDerivedFrom }")
        return frozenset(row["p"].value for row in rows) | {"http://www.w3.org/ns/prov#wasDerivedFrom"}

    @cached_property
    def lineage_edges(self) -> list[tuple[str, str, str]]:
        """Every (derivative, predicate, source) of the graph, sorted."""
        edges = []
        for predicate in sorted(self.lineage_predicates):
            for quad in self.view.store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.DefaultGraph()):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                    edges.append((quad.subject.value, predicate, quad.object.value))
        return sorted(edges)

    @cached_property
    def _derived_from(self) -> dict[str, list[tuple[str, str]]]:
        index = defaultdict(list)
        for derivative, predicate, source in self.lineage_edges:
            index[derivative].append((predicate, source))
        return index

    @cached_property
    def _derivatives(self) -> dict[str, list[tuple[str, str]]]:
        index = defaultdict(list)
        for derivative, predicate, source in self.lineage_edges:
            index[source].append((predicate, derivative))
        return index

    # -- sections of one page --

    def description(self, iri: str) -> list[ox.Literal]:
        return [t for p in DESCRIPTIONS for t in self.view.objects(iri, p) if isinstance(t, ox.Literal)]

    def facts(self, iri: str) -> list[Group]:
        """Outgoing properties grouped by property, header properties left out."""
        groups: dict[str, Group] = {}
        for predicate, obj in self.view.outgoing(iri):
            if predicate.value in HEADER:
                continue
            iri = predicate.value
            group = groups.get(iri)
            if group is None:
                group = groups[iri] = Group(iri, self.view.label(predicate))
            group.values.append(obj)
        return list(groups.values())

    def evidence(self, iri: str) -> list[dict]:
        """The evidence records of a resource, each with its properties."""
        return [self.evidence_record(e.value) for e in self.view.objects(iri, EVIDENCE) if isinstance(e, ox.NamedNode)]

    def evidence_record(self, iri: str) -> dict:
        out: dict = {"iri": iri}
        for predicate, obj in self.view.outgoing(iri):
            out.setdefault(_local_name(predicate.value), []).append(obj)
        return out

    @lru_cache(maxsize=256)  # noqa: B019 - three sections of a page ask; the instance lives for one build
    def referers(self, iri: str) -> list[tuple[str, str]]:
        """(subject IRI, predicate) pointing at a resource; a blank node stands for the resource holding it (do not change the list)."""
        found: set[tuple[str, str]] = set()
        for subject, predicate in self.view.incoming(iri):
            if isinstance(subject, ox.NamedNode):
                found.add((subject.value, predicate.value))
            elif isinstance(subject, ox.BlankNode):
                for parent, via in self.view.incoming(subject):
                    if isinstance(parent, ox.NamedNode):
                        found.add((parent.value, via.value))
        return sorted(found)

    def collaboration_groups(self, iri: str) -> list[tuple[str | None, list[tuple[str | None, list[str]]]]]:
        """Collaborations pointing at a resource, grouped by lifecycle stage (in order) then on-ramp."""
        collaborations = sorted({s for s, _ in self.referers(iri) if s in self.collaborations and s != iri})
        by_stage: dict[str | None, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        for collaboration in collaborations:
            stage = self.view.first(collaboration, STAGE)
            onramp = self.view.first(collaboration, ONRAMP)
            by_stage[stage.value if stage else None][onramp.value if onramp else None].append(collaboration)

        def stage_key(stage):
            return (stage is None, self.stage_order.get(stage or "", 0), stage or "")

        def onramp_key(onramp):
            return (onramp is None, self.view.labels.get(onramp or "", ""), onramp or "")

        return [
            (stage, [(onramp, by_stage[stage][onramp]) for onramp in sorted(by_stage[stage], key=onramp_key)])
            for stage in sorted(by_stage, key=stage_key)
        ]

    def collaboration(self, iri: str) -> dict:
        """A collaboration card: its facts, participants with roles, evidence."""
        participants = []
        for node in self.view.objects(iri, PARTICIPATION):
            agents = self.view.objects(node, AGENT)
            roles = self.view.objects(node, ROLE)
            participants.append((agents, roles))
        participants.sort(key=lambda pair: [self.view.key(t) for t in pair[0] + pair[1]])
        facts = [g for g in self.facts(iri) if g.predicate != PARTICIPATION]
        return {"iri": iri, "facts": facts, "participants": participants, "evidence": self.evidence(iri)}

    def claims_of(self, iri: str) -> list[str]:
        """Claims about the resource or naming it (e.g. its motivation or governance model)."""
        return sorted({s for s, _ in self.referers(iri) if s in self.claims and s != iri})

    def claim(self, iri: str) -> dict:
        facts = [g for g in self.facts(iri) if g.predicate != CONFLICTS]
        conflicts = [t.value for t in self.view.objects(iri, CONFLICTS) if isinstance(t, ox.NamedNode)]
        return {
            "iri": iri,
            "types": self.view.types(iri),
            "facts": facts,
            "conflicts": conflicts,
            "evidence": self.evidence(iri),
        }

    def conflict_pairs(self, claims: list[str]) -> list[tuple[str, str]]:
        pairs: set[tuple[str, str]] = set()
        for claim in claims:
            for other in self.view.objects(claim, CONFLICTS):
                if isinstance(other, ox.NamedNode):
                    first, second = sorted((claim, other.value))
                    pairs.add((first, second))
        return sorted(pairs)

    def other_referers(self, iri: str, shown: set[str]) -> list[tuple[Group, int]]:
        """Resources pointing here that no other section shows, by property (capped, with the full count)."""
        groups: dict[str, Group] = {}
        for subject, predicate in self.referers(iri):
            if subject in shown or subject == iri:
                continue
            group = groups.get(predicate)
            if group is None:
                group = groups[predicate] = Group(predicate, self.view.label(ox.NamedNode(predicate)))
            group.values.append(ox.NamedNode(subject))
        out = []
        for group in groups.values():
            total = len(group.values)
            group.values = group.values[:MOST_REFERENCES]
            out.append((group, total))
        return out

    def lineage(self, iri: str) -> dict[str, list[tuple[str, str, int]]]:
        """Ancestors and descendants through prov:wasDerivedFrom and its sub-properties, with depth."""
        return {
            "from": self._walk(iri, self._derived_from),
            "to": self._walk(iri, self._derivatives),
        }

    @staticmethod
    def _walk(start: str, index: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, int]]:
        out, seen, frontier, depth = [], {start}, [start], 0
        while frontier:
            depth += 1
            following = []
            for node in frontier:
                for predicate, other in index.get(node, ()):
                    if other not in seen:
                        seen.add(other)
                        out.append((predicate, other, depth))
                        following.append(other)
            frontier = sorted(following)
        return out

    def external_links(self, iri: str) -> list[tuple[str, str]]:
        """(property label, URL) of the links to the web and to other catalogues."""
        links = []
        for predicate, obj in self.view.outgoing(iri):
            if predicate.value == RDF_TYPE:
                continue
            value = obj.value
            external = isinstance(obj, ox.NamedNode) and not value.startswith("https://w3id.org/oaik/")
            anyuri = isinstance(obj, ox.Literal) and obj.datatype.value == XSD_ANYURI
            if (external or anyuri) and value.startswith(("http://", "https://")):
                links.append((self.view.label(predicate), value))
        return links


@lru_cache(maxsize=1024)
def _local_name(iri: str) -> str:
    """The last segment of a property IRI (after '#' or '/'): the key of its values in an evidence record."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
