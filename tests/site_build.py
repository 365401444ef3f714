"""One build of the website per test session, shared by tests/test_site*.py (a build takes a while)."""

from __future__ import annotations

from pathlib import Path

_BUILT: dict[str, Path] = {}


def built_site(store, tmp_path_factory) -> Path:
    """The site built from ``store`` once per test run, in pytest's temporary folder (which pytest cleans).

    Under pytest-xdist the workers of one run share the build: it lives in
    the run's folder (the parent of each worker's), and the first worker to
    get here builds it under a lock while the others wait for it.
    """
    if "site" not in _BUILT:
        import fcntl
        import os

        base = tmp_path_factory.getbasetemp()
        shared = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "oaik-site"
        shared.mkdir(exist_ok=True)
        folder = shared / "site"
        with open(shared / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (shared / "built").exists():
                from oaik.publish.site.build import build_site

                build_site(folder, store=store, jobs=2)
                (shared / "built").touch()
        _BUILT["site"] = folder
    return _BUILT["site"]
