"""What the graph's files were at a git revision: which changed since, and what they held then.

``oaik validate --since REV`` validates the files changed since ``REV`` and
reports what they break elsewhere: results that hold now but did not hold with
the files as they were at ``REV``. Only that comparison sees the referrers of
an entity a change renamed or a deleted file defined. Git runs with its
arguments as a list (no shell), with the repository's file system monitor
and external diff drivers switched off; the revision's Turtle is parsed,
never run or dereferenced, and held to the size limit of any Turtle file.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import OaikError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

_GIT = ["git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", "--literal-pathspecs", "--no-pager"]


class Since:
    """The graph's files changed since a revision (as they are now) and what the revision held for each
    file it had that changed or is gone (its triples, by the file's graph name)."""

    __slots__ = ("changed", "deleted", "old")

    def __init__(self, changed: list[Path], deleted: list[Path], old: dict[str, list[ox.Triple]]):
        self.changed = changed
        self.deleted = deleted
        self.old = old


def changes_since(revision: str, files: Sequence[Path], roots: Sequence[Path]) -> Since:
    """The files of the graph (``files``, in the folders ``roots``) that differ from ``revision``."""
    from oaik.store.persistent import graph_name, resolved

    where = roots[0] if roots[0].is_dir() else roots[0].parent
    top = Path(_git_text(["rev-parse", "--show-toplevel"], where, revision)).resolve()
    commit = _commit(revision, top)
    places = [os.path.relpath(resolved(root), top) for root in roots]
    if any(place.startswith("..") for place in places):
        raise OaikError(f"`--since {revision}`: the graph's folders are not in the git repository {top}.")
    diff = ["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", commit, "--"]
    status = _git([*diff, *places], top, revision)
    fields = status.decode("utf-8", "surrogateescape").split("\0")[:-1]
    differ = {name: kind[0] for kind, name in zip(fields[::2], fields[1::2], strict=True) if name.endswith(".ttl")}
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--", *places], top, revision)
    added = {name for name in untracked.decode("utf-8", "surrogateescape").split("\0") if name.endswith(".ttl")}
    now = {os.path.relpath(resolved(path), top): path for path in files}
    changed = [path for name, path in now.items() if name in added or (name in differ and differ[name] != "D")]
    before = sorted(name for name, kind in differ.items() if kind != "A")
    blobs = _blobs(commit, before, top, revision)
    old = {graph_name(top / name).value: _triples(top / name, data) for name, data in blobs.items()}
    deleted = [top / name for name, kind in sorted(differ.items()) if kind == "D" and name not in now]
    return Since(changed, deleted, old)


def _commit(revision: str, top: Path) -> str:
    if not revision.strip():
        raise OaikError("`--since` needs a revision: a commit, branch or tag, e.g. `--since origin/main`.")
    try:
        return _git_text(["rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}"], top, revision)
    except OaikError:
        raise OaikError(
            f"`--since {revision}`: git knows no commit of that name in {top}. Give a commit, branch or tag it "
            "knows, e.g. `--since origin/main` (fetch it first in a shallow CI clone: `git fetch origin main`)."
        ) from None


def _blobs(commit: str, names: list[str], top: Path, revision: str) -> dict[str, bytes]:
    """The contents at ``commit`` of the files ``names`` (relative to ``top``); a file larger than any Turtle
    file may be, or whose name git's batch format cannot carry, is left out (the comparison does without it)."""
    from oaik.inputfile import TURTLE

    names = [name for name in names if "\n" not in name]
    if not names:
        return {}
    request = "".join(f"{commit}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    output = _git(["cat-file", "--batch"], top, revision, request)
    contents: dict[str, bytes] = {}
    at = 0
    for name in names:
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # missing, or not a file
        size = int(header[2])
        if size <= TURTLE.limit:
            contents[name] = output[at : at + size]
        at += size + 1
    return contents


def _triples(path: Path, data: bytes) -> list[ox.Triple]:
    """The triples of a file's old version; none if it did not parse (the comparison then does without it)."""
    from oaik.store.graph import read_quads
    from oaik.store.persistent import graph_name

    try:
        return [quad.triple for quad in read_quads(path, graph_name(path).value, data)]
    except OaikError:
        return []


def _git_text(arguments: list[str], where: Path, revision: str) -> str:
    return _git(arguments, where, revision).decode("utf-8", "surrogateescape").strip()


def _git(arguments: list[str], where: Path, revision: str, given: bytes | None = None) -> bytes:
    """git's output for ``arguments``, run in ``where``; an OaikError naming what failed."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [*_GIT, *arguments], cwd=where, input=given, capture_output=True, env=environment, timeout=300, check=False
        )
    except FileNotFoundError:
        raise OaikError("`--since` runs git, which is not installed: install git, or name the changed files.") from None
    except subprocess.TimeoutExpired:
        raise OaikError(f"`--since {revision}`: git took more than 5 minutes ({arguments[0]}).") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        said = f" (git says: {reason[0]})" if reason else ""
        raise OaikError(
            f"`--since {revision}`: `git {arguments[0]}` failed in {where}{said}. --since compares the graph with "
            "a revision of the git checkout that holds it; without git, name the changed files instead."
        )
    return done.stdout
