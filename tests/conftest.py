"""Shared fixtures: the shipped graph, loaded once per test session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
CARTOGRAPHY = SEEDS / "001_80a886fa06426ae4.txt"


def curated_files() -> list[Path]:
    """The shipped graph's files without the imported catalogues (data/imports: 90 % of the triples).

    Tests of contributions use it: no test contribution refers to an imported catalogue.
    """
    from oaik.paths import data_dir, graph_files

    imports = (data_dir() / "imports").resolve()
    return [p for p in graph_files() if not p.resolve().is_relative_to(imports)]


def copy_curated(root: Path) -> Path:
    """A copy of the curated files under ``root``, laid out as in the repository (ontology/, data/)."""
    import shutil

    from oaik.paths import resource_root

    for path in curated_files():
        target = root / path.resolve().relative_to(resource_root().resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return root


@pytest.fixture(scope="session", autouse=True)
def private_store(tmp_path_factory):
    """Commands run by the tests keep their persistent store in a temporary folder, not in ~/.cache."""
    import os

    if "OAIK_STORE" not in os.environ:
        os.environ["OAIK_STORE"] = str(tmp_path_factory.mktemp("oaik-store"))
    return os.environ["OAIK_STORE"]


@pytest.fixture(autouse=True)
def store_setting_kept(private_store):
    """A test that changes ``$OAIK_STORE`` must restore it (monkeypatch): otherwise every later command of the
    session would keep its store in the user's ~/.cache."""
    import os

    yield
    assert os.environ.get("OAIK_STORE") == private_store, "this test left $OAIK_STORE changed; use monkeypatch.setenv"


@pytest.fixture(scope="session")
def parsed_files():
    from oaik.store.graph import parse_files

    return parse_files()


@pytest.fixture(scope="session")
def store(parsed_files):
    from oaik.store.graph import to_store

    return to_store(parsed_files)


@pytest.fixture(scope="session")
def graph(parsed_files):
    from oaik.store.graph import to_rdflib

    return to_rdflib(parsed_files)


@pytest.fixture(scope="session")
def cartography_text() -> str:
    """The primary source's text, whitespace-normalised; skip when ../shared is absent."""
    if not CARTOGRAPHY.exists():
        pytest.skip(
            f"the source text {CARTOGRAPHY.name} is not beside this checkout (../shared/seeds is absent in a user's clone)"
        )
    return normalise(CARTOGRAPHY.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cartography_by_section() -> dict[str, str]:
    """The primary source's sections (see :func:`cartography_sections`); skip when ../shared is absent."""
    if not CARTOGRAPHY.exists():
        pytest.skip(
            f"the source text {CARTOGRAPHY.name} is not beside this checkout (../shared/seeds is absent in a user's clone)"
        )
    return cartography_sections(CARTOGRAPHY.read_text(encoding="utf-8"))


_HEADING = re.compile(r"^(?:(\d+(?:\.\d+)*) [A-Z]|(B\.\d+) |(Appendix [AB]) |(Table \d+):|(References)$)")


def cartography_sections(raw: str) -> dict[str, str]:
    """Section number (as cited in ``oaik:section``) -> its whitespace-normalised text, subsections included."""
    lines = raw.split("\n")
    headings = []
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and len(line) < 200:
            headings.append((index, next(group for group in match.groups() if group)))
    sections: dict[str, str] = {}
    for position, (start, number) in enumerate(headings):
        end = len(lines)
        for following, other in headings[position + 1 :]:
            if not (number[0].isdigit() and other.startswith(number + ".")):
                end = following
                break
        sections.setdefault(number, normalise("\n".join(lines[start:end])))
    return sections


def normalise(text: str) -> str:
    """Collapse every run of white space to one space."""
    return " ".join(text.split())


def rows(store, query: str) -> list[dict[str, str]]:
    """Run SPARQL on the store; each row as {variable: value-string}."""
    from oaik.store.graph import select_rows

    return select_rows(store, query)
