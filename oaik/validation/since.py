"""What the graph's files were at a git revision: which changed since, and what they held then.

``oaik validate --since REV`` validates the files changed since ``REV`` and
reports what they break elsewhere: results that hold now but did not hold with
the files as they were at ``REV``. Only that comparison sees the referrers of
an entity a change renamed or a deleted file defined. When there is nothing
sound to compare with (the shapes changed since ``REV``, or a file's version
there cannot be read as Turtle), the whole graph is validated instead, and
:attr:`Since.whole` says why. Git runs with its arguments as a list (no
shell), with the repository's file system monitor and external diff drivers
switched off; the revision's Turtle is parsed, never run or dereferenced, and
held to the size limit of any Turtle file before it is read.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import OaikError
from oaik.printable import visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

_GIT = ["git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", "--literal-pathspecs", "--no-pager"]


class Since:
    """The graph's files changed since a revision (as they are now), those deleted since, what the revision
    held for each file it had that changed or is gone (its triples, by the file's graph name), and why the
    whole graph must be validated instead ("" when it need not)."""

    __slots__ = ("changed", "deleted", "old", "whole")

    def __init__(self, changed: list[Path], deleted: list[Path], old: dict[str, list[ox.Triple]], whole: str):
        self.changed = changed
        self.deleted = deleted
        self.old = old
        self.whole = whole


def changes_since(revision: str, files: Sequence[Path], roots: Sequence[Path], shapes: Path) -> Since:
    """The files of the graph (``files``, in the folders ``roots``) that differ from ``revision``; the folder
    ``shapes`` is compared too."""
    from oaik.store.persistent import graph_name, resolved

    where = roots[0] if roots[0].is_dir() else roots[0].parent
    top = Path(_git_text(["rev-parse", "--show-toplevel"], where, revision)).resolve()
    commit = _commit(revision, top)
    places = [os.path.relpath(resolved(root), top) for root in roots]
    if any(place.startswith("..") for place in places):
        raise OaikError(f"`--since {_shown(revision)}`: the graph's folders are not in the git repository {top}.")
    rules = os.path.relpath(resolved(shapes), top)
    compared = places if rules.startswith("..") else [*places, rules]
    differ = _differ(commit, compared, top, revision)  # one diff for the graph and the shapes
    shaped = {name for name in differ if name.startswith(rules + "/")}
    differ = {name: kind for name, kind in differ.items() if name.endswith(".ttl") and name not in shaped}
    untracked = _git(["ls-files", "-z", "--others", "--", *places], top, revision)  # git-ignored files too
    added = {name for name in _names(untracked) if name.endswith(".ttl")}
    now = {os.path.relpath(resolved(path), top): path for path in files}
    changed = [path for name, path in now.items() if name in added or (name in differ and differ[name] != "D")]
    deleted = [top / name for name, kind in sorted(differ.items()) if kind == "D" and name not in now]
    if shaped:
        return Since(changed, deleted, {}, f"the shapes ({visible(rules)}/) changed since {_shown(revision)}")
    old: dict[str, list[ox.Triple]] = {}
    for name, data in _blobs(commit, sorted(name for name, kind in differ.items() if kind != "A"), top, revision):
        triples = _triples(top / name, data)
        if triples is None:
            return Since(changed, deleted, {}, f"{visible(name)} is not readable Turtle at {_shown(revision)}")
        old[graph_name(top / name).value] = triples
    return Since(changed, deleted, old, "")


def _differ(commit: str, places: list[str], top: Path, revision: str) -> dict[str, str]:
    """The files under ``places`` that differ between ``commit`` and the working tree, each with git's
    status letter (A added, D deleted, M modified, T type changed, ...)."""
    diff = ["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", commit, "--"]
    fields = _names(_git([*diff, *places], top, revision))
    return {name: kind[0] for kind, name in zip(fields[::2], fields[1::2], strict=True)}


def _names(output: bytes) -> list[str]:
    return [name for name in output.decode("utf-8", "surrogateescape").split("\0") if name]


def _commit(revision: str, top: Path) -> str:
    if not revision.strip() or revision.startswith("-"):
        raise OaikError(
            f"`--since {_shown(revision)}` is not a revision: give a commit, branch or tag, e.g. `--since origin/main`."
        )
    try:
        return _git_text(["rev-parse", "--verify", f"{revision}^{{commit}}"], top, revision)
    except OaikError:
        raise OaikError(
            f"`--since {_shown(revision)}`: git knows no commit of that name in {top}. Give a commit, branch or tag "
            "it knows, e.g. `--since origin/main` (fetch it first in a shallow CI clone: `git fetch origin main`)."
        ) from None


def _blobs(commit: str, names: list[str], top: Path, revision: str) -> list[tuple[str, bytes]]:
    """The contents at ``commit`` of those of the files ``names`` that are files there (not a submodule,
    say). Their sizes are asked first: a file larger than any Turtle file may be is an error, not read."""
    sizes: dict[str, int] = {}
    batched = [name for name in names if "\n" not in name]  # git's batch format is one name a line
    asked = "".join(f"{commit}:{name}\n" for name in batched).encode("utf-8", "surrogateescape")
    for name, line in zip(batched, _git(["cat-file", "--batch-check"], top, revision, asked).splitlines(), strict=True):
        answer = line.split()
        if len(answer) == 3 and answer[1] == b"blob":
            sizes[name] = _size_checked(name, int(answer[2]), revision)
    wanted = [name for name in batched if name in sizes]
    asked = "".join(f"{commit}:{name}\n" for name in wanted).encode("utf-8", "surrogateescape")
    output = _git(["cat-file", "--batch"], top, revision, asked) if wanted else b""
    contents, at = [], 0
    for name in wanted:
        at = output.index(b"\n", at) + 1  # past the header: "<id> blob <size>"
        contents.append((name, output[at : at + sizes[name]]))
        at += sizes[name] + 1
    for name in names:
        if "\n" in name:
            place = f"{commit}:{name}"  # starts with the commit id: never taken for an option
            if _git_text(["cat-file", "-t", place], top, revision) == "blob":
                _size_checked(name, int(_git_text(["cat-file", "-s", place], top, revision)), revision)
                contents.append((name, _git(["cat-file", "blob", place], top, revision)))
    return contents


def _size_checked(name: str, size: int, revision: str) -> int:
    from oaik.inputfile import TURTLE

    if size > TURTLE.limit:
        raise OaikError(
            f"`--since {_shown(revision)}`: {visible(name)} was {size:,} bytes at that revision, more than the "
            f"{TURTLE.limit:,} a Turtle file may have; compare with a revision where it is smaller."
        )
    return size


def _triples(path: Path, data: bytes) -> list[ox.Triple] | None:
    """The triples of a file's old version; None if it does not parse."""
    from oaik.store.graph import read_quads
    from oaik.store.persistent import graph_name

    try:
        return [quad.triple for quad in read_quads(path, graph_name(path).value, data)]
    except OaikError:
        return None


def _shown(revision: str) -> str:
    """The revision as given, its control characters (a newline) shown as escapes: messages stay one paragraph."""
    return visible(revision)


def _git_text(arguments: list[str], where: Path, revision: str) -> str:
    return _git(arguments, where, revision).decode("utf-8", "surrogateescape").strip()


def _git(arguments: list[str], where: Path, revision: str, given: bytes | None = None) -> bytes:
    """git's output for ``arguments`` (``given`` on its input), run in ``where``; an OaikError naming what failed."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            [*_GIT, *arguments], cwd=where, input=given, capture_output=True, env=environment, timeout=300, check=False
        )
    except FileNotFoundError:
        raise OaikError("`--since` runs git, which is not installed: install git, or name the changed files.") from None
    except subprocess.TimeoutExpired:
        raise OaikError(f"`--since {_shown(revision)}`: git took more than 5 minutes ({arguments[0]}).") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", "replace").split())
        said = f" (git says: {visible(reason)})" if reason else ""
        raise OaikError(
            f"`--since {_shown(revision)}`: `git {arguments[0]}` failed in {where}{said}. --since compares the "
            "graph with a revision of the git checkout that holds it; without git, name the changed files instead."
        )
    return done.stdout
