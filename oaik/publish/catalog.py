"""Describe the knowledge graph for catalogues: a DCAT 3 / DCAT-AP 3 record and a VoID description.

The DCAT record (``oaik export --format dcat``) describes a dcat:Catalog
holding one dcat:Dataset, the OAIK knowledge graph, with a dcat:Distribution
per export format and a dcat:DataService for the SPARQL endpoint that
``oaik serve`` runs. The VoID description (``oaik export --format void``)
gives the same dataset's statistics, class and property partitions,
vocabularies and linksets into other catalogues.

Licences: the curated data is CC0 1.0; the ontology, vocabularies, shapes and
JSON-LD context are CC BY 4.0; data imported from the openness indices keeps
its sources' licences (OSAI: CC BY 4.0, MOT: MIT), which both require
attribution. Distributions of the whole graph are therefore CC BY 4.0 with a
rights statement that gives the attribution; so are the data-only ones when the
graph holds imported data (else they are CC0).

IRIs of the record live under https://w3id.org/oaik/id/catalog/.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from oaik.namespaces import ID, OAIK, PREFIXES
from oaik.store.graph import select_rows

if TYPE_CHECKING:
    import pyoxigraph as ox

CATALOG = f"{ID}catalog/oaik"
DATASET = f"{ID}catalog/knowledge-graph"
SERVICE = f"{ID}catalog/sparql-endpoint"
PUBLISHER = f"{ID}catalog/oaik-contributors"
RIGHTS = f"{ID}catalog/rights"
DEFAULT_ENDPOINT = "http://127.0.0.1:7878/sparql"

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
EU = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = f"{EU}data-theme"
THEME = f"{EU}data-theme/TECH"
ENGLISH = f"{EU}language/ENG"
IANA = "http://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
ONTOLOGY = "https://w3id.org/oaik/ns"

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
DCT = PREFIXES["dcterms"]
DCAT = PREFIXES["dcat"]
FOAF = PREFIXES["foaf"]
SKOS = PREFIXES["skos"]
VOID = PREFIXES["void"]

KEYWORDS = (
    "open source AI",
    "large language models",
    "open LLMs",
    "open collaboration",
    "knowledge graph",
    "governance",
    "Hugging Face",
    "ontology",
    "AI openness",
    "collaboration on-ramps",
)

#: Coverage in time: the source study concentrates on LLMs "since 2021" (4.1)
#: and its text is version 1 of the arXiv preprint, submitted 2025-09-29.
TEMPORAL = ("2021", "gYear", "2025-09-29", "date")

#: Export format -> (title, EU file type, W3C format IRI for VoID).
FORMAT_INFO = {
    "jsonld": ("JSON-LD", "JSON_LD", "http://www.w3.org/ns/formats/JSON-LD"),
    "turtle": ("Turtle", "RDF_TURTLE", "http://www.w3.org/ns/formats/Turtle"),
    "ntriples": ("N-Triples", "RDF_N_TRIPLES", "http://www.w3.org/ns/formats/N-Triples"),
    "rdfxml": ("RDF/XML", "RDF_XML", "http://www.w3.org/ns/formats/RDF_XML"),
    "trig": ("TriG", "RDF_TRIG", "http://www.w3.org/ns/formats/TriG"),
}


class _Builder:
    """Collects pyoxigraph triples; terms are written as IRIs, (value, lang|datatype) or blank ids."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.triples: list[ox.Triple] = []

    def iri(self, value: str) -> ox.NamedNode:
        return self.ox.NamedNode(value)

    def blank(self, name: str) -> ox.BlankNode:
        return self.ox.BlankNode(name)

    def en(self, text: str) -> ox.Literal:
        return self.ox.Literal(text, language="en")

    def typed(self, value: object, datatype: str) -> ox.Literal:
        return self.ox.Literal(str(value), datatype=self.ox.NamedNode(XSD + datatype))

    def plain(self, value: str) -> ox.Literal:
        return self.ox.Literal(value)

    def add(self, subject, predicate: str, *objects) -> None:
        subject = self.iri(subject) if isinstance(subject, str) else subject
        for obj in objects:
            obj = self.iri(obj) if isinstance(obj, str) else obj
            self.triples.append(self.ox.Triple(subject, self.iri(predicate), obj))

    def a(self, subject, *classes: str) -> None:
        self.add(subject, RDF + "type", *classes)


def _header(store: ox.Store) -> dict[str, str | None]:
    rows = select_rows(
        store,
        f"""
        SELECT ?repo ?modified ?created WHERE {{
          OPTIONAL {{ <{ONTOLOGY}> schema:codeRepository ?repo }}
          OPTIONAL {{ <{ONTOLOGY}> dcterms:modified ?modified }}
          OPTIONAL {{ <{ONTOLOGY}> dcterms:created ?created }}
        }} LIMIT 1""",
    )
    return rows[0] if rows else {"repo": None, "modified": None, "created": None}


def _load_store(only: Iterable[str] = ()) -> ox.Store:
    from oaik.publish.export import load_selections
    from oaik.store.graph import to_store

    selections = load_selections(only)
    return to_store(f for parsed in selections.values() for f in parsed)


# ---------------------------------------------------------------------------
# DCAT
# ---------------------------------------------------------------------------


def dcat_record(
    store: ox.Store | None = None, endpoint: str = DEFAULT_ENDPOINT, download_base: str | None = None
) -> list[ox.Triple]:
    """The DCAT-AP 3 catalogue record of the knowledge graph."""
    from oaik import __version__
    from oaik.publish.export import MEDIA

    store = store if store is not None else _load_store()
    header = _header(store)
    repo = header["repo"] or "https://w3id.org/oaik"
    b = _Builder()

    projects = select_rows(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a oaik:Project }")[0]["n"]
    imported = imported_sources(store)
    data_licence, data_rights = (CC_BY, True) if imported else (CC0, False)
    b.a(CATALOG, DCAT + "Catalog")
    b.add(CATALOG, DCT + "title", b.en("OAIK catalogue"))
    b.add(
        CATALOG,
        DCT + "description",
        b.en(
            "The catalogue of OAIK, the knowledge graph of open-source AI collaboration: the graph itself and its SPARQL endpoint."
        ),
    )
    b.add(CATALOG, DCT + "publisher", PUBLISHER)
    b.add(CATALOG, DCT + "license", CC0)
    b.add(CATALOG, DCT + "language", ENGLISH)
    b.add(CATALOG, DCAT + "dataset", DATASET)
    b.add(CATALOG, DCAT + "service", SERVICE)
    b.add(CATALOG, DCAT + "themeTaxonomy", THEME_SCHEME)
    b.add(CATALOG, FOAF + "homepage", repo)
    if header["modified"]:
        b.add(CATALOG, DCT + "modified", b.typed(header["modified"], "date"))

    b.a(DATASET, DCAT + "Dataset")
    b.add(DATASET, DCT + "title", b.en("OAIK: the knowledge graph of open-source AI collaboration"))
    b.add(
        DATASET,
        DCT + "description",
        b.en(
            f"A knowledge graph of {projects} open large language model projects, the organisations behind them, the models, "
            "datasets and software they produce and reuse, their collaborations by lifecycle stage and artifact domain, "
            "motivations, challenges and governance models, with the verbatim evidence behind every curated fact. "
            "It comprises an OWL ontology with SKOS vocabularies (CC BY 4.0), curated data (CC0 1.0) and SHACL shapes (CC BY 4.0)"
            + (", and data imported from openness indices under their own licences." if imported else ".")
        ),
    )
    b.add(DATASET, DCT + "publisher", PUBLISHER)
    b.add(DATASET, DCT + "creator", PUBLISHER)
    b.add(DATASET, DCAT + "version", b.plain(__version__))
    if header["modified"]:
        b.add(DATASET, DCT + "modified", b.typed(header["modified"], "date"))
    if header["created"]:
        b.add(DATASET, DCT + "issued", b.typed(header["created"], "date"))
    b.add(DATASET, DCAT + "keyword", *(b.en(k) for k in KEYWORDS))
    b.add(DATASET, DCAT + "theme", THEME)
    b.add(DATASET, DCT + "language", ENGLISH)
    b.add(DATASET, DCT + "conformsTo", ONTOLOGY)
    b.add(DATASET, DCAT + "landingPage", repo)
    b.add(DATASET, DCT + "rights", RIGHTS)
    for row in select_rows(store, "SELECT ?url WHERE { source:cartography-2025 schema:url ?url }"):
        b.add(DATASET, DCT + "relation", row["url"])
    for source in imported:
        b.add(DATASET, DCT + "relation", source["url"])
        b.add(DATASET, PREFIXES["prov"] + "wasDerivedFrom", source["commit"])
    period = b.blank("temporal-coverage")
    b.add(DATASET, DCT + "temporal", period)
    b.a(period, DCT + "PeriodOfTime")
    b.add(period, DCAT + "startDate", b.typed(TEMPORAL[0], TEMPORAL[1]))
    b.add(period, DCAT + "endDate", b.typed(TEMPORAL[2], TEMPORAL[3]))
    for row in select_rows(
        store,
        """
        SELECT DISTINCT ?c ?label WHERE {
          ?p a oaik:Project . { ?p oaik:country ?c } UNION { ?p oaik:coordinatedBy/oaik:country ?c }
          OPTIONAL { ?c skos:prefLabel ?label }
        } ORDER BY ?c""",
    ):
        b.add(DATASET, DCT + "spatial", row["c"])
        b.a(row["c"], DCT + "Location")
        if row["label"]:
            b.add(row["c"], SKOS + "prefLabel", b.en(row["label"]))

    # Distributions
    def distribution(
        name: str,
        title: str,
        description: str,
        media: str,
        filetype: str | None,
        licence: str,
        rights: bool,
        ext: str | None,
        file: str | None = None,
    ) -> None:
        node = f"{DATASET}/{name}"
        b.add(DATASET, DCAT + "distribution", node)
        b.a(node, DCAT + "Distribution")
        b.add(node, DCT + "title", b.en(title))
        b.add(node, DCT + "description", b.en(description))
        b.add(node, DCAT + "mediaType", IANA + media)
        b.a(IANA + media, DCT + "MediaType")
        if filetype:
            b.add(node, DCT + "format", EU + "file-type/" + filetype)
            b.a(EU + "file-type/" + filetype, DCT + "MediaTypeOrExtent")
        b.add(node, DCT + "license", licence)
        if rights:
            b.add(node, DCT + "rights", RIGHTS)
        b.add(node, DCAT + "accessURL", repo)
        if download_base and (file or ext):
            b.add(node, DCAT + "downloadURL", f"{download_base}{file or name + (ext or '')}")

    for fmt, (label, filetype, _) in FORMAT_INFO.items():
        ext, media = MEDIA[fmt]
        named = " (one named graph per part)" if fmt == "trig" else ""
        distribution(
            f"oaik-{fmt}",
            f"OAIK knowledge graph ({label})",
            f"Ontology, vocabularies, curated data and SHACL shapes{named}: `oaik export --format {fmt}`.",
            media,
            filetype,
            CC_BY,
            True,
            ext,
        )
    distribution(
        "oaik-data-turtle",
        "OAIK curated data (Turtle)",
        "The data only (curated, and imported from the openness indices when present), without ontology and shapes: "
        "`oaik export --format turtle --only data`.",
        "text/turtle",
        "RDF_TURTLE",
        data_licence,
        data_rights,
        ".ttl",
    )
    distribution(
        "oaik-projects-jsonld",
        "OAIK projects (framed JSON-LD)",
        "One nested JSON document per project, with its organisations, artifacts, collaborations, claims and evidence: "
        "`oaik export --format jsonld --frame project`.",
        "application/ld+json",
        "JSON_LD",
        data_licence,
        data_rights,
        ".jsonld",
    )
    distribution(
        "oaik-mappings-sssom",
        "OAIK cross-references (SSSOM)",
        "Links to Wikidata, ROR, Hugging Face, GitHub and SPDX as an SSSOM mapping set: `oaik export --format sssom`.",
        "text/tab-separated-values",
        "TSV",
        data_licence,
        data_rights,
        ".sssom.tsv",
    )
    from oaik.publish.site.tables import TABLES

    for table in TABLES:  # the CSV tables of the website's downloads page (`oaik site`)
        if not table.present(store):
            continue
        distribution(
            f"oaik-table-{table.name}",
            f"OAIK {table.name} (CSV table)",
            f"{table.title}, one row per key (IRIs, never labels), as on the downloads page of `oaik site`; "
            "columns, meanings, datatypes and source properties are in data-dictionary.csv.",
            "text/csv",
            "CSV",
            data_licence,
            data_rights,
            None,
            f"{table.name}.csv",
        )
    sparql = f"{DATASET}/sparql"
    b.add(DATASET, DCAT + "distribution", sparql)
    b.a(sparql, DCAT + "Distribution")
    b.add(sparql, DCT + "title", b.en("OAIK knowledge graph (SPARQL endpoint)"))
    b.add(sparql, DCT + "description", b.en("The whole graph behind a read-only SPARQL 1.1 endpoint: `oaik serve`."))
    b.add(sparql, DCAT + "accessURL", endpoint)
    b.add(sparql, DCAT + "accessService", SERVICE)
    b.add(sparql, DCT + "license", CC_BY)
    b.add(sparql, DCT + "rights", RIGHTS)

    b.a(SERVICE, DCAT + "DataService")
    b.add(SERVICE, DCT + "title", b.en("OAIK SPARQL endpoint"))
    b.add(
        SERVICE,
        DCT + "description",
        b.en(
            f"A read-only SPARQL 1.1 Protocol endpoint over the whole graph, run locally with `oaik serve` (by default at {DEFAULT_ENDPOINT})."
        ),
    )
    b.add(SERVICE, DCAT + "endpointURL", endpoint)
    b.add(SERVICE, DCAT + "servesDataset", DATASET)
    b.add(SERVICE, DCT + "conformsTo", SPARQL_PROTOCOL)
    b.add(SERVICE, DCT + "publisher", PUBLISHER)
    b.add(SERVICE, DCAT + "landingPage", repo)

    # Things the record refers to, typed as DCAT-AP expects
    b.a(PUBLISHER, FOAF + "Agent")
    b.add(PUBLISHER, FOAF + "name", b.plain("OAIK contributors"))
    b.a(RIGHTS, DCT + "RightsStatement")
    b.add(RIGHTS, RDFS + "label", b.en(rights_statement(imported)))
    b.a(CC0, DCT + "LicenseDocument")
    b.add(CC0, RDFS + "label", b.en("CC0 1.0 Universal"))
    b.a(CC_BY, DCT + "LicenseDocument")
    b.add(CC_BY, RDFS + "label", b.en("Creative Commons Attribution 4.0 International"))
    b.a(THEME_SCHEME, SKOS + "ConceptScheme")
    b.add(THEME_SCHEME, DCT + "title", b.en("Data theme"))
    b.a(THEME, SKOS + "Concept")
    b.add(THEME, SKOS + "prefLabel", b.en("Science and technology"))
    b.add(THEME, SKOS + "inScheme", THEME_SCHEME)
    b.a(ENGLISH, DCT + "LinguisticSystem")
    b.a(ONTOLOGY, DCT + "Standard")
    b.add(ONTOLOGY, DCT + "title", b.en("OAIK ontology: open-source AI collaboration"))
    b.a(SPARQL_PROTOCOL, DCT + "Standard")
    b.add(SPARQL_PROTOCOL, DCT + "title", b.en("SPARQL 1.1 Protocol"))
    b.a(repo, FOAF + "Document")
    return b.triples


# ---------------------------------------------------------------------------
# VoID
# ---------------------------------------------------------------------------


def rights_statement(imported: list[dict[str, str]]) -> str:
    """Who licenses what, and the attribution the imported data requires (the label of the rights statement)."""
    parts = (
        "The curated data is dedicated to the public domain under CC0 1.0; the ontology, SKOS vocabularies, "
        "SHACL shapes and JSON-LD context are licensed under CC BY 4.0."
    )
    if not imported:
        return (
            parts
            + " Distributions of the whole graph therefore carry CC BY 4.0; the data-only distributions carry CC0 1.0."
        )
    sources = " ".join(
        f"{source['citation']} ({source['url']}; licence {source['licence'].rsplit('/', 1)[-1]})."
        for source in imported
    )
    return (
        f"{parts} The graph also holds data imported from openness indices, which keeps its sources' licences "
        f"and requires this attribution: {sources} Every distribution that holds data therefore carries CC BY 4.0 "
        "and this statement."
    )


def imported_sources(store: ox.Store) -> list[dict[str, str]]:
    """The index snapshots `oaik import` read: homepage, upstream commit, licence and citation (for attribution)."""
    rows = select_rows(
        store,
        """
        SELECT DISTINCT ?s ?url ?commit ?licence ?citation WHERE {
          ?assessment oaik:snapshot ?s .
          ?s schema:url ?url ; prov:wasDerivedFrom ?commit ; dcterms:license ?licence ;
             dcterms:bibliographicCitation ?citation .
        } ORDER BY ?s""",
    )
    return [{key: value or "" for key, value in row.items()} for row in rows]


def void_description(
    store: ox.Store | None = None,
    only: Iterable[str] = (),
    endpoint: str = DEFAULT_ENDPOINT,
    download_base: str | None = None,
) -> list[ox.Triple]:
    """VoID statistics, partitions, vocabularies and linksets of the graph (or the selections named).

    ``void:entities`` counts the distinct IRI subjects (blank nodes, such as
    participations, are not entities); a class partition's ``void:entities``
    counts the class's distinct instances. A linkset counts the triples, of
    any subject, whose predicate and value match a target of
    :data:`oaik.publish.links.TARGETS` (``oaik links`` counts entities of each kind).
    """
    from oaik.publish.links import TARGETS

    only = set(only)
    store = store if store is not None else _load_store(only)
    b = _Builder()
    b.a(DATASET, VOID + "Dataset")
    b.add(DATASET, DCT + "title", b.en("OAIK: the knowledge graph of open-source AI collaboration"))
    b.add(DATASET, FOAF + "homepage", (_header(store)["repo"] or "https://w3id.org/oaik"))
    counts = select_rows(
        store,
        """
        SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }""",
    )[0]
    stats = {
        "triples": counts["triples"],
        "entities": select_rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")[0][
            "n"
        ],
        "distinctSubjects": select_rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")[0]["n"],
        "distinctObjects": select_rows(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")[0]["n"],
        "classes": select_rows(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")[0]["n"],
        "properties": select_rows(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")[0]["n"],
    }
    for name, value in stats.items():
        b.add(DATASET, VOID + name, b.typed(value, "integer"))
    b.add(DATASET, VOID + "uriSpace", b.plain(ID))
    b.add(DATASET, VOID + "sparqlEndpoint", endpoint)
    for _fmt, (_, _, w3c_format) in FORMAT_INFO.items():
        b.add(DATASET, VOID + "feature", w3c_format)
    if download_base:
        b.add(DATASET, VOID + "dataDump", f"{download_base}oaik-turtle.ttl")
    for row in select_rows(store, "SELECT ?p WHERE { ?p a oaik:Project } ORDER BY ?p LIMIT 3"):
        b.add(DATASET, VOID + "exampleResource", row["p"])
    imported = imported_sources(store)
    for source in imported:
        b.add(DATASET, PREFIXES["prov"] + "wasDerivedFrom", source["commit"])
        b.add(DATASET, DCT + "source", source["url"])
    b.add(DATASET, DCT + "license", CC0 if only == {"data"} and not imported else CC_BY)
    b.add(DATASET, DCT + "rights", RIGHTS)
    b.a(RIGHTS, DCT + "RightsStatement")
    b.add(RIGHTS, RDFS + "label", b.en(rights_statement(imported)))

    used = {row["t"] for row in select_rows(store, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }")}
    namespaces = sorted(
        {
            namespace
            for prefix, namespace in PREFIXES.items()
            if not namespace.startswith(ID) and any(t.startswith(namespace) for t in used)  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
        }
    )
    for namespace in namespaces:
        b.add(DATASET, VOID + "vocabulary", namespace)

    for number, row in enumerate(
        select_rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"), start=1
    ):
        node = b.blank(f"class-partition-{number}")
        b.add(DATASET, VOID + "classPartition", node)
        b.add(node, VOID + "class", row["c"])
        b.add(node, VOID + "entities", b.typed(row["n"], "integer"))
    for number, row in enumerate(
        select_rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"), start=1
    ):
        node = b.blank(f"property-partition-{number}")
        b.add(DATASET, VOID + "propertyPartition", node)
        b.add(node, VOID + "property", row["p"])
        b.add(node, VOID + "triples", b.typed(row["n"], "integer"))

    for target in TARGETS:
        target_iri = f"{ID}catalog/target/{target.key}"
        b.a(target_iri, VOID + "Dataset")
        b.add(target_iri, DCT + "title", b.en(target.name))
        if target.homepage:
            b.add(target_iri, FOAF + "homepage", target.homepage)
        if target.namespace:
            b.add(target_iri, VOID + "uriSpace", b.plain(target.namespace))
        counted = False
        for predicate in target.predicates:
            value_filter = f'FILTER(STRSTARTS(STR(?o), "{target.namespace}"))' if target.namespace else ""
            n = int(
                select_rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o {value_filter} }}")[0]["n"]  # type: ignore[arg-type]  # pyoxigraph stubs / Optional SPARQL columns
            )
            if n == 0 and (counted or predicate != target.predicates[0]):
                continue
            counted = True
            local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            linkset = f"{DATASET}/linkset/{target.key}-{local}"
            b.a(linkset, VOID + "Linkset")
            b.add(DATASET, VOID + "subset", linkset)
            b.add(linkset, DCT + "title", b.en(f"OAIK links to {target.name} ({local})"))
            b.add(linkset, VOID + "subjectsTarget", DATASET)
            b.add(linkset, VOID + "objectsTarget", target_iri)
            b.add(linkset, VOID + "linkPredicate", predicate)
            b.add(linkset, VOID + "triples", b.typed(n, "integer"))
    return b.triples


# ---------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------


def serialize(triples: list[ox.Triple], syntax: str = "turtle") -> bytes:
    """Turtle (with OAIK's prefixes plus DCAT-AP's) or compact JSON-LD with OAIK's context."""
    import pyoxigraph as ox

    from oaik.publish.export import json_bytes, used_prefixes

    unique = sorted(
        set(triples),
        key=lambda t: (
            isinstance(t.subject, ox.BlankNode),
            t.subject.value,  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
            t.predicate.value != RDF + "type",
            t.predicate.value,
            str(t.object),
        ),
    )
    if syntax == "jsonld":
        from oaik.publish import jsonld

        return json_bytes(jsonld.compact(jsonld.expand_quads(unique)))
    return ox.serialize(unique, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(unique))  # type: ignore[return-value]  # pyoxigraph stubs / Optional SPARQL columns


__all__ = ["CATALOG", "DATASET", "OAIK", "SERVICE", "dcat_record", "serialize", "void_description"]
