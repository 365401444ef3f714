"""The JSON-LD export round-trips through jsonld.js (the JavaScript JSON-LD processor web developers use).

Needs Node.js and the npm packages of tests/js (`npm ci` in tests/js); skips
with the reason otherwise. The script's document loader refuses every URL
(exports embed their context), or serves only OAIK's context from the local
file for documents written with --context-url: the check never uses the network.
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


def to_nquads(node: str, document: Path, serve_context: bool = False) -> subprocess.CompletedProcess:
    """jsonld.js's N-Quads for a document; no URL is loaded unless ``serve_context`` (OAIK's context only)."""
    from oaik.publish import jsonld

    served = [str(jsonld.context_path())] if serve_context else []
    return subprocess.run(
        [node, str(SCRIPT), str(document), *served],
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


def test_framed_view_round_trips_through_jsonld_js(node, tmp_path):
    """jsonld.js reads the framed view (with its @reverse terms) offline and gets the whole data back."""
    from oaik.publish.export import export_graph, load_selections, quads

    document = tmp_path / "projects.jsonld"
    document.write_bytes(export_graph("jsonld", ["data"], frame="project"))
    done = to_nquads(node, document)
    assert done.returncode == 0, done.stderr
    expected = {str(q) for q in quads(load_selections(["data"]))}
    got = canonical_nquads(done.stdout)
    assert got == expected, f"{len(expected - got)} triples lost, {len(got - expected)} gained"


def test_context_url_export_reads_with_the_context_served(node, tmp_path):
    from oaik.publish import jsonld
    from oaik.publish.export import export_graph, load_selections, quads

    document = tmp_path / "remote-context.jsonld"
    document.write_bytes(
        export_graph("jsonld", ["ontology"], context_url=jsonld.context_iri())
    )  # small: only the context matters
    refused = to_nquads(node, document)
    assert refused.returncode != 0 and f"refusing to load {jsonld.context_iri()}" in refused.stderr
    done = to_nquads(node, document, serve_context=True)
    assert done.returncode == 0, done.stderr
    assert canonical_nquads(done.stdout) == {str(q) for q in quads(load_selections(["ontology"]))}


def test_jsonld_js_check_never_fetches_other_contexts(node, tmp_path):
    document = tmp_path / "remote.jsonld"
    document.write_text(json.dumps({"@context": "https://schema.org/", "@id": "https://example.org/x", "name": "x"}))
    done = to_nquads(node, document, serve_context=True)
    assert done.returncode != 0 and "refusing to load https://schema.org/" in done.stderr
