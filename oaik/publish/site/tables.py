"""CSV tables of the main entities, with their data dictionary.

Keys are IRIs (stable), never labels; several values in one cell are joined
with a space (IRIs hold none). Column names are a published interface: a test
pins them and ``CHANGELOG-tables.md`` records every change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from oaik.publish.site.graphview import GraphView

IRI, IRIS, TEXT, INTEGER = "IRI", "IRIs separated by spaces", "string", "integer"
URLS, SECTIONS = "URLs separated by spaces", "strings separated by ' | '"
#: Multi-valued column datatypes and their separators (values are sorted within a cell).
SEPARATORS = {IRIS: " ", URLS: " ", SECTIONS: " | "}
RDFS, OAIK, ORG, PROV, SCHEMA, DCT = (
    "http://www.w3.org/2000/01/rdf-schema#",
    "https://w3id.org/oaik/ns#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "https://schema.org/",
    "http://purl.org/dc/terms/",
)


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    datatype: str
    property: str  # the property IRI the values come from ("" for the row's own IRI)


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    query: str  # a SELECT whose variables are the column names, one row per key
    present_if: str = ""  # an ASK: the table is published only when it holds (e.g. once grades are imported)

    def present(self, store) -> bool:
        from oaik.namespaces import sparql_prefixes

        return not self.present_if or bool(store.query(sparql_prefixes() + self.present_if))

    def rows(self, view: GraphView) -> list[list[str]]:
        result = view.select(self.query)
        rows = [[_cell(row[c.name], c.datatype) for c in self.columns] for row in result]
        return sorted(rows)

    def csv(self, view: GraphView) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        writer.writerows(self.rows(view))
        return out.getvalue().encode("utf-8")


def _joined(variable: str, pattern: str, separator: str = " ") -> str:
    """A sub-select joining the values a pattern binds to ``?v``, per ``?key`` (sorted afterwards, in Python)."""
    return (
        f'OPTIONAL {{ SELECT ?key (GROUP_CONCAT(DISTINCT STR(?v); separator="{separator}") AS ?{variable}) '
        f"WHERE {{ {pattern} }} GROUP BY ?key }}"
    )


def _cell(term, datatype: str) -> str:
    if term is None:
        return ""
    separator = SEPARATORS.get(datatype)
    return separator.join(sorted(set(term.value.split(separator)))) if separator else term.value


def _label() -> str:
    return 'OPTIONAL { SELECT ?key (MIN(?l) AS ?label) WHERE { ?key rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) IN ("en", "")) } GROUP BY ?key }'


KEY = Column("iri", "The entity's IRI (stable key)", IRI, "")
LABEL = Column("label", "Its English label", TEXT, RDFS + "label")

TABLES: tuple[Table, ...] = (
    Table(
        "projects",
        "Projects",
        (
            KEY,
            LABEL,
            Column("coordinated_by", "Coordinating organisations", IRIS, OAIK + "coordinatedBy"),
            Column("governance_models", "Governance models claimed for the project", IRIS, OAIK + "governanceModel"),
            Column("base_models", "Base models", IRIS, OAIK + "baseModel"),
            Column("derivative_models", "Derivative models", IRIS, OAIK + "derivativeModel"),
            Column("software", "Open source software", IRIS, OAIK + "openSourceSoftware"),
            Column("platforms", "Community platforms used", IRIS, OAIK + "usesPlatform"),
        ),
        "SELECT (?key AS ?iri) ?label ?coordinated_by ?governance_models ?base_models ?derivative_models ?software ?platforms "
        "WHERE { ?key a oaik:Project . "
        + _label()
        + _joined("coordinated_by", "?key oaik:coordinatedBy ?v")
        + _joined("governance_models", "?c oaik:about ?key ; oaik:governanceModel ?v")
        + _joined("base_models", "?key oaik:baseModel ?v")
        + _joined("derivative_models", "?key oaik:derivativeModel ?v")
        + _joined("software", "?key oaik:openSourceSoftware ?v")
        + _joined("platforms", "?key oaik:usesPlatform ?v")
        + " }",
    ),
    Table(
        "organisations",
        "Organisations",
        (
            KEY,
            LABEL,
            Column("organization_type", "Type of organisation (concept)", IRIS, OAIK + "organizationType"),
            Column("sector", "Sector (concept)", IRIS, OAIK + "sector"),
            Column("country", "Country (concept)", IRIS, OAIK + "country"),
            Column("url", "Web sites", URLS, SCHEMA + "url"),
            Column("hugging_face_id", "Hugging Face organisation id", TEXT, OAIK + "huggingFaceId"),
            Column("part_of", "Parent organisations", IRIS, ORG + "subOrganizationOf"),
        ),
        "SELECT (?key AS ?iri) ?label ?organization_type ?sector ?country ?url ?hugging_face_id ?part_of "
        "WHERE { { SELECT DISTINCT ?key WHERE { ?key a ?t VALUES ?t { org:Organization org:OrganizationalCollaboration } } } "
        + _label()
        + _joined("organization_type", "?key oaik:organizationType ?v")
        + _joined("sector", "?key oaik:sector ?v")
        + _joined("country", "?key oaik:country ?v")
        + _joined("url", "?key schema:url ?v")
        + _joined("hugging_face_id", "?key oaik:huggingFaceId ?v")
        + _joined("part_of", "?key org:subOrganizationOf ?v")
        + " }",
    ),
    Table(
        "models",
        "Models",
        (
            KEY,
            LABEL,
            Column(
                "types", "Classes (base or derivative model)", IRIS, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            ),
            Column("produced_by", "Producing organisations", IRIS, OAIK + "producedBy"),
            Column("output_of", "Projects it is an output of", IRIS, OAIK + "outputOf"),
            Column("part_of", "Model series it belongs to", IRIS, DCT + "isPartOf"),
            Column(
                "derived_from",
                "Models it derives from (prov:wasDerivedFrom or a sub-property)",
                IRIS,
                PROV + "wasDerivedFrom",
            ),
            Column("hugging_face_url", "Hugging Face pages", URLS, OAIK + "huggingFaceUrl"),
        ),
        "SELECT (?key AS ?iri) ?label ?types ?produced_by ?output_of ?part_of ?derived_from ?hugging_face_url "
        "WHERE { { SELECT DISTINCT ?key WHERE { ?key a/rdfs:subClassOf* oaik:Model } } "
        + _label()
        + _joined("types", "?key a ?v")
        + _joined("produced_by", "?key oaik:producedBy ?v")
        + _joined("output_of", "?key oaik:outputOf ?v")
        + _joined("part_of", "?key dcterms:isPartOf ?v")
        + _joined("derived_from", "?key ?p ?v . ?p rdfs:subPropertyOf* prov:wasDerivedFrom")
        + _joined("hugging_face_url", "?key oaik:huggingFaceUrl ?v")
        + " }",
    ),
    Table(
        "collaborations",
        "Collaborations with their participants (one row per participant)",
        (
            Column("collaboration", "The collaboration's IRI (key together with participant and role)", IRI, ""),
            LABEL,
            Column("project", "Projects it belongs to (usually one)", IRIS, OAIK + "project"),
            Column("onramp", "Collaboration on-ramp (concept)", IRI, OAIK + "onRamp"),
            Column("stage", "Lifecycle stage (concept)", IRI, OAIK + "stage"),
            Column("domain", "Artifact domain (concept)", IRI, OAIK + "domain"),
            Column("participant", "A participating agent", IRI, PROV + "agent"),
            Column("role", "The participant's role (concept)", IRI, PROV + "hadRole"),
        ),
        "SELECT (?key AS ?collaboration) ?label ?project ?onramp ?stage ?domain ?participant ?role "
        "WHERE { { SELECT DISTINCT ?key WHERE { ?key a/rdfs:subClassOf* oaik:Collaboration } } "
        + _label()
        + _joined("project", "?key oaik:project ?v")
        + " OPTIONAL { ?key oaik:onRamp ?onramp } OPTIONAL { ?key oaik:stage ?stage } OPTIONAL { ?key oaik:domain ?domain } "
        "OPTIONAL { SELECT DISTINCT ?key ?participant ?role WHERE { "
        "?key oaik:participation ?n . ?n prov:agent ?participant OPTIONAL { ?n prov:hadRole ?role } } } }",
    ),
    Table(
        "claims",
        "Claims (governance, motivation, challenge, statistics, statements)",
        (
            KEY,
            LABEL,
            Column("type", "Kind of claim (class)", IRIS, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            Column("about", "What the claim is about", IRIS, OAIK + "about"),
            Column("governance_model", "Governance model claimed (concept)", IRIS, OAIK + "governanceModel"),
            Column("motivation", "Motivation claimed (concept)", IRIS, OAIK + "motivation"),
            Column("challenge", "Challenge met (concept)", IRIS, OAIK + "challenge"),
            Column("metric", "Metric of a statistic (concept)", IRIS, OAIK + "metric"),
            Column("value", "Value of a statistic", INTEGER, OAIK + "value"),
            Column("conflicts_with", "Claims it conflicts with", IRIS, OAIK + "conflictsWith"),
            Column("evidence", "Evidence records", IRIS, OAIK + "evidence"),
            Column("sections", "Sections of the source cited by the evidence", SECTIONS, OAIK + "section"),
        ),
        "SELECT (?key AS ?iri) ?label ?type ?about ?governance_model ?motivation ?challenge ?metric ?value ?conflicts_with ?evidence ?sections "
        "WHERE { { SELECT DISTINCT ?key WHERE { ?key a/rdfs:subClassOf* oaik:Claim } } "
        + _label()
        + _joined("type", "?key a ?v")
        + _joined("about", "?key oaik:about ?v")
        + _joined("governance_model", "?key oaik:governanceModel ?v")
        + _joined("motivation", "?key oaik:motivation ?v")
        + _joined("challenge", "?key oaik:challenge ?v")
        + _joined("metric", "?key oaik:metric ?v")
        + _joined("value", "?key oaik:value ?v")
        + _joined("conflicts_with", "?key oaik:conflictsWith ?v")
        + _joined("evidence", "?key oaik:evidence ?v")
        + _joined("sections", "?key oaik:evidence/oaik:section ?v", " | ")
        + " }",
    ),
    Table(
        "openness-grades",
        "Openness grades from openness indices (one row per grade claim)",
        (
            KEY,
            Column("model", "The model graded", IRI, OAIK + "about"),
            Column("assessment", "The index's assessment the grade belongs to", IRI, OAIK + "assessment"),
            Column("framework", "Openness framework (concept)", IRI, OAIK + "framework"),
            Column("criterion", "Criterion of the framework (concept)", IRI, OAIK + "criterion"),
            Column("grade", "Grade (concept)", IRI, OAIK + "grade"),
            Column("evidence_url", "Where the index found the evidence", URLS, OAIK + "evidenceUrl"),
        ),
        "SELECT (?key AS ?iri) ?model ?assessment ?framework ?criterion ?grade ?evidence_url WHERE { "
        "?key a oaik:GradeClaim ; oaik:about ?model ; oaik:framework ?framework ; oaik:criterion ?criterion ; oaik:grade ?grade "
        "OPTIONAL { ?key oaik:assessment ?assessment } " + _joined("evidence_url", "?key oaik:evidenceUrl ?v") + " }",
        "ASK { ?c a oaik:GradeClaim }",
    ),
)


def dictionary_csv(tables: tuple[Table, ...] = TABLES) -> bytes:
    """The data dictionary of the tables: table, column, meaning, datatype, property IRI."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "column", "meaning", "datatype", "property"])
    for table in tables:
        for column in table.columns:
            writer.writerow([table.name, column.name, column.meaning, column.datatype, column.property])
    return out.getvalue().encode("utf-8")
