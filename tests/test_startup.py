"""A warm `oaik query` imports only what it needs: start-up is most of its time on the shipped graph.

The goal (issue 10) is a warm canned query within 1.5× of python start-up + opening the store + the
same query. Each module below cost it several milliseconds (measured with ``python -X importtime``):
click 23 ms, dataclasses 12 ms (it imports inspect, ast, dis and tokenize), typing 3 ms, hashlib
3 ms; rdflib, pySHACL, Jinja2 and PyYAML far more.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("click", "dataclasses", "inspect", "typing", "hashlib", "rdflib", "pyshacl", "jinja2", "yaml", "csv")

_PROBE = """
import json, sys
from oaik.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exit_:
    code = exit_.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(*args: str) -> tuple[int, set[str], str]:
    """Run ``oaik ARGS`` in a new interpreter (the tests' own store): exit code, modules imported, output."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=REPO, timeout=300)
    last = done.stderr.strip().splitlines()[-1]
    report = json.loads(last)
    return report["code"], set(report["modules"]), done.stdout


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_warm_canned_query_imports_nothing_heavy(fmt):
    _modules_after("stats")  # brings the store up to date: the query below is warm
    code, modules, output = _modules_after("query", "grassroots-compute-partnerships", "--format", fmt)
    assert code in (0, None)
    assert "project:speakleash" in output or "speakleash" in output
    assert sorted(name for name in HEAVY if name in modules) == []


def test_help_imports_no_command():
    code, modules, output = _modules_after("--help")
    assert code in (0, None)
    assert "query" in output and "validate" in output
    assert sorted(name for name in modules if name.startswith("oaik.commands.")) == []
    assert sorted(name for name in HEAVY if name in modules) == []
