"""`oaik export`: every format round-trips, JSON-LD reads as plain JSON, errors leave no file.

Graphs are compared through their RDFC-1.0 canonical form (pyoxigraph): two
graphs have the same canonical N-Quads exactly when they are isomorphic. This
is fast for the whole graph; ``test_rdflib_isomorphic`` also checks each part
with ``rdflib.compare.isomorphic`` itself.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GRAPH_FORMATS = ["turtle", "ntriples", "rdfxml", "jsonld", "trig"]
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "trig": "trig"}

#: The fourteen projects of the Cartography paper's Table 1.
PROJECTS = [
    "ai-singapore",
    "ai2",
    "ant-group",
    "baai",
    "bigscience-workshop",
    "cohere-labs",
    "eleutherai",
    "hugging-face",
    "masakhane",
    "meta",
    "nb-ai-lab",
    "opengpt-x",
    "speakleash",
    "typhoon",
]


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def selections():
    from oaik.publish.export import load_selections

    return load_selections()


@pytest.fixture(scope="module")
def source(selections):
    """Canonical N-Quads of the whole exported graph (ontology + data + shapes, default graph)."""
    from oaik.publish.export import quads

    return {str(q) for q in quads(selections)}


@pytest.fixture(scope="module")
def exported():
    """Each format exported once (the same bytes the CLI writes)."""
    from oaik.publish.export import export_graph

    cache: dict[str, bytes] = {}

    def get(fmt: str) -> bytes:
        if fmt not in cache:
            cache[fmt] = export_graph(fmt)
        return cache[fmt]

    return get


@pytest.fixture(scope="module")
def compact_document(exported):
    return json.loads(exported("jsonld"))


@pytest.fixture(scope="module")
def framed_bytes() -> bytes:
    from oaik.publish.export import export_graph

    return export_graph("jsonld", ["data"], frame="project")


@pytest.fixture(scope="module")
def framed(framed_bytes):
    return json.loads(framed_bytes)


def canonical(triples) -> set[str]:
    """RDFC-1.0 canonical N-Quads (default graph) of pyoxigraph triples or quads."""
    import pyoxigraph as ox

    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def from_rdflib(triples):
    """pyoxigraph triples for rdflib ones (a plain rdflib literal is an xsd:string)."""
    import pyoxigraph as ox
    import rdflib

    def term(node):
        if isinstance(node, rdflib.URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, rdflib.BNode):
            return ox.BlankNode(str(node))
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in triples]


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test (JSON-LD must read offline)."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args[1:] or kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def refuse_every_document(url, options=None):
    """A pyld document loader that loads nothing: the document must stand alone."""
    from pyld.jsonld import JsonLdError

    raise JsonLdError(f"offline: refusing to load {url}", "jsonld.LoadDocumentError", code="loading document failed")


def difference(expected: set[str], got: set[str]) -> str:
    missing, extra = sorted(expected - got)[:5], sorted(got - expected)[:5]
    return f"{len(expected - got)} triples lost, e.g. {missing}; {len(got - expected)} triples gained, e.g. {extra}"


def run_cli(*args: str, capsys=None) -> tuple[int, str, str]:
    """Run `oaik` in-process; (exit code, stdout, stderr)."""
    from oaik.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------------------
# Round trips
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "jsonld"])
def test_round_trip_through_rdflib(fmt, exported, source, offline):
    import rdflib

    text = exported(fmt).decode("utf-8")
    graph = rdflib.Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])
    got = canonical(from_rdflib(graph))
    assert got == source, f"{fmt} does not round-trip: " + difference(source, got)


def test_trig_keeps_each_part_in_its_named_graph(exported, selections):
    import rdflib

    from oaik.publish.export import GRAPH_IRIS

    dataset = rdflib.Dataset()
    dataset.parse(data=exported("trig").decode("utf-8"), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {GRAPH_IRIS[name] for name, parsed in selections.items() if any(f.triples for f in parsed)}
    for name, parsed in selections.items():
        expected = canonical(t for f in parsed for t in f.triples)
        got = canonical(from_rdflib(dataset.graph(rdflib.URIRef(GRAPH_IRIS[name]))))
        assert got == expected, f"named graph {name} does not round-trip: " + difference(expected, got)


@pytest.mark.parametrize("part", ["ontology", "data", "shapes"])
def test_rdflib_isomorphic(part, selections):
    """rdflib.compare.isomorphic on a Turtle export of each part."""
    import rdflib
    from rdflib.compare import isomorphic

    from oaik.publish.export import export_graph
    from oaik.store.graph import to_rdflib

    expected = to_rdflib(selections[part])
    got = rdflib.Graph().parse(data=export_graph("turtle", [part]).decode("utf-8"), format="turtle")
    assert len(got) == len(expected)
    assert isomorphic(got, expected), f"the Turtle export of {part} is not isomorphic to its files"


def test_round_trip_through_pyld(exported, source):
    """pyld with a loader that loads nothing: the export carries its context."""
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    nquads = pyld.to_rdf(
        json.loads(exported("jsonld")), {"format": "application/n-quads", "documentLoader": refuse_every_document}
    )
    got = canonical(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert got == source, "JSON-LD does not round-trip through pyld: " + difference(source, got)


def test_context_url_references_the_published_context(source, capsys):
    """--context-url writes today's remote reference; with the context served locally it reads the same."""
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    from oaik.publish import jsonld

    code, out, err = run_cli("export", "--format", "jsonld", "--context-url", capsys=capsys)
    assert code == 0, err
    document = json.loads(out)
    assert document["@context"] == [jsonld.context_iri(), {"@base": jsonld.BASE}]
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": jsonld.document_loader})
    got = canonical(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert got == source, difference(source, got)
    code, out, err = run_cli(
        "export",
        "--format",
        "jsonld",
        "--only",
        "shapes",
        "--context-url",
        "https://example.org/ctx.jsonld",
        capsys=capsys,
    )
    assert code == 0 and json.loads(out)["@context"][0] == "https://example.org/ctx.jsonld"


def test_framed_view_loses_nothing(offline, framed_bytes):
    """The framed view's expansion is isomorphic to the data it frames (pyld and rdflib, offline)."""
    import pyoxigraph as ox
    import rdflib
    from pyld import jsonld as pyld

    from oaik.publish.export import load_selections, quads

    data = framed_bytes
    expected = {str(q) for q in quads(load_selections(["data"]))}
    nquads = pyld.to_rdf(json.loads(data), {"format": "application/n-quads", "documentLoader": refuse_every_document})
    got = canonical(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert got == expected, "the framed view (pyld): " + difference(expected, got)
    graph = rdflib.Graph().parse(data=data.decode("utf-8"), format="json-ld")
    got = canonical(from_rdflib(graph))
    assert got == expected, "the framed view (rdflib): " + difference(expected, got)


def test_export_is_deterministic(exported):
    from oaik.publish.export import export_graph

    assert export_graph("turtle") == exported("turtle")


def test_only_selects_parts(selections):
    import pyoxigraph as ox

    from oaik.publish.export import export_graph

    data = export_graph("ntriples", ["data"])
    got = canonical(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert got == canonical(t for f in selections["data"] for t in f.triples)


# ---------------------------------------------------------------------------
# The JSON-LD context
# ---------------------------------------------------------------------------


def _term_iris(context: dict) -> dict[str, str]:
    """term -> the IRI it expands to (compact IRIs expanded with the context's prefixes)."""
    prefixes = {
        k: v for k, v in context.items() if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))
    }

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes and not local.startswith("//") else value

    terms = {}
    for key, value in context.items():
        if key.startswith("@"):
            continue
        iri = value if isinstance(value, str) else value.get("@id", key)
        if iri.startswith("@"):
            continue
        terms[key] = expand(iri)
    return terms


def test_context_is_what_the_script_generates():
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_context.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, (
        f"ontology/context.jsonld is out of date; run `python scripts/build_context.py`\n{done.stderr}"
    )


def test_context_is_versioned_and_protected():
    from oaik.publish import jsonld

    document = jsonld.context_document()
    context = document["@context"]
    assert context["@version"] == 1.1 and context["@protected"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", document["version"])
    assert jsonld.context_iri() == f"https://w3id.org/oaik/context/{document['version']}.jsonld"
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_every_used_predicate_and_class_is_a_context_term(selections):
    """Ontology, data and shapes: every predicate and class IRI they use has a term."""
    from oaik.publish import jsonld
    from oaik.store.graph import RDF_TYPE

    context = jsonld.context_document()["@context"]
    assert context["type"] == "@type" and context["id"] == "@id", "rdf:type is written as 'type'"
    defined = set(_term_iris(context).values()) | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    triples = [t for parsed in selections.values() for f in parsed for t in f.triples]
    used = {t.predicate.value for t in triples} | {t.object.value for t in triples if t.predicate == RDF_TYPE}
    missing = sorted(used - defined)
    assert not missing, (
        f"predicates or classes without a term in ontology/context.jsonld (add them to scripts/build_context.py): {missing}"
    )


def test_every_oaik_term_is_a_context_term(store):
    from oaik.publish import jsonld

    terms = _term_iris(jsonld.context_document()["@context"])
    declared = {
        row[0].value
        for row in store.query(
            "SELECT DISTINCT ?t WHERE { ?t <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <https://w3id.org/oaik/ns> FILTER(STRSTARTS(STR(?t), 'https://w3id.org/oaik/ns#')) }"
        )
    }
    by_iri = {iri: key for key, iri in terms.items()}
    missing = sorted(iri for iri in declared if iri not in by_iri)
    assert not missing, f"OAIK terms without a context term: {missing}; run `python scripts/build_context.py`"
    prefixed = sorted(by_iri[iri] for iri in declared if ":" in by_iri[iri])
    assert not prefixed, f"OAIK terms should be bare local names: {prefixed}"


def test_compact_output_has_no_full_oaik_iris(compact_document):
    full = re.compile(r"^https://w3id\.org/oaik/ns#\w")
    offenders: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if "w3id.org/oaik/ns#" in key:
                    offenders.append(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and full.match(node):
            offenders.append(node)

    walk(compact_document["@graph"])
    assert not offenders, f"full OAIK IRIs in compact JSON-LD: {sorted(set(offenders))[:10]}"


def test_compact_output_reads_as_plain_json(compact_document):
    from oaik.publish import jsonld

    assert compact_document["@context"] == [jsonld.context_document()["@context"], {"@base": jsonld.BASE}]
    nodes = {node["id"]: node for node in compact_document["@graph"]}
    project = nodes["project/eleutherai"]
    assert project["type"] == "Project"
    assert isinstance(project["label"], str)
    coordinators = (
        project["coordinatedBy"] if isinstance(project["coordinatedBy"], list) else [project["coordinatedBy"]]
    )
    assert all(isinstance(c, str) and c.startswith("org/") for c in coordinators)
    collaborations = [n for n in compact_document["@graph"] if n.get("type") in ("Collaboration", "ComputePartnership")]
    assert collaborations and all(re.fullmatch(r"[a-z0-9-]+", c["stage"]) for c in collaborations if "stage" in c)


def test_the_loader_serves_the_local_context_and_refuses_the_network():
    from pyld.jsonld import JsonLdError

    from oaik.publish import jsonld

    served = jsonld.document_loader(jsonld.context_iri(), {})
    assert served["document"] == jsonld.context_document()
    with pytest.raises(JsonLdError, match="network"):
        jsonld.document_loader("https://schema.org/", {})


# ---------------------------------------------------------------------------
# The framed view: one nested document per project
# ---------------------------------------------------------------------------


def _as_list(value):
    return value if isinstance(value, list) else [] if value is None else [value]


def _project(framed, slug):
    found = [doc for doc in framed["@graph"] if doc["id"] == f"project/{slug}"]
    assert found, f"project/{slug} is not in the framed view"
    return found[0]


def test_frames_use_the_current_context():
    from oaik.publish import jsonld

    for name in jsonld.frame_names():
        context = jsonld.load_frame(name)["@context"]
        assert context[0] == jsonld.context_iri(), (
            f"ontology/frames/{name}.jsonld must reference {jsonld.context_iri()}"
        )
        assert context[1]["@base"] == jsonld.BASE


def test_framed_view_has_the_fourteen_projects_first(framed):
    """The projects come first, nested; what no project reaches follows as flat nodes."""
    ids = [doc["id"] for doc in framed["@graph"]]
    assert sorted(ids[: len(PROJECTS)]) == sorted(f"project/{slug}" for slug in PROJECTS)
    assert not any(doc.get("type") == "Project" for doc in framed["@graph"][len(PROJECTS) :])


@pytest.mark.parametrize("slug", PROJECTS)
def test_framed_project_nests_its_parts(framed, slug):
    project = _project(framed, slug)
    assert project["type"] == "Project" and project.get("label")
    organisations = _as_list(project.get("coordinatedBy"))
    assert organisations and all(isinstance(o, dict) and o.get("label") for o in organisations), (
        "coordinating organisations are embedded"
    )
    artifacts = [
        a
        for key in ("baseModel", "derivativeModel", "openSourceSoftware", "notableDataset", "otherArtifact", "outputs")
        for a in _as_list(project.get(key))
    ]
    assert artifacts and all(isinstance(a, dict) and a.get("label") for a in artifacts), "artifacts are embedded"
    evidence = _as_list(project.get("evidence"))
    assert evidence and all(isinstance(e, dict) and e.get("quote") for e in evidence), (
        "evidence is embedded with its quote"
    )
    collaborations = _as_list(project.get("collaborations"))
    assert collaborations, "collaborations are nested"
    for collaboration in collaborations:
        participations = _as_list(collaboration.get("participation"))
        assert participations, f"{collaboration['id']}: participations are nested"
        for participation in participations:
            assert isinstance(participation.get("agent"), dict) and participation["agent"].get("label"), (
                f"{collaboration['id']}: the agent is labelled"
            )
            assert participation.get("hadRole"), f"{collaboration['id']}: the role is given"
        assert all(isinstance(e, dict) and e.get("quote") for e in _as_list(collaboration.get("evidence")))
    claims = _as_list(project.get("claims"))
    kinds = {claim["type"] for claim in claims}
    assert "GovernanceClaim" in kinds and "MotivationClaim" in kinds, (
        f"governance and motivation claims are nested (found {sorted(kinds)})"
    )
    assert all(isinstance(e, dict) and e.get("quote") for claim in claims for e in _as_list(claim.get("evidence")))


def test_framed_vocabulary_values_are_plain(framed):
    project = _project(framed, "eleutherai")
    collaboration = _as_list(project["collaborations"])[0]
    assert re.fullmatch(r"[a-z0-9-]+", collaboration["onRamp"])
    governance = [c for c in _as_list(project["claims"]) if c["type"] == "GovernanceClaim"]
    assert governance and all(re.fullmatch(r"[a-z0-9-]+", c["governanceModel"]) for c in governance)


# ---------------------------------------------------------------------------
# The command line and its errors
# ---------------------------------------------------------------------------


def _one_paragraph(message: str) -> bool:
    return message.startswith("oaik: error: ") and "\n" not in message.strip()


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--format", "yaml"], "unknown export format 'yaml'"),
        (["--only", "everything"], "unknown selection 'everything'"),
        (["--format", "turtle", "--frame", "project"], "--frame works with --format jsonld only"),
        (["--format", "jsonld", "--frame", "nosuchframe"], "unknown frame 'nosuchframe'"),
        (["--format", "turtle", "--syntax", "jsonld"], "--syntax applies to --format dcat or void only"),
        (["--format", "dcat", "--syntax", "xml"], "unknown --syntax 'xml'"),
        (["--format", "sssom", "--only", "data"], "--only does not apply to --format sssom"),
    ],
)
def test_usage_errors_are_one_paragraph_with_exit_code_2(args, needle, capsys):
    code, out, err = run_cli("export", *args, capsys=capsys)
    assert code == 2
    assert needle in err and _one_paragraph(err), err
    assert out == ""


def test_missing_output_folder_is_an_error_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "folder" / "oaik.ttl"
    code, _out, err = run_cli("export", "--format", "turtle", "-o", str(target), capsys=capsys)
    assert code == 2 and "does not exist" in err and _one_paragraph(err)
    assert not (tmp_path / "no").exists()


def test_output_under_a_file_is_an_error(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code, _out, err = run_cli("export", "--format", "turtle", "-o", str(blocker / "oaik.ttl"), capsys=capsys)
    assert code == 2 and "is a file, not a folder" in err and _one_paragraph(err)
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="needs a POSIX user for whom read-only folders are read-only (not root)",
)
def test_read_only_folder_is_an_error_and_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _out, err = run_cli("export", "--format", "turtle", "-o", str(folder / "oaik.ttl"), capsys=capsys)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == 2 and "not writable" in err and _one_paragraph(err)
    assert list(folder.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    from oaik.errors import OaikError
    from oaik.publish import output

    target = tmp_path / "oaik.ttl"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(OaikError) as raised:
        output.write(b"new", target)
    assert raised.value.exit_code == 2 and "nothing was written" in str(raised.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["oaik.ttl"], "the temporary file was removed"


def test_output_file_equals_stdout(tmp_path, capsys):
    target = tmp_path / "oaik.nt"
    code, out, err = run_cli("export", "--format", "ntriples", "--only", "ontology", "-o", str(target), capsys=capsys)
    assert code == 0 and out == "" and err == ""
    code, out, err = run_cli("export", "--format", "ntriples", "--only", "ontology", capsys=capsys)
    assert code == 0 and target.read_text(encoding="utf-8") == out
    assert [p.name for p in tmp_path.iterdir()] == ["oaik.nt"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_help_lists_the_formats(capsys):
    code, out, _err = run_cli("export", "--help", capsys=capsys)
    assert code == 0
    for fmt in ["jsonld", "turtle", "ntriples", "rdfxml", "trig", "dcat", "void", "sssom"]:
        assert fmt in out


def test_cli_start_up_does_not_import_heavy_libraries():
    code = "import sys, oaik.cli, oaik.commands.export, oaik.commands.links; print(sorted(m for m in ('rdflib', 'pyld', 'sssom') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ["dcat", "void"])
def test_catalogue_json_ld_reads_offline(fmt, capsys):
    """The DCAT and VoID records in JSON-LD carry their context too: pyld with no loader reads the same graph as their Turtle."""
    import pyoxigraph as ox
    from pyld import jsonld as pyld

    code, turtle, err = run_cli("export", "--format", fmt, capsys=capsys)
    assert code == 0, err
    code, document, err = run_cli("export", "--format", fmt, "--syntax", "jsonld", capsys=capsys)
    assert code == 0, err
    nquads = pyld.to_rdf(
        json.loads(document), {"format": "application/n-quads", "documentLoader": refuse_every_document}
    )
    got = canonical(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    expected = canonical(ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    assert got == expected, difference(expected, got)


def test_remembered_iri_compaction_gives_the_same_bytes_as_pyld_alone(monkeypatch):
    """oaik/publish/pyld_fixes.py memoizes pyld's compact-IRI step; the JSON-LD must not change by a byte."""
    from pyld import jsonld

    from oaik.paths import data_dir
    from oaik.publish.jsonld import graph_jsonld
    from oaik.publish.pyld_fixes import install
    from oaik.store.graph import read_triples

    install()
    files = [*sorted((data_dir() / "projects").glob("*.ttl"))[:3], data_dir() / "sources.ttl"]
    files += [sorted((data_dir() / "imports" / index).glob("*.ttl"))[0] for index in ("osai", "mot")]  # grades
    triples = [t for f in files for t in read_triples(f)]
    remembered = graph_jsonld(triples)
    assert graph_jsonld(triples) == remembered  # a warm memo too
    monkeypatch.setattr(jsonld.JsonLdProcessor, "_compact_iri", jsonld.JsonLdProcessor._compact_iri.__wrapped__)
    assert graph_jsonld(triples) == remembered


def test_the_narrowed_context_keeps_every_term_the_compact_iri_search_can_use():
    """pyld_fixes hands _compact_iri a context iterating over fewer terms; none the search could use is left out."""
    import pyoxigraph as ox
    from pyld import jsonld

    from oaik.publish.jsonld import context_document
    from oaik.publish.pyld_fixes import _Terms
    from oaik.store.graph import load_store

    active = jsonld.JsonLdProcessor().process_context(
        jsonld.JsonLdProcessor()._get_initial_context({}), context_document(), {"documentLoader": None}
    )
    definitions = active["mappings"]
    terms = _Terms(definitions)
    iris = {t.value for q in load_store() for t in (q.subject, q.predicate, q.object) if isinstance(t, ox.NamedNode)}
    iris |= {"https://w3id.org/oaik/ns#", "oaik:Project", "rdf:type", "http://example.org/x:y:z"}
    for iri in sorted(iris):
        wanted = [
            term
            for term, definition in definitions.items()
            if (definition and definition["@id"] and iri.startswith(definition["@id"])) or iri.startswith(term + ":")
        ]
        assert terms.usable(iri) == wanted, iri
