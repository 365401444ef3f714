"""The curated data: the 14 projects, complete per project, and Table 1 rebuilt cell by cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import rows

from oaik.query.backends import EmbeddedBackend
from oaik.query.canned import bind, get_query

TABLE_1 = json.loads((Path(__file__).parent / "golden" / "table1.json").read_text(encoding="utf-8"))["rows"]
PROJECTS = [row["project"] for row in TABLE_1]
ID = "https://w3id.org/oaik/id/"


def test_fourteen_projects(store):
    found = {r["p"].rsplit("/", 1)[1] for r in rows(store, "SELECT ?p WHERE { ?p a oaik:Project }")}
    assert found == set(PROJECTS)


def test_seventeen_interviewees_each_representing_a_project(store):
    found = rows(
        store,
        "SELECT ?i ?id ?p WHERE { ?i a oaik:Interviewee ; oaik:intervieweeId ?id ; oaik:represents ?p . ?p a oaik:Project }",
    )
    assert sorted(r["id"] for r in found) == sorted(f"I{n}" for n in range(1, 18))


REQUIREMENTS = {
    "an organisation": "?project oaik:coordinatedBy ?x . ?x a ?type . FILTER(?type IN (org:Organization, org:OrganizationalCollaboration))",
    "a governance claim": "?x a oaik:GovernanceClaim ; oaik:about ?project ; oaik:evidence ?e",
    "a motivation": "?x a oaik:MotivationClaim ; oaik:about ?project ; oaik:evidence ?e",
    "a platform": "?project oaik:usesPlatform ?x . ?x a oaik:Platform",
    "evidence": "?project oaik:evidence ?x . ?x oaik:quote ?q",
    "an interviewee": "?x oaik:represents ?project",
    "a collaboration": "?x a oaik:Collaboration ; oaik:project ?project ; oaik:evidence ?e",
}


@pytest.mark.parametrize("requirement", sorted(REQUIREMENTS))
@pytest.mark.parametrize("project", PROJECTS)
def test_every_project_has(store, project, requirement):
    found = rows(
        store,
        f"SELECT ?project WHERE {{ BIND(<{ID}project/{project}> AS ?project) {REQUIREMENTS[requirement]} }} LIMIT 1",
    )
    assert found, f"project:{project} has no {requirement}"


@pytest.mark.parametrize(
    "kind",
    [
        "oaik:Collaboration",
        "oaik:GovernanceClaim",
        "oaik:MotivationClaim",
        "oaik:ChallengeClaim",
        "oaik:Statistic",
        "oaik:StatementClaim",
    ],
)
def test_every_collaboration_and_claim_has_evidence(store, kind):
    bare = rows(store, f"SELECT ?x WHERE {{ ?x a {kind} . FILTER NOT EXISTS {{ ?x oaik:evidence/oaik:quote ?q }} }}")
    assert not bare, f"{kind} without evidence: {[r['x'] for r in bare]}"


def test_inferred_evidence_explains_itself(store):
    unexplained = rows(
        store,
        """
        SELECT ?e WHERE { ?e oaik:claimStatus <https://w3id.org/oaik/vocab/claimstatus/inferred> .
                          FILTER NOT EXISTS { ?e oaik:curatorNote ?n } }""",
    )
    assert not unexplained, f"inferred evidence without a curator note: {[r['e'] for r in unexplained]}"


def test_no_guessed_external_identifiers(store):
    """Wikidata or ROR identifiers need evidence that verifies them (an evidence record on the entity)."""
    linked = rows(
        store,
        """
        SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs>|skos:exactMatch ?o .
          FILTER(STRSTARTS(STR(?o), "http://www.wikidata.org/") || STRSTARTS(STR(?o), "https://ror.org/"))
          FILTER NOT EXISTS { ?s oaik:evidence ?e } }""",
    )
    assert not linked


# --- Table 1 ----------------------------------------------------------------------------------


def normal(item: str) -> str:
    """Compare items case-insensitively, '-' as ' ', a plural 's' dropped."""
    text = re.sub(r"[\s\-]+", " ", item.strip().lower())
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def items(cell: str | None) -> set[str]:
    return {normal(part) for part in (cell or "").split(", ") if part.strip()}


@pytest.fixture(scope="module")
def table(store):
    backend = EmbeddedBackend(store)
    result = backend.run(bind(get_query("table-1"), {}))
    assert len(result.bindings) == len(TABLE_1), "one row per project"
    return {
        row["project"]["value"].rsplit("/", 1)[1]: {k: v["value"] for k, v in row.items()} for row in result.bindings
    }


def org_names(store, project: str) -> set[str]:
    found = rows(
        store,
        f"""SELECT ?name WHERE {{ <{ID}project/{project}> oaik:coordinatedBy ?o .
                                                  {{ ?o rdfs:label ?name }} UNION {{ ?o skos:altLabel ?name }} }}""",
    )
    return {r["name"] for r in found}


def platforms(store, project: str) -> set[str]:
    found = rows(store, f"SELECT ?p WHERE {{ <{ID}project/{project}> oaik:usesPlatform ?p }}")
    return {r["p"].rsplit("/", 1)[1] for r in found}


def org_type(store, project: str) -> set[str]:
    found = rows(store, f"SELECT ?t WHERE {{ <{ID}project/{project}> oaik:coordinatedBy/oaik:organizationType ?t }}")
    return {r["t"].rsplit("/", 1)[1] for r in found}


@pytest.mark.parametrize("golden", TABLE_1, ids=PROJECTS)
def test_table_1_row(table, store, golden):
    project = golden["project"]
    assert project in table, f"project:{project} is missing from the rebuilt Table 1"
    row = table[project]
    assert sorted(row.get("interviewees", "").split(", ")) == sorted(golden["interviewees"])
    names = org_names(store, project)
    for name in golden["organizations"]:
        assert name in names, f"organisation {name!r} (labels found: {sorted(names)})"
    assert golden["type"] in org_type(store, project)
    for column, key in [
        ("base", "baseModels"),
        ("derivative", "derivativeModels"),
        ("software", "software"),
        ("dataset_examples", "datasetExamples"),
        ("other", "otherArtifacts"),
    ]:
        assert items(row.get(key)) == {normal(i) for i in golden[column]}, f"{column}: {row.get(key)!r}"
    expected_count = golden["datasets"]
    assert (int(row["datasetCount"]) if row.get("datasetCount") is not None else None) == expected_count
    assert platforms(store, project) >= set(golden["platforms"])
