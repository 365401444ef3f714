"""The output folder of ``oaik site``: checked before the build, built beside it, put in its place in one step.

Only a new or empty folder, or one an earlier build wrote (it holds
:data:`MARKER`), is replaced. The marker records the top-level files and
folders the build wrote; anything else at the top of an earlier site (a
GitHub Pages checkout's ``CNAME``, ``.nojekyll``, ``.git``) is the user's and
is carried over into the new site. The old folder is moved aside within its
own parent (renaming a folder into another one would need write permission
on the folder itself), so a folder the user may not write to can still be
replaced. Every problem is an :class:`~oaik.errors.OaikError` (exit 2) naming
the path; on any failure the earlier site is left as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from oaik.errors import OaikError
from oaik.publish.site.signals import deferred

#: A file in the output folder that marks it as a site OAIK built (so a rebuild may replace it).
MARKER = "oaik-site.json"
ANOTHER = "Choose another folder with -o."


def check_output(output: Path) -> None:
    """Refuse, before any work, an output the build could not replace, or whose replacing would lose something."""
    if output.exists() and not output.is_dir():
        raise OaikError(
            f"{output}: exists and is not a folder. Name a new folder (or an earlier `oaik site` output) with -o."
        )
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OaikError(
            f"{output}: the folder is not empty and was not built by `oaik site` (no {MARKER}), so it is left untouched. "
            "Name a new or empty folder with -o, or an earlier `oaik site` output to replace it."
        )
    resolved = output.resolve()
    parent = resolved.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OaikError(f"{output}: cannot write in {parent} (missing, or no permission). {ANOTHER}")
    if resolved.is_dir():
        _check_replaceable(output, resolved)


def _check_replaceable(output: Path, resolved: Path) -> None:
    if os.path.ismount(resolved):
        raise OaikError(
            f"{output}: is a mount point, and the build replaces the output folder whole. "
            "Name a folder inside it with -o."
        )
    folder, parent = resolved.stat(), resolved.parent.stat()
    if parent.st_mode & stat.S_ISVTX and os.geteuid() not in (0, folder.st_uid, parent.st_uid):
        raise OaikError(
            f"{output}: belongs to another user, and in {resolved.parent} (sticky, like /tmp) only its owner may "
            f"move it aside to replace it. {ANOTHER}"
        )
    if not any(resolved.iterdir()):
        return
    if not os.access(resolved, os.W_OK | os.X_OK):
        raise OaikError(f"{output}: cannot change the files in it (no permission), so it cannot be replaced. {ANOTHER}")
    written = recorded(resolved)
    for name in carried(resolved, written) if written is not None else ():
        path = resolved / name
        if path.is_dir() and not path.is_symlink() and not os.access(path, os.W_OK):
            raise OaikError(
                f"{output / name}: the build carries it over into the new site (the earlier build did not write it), "
                f"and moving a folder into another needs write permission on it. Make it writable or move it "
                f"out of {output}, then build again; or choose another folder with -o."
            )


def recorded(folder: Path) -> frozenset[str] | None:
    """The top-level names the build that wrote ``folder`` recorded in its marker (None: not recorded)."""
    try:
        written = json.loads((folder / MARKER).read_text(encoding="utf-8"))["written"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return frozenset(written) if isinstance(written, list) else None


def carried(folder: Path, written: frozenset[str]) -> list[str]:
    """The top-level names of ``folder`` its build did not write: the user's, carried over by a rebuild."""
    return sorted(name for name in os.listdir(folder) if name not in written)


def staging_beside(output: Path) -> Path:
    """A new hidden folder beside ``output`` (resolved) for the build to write into."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    except OSError as error:
        raise OaikError(f"{output}: cannot create a folder in {output.parent} ({error.strerror}). {ANOTHER}") from None


def swap_in(staging: Path, output: Path) -> tuple[list[str], Path | None]:
    """Put the complete ``staging`` folder in the place of ``output`` (resolved; never half a site), carrying
    the user's files over. Return their names and the earlier site's folder, moved aside, to remove (or None)."""
    os.chmod(staging, 0o755)
    if not output.exists():
        with deferred():
            _replace(staging, output, output)
        return [], None
    new = set(os.listdir(staging))
    kept = carried(output, recorded(output) or frozenset(new))
    clash = [name for name in kept if name in new]
    if clash:
        raise OaikError(
            f"{output / clash[0]}: the earlier build did not write it, so it is kept as yours, but the new site has "
            f"a file of that name. Rename it or move it out of {output}, then build again."
        )
    aside = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))  # renamed over, so empty
    moved: list[str] = []
    with deferred():
        try:
            for name in kept:
                _replace(output / name, staging / name, output)
                moved.append(name)
            _replace(output, aside, output)
            try:
                _replace(staging, output, output)
            except OaikError:
                os.replace(aside, output)
                raise
        except OaikError:
            for name in moved:
                os.replace(staging / name, output / name)
            if aside.is_dir() and not any(aside.iterdir()):
                aside.rmdir()
            raise
    return kept, aside


def _replace(source: Path, target: Path, output: Path) -> None:
    try:
        os.replace(source, target)
    except OSError as error:
        raise OaikError(
            f"{output}: cannot replace it with the new site ({error.strerror}: {error.filename}); it is left as it "
            f"was. {ANOTHER}"
        ) from None


def remove(folder: Path) -> None:
    """Remove the earlier site, moved aside (Ctrl-C waits for it: no half-removed folder is left behind)."""
    with deferred():
        shutil.rmtree(folder, ignore_errors=True)
