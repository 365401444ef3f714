"""Load benchmark of ``oaik serve`` against ``oxigraph serve-read-only`` on the same data, in the same run.

Both servers run on 127.0.0.1 as separate processes; one asyncio client
(a new connection per request, ``Connection: close`` for both) sends a canned
query and an ad-hoc query at concurrency 1, 8, 32 and 64 for a fixed number
of seconds each, and reports requests per second, p50 and p99 latency and
errors (anything but a 200, or a failed connection). Then it measures the
resident memory of the ``oaik serve`` process while it holds 400 idle
connections and 20 slow readers of a large result.

The machine is shared, so absolute figures move from run to run: compare the
ratios to Oxigraph, measured side by side. Everything stops by itself.

Run: python benchmarks/load_bench.py [--seconds 3] [--markdown docs/server-performance.md]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

HOST = "127.0.0.1"
CANNED = "table-1"
CONCURRENCY = (1, 8, 32, 64)
IDLE_CONNECTIONS = 400
SLOW_READERS = 20
LARGE = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50000"  # large, but under the default --max-rows (100,000)


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode} before answering on {url}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
            response.read()
            return
        time.sleep(0.1)
    raise SystemExit(f"no answer on {url} within {seconds:g} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def oaik_serve() -> Iterator[tuple[int, int, subprocess.Popen]]:
    """``oaik serve`` as a user runs it; yields (port, pid, process)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oaik.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/health", process)
        yield port, process.pid, process
    finally:
        stop(process)


@contextlib.contextmanager
def oxigraph_serve(folder: Path) -> Iterator[int]:
    """``oxigraph serve-read-only`` on a store loaded with the same triples; yields its port."""
    import pyoxigraph as ox

    from oaik.store.graph import load_store

    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        raise SystemExit(
            "the oxigraph binary is missing: pip install -e '.[test]' (it comes with the oxigraph package)"
        )
    dump = folder / "graph.nq"
    load_store().dump(str(dump), format=ox.RdfFormat.N_QUADS)
    location = folder / "oxigraph"
    subprocess.run(
        [str(binary), "load", "--location", str(location), "--file", str(dump)], check=True, capture_output=True
    )
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "serve-read-only", "--location", str(location), "--bind", f"{HOST}:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/query?query=ASK%7B%7D", process)
        yield port
    finally:
        stop(process)


# --- the client ----------------------------------------------------------------------------


def request(target: str) -> bytes:
    return (
        f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n\r\n"
    ).encode()


async def exchange(port: int, raw: bytes) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(raw)
        response = await reader.read()
    finally:
        writer.close()
    return int(response.split(b" ", 2)[1])


async def load(port: int, raw: Callable[[int], bytes], concurrency: int, seconds: float) -> dict:
    """``raw(n)`` is the n-th request of the run."""
    latencies: list[float] = []
    errors = 0
    end = time.monotonic() + seconds
    numbers = itertools.count()

    async def client() -> None:
        nonlocal errors
        while time.monotonic() < end:
            started = time.perf_counter()
            try:
                ok = await asyncio.wait_for(exchange(port, raw(next(numbers))), 30) == 200
            except (OSError, ValueError, IndexError, asyncio.TimeoutError):
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


async def warm_up(port: int, raw: Callable[[int], bytes], workers: int = 4) -> None:
    """Two requests per query worker (fills the cache; each worker judges the text once)."""
    for _ in range(2):
        await asyncio.gather(*(exchange(port, raw(-1 - n)) for n in range(workers)))


# --- memory under idle connections and slow readers ----------------------------------------


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def hold(port: int, pid: int) -> dict:
    """Parent RSS (peak of samples) while 20 slow readers of a large result and 400 idle connections are held.

    The readers come first and get their answers started; the idle connections
    then stay open for less than the server's 10 s request deadline.
    """
    baseline = rss_mib(pid)
    target = "/sparql?" + urllib.parse.urlencode({"query": LARGE})
    raw = f"GET {target} HTTP/1.1\r\nHost: {HOST}\r\nAccept: application/n-triples\r\n\r\n".encode()
    readers = []
    for _ in range(SLOW_READERS):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # so the kernel does not take the whole answer
        sock.connect((HOST, port))
        reader, writer = await asyncio.open_connection(sock=sock, limit=1024)
        writer.write(raw)
        readers.append((reader, writer))
    state = {"peak": baseline, "received": 0}
    started: set[int] = set()

    async def read_slowly(seconds: float, until_all_started: bool = False) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (until_all_started and len(started) == len(readers)):
            for number, (reader, _) in enumerate(readers):  # at most 1 KiB per reader and round: slow clients
                with contextlib.suppress(asyncio.TimeoutError):
                    chunk = await asyncio.wait_for(reader.read(1024), 0.05)
                    state["received"] += len(chunk)
                    started.add(number) if chunk else None
            state["peak"] = max(state["peak"], rss_mib(pid))
            await asyncio.sleep(0.2)

    await read_slowly(60, until_all_started=True)  # every answer is computed and being sent
    idle = [await asyncio.open_connection(HOST, port) for _ in range(IDLE_CONNECTIONS)]
    await read_slowly(5)
    for _, writer in [*idle, *readers]:
        writer.close()
    return {"baseline": baseline, "started": len(started), **state}


# --- the report ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement (default 3)")
    parser.add_argument("--markdown", type=Path, help="also write the table into this Markdown file")
    args = parser.parse_args()

    from oaik.query.canned import bind, get_query

    text = bind(get_query(CANNED), {})

    def sparql(path: str, numbered: bool = False) -> Callable[[int], bytes]:
        """Requests of ``text`` on ``path``; ``numbered``: a different text each time (a trailing comment)."""
        fixed = request(f"{path}?" + urllib.parse.urlencode({"query": text}))
        if not numbered:
            return lambda n: fixed
        return lambda n: request(f"{path}?" + urllib.parse.urlencode({"query": f"{text}\n# request {n}"}))

    canned = request(f"/queries/{CANNED}")
    targets = {
        "canned": (lambda n: canned, sparql("/query")),
        "ad-hoc": (sparql("/sparql"), sparql("/query")),
        "ad-hoc, new text each time": (sparql("/sparql", True), sparql("/query", True)),
    }
    rows = []
    with (
        tempfile.TemporaryDirectory() as folder,
        oxigraph_serve(Path(folder)) as oxigraph_port,
        oaik_serve() as (oaik_port, pid, _),
    ):
        for kind, (oaik_raw, oxigraph_raw) in targets.items():
            for concurrency in CONCURRENCY:
                asyncio.run(warm_up(oaik_port, oaik_raw))
                ours = asyncio.run(load(oaik_port, oaik_raw, concurrency, args.seconds))
                theirs = asyncio.run(load(oxigraph_port, oxigraph_raw, concurrency, args.seconds))
                rows.append((kind, concurrency, ours, theirs))
                print(line(kind, concurrency, ours, theirs), flush=True)
        memory = asyncio.run(hold(oaik_port, pid))
    table = report(rows, memory, args.seconds)
    print(table)
    if args.markdown:
        write_section(args.markdown, table)


def line(kind: str, concurrency: int, ours: dict, theirs: dict) -> str:
    return (
        f"| {kind} | {concurrency} | {ours['rps']:.0f} | {ours['p50']:.1f} | {ours['p99']:.1f} | {ours['errors']} "
        f"| {theirs['rps']:.0f} | {theirs['p50']:.1f} | {theirs['p99']:.1f} | {theirs['errors']} "
        f"| {ours['rps'] / theirs['rps']:.2f} |"
    )


def report(rows: list, memory: dict, seconds: float) -> str:
    out = [
        f"Query: `{CANNED}` ({seconds:g} s per cell; a new connection per request). "
        "Ad-hoc: the same text each time (the workers remember the read-only check's verdict), "
        "or a new text each time (a numbered comment: rdflib parses every request).",
        "",
        "| query | clients | oaik req/s | p50 ms | p99 ms | errors | oxigraph req/s | p50 ms | p99 ms | errors | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(line(*row) for row in rows),
        "",
        f"`oaik serve` process RSS: {memory['baseline']:.0f} MiB idle, peak {memory['peak']:.0f} MiB while holding "
        f"{IDLE_CONNECTIONS} idle connections and {SLOW_READERS} slow readers of `{LARGE}` "
        f"({memory['started']} of them receiving; they read {memory['received'] // 1024} KiB in all, "
        "through 4 KiB receive buffers).",
        "",
        "Goals:",
    ]
    cell = {(kind, c): (ours, theirs) for kind, c, ours, theirs in rows}
    kinds = list(dict.fromkeys(kind for kind, *_ in rows))

    def at(kind: str, clients: int, what: str) -> str:
        return f"{cell[(kind, clients)][0][what]:.0f} vs Oxigraph {cell[(kind, clients)][1][what]:.0f}"

    goals = [
        (f"canned at 8 clients >= Oxigraph's req/s ({at('canned', 8, 'rps')})", _ratio(cell, "canned", 8) >= 1),
        *(
            (f"{kind} at 8 clients >= 0.3 x Oxigraph's req/s ({at(kind, 8, 'rps')})", _ratio(cell, kind, 8) >= 0.3)
            for kind in kinds[1:]
        ),
        *(
            (f"p99 <= 200 ms at 32 clients, {kind} ({at(kind, 32, 'p99')} ms)", cell[(kind, 32)][0]["p99"] <= 200)
            for kind in kinds
        ),
        *((f"no errors at 64 clients, {kind}", cell[(kind, 64)][0]["errors"] == 0) for kind in kinds),
        (
            f"RSS < 150 MiB with {IDLE_CONNECTIONS} idle connections and {SLOW_READERS} slow readers",
            memory["peak"] < 150,
        ),
    ]
    out += [f"- {'met' if met else 'NOT met'}: {goal}" for goal, met in goals]
    return "\n".join(out)


def _ratio(cell: dict, kind: str, clients: int) -> float:
    ours, theirs = cell[(kind, clients)]
    return ours["rps"] / theirs["rps"]


BEGIN, END = "<!-- load_bench:begin -->", "<!-- load_bench:end -->"


def write_section(path: Path, table: str) -> None:
    """Replace the generated part of ``path`` (between the markers) with ``table``."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
