#!/usr/bin/env python3
"""Generate ontology/context.jsonld, OAIK's JSON-LD 1.1 context, from the ontology.

    python scripts/build_context.py           # rewrite ontology/context.jsonld
    python scripts/build_context.py --check   # exit 1 if the committed file differs

The context is generated so that it always covers every OAIK term; the
choices it encodes are written down here, once:

* every ``oaik:`` class and property is a term named by its local name
  (``Project``, ``coordinatedBy``); reused terms (RDFS, OWL, SKOS, Dublin Core,
  PROV, ORG, FOAF, DCAT, VoID, schema.org, SHACL ...) get their local name
  too, unless an earlier term already has it, in which case their key is the
  compact IRI itself (``rdfs:domain`` because ``domain`` is ``oaik:domain``;
  ``dcat:Dataset`` because ``Dataset`` is ``oaik:Dataset``);
* object properties are coerced to ``@id``; properties whose values are
  concepts of one OAIK scheme are coerced to ``@vocab`` with a property-scoped
  ``@vocab`` of that scheme, so ``"stage": "pre-training"``;
* typed literals are coerced to their datatype (``xsd:anyURI``,
  ``xsd:integer`` ...); labels, definitions and notes to ``@en``;
* ``id`` and ``type`` alias ``@id`` and ``@type``;
* the context is ``@protected``; its IRI carries its version.

Instance IRIs are not given prefixes here: a document states
``{"@base": "https://w3id.org/oaik/id/"}`` beside the context (a remote
context's ``@base`` is ignored by JSON-LD processors), so instances read
``org/eleutherai``, ``project/eleutherai``.

A term, once published in a version of the context, keeps its definition:
when this script changes an existing definition, bump CONTEXT_VERSION.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from oaik.namespaces import KINDS, OAIK, SCHEMES, VOCAB
from oaik.namespaces import PREFIXES as KNOWN_PREFIXES

REPO = Path(__file__).resolve().parent.parent
ONTOLOGY = REPO / "ontology" / "oaik.ttl"
#: Modules of the ontology kept in files of their own (same oaik: namespace).
MODULES = [REPO / "ontology" / "openness.ttl"]
TARGET = REPO / "ontology" / "context.jsonld"

CONTEXT_VERSION = "0.1.0"
CONTEXT_IRI = f"https://w3id.org/oaik/context/{CONTEXT_VERSION}.jsonld"

XSD = KNOWN_PREFIXES["xsd"]

#: Prefixes the context declares: oaik's known namespaces except the per-kind
#: instance prefixes (their names are also property names, e.g. ``project`` and
#: ``evidence``) and the per-scheme ones (vocabulary values read as plain words),
#: plus the vocabulary root and two namespaces the DCAT-AP record uses.
PREFIXES = {
    **{prefix: iri for prefix, iri in KNOWN_PREFIXES.items() if prefix not in KINDS and prefix not in SCHEMES},
    "vocab": VOCAB,
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
}

#: OAIK properties whose values are concepts of one OAIK scheme.
SCHEME_OF = {
    "organizationType": "orgtype",
    "sector": "sector",
    "country": "country",
    "region": "region",
    "targetLanguage": "language",
    "otherArtifactKind": "artifacttype",
    "onRamp": "onramp",
    "stage": "stage",
    "domain": "domain",
    "precedes": "stage",
    "computeKind": "computekind",
    "governanceModel": "governance",
    "motivation": "motivation",
    "challenge": "challenge",
    "metric": "metric",
    "qualifier": "qualifier",
    "claimStatus": "claimstatus",
    "commercialUse": "permission",
    "academicUse": "permission",
    "personalUse": "permission",
    "grade": "opennessgrade",
    "framework": "framework",
    "matchRule": "matchrule",
    "licenseFamily": "licensefamily",
    "infrastructureKind": "infrakind",
    "mechanism": "mechanism",
    "addressesStakeholder": "stakeholder",
    "addressesChallenge": "challenge",
    "addressesOnRamp": "onramp",
    "samplingPath": "sampling",
    "interviewMode": "interviewmode",
    "projectStatus": "projectstatus",
}

#: OAIK object properties whose values are ontology terms (compacted to terms).
VOCAB_VALUED = {"claimProperty"}

# Kinds of reused terms: "class"; "id" (IRI value); "vocab" (IRI value that is
# an ontology term); "en" (English text); "plain" (no coercion); "list" (an
# rdf:List of IRIs); "literal-list" (an rdf:List of anything); an xsd local name (a typed literal); "scheme:<slug>"
# (a concept of an OAIK scheme).
REUSED: list[tuple[str, str]] = [
    # RDF, RDFS, OWL
    ("rdf:first", "plain"),
    ("rdf:rest", "id"),
    ("rdf:value", "plain"),
    ("rdfs:label", "en"),
    ("rdfs:comment", "en"),
    ("rdfs:domain", "vocab"),
    ("rdfs:range", "vocab"),
    ("rdfs:subClassOf", "vocab"),
    ("rdfs:subPropertyOf", "vocab"),
    ("rdfs:isDefinedBy", "id"),
    ("rdfs:seeAlso", "id"),
    ("rdfs:member", "id"),
    ("owl:Ontology", "class"),
    ("owl:Class", "class"),
    ("owl:ObjectProperty", "class"),
    ("owl:DatatypeProperty", "class"),
    ("owl:AnnotationProperty", "class"),
    ("owl:FunctionalProperty", "class"),
    ("owl:InverseFunctionalProperty", "class"),
    ("owl:SymmetricProperty", "class"),
    ("owl:TransitiveProperty", "class"),
    ("owl:AllDisjointClasses", "class"),
    ("owl:NamedIndividual", "class"),
    ("owl:Restriction", "class"),
    ("owl:versionIRI", "id"),
    ("owl:versionInfo", "plain"),
    ("owl:priorVersion", "id"),
    ("owl:imports", "id"),
    ("owl:disjointWith", "vocab"),
    ("owl:members", "list"),
    ("owl:inverseOf", "vocab"),
    ("owl:equivalentClass", "vocab"),
    ("owl:equivalentProperty", "vocab"),
    ("owl:sameAs", "id"),
    ("owl:Axiom", "class"),
    ("owl:annotatedSource", "id"),
    ("owl:annotatedProperty", "vocab"),
    ("owl:annotatedTarget", "id"),
    ("owl:deprecated", "boolean"),
    ("rdfs:Class", "class"),
    ("rdfs:Resource", "class"),
    ("rdfs:Literal", "class"),
    # SKOS
    ("skos:Concept", "class"),
    ("skos:ConceptScheme", "class"),
    ("skos:Collection", "class"),
    ("skos:prefLabel", "en"),
    ("skos:altLabel", "en"),
    ("skos:hiddenLabel", "en"),
    ("skos:definition", "en"),
    ("skos:scopeNote", "en"),
    ("skos:example", "en"),
    ("skos:note", "en"),
    ("skos:editorialNote", "en"),
    ("skos:historyNote", "en"),
    ("skos:changeNote", "en"),
    ("skos:notation", "plain"),
    ("skos:inScheme", "id"),
    ("skos:topConceptOf", "id"),
    ("skos:hasTopConcept", "id"),
    ("skos:broader", "id"),
    ("skos:narrower", "id"),
    ("skos:related", "id"),
    ("skos:exactMatch", "id"),
    ("skos:closeMatch", "id"),
    ("skos:broadMatch", "id"),
    ("skos:narrowMatch", "id"),
    ("skos:relatedMatch", "id"),
    ("skos:member", "id"),
    # W3C ORG first, then FOAF's Person (what the data uses), PROV, the rest of FOAF
    ("org:Organization", "class"),
    ("org:OrganizationalCollaboration", "class"),
    ("org:FormalOrganization", "class"),
    ("org:OrganizationalUnit", "class"),
    ("org:memberOf", "id"),
    ("org:hasMember", "id"),
    ("org:subOrganizationOf", "id"),
    ("org:hasSubOrganization", "id"),
    ("org:unitOf", "id"),
    ("org:hasUnit", "id"),
    ("org:classification", "id"),
    ("org:identifier", "plain"),
    ("org:Membership", "class"),
    ("org:member", "id"),
    ("org:organization", "id"),
    ("org:role", "scheme:role"),
    ("org:linkedTo", "id"),
    ("foaf:Person", "class"),
    # PROV-O
    ("prov:Entity", "class"),
    ("prov:Activity", "class"),
    ("prov:Agent", "class"),
    ("prov:Person", "class"),
    ("prov:Organization", "class"),
    ("prov:SoftwareAgent", "class"),
    ("prov:Association", "class"),
    ("prov:Attribution", "class"),
    ("prov:Role", "class"),
    ("prov:agent", "id"),
    ("prov:hadRole", "scheme:role"),
    ("prov:wasDerivedFrom", "id"),
    ("prov:wasAssociatedWith", "id"),
    ("prov:wasAttributedTo", "id"),
    ("prov:wasGeneratedBy", "id"),
    ("prov:used", "id"),
    ("prov:qualifiedAssociation", "id"),
    ("prov:qualifiedAttribution", "id"),
    ("prov:hadPrimarySource", "id"),
    ("prov:wasRevisionOf", "id"),
    ("prov:generatedAtTime", "dateTime"),
    ("prov:startedAtTime", "dateTime"),
    ("prov:endedAtTime", "dateTime"),
    # FOAF
    ("foaf:Agent", "class"),
    ("foaf:Organization", "class"),
    ("foaf:Project", "class"),
    ("foaf:Document", "class"),
    ("foaf:name", "plain"),
    ("foaf:homepage", "id"),
    ("foaf:page", "id"),
    ("foaf:mbox", "id"),
    ("foaf:primaryTopic", "id"),
    ("foaf:isPrimaryTopicOf", "id"),
    # Dublin Core terms
    ("dcterms:title", "en"),
    ("dcterms:description", "en"),
    ("dcterms:creator", "plain"),
    ("dcterms:contributor", "plain"),
    ("dcterms:created", "date"),
    ("dcterms:modified", "date"),
    ("dcterms:issued", "plain"),
    ("dcterms:license", "id"),
    ("dcterms:rights", "id"),
    ("dcterms:accessRights", "id"),
    ("dcterms:bibliographicCitation", "plain"),
    ("dcterms:identifier", "plain"),
    ("dcterms:source", "id"),
    ("dcterms:isPartOf", "id"),
    ("dcterms:hasPart", "id"),
    ("dcterms:language", "id"),
    ("dcterms:publisher", "id"),
    ("dcterms:conformsTo", "id"),
    ("dcterms:temporal", "id"),
    ("dcterms:spatial", "id"),
    ("dcterms:format", "id"),
    ("dcterms:type", "id"),
    ("dcterms:subject", "id"),
    ("dcterms:relation", "id"),
    ("dcterms:references", "id"),
    ("dcterms:isReferencedBy", "id"),
    ("dcterms:accrualPeriodicity", "id"),
    ("dcterms:provenance", "id"),
    ("dcterms:LicenseDocument", "class"),
    ("dcterms:BibliographicResource", "class"),
    ("dcterms:PeriodOfTime", "class"),
    ("dcterms:Location", "class"),
    ("dcterms:MediaType", "class"),
    ("dcterms:MediaTypeOrExtent", "class"),
    ("dcterms:RightsStatement", "class"),
    ("dcterms:Standard", "class"),
    ("dcterms:LinguisticSystem", "class"),
    ("dcterms:Frequency", "class"),
    ("dcterms:ProvenanceStatement", "class"),
    ("dcterms:Agent", "class"),
    # DCAT 3 and VoID (the catalogue record, `oaik export --format dcat|void`)
    ("dcat:Catalog", "class"),
    ("dcat:Dataset", "class"),
    ("dcat:Distribution", "class"),
    ("dcat:DataService", "class"),
    ("dcat:Resource", "class"),
    ("dcat:CatalogRecord", "class"),
    ("dcat:dataset", "id"),
    ("dcat:distribution", "id"),
    ("dcat:service", "id"),
    ("dcat:servesDataset", "id"),
    ("dcat:accessService", "id"),
    ("dcat:accessURL", "id"),
    ("dcat:downloadURL", "id"),
    ("dcat:endpointURL", "id"),
    ("dcat:endpointDescription", "id"),
    ("dcat:mediaType", "id"),
    ("dcat:keyword", "en"),
    ("dcat:theme", "id"),
    ("dcat:themeTaxonomy", "id"),
    ("dcat:landingPage", "id"),
    ("dcat:contactPoint", "id"),
    ("dcat:version", "plain"),
    ("dcat:startDate", "plain"),
    ("dcat:endDate", "plain"),
    ("dcat:byteSize", "nonNegativeInteger"),
    ("dcat:record", "id"),
    ("dcat:catalog", "id"),
    ("dcat:hasVersion", "id"),
    ("dcat:isVersionOf", "id"),
    ("adms:versionNotes", "en"),
    ("vcard:Kind", "class"),
    ("vcard:Organization", "class"),
    ("vcard:fn", "plain"),
    ("vcard:hasEmail", "id"),
    ("vcard:hasURL", "id"),
    ("void:Dataset", "class"),
    ("void:Linkset", "class"),
    ("void:DatasetDescription", "class"),
    ("void:triples", "integer"),
    ("void:entities", "integer"),
    ("void:classes", "integer"),
    ("void:properties", "integer"),
    ("void:distinctSubjects", "integer"),
    ("void:distinctObjects", "integer"),
    ("void:documents", "integer"),
    ("void:classPartition", "id"),
    ("void:propertyPartition", "id"),
    ("void:subset", "id"),
    ("void:class", "vocab"),
    ("void:property", "vocab"),
    ("void:vocabulary", "id"),
    ("void:subjectsTarget", "id"),
    ("void:objectsTarget", "id"),
    ("void:target", "id"),
    ("void:linkPredicate", "vocab"),
    ("void:sparqlEndpoint", "id"),
    ("void:dataDump", "id"),
    ("void:uriSpace", "plain"),
    ("void:uriRegexPattern", "plain"),
    ("void:rootResource", "id"),
    ("void:exampleResource", "id"),
    ("void:feature", "id"),
    ("void:uriLookupEndpoint", "id"),
    # DOAP, schema.org, VANN
    ("doap:Project", "class"),
    ("doap:repository", "id"),
    ("doap:homepage", "id"),
    ("schema:SoftwareSourceCode", "class"),
    ("schema:CreativeWork", "class"),
    ("schema:Organization", "class"),
    ("schema:Dataset", "class"),
    ("schema:url", "anyURI"),
    ("schema:startDate", "plain"),
    ("schema:endDate", "plain"),
    ("schema:codeRepository", "id"),
    ("schema:name", "plain"),
    ("schema:identifier", "plain"),
    ("schema:sameAs", "id"),
    ("vann:preferredNamespacePrefix", "plain"),
    ("vann:preferredNamespaceUri", "plain"),
    # SHACL (the shapes, `oaik export --only shapes`): keys are always sh:...
    *[
        (f"sh:{name}", "class")
        for name in (
            "NodeShape",
            "PropertyShape",
            "Shape",
            "SPARQLConstraint",
            "SPARQLTarget",
            "PrefixDeclaration",
            "ValidationReport",
            "ValidationResult",
            "Violation",
            "Warning",
            "Info",
            "IRI",
            "Literal",
            "BlankNode",
            "BlankNodeOrIRI",
            "BlankNodeOrLiteral",
            "IRIOrLiteral",
        )
    ],
    *[
        (f"sh:{name}", "vocab")
        for name in (
            "targetClass",
            "targetSubjectsOf",
            "targetObjectsOf",
            "class",
            "datatype",
            "nodeKind",
            "severity",
            "disjoint",
            "equals",
            "lessThan",
            "lessThanOrEquals",
        )
    ],
    *[
        (f"sh:{name}", "id")
        for name in (
            "targetNode",
            "property",
            "node",
            "sparql",
            "prefixes",
            "declare",
            "qualifiedValueShape",
            "not",
            "hasValue",
            "group",
            "target",
            "shapesGraph",
            "suggestedShapesGraph",
            "inversePath",
            "zeroOrMorePath",
            "oneOrMorePath",
            "zeroOrOnePath",
            "result",
            "focusNode",
            "resultPath",
            "resultSeverity",
            "sourceShape",
            "sourceConstraintComponent",
        )
    ],
    *[(f"sh:{name}", "list") for name in ("or", "and", "xone", "ignoredProperties", "alternativePath")],
    *[(f"sh:{name}", "literal-list") for name in ("in", "languageIn")],
    *[
        (f"sh:{name}", "plain")
        for name in (
            "path",
            "minCount",
            "maxCount",
            "minLength",
            "maxLength",
            "minInclusive",
            "maxInclusive",
            "minExclusive",
            "maxExclusive",
            "pattern",
            "flags",
            "uniqueLang",
            "closed",
            "message",
            "name",
            "description",
            "order",
            "select",
            "ask",
            "prefix",
            "defaultValue",
            "qualifiedMinCount",
            "qualifiedMaxCount",
            "qualifiedValueShapesDisjoint",
            "deactivated",
            "conforms",
            "resultMessage",
            "value",
        )
    ],
    ("sh:namespace", "anyURI"),
]

_ALWAYS_PREFIXED = {"sh"}  # SHACL keys stay sh:... so shapes read as SHACL


def _curie_to_iri(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def _coercion(kind: str) -> dict:
    if kind == "class" or kind == "plain":
        return {}
    if kind == "id":
        return {"@type": "@id"}
    if kind == "vocab":
        return {"@type": "@vocab"}
    if kind == "list":  # @id, not @vocab: JSON-LD term selection never picks @vocab for a list
        return {"@type": "@id", "@container": "@list"}
    if kind == "literal-list":
        return {"@container": "@list"}
    if kind == "en":
        return {"@language": "en"}
    if kind.startswith("scheme:"):
        return {"@type": "@vocab", "@context": {"@vocab": f"{VOCAB}{kind.split(':', 1)[1]}/"}}
    return {"@type": f"xsd:{kind}"}


def _oaik_terms(ontology: Path) -> list[tuple[str, dict]]:
    """(local name, coercion) for each class and property of the OAIK ontology."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    graph = rdflib.Graph().parse(ontology, format="turtle")
    if ontology == ONTOLOGY:
        for module in MODULES:
            graph.parse(module, format="turtle")
    terms: list[tuple[str, dict]] = []
    for subject in sorted(
        {s for s in graph.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and s.startswith(OAIK)}
    ):
        local = subject[len(OAIK) :]
        types = set(graph.objects(subject, RDF.type))
        ranges = [str(r) for r in graph.objects(subject, RDFS.range)]
        if OWL.Class in types or RDFS.Class in types:
            terms.append((local, {}))
        elif OWL.ObjectProperty in types:
            if local in SCHEME_OF:
                terms.append((local, _coercion(f"scheme:{SCHEME_OF[local]}")))
            elif local in VOCAB_VALUED:
                terms.append((local, _coercion("vocab")))
            else:
                terms.append((local, _coercion("id")))
        elif OWL.DatatypeProperty in types or OWL.AnnotationProperty in types:
            xsd_range = next((r for r in ranges if r.startswith(XSD)), None)
            if xsd_range is None or xsd_range == XSD + "string":
                terms.append((local, {}))
            else:
                terms.append((local, {"@type": "xsd:" + xsd_range[len(XSD) :]}))
    return terms


def build_context(ontology: Path = ONTOLOGY) -> dict:
    context: dict = {"@version": 1.1, "@protected": True, "id": "@id", "type": "@type"}
    context.update(PREFIXES)
    taken = set(context)
    for local, coercion in _oaik_terms(ontology):
        if local in taken:
            raise SystemExit(f"oaik:{local} clashes with an existing term {local!r}; rename it in the ontology or here")
        context[local] = {"@id": f"oaik:{local}", **coercion} if coercion else f"oaik:{local}"
        taken.add(local)
    for curie, kind in REUSED:
        prefix, local = curie.split(":", 1)
        key = local if local not in taken and prefix not in _ALWAYS_PREFIXED else curie
        coercion = _coercion(kind)
        if key == curie:
            # a compact-IRI key must expand to itself; no plain string needed
            context[key] = {"@id": curie, **coercion}
        else:
            context[key] = {"@id": curie, **coercion} if coercion else curie
        taken.add(key)
    return context


def document() -> dict:
    """The context document: the context plus a few describing keys (ignored by processors)."""
    return {
        "@context": build_context(),
        "title": "OAIK JSON-LD context",
        "description": (
            "JSON-LD 1.1 context for the OAIK knowledge graph of open-source AI collaboration. "
            'Use it with {"@base": "https://w3id.org/oaik/id/"} so instance IRIs read org/eleutherai.'
        ),
        "version": CONTEXT_VERSION,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isDefinedBy": "https://w3id.org/oaik/ns",
    }


def render() -> str:
    """The document as JSON, one context entry per line (readable diffs)."""
    doc = document()
    entries = [
        f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in doc.pop("@context").items()
    ]
    lines = ["{", '  "@context": {', ",\n".join(entries), "  },"]
    rest = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in doc.items()]
    lines.append(",\n".join(rest))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if ontology/context.jsonld is not what this script generates"
    )
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run `python scripts/build_context.py`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(document()['@context'])} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
