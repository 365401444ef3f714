"""The command line as a user meets it: help, formats, and one-paragraph errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner


@pytest.fixture(scope="module")
def invoke():
    runner = CliRunner()

    def call(*args: str, input: str | None = None):

        result = runner.invoke(_Main(), list(args), input=input, catch_exceptions=False)
        return result

    return call


class _Main:
    """Make CliRunner go through oaik.cli.main, which turns OaikError into exit code 2."""

    name = "oaik"

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        from oaik.cli import main

        main(list(args or []))


def test_help_lists_the_commands(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("stats", "queries", "query", "sparql"):
        assert command in result.output


def test_version(invoke):
    from oaik import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_queries_lists_summaries_and_parameters(invoke):
    result = invoke("queries")
    assert result.exit_code == 0
    assert "grassroots-compute-partnerships" in result.output
    assert "--param organization=" in result.output
    listed = json.loads(invoke("queries", "--format", "json").output)
    assert {"name", "summary", "description", "tags", "parameters"} <= set(listed[0])


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_query_formats(invoke, fmt):
    result = invoke("query", "grassroots-compute-partnerships", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        assert json.loads(out)["head"]["vars"][0] == "project"
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0][0] == "project" and len(rows) > 1
        assert rows[1][0].startswith("https://w3id.org/oaik/id/project/")
    elif fmt == "md":
        assert out.startswith("| project |")
    else:
        assert "project:" in out and "rows)" in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["query", "no-such-query"], "no canned query named 'no-such-query'"),
        (["query", "grassroots-compute-partnership"], "Did you mean grassroots-compute-partnerships"),
        (["query", "collaborators-of", "--param", "bogus=1"], "has no parameter bogus"),
        (["query", "collaborators-of", "--param", "organization"], "is not KEY=VALUE"),
        (
            ["query", "collaborators-of", "-p", "organization=organization:a", "-p", "organization=organization:b"],
            "--param organization is given more than once",
        ),
        (["serve", "--site", ".", "--no-site"], "--site and --no-site"),
        (["query", "collaborators-of", "--param", "organization=> . ?s ?p ?o"], "not a valid IRI"),
        (["sparql", "SELECT * WHERE { ?s ?p }"], "SPARQL syntax error"),
        (["sparql"], "either as an argument or with --file"),
        (["sparql", "--file", "/nonexistent/q.rq"], "cannot read the query file"),
        (["sparql", "DELETE WHERE { ?s ?p ?o }"], "updates are refused"),
        (["sparql", ""], "the query is empty"),
        (["sparql", "PREFIX ex: <http://example.org/> # and nothing else"], "the query is empty"),
        (["sparql", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"], "FROM <file:///etc/passwd> is refused"),
        (
            ["sparql", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
            "SERVICE <http://example.org/sparql> is refused",
        ),
        (
            ["query", "table-1", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2"],
            "cannot reach the endpoint",
        ),
    ],
)
def test_errors_are_one_paragraph_with_exit_code_2(invoke, args, message):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("oaik: error: ") or result.output.startswith("Usage:") or "Error:" in result.output


def test_sparql_declares_known_prefixes(invoke):
    result = invoke("sparql", "SELECT ?label WHERE { stage:pre-training skos:prefLabel ?label }", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["label", "pre-training"]


def test_sparql_from_stdin(invoke):
    result = invoke("sparql", "--file", "-", "--format", "csv", input="ASK { ?s a oaik:Project }")
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_a_runaway_query_is_stopped(invoke):
    result = invoke("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    assert result.exit_code == 2
    assert "longer than 1 s and was stopped" in result.output


def test_stats_reports_headline_counts(invoke):
    result = invoke("stats", "--format", "json")
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["summary"]["projects"] == 14
    assert stats["summary"]["collaborations"] >= stats["instances"]["oaik:Collaboration"] > 0
    assert stats["summary"]["evidence records"] == stats["instances"]["oaik:Evidence"]
    table = invoke("stats").output
    assert table.splitlines()[0].startswith("triples")


def test_an_internal_error_is_one_paragraph_with_exit_70(monkeypatch, invoke):
    import oaik.query.stats

    monkeypatch.setattr(oaik.query.stats, "graph_stats", lambda store: 1 / 0)
    monkeypatch.delenv("OAIK_DEBUG", raising=False)
    result = invoke("stats")
    assert result.exit_code == 70
    assert "internal error: ZeroDivisionError" in result.output and "Traceback" not in result.output
