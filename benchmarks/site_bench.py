"""Benchmark `oaik site`: the whole build as a process, next to a floor, in the same run.

The floor is the least any site build must do: a bare interpreter that parses
the graph's files with pyoxigraph and writes one Turtle description and one
small HTML file per instance IRI (no templates, no figures, no downloads).
Reported: median wall times, their ratio, and files written per second.

    python benchmarks/site_bench.py [--runs 3] [--jobs 1] [--checkout DIR]

``--checkout`` runs against a synthetic checkout made by
benchmarks/scale/generate.py (its package and graph are used via PYTHONPATH).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import sys, pyoxigraph as ox
from pathlib import Path
root, out = Path(sys.argv[1]), Path(sys.argv[2])
store = ox.Store()
for folder in ("ontology", "data"):
    for path in sorted((root / folder).rglob("*.ttl")):
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
base = "https://w3id.org/oaik/id/"
subjects = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None)
                   if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(base)})
for iri in subjects:
    target = out / (iri[len(base):] + ".ttl")
    target.parent.mkdir(parents=True, exist_ok=True)
    triples = [q.triple for q in store.quads_for_pattern(ox.NamedNode(iri), None, None)]
    target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
    target.with_suffix(".html").write_text(f"<!DOCTYPE html><title>{iri}</title><h1>{iri}</h1>")
print(len(subjects))
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--checkout", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.checkout)}
    site_times, floor_times, files = [], [], 0
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):  # interleaved, so that load from other processes hits both alike
            out = Path(folder) / f"site-{run}"
            site_times.append(
                timed([sys.executable, "-m", "oaik.cli", "site", "-o", str(out), "-j", str(args.jobs)], env)
            )
            files = sum(1 for p in out.rglob("*") if p.is_file())
            shutil.rmtree(out)
            floor_out = Path(folder) / f"floor-{run}"
            floor_times.append(timed([sys.executable, "-c", FLOOR, str(args.checkout), str(floor_out)], env))
            shutil.rmtree(floor_out)
    site, floor = statistics.median(site_times), statistics.median(floor_times)
    print(f"oaik site -j {args.jobs}: {site:.2f} s median of {args.runs} ({files} files, {files / site:.0f} files/s)")
    print(f"floor (parse + one .ttl and .html per instance): {floor:.2f} s")
    print(f"ratio site / floor: {site / floor:.1f}")


if __name__ == "__main__":
    main()
