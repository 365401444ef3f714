"""oaik site: pages for every entity, valid HTML, no broken links, figures equal to the golden answers, tables pinned."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from oaik.namespaces import ID

GOLDEN = json.loads((Path(__file__).parent / "golden" / "queries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(store, tmp_path_factory):
    """The site built once per session (the same files a user gets from `oaik site -o DIR`)."""
    from site_build import built_site

    return built_site(store, tmp_path_factory)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def instances(store, cls: str) -> list[str]:
    from conftest import rows

    return [
        r["x"] for r in rows(store, f"SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* {cls} FILTER(isIRI(?x)) }}")
    ]


def page_for(site: Path, iri: str) -> Path:
    from oaik.publish.site.urls import page_path

    return site / page_path(iri)


@pytest.mark.parametrize(
    "cls",
    ["oaik:Project", "org:Organization", "oaik:Model", "oaik:Collaboration", "oaik:Claim", "oaik:Evidence"],
)
def test_a_page_with_data_for_every_instance(site, store, cls):
    found = instances(store, cls)
    assert found, cls
    for iri in found:
        stem = page_for(site, iri).with_suffix("")
        for suffix in (".html", ".ttl", ".jsonld"):
            assert stem.with_suffix(suffix).is_file(), (iri, suffix)


@pytest.mark.parametrize("scheme", ["onramp", "challenge", "motivation", "governance"])
def test_a_page_for_every_concept(site, store, scheme):
    from conftest import rows

    concepts = rows(store, f"SELECT ?c WHERE {{ ?c skos:inScheme <https://w3id.org/oaik/vocab/{scheme}> }}")
    assert concepts
    for row in concepts:
        assert page_for(site, row["c"]).is_file(), row["c"]
    assert (site / "vocab" / f"{scheme}.html").is_file()


def test_a_page_for_every_ontology_term(site, store):
    from conftest import rows

    terms = rows(
        store,
        """SELECT DISTINCT ?t WHERE { ?t a ?k VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
           FILTER(STRSTARTS(STR(?t), "https://w3id.org/oaik/ns#")) }""",
    )
    assert len(terms) > 50
    for row in terms:
        assert page_for(site, row["t"]).is_file(), row["t"]
    assert (site / "ns.html").is_file()


def check_page(path: Path) -> str | None:
    """What is wrong with a page (strict HTML5 parse, ``lang``, a title, one ``h1``), or None."""
    import html5lib

    try:
        tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(path.read_text(encoding="utf-8"))
    except html5lib.html5parser.ParseError as error:
        return f"{path}: not valid HTML ({error})"
    title = tree.find("head/title")
    if tree.get("lang") != "en":
        return f"{path}: no lang=en"
    if title is None or not (title.text or "").strip():
        return f"{path}: no title"
    if len(tree.findall(".//h1")) != 1:
        return f"{path}: not exactly one h1"
    return None


def test_every_page_is_valid_html_with_lang_title_and_one_h1(site):
    """Every page, strictly parsed (one process per CPU: about 18,000 pages at 4 ms each)."""
    import multiprocessing
    import os

    pages = html_pages(site)
    with multiprocessing.get_context("fork").Pool(len(os.sched_getaffinity(0))) as pool:
        problems = [p for p in pool.imap(check_page, pages, chunksize=100) if p]
    assert len(pages) > 1000
    assert not problems, f"{len(problems)} pages: " + "; ".join(problems[:5])


def test_the_page_check_finds_invalid_html(tmp_path):
    """The check above does fail: a stray end tag, a missing lang, two h1."""
    good = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><h1>a</h1></body></html>'
    cases = {
        "stray.html": good.replace("<h1>a</h1>", "<h1>a</h1></div>"),
        "nolang.html": good.replace(' lang="en"', ""),
        "twoh1.html": good.replace("<h1>a</h1>", "<h1>a</h1><h1>b</h1>"),
    }
    (tmp_path / "good.html").write_text(good, encoding="utf-8")
    assert check_page(tmp_path / "good.html") is None
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert check_page(tmp_path / name) is not None, name


_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


def _links(page: Path) -> list[str]:
    """The href and src values of a page (our pages quote every attribute; the validity test parses them strictly)."""
    import html

    return [html.unescape(value) for value in _LINK.findall(page.read_text(encoding="utf-8"))]


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, link) for each relative link or fragment that resolves to no file of the site (paths worked out
    as strings: the site has no symbolic links, and 18,000 pages took a minute of ``Path.resolve``)."""
    import os

    root = os.path.realpath(site)
    files = {os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names}
    ids: dict[str, set[str]] = {}
    broken = []
    for page in html_pages(site):
        folder = os.path.join(root, os.path.dirname(page.relative_to(site)))
        for link in _links(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = os.path.normpath(os.path.join(folder, unquote(parts.path))) if parts.path else str(page)
            if parts.path and target not in files:
                broken.append((str(page.relative_to(site)), link))
                continue
            if parts.fragment and target.endswith(".html"):
                if target not in ids:
                    ids[target] = set(re.findall(r'\bid="([^"]+)"', Path(target).read_text(encoding="utf-8")))
                if parts.fragment not in ids[target]:
                    broken.append((str(page.relative_to(site)), link))
    return broken


def test_no_broken_internal_links(site):
    broken = broken_links(site)
    assert not broken, broken[:20]


def test_the_link_check_finds_broken_links(tmp_path):
    """The check above does fail: a missing file, a path out of the site, a missing fragment."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.html").write_text('<p id="here">x</p>', encoding="utf-8")
    good = (
        '<a href="a/b.html#here">ok</a> <a href="https://example.org/">out</a> <a href="#top">top</a><p id="top"></p>'
    )
    for bad in ('<a href="a/c.html">', '<a href="../escape.html">', '<a href="a/b.html#nowhere">'):
        (tmp_path / "index.html").write_text(good + bad, encoding="utf-8")
        assert broken_links(tmp_path), bad
    (tmp_path / "index.html").write_text(good, encoding="utf-8")
    assert broken_links(tmp_path) == []


def test_build_is_deterministic(site):
    """The same files from the graph parsed again (its blank nodes get other ids), in one process not two."""
    from oaik.publish.site.build import render_site
    from oaik.store.graph import load_store

    again = render_site(load_store(), jobs=1).files
    first = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert set(again) == set(first)
    assert [name for name in sorted(first) if first[name] != again[name]] == []


def test_pages_link_their_data_and_carry_schema_org(site):
    page = (site / "id/project/eleutherai.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/turtle" href="eleutherai.ttl">' in page
    assert '<link rel="alternate" type="application/ld+json" href="eleutherai.jsonld">' in page
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    document = json.loads(block)
    assert document["@context"] == "https://schema.org" and document["@id"] == ID + "project/eleutherai"


def test_entity_descriptions_parse_and_match_the_graph(site, store):
    import pyoxigraph as ox
    import rdflib
    from rdflib.compare import isomorphic

    iri = ID + "collab/eleutherai-hf-llama-implementation"
    turtle = rdflib.Graph().parse(
        data=(site / "id/collab/eleutherai-hf-llama-implementation.ttl").read_text(), format="turtle"
    )
    jsonld = rdflib.Graph().parse(
        data=(site / "id/collab/eleutherai-hf-llama-implementation.jsonld").read_text(), format="json-ld"
    )
    assert isomorphic(turtle, jsonld)
    direct = len(list(store.quads_for_pattern(ox.NamedNode(iri), None, None)))
    assert len(list(turtle.triples((rdflib.URIRef(iri), None, None)))) == direct


def test_project_page_shows_collaborations_claims_conflicts_and_evidence(site):
    page = (site / "id/project/cohere-labs.html").read_text(encoding="utf-8")
    for heading in (
        "Table 1 row",
        "Collaborations by lifecycle stage and on-ramp",
        "Claims",
        "Conflicting claims",
        "Evidence",
    ):
        assert f">{heading}</h2>" in page, heading
    assert 'class="side-by-side"' in page
    assert "<blockquote>" in page
    assert "<dt>organization type</dt>" in page and "organizationType" not in page  # words, not query variables


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_matrix_figure_equals_the_golden_answer(site):
    rows = _csv(site / "figures/onramp-matrix.csv")
    cells = {f"{r['stageLabel']}|{r['domainLabel']}": int(r["onramps"]) for r in rows}
    assert cells == {k: v for k, v in GOLDEN["onramps_per_cell"].items() if not k.startswith("_")}
    svg = (site / "figures/onramp-matrix.svg").read_text(encoding="utf-8")
    drawn = dict(re.findall(r'data-stage="([^"]+)" data-domain="([^"]+)" data-onramps="(\d+)"', svg) and [])
    drawn = {
        f"{s}|{d}": int(n)
        for s, d, n in re.findall(r'data-stage="([^"]+)" data-domain="([^"]+)" data-onramps="(\d+)"', svg)
        if int(n)
    }
    assert drawn == cells


def test_matrix_text_alternative_gives_every_count_of_each_cell(site):
    """The text alternative says what the cells show: on-ramps, collaborations and projects, in good English."""

    def counted(n: str, noun: str) -> str:
        return f"{n} {noun}" + ("" if n == "1" else "s")

    page = (site / "figures/onramp-matrix.html").read_text(encoding="utf-8")
    alternative = page.split('<h2 id="alternative">Text alternative</h2>')[1].split("</p>")[0]
    desc = re.search(
        r"<desc [^>]*>(.*?)</desc>", (site / "figures/onramp-matrix.svg").read_text(encoding="utf-8"), re.S
    )
    for text in (alternative, desc.group(1)):
        assert not re.search(r"\b1 (on-ramps|collaborations|projects)\b", text), text
        for row in _csv(site / "figures/onramp-matrix.csv"):
            cell = ", ".join(
                counted(row[column], noun)
                for column, noun in (
                    ("onramps", "on-ramp"),
                    ("collaborations", "collaboration"),
                    ("projects", "project"),
                )
            )
            assert f"{row['stageLabel']} / {row['domainLabel']}: {cell}" in text, cell


def test_motivation_figure_equals_figure_8(site):
    counts = {
        r["motivation"].rsplit("/", 1)[-1]: int(r["statedProjects"]) for r in _csv(site / "figures/motivations.csv")
    }
    assert counts == {k: len(v) for k, v in GOLDEN["motivations"].items() if not k.startswith("_")}


def test_governance_figure_holds_the_stated_models(site):
    stated = defaultdict(set)
    for row in _csv(site / "figures/governance.csv"):
        if row["status"] == "stated":
            stated[row["project"].rsplit("/", 1)[-1]].add(row["claim"])
    expected = {k for k in GOLDEN["stated_governance"] if not k.startswith("_")}
    assert set(stated) == expected


def test_compute_figure_holds_the_golden_partnerships(site):
    rows = _csv(site / "figures/compute-partnerships.csv")
    for _project, _kind, provider in GOLDEN["compute_partnerships"]["rows"]:
        assert any(provider.lower() in r["providerLabel"].lower() for r in rows), provider


def test_lineage_figure_holds_the_llama_derivatives(site):
    found = {r["derivativeLabel"] for r in _csv(site / "figures/lineage.csv")}
    assert set(GOLDEN["llama_derivatives"]["must_include"]) <= found


def test_every_figure_has_caption_query_alternative_and_csv(site):
    for page in (site / "figures").glob("*.html"):
        if page.name == "index.html":
            continue
        text = page.read_text(encoding="utf-8")
        assert "canned query" in text and ">Text alternative</h2>" in text, page
        assert page.with_suffix(".csv").is_file() and page.with_suffix(".svg").is_file(), page
        assert "<desc id=" in page.with_suffix(".svg").read_text(encoding="utf-8")


#: The published columns of each CSV table. Changing them breaks consumers: record it in CHANGELOG-tables.md.
COLUMNS = {
    "projects": [
        "iri",
        "label",
        "coordinated_by",
        "governance_models",
        "base_models",
        "derivative_models",
        "software",
        "platforms",
    ],
    "organisations": ["iri", "label", "organization_type", "sector", "country", "url", "hugging_face_id", "part_of"],
    "models": ["iri", "label", "types", "produced_by", "output_of", "part_of", "derived_from", "hugging_face_url"],
    "collaborations": ["collaboration", "label", "project", "onramp", "stage", "domain", "participant", "role"],
    "claims": [
        "iri",
        "label",
        "type",
        "about",
        "governance_model",
        "motivation",
        "challenge",
        "metric",
        "value",
        "conflicts_with",
        "evidence",
        "sections",
    ],
    "openness-grades": ["iri", "model", "assessment", "framework", "criterion", "grade", "evidence_url"],
}


def test_table_columns_are_pinned_and_documented(site):
    from oaik.publish.site.tables import TABLES

    assert {t.name: [c.name for c in t.columns] for t in TABLES} == COLUMNS
    dictionary = _csv(site / "downloads/data-dictionary.csv")
    for name, columns in COLUMNS.items():
        if not (site / f"downloads/{name}.csv").exists():  # published once its data exists (openness grades)
            assert name == "openness-grades"
            continue
        with (site / f"downloads/{name}.csv").open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == columns, name
        assert [r["column"] for r in dictionary if r["table"] == name] == columns
    changelog = (site / "downloads/CHANGELOG-tables.md").read_text(encoding="utf-8")
    for name in COLUMNS:
        assert f"`{name}`" in changelog


def test_table_keys_are_iris(site):
    for name in COLUMNS:
        if name == "openness-grades" and not (site / f"downloads/{name}.csv").exists():
            continue
        rows = _csv(site / f"downloads/{name}.csv")
        assert rows, name
        key = COLUMNS[name][0]
        assert all(r[key].startswith(ID) for r in rows), name


#: The key of each table: the columns whose values no two rows share (documented in the data dictionary).
KEYS = {name: ("collaboration", "participant", "role") if name == "collaborations" else ("iri",) for name in COLUMNS}


def test_table_keys_are_unique(site):
    """One row per key: several values of another column share one cell, separated as the dictionary says."""
    from collections import Counter

    for name, key in KEYS.items():
        if name == "openness-grades" and not (site / f"downloads/{name}.csv").exists():
            continue
        counts = Counter(tuple(row[c] for c in key) for row in _csv(site / f"downloads/{name}.csv"))
        repeated = [k for k, n in counts.items() if n > 1]
        assert not repeated, f"{name}: {len(repeated)} keys on several rows, e.g. {repeated[:3]}"


def test_dumps_parse(site):
    import rdflib

    graph = rdflib.Graph().parse(site / "downloads/oaik.nt", format="nt")
    assert len(graph) > 5000


def test_the_ontology_is_published_in_four_syntaxes_that_agree(site):
    """ns.ttl, ns.jsonld, ns.rdf and ns.nt (the targets of w3id.org/oaik/ns by Accept) hold the same graph."""
    import rdflib
    from rdflib.compare import isomorphic

    turtle = rdflib.Graph().parse(site / "ns.ttl", format="turtle")
    assert len(turtle) > 500
    for name, syntax in (("ns.jsonld", "json-ld"), ("ns.rdf", "xml"), ("ns.nt", "nt")):
        assert isomorphic(rdflib.Graph().parse(site / name, format=syntax), turtle), name


def test_badges_link_back(site):
    page = (site / "id/project/eleutherai.html").read_text(encoding="utf-8")
    assert "[![OAIK governance: " in page and "](https://w3id.org/oaik/id/project/eleutherai)" in page
    assert (site / "badges/project/eleutherai.svg").read_text(encoding="utf-8").startswith("<svg")


def test_every_project_and_model_has_a_badge_on_its_page(site):
    """A badge per project and model: its governance, its grades, or (a model in neither index and made by
    no project of the graph) that the graph holds no grades of it."""
    for kind in ("project", "model"):
        pages = sorted((site / "id" / kind).glob("*.html"))
        assert pages
        missing = [p.stem for p in pages if not (site / "badges" / kind / f"{p.stem}.svg").is_file()]
        assert missing == [], kind
    page = (site / "id/model/red-pajama.html").read_text(encoding="utf-8")
    assert "[![OAIK openness: no OSAI or MOT grades]" in page


def test_query_page_vendors_yasgui_and_lists_the_canned_queries(site):
    from oaik.query.canned import load_queries

    page = (site / "query.html").read_text(encoding="utf-8")
    assert "static/yasgui/yasgui.min.js" in page and (site / "static/yasgui/yasgui.min.js").is_file()
    assert (site / "static/yasgui/LICENSE").is_file()
    canned = json.loads(
        re.search(r'<script type="application/json" id="canned-queries">(.*?)</script>', page, re.S).group(1)
    )
    assert {q["name"] for q in canned} == set(load_queries())
    assert not re.search(r'(src|href)="https?://', page), "no CDN"


def test_the_site_refuses_to_replace_a_folder_it_did_not_build(tmp_path):
    from oaik.cli import main

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit) as exit_:
        main(["site", "-o", str(folder)])
    assert exit_.value.code == 2 and (folder / "notes.txt").read_text() == "keep me"


# -- the output folder: checked before the build, replaced whole, the user's files kept --------


@pytest.fixture(scope="module")
def small_store():
    """The ontology and one project: a site of a few hundred pages, built in a second or two."""
    from oaik.paths import data_dir, ontology_dir, turtle_files
    from oaik.store.graph import load_store

    return load_store([*turtle_files(ontology_dir()), data_dir() / "projects" / "eleutherai.ttl"])


@pytest.fixture
def quick_site(monkeypatch, small_store):
    """`oaik site` (and ``build_site``) on the small graph, without the whole-graph downloads (the slow part)."""
    from oaik.publish.site.build import Renderer

    monkeypatch.setattr(Renderer, "downloads", lambda self: None)
    monkeypatch.setattr("oaik.store.graph.load_store", lambda paths=None: small_store)
    return small_store


@pytest.fixture
def no_build(monkeypatch):
    """The build must not start: a bad output is found before it (a build of the shipped graph takes 20 s)."""
    from oaik.publish.site.build import Renderer

    def started(*args, **kwargs):
        raise AssertionError("the build started")

    monkeypatch.setattr(Renderer, "__init__", started)


def run_site(*args: str) -> int | str | None:
    """`oaik site ARGS` in this process: its exit code."""
    from oaik.cli import main

    try:
        main(["site", *args])
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_a_file_as_output_gets_a_message_saying_what_to_do(tmp_path, no_build, capsys):
    afile = tmp_path / "afile"
    afile.write_text("hi")
    assert run_site("-o", str(afile)) == 2
    error = capsys.readouterr().err
    assert f"{afile}: exists and is not a folder. Name a new folder" in error, error
    assert afile.read_text() == "hi"


@pytest.mark.parametrize("place", ["/proc/oaik-site", "/sys/oaik-site"])
def test_a_place_where_no_folder_can_be_made_is_refused_before_the_build(place, no_build, capsys):
    assert run_site("-o", place) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"oaik: error: {place}: ") and "Choose another folder with -o" in error, error
    assert "Traceback" not in error


def earlier_site(folder: Path, written: list[str] | None = None) -> Path:
    """A folder as `oaik site` leaves it (its marker records what it wrote), plus what a GitHub Pages user adds."""
    folder.mkdir()
    (folder / "index.html").write_text("earlier")
    marker = {"generator": "oaik test", "files": 2, "written": written or ["index.html", "oaik-site.json"]}
    (folder / "oaik-site.json").write_text(json.dumps(marker))
    (folder / "CNAME").write_text("oaik.example.org\n")
    (folder / ".nojekyll").touch()
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    return folder


def assert_untouched(folder: Path) -> None:
    assert (folder / "index.html").read_text() == "earlier"
    assert (folder / "CNAME").read_text() == "oaik.example.org\n" and (folder / ".nojekyll").is_file()
    assert (folder / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert [p.name for p in folder.parent.iterdir()] == [folder.name], "nothing left beside it"


def test_an_output_whose_files_cannot_be_moved_is_refused_before_the_build(tmp_path, monkeypatch, no_build, capsys):
    """Moving the user's .git into the new site needs write permission on it (tests run as root: os.access says no)."""
    import os

    site = earlier_site(tmp_path / "site")
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == site / ".git" else access(path, mode))
    assert run_site("-o", str(site)) == 2
    error = capsys.readouterr().err
    assert f"{site / '.git'}" in error and "choose another folder with -o" in error, error
    assert_untouched(site)


def test_an_output_in_a_sticky_folder_owned_by_another_user_is_refused_before_the_build(
    tmp_path, monkeypatch, no_build, capsys
):
    """In a folder like /tmp (sticky bit) only the owner may rename a folder (root is not refused: pretend to be user 4242)."""
    import os
    import stat

    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(parent.stat().st_mode | stat.S_ISVTX)
    (parent / "site").mkdir()
    monkeypatch.setattr(os, "geteuid", lambda: 4242)
    assert run_site("-o", str(parent / "site")) == 2
    error = capsys.readouterr().err
    assert f"{parent / 'site'}: " in error and "Choose another folder with -o" in error, error
    assert [p.name for p in parent.iterdir()] == ["site"]


def test_an_empty_folder_that_is_not_writable_is_replaced(tmp_path, monkeypatch, quick_site):
    """Renaming a folder into another folder needs write permission on it, renaming it in its own folder does not:
    the build moves the old output aside within its folder (the kernel's rule is emulated: tests run as root)."""
    import os

    from oaik.publish.site.build import build_site

    site = tmp_path / "site"
    site.mkdir()
    replace = os.replace

    def kernel(source, target):
        if Path(source) == site and Path(target).parent != site.parent:
            raise PermissionError(13, "Permission denied", str(source))
        return replace(source, target)

    monkeypatch.setattr(os, "replace", kernel)
    assert build_site(site, store=quick_site).files > 100
    assert (site / "oaik-site.json").is_file() and [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_failed_swap_leaves_the_earlier_site_as_it_was(tmp_path, monkeypatch, quick_site, capsys):
    """The last step (the new site into place) fails, e.g. the folder is a mount point or immutable: exit 2, nothing changed."""
    import os

    site = earlier_site(tmp_path / "site")
    replace = os.replace

    def busy(source, target):
        if Path(target) == site and Path(source).name.startswith(".site.") and ".old." not in Path(source).name:
            raise OSError(16, "Device or resource busy", str(target))
        return replace(source, target)

    monkeypatch.setattr(os, "replace", busy)
    assert run_site("-o", str(site), "-j", "1") == 2
    error = capsys.readouterr().err
    assert error.startswith(f"oaik: error: {site}: ") and "Device or resource busy" in error, error
    assert_untouched(site)


def test_a_rebuild_keeps_what_the_user_added_beside_the_site(tmp_path, quick_site, capsys):
    """A GitHub Pages checkout: CNAME, .nojekyll and .git are carried over into the new site, and named."""
    site = earlier_site(tmp_path / "site")
    (site / "stale.html").write_text("a page the earlier build wrote")
    marker = json.loads((site / "oaik-site.json").read_text())
    marker["written"].append("stale.html")
    (site / "oaik-site.json").write_text(json.dumps(marker))
    assert run_site("-o", str(site), "-j", "1") == 0
    said = capsys.readouterr().err.splitlines()[-1]
    assert said.endswith("; kept from the earlier site what the build does not write: .git, .nojekyll, CNAME"), said
    assert (site / "CNAME").read_text() == "oaik.example.org\n" and (site / ".nojekyll").is_file()
    assert (site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site / "index.html").read_text() != "earlier" and not (site / "stale.html").exists()
    written = json.loads((site / "oaik-site.json").read_text())["written"]
    assert "id" in written and "index.html" in written and "CNAME" not in written
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_rebuild_refuses_to_overwrite_a_file_the_user_put_where_the_build_now_writes(tmp_path, quick_site, capsys):
    site = earlier_site(tmp_path / "site", written=["oaik-site.json"])  # index.html is then the user's
    assert run_site("-o", str(site), "-j", "1") == 2
    error = capsys.readouterr().err
    assert f"{site / 'index.html'}" in error and "move it" in error, error
    assert_untouched(site)


def test_progress_shows_while_the_parent_writes_the_downloads(small_store, monkeypatch):
    """The parent writes the downloads (most of a build's first half) while the workers render pages: their pages
    count as they come, not after the downloads (the bar sat at 0 % for 14 s with an ETA of days, then jumped)."""
    import time

    from oaik.publish.site.build import Renderer

    counted: list[int] = []
    during: list[int] = []

    def downloads(self):
        deadline = time.monotonic() + 15
        while not counted and time.monotonic() < deadline:
            time.sleep(0.05)
        during.append(sum(counted))

    monkeypatch.setattr(Renderer, "downloads", downloads)
    renderer = Renderer(small_store)
    assert len(renderer.resource_pages()) > 200  # rendered by workers
    renderer.render(lambda n, what: counted.append(n), jobs=2)
    assert during[0] > 0, "no progress while the downloads were written"
    assert sum(counted) == renderer.total() - 1  # every page but downloads.html (the fake above writes none)


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_stopped_build_leaves_nothing_behind_and_says_so_in_one_line(tmp_path, name, code):
    """`timeout` and CI time limits send SIGTERM, Ctrl-C sends SIGINT, to the whole process group, workers
    included: the staging folder is removed (SIGTERM left 155 MB) and no worker prints a traceback."""
    import os
    import signal
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "oaik.cli", "site", "-o", str(tmp_path / "site"), "-j", "2"]
    # Ctrl-C as a terminal sends it: a command a shell starts in the background (`.ci/run &`) inherits SIGINT
    # ignored, and Python then never raises KeyboardInterrupt, so the build would not stop at all
    build = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        if any((staging / "id").is_dir() for staging in tmp_path.glob(".site.*")):
            break  # the workers are writing pages
        time.sleep(0.1)
    os.killpg(build.pid, getattr(signal, name))
    _, error = build.communicate(timeout=60)
    assert build.returncode == code, error
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1, error
    assert list(tmp_path.iterdir()) == []


def test_openness_grades_appear_when_imported(site, store):
    """Grades (issue: openness import) show on model pages, in a heat map and a table, once they are in the graph."""
    from conftest import rows

    graded = rows(
        store,
        """SELECT ?m (COUNT(DISTINCT ?c) AS ?n) WHERE { ?p a oaik:Project ; oaik:baseModel|oaik:derivativeModel ?m .
           ?a dcterms:isPartOf* ?m . ?c a oaik:GradeClaim ; oaik:about ?a } GROUP BY ?m""",
    )
    if not graded:
        pytest.skip("no openness grades in the graph yet (they come with `oaik import osai|mot`)")
    for row in graded:
        page = page_for(site, row["m"]).read_text(encoding="utf-8")
        assert '<h2 id="openness">Openness grades</h2>' in page, row["m"]
        assert page.count("<tr>") >= int(row["n"]), row["m"]
    heat = _csv(site / "figures/openness.csv")
    assert {r["model"] for r in heat} == {r["m"] for r in graded}
    assert (site / "downloads/openness-grades.csv").is_file()


def test_imported_data_is_credited_on_every_page_and_not_called_cc0(site):
    """OSAI's CC BY 4.0 and MOT's MIT licence require attribution wherever their data is shown."""
    downloads = (site / "downloads.html").read_text(encoding="utf-8")
    assert '<h2 id="licences">' in downloads
    assert "https://osai-index.eu/" in downloads and "Liesenfeld" in downloads
    assert "The Model Openness Tool Authors" in downloads
    for page in ("index.html", "id/model/olmo.html", "vocab/onramp.html"):
        footer = (site / page).read_text(encoding="utf-8").split('<footer class="site">')[1]
        imported = footer.split("data imported from openness indices")[1]
        assert "CC-BY-4.0" in imported and "MIT" in imported and "downloads.html#licences" in imported, page
    schema = (site / "index.html").read_text(encoding="utf-8").split('"license": "')[1]
    assert schema.startswith("https://creativecommons.org/licenses/by/4.0/")


def test_json_in_script_elements_cannot_end_them():
    from oaik.publish.site.render import json_script

    text = str(json_script({"name": "</script><!-- & more"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><!-- & more"}


def test_blank_nodes_are_ordered_by_content_not_by_their_ids():
    """Each parse gives blank nodes new ids: a page listing participations must not change with them."""
    from oaik.paths import data_dir
    from oaik.publish.site.graphview import GraphView
    from oaik.publish.site.render import Linker
    from oaik.store.graph import load_store

    collaboration = ID + "collab/ai-singapore-vendor-compute"
    shown = set()
    for _ in range(6):
        view = GraphView(load_store([data_dir() / "projects" / "ai-singapore.ttl"]))
        link = Linker(view, "id/collab/x.html", frozenset())
        shown.add(str(link.values(obj for _, obj in view.outgoing(collaboration))))
    assert len(shown) == 1, shown


def test_deep_and_cyclic_blank_nodes_render_in_a_line_and_order_in_linear_space():
    """5,000 nested blank nodes and a cycle of two (beyond Python's recursion limit, and endless when
    followed): their one-line rendering stops after a few levels, and their order keys stay short."""
    import pyoxigraph as ox

    from oaik.publish.site.graphview import GraphView
    from oaik.publish.site.render import INLINE_DEPTH, Linker

    p = "<http://example.org/p>"
    text = (
        f"<{ID}project/x> {p} "
        + f"[ {p} " * 5000
        + '"end"'
        + " ]" * 5000
        + f" . <{ID}project/y> {p} _:a . _:a {p} _:b . _:b {p} _:a ."
    )
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    view = GraphView(store)
    link = Linker(view, "id/project/x.html", frozenset())
    for iri in ("x", "y"):
        (node,) = view.objects(ID + f"project/{iri}", "http://example.org/p")
        html = str(link(node))
        assert html.count("[") == INLINE_DEPTH + 1 and html.endswith("[…]" + "]" * INLINE_DEPTH)
        assert len(view.key(node)[1]) < 1000


def _w3id_rules() -> list[tuple[str | None, re.Pattern, str]]:
    """(Accept condition, path pattern, target) of each RewriteRule in w3id/.htaccess, in order."""
    rules, condition = [], None
    for line in (Path(__file__).resolve().parents[1] / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts[:2] == ["RewriteCond", "%{HTTP_ACCEPT}"]:
            condition = parts[2]
        elif parts[:1] == ["RewriteRule"]:
            rules.append((condition, re.compile(parts[1]), parts[2]))
            condition = None
    return rules


def _redirect(rules, path: str, accept: str) -> str:
    for condition, pattern, target in rules:
        if condition is not None and not re.search(condition, accept):
            continue
        found = pattern.match(path)
        if found:
            return found.expand(re.sub(r"\$(\d)", r"\\\1", target))
    raise AssertionError(f"no rule for {path!r}")


def test_w3id_redirects_land_on_files_the_site_has(site):
    """Each IRI kind, asked for in each media type the rules negotiate, is sent to a file `oaik site` writes."""
    from oaik.publish.jsonld import context_version

    rules = _w3id_rules()
    claim = next((site / "id" / "claim").glob("*.html")).stem
    paths = [
        "ns",
        "ns/0.1.0",
        "vocab/onramp",
        "vocab/onramp/base-and-specialized-model-partnerships",
        "id/project/eleutherai",
        f"id/claim/{claim}",
    ]
    paths += [f"context/{context_version()}.jsonld", "graph", ""]
    accepts = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
    missing = []
    for path in paths:
        for accept in accepts:
            target = _redirect(rules, path, accept)
            assert target.startswith("https://oaik.github.io/oaik/"), target
            local = target[len("https://oaik.github.io/oaik/") :] or "index.html"
            if not (site / local).is_file():
                missing.append((path, accept, local))
    assert not missing, missing


def test_hostile_text_in_claims_and_evidence_is_escaped_on_every_page(tmp_path, small_store):
    """A contribution's quotes, notes and labels are data, never markup: claim cards and evidence records
    (rendered by Linker in Python, not by autoescaping templates) escape them like every other value."""
    import pyoxigraph as ox

    from oaik.publish.site.build import Renderer, build_site

    oaik, rdfs = "https://w3id.org/oaik/ns#", "http://www.w3.org/2000/01/rdf-schema#"
    evidence = ox.NamedNode("https://w3id.org/oaik/id/evidence/eleutherai-table-1")
    claim = ox.NamedNode("https://w3id.org/oaik/id/claim/eleutherai-governance-7")
    hostile = {
        (evidence, oaik + "quote"): "<script>alert(1)</script>",
        (evidence, oaik + "curatorNote"): "<img src=x onerror=alert(2)>",
        (claim, rdfs + "label"): '"><svg onload=alert(3)>',
        (claim, oaik + "curatorNote"): "</dd><iframe src=//evil.example>",
    }
    store = ox.Store()
    store.extend(small_store.quads_for_pattern(None, None, None, None))
    store.extend(ox.Quad(s, ox.NamedNode(p), ox.Literal(text, language="en")) for (s, p), text in hostile.items())
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(Renderer, "downloads", lambda self: None)
    try:
        build_site(tmp_path / "site", store=store)
    finally:
        monkeypatch.undo()
    pages = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")}
    for text in hostile.values():
        assert [p.name for p, page in pages.items() if text in page] == [], text
    shown = "".join(
        pages[p] for p in pages if p.stem in ("eleutherai-table-1", "eleutherai-governance-7", "eleutherai")
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "&lt;img src=x onerror=alert(2)&gt;" in shown


def test_dumps_made_in_a_forked_process_are_handed_over_and_a_failed_one_is_made_again_here(monkeypatch):
    """`oaik site` makes the whole-graph dumps in a process forked as the build starts; what it hands over is what
    would be made in the build's own process, and when that process fails, the dumps are made (and fail) here."""
    import os

    from oaik.publish.site import dumps

    monkeypatch.setattr(dumps, "graph_dumps", lambda: [b"turtle", b"n-triples", str(os.getpid()).encode()])
    started = dumps.Dumps()
    started.start()
    made = started.result()
    assert made[:2] == [b"turtle", b"n-triples"] and made[2] != str(os.getpid()).encode()  # made in another process
    assert dumps.Dumps().result()[2] == str(os.getpid()).encode()

    def failing() -> list[bytes]:
        raise ValueError("no graph")

    monkeypatch.setattr(dumps, "graph_dumps", failing)
    failed = dumps.Dumps()
    failed.start()
    with pytest.raises(ValueError, match="no graph"):
        failed.result()
    failed.stop()  # nothing left to end


def test_the_index_counts_what_the_graph_holds(site, store):
    """The front page's counts come from the graph, written as people read numbers (12,776, not 12776)."""
    import re

    page = (site / "index.html").read_text(encoding="utf-8")
    sentence = re.search(r"The graph holds ([^<]*)</p>", page)
    assert sentence is not None
    assert f"({len(store):,} triples)" in sentence.group(1)
    models = len(
        list(
            store.query(
                "SELECT DISTINCT ?m WHERE { ?m a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
                "<https://w3id.org/oaik/ns#Model> }"
            )
        )
    )
    assert f"{models:,} models" in sentence.group(1)
    assert "openness assessments imported" in sentence.group(1)
