"""How long does ``oaik validate`` take, and where does the time go?

Not a test: run it by hand (or in CI, for the record)::

    python benchmarks/validate_bench.py            # 7 runs of each
    python benchmarks/validate_bench.py --runs 15 --contribution tests/resources/contributions/valid/fictional-project.ttl

It reports

* the median wall time of ``oaik validate`` as a whole process (a subprocess,
  so Python start-up and imports count), for the shipped graph and for one
  contribution;
* the median time of each phase measured in-process (imports, parsing, the
  merged store and rdflib graph, the term checks, preparing the shapes, pySHACL,
  building the report), from :attr:`oaik.validation.validate.Report.timings`.

Target: under 2 s for the whole process on the shipped data.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONTRIBUTION = REPO / "tests" / "resources" / "contributions" / "valid" / "fictional-project.ttl"


def oaik_command() -> list[str]:
    found = shutil.which("oaik", path=str(Path(sys.executable).parent)) or shutil.which("oaik")
    return [found] if found else [sys.executable, "-m", "oaik.cli"]


def wall_times(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            oaik_command() + args, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return times


def phases(paths: list[str] | None, runs: int) -> dict[str, list[float]]:
    """Per-phase times in a fresh interpreter each run (so imports and caches are cold)."""
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "import pyshacl, rdflib, pyoxigraph\n"
        "from oaik.validation.validate import Validator\n"
        "from oaik.validation.report import render\n"
        "imports = time.perf_counter() - t\n"
        f"report = Validator().validate({paths!r})\n"
        "t = time.perf_counter(); render(report); output = time.perf_counter() - t\n"
        "print(json.dumps(dict(imports=imports, **report.timings, output=output)))\n"
    )
    collected: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
        import json

        for name, seconds in json.loads(done.stdout.strip().splitlines()[-1]).items():
            collected.setdefault(name, []).append(seconds)
    return collected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--contribution", default=str(DEFAULT_CONTRIBUTION))
    options = parser.parse_args()

    from oaik.store.graph import parse_files

    triples = sum(len(f.triples) for f in parse_files())
    print(f"shipped graph: {triples} triples; {options.runs} runs each; medians\n")
    for label, args, paths in (
        ("oaik validate (shipped graph)", ["validate"], None),
        ("oaik validate CONTRIBUTION", ["validate", options.contribution], [options.contribution]),
    ):
        wall = statistics.median(wall_times(args, options.runs))
        print(f"{label:<34} wall {wall:6.2f} s   (whole process)")
        for name, seconds in phases(paths, options.runs).items():
            print(f"    {name:<10} {statistics.median(seconds):6.3f} s")
        print()


if __name__ == "__main__":
    main()
