"""Scale benchmark: each oaik command against its floor, at several graph sizes, with peak RSS.

    python benchmarks/scale/run.py --sizes 100000 1000000 [--validate] [--timeout 900] [--out docs/performance.md]

For each size a synthetic checkout is generated (benchmarks/scale/generate.py)
and each command runs as a whole process (``PYTHONPATH=<checkout> python -m
oaik.cli ...``) under ``/usr/bin/time``, next to its floor (benchmarks/scale/floor.py):

| command | floor |
|---|---|
| ``oaik stats`` cold (no store yet) | loading the files into an in-memory store + the same queries; ``bulk_load`` of all files (one N-Quads file, named graphs, made beforehand) into a new on-disk store + the same queries; and ``bulk_load`` of each Turtle file into its named graph of a new on-disk store + the same queries |
| ``oaik stats`` warm | the same |
| ``oaik query grassroots-compute-partnerships`` warm | python + opening the existing store read-only + the same query |
| ``oaik export --format turtle`` | loading + ``dump`` as Turtle |
| ``oaik export --format jsonld`` | loading + ``dump`` as JSON-LD |
| ``oaik validate`` (with ``--validate``) | loading + the stats queries (a lower bound only) |
| ``oaik validate`` warm, one changed project file (the kept report revised) | the same |
| ``oaik validate FILE`` warm, one changed project file | the same |

Ratios are measured side by side in one run, so that load from other
processes on the machine distorts both sides alike. The table (markdown) is
printed and written to ``--out``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "grassroots-compute-partnerships"


@dataclass
class Measure:
    seconds: float | None  # None: timed out or failed
    rss_mb: float | None
    note: str = ""


def measure(command: list[str], env: dict[str, str], timeout: float, cwd: Path) -> Measure:
    """Wall time and peak RSS of one process (``/usr/bin/time -f '%e %M'``) run in ``cwd``.

    The checkout is the working folder: ``python -m`` puts it first on the
    module path, so its copy of the package (and so its graph) is the one run.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        try:
            done = subprocess.run(
                ["/usr/bin/time", "-o", report.name, "-f", "%e %M", *command],
                env=env,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return Measure(None, None, f"stopped after {timeout:g} s")
        fields = report.read().split()
    if done.returncode not in (0, 1) or len(fields) < 2:
        return Measure(None, None, f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    note = "exit 1 (problems found)" if done.returncode == 1 else ""
    return Measure(float(fields[-2]), int(fields[-1]) / 1024, note)


def stats_queries(folder: Path) -> list[str]:
    """The queries `oaik stats` runs, as files for the floor."""
    from oaik.query import stats

    texts = [stats._SUMMARY.format(iri) for iri in stats.SUMMARY.values()] + [stats._INSTANCES]
    paths = []
    for number, text in enumerate(texts):
        path = folder / f"stats-{number}.rq"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def store_folder(cache: Path) -> str:
    (folder,) = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return str(folder)


def bench_size(size: int, work: Path, timeout: float, validate: bool, only_validate: bool = False) -> list[tuple]:
    python = sys.executable
    root = work / f"checkout-{size}"
    if not (root / "data").is_dir():
        subprocess.run([python, str(HERE / "generate.py"), "--triples", str(size), "--out", str(root)], check=True)
    shutil.rmtree(root / "oaik")  # measure the code of this checkout, not the copy made when the data was generated
    shutil.copytree(HERE.parent.parent / "oaik", root / "oaik", ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compiled, as pip leaves an installed package (PYTHONDONTWRITEBYTECODE would otherwise make
    # every run compile the modules it imports again: 20-40 ms of each command).
    subprocess.run([python, "-m", "compileall", "-q", str(root / "oaik")], check=True)
    cache = work / f"store-{size}"
    if not only_validate:
        shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(root), "OAIK_STORE": str(cache)}
    oaik = [python, "-m", "oaik.cli"]
    floor = [python, str(HERE / "floor.py")]
    queries = stats_queries(work)
    load_query = [*floor, "load-query", str(root), *queries]
    out = work / "out"
    out.mkdir(exist_ok=True)
    rows = []

    def row(label: str, command: list[str], floor_command: list[str] | None, shown: str, shown_floor: str):
        mine = measure(command, env, timeout, root)
        base = measure(floor_command, env, timeout, root) if floor_command else Measure(None, None)
        rows.append((size, label, mine, base, shown, shown_floor))
        print(format_row(rows[-1]), flush=True)
        return mine

    if only_validate:
        validation_rows(row, oaik, load_query, root)
        return rows
    cold = row(
        "`oaik stats` cold (builds the store)", [*oaik, "stats"], load_query, "oaik stats", "floor.py load-query"
    )
    nquads = work / f"all-{size}.nq"
    subprocess.run([*floor, "nquads", str(root), str(nquads)], check=True)
    disk = work / f"floor-store-{size}"
    shutil.rmtree(disk, ignore_errors=True)
    base = measure([*floor, "disk-load-query", str(nquads), str(disk), *queries], env, timeout, root)
    rows.append((size, "`oaik stats` cold, against an on-disk floor (one N-Quads file)", cold, base, "", ""))
    print(format_row(rows[-1]), flush=True)
    shutil.rmtree(disk, ignore_errors=True)
    base = measure([*floor, "disk-load-files-query", str(root), str(disk), *queries], env, timeout, root)
    rows.append((size, "`oaik stats` cold, against `bulk_load` of each file", cold, base, "", ""))
    print(format_row(rows[-1]), flush=True)
    shutil.rmtree(disk, ignore_errors=True)
    row("`oaik stats` warm", [*oaik, "stats"], load_query, "oaik stats", "floor.py load-query")
    canned = str(root / "queries" / f"{QUERY}.rq")
    row(
        f"`oaik query {QUERY}` warm",
        [*oaik, "query", QUERY],
        [*floor, "open-query", store_folder(cache), canned],
        f"oaik query {QUERY}",
        "floor.py open-query STORE",
    )
    for fmt, suffix in (("turtle", "ttl"), ("jsonld", "jsonld")):
        row(
            f"`oaik export --format {fmt}`",
            [*oaik, "export", "--format", fmt, "-o", str(out / f"export.{suffix}")],
            [*floor, "load-dump", str(root), fmt, str(out / f"floor.{suffix}")],
            f"oaik export --format {fmt} -o FILE",
            f"floor.py load-dump ROOT {fmt} FILE",
        )
    if validate:
        validation_rows(row, oaik, load_query, root)
    return rows


def validation_rows(row, oaik: list[str], load_query: list[str], root: Path) -> None:
    row("`oaik validate`", [*oaik, "validate"], load_query, "oaik validate", "floor.py load-query")
    changed = root / "data" / "projects" / "typhoon-s1.ttl"
    touch(changed)
    row(
        "`oaik validate` warm, one changed file (the kept report revised)",
        [*oaik, "validate"],
        load_query,
        "oaik validate",
        "floor.py load-query",
    )
    touch(changed)
    row(
        "`oaik validate FILE` warm, one changed file",
        [*oaik, "validate", str(changed)],
        load_query,
        "oaik validate data/projects/typhoon-s1.ttl",
        "floor.py load-query",
    )


def touch(path: Path) -> None:
    """Change a file's bytes (not its triples): what it costs to validate again after an edit of that file."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n# touched by the benchmark\n")


def cell(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}"


def ratio(mine: float | None, base: float | None) -> str:
    return "—" if mine is None or not base else f"{mine / base:.2f}×"


def format_row(item: tuple) -> str:
    size, label, mine, base, _, _ = item
    note = f" ({mine.note})" if mine.note else ""
    return (
        f"| {size:,} | {label}{note} | {cell(mine.seconds, 's')} | {cell(mine.rss_mb, 'MB')} | "
        f"{cell(base.seconds, 's')} | {cell(base.rss_mb, 'MB')} | {ratio(mine.seconds, base.seconds)} | "
        f"{ratio(mine.rss_mb, base.rss_mb)} |"
    )


HEADER = (
    "| triples | command | time | peak RSS | floor time | floor RSS | time / floor | RSS / floor |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "oaik-scale")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds before a command is stopped")
    parser.add_argument("--validate", action="store_true", help="also time oaik validate (slow before issue 10)")
    parser.add_argument(
        "--only-validate",
        action="store_true",
        help="time oaik validate only, on the checkouts and stores already there",
    )
    parser.add_argument("--out", type=Path, help="write the table (markdown) to this file")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(HERE.parent.parent))
    print(HEADER, flush=True)
    rows = []
    for size in args.sizes:
        rows += bench_size(size, args.work, args.timeout, args.validate, args.only_validate)
    if args.out:
        args.out.write_text(HEADER + "\n" + "\n".join(format_row(r) for r in rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
