"""The ontology and vocabularies: complete, labelled, defined, and true to the paper's counts."""

from __future__ import annotations

import pytest
from conftest import rows

OAIK = "https://w3id.org/oaik/ns#"
VOCAB = "https://w3id.org/oaik/vocab/"


def scheme_concepts(store, scheme: str) -> list[dict]:
    return rows(
        store,
        f"""
        SELECT ?c ?label ?top ?broader WHERE {{
          ?c skos:inScheme <{VOCAB}{scheme}> .
          OPTIONAL {{ ?c skos:prefLabel ?label }}
          OPTIONAL {{ ?c skos:topConceptOf ?top }}
          OPTIONAL {{ ?c skos:broader ?broader }}
        }}""",
    )


def test_ontology_header_is_complete(store):
    header = rows(
        store,
        """
        SELECT ?p (COUNT(?o) AS ?n) WHERE { <https://w3id.org/oaik/ns> ?p ?o } GROUP BY ?p""",
    )
    present = {h["p"] for h in header}
    required = {
        "http://www.w3.org/2002/07/owl#versionIRI",
        "http://www.w3.org/2002/07/owl#versionInfo",
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/description",
        "http://purl.org/dc/terms/creator",
        "http://purl.org/dc/terms/created",
        "http://purl.org/dc/terms/modified",
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/bibliographicCitation",
        "http://purl.org/vocab/vann/preferredNamespacePrefix",
        "http://purl.org/vocab/vann/preferredNamespaceUri",
    }
    assert required <= present, f"ontology header lacks {sorted(required - present)}"


def oaik_terms(store) -> list[dict]:
    return rows(
        store,
        """
        SELECT DISTINCT ?term ?kind WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
          ?term a ?kind . FILTER(STRSTARTS(STR(?term), "https://w3id.org/oaik/ns#"))
        } ORDER BY ?term""",
    )


def test_ontology_defines_the_core_classes(store):
    names = {t["term"].removeprefix(OAIK) for t in oaik_terms(store)}
    core = {
        "Project",
        "Collaboration",
        "ComputePartnership",
        "Participation",
        "Artifact",
        "Model",
        "BaseModel",
        "DerivativeModel",
        "Dataset",
        "Software",
        "Benchmark",
        "Leaderboard",
        "Publication",
        "Application",
        "DataHub",
        "Evidence",
        "SourceDocument",
        "Claim",
        "GovernanceClaim",
        "MotivationClaim",
        "ChallengeClaim",
        "Statistic",
        "Platform",
        "ComputeInfrastructure",
        "Interviewee",
        "fineTunedFrom",
        "adapterOf",
        "quantizedFrom",
        "mergedFrom",
        "distilledFrom",
        "continuedPretrainingFrom",
        "trainedOn",
        "evaluatedOn",
        "builtWith",
        "onRamp",
        "stage",
        "domain",
        "evidence",
        "quote",
        "section",
        "interviewee",
        "claimStatus",
        "governanceModel",
        "motivation",
        "computeKind",
        "computeProvider",
        "usesPlatform",
        "targetLanguage",
        "country",
        "region",
        "commercialUse",
        "academicUse",
        "personalUse",
    }
    assert core <= names, f"missing terms: {sorted(core - names)}"


@pytest.mark.parametrize("what", ["label", "definition", "isDefinedBy"])
def test_every_oaik_term_is_labelled_and_defined(store, what):
    predicate = {"label": "rdfs:label", "definition": "skos:definition", "isDefinedBy": "rdfs:isDefinedBy"}[what]
    lacking = rows(
        store,
        f"""
        SELECT DISTINCT ?term WHERE {{
          VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty }}
          ?term a ?kind . FILTER(STRSTARTS(STR(?term), "{OAIK}"))
          FILTER NOT EXISTS {{ ?term {predicate} ?v . {"FILTER(LANG(?v) = 'en')" if what != "isDefinedBy" else ""} }}
        }}""",
    )
    assert not lacking, f"OAIK terms without an English {what}: {[r['term'] for r in lacking]}"


def test_every_concept_is_labelled_defined_and_placed(store):
    lacking = rows(
        store,
        """
        SELECT DISTINCT ?c WHERE {
          ?c a skos:Concept . FILTER(STRSTARTS(STR(?c), "https://w3id.org/oaik/vocab/"))
          FILTER NOT EXISTS {
            ?c skos:prefLabel ?l ; skos:definition ?d ; skos:inScheme ?s .
            FILTER(LANG(?l) = "en" && LANG(?d) = "en")
            ?c skos:topConceptOf|skos:broader ?up .
          }
        }""",
    )
    assert not lacking, f"concepts lacking an English label, definition, scheme or place: {[r['c'] for r in lacking]}"


@pytest.mark.parametrize(
    "scheme,expected",
    [("stage", 3), ("domain", 6), ("onramp", 44), ("challenge", 14), ("orgcategory", 5)],
)
def test_scheme_sizes_match_the_paper(store, scheme, expected):
    assert len(scheme_concepts(store, scheme)) == expected


def test_fifteen_motivations_in_three_categories(store):
    concepts = scheme_concepts(store, "motivation")
    categories = {c["c"] for c in concepts if c["top"]}
    motivations = [c for c in concepts if c["broader"]]
    assert len(categories) == 3
    assert len(motivations) == 15
    assert {m["broader"] for m in motivations} == categories


def test_five_governance_models_under_three_groups(store):
    concepts = scheme_concepts(store, "governance")
    groups = {c["c"].rsplit("/", 1)[1] for c in concepts if c["top"]}
    models = {c["c"].rsplit("/", 1)[1]: c["broader"].rsplit("/", 1)[1] for c in concepts if c["broader"]}
    assert groups == {"company", "research-institute", "grassroots"}
    assert models == {
        "single-company": "company",
        "single-research-institute": "research-institute",
        "multi-organizational-research-institute": "research-institute",
        "non-profit-sponsored-grassroots": "grassroots",
        "company-sponsored-grassroots": "grassroots",
    }


def test_stages_are_ordered(store):
    order = rows(
        store, "SELECT ?s ?n WHERE { ?s skos:inScheme <https://w3id.org/oaik/vocab/stage> ; oaik:order ?n } ORDER BY ?n"
    )
    assert [o["s"].rsplit("/", 1)[1] for o in order] == ["pre-training", "post-training", "post-release-reuse"]


@pytest.mark.parametrize("scheme", ["onramp", "challenge"])
def test_every_onramp_and_challenge_names_stage_domain_and_section(store, scheme):
    lacking = rows(
        store,
        f"""
        SELECT ?c WHERE {{
          ?c skos:inScheme <{VOCAB}{scheme}> .
          FILTER NOT EXISTS {{
            ?c oaik:stage ?stage ; oaik:domain ?domain ; oaik:section ?section .
            ?stage skos:inScheme <{VOCAB}stage> . ?domain skos:inScheme <{VOCAB}domain> .
            FILTER(STRSTARTS(?section, "5."))
          }}
        }}""",
    )
    assert not lacking, f"{scheme} concepts without stage, domain or section: {[r['c'] for r in lacking]}"


def test_onramp_sections_agree_with_their_stage(store):
    stage_of_section = {"5.1": "pre-training", "5.2": "post-training", "5.3": "post-release-reuse"}
    found = rows(
        store,
        f"SELECT ?c ?stage ?section WHERE {{ ?c skos:inScheme <{VOCAB}onramp> ; oaik:stage ?stage ; oaik:section ?section }}",
    )
    wrong = [f["c"] for f in found if not f["stage"].endswith(stage_of_section[f["section"][:3]])]
    assert not wrong


def test_table_1_organization_types_exist(store):
    labels = {c["label"] for c in scheme_concepts(store, "orgtype")}
    for label in [
        "public research institute",
        "grassroots initiative",
        "non-profit arm of startup",
        "corporation",
        "non-profit research institute",
        "startup",
        "non-profit organisation",
        "venture capital and innovation arm",
        "public sector body",
        "research consortium",
    ]:
        assert label in labels
