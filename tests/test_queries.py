"""Canned queries: every query parses and runs; results match golden answers typed from the paper."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from oaik.query import canned
from oaik.query.backends import EmbeddedBackend
from oaik.query.canned import bind, load_queries

GOLDEN = json.loads((Path(__file__).parent / "golden" / "queries.json").read_text(encoding="utf-8"))
PROJECT = "https://w3id.org/oaik/id/project/"
QUERIES = load_queries()


@pytest.fixture(scope="module")
def backend(store):
    return EmbeddedBackend(store)


def run(backend, name: str, **params) -> list[dict[str, str]]:
    """A canned query's rows as {variable: value} (IRIs in full, literals as text), as `oaik query` gets them."""
    result = canned.run(QUERIES[name], params, backend)
    return [{var: row[var]["value"] for var in row} for row in result.bindings]


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def test_there_are_at_least_15_queries():
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_documented(name):
    query = QUERIES[name]
    assert query.summary and len(query.summary) < 120, "a one-line #+ summary"
    assert len(query.description) > 60, "a #+ description that states the research question"
    assert query.tags, "#+ tags"
    for param in query.params:
        assert param.name in query.description, f"the description explains the parameter {param.name}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_returns_rows(backend, name):
    assert run(backend, name), f"{name} returned no rows on the shipped graph"


def test_onramp_matrix_matches_figures_2_to_7(backend):
    cells = {f"{r['stageLabel']}|{r['domainLabel']}": int(r["onramps"]) for r in run(backend, "onramp-matrix")}
    expected = {k: v for k, v in GOLDEN["onramps_per_cell"].items() if not k.startswith("_")}
    assert cells == expected
    assert sum(cells.values()) == 44


def test_every_onramp_has_a_collaboration_example(store):
    from conftest import rows

    empty = rows(
        store,
        """
        SELECT ?onramp WHERE {
          ?onramp skos:inScheme <https://w3id.org/oaik/vocab/onramp> .
          FILTER NOT EXISTS { ?c oaik:onRamp ?onramp }
        }""",
    )
    assert not empty, f"on-ramps with no collaboration recorded: {[slug(r['onramp']) for r in empty]}"


def test_challenges_by_stage(backend):
    per_stage = defaultdict(int)
    for row in run(backend, "challenges-by-stage"):
        per_stage[row["stageLabel"]] += 1
    expected = {k: v for k, v in GOLDEN["challenges_per_stage"].items() if not k.startswith("_") and v}
    assert dict(per_stage) == expected


def test_stated_governance_models(backend):
    stated = defaultdict(set)
    for row in run(backend, "projects-by-governance-model"):
        if row["status"] == "stated":
            stated[slug(row["project"])].add(row["modelLabel"])

    expected = {k: v for k, v in GOLDEN["stated_governance"].items() if not k.startswith("_")}
    labels = _concept_labels(backend, "governance")
    assert {p: stated.get(p, set()) for p in expected} == {p: {labels[m] for m in ms} for p, ms in expected.items()}
    unstated = set(stated) - set(expected)
    assert not unstated, f"the paper states no governance model for {sorted(unstated)}"


def test_aya_governance_conflict_is_recorded(backend):
    rows = [r for r in run(backend, "projects-by-governance-model") if slug(r["project"]) == "cohere-labs"]
    conflicting_sections = {r["section"] for r in rows if r["conflicting"] == "yes"}
    assert set(GOLDEN["governance_conflicts"]["cohere-labs"]) <= conflicting_sections


def test_projects_per_motivation_match_section_6(backend):
    found = defaultdict(set)
    for row in run(backend, "motivations-per-project"):
        if row["status"] == "stated":
            found[slug(row["motivation"])].add(slug(row["project"]))
    expected = {k: set(v) for k, v in GOLDEN["motivations"].items() if not k.startswith("_")}
    assert dict(found) == expected


def test_figure_8_counts(backend):
    counts = {slug(r["motivation"]): int(r["statedProjects"]) for r in run(backend, "projects-per-motivation")}
    expected = {k: len(v) for k, v in GOLDEN["motivations"].items() if not k.startswith("_")}
    assert counts == expected


def test_grassroots_compute_partnerships(backend):
    rows = run(backend, "grassroots-compute-partnerships")
    found = {(slug(r["project"]), r["kindLabel"], r["providerLabel"]) for r in rows}
    grassroots = set(GOLDEN["grassroots_projects"]["stated"]) | {"masakhane"}
    kinds = _concept_labels(backend, "computekind")
    for project, kind, provider in GOLDEN["compute_partnerships"]["rows"]:
        if project in grassroots:
            assert any(
                p == project and k == kinds[kind] and provider.lower() in name.lower() for p, k, name in found
            ), (project, kind, provider)
    assert {p for p, _, _ in found} <= grassroots


def test_compute_providers(backend):
    rows = run(backend, "compute-providers")
    kinds = _concept_labels(backend, "computekind")
    for project, kind, provider in GOLDEN["compute_partnerships"]["rows"]:
        assert any(
            r.get("kindLabel") == kinds[kind]
            and provider.lower() in r["providerLabel"].lower()
            and _project_label_matches(backend, project, r.get("projectLabel", ""))
            for r in rows
        ), (project, kind, provider)


def test_publicly_funded_projects(backend):
    found = {slug(r["project"]) for r in run(backend, "publicly-funded-projects")}
    assert found == set(GOLDEN["publicly_funded"]["projects"])


def test_language_representation(backend):
    rows = {slug(r["project"]): r for r in run(backend, "language-representation")}
    assert set(rows) == set(GOLDEN["motivations"]["language-representation"])
    for project, count in GOLDEN["language_counts"].items():
        if not project.startswith("_"):
            assert int(rows[project].get("languageCount", 0)) == count, project
    assert all(r.get("languages") for r in rows.values()), "every such project names its target languages"


def test_derivatives_of_llama(backend):
    found = {r["derivativeLabel"] for r in run(backend, "derivatives-of")}
    assert set(GOLDEN["llama_derivatives"]["must_include"]) <= found


def test_collaborators_of_eleutherai(backend):
    found = {r["partnerLabel"] for r in run(backend, "collaborators-of")}
    assert set(GOLDEN["eleutherai_collaborators"]["must_include"]) <= found


def test_collaborators_of_takes_a_curie(backend):
    found = {r["partnerLabel"] for r in run(backend, "collaborators-of", organization="organization:synthlabs")}
    assert "EleutherAI" in found


def test_evidence_for_public_supercomputing(backend):
    quotes = " ".join(r["quote"] for r in run(backend, "evidence-for-onramp"))
    for name in GOLDEN["supercomputing_quotes"]["must_mention"]:
        assert name in quotes


def test_community_figures(backend, store):
    from conftest import rows

    stats = rows(
        store,
        """
        SELECT ?project ?metric ?value WHERE {
          ?s a oaik:Statistic ; oaik:metric ?metric ; oaik:value ?value ; oaik:about ?about .
          { ?about a oaik:Project . BIND(?about AS ?project) }
          UNION { ?project oaik:coordinatedBy ?about }
          UNION { ?about oaik:outputOf ?project }
          UNION { ?project oaik:baseModel|oaik:derivativeModel ?about }
          ?project a oaik:Project .
        }""",
    )
    found = {(slug(s["project"]), slug(s["metric"]), int(s["value"])) for s in stats}
    missing = [tuple(r) for r in GOLDEN["figures"]["rows"] if tuple(r) not in found]
    assert not missing, f"figures from the paper not in the graph: {missing}"
    assert run(backend, "community-figures", metric="metric:gpu-hours")


def test_conflicting_claims(backend):
    about = {r["aboutLabel"] for r in run(backend, "conflicting-claims")}
    for label in GOLDEN["conflicts"]["about_must_include"]:
        assert any(label in a for a in about), label
    aya = [
        r
        for r in run(backend, "conflicting-claims")
        if {"7.1.3", "8.1"} <= set(r["section"].split(", ")) | set(r["otherSection"].split(", "))
    ]
    assert aya, "the Aya governance conflict (§7.1.3 vs §8.1)"


def test_artifacts_by_license(backend):
    pairs = {(r["artifactLabel"], r["licenseLabel"]) for r in run(backend, "artifacts-by-license")}
    for artifact, license in GOLDEN["licenses"]["pairs"]:
        assert any(a == artifact and license in label for a, label in pairs), (artifact, license)


def test_platform_usage_covers_table_1(backend):
    table = json.loads((Path(__file__).parent / "golden" / "table1.json").read_text(encoding="utf-8"))["rows"]
    expected = defaultdict(set)
    for row in table:
        for platform in row["platforms"]:
            expected[platform].add(row["project"])
    found = {slug(r["platform"]): r for r in run(backend, "platform-usage")}
    for platform, projects in expected.items():
        assert platform in found, platform
        assert int(found[platform]["projects"]) >= len(projects), platform


def _concept_labels(backend, scheme: str) -> dict[str, str]:
    result = backend.run(
        f"SELECT ?c ?l WHERE {{ ?c <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/oaik/vocab/{scheme}> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    )
    return {slug(r["c"]["value"]): r["l"]["value"] for r in result.bindings}


def _project_label_matches(backend, project: str, label: str) -> bool:
    result = backend.run(f"SELECT ?l WHERE {{ <{PROJECT}{project}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}")
    return any(r["l"]["value"] == label for r in result.bindings)


# --- parameters are bound as terms, never pasted ------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
        "> . ?s ?p ?o",
        "<https://w3id.org/oaik/id/org/eleutherai>",
        'x" } UNION { ?a ?b ?c',
    ],
)
def test_injection_attempts_fail_safely(backend, value):
    from oaik.errors import OaikError

    try:
        text = bind(QUERIES["collaborators-of"], {"organization": value})
    except OaikError as error:
        assert "not a valid IRI" in str(error)
        return
    assert run(backend, "collaborators-of", organization=value) == [] or "DROP" not in text.split("VALUES", 1)[0]


def test_a_literal_parameter_cannot_escape_its_quotes():
    from oaik.query.canned import CannedQuery, Param

    query = CannedQuery(
        "t", Path("t.rq"), "SELECT ?s WHERE { ?s ?p ?_name }", params=(Param("name", "_name", "literal", True),)
    )
    text = bind(query, {"name": '"} ; DROP ALL #'})
    values = re.search(r"VALUES \(\?_name\) \{ \((.*)\) \}", text).group(1)
    assert values == '"\\"} ; DROP ALL #"'


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header_reader_agrees_with_pyyaml(name):
    """oaik reads the grlc '#+' subset itself (fast); it must mean what YAML means."""
    import yaml

    from oaik.query.canned import _header

    text = QUERIES[name].text
    lines = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    assert _header(text, QUERIES[name].path) == yaml.safe_load("\n".join(lines))


def test_inferred_motivations_are_marked(backend):
    inferred = {
        (slug(r["project"]), slug(r["motivation"]))
        for r in run(backend, "motivations-per-project")
        if r["status"] == "inferred"
    }
    assert ("ai2", "knowledge-sharing") in inferred


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_ten_runs_give_identical_bytes(name, store):
    """Each canned query, run ten times (a fresh engine query each time), prints the same bytes in every format."""
    from oaik.query.results import FORMATS, render

    outputs = set()
    for _ in range(10):
        result = canned.run(QUERIES[name], {}, EmbeddedBackend(store))
        outputs.add(tuple(render(result, fmt) for fmt in FORMATS))
    assert len(outputs) == 1, f"{name}: {len(outputs)} different outputs in 10 runs"


def test_concatenated_cells_are_sorted_whatever_the_engine_order():
    """GROUP_CONCAT items come back in engine order; `oaik query` sorts them (I2 before I10) and keeps the separator."""
    from oaik.query.backends import QueryResult

    text, separators = canned.concatenations(
        'SELECT ?p (GROUP_CONCAT(DISTINCT ?l; separator=", ") AS ?ls) (GROUP_CONCAT(?m) AS ?ms) WHERE { ?p ?q ?l } GROUP BY ?p'
    )
    assert separators == {"ls": ", ", "ms": " "}
    assert text.count(canned.UNIT_SEPARATOR) == 2
    cells = ["I10\x1fI2\x1fAI Lab, National Library of Norway", "I2\x1fAI Lab, National Library of Norway\x1fI10"]
    rendered = set()
    for cell in cells:
        binding = {"ls": {"type": "literal", "value": cell, "xml:lang": "en"}, "ms": {"type": "literal", "value": ""}}
        result = QueryResult("SELECT", json={"head": {"vars": ["ls", "ms"]}, "results": {"bindings": [binding]}})
        ordered = canned.order_concatenations(result, separators)
        rendered.add(json.dumps(ordered.json["results"]["bindings"]))
    assert rendered == {
        json.dumps([{"ls": {"type": "literal", "value": "AI Lab, National Library of Norway, I2, I10"}}])
    }


# ---------------------------------------------------------------------------
# Messages a new user meets
# ---------------------------------------------------------------------------


def oaik(capsys, *args: str) -> tuple[int, str, str]:
    """Run `oaik` in-process: (exit code, stdout, stderr)."""
    from oaik.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_iri_naming_nothing_warns_with_the_closest_iris(capsys):
    code, out, err = oaik(capsys, "query", "collaborators-of", "--param", "organization=organization:eleuther")
    assert code == 0 and "(0 rows)" in out
    assert err.startswith("warning: --param organization=organization:eleuther names nothing in the graph")
    assert "Closest: organization:eleutherai" in err and err.count("\n") == 1
    code, out, err = oaik(capsys, "query", "collaborators-of", "--param", "organization=organization:hugging-face")
    assert code == 0 and err == "", "an IRI that exists gets no warning"


def test_an_undeclared_prefix_is_one_sentence_with_its_line(capsys):
    code, out, err = oaik(capsys, "sparql", "SELECT * WHERE {\n  ?s oak:label ?o }")
    assert code == 2 and out == ""
    assert err.startswith("oaik: error: the prefix oak: at line 2, column 6 is not declared. Did you mean oaik:")
    assert "\n" not in err.strip() and "u{" not in err


def test_a_one_line_query_error_is_at_line_1(store):
    """OAIK's prefixes are declared in front of the query; the error's line counts from the query as written."""
    from oaik.errors import OaikError

    with pytest.raises(OaikError) as raised:
        EmbeddedBackend(store).run("SELECT * WHERE { ?s rdfs:label ?o FILTER(?o > ) }")
    message = str(raised.value)
    assert message.startswith("SPARQL syntax error at line 1, column ") and "\n" not in message
    assert "u{" not in message, "no dump of Unicode ranges"


def test_construct_as_json_is_json_ld_and_tabular_formats_are_refused(capsys):
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    query = "CONSTRUCT { ?p a oaik:Project ; rdfs:label ?l } WHERE { ?p a oaik:Project ; rdfs:label ?l }"
    code, out, err = oaik(capsys, "sparql", "--format", "json", query)
    assert code == 0, err
    document = json.loads(out)
    assert isinstance(document["@context"][0], dict), "the context is embedded"
    nquads = pyld.to_rdf(document, {"format": "application/n-quads"})
    assert len(list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))) == 28
    code, out, _ = oaik(capsys, "sparql", query)
    assert code == 0 and len(out.strip().splitlines()) == 28, "N-Triples by default"
    for fmt in ("csv", "tsv", "table", "md"):
        code, out, err = oaik(capsys, "sparql", "--format", fmt, query)
        assert code == 2 and out == "" and f"--format {fmt} lays out rows, but a CONSTRUCT query" in err


def test_queries_listing_and_its_json_agree_on_required(capsys):
    code, out, _ = oaik(capsys, "queries", "--format", "json")
    assert code == 0
    listed = {q["name"]: q for q in json.loads(out)}
    code, text, _ = oaik(capsys, "queries")
    assert code == 0
    for name, query in listed.items():
        block = text.split(f"\n{name}\n", 1)[-1] if not text.startswith(f"{name}\n") else text[len(name) :]
        for param in query["parameters"]:
            line = next(line for line in block.splitlines() if f"--param {param['name']}=" in line)
            need = "required" if param["required"] else "optional"
            assert f", {need}" in line, f"{name}: {line!r} vs JSON required={param['required']}"


def test_a_comment_never_turns_a_remote_query_into_an_update():
    """SPARQLWrapper guessed 'ADD' from a comment (with a §) and sent `update=`; the query must go as `query=`."""
    import urllib.parse

    from servers import recorder

    from oaik.errors import OaikError
    from oaik.query.backends import RemoteBackend

    with recorder(lambda request: (200, b"not JSON", 0)) as server:
        with pytest.raises(OaikError, match="did not answer with SPARQL JSON results"):
            RemoteBackend(f"{server.url}/query", None).run(
                "# which query\n# (interviewees added purposively, §4.2.1)\nSELECT ?s WHERE { ?s ?p ?o }"
            )
        sent = urllib.parse.parse_qs(server.requests[0]["body"].decode("utf-8"))
    assert "query" in sent and "update" not in sent


# --- remote endpoints: http(s) only, never with credentials, answers parsed -----------------------

SECRET_URL = "http://user:s3cr3t@127.0.0.1:9/sparql"


@pytest.mark.parametrize("command", [["sparql", "ASK {}"], ["query", "table-1"]])
@pytest.mark.parametrize("given", ["option", "environment"])
def test_credentials_in_a_query_endpoint_are_refused_and_never_printed(capsys, monkeypatch, command, given):
    """The password was printed back ("cannot reach the endpoint http://user:s3cr3t@…"), and `user:s3cr3t@127.0.0.1`
    went to the resolver as a host name."""
    if given == "option":
        command = [*command, "--endpoint", SECRET_URL]
    else:
        monkeypatch.setenv("OAIK_ENDPOINT", SECRET_URL)
    code, out, err = oaik(capsys, *command)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "s3cr3t" not in err and "do not put credentials in the URL" in err and "***@127.0.0.1" in err


@pytest.mark.parametrize(
    "endpoint", ["file:///etc/passwd", "ftp://127.0.0.1/sparql", "sparql", "http:///sparql", "http://127.0.0.1:99999/x"]
)
def test_a_query_endpoint_must_be_an_http_url(capsys, endpoint):
    """`--endpoint file:///etc/passwd` printed the file (sorted) and exited 0."""
    code, out, err = oaik(capsys, "sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", endpoint)
    assert code == 2 and out == "" and "root:" not in err and len(err.strip().splitlines()) == 1
    assert "http(s) URL" in err or "is not a valid URL" in err


NT = "application/n-triples"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<urn:a> <urn:b> <urn:c> .\n", NT, "<urn:a> <urn:b> <urn:c> ."),
        (b"@prefix u: <urn:> . u:a u:b 'c' .", "text/turtle; charset=utf-8", '<urn:a> <urn:b> "c" .'),
        (b"root:x:0:0:root:/root:/bin/bash\n", NT, "did not answer with RDF"),
        (b"<html>no</html>", "text/html", "did not answer with RDF"),
    ],
    ids=["n-triples", "turtle", "not-rdf", "html"],
)
def test_a_construct_answer_is_parsed_as_rdf(capsys, body, content_type, expected):
    """A CONSTRUCT answer was printed as it came, whatever it was."""
    from servers import recorder

    with recorder(lambda request: (200, body, 0, content_type)) as server:
        code, out, err = oaik(capsys, "sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--endpoint", f"{server.url}/q")
    if expected.startswith("<"):
        assert code == 0 and out.strip() == expected, err
    else:
        assert code == 2 and expected in err and "root:" not in err and out == ""


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"head": {"vars": ["s"]}, "results": 5}', "application/sparql-results+json"),
        (b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": "x"}]}}', "application/sparql-results+json"),
        (b"root:x:0:0:root:/root:/bin/bash\n", "text/plain"),
    ],
    ids=["results-not-an-object", "binding-not-a-term", "not-json"],
)
def test_a_select_answer_that_is_not_sparql_json_results_is_refused_without_warnings(capsys, body, content_type):
    """A malformed answer was an internal error, and SPARQLWrapper's RuntimeWarning reached stderr."""
    import warnings

    from servers import recorder

    with recorder(lambda request: (200, body, 0, content_type)) as server, warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escapes becomes an exception: exit 70
        code, out, err = oaik(capsys, "sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", f"{server.url}/q")
    assert code == 2 and "did not answer with SPARQL JSON results" in err and out == ""


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_class_membership_includes_subclasses(name):
    """`?x a oaik:Collaboration` misses compute partnerships: canned queries use rdf:type/rdfs:subClassOf*."""
    from oaik.query.sparql_text import tokenize

    tokens = tokenize(QUERIES[name].text)
    bare = [
        f"{tokens[i - 1].text} a {tokens[i + 1].text}"
        for i in range(1, len(tokens) - 1)
        if tokens[i].kind == "word" and tokens[i].text == "a" and tokens[i + 1].kind == "pname"
    ]
    assert not bare, f"queries/{name}.rq: write `?x rdf:type/rdfs:subClassOf* C` instead of {bare}"


def _misplaced_patterns(query_text: str) -> list[str]:
    """Required patterns written after an OPTIONAL or BIND of the same group, in rdflib's parse tree."""
    from rdflib.plugins.sparql.parser import parseQuery

    from oaik.query.sparql_text import _walk

    found = []
    for node in _walk(parseQuery(query_text)):
        if node.name == "GroupGraphPatternSub":
            seen = None
            for part in node.get("part") or []:
                if part.name in ("OptionalGraphPattern", "Bind"):
                    seen = seen or part.name
                elif seen and part.name in ("TriplesBlock", "GroupOrUnionGraphPattern"):
                    found.append(f"{part.name} after {seen}")
    return found


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_required_patterns_come_before_optional_and_bind(name):
    """Oxigraph joins a group's parts in the order written: a required pattern after an OPTIONAL or BIND
    made queries take seconds to minutes at 400K triples (docs/performance.md). Keep them first."""
    assert _misplaced_patterns(QUERIES[name].text) == []


def test_the_pattern_order_check_finds_a_misplaced_pattern():
    text = "SELECT * { ?s ?p ?o OPTIONAL { ?s <urn:x> ?x } ?o <urn:y> ?y }"
    assert _misplaced_patterns(text) == ["TriplesBlock after OptionalGraphPattern"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_language_tagged_values_are_ordered_by_their_text(name, backend):
    """SPARQL 1.1 defines no order between language-tagged literals (`<` is not defined on them), so an
    engine may order them as it likes (Virtuoso 7.2.5 put "… on Crystal"@en before "… on Conversational
    …"@en). Every ORDER BY key that holds such a literal in the answers is written STR(?key)."""
    order = re.search(r"^ORDER BY (.*)$", QUERIES[name].text, re.M)
    if order is None:
        pytest.skip(f"{name} has no ORDER BY")
    keys = re.findall(r"(STR\()?\?(\w+)", order.group(1))
    rows = backend.run(bind(QUERIES[name], {})).bindings
    bare = [key for wrapped, key in keys if not wrapped and any("xml:lang" in row.get(key, {}) for row in rows)]
    assert bare == [], f"{name}: ORDER BY {', '.join('?' + k for k in bare)} without STR()"


BLANK_CONSTRUCT = (
    "CONSTRUCT { ?c oaik:participation ?p . ?p ?x ?y } WHERE { ?c oaik:participation ?p . ?p ?x ?y } ORDER BY ?c"
)
BLANK_SELECT = "SELECT ?c ?p WHERE { ?c oaik:participation ?p ; rdfs:label ?l } ORDER BY ?l ?c LIMIT 20"


@pytest.mark.parametrize("fmt", [None, "json"], ids=["n-triples", "json-ld"])
def test_a_graph_answer_is_a_set_printed_the_same_by_any_store(capsys, monkeypatch, fmt):
    """A CONSTRUCT answers with a set of triples: each printed once, blank nodes named canonically, in one order,
    whichever store answers (each names blank nodes its own way)."""
    options = ["--format", fmt] if fmt else []
    code, on_disk, err = oaik(capsys, "sparql", *options, BLANK_CONSTRUCT)
    assert code == 0, err
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    code, in_memory, err = oaik(capsys, "sparql", *options, BLANK_CONSTRUCT)
    assert code == 0, err
    assert on_disk == in_memory
    if fmt is None:
        lines = on_disk.strip().splitlines()
        assert len(lines) == len(set(lines)) > 100
        assert any(line.startswith("_:b") for line in lines)


def test_a_printed_graph_is_the_graph_the_store_answers(capsys, store):
    """Read back by rdflib, the canonical N-Triples are isomorphic to what Oxigraph answers (with its repeats)."""
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from oaik.query.backends import with_prefixes

    code, printed, err = oaik(capsys, "sparql", BLANK_CONSTRUCT)
    assert code == 0, err
    answered = ox.serialize(store.query(with_prefixes(BLANK_CONSTRUCT)), format=ox.RdfFormat.N_TRIPLES)
    assert answered.count(b"\n") > len(printed.strip().splitlines()), "the store repeats triples"
    assert isomorphic(Graph().parse(data=printed, format="nt"), Graph().parse(data=answered, format="nt"))


@pytest.mark.parametrize("fmt", ["table", "json"])  # the other formats print the same cells as the table
def test_blank_nodes_in_rows_are_named_in_the_order_they_appear(capsys, monkeypatch, fmt):
    code, on_disk, err = oaik(capsys, "sparql", "--format", fmt, BLANK_SELECT)
    assert code == 0, err
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    code, in_memory, err = oaik(capsys, "sparql", "--format", fmt, BLANK_SELECT)
    assert code == 0, err
    assert on_disk == in_memory
    assert "b0" in on_disk and "b19" in on_disk and "b20" not in on_disk
