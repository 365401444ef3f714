"""The command line as a user meets it: help, formats, and one-paragraph errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass

import pytest

from oaik.cli import COMMANDS


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def invoke(capsys, monkeypatch):
    """Run ``oaik.cli.main`` in this process: exit code (0 when it returns), standard output and error."""

    def call(*args: str, input: str | None = None) -> Result:
        from oaik.cli import main

        if input is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(input.encode("utf-8"))))
        code = 0
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call


def test_help_lists_the_commands(invoke):
    result = invoke("--help")
    assert result.exit_code == 0 and result.stderr == ""
    for name, (_, _, summary) in COMMANDS.items():
        assert f"  {name}  " in result.stdout or f"  {name} " in result.stdout, name
        assert summary.split()[0] in result.stdout
    assert "Exit codes: 0 ok, 1 a check found a problem, 2 usage error" in result.stdout
    assert "70 internal error" in result.stdout


def test_help_imports_no_command_module():
    """`oaik --help` lists the commands from the table in oaik.cli: no command module (nor click) is imported."""
    code = (
        "import sys\n"
        "from oaik.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exit_:\n"
        "    assert exit_.code == 0, exit_.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('oaik.commands') or m.startswith('click')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "validate" in done.stdout and "Exit codes:" in done.stdout


def test_no_command_prints_the_help_with_exit_2(invoke):
    result = invoke()
    assert result.exit_code == 2 and result.stdout == ""
    assert "usage: oaik" in result.stderr and "store" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "x", "--timeout", "0"], "argument --timeout: 0 is not in the range x>=0.1"),
        (["query", "x", "--timeout", "soon"], "argument --timeout: 'soon' is not a number"),
        (["sparql", "ASK {}", "--memory", "1"], "argument --memory: 1 is not in the range x>=64"),
        (["serve", "--port", "70000"], "argument --port: 70000 is not in the range 0<=x<=65535"),
        (["site", "-o", "out", "-j", "0"], "argument -j/--jobs: 0 is not in the range x>=1"),
        (["query", "x", "--bogus"], "unrecognized arguments: --bogus"),
        (["query", "x", "--time", "5"], "unrecognized arguments: --time 5. Did you mean --timeout?"),
        (["stats", "--form", "json"], "unrecognized arguments: --form json"),
        (["query", "x", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["query"], "the following arguments are required: NAME"),
        (["push"], "the following arguments are required: --endpoint"),
        (["import", "osai", "pyproject.toml"], "argument PATH: 'pyproject.toml' is a file: give a folder"),
        (["nosuch"], "argument COMMAND: invalid choice: 'nosuch'"),
        (["--bogus", "stats"], "unrecognized arguments: --bogus"),
        (["store", "nosuch"], "argument COMMAND: invalid choice: 'nosuch'"),
    ],
)
def test_usage_errors_exit_2_with_one_message_naming_the_option(invoke, args, message):
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    error = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(error) == 1 and error[0].startswith("oaik") and "--help` for help." in error[0]


def test_options_go_before_or_after_the_arguments(invoke):
    before = invoke("query", "--format", "csv", "-p", "organization=organization:eleutherai", "collaborators-of")
    after = invoke("query", "collaborators-of", "--param", "organization=organization:eleutherai", "--format", "csv")
    assert before.exit_code == after.exit_code == 0, before.output + after.output
    assert before.stdout == after.stdout and before.stdout.startswith("partner,")


def test_store_has_sub_commands_with_help(invoke):
    result = invoke("store", "--help")
    assert result.exit_code == 0
    for sub in ("info", "rebuild", "prune"):
        assert f"oaik store {sub}" in result.stdout
        assert f"    {sub} " in result.stdout
    prune = invoke("store", "prune", "-h")
    assert prune.exit_code == 0 and "--dry-run" in prune.stdout and "usage: oaik store prune" in prune.stdout
    alone = invoke("store")
    assert alone.exit_code == 2 and alone.stdout == "" and "usage: oaik store" in alone.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help(invoke, command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith(f"usage: oaik {command}") and "-h, --help" in result.stdout


def test_the_endpoint_comes_from_oaik_endpoint_unless_given(invoke, monkeypatch):
    monkeypatch.setenv("OAIK_ENDPOINT", "http://127.0.0.1:9/sparql")
    result = invoke("query", "table-1", "--timeout", "2")
    assert result.exit_code == 2 and "cannot reach the endpoint http://127.0.0.1:9/sparql" in result.stderr
    given = invoke("query", "table-1", "--timeout", "2", "--endpoint", "http://127.0.0.1:7/sparql")
    assert given.exit_code == 2 and "http://127.0.0.1:7/sparql" in given.stderr
    monkeypatch.setenv("OAIK_ENDPOINT", "")  # empty: not set (as click had it)
    assert invoke("query", "table-1", "--format", "csv").exit_code == 0


def test_version(invoke):
    from oaik import __version__

    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_queries_lists_summaries_and_parameters(invoke):
    result = invoke("queries")
    assert result.exit_code == 0
    assert "grassroots-compute-partnerships" in result.output
    assert "--param organization=" in result.output
    listed = json.loads(invoke("queries", "--format", "json").stdout)
    assert {"name", "summary", "description", "tags", "parameters"} <= set(listed[0])


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "md"])
def test_query_formats(invoke, fmt):
    result = invoke("query", "grassroots-compute-partnerships", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
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
    assert result.stdout == "" and result.stderr.startswith("oaik: error: ")


def test_sparql_declares_known_prefixes(invoke):
    result = invoke("sparql", "SELECT ?label WHERE { stage:pre-training skos:prefLabel ?label }", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["label", "pre-training"]


def test_sparql_from_stdin(invoke):
    result = invoke("sparql", "--file", "-", "--format", "csv", input="ASK { ?s a oaik:Project }")
    assert result.exit_code == 0 and result.stdout.strip() == "true"


def test_a_runaway_query_is_stopped(invoke):
    result = invoke("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    assert result.exit_code == 2
    assert "longer than 1 s and was stopped" in result.output


def test_stats_reports_headline_counts(invoke):
    result = invoke("stats", "--format", "json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["summary"]["projects"] == 14
    assert stats["summary"]["collaborations"] >= stats["instances"]["oaik:Collaboration"] > 0
    assert stats["summary"]["evidence records"] == stats["instances"]["oaik:Evidence"]
    table = invoke("stats").stdout
    assert table.splitlines()[0].startswith("triples")


def test_an_internal_error_is_one_paragraph_with_exit_70(monkeypatch, invoke):
    import oaik.query.stats

    monkeypatch.setattr(oaik.query.stats, "graph_stats", lambda store: 1 / 0)
    monkeypatch.delenv("OAIK_DEBUG", raising=False)
    result = invoke("stats")
    assert result.exit_code == 70
    assert "internal error: ZeroDivisionError" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["queries"], ["query", "x", "--bogus"]])
def test_a_reader_that_goes_away_is_not_an_error(args):
    """`oaik ... | head`: the output to a closed pipe is dropped, exit 0 (or the usage error's 2), no message
    ("Exception ignored ... BrokenPipeError" and exit 120 when Python flushed the buffered help at exit)."""
    import os

    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}  # buffered, as usual
    script = "import time; time.sleep(0.2); from oaik.cli import main; main()"  # the pipe closes first
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=60)
    if args[-1] == "--bogus":
        assert code == 2 and "unrecognized arguments: --bogus" in stderr
    else:
        assert code == 0 and stderr == ""
