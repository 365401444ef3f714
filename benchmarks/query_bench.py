"""Benchmark the main job: canned queries on the embedded graph.

Reports
- the median wall time of ``oaik query grassroots-compute-partnerships`` as a
  whole process, next to the floor: a bare interpreter that imports pyoxigraph,
  parses the shipped files and runs the same query;
- where the time of one run goes (imports, parsing, query, formatting);
- the median in-process time of every canned query on a loaded store.

Run: python benchmarks/query_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
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
    whole = wall([str(oaik_bin), "query", QUERY], args.runs)
    floor = wall([sys.executable, "-c", FLOOR.format(root=str(resource_root()), query=f"{QUERY}.rq")], args.runs)
    print(f"oaik query {QUERY} (whole process, {args.runs} runs)")
    print(f"  median {statistics.median(whole) * 1000:7.1f} ms   min {min(whole) * 1000:7.1f} ms")
    print("floor: python + pyoxigraph import + parse + query")
    print(f"  median {statistics.median(floor) * 1000:7.1f} ms   min {min(floor) * 1000:7.1f} ms")
    print(f"  ratio  {statistics.median(whole) / statistics.median(floor):.2f}x the floor\n")
    print("one cold run, by phase:")
    for phase, seconds in phases().items():
        print(f"  {phase:<30} {seconds:10.0f}" if phase == "triples" else f"  {phase:<30} {seconds * 1000:8.1f} ms")
    print(f"\ncanned queries in-process on a loaded store (median of {args.runs}):")
    for name, seconds, rows in in_process(args.runs):
        print(f"  {name:<40} {seconds * 1000:8.2f} ms  {rows:5d} rows")


if __name__ == "__main__":
    main()
