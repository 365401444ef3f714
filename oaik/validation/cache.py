"""The report of a full validation, kept until anything it depends on changes.

The graph, the shapes and the validator's code decide the report. Its key is
a SHA-256 over the oaik version and the content of every one of those files,
so an edit anywhere (even one that keeps a file's size and time) is a new key.
The report lives as JSON beside the persistent stores (``$OAIK_STORE`` or
``~/.cache/oaik``), one file per checkout, written atomically; with
``OAIK_STORE=:memory:``, or where the folder cannot be written, nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from oaik import __version__
from oaik.validation.validate import Report, Result

#: Bump when the cached JSON changes shape.
FORMAT = 1


def full_report(files: list[Path], compute: Callable[[], Report]) -> Report:
    """The report of validating ``files`` whole: from the cache if nothing changed, else ``compute()`` (then kept)."""
    location = _location()
    key = report_key(files)
    cached = _read(location, key) if location else None
    if cached is not None:
        return cached
    report = compute()
    if location and not report.syntax_errors:
        _write(location, key, report)
    return report


def report_key(files: Iterable[Path]) -> str:
    """A digest of everything a full report depends on: version, graph files, shapes and validator code."""
    from oaik.paths import shapes_dir, turtle_files
    from oaik.store.persistent import file_sha256

    digest = hashlib.sha256(f"{__version__}\n{FORMAT}\n".encode())
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*files, *turtle_files(shapes_dir()), *code]:
        digest.update(f"{path.resolve()}\n".encode())
        digest.update(f"{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def _location() -> Path | None:
    """Beside the persistent store of the shipped graph (None: kept in memory)."""
    from oaik.store.persistent import store_location

    store = store_location()
    return None if store is None else store.with_name(store.name + "-report.json")


def _read(location: Path, key: str) -> Report | None:
    try:
        document = json.loads(location.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("key") != key:
        return None
    try:
        results = [Result(**fields) for fields in document["results"]]
        return Report(results, list(document["files"]), timings={"cached": 1.0})
    except (KeyError, TypeError):
        return None


def _write(location: Path, key: str, report: Report) -> None:
    from oaik.files import write_atomically

    document = {"key": key, "files": report.files, "results": [r.as_dict() for r in report.results]}
    with contextlib.suppress(OSError):  # a cache that cannot be written is only a slower next run
        write_atomically(location, json.dumps(document, ensure_ascii=False))
