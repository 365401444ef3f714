"""Issue 12's model: canned queries answer questions about the paper as typed in tests/golden/model.json.

Also regression tests for the errors the issue lists, each pinned to the node
that was wrong, and checks that the shapes of shapes/model.ttl catch the
mistakes they are written for.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from oaik.namespaces import compact
from oaik.query.backends import EmbeddedBackend
from oaik.query.canned import bind, load_queries

GOLDEN = json.loads((Path(__file__).parent / "golden" / "model.json").read_text(encoding="utf-8"))
QUESTIONS = {q["id"]: q for q in GOLDEN["questions"]}
QUERIES = load_queries()


@pytest.fixture(scope="module")
def backend(store):
    return EmbeddedBackend(store)


def answer(backend, question: dict) -> list[dict[str, str]]:
    """The query's rows, values compacted (IRIs to prefix:local, literals as text, unbound as '')."""
    result = backend.run(bind(QUERIES[question["query"]], question["params"]))
    rows = []
    for row in result.bindings:
        values = {}
        for var, term in row.items():
            values[var] = compact(term["value"]) if term["type"] == "uri" else term["value"]
        rows.append(values)
    return rows


def selected(rows: list[dict[str, str]], question: dict) -> set[tuple[str, ...]]:
    """The question's columns of the rows that pass its filter, as a set of tuples."""
    keep = question.get("filter", {})
    out = set()
    for row in rows:
        if any(row.get(column, "") not in allowed for column, allowed in keep.items()):
            continue
        values = tuple(row.get(column, "") for column in question["columns"])
        if question.get("drop_empty") and "" in values:
            continue
        out.add(values)
    return out


def test_at_least_15_golden_questions():
    assert len(QUESTIONS) >= 15
    assert all(q["sections"] and q["question"] for q in QUESTIONS.values())


@pytest.mark.parametrize("qid", sorted(q for q in QUESTIONS if "rows" in QUESTIONS[q]))
def test_golden_rows(backend, qid):
    question = QUESTIONS[qid]
    expected = {tuple(row) for row in question["rows"]}
    assert selected(answer(backend, question), question) == expected


def test_recommendations_per_stakeholder(backend):
    question = QUESTIONS["recommendations-per-stakeholder"]
    counts = Counter(row[question["count_by"]] for row in answer(backend, question))
    assert dict(counts) == question["counts"]
    assert sum(counts.values()) == 21


@pytest.mark.parametrize("name", sorted({q["query"] for q in QUESTIONS.values()}))
def test_golden_queries_are_deterministic(backend, name):
    """Same bindings in the same order on every run (ORDER BY covers every column)."""
    text = bind(QUERIES[name], {})
    first = [dict(row) for row in backend.run(text).bindings]
    second = [dict(row) for row in backend.run(text).bindings]
    assert first == second and first


# ---------------------------------------------------------------------------
# Regression tests for the errors issue 12 lists
# ---------------------------------------------------------------------------

ID = "https://w3id.org/oaik/id/"
OAIK = "https://w3id.org/oaik/ns#"


def objects(store, subject: str, predicate: str) -> set[str]:
    import pyoxigraph as ox

    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None)}


def test_intel_and_amd_do_not_provide_lumi(store):
    vendor = f"{ID}collab/eleutherai-intel-amd-compute"
    assert f"{ID}infra/lumi" not in objects(store, vendor, f"{OAIK}computeInfrastructure")
    assert any("Lumi" in note for note in objects(store, vendor, f"{OAIK}curatorNote"))
    assert objects(store, f"{ID}infra/lumi", f"{OAIK}infrastructureKind") == {
        "https://w3id.org/oaik/vocab/infrakind/public-supercomputer"
    }


def test_summit_compute_went_to_mila_and_laion_under_a_grant(backend):
    rows = answer(backend, {"query": "compute-partnerships-by-mechanism", "params": {}})
    summit = {(r["beneficiary"], r["mechanism"]) for r in rows if r.get("source") == "infra:summit"}
    assert summit == {("organization:mila", "mechanism:grant"), ("organization:laion", "mechanism:grant")}


def test_frontier_lumi_barcelona_have_a_kind(store):
    for slug in ("frontier", "lumi", "university-of-barcelona-supercomputer"):
        assert objects(store, f"{ID}infra/{slug}", f"{OAIK}infrastructureKind"), slug


@pytest.mark.parametrize(
    ("node", "evidence"),
    [
        ("http://spdx.org/licenses/MIT", "shared-5-3-3-modalities-mit"),
        (f"{ID}collab/ai-singapore-developer-advocacy-feedback", "ai-singapore-7-2-3-early-access"),
        (f"{ID}claim/ai-singapore-governance-7-1-2", "ai-singapore-7-1-2-beyond-agreements"),
        ("http://spdx.org/licenses/CC-BY-4.0", "shared-5-1-2-cc-by-4-0"),
    ],
)
def test_misattached_evidence_is_gone(store, node, evidence):
    assert f"{ID}evidence/{evidence}" not in objects(store, node, f"{OAIK}evidence")


def test_modalities_keeps_its_mit_evidence(store):
    assert f"{ID}evidence/shared-5-3-3-modalities-mit" in objects(store, f"{ID}software/modalities", f"{OAIK}evidence")


def test_i4_general_remark_is_held_by_i4(store):
    claim = f"{ID}claim/bigscience-workshop-motivation-peer-recognition"
    assert objects(store, claim, f"{OAIK}heldBy") == {f"{ID}interviewee/i4"}


def test_vague_quantities_have_no_value(store):
    for slug in ("eleutherai-gpt-neox-production-users", "eleutherai-lm-evaluation-harness-production-users"):
        assert not objects(store, f"{ID}claim/{slug}", f"{OAIK}value"), slug


def test_missing_facts_are_present(store):
    assert objects(store, f"{ID}org/ant-group", f"{OAIK}affiliateOf") == {f"{ID}org/alibaba"}
    assert objects(store, f"{ID}membership/opengpt-x-tu-dresden", "http://www.w3.org/ns/org#member") == {
        f"{ID}org/tu-dresden"
    }
    assert objects(store, f"{ID}project/bigscience-workshop", "https://schema.org/startDate") == {"2021"}
    assert objects(store, f"{ID}model/apertus", f"{OAIK}developedOn") == {f"{ID}infra/cscs-supercomputer"}


# ---------------------------------------------------------------------------
# The shapes of shapes/model.ttl catch what they are written for
# ---------------------------------------------------------------------------

PREFIXES = """
@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix role: <https://w3id.org/oaik/vocab/role/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qualifier: <https://w3id.org/oaik/vocab/qualifier/> . @prefix metric: <https://w3id.org/oaik/vocab/metric/> .
@prefix ex: <https://example.org/> .
"""

ONTOLOGY_FRAGMENT = """
@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
oaik:ComputePartnership rdfs:subClassOf oaik:Collaboration .
"""

BROKEN = {
    "ParticipantNotIntervieweeRule": "ex:p a oaik:Participation ; prov:agent ex:i ; prov:hadRole role:beneficiary . ex:i a oaik:Interviewee .",
    "StatisticValueRule": "ex:s a oaik:Statistic ; oaik:metric metric:users ; oaik:qualifier qualifier:dozens ; oaik:value 24 .",
    "ComputeBeneficiaryRule": "ex:c a oaik:ComputePartnership .",
    "HolderNamedRule": "ex:m a oaik:MotivationClaim ; oaik:evidence ex:e . ex:e a oaik:Evidence ; oaik:interviewee ex:i .",
    "Table1IntervieweeRule": 'ex:e a oaik:Evidence ; oaik:section "Table 1" ; oaik:quote "I3 EleutherAI" .',
}


@pytest.fixture(scope="module")
def model_shapes():
    from rdflib import Graph

    shapes = Path(__file__).resolve().parent.parent / "shapes"
    graph = Graph()
    for name in ("common.ttl", "model.ttl"):
        graph.parse(shapes / name)
    return graph


@pytest.mark.parametrize("shape", sorted(BROKEN))
def test_model_shapes_catch_their_mistake(model_shapes, shape):
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    data = Graph().parse(data=PREFIXES + BROKEN[shape], format="turtle")
    data.parse(data=ONTOLOGY_FRAGMENT, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=model_shapes, advanced=True)
    sources = {str(s) for s in report.objects(None, SH.sourceShape)}
    assert f"https://w3id.org/oaik/shapes#{shape}" in sources, sources
