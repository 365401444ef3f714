"""Generate a synthetic but valid OAIK checkout of any size, for the scale benchmark.

    python benchmarks/scale/generate.py --triples 1000000 --out /tmp/oaik-1m

The output folder is a copy of the repository's ``oaik/`` package,
``ontology/``, ``shapes/``, ``queries/`` and ``data/``, plus copies of every
project file of ``data/projects/`` until the graph holds about ``--triples``
triples. Run the copied package with ``PYTHONPATH=<out> python -m oaik.cli
...``: it then reads the synthetic graph.

Copy ``k`` of a project file renames every entity the file alone defines
(the project, its organisations, models, datasets, collaborations with their
participations, compute partnerships, claims and evidence: ``<iri>-s<k>``)
and suffixes their labels (`` (s<k>)``), so labels stay distinct; references
to entities defined elsewhere (shared organisations, base models, platforms,
vocabularies) are kept. Every derivative model of copy ``k`` also derives
from the same model of copy ``k // 2`` (a lineage tree across files, depth
log2 of the number of copies) by one of the six derivation kinds in turn.
Each copy is one file, like a contributed project (about 640 triples).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[2]
OAIK = "https://w3id.org/oaik/ns#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABELS = {
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
}
DERIVATION_KINDS = [
    "fineTunedFrom",
    "adapterOf",
    "quantizedFrom",
    "mergedFrom",
    "distilledFrom",
    "continuedPretrainingFrom",
]
DERIVATIVE = ox.NamedNode(OAIK + "DerivativeModel")


def parse(path: Path) -> list[ox.Triple]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))


class Template:
    """One project file and the entities it alone defines."""

    def __init__(self, path: Path, triples: list[ox.Triple], local: set[str]):
        self.path = path
        self.triples = triples
        self.local = local
        typed = {t.subject.value for t in triples if t.predicate == RDF_TYPE and t.object == DERIVATIVE}
        self.derivatives = sorted(typed & local)

    def copy(self, k: int) -> list[ox.Triple]:
        suffix = f"-s{k}"
        renamed: dict[ox.NamedNode, ox.NamedNode] = {}
        blanks: dict[ox.BlankNode, ox.BlankNode] = {}

        def term(node):
            if isinstance(node, ox.NamedNode):
                if node.value not in self.local:
                    return node
                found = renamed.get(node)
                if found is None:
                    found = renamed[node] = ox.NamedNode(node.value + suffix)
                return found
            if isinstance(node, ox.BlankNode):
                return blanks.setdefault(node, ox.BlankNode())
            return node

        out = []
        for t in self.triples:
            obj = t.object
            if t.predicate.value in LABELS and isinstance(obj, ox.Literal) and t.subject.value in self.local:
                obj = (
                    ox.Literal(f"{obj.value} (s{k})", language=obj.language)
                    if obj.language
                    else ox.Literal(f"{obj.value} (s{k})", datatype=obj.datatype)
                )
            out.append(ox.Triple(term(t.subject), t.predicate, term(obj)))
        parent = k // 2
        for index, model in enumerate(self.derivatives):
            kind = ox.NamedNode(OAIK + DERIVATION_KINDS[(k + index) % len(DERIVATION_KINDS)])
            target = model if parent == 0 else model + f"-s{parent}"
            out.append(ox.Triple(ox.NamedNode(model + suffix), kind, ox.NamedNode(target)))
        return out


def templates(data: Path) -> list[Template]:
    """The project files, each with the IRIs typed in it and in no other file."""
    files = sorted(data.rglob("*.ttl"))
    typed_in: dict[str, set[Path]] = {}
    parsed = {}
    for path in files:
        parsed[path] = parse(path)
        for t in parsed[path]:
            if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode):
                typed_in.setdefault(t.subject.value, set()).add(path)
    projects = sorted((data / "projects").glob("*.ttl"))
    return [
        Template(path, parsed[path], {iri for iri, where in typed_in.items() if where == {path}}) for path in projects
    ]


def count(folder: Path) -> int:
    return sum(len(parse(path)) for path in sorted(folder.rglob("*.ttl")))


def generate(triples: int, out: Path) -> int:
    """Write the checkout; the number of triples of its graph (ontology + data)."""
    from oaik.namespaces import PREFIXES

    if out.exists():
        shutil.rmtree(out)
    ignore = shutil.ignore_patterns("__pycache__", "_resources")
    for name in ("oaik", "ontology", "shapes", "queries", "data"):
        shutil.copytree(REPO / name, out / name, ignore=ignore)
    total = count(out / "ontology") + count(out / "data")
    chosen = templates(out / "data")
    k = 0
    while total < triples:
        k += 1
        for template in chosen:
            copied = template.copy(k)
            target = out / "data" / "projects" / f"{template.path.stem}-s{k}.ttl"
            header = f"# Synthetic copy {k} of data/projects/{template.path.name} (benchmarks/scale/generate.py).\n"
            target.write_bytes(
                header.encode() + ox.serialize(copied, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
            )
            total += len(copied)
            if total >= triples:
                break
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="about how many triples the graph should hold")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write (replaced if it exists)")
    args = parser.parse_args(argv)
    total = generate(args.triples, args.out)
    files = len(list((args.out / "data").rglob("*.ttl")))
    print(f"{args.out}: {total} triples in {files} data files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
