"""A built wheel carries the ontology, data, shapes and queries, and works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel and install it (without dependencies) into a folder of its own."""
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stderr[-2000:]}")
    wheel = next(out.glob("oaik-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("ontology", "data", "shapes", "queries"):
        assert any(n.startswith(f"oaik/_resources/{folder}/") for n in names), f"the wheel lacks {folder}/"
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
    )
    return target


def test_oaik_stats_runs_from_another_directory(installed, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = "import oaik, sys; from oaik.cli import main; print(oaik.__file__, file=sys.stderr); main(['stats', '--format', 'json'])"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert str(installed) in done.stderr, "the installed package, not the checkout, must be imported"
    stats = json.loads(done.stdout)
    assert stats["triples"] > 1000
    assert stats["instances"]["skos:Concept"] > 100
