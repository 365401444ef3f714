"""The JSON-LD export round-trips through jsonld.js (the JavaScript JSON-LD processor web developers use).

Needs Node.js and the npm packages of tests/js (`npm ci` in tests/js); skips
with the reason otherwise. The script serves OAIK's context from the local
file and refuses every other URL, so the check never uses the network.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
JS = REPO / "tests" / "js"
SCRIPT = JS / "roundtrip.mjs"


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("Node.js is not installed (install Node 18+ to check the JSON-LD export with jsonld.js)")
    if not (JS / "node_modules" / "jsonld" / "package.json").exists():
        pytest.skip("jsonld.js is not installed: run `npm ci` in tests/js")
    return found


def to_nquads(node: str, document: Path) -> subprocess.CompletedProcess:
    from oaik.publish import jsonld

    return subprocess.run(
        [node, str(SCRIPT), str(document), str(jsonld.context_path())],
        capture_output=True,
        text=True,
        cwd=JS,
        timeout=120,
    )


def canonical_nquads(text: str) -> set[str]:
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def test_jsonld_round_trips_through_jsonld_js(node, tmp_path):
    from oaik.publish.export import export_graph, load_selections, quads

    document = tmp_path / "oaik.publish.jsonld"
    document.write_bytes(export_graph("jsonld"))
    done = to_nquads(node, document)
    assert done.returncode == 0, done.stderr
    expected = {str(q) for q in quads(load_selections())}
    got = canonical_nquads(done.stdout)
    assert got == expected, (
        f"{len(expected - got)} triples lost, {len(got - expected)} gained, e.g. {sorted(expected - got)[:3]} / {sorted(got - expected)[:3]}"
    )


def test_framed_view_expands_in_jsonld_js(node, tmp_path):
    """jsonld.js reads the framed view (with its @reverse terms) and finds every project."""
    from oaik.publish.export import export_graph

    document = tmp_path / "projects.jsonld"
    document.write_bytes(export_graph("jsonld", ["data"], frame="project"))
    done = to_nquads(node, document)
    assert done.returncode == 0, done.stderr
    projects = {
        line.split(" ", 1)[0]
        for line in done.stdout.splitlines()
        if "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/oaik/ns#Project>" in line
    }
    assert len(projects) == len(json.loads(document.read_text())["@graph"])


def test_jsonld_js_check_never_fetches_other_contexts(node, tmp_path):
    document = tmp_path / "remote.jsonld"
    document.write_text(json.dumps({"@context": "https://schema.org/", "@id": "https://example.org/x", "name": "x"}))
    done = to_nquads(node, document)
    assert done.returncode != 0 and "refusing to load https://schema.org/" in done.stderr
