"""One build of the website per test session, shared by tests/test_site*.py (a build takes a while)."""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from pathlib import Path

_BUILT: dict[str, Path] = {}


def built_site(store) -> Path:
    """The site built from ``store`` into a temporary folder, once per session."""
    if "site" not in _BUILT:
        from oaik.publish.site.build import build_site

        parent = Path(tempfile.mkdtemp(prefix="oaik-test-site-"))
        atexit.register(shutil.rmtree, parent, ignore_errors=True)
        folder = parent / "site"
        build_site(folder, store=store, jobs=2)
        _BUILT["site"] = folder
    return _BUILT["site"]


def spread(paths: list[Path], most: int) -> list[Path]:
    """At most ``most`` of the paths, chosen deterministically and spread over the list (by hash)."""
    if len(paths) <= most:
        return paths
    return sorted(paths, key=lambda p: hashlib.sha256(str(p).encode()).hexdigest())[:most]
