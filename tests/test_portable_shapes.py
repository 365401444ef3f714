"""An independent SHACL engine (Apache Jena SHACL) agrees with `oaik validate` on shapes/ as written.

Jena gets the data plus ontology/ as N-Triples and shapes/ as they are, and
must find the same results (focus node, source shape, constraint component,
severity) on the shipped graph, and, for every broken contribution, the same
verdict and the same focus nodes as ``oaik validate FILE``. Jena comes from
Debian's ``libapache-jena-java``; as packaged, its relocated Xerces misses its
message files, which are copied here from the JDK's ``java.xml.jmod`` into the
temporary folder. The test skips, saying why, where Java or Jena is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import JAVA_DIR, jena_classpath, jena_version

from oaik.namespaces import compact

BATCH = Path(__file__).resolve().parent / "jena" / "ShaclBatch.java"
CONTRIBUTIONS = Path(__file__).resolve().parent / "resources" / "contributions"
UNPARSABLE = {"syntax-error.ttl", "unknown-prefix.ttl", "not-stored-as-written.ttl"}  # refused by the loader
SH = "http://www.w3.org/ns/shacl#"
#: Jena SHACL and what it needs, without the logging bridges that loop into each other.


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> str:
    """The classpath of Debian's Jena with the Xerces message files restored (or skip)."""
    if shutil.which("javac") is None:
        pytest.skip("a JDK is not installed (javac; apt-get install default-jdk-headless)")
    if not (JAVA_DIR / "jena-shacl.jar").is_file():
        pytest.skip("Jena SHACL is not installed (apt-get install libapache-jena-java)")
    classpath, why_not = jena_classpath(tmp_path_factory.mktemp("jena"))
    if classpath is None:
        pytest.skip(why_not)
    return classpath


def n_triples(files: list[Path], target: Path) -> Path:
    from oaik.store.graph import parse_files, to_store

    target.write_bytes(to_store(parse_files(files)).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
    return target


def run_jena(classpath: str, workdir: Path, datasets: dict[str, list[Path]]) -> dict[str, list[dict]]:
    """Validate each named list of files with Jena SHACL; name -> results."""
    from oaik.paths import shapes_dir, turtle_files

    shapes = n_triples(turtle_files(shapes_dir()), workdir / "shapes.nt")
    arguments = []
    for name, files in datasets.items():
        arguments += [str(n_triples(files, workdir / f"{name}.nt")), str(workdir / f"{name}.report.nt")]
    done = subprocess.run(
        ["java", "-cp", classpath, str(BATCH), str(shapes), *arguments], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        pytest.fail(f"Jena SHACL {jena_version()} failed ({done.returncode}): {done.stderr[-3000:]}")
    return {name: report(workdir / f"{name}.report.nt") for name in datasets}


def report(path: Path) -> list[dict]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    query = f"""SELECT ?focus ?shape ?component ?severity WHERE {{
        ?report <{SH}result> ?result .
        ?result <{SH}focusNode> ?focus ; <{SH}sourceShape> ?shape ;
                <{SH}sourceConstraintComponent> ?component ; <{SH}resultSeverity> ?severity }}"""
    return [
        {
            "focus": "[ ]" if isinstance(row["focus"], ox.BlankNode) else row["focus"].value,
            "shape": row["shape"].value,
            "component": row["component"].value,
            "severity": row["severity"].value.removeprefix(SH),
        }
        for row in store.query(query)
    ]


def broken() -> list[Path]:
    return sorted(p for p in (CONTRIBUTIONS / "invalid").glob("*.ttl") if p.name not in UNPARSABLE)


def test_jena_agrees_on_the_shipped_graph_and_every_broken_contribution(jena, tmp_path):
    from conftest import curated_files

    from oaik.paths import graph_files
    from oaik.store.graph import parse_files, to_store
    from oaik.validation.shacl import run
    from oaik.validation.validate import Validator

    shipped = list(graph_files())
    # Contributions are checked against the curated graph (no imported catalogue: none of them refers to one),
    # all together in one Jena run (one run each took minutes), and the same files given to `oaik validate`.
    curated = curated_files()
    datasets = {"shipped": shipped, "curated": curated, "broken": [*curated, *broken()]}
    found = run_jena(jena, tmp_path, datasets)

    def key(r: dict) -> tuple:
        return (r["focus"], r["shape"], r["component"], r["severity"])

    ours = Counter(
        ("[ ]" if isinstance(r.focus, ox.BlankNode) else r.focus.value, r.shape.value, r.component, r.severity)
        for r in run(to_store(parse_files(shipped)))
    )
    theirs = Counter(key(r) for r in found["shipped"])
    assert sum(theirs.values()) > 100
    assert ours == theirs, f"Jena SHACL {jena_version()} and oaik differ on the shipped graph: {ours ^ theirs}"

    added = set(Counter(key(r) for r in found["broken"]) - Counter(key(r) for r in found["curated"]))
    mine = Validator(curated).validate(broken())  # what the fixtures cause, on their nodes and on those they affect
    jena_nodes = {(compact(k[1]), k[0]) for k in added if k[0] != "[ ]"}
    # oaiksh:DefinedOnceRule is checked on the files (deactivated for SHACL engines): no engine sees them.
    mine.results = [r for r in mine.results if r.rule != "oaiksh:DefinedOnceRule"]
    our_nodes = {(r.rule, r.node) for r in mine.results if ":" in r.node}  # blank node ids have no ":"
    jena_blank = {compact(k[1]) for k in added if k[0] == "[ ]"}
    our_blank = {r.rule for r in mine.results if ":" not in r.node}
    assert jena_nodes == our_nodes and jena_blank == our_blank, (
        f"Jena SHACL {jena_version()} and oaik validate differ on the broken contributions: "
        f"only Jena {sorted(jena_nodes - our_nodes)}, only oaik {sorted(our_nodes - jena_nodes)}; "
        f"on blank nodes Jena {sorted(jena_blank)}, oaik {sorted(our_blank)}"
    )
