"""The persistent graph store: a RocksDB store on disk kept in step with the Turtle files.

One store per set of source folders (by default the shipped ontology and
data), in a cache folder (:func:`store_location`). Each source file is one
named graph (:func:`graph_name`), and the default graph holds their merge
(each triple once, as SPARQL's default graph is a set): queries read the
default graph. A manifest beside the data records each file's size,
modification time and SHA-256; on every open:

- unchanged files are not read again (same size and time, or same hash);
- a changed or new file's graph is replaced, a removed file's graph dropped;
- a store that is missing, unreadable or of another format or oaik version
  is rebuilt from scratch into a fresh folder that is renamed into place.

Safety: the manifest is rewritten without the entries of the files about to
change *before* their graphs are touched, and with their new hashes only
*after* the graphs are committed, so a process killed mid-update leaves
files that the next open parses again. Processes coordinate with a lock
file: updates take it exclusively (others wait), readers share it and open
the store read-only. Where no cache folder can be written, or with
``OAIK_STORE=:memory:``, the store is built in memory for the process.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from oaik import __version__
from oaik.errors import OaikError
from oaik.inputfile import TURTLE, check_file, open_file, read_file
from oaik.store.graph import expand_names, read_quads

TYPE_CHECKING = False  # typing is not imported at run time: a warm query needs none of it
if TYPE_CHECKING:
    from typing import Any

#: Bump when the layout of a store (graph names, manifest) changes: older stores are rebuilt.
FORMAT = 4  # 2: the default graph holds the merge of the file graphs; 3: files the store would not keep as written are refused;
# 4: the folder's digest is a zlib checksum (so `oaik store prune` removes format-3 stores, named by SHA-256)
MANIFEST = "oaik-manifest.json"
MEMORY = ":memory:"
ENV_LOCATION = "OAIK_STORE"

#: Counts of the work done by this process (tests read them: a warm open parses nothing).
counters = {"parsed": 0, "rebuilt": 0}


class StoreUpdate:
    """An opened store and what opening it changed (a plain class: a warm query does not import ``dataclasses``)."""

    def __init__(self, store: ox.Store, location: Path | None, files: _Files, *, rebuilt: bool = False):
        self.store = store
        self.location = location  # None for an in-memory store
        self._files = files
        self.parsed: list[Path] = []  # files (re)parsed now: new or changed
        self.removed: list[Path] = []  # files gone from the tree, their graphs dropped
        self.errors: dict[Path, OaikError] = {}  # files that could not be loaded
        self.rebuilt = rebuilt  # built from scratch
        #: When asked for: resolved path -> (SHA-256, triples) of each changed or removed file as the store held it.
        self.previous: dict[str, tuple[str, list[ox.Triple]]] = {}

    @property
    def files(self) -> list[Path]:
        """Every source file, in order."""
        return self._files.paths

    @property
    def unchanged(self) -> list[Path]:
        changed = set(self.parsed) | set(self.errors)
        return [path for path in self.files if path not in changed]

    def raise_errors(self) -> None:
        """Raise the first loading error (files in order), if any."""
        for path in self.files:
            if path in self.errors:
                raise self.errors[path]


def graph_name(path: Path | str) -> ox.NamedNode:
    """The named graph holding a source file's triples: the file's absolute ``file:`` IRI."""
    return ox.NamedNode(Path(resolved(path)).as_uri())


def graph_path(name: ox.NamedNode | str) -> Path:
    """The source file of a named graph (the inverse of :func:`graph_name`)."""
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(name.value if isinstance(name, ox.NamedNode) else name).path))


def default_roots() -> list[Path]:
    from oaik.paths import data_dir, ontology_dir

    return [ontology_dir(), data_dir()]


def cache_root() -> Path:
    """The folder holding the stores: ``$OAIK_STORE``, else ``$XDG_CACHE_HOME/oaik`` (``~/.cache/oaik``)."""
    configured = os.environ.get(ENV_LOCATION)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oaik"


def store_location(roots: Iterable[Path | str] | None = None) -> Path | None:
    """Where the store of these source folders or files lives (None: kept in memory).

    The folder name holds a digest of the roots' absolute paths and of the oaik
    version, so each checkout or installation, and each release, has its own.
    """
    if os.environ.get(ENV_LOCATION) == MEMORY:
        return None
    resolved = [str(Path(root).resolve()) for root in (default_roots() if roots is None else roots)]
    key = "\n".join([__version__, str(FORMAT), *resolved]).encode("utf-8")
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"  # a name, not a security measure: no hashlib to import
    name = Path(resolved[0]).parent.name if resolved else "empty"
    return cache_root() / f"{_slug(name)}-{digest}"


def open_store(
    paths: Iterable[Path | str] | None = None,
    *,
    read_only: bool = False,
    rebuild: bool = False,
    long_reader: str | None = None,
) -> ox.Store:
    """The up-to-date store of ``paths`` (folders or files; default: shipped ontology and data).

    Raises the first loading error (a syntax error names file:line). With
    ``read_only`` the store is opened read-only and other readers may use it
    at the same time; otherwise this process holds it exclusively until
    :func:`close_store` or exit. Queries read its default graph, the merge of the file graphs.
    ``long_reader`` (with ``read_only``) says what holds the store until the process ends, such as
    ``oaik serve``: a process that must update the store then does not wait for it (:func:`_long_readers`).
    """
    update = update_store(paths, read_only=read_only, rebuild=rebuild)
    update.raise_errors()
    if long_reader is not None and update.location is not None:
        _register_long_reader(update.location, long_reader)
    return update.store


def update_store(
    paths: Iterable[Path | str] | None = None,
    *,
    read_only: bool = False,
    rebuild: bool = False,
    keep_previous: bool = False,
) -> StoreUpdate:
    """Bring the store of ``paths`` up to date; report what changed and which files failed to load.

    With ``keep_previous``, the update also hands back what the store held for
    each file it replaces or drops (``StoreUpdate.previous``).
    """
    roots = default_roots() if paths is None else [Path(p) for p in paths]
    files = _Files(expand_names(roots))
    location = store_location(roots)
    if location is not None:
        try:
            location.parent.mkdir(parents=True, exist_ok=True)
            lock = _locks.get(location) or _Lock(location.parent / f"{location.name}.lock")
        except OSError:
            location = None  # no writable cache: build in memory
    if location is None:
        return _memory_update(files)
    _locks[location] = lock
    try:
        return _Synchroniser(location, files, lock).run(read_only=read_only, rebuild=rebuild, keep=keep_previous)
    except _Busy as busy:
        holder = f"is in use by {busy.args[0]}" if busy.args else "stayed in use by another oaik process"
        if rebuild:  # the files in memory would leave the store itself as it was
            raise OaikError(
                f"the graph store {location} {holder}, so it cannot be rebuilt now; "
                "run `oaik store rebuild` again when it is free."
            ) from None
        if location not in _told_busy:  # once a process, however often it asks
            _told_busy.add(location)
            print(
                f"oaik: the graph store {location} {holder}; this run reads the files into memory instead "
                "(the same results, slower), and the next run that finds the store free updates it.",
                file=sys.stderr,
            )
        return _memory_update(files)


def close_store(store: ox.Store) -> None:
    """Forget a store opened by :func:`open_store` and release this process's lock on it."""
    for location, (opened, _) in list(_opened.items()):
        if opened is store:
            del _opened[location]
            _locks.pop(location).release()


@contextlib.contextmanager
def scratch_copy(update: StoreUpdate) -> Iterator[ox.Store]:
    """A writable copy of an opened store that only this process sees, deleted afterwards.

    On disk it is a RocksDB checkpoint beside the store (hard links to the
    immutable data files: about 0.1 s whatever the size); the store's shared
    lock, held meanwhile, keeps any update (which removes leftover copies)
    waiting. An in-memory store is already this process's own and is
    returned as it is.
    """
    if update.location is None:
        yield update.store
        return
    target = update.location.parent / f".{update.location.name}.copy-{os.getpid()}"
    _remove_tree(target)
    try:
        update.store.backup(str(target))
        copy = ox.Store(str(target))
    except (OSError, RuntimeError) as error:
        _remove_tree(target)
        raise OaikError(
            f"{target}: cannot make a working copy of the graph store ({error}). "
            "Check the free space and permissions of that folder, or set OAIK_STORE=:memory:."
        ) from None
    try:
        yield copy
    finally:
        del copy
        _remove_tree(target)


def files_defining(store: ox.Store, node_iris: Iterable[str]) -> dict[str, list[Path]]:
    """For each IRI, the source files that type it (``<iri> a ...``), in file order."""
    found: dict[str, list[Path]] = {}
    for iri in node_iris:
        quads = store.quads_for_pattern(ox.NamedNode(iri), _RDF_TYPE, None)
        names = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        found[iri] = sorted(graph_path(name) for name in names if name.startswith("file:"))
    return found


def query(store: ox.Store, text: str, **options: Any) -> Any:
    """``store.query`` on the default graph: the merge of the per-file named graphs."""
    return store.query(text, **options)


def source_files(store: ox.Store) -> list[Path]:
    """The source files whose graphs the store holds."""
    return sorted(graph_path(name) for name in store.named_graphs() if isinstance(name, ox.NamedNode))


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: The stores this process has open (location -> (store, read-only?)) and the locks it holds.
_opened: dict[Path, tuple[ox.Store, bool]] = {}
_locks: dict[Path, _Lock] = {}
_told_busy: set[Path] = set()


# ---------------------------------------------------------------------------
# Synchronising
# ---------------------------------------------------------------------------


class _Files:
    """The source files: their names as listed, and as paths when first asked for (a warm query never asks:
    making 2,449 ``Path`` objects for a 1M-triple graph is a third of its freshness check)."""

    def __init__(self, names: list[str]):
        self.names = names

    @functools.cached_property
    def paths(self) -> list[Path]:
        return [Path(name) for name in self.names]


class _Synchroniser:
    def __init__(self, location: Path, files: _Files, lock: _Lock):
        self.location = location
        self.listed = files
        self.lock = lock

    @property
    def files(self) -> list[Path]:
        return self.listed.paths

    def run(self, *, read_only: bool, rebuild: bool, keep: bool = False) -> StoreUpdate:
        opened, opened_read_only = _opened.pop(self.location, (None, True))
        if not rebuild:
            self.lock.acquire(exclusive=not opened_read_only)
            manifest = _read_manifest(self.location)
            if manifest is not None and not _plan(manifest, self.listed.names).needed:
                if opened is None and read_only:
                    opened = _open(self.location, read_only=True)
                if opened is not None and (read_only or not opened_read_only):
                    return self._hold(StoreUpdate(opened, self.location, self.listed), opened_read_only and read_only)
        writable = None if opened_read_only else opened
        del opened  # a read-only handle is closed before the store is written
        self.lock.acquire(exclusive=True)
        update = self._update(rebuild, writable, keep)
        if not read_only:
            return self._hold(update, False)
        del update.store, writable  # close the read-write handle before reopening read-only
        self.lock.acquire(exclusive=False)
        store = _open(self.location, read_only=True)
        if store is None:
            raise OaikError(
                f"{self.location}: the graph store cannot be opened after updating it. "
                "Run `oaik store rebuild`, or delete that folder."
            )
        update.store = store
        return self._hold(update, True)

    def _hold(self, update: StoreUpdate, read_only: bool) -> StoreUpdate:
        _opened[self.location] = (update.store, read_only)
        return update

    def _update(self, rebuild: bool, store: ox.Store | None, keep: bool) -> StoreUpdate:
        _remove_leftovers(self.location)
        manifest = None if rebuild else _read_manifest(self.location)
        if manifest is not None and store is None:
            store = _open(self.location, read_only=False)
        if manifest is None or store is None:
            del store
            return self._build()
        plan = _plan(manifest, self.listed.names)
        update = StoreUpdate(store, self.location, self.listed)
        entries = manifest["files"]
        if plan.needed:
            held = {key: entries.pop(key)["sha256"] for key in plan.stale if key in entries}
            _write_manifest(self.location, manifest)  # before touching graphs: a kill re-parses them
            for path in plan.removed:
                dropped = remove_file_graph(store, graph_name(path))
                update.removed.append(path)
                if keep:
                    update.previous[str(path)] = (held[str(path)], dropped)
            for path in plan.changed:
                dropped = remove_file_graph(store, graph_name(path))
                key = str(path.resolve())
                if keep and key in held:
                    update.previous[key] = (held[key], dropped)
                loaded = _load_file(path, store.extend)
                if isinstance(loaded, OaikError):
                    update.errors[path] = loaded
                else:
                    update.parsed.append(path)
                    entries[key] = loaded
            entries.update(plan.refreshed)
            store.flush()
            _write_manifest(self.location, manifest)
        return update

    def _build(self) -> StoreUpdate:
        """Build the whole store in a fresh folder, then rename it into place."""
        counters["rebuilt"] += 1
        fresh = self.location.parent / f".{self.location.name}.build-{os.getpid()}"
        _remove_tree(fresh)
        store = ox.Store(str(fresh))
        update = StoreUpdate(store, self.location, self.listed, rebuilt=True)
        entries: dict[str, dict] = {}
        _bulk_add(store, _quads_of(self.files, update, entries))
        store.flush()
        store.optimize()
        _write_manifest(fresh, _new_manifest(entries))
        del store, update.store
        old = self.location.parent / f".{self.location.name}.old-{os.getpid()}"
        if self.location.exists():
            os.replace(self.location, old)
        os.replace(fresh, self.location)
        _remove_tree(old)
        reopened = _open(self.location, read_only=False)
        if reopened is None:
            raise OaikError(f"{self.location}: the graph store just built cannot be opened. Delete that folder.")
        update.store = reopened
        return update


#: Quads handed to RocksDB's bulk loader at a time: bounds the Python objects alive during a build.
BULK_BATCH = 50_000


def _bulk_add(store: ox.Store, quads: Iterator[ox.Quad]) -> None:
    """``bulk_extend`` in batches (it holds what it is given in memory before writing).

    The garbage collector is paused meanwhile: the quads hold no reference
    cycles (reference counting frees each batch), and the collections that
    millions of new objects would trigger took half of the Python time.
    """
    batch: list[ox.Quad] = []
    with _collector_paused():
        for quad in quads:
            batch.append(quad)
            if len(batch) >= BULK_BATCH:
                store.bulk_extend(batch)
                batch = []
        if batch:
            store.bulk_extend(batch)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _quads_of(files: list[Path], update: StoreUpdate, entries: dict[str, dict]) -> Iterator[ox.Quad]:
    """Every file's triples as quads in its graph; files that fail are recorded, not loaded."""
    for path, real in zip(files, resolved_paths(files), strict=True):
        batch: list[ox.Quad] = []
        loaded = _load_file(path, batch.extend, real)
        if isinstance(loaded, OaikError):
            update.errors[path] = loaded
            continue
        update.parsed.append(path)
        entries[str(real)] = loaded
        yield from batch


def remove_file_graph(store: ox.Store, graph: ox.NamedNode) -> list[ox.Triple]:
    """Drop a file's graph, and from the default graph its triples that no other file states; the graph's triples.

    One update, not a lookup and a removal a triple: half the time (30 ms
    against 60 ms for a project file of the shipped graph).
    """
    quads = list(store.quads_for_pattern(None, None, None, graph))
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }} }}"
    )
    store.remove_graph(graph)
    return [quad.triple for quad in quads]


def _load_file(path: Path, add, real: Path | None = None) -> dict | OaikError:
    """Parse one file (``real``: its resolved path, if known) and hand its quads to ``add``; its manifest entry, or the error."""
    import hashlib

    from oaik.store.literals import check_stored_as_written

    counters["parsed"] += 1
    graph = graph_name(path) if real is None else ox.NamedNode(real.as_uri())
    try:
        status = check_file(path, TURTLE)
        data = read_file(path, TURTLE)  # read once: the hash is of the bytes parsed
        quads = read_quads(path, graph.value, data)
        check_stored_as_written(path, quads, data)
        digest = hashlib.sha256(data).hexdigest()
    except OaikError as error:
        return _without_frames(error)
    add(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    add(quads)  # the default graph
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns, "sha256": digest}


def _without_frames(error: OaikError) -> OaikError:
    """``error`` (and the errors it arose from) without tracebacks: kept for the report, their frames would keep
    this loader's store open (through ``add``), and reopening it read-only would then fail now and then."""
    cause: BaseException | None = error
    while cause is not None:
        cause.__traceback__ = None
        cause = cause.__cause__ or cause.__context__
    return error


class _Plan:
    def __init__(self) -> None:
        self.changed: list[Path] = []
        self.removed: list[Path] = []
        self.refreshed: dict[str, dict] = {}  # same content, new time: entry updated only

    @property
    def stale(self) -> list[str]:
        return [str(p.resolve()) for p in self.changed] + [str(p) for p in self.removed]

    @property
    def needed(self) -> bool:
        return bool(self.changed or self.removed or self.refreshed)


def _plan(manifest: dict, names: list[str]) -> _Plan:
    plan = _Plan()
    entries: dict[str, dict] = manifest["files"]
    current = set()
    for name in names:
        key, status = _status(name)
        current.add(key)
        if status is None:
            plan.changed.append(Path(name))  # reported as unreadable when loaded
            continue
        entry = entries.get(key)
        if entry is not None and _same_stat(entry, status):
            continue
        if entry is not None and entry["size"] == status.st_size and entry["sha256"] == file_sha256(Path(name)):
            plan.refreshed[key] = {**entry, "mtime_ns": status.st_mtime_ns}
            continue
        plan.changed.append(Path(name))
    plan.removed = [Path(key) for key in entries if key not in current]
    return plan


def content_hashes(files: Iterable[Path], roots: Iterable[Path | str] | None = None) -> dict[str, str]:
    """The SHA-256 of each file's content, by resolved path: the one the manifest of the store of ``roots``
    records where the file's size and modification time are those recorded (what the store itself
    trusts), else read from the file. A warm command need not read every file again."""
    location = store_location(roots)
    manifest = _read_manifest(location) if location is not None else None
    entries: dict[str, dict] = manifest["files"] if manifest is not None else {}
    hashes = {}
    for path in files:
        key = resolved(path)
        entry = entries.get(key)
        if entry is not None:
            with contextlib.suppress(OSError):  # unreadable: read below, which says so
                if _same_stat(entry, os.stat(key)):
                    hashes[key] = entry["sha256"]
                    continue
        hashes[key] = file_sha256(path)
    return hashes


def _same_stat(entry: dict, status: os.stat_result) -> bool:
    """Whether a file has the size and modification time its manifest entry records: then it is unchanged."""
    return entry["size"] == status.st_size and entry["mtime_ns"] == status.st_mtime_ns


def _status(path: Path | str) -> tuple[str, os.stat_result | None]:
    """The file's resolved path (:func:`resolved`) and its status (None: unreadable), with one ``lstat`` for a file
    that is not a link: every warm command asks this of every source file (2,449 files at 1M triples)."""
    absolute = _absolute(path)
    try:
        status = os.lstat(absolute)
    except OSError:
        return _resolved(absolute), None
    if not stat.S_ISLNK(status.st_mode):
        return _in_real_folder(absolute), status
    key = _resolved(absolute)
    try:
        return key, os.stat(key)
    except OSError:
        return key, None


def resolved_paths(files: Iterable[Path]) -> list[Path]:
    """``[path.resolve() …]`` (see :func:`resolved`)."""
    return [Path(resolved(path)) for path in files]


def resolved(path: Path | str) -> str:
    """``str(Path(path).resolve())`` for a file, resolving each file and folder once per process (``resolve``
    checks every component of every path: 0.2 s for the 2,449 files of a 1M-triple graph; a command asks
    for each file's several times)."""
    return _resolved(_absolute(path))


def _absolute(path: Path | str) -> str:
    text = os.fspath(path)
    return text if os.path.isabs(text) else os.path.join(os.getcwd(), text)


@functools.lru_cache(maxsize=1 << 16)
def _resolved(absolute: str) -> str:
    return os.path.realpath(absolute) if os.path.islink(absolute) else _in_real_folder(absolute)


def _in_real_folder(absolute: str) -> str:
    """The file's path with its folder resolved (the file itself is not a link)."""
    parent, name = os.path.split(absolute)
    return os.path.join(_real_folder(parent), name)


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content (hex), read in chunks; "" for a file the store does not read
    (:func:`oaik.inputfile.check_file`: a link, a device, a pipe, a file too large, an unreadable file),
    so that it never matches a recorded hash and the load that follows reports why."""
    import hashlib

    try:
        with open_file(path, TURTLE) as stream:
            return (
                hashlib.file_digest(stream, "sha256").hexdigest() if hasattr(hashlib, "file_digest") else _sha(stream)
            )
    except (OaikError, OSError):
        return ""


def _sha(stream) -> str:
    import hashlib

    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------
# Manifest, opening, leftovers
# ---------------------------------------------------------------------------


def _new_manifest(entries: dict[str, dict]) -> dict:
    return {"format": FORMAT, "oaik": __version__, "files": entries}


def _read_manifest(location: Path) -> dict | None:
    """The manifest, or None when it is missing, unreadable or of another format or version."""
    try:
        manifest = json.loads((location / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    valid = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and manifest.get("oaik") == __version__
        and isinstance(manifest.get("files"), dict)
    )
    return manifest if valid else None


def _write_manifest(location: Path, manifest: dict) -> None:
    """Write the manifest atomically and durably (temporary file, fsync, rename)."""
    from oaik.files import write_atomically

    write_atomically(location / MANIFEST, json.dumps(manifest, sort_keys=True), sync=True)


def _open(location: Path, *, read_only: bool) -> ox.Store | None:
    """The store at ``location``, or None when it is missing or unreadable (then it is rebuilt)."""
    if not (location / MANIFEST).is_file():
        return None
    if not read_only:  # each read-write open keeps RocksDB's previous log (140 KB): only the last one is kept
        for old_log in location.glob("LOG.old.*"):
            with contextlib.suppress(OSError):
                old_log.unlink()
    try:
        return ox.Store.read_only(str(location)) if read_only else ox.Store(str(location))
    except (OSError, RuntimeError):  # RocksDB reports corruption as RuntimeError
        return None


def _remove_tree(folder: Path) -> None:
    """Delete a folder and what it holds, if it is there (``shutil`` is imported only then: queries need none)."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _remove_leftovers(location: Path) -> None:
    """Folders left by a process killed while building or replacing a store (called under the exclusive lock)."""
    for leftover in location.parent.glob(f".{location.name}.*-*"):
        _remove_tree(leftover)


def _memory_update(files: _Files) -> StoreUpdate:
    store = ox.Store()
    update = StoreUpdate(store, None, files, rebuilt=True)
    _bulk_add(store, _quads_of(files.paths, update, {}))
    return update


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:40] or "store"


# ---------------------------------------------------------------------------
# Locking
# ---------------------------------------------------------------------------


class _Busy(Exception):
    """Another process held the store's lock for longer than we wait."""


def _wait_seconds() -> float:
    try:
        return float(os.environ.get("OAIK_STORE_WAIT", "60"))
    except ValueError:
        return 60.0


class _Lock:
    """An advisory lock file (``flock``): shared for readers, exclusive for the process updating the store."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = path.open("a+")
        self.mode: bool | None = None  # True: exclusive, False: shared, None: not held

    def acquire(self, *, exclusive: bool) -> None:
        """Take the lock, waiting at most ``$OAIK_STORE_WAIT`` seconds (default 60); else raise :class:`_Busy`."""
        if self.mode == exclusive:
            return
        try:
            import fcntl
        except ImportError:  # not on a POSIX system: no locking
            return
        flag = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + _wait_seconds()
        told = False
        while True:
            try:
                fcntl.flock(self.handle, flag)
                break
            except BlockingIOError:
                self.mode = None  # a failed conversion may have dropped the lock held before
                readers = _long_readers(self.path) if exclusive else ""
                if readers:  # held until a server stops: waiting would not help
                    raise _Busy(f"{readers} (stop it to let the store be updated)") from None
                if time.monotonic() >= deadline:
                    raise _Busy() from None
                if not told:
                    print(
                        f"oaik: waiting for another oaik process using the graph store {self.path.parent} …",
                        file=sys.stderr,
                    )
                    told = True
                time.sleep(0.1)
        self.mode = exclusive

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        self.mode = None


def _readers_folder(lock: Path) -> Path:
    """Where processes that read the store until they end say so: one file per process, named by its id."""
    return lock.with_name(lock.name.removesuffix(".lock") + ".readers")


def _register_long_reader(location: Path, description: str) -> None:
    lock = location.parent / f"{location.name}.lock"
    _long_readers(lock)  # forgets the readers that have ended
    with contextlib.suppress(OSError):  # only a shorter wait is lost
        _readers_folder(lock).mkdir(exist_ok=True)
        (_readers_folder(lock) / str(os.getpid())).write_text(description, encoding="utf-8")


def _long_readers(lock: Path) -> str:
    """What the live long readers of a store say they are (``oaik serve (processes 12, 13)``), or "";
    the files of processes that have ended are removed."""
    found: dict[str, list[int]] = {}
    folder = _readers_folder(lock)
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        pid = int(entry.name) if entry.name.isdigit() else 0
        with contextlib.suppress(OSError):
            if pid and _alive(pid):
                found.setdefault(entry.read_text(encoding="utf-8")[:80], []).append(pid)
            else:
                entry.unlink()
    return " and ".join(
        f"{what} (process{'es' if len(pids) > 1 else ''} {', '.join(map(str, sorted(pids)))})"
        for what, pids in sorted(found.items())
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def store_folders() -> tuple[Path, ...]:
    """The on-disk store the graph is read from, if any: what a fenced query worker may still read."""
    location = store_location()
    return (location,) if location is not None and location.is_dir() else ()
