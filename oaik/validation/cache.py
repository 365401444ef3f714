"""The report of a full validation, kept until anything it depends on changes, and revised when only data did.

The graph, the shapes and the validator's code decide the report. It is
kept with a SHA-256 over the oaik version, the shapes and the validator's
code (the *engine*), and the SHA-256 of every graph file by resolved path.
A file's hash is read from the store's manifest while its size and
modification time are those recorded there, as the store decides what
changed (docs/store.md), so a warm run reads no unchanged file.
Nothing changed: the report is reused. Only data files changed: the report
is revised (:mod:`oaik.validation.revise`: only the nodes the edits can
affect are validated again) where that is possible, else recomputed. The
report lives as JSON beside the persistent stores (``$OAIK_STORE`` or
``~/.cache/oaik``), one file per checkout, written atomically; with
``OAIK_STORE=:memory:``, or where the folder cannot be written, nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from oaik import __version__
from oaik.validation.validate import Report, Result

#: Bump when the cached JSON changes shape.
FORMAT = 2

#: ``revise(previous report, its file hashes, the current ones)``: the report revised, or None (recompute).
Reviser = Callable[[Report, dict[str, str], dict[str, str]], Report | None]


def full_report(
    files: list[Path], compute: Callable[[], Report], revise: Reviser | None = None, roots: list[Path] | None = None
) -> Report:
    """The report of validating ``files`` (the graph of ``roots``) whole: kept, revised or computed (then kept)."""
    from oaik.store.persistent import content_hashes

    location = _location(roots)
    engine = engine_key()
    hashes = content_hashes(files, roots)  # of unchanged files as the store's manifest records them
    kept = _read(location) if location else None
    report = None
    if kept is not None and kept[0] == engine:
        previous, before = kept[1], kept[2]
        if before == hashes:
            previous.timings = {"cached": 1.0}
            return previous
        if revise is not None:
            report = revise(previous, before, hashes)
    if report is None:
        report = compute()
    if location and not report.syntax_errors:
        _write(location, engine, hashes, report)
    return report


def engine_key() -> str:
    """A digest of what a report depends on besides the graph: the oaik version, the shapes and the validator's code."""
    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.persistent import file_sha256

    digest = hashlib.sha256(f"{__version__}\n{FORMAT}\n".encode())
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*turtle_files(shapes_dir()), *code]:
        digest.update(f"{path.resolve()}\n{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def _location(roots: list[Path] | None) -> Path | None:
    """Beside the persistent store of the graph (None: kept in memory)."""
    from oaik.store.persistent import store_location

    store = store_location(roots)
    return None if store is None else store.with_name(store.name + "-report.json")


def _read(location: Path) -> tuple[str, Report, dict[str, str]] | None:
    """(engine key, report, file hashes) as kept, or None when missing, damaged or of another format."""
    try:
        document = json.loads(location.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    try:
        results = [Result(**fields) for fields in document["results"]]
        report = Report(results, list(document["files"]), anchors=dict(document["anchors"]))
        return str(document["engine"]), report, dict(document["hashes"])
    except (KeyError, TypeError, ValueError):
        return None


def _write(location: Path, engine: str, hashes: dict[str, str], report: Report) -> None:
    from oaik.files import write_atomically

    document = {
        "format": FORMAT,
        "engine": engine,
        "hashes": hashes,
        "files": report.files,
        "results": [r.as_dict() for r in report.results],
        "anchors": report.anchors,
    }
    with contextlib.suppress(OSError):  # a cache that cannot be written is only a slower next run
        write_atomically(location, json.dumps(document, ensure_ascii=False))
