"""Every canned query gives the same rows on four engines: embedded pyoxigraph, an Oxigraph
server, Apache Jena ARQ and Virtuoso (the last three loaded with the same graph).

Parametrised over every file in queries/, so new queries are covered
automatically; each query runs with its ``#+ defaults``. Rows are compared
exactly (values, datatypes, language tags), after the two normalisations
any SPARQL client makes: ``"typed-literal"`` (SPARQL 1.0 JSON, Virtuoso) is
a literal, and ``xsd:string`` is a simple literal (RDF 1.1). Differences that
are an engine's bug, not ours, are listed in :data:`KNOWN_ENGINE_BUGS` (and in
the README) with the engine's version; the test then asserts the bug is
still there, so the list cannot go stale.

Engines that are not installed or cannot start are skipped with the reason.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from engines import arq_batch, isql, jena_classpath, jena_version, virtuoso, virtuoso_version
from servers import oxigraph_binary, oxigraph_server

from oaik.query import canned
from oaik.query.backends import DEFAULT_GRAPH, EmbeddedBackend, RemoteBackend

QUERIES = canned.load_queries()
ENGINES = ["oxigraph-server", "jena", "virtuoso"]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: (engine, query) -> why the engine's answer differs (an engine bug, with its version).
KNOWN_ENGINE_BUGS: dict[tuple[str, str], str] = {}


def engine_text(name: str) -> str:
    """The query as sent to any engine: defaults bound, GROUP_CONCAT joining with U+001F."""
    query = QUERIES[name]
    missing = [p.name for p in query.params if p.required and p.default is None]
    assert not missing, f"queries/{name}.rq: give {missing} a '#+ defaults:' value so every engine can run it"
    return canned.concatenations(canned.bind(query, {}))[0]


def finish(name: str, result):
    """What `oaik query` prints from, as comparable rows: concatenations ordered, terms normalised."""
    separators = canned.concatenations(QUERIES[name].text)[1]
    result = canned.order_concatenations(result, separators)
    if result.json is None:
        return ("graph", result.ntriples)
    if "boolean" in result.json:
        return ("boolean", result.json["boolean"])
    names = result.variables
    rows = [tuple(normal(binding.get(var)) for var in names) for binding in result.bindings]
    return ("rows", tuple(names), rows)


def normal(term: dict | None):
    if term is None:
        return None
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    if kind == "bnode":
        return ("bnode",)
    datatype = term.get("datatype")
    return (kind, term["value"], None if datatype == _XSD_STRING else datatype, term.get("xml:lang"))


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    """The graph `oaik push` sends (ontology, vocabularies, data) as N-Triples."""
    from oaik.publish.push import graph_body

    path = tmp_path_factory.mktemp("graph") / "oaik.nt"
    path.write_bytes(graph_body()[0])
    return path


@pytest.fixture(scope="module")
def embedded(store):
    backend = EmbeddedBackend(store)
    return {name: finish(name, backend.run(engine_text(name))) for name in QUERIES}


@pytest.fixture(scope="module")
def answers(request, graph_file, tmp_path_factory):
    """engine -> {query name -> finished result or the exception}; None with a reason when it cannot run."""
    found: dict[str, dict | str] = {}
    workdir = tmp_path_factory.mktemp("engines")
    found["oxigraph-server"] = _oxigraph(workdir)
    found["jena"] = _jena(graph_file, workdir)
    found["virtuoso"] = _virtuoso(graph_file, workdir)
    return found


def _remote_answers(endpoint: str) -> dict:
    backend = RemoteBackend(endpoint, DEFAULT_GRAPH, timeout=120)
    out: dict = {}
    for name in QUERIES:
        try:
            out[name] = finish(name, backend.run(engine_text(name)))
        except Exception as error:  # an engine error is a finding to report, not a crash
            out[name] = error
    return out


def _oxigraph(workdir: Path) -> dict | str:
    from oaik.publish.push import push

    binary = oxigraph_binary()
    if binary is None:
        return "the Oxigraph server is not installed (pip install '.[test]' provides `oxigraph`)"
    with oxigraph_server(binary, workdir / "oxigraph") as base:
        push(f"{base}/store")
        return _remote_answers(f"{base}/query")


def _jena(graph_file: Path, workdir: Path) -> dict | str:
    classpath, why = jena_classpath(workdir)
    if classpath is None:
        return why
    if shutil.which("javac") is None:
        return "the JDK is not installed (javac runs tests/jena/QueryBatch.java; apt-get install default-jdk-headless)"
    texts = {f"{name}.rq": engine_text(name) for name in QUERIES}
    results = arq_batch(classpath, graph_file, texts, workdir)
    from oaik.query.backends import QueryResult
    from oaik.query.sparql_text import query_form

    out: dict = {}
    for name in QUERIES:
        raw = results[f"{name}.rq"]
        form = query_form(QUERIES[name].text)
        if isinstance(raw, Exception):
            out[name] = raw
        elif isinstance(raw, str):
            out[name] = finish(name, QueryResult(form, ntriples=raw))
        else:
            out[name] = finish(name, QueryResult(form, json=raw))
    return out


def _virtuoso(graph_file: Path, workdir: Path) -> dict | str:
    from oaik.publish.push import push

    try:
        with virtuoso(workdir) as (endpoint, sql_port):
            # let the anonymous SPARQL user write through the Graph Store endpoint, so `oaik push` loads it
            isql(sql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";')
            isql(sql_port, "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")
            push(endpoint.replace("/sparql", "/sparql-graph-crud"))
            return _remote_answers(endpoint)
    except (FileNotFoundError, RuntimeError) as error:
        return str(error)


def _engine(answers, engine: str) -> dict:
    found = answers[engine]
    if isinstance(found, str):
        pytest.skip(f"{engine}: {found}")
    return found


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_engine_gives_the_same_rows(engine, name, answers, embedded):
    got = _engine(answers, engine)[name]
    expected = embedded[name]
    bug = KNOWN_ENGINE_BUGS.get((engine, name))
    if bug is not None:
        assert got != expected, f"{engine} now agrees on {name}: remove it from KNOWN_ENGINE_BUGS and the README"
        pytest.xfail(bug)
    assert not isinstance(got, Exception), f"{engine} failed on {name}: {got}"
    assert got[:2] == expected[:2], f"{engine}: {name} has another shape"
    if got[0] == "rows":
        lost = Counter(expected[2]) - Counter(got[2])
        gained = Counter(got[2]) - Counter(expected[2])
        assert not lost and not gained, (
            f"{engine} differs on {name}: {sum(lost.values())} rows only embedded, e.g. {list(lost)[:2]}; "
            f"{sum(gained.values())} only {engine}, e.g. {list(gained)[:2]}"
        )
        assert got[2] == expected[2], f"{engine}: {name} has the same rows in another order"


def test_engine_versions_are_the_ones_the_readme_lists(answers):
    """The README's table of engine differences names the versions tested here."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    if not isinstance(answers["jena"], str):
        assert f"Jena ARQ {jena_version()}" in readme
    if not isinstance(answers["virtuoso"], str):
        assert f"Virtuoso {virtuoso_version().split('-')[0]}" in readme
