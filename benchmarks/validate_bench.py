"""How long does ``oaik validate`` take, how much memory, and how does it grow?

Not a test: run it by hand (or in CI, for the record)::

    python benchmarks/validate_bench.py                      # the shipped graph
    python benchmarks/validate_bench.py --paper-only --jena  # and without data/imports/; Jena SHACL beside
    python benchmarks/scale/generate.py --triples 100000 --out /tmp/oaik-100k
    python benchmarks/scale/generate.py --triples 1000000 --out /tmp/oaik-1m
    python benchmarks/validate_bench.py --runs 1 /tmp/oaik-100k /tmp/oaik-1m

For the shipped graph and each generated tree (``PYTHONPATH=<tree>`` runs
the tree's copy of the package on its synthetic data) it measures, as whole
processes side by side in one run:

* the floor: Python start-up, parsing the same files with pyoxigraph into a
  store (``Store.extend`` of ``pyoxigraph.parse``), no validation;
* ``oaik validate`` with no store at all (it builds the store first);
* ``oaik validate`` of the whole graph with no kept report (the store up to
  date): median wall time, peak RSS, and the ratio to the floor;
* ``oaik validate`` again with nothing changed (the kept report is printed);
* ``oaik validate FILE`` of one project file (incremental validation);

and, between consecutive trees, the growth exponent log(t2/t1)/log(n2/n1).

``--paper-only`` adds a copy of the shipped tree without ``data/imports/``:
the cartography's 14 projects alone, the graph of about 10K triples that
issue 10 measured before the openness indices were imported.

``--jena`` also validates each tree's graph (exported as N-Triples, as are
the shapes) with Apache Jena SHACL, an independent engine (Debian's
libapache-jena-java and a JDK; ``benchmarks/jena/ShaclTime.java``): the whole
JVM process validating once, and, in a JVM validating five times, the first
validation and the fastest of the four later ones (JIT-warm, the data
already parsed), for comparison.

Goals (issue 10): exponent <= 1.1 from 100K to 1M triples; 1M in <= 60 s and
<= 2 GB; the shipped graph in <= 0.5 s.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
FLOOR = """
import pyoxigraph as ox
from oaik.paths import graph_files
store = ox.Store()
for path in graph_files():
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
print(len(store))
"""


#: The persistent stores and kept reports of the benchmark's runs (not the user's cache).
STORES = Path(tempfile.mkdtemp(prefix="oaik-validate-bench-"))


def forget_stores() -> None:
    """Delete the persistent stores and kept reports: the next ``oaik validate`` builds the store first."""
    for entry in STORES.iterdir():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def forget_reports() -> None:
    """Delete the kept validation reports: the next ``oaik validate`` validates everything."""
    for report in STORES.glob("*-report.json"):
        report.unlink()


def measure(command: list[str], tree: Path, runs: int, before=lambda: None) -> tuple[float, float]:
    """(median seconds, peak RSS in MB) of a command run as its own process, ``before()`` called before each run."""
    env = dict(os.environ, PYTHONPATH=str(tree), OAIK_STORE=str(STORES))
    samples = []
    for _ in range(runs):
        before()
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, text=True, check=True, cwd=tree
        ).stdout.split()
        samples.append((float(out[0]), float(out[1])))
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def triples(tree: Path) -> int:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return int(
        subprocess.run(
            [sys.executable, "-c", FLOOR], env=env, capture_output=True, text=True, check=True, cwd=tree
        ).stdout
    )


def bench(tree: Path, runs: int) -> dict:
    oaik = [sys.executable, "-m", "oaik.cli", "validate"]
    project = sorted((tree / "data" / "projects").glob("*.ttl"))[-1]
    floor, floor_rss = measure([sys.executable, "-c", FLOOR], tree, runs)
    cold, _ = measure(oaik, tree, runs, before=forget_stores)  # the last run leaves the store and a report
    full, full_rss = measure(oaik, tree, runs, before=forget_reports)
    kept, _ = measure(oaik, tree, runs)
    one, one_rss = measure([*oaik, str(project)], tree, runs)
    return {
        "tree": str(tree),
        "triples": triples(tree),
        "floor": floor,
        "floor_rss": floor_rss,
        "cold": cold,
        "full": full,
        "full_rss": full_rss,
        "kept": kept,
        "file": one,
        "file_rss": one_rss,
    }


def paper_only(folder: Path) -> Path:
    """A copy of the shipped tree (package, ontology, shapes, queries, data) without ``data/imports/``."""
    ignore = shutil.ignore_patterns("__pycache__", "_resources")
    for name in ("oaik", "ontology", "shapes", "queries", "data"):
        shutil.copytree(REPO / name, folder / name, ignore=ignore)
    shutil.rmtree(folder / "data" / "imports")
    return folder


def jena(tree: Path, work: Path) -> dict | None:
    """Jena SHACL on the tree's graph: whole-process seconds, then first and fastest warm validation in it."""
    if str(REPO / "tests") not in sys.path:
        sys.path.insert(0, str(REPO / "tests"))
    from engines import jena_classpath

    classpath, why = jena_classpath(work)
    if classpath is None:
        print(f"Jena SHACL not measured: {why}", file=sys.stderr)
        return None
    env = dict(os.environ, PYTHONPATH=str(tree), OAIK_STORE=str(STORES))
    data, shapes = work / f"{tree.name}-graph.nt", work / "shapes.nt"
    export = [sys.executable, "-m", "oaik.cli", "export", "--format", "ntriples"]
    subprocess.run([*export, "--only", "ontology", "--only", "data", "-o", data], env=env, cwd=tree, check=True)
    subprocess.run([*export, "--only", "shapes", "-o", shapes], env=env, cwd=tree, check=True)
    source = REPO / "benchmarks" / "jena" / "ShaclTime.java"
    command = ["java", "-Xmx4g", "-cp", classpath, str(source), str(shapes), str(data)]
    seconds, _ = measure([*command, "1"], tree, 1)  # one validation, as `oaik validate` does
    lines = subprocess.run([*command, "5"], capture_output=True, text=True, check=True).stdout.splitlines()
    runs = [float(line.split()[1]) for line in lines if line.startswith("validate ")]
    results = int(lines[-1].split()[2])
    return {"process": seconds, "first": runs[0], "warm": min(runs[1:]), "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", type=Path, help="trees made by benchmarks/scale/generate.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paper-only", action="store_true", help="also the shipped tree without data/imports/")
    parser.add_argument("--jena", action="store_true", help="also time Apache Jena SHACL on each graph")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="oaik-validate-bench-trees-"))
    try:
        trees = [REPO, *([paper_only(work / "paper-only")] if args.paper_only else []), *args.trees]
        rows = [bench(tree, args.runs) for tree in trees]
        engines = [jena(tree, work) for tree in trees] if args.jena else []
    finally:
        shutil.rmtree(STORES, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print(
        "| graph | triples | floor s | validate, no store s | validate s (× floor) | peak RSS MB "
        "| validate, report kept s | validate FILE s | FILE RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {Path(row['tree']).name} | {row['triples']:,} | {row['floor']:.2f} | {row['cold']:.2f} | "
            f"{row['full']:.2f} ({row['full'] / row['floor']:.1f}×) | {row['full_rss']:.0f} | {row['kept']:.2f} | "
            f"{row['file']:.2f} | {row['file_rss']:.0f} |"
        )
    if any(engines):
        print("\n| graph | Jena SHACL process s | first validation s | warm validation s | results |")
        print("|---|---|---|---|---|")
        for row, engine in zip(rows, engines, strict=True):
            if engine:
                print(
                    f"| {Path(row['tree']).name} | {engine['process']:.2f} | {engine['first']:.2f} | "
                    f"{engine['warm']:.2f} | {engine['results']:,} |"
                )
    for small, large in itertools.pairwise(rows[1 if args.paper_only else 0 :][1:]):
        exponent = math.log(large["full"] / small["full"]) / math.log(large["triples"] / small["triples"])
        print(f"growth exponent {Path(small['tree']).name} -> {Path(large['tree']).name}: {exponent:.2f}")


if __name__ == "__main__":
    main()
