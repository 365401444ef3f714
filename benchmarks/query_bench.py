"""Benchmark the main job: canned queries on the embedded graph.

Reports
- the median wall time of ``oaik query grassroots-compute-partnerships`` as a
  whole process with the store warm, next to three floors measured in the same
  run: a bare interpreter that imports pyoxigraph, parses the shipped files and
  runs the same query; one that opens oaik's store read-only and runs it
  (``benchmarks/scale/floor.py open-query``, which also imports pathlib); and a
  lean one that imports nothing but pyoxigraph to do the same;
- where the time of one run goes (imports, parsing, query, formatting);
- the median in-process time of every canned query on a loaded store.

Run: python benchmarks/query_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = "grassroots-compute-partnerships"

FLOOR = """
import pyoxigraph as ox
from pathlib import Path
root = Path({root!r})
store = ox.Store()
for folder in ("ontology", "data"):
    for path in sorted((root / folder).rglob("*.ttl")):
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
text = (root / "queries" / {query!r}).read_text()
print(len(list(store.query(text))))
"""


def wall(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def phases() -> dict[str, float]:
    """Time one cold run's phases in a fresh interpreter."""
    code = f"""
import time
t0 = time.perf_counter()
import oaik.cli, oaik.query.canned, oaik.query.backends, oaik.query.results, oaik.store.graph
t1 = time.perf_counter()
from oaik.store.graph import load_store
store = load_store()
t2 = time.perf_counter()
from oaik.query.canned import bind, get_query
from oaik.query.backends import EmbeddedBackend
result = EmbeddedBackend(store).run(bind(get_query({QUERY!r}), {{}}))
t3 = time.perf_counter()
from oaik.query.results import render
render(result, "table")
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, len(store))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    imports, parse, query, fmt, triples = (float(x) for x in out)
    return {
        "imports": imports,
        "parse (pyoxigraph, all files)": parse,
        "query": query,
        "format": fmt,
        "triples": triples,
    }


def in_process(runs: int) -> list[tuple[str, float, int]]:
    from oaik.query.backends import EmbeddedBackend
    from oaik.query.canned import bind, load_queries
    from oaik.store.graph import load_store

    backend = EmbeddedBackend(load_store())
    results = []
    for name, query in load_queries().items():
        text = bind(query, {})
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            rows = len(backend.run(text).bindings)
            times.append(time.perf_counter() - start)
        results.append((name, statistics.median(times), rows))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from oaik.paths import resource_root

    oaik_bin = Path(sys.executable).with_name("oaik")
    root = Path(__file__).resolve().parent.parent
    query_file = str(resource_root() / "queries" / f"{QUERY}.rq")
    wall([str(oaik_bin), "query", QUERY], 1)  # the store is brought up to date: the runs below are warm
    store = json.loads(
        subprocess.run([str(oaik_bin), "store", "info", "--format", "json"], capture_output=True, check=True).stdout
    )["location"]
    from oaik.namespaces import PREFIXES

    lean = (
        f"import pyoxigraph as ox\nstore = ox.Store.read_only({store!r})\n"
        f"print(len(list(store.query(open({query_file!r}).read(), prefixes={PREFIXES!r}))))\n"
    )
    runs = {
        f"oaik query {QUERY} (whole process, store warm)": [str(oaik_bin), "query", QUERY],
        "floor: python + pyoxigraph import + parse the files + query": [
            sys.executable,
            "-c",
            FLOOR.format(root=str(resource_root()), query=f"{QUERY}.rq"),
        ],
        "floor: floor.py open-query (python, pathlib, open the store read-only, query)": [
            sys.executable,
            str(root / "benchmarks" / "scale" / "floor.py"),
            "open-query",
            store,
            query_file,
        ],
        "floor: lean (python, pyoxigraph only, open the store read-only, query)": [sys.executable, "-c", lean],
    }
    medians = {}
    for label, command in runs.items():
        times = wall(command, args.runs)
        medians[label] = statistics.median(times)
        print(label)
        print(f"  median {medians[label] * 1000:7.1f} ms   min {min(times) * 1000:7.1f} ms")
    ours = next(iter(medians.values()))
    print("oaik query against each floor: " + ", ".join(f"{ours / m:.2f}x" for m in list(medians.values())[1:]) + "\n")
    print("one cold run, by phase:")
    for phase, seconds in phases().items():
        print(f"  {phase:<30} {seconds:10.0f}" if phase == "triples" else f"  {phase:<30} {seconds * 1000:8.1f} ms")
    print(f"\ncanned queries in-process on a loaded store (median of {args.runs}):")
    for name, seconds, rows in in_process(args.runs):
        print(f"  {name:<40} {seconds * 1000:8.2f} ms  {rows:5d} rows")


if __name__ == "__main__":
    main()
