"""How much do the imported openness indices (data/imports/) cost validation and queries?

Not a test: run it by hand::

    python benchmarks/imports_bench.py [--runs 3] [--skip-validate]

For the shipped graph without data/imports/ (the floor) and with it, side by
side in the same run, it reports the triples, the median time to parse the
files into a store, to run a few canned queries on it, and to validate it
with ``oaik.validation.validate.Validator`` (the engine ``oaik validate``
uses), and the ratio of each to the floor.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

QUERIES = {
    "table-1": {},
    "conflicting-claims": {},
    "openness-profile": {"model": "model:pythia"},
    "openness-disagreements": {},
    "openness-coverage": {},
}


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        clock = time.perf_counter()
        function()
        times.append(time.perf_counter() - clock)
    return statistics.median(times)


def measure(files: list[Path], runs: int, validate: bool) -> dict[str, float]:
    from oaik.query.backends import EmbeddedBackend
    from oaik.query.canned import bind, load_queries
    from oaik.store.graph import parse_files, to_store

    found: dict[str, float] = {}
    found["parse+store"] = median_time(lambda: to_store(parse_files(files)), runs)
    store = to_store(parse_files(files))
    found["triples"] = float(len(store))
    backend, queries = EmbeddedBackend(store), load_queries()
    for name, params in QUERIES.items():
        found[f"query {name}"] = median_time(lambda n=name, p=params: backend.run(bind(queries[n], p)), runs)
    if validate:
        from oaik.validation.validate import Validator

        found["validate"] = median_time(lambda: Validator(files).validate(), runs)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-validate", action="store_true")
    args = parser.parse_args()
    from oaik.paths import data_dir, graph_files

    imports = data_dir() / "imports"
    everything = graph_files()
    floor = [f for f in everything if imports not in f.parents]
    base = measure(floor, args.runs, not args.skip_validate)
    grown = measure(everything, args.runs, not args.skip_validate)
    print(f"{'measure':<32} {'without imports':>16} {'with imports':>14} {'ratio':>7}")
    for key in base:
        unit = "" if key == "triples" else " s"
        print(f"{key:<32} {base[key]:>14.3f}{unit:2} {grown[key]:>12.3f}{unit:2} {grown[key] / base[key]:>7.1f}")


if __name__ == "__main__":
    main()
