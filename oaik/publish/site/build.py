"""Build the static site: collect the pages from the graph, render them, write the folder atomically."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import shutil
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files as package_files
from pathlib import Path

import pyoxigraph as ox

from oaik import __version__
from oaik.errors import OaikError
from oaik.namespaces import ID, OAIK
from oaik.publish.catalog import CC0, CC_BY, imported_sources, rights_statement
from oaik.publish.jsonld import context_document, context_version
from oaik.publish.site import rdf
from oaik.publish.site.badges import badge_svg, markdown
from oaik.publish.site.dumps import DUMPS, Dumps
from oaik.publish.site.figures import Figure, QueryRunner, build_figures, matrix_axes
from oaik.publish.site.folder import MARKER, check_output, remove, staging_beside, swap_in
from oaik.publish.site.graphview import GraphView
from oaik.publish.site.ontology import schemes, term_context, terms
from oaik.publish.site.pages import PageData, kind_of
from oaik.publish.site.render import Linker, environment
from oaik.publish.site.signals import quiet_worker, terminable
from oaik.publish.site.tables import TABLES, dictionary_csv
from oaik.publish.site.urls import ONTOLOGY, page_path, page_stem

DEFAULT_BASE_URL = "https://oaik.github.io/oaik/"
BROWSED_KINDS = ("project", "org", "model")
#: Allocations between two collections of the youngest generation while rendering (Python's default: 700).
RENDERING_GC_THRESHOLD = 20_000


@dataclass
class Site:
    """The files of the site by path relative to its root: kept in memory, or written under ``root`` as they come."""

    root: Path | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)
    _folders: set[str] = field(default_factory=set)

    def add(self, path: str, data: bytes | str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self.root is None:
            self.files[path] = data
            return
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        _write_file(f"{self.root}/{path}", data)
        self.written.add(path)

    def merge(self, other: Site) -> None:
        """Take the files another renderer (a worker) made."""
        self.files.update(other.files)
        self.written |= other.written

    def __len__(self) -> int:
        return len(self.files) + len(self.written)

    def top_level(self) -> list[str]:
        """The files and folders at the top of the site (with the marker, written last)."""
        return sorted({path.partition("/")[0] for path in (*self.files, *self.written)} | {MARKER})


@dataclass(frozen=True)
class Built:
    """What a build did: the files it wrote, and the user's files it carried over from the earlier site."""

    files: int
    kept: list[str]


def _write_file(path: str, data: bytes) -> None:
    """Write a new file with the bare system calls: half the time of ``open()`` for the site's 54K small files."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        rest = memoryview(data)
        while rest:
            rest = rest[os.write(descriptor, rest) :]
    finally:
        os.close(descriptor)


def build_site(
    output: Path,
    store: ox.Store | None = None,
    endpoint: str = "",
    base_url: str = DEFAULT_BASE_URL,
    show_progress: bool = False,
    jobs: int = 1,
) -> Built:
    """Build the site from the graph into ``output`` (replaced in one step, the user's files kept: :mod:`.folder`).

    SIGTERM stops the build as Ctrl-C does (raising :class:`~.signals.Terminated`); either way the unfinished
    site is removed and ``output`` is left as it was. With more than one job and the graph to load, the
    whole-graph dumps are made in a process of their own from the start (:mod:`.dumps`).
    """
    check_output(output)
    output = output.resolve()
    dumps = Dumps()
    with terminable():
        staging = staging_beside(output)
        try:
            if store is None and jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
                dumps.start()
            renderer = Renderer(store, endpoint, base_url, dumps)
            update, finish = progress_bar(renderer.total()) if show_progress else (None, lambda: None)
            renderer.site = Site(root=staging)
            try:
                site = renderer.render(update, jobs)
            finally:
                finish()
            kept, aside = swap_in(staging, output)
        finally:
            dumps.stop()
            shutil.rmtree(staging, ignore_errors=True)  # nothing left once swapped in
        if aside is not None:
            if show_progress and sys.stderr.isatty():
                print("Removing the earlier site…", file=sys.stderr, flush=True)
            remove(aside)
    return Built(len(site), kept)


def render_site(
    store: ox.Store | None = None, endpoint: str = "", base_url: str = DEFAULT_BASE_URL, jobs: int = 1
) -> Site:
    """The site's files in memory (for tests and for serving without a folder)."""
    return Renderer(store, endpoint, base_url).render(jobs=jobs)


class Renderer:
    """Renders every page of the site from one graph."""

    def __init__(
        self,
        store: ox.Store | None = None,
        endpoint: str = "",
        base_url: str = DEFAULT_BASE_URL,
        dumps: Dumps | None = None,
    ):
        if store is None:
            from oaik.store.graph import load_store

            store = load_store()
        view = GraphView(store)
        self.view = view
        self.endpoint = endpoint
        self.dumps = Dumps() if dumps is None else dumps
        self.base_url = base_url.rstrip("/") + "/"
        self.progress: Callable[[int, str], None] = lambda n, what: None
        self.env = environment()
        self.imported = [
            {**source, "licence": source["licence"].rsplit("/", 1)[-1]} for source in imported_sources(view.store)
        ]
        self.env.globals["imported"] = self.imported  # the footer of every page credits them
        self.site = Site()
        self.links: dict = {}  # the HTML of each link, by page folder, IRI and text
        self.runner = QueryRunner(view)
        self.entities = [iri for iri in view.subjects_under(ID) if page_stem(iri)]
        self.schemes = schemes(view)
        self.terms = terms(view)
        self.term_by_iri = {t.iri: t for t in self.terms}
        table1 = self._table1()
        self.data = PageData(view, table1, self._governance())
        self.figures = build_figures(view, self.runner)
        fixed = ["index.html", "downloads.html", "query.html", "ns.html", "figures/index.html"]
        fixed += [f"browse/{kind}.html" for kind in self.kinds]
        fixed += [f"figures/{f.slug}.html" for f in self.figures]
        iris = [*self.entities, *(s for s, _ in self.schemes), *(c for _, cs in self.schemes for c in cs)]
        iris += [t.iri for t in self.terms]
        self.pages = frozenset(fixed + [path for path in map(page_path, iris) if path])

    def total(self) -> int:
        return len(self.pages)

    @cached_property
    def kinds(self) -> list[str]:
        """The kinds of instance, sorted (each has a browse page); worked out once, every browse page lists them."""
        return sorted({kind_of(iri) for iri in self.entities} | set(BROWSED_KINDS))

    # -- queries shared by pages --

    def _table1(self) -> dict[str, list[tuple[str, str]]]:
        """Each project's row of the paper's Table 1 (canned query ``table-1``), its columns named in words."""
        columns, rows = self.runner.run("table-1")
        words = {c: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", c).lower() for c in columns}
        return {row["project"]: [(words[c], row[c]) for c in columns if c != "project" and row[c]] for row in rows}

    def _governance(self) -> dict[str, list[str]]:
        """Each project's governance models (stated ones, or inferred ones marked so when none is stated)."""
        _, rows = self.runner.run("projects-by-governance-model")
        stated: dict[str, set[str]] = defaultdict(set)
        inferred: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            (stated if row["status"] == "stated" else inferred)[row["project"]].add(row["modelLabel"])
        projects = set(stated) | set(inferred)
        return {
            p: sorted(stated[p]) if stated[p] else [f"{label} (inferred)" for label in sorted(inferred[p])]
            for p in projects
        }

    # -- rendering --

    def page(self, template: str, path: str, title: str, **context) -> None:
        context.setdefault("alternates", [])
        context.setdefault("schema", None)
        context.setdefault("summary", "")
        link = Linker(self.view, path, self.pages, self.links)
        html = self.env.get_template(template).render(link=link, title=title, **context)
        self.site.add(path, html)
        self.progress(1, path)

    def render(self, progress: Callable[[int, str], None] | None = None, jobs: int = 1) -> Site:
        """Every file of the site; the pages of entities, concepts and terms in ``jobs`` forked processes when more than one."""
        if progress is not None:
            self.progress = progress
        self.static()
        pages = self.resource_pages()
        with _rare_collections():
            if jobs > 1 and len(pages) > 200 and "fork" in multiprocessing.get_all_start_methods():
                self._in_parallel(pages, jobs, meanwhile=self.graph_pages)
            else:
                for kind, iri in pages:
                    self.resource_page(kind, iri)
                self.graph_pages()
        marker = {"generator": f"oaik {__version__}", "files": len(self.site) + 1, "written": self.site.top_level()}
        self.site.add(MARKER, json.dumps(marker, indent=2) + "\n")
        return self.site

    def graph_pages(self) -> None:
        """The downloads and the pages drawn from the whole graph (not one resource)."""
        self.downloads()
        self.vocabularies()
        self.ontology()
        self.figure_pages()
        self.browse()
        self.query_page()
        self.index()

    def resource_pages(self) -> list[tuple[str, str]]:
        """(kind, IRI) of every page of one resource: instances, vocabulary concepts, ontology terms."""
        pages = [("entity", iri) for iri in self.entities]
        pages += [("concept", c) for _, concepts in self.schemes for c in concepts if page_stem(c)]
        pages += [("term", iri) for iri in self.term_by_iri if page_stem(iri)]
        return pages

    def resource_page(self, kind: str, iri: str) -> None:
        {"entity": self.entity, "concept": self.concept, "term": self.term}[kind](iri)

    def _in_parallel(self, pages: list[tuple[str, str]], jobs: int, meanwhile: Callable[[], None]) -> None:
        """Render resource pages in forked workers (they share the loaded graph), running ``meanwhile``
        in this process as they work (the downloads and the graph-wide pages); merge their
        files on a thread as they come, so that progress shows while ``meanwhile`` runs."""
        global _WORKER
        _WORKER = self
        chunks = [pages[i : i + 100] for i in range(0, len(pages), 100)]
        gc.collect()
        gc.freeze()  # the workers' garbage collector then leaves the shared objects alone (no copy-on-write of them)
        try:
            with multiprocessing.get_context("fork").Pool(jobs, initializer=quiet_worker) as pool:
                rendered = pool.imap_unordered(_render_chunk, chunks)  # the workers start at once
                collector = _Collector(rendered, self)
                collector.start()
                try:
                    meanwhile()
                    collector.finish()
                except BaseException:  # Ctrl-C, SIGTERM or an error: the pool's exit stops the workers
                    collector.stop()
                    raise
        finally:
            _WORKER = None
            gc.unfreeze()

    def static(self) -> None:
        root = package_files("oaik.publish.site") / "static"
        for path in _walk(root):
            self.site.add(f"static/{path}", (root / path).read_bytes())

    def describe(self, iri: str, stem: str, members: Iterable[str] = ()) -> list[tuple[str, str]]:
        """Write the resource's description (and its ``members``', e.g. a scheme's concepts) as Turtle and
        JSON-LD next to its page; the alternates to link."""
        triples = rdf.canonical(t for node in (iri, *members) for t in self.view.description(node))
        self.site.add(f"{stem}.ttl", rdf.turtle(triples))
        self.site.add(f"{stem}.jsonld", rdf.jsonld(triples))
        return [("text/turtle", f"{stem}.ttl"), ("application/ld+json", f"{stem}.jsonld")]

    def resource(self, template: str, iri: str, /, **context) -> None:
        """The page of one resource at its IRI's path, its description beside it as Turtle and JSON-LD."""
        stem = page_stem(iri)
        assert stem is not None  # resource_pages lists resources with pages only
        title = self.view.label(ox.NamedNode(iri))
        self.page(template, f"{stem}.html", title, stem=stem, alternates=self.describe(iri, stem), **context)

    def entity(self, iri: str) -> None:
        kind = kind_of(iri)
        context = self.data.entity(iri)
        context["badge"] = self.badge(iri, kind, page_stem(iri) or "", context["openness"])
        summary = context["description"][0].value if context["description"] else ""
        self.resource("entity.html", iri, schema=self.data.schema_org(iri, kind), summary=summary, **context)

    def badge(self, iri: str, kind: str, stem: str, openness: list[dict]) -> dict | None:
        """A governance badge for projects; for models their openness grades when indexed, else their projects' governance,
        else that no index grades them."""
        subject = "governance"
        if kind == "model" and openness:
            subject = "openness"
            counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for row in openness:
                counts[self.view.label(row["framework"])][self.view.label(row["grade"])] += 1
            values = [
                f"{framework}: " + " · ".join(f"{n} {grade}" for grade, n in sorted(grades.items()))
                for framework, grades in sorted(counts.items())
            ]
        elif kind == "project":
            values = self.data.governance.get(iri, [])
        elif kind == "model":
            projects = self.view.select(
                "SELECT DISTINCT ?m ?p WHERE { { ?m oaik:outputOf ?p } UNION { ?p oaik:baseModel|oaik:derivativeModel ?m } ?p a oaik:Project }",
                m=iri,
            )
            values = sorted({v for row in projects for v in self.data.governance.get(row["p"].value, [])})
            if not values:  # in neither index, made by no project: the badge says so (`openness-coverage` lists them)
                subject, values = "openness", ["no OSAI or MOT grades"]
        else:
            return None
        if not values:
            return None
        path = f"badges/{stem[3:]}.svg"
        value = " | ".join(values) if subject == "openness" else ", ".join(values)
        self.site.add(path, badge_svg(subject, value))
        alt = f"OAIK {subject}: {value}"
        return {"path": path, "alt": alt, "markdown": markdown(alt, self.base_url + path, iri)}

    def vocabularies(self) -> None:
        for scheme, concepts in self.schemes:
            stem = page_stem(scheme)
            if stem is None:
                continue
            context = self.data.entity(scheme)
            self.page(
                "scheme.html",
                f"{stem}.html",
                self.view.label(ox.NamedNode(scheme)),
                iri=scheme,
                concepts=[ox.NamedNode(c) for c in concepts],
                definitions={c: self.view.first(c, "http://www.w3.org/2004/02/skos/core#definition") for c in concepts},
                alternates=self.describe(scheme, stem, members=concepts),
                schema={
                    "@context": "https://schema.org",
                    "@type": "DefinedTermSet",
                    "@id": scheme,
                    "name": self.view.label(ox.NamedNode(scheme)),
                },
                **{k: context[k] for k in ("description", "facts")},
            )

    def concept(self, concept: str) -> None:
        schema = self.data.schema_org(concept, "", concept=True)
        self.resource("entity.html", concept, schema=schema, badge=None, **self.data.entity(concept))

    def ontology(self) -> None:
        triples = rdf.canonical(
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.view.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            if isinstance(q.subject, ox.NamedNode) and (q.subject.value.startswith(OAIK) or q.subject.value == ONTOLOGY)
        )
        self.site.add("ns.ttl", rdf.turtle(triples))
        self.site.add("ns.jsonld", rdf.jsonld(triples))
        self.site.add("ns.rdf", rdf.rdfxml(triples))  # for OWL tools that ask w3id.org/oaik/ns for RDF/XML
        self.site.add("ns.nt", rdf.ntriples(triples))
        self.site.add(f"context/{context_version()}.jsonld", json.dumps(context_document(), indent=2) + "\n")
        node = ox.NamedNode(ONTOLOGY)
        self.page(
            "ontology.html",
            "ns.html",
            self.view.label(node) if ONTOLOGY in self.view.labels else "The OAIK ontology",
            iri=ONTOLOGY,
            facts=self.data.entities.facts(ONTOLOGY),
            classes=[ox.NamedNode(t.iri) for t in self.terms if t.kind == "class"],
            properties=[ox.NamedNode(t.iri) for t in self.terms if t.kind == "property"],
            schemes=[ox.NamedNode(s) for s, _ in self.schemes if page_stem(s)],
            alternates=[("text/turtle", "ns.ttl"), ("application/ld+json", "ns.jsonld")],
            schema={
                "@context": "https://schema.org",
                "@type": "DefinedTermSet",
                "@id": ONTOLOGY,
                "name": "OAIK ontology",
            },
        )

    def term(self, iri: str) -> None:
        schema = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "@id": iri,
            "name": self.view.label(ox.NamedNode(iri)),
        }
        self.resource("term.html", iri, iri=iri, schema=schema, **term_context(self.view, self.term_by_iri[iri]))

    def figure_pages(self) -> None:
        stages, domains = matrix_axes(self.view)
        cells: dict[tuple[str, str], list[ox.NamedNode]] = defaultdict(list)
        for row in self.view.select(
            "SELECT ?o ?s ?d WHERE { ?o skos:inScheme <https://w3id.org/oaik/vocab/onramp> ; oaik:stage ?s ; oaik:domain ?d }"
        ):
            cells[(row["s"].value, row["d"].value)].append(row["o"])
        from oaik.publish.site.figures import _slug

        matrix_cells = [
            (f"cell-{_slug(sl)}-{_slug(dl)}", sl, dl, sorted(cells[(s, d)], key=lambda t: self.view.label(t)))
            for s, sl in stages
            for d, dl in domains
            if cells[(s, d)]
        ]
        for figure in self.figures:
            self.site.add(f"figures/{figure.slug}.svg", figure.svg)
            self.site.add(f"figures/{figure.slug}.csv", figure.csv())
            self.page(
                "figure.html",
                f"figures/{figure.slug}.html",
                figure.title,
                figure=figure,
                inline_svg=_inline(figure.svg),
                cells=matrix_cells if figure.slug == "onramp-matrix" else [],
                summary=figure.caption,
                schema=_figure_schema(figure, self.base_url),
            )
        self.page("figures.html", "figures/index.html", "Figures", figures=self.figures)

    def browse(self) -> None:
        by_kind: dict[str, list[ox.NamedNode]] = defaultdict(list)
        for iri in self.entities:
            by_kind[kind_of(iri)].append(ox.NamedNode(iri))
        for kind in self.kinds:
            items = sorted(by_kind[kind], key=lambda t: (self.view.label(t).lower(), t.value))
            self.page(
                "browse.html", f"browse/{kind}.html", f"All {kind} entities", kind=kind, items=items, kinds=self.kinds
            )

    def downloads(self) -> None:
        """The dumps, tables and notes to download, and their page."""
        dumps = []
        for (fmt, name, label), data in zip(DUMPS, self.dumps.result(), strict=True):
            self.site.add(f"downloads/{name}", data)
            dumps.append((label, f"downloads/{name}", rdf.MEDIA_TYPES[fmt], len(data)))
        tables = []
        published = tuple(table for table in TABLES if table.present(self.view.store))
        for table in published:
            data = table.csv(self.view)
            self.site.add(f"downloads/{table.name}.csv", data)
            tables.append((table, f"downloads/{table.name}.csv", data.count(b"\n") - 1))
        self.site.add("downloads/data-dictionary.csv", dictionary_csv(published))
        changelog = (package_files("oaik.publish.site") / "CHANGELOG-tables.md").read_bytes()
        self.site.add("downloads/CHANGELOG-tables.md", changelog)
        rights = rights_statement(self.imported)
        self.page("downloads.html", "downloads.html", "Downloads", dumps=dumps, tables=tables, rights=rights)

    def query_page(self) -> None:
        from oaik.query.canned import bind

        canned = []
        for name, query in sorted(self.runner.queries.items()):
            try:
                text = bind(query, {})
            except OaikError:
                text = query.text
            canned.append({"name": name, "summary": query.summary, "query": text})
        self.page("query.html", "query.html", "Query the graph", canned=canned, endpoint=self.endpoint)

    def index(self) -> None:
        counts = self.view.select(
            """SELECT (COUNT(DISTINCT ?p) AS ?projects) (COUNT(DISTINCT ?c) AS ?collaborations)
                      (COUNT(DISTINCT ?m) AS ?models) (COUNT(DISTINCT ?a) AS ?assessments) (COUNT(DISTINCT ?e) AS ?evidence)
               WHERE { { ?p a oaik:Project } UNION { ?c a/rdfs:subClassOf* oaik:Collaboration }
                       UNION { ?m a/rdfs:subClassOf* oaik:Model } UNION { ?a a/rdfs:subClassOf* oaik:OpennessAssessment }
                       UNION { ?e a oaik:Evidence } }"""
        )[0]
        projects = sorted(
            (
                ox.NamedNode(iri)
                for iri in self.entities
                if kind_of(iri) == "project" and "https://w3id.org/oaik/ns#Project" in self.view.types(iri)
            ),
            key=lambda t: self.view.label(t).lower(),
        )
        self.page(
            "index.html",
            "index.html",
            "OAIK: the knowledge graph of open-source AI collaboration",
            counts={k: f"{int(v.value):,}" for k, v in counts.items()},
            triples=f"{len(self.view.store):,}",
            projects=projects,
            figures=self.figures,
            kinds=self.kinds,
            schema={
                "@context": "https://schema.org",
                "@type": "Dataset",
                "@id": "https://w3id.org/oaik/graph",
                "name": "OAIK knowledge graph",
                "description": "Who collaborates with whom on open LLMs, how, at which stage, why and under what governance: a curated, evidence-backed knowledge graph.",
                "license": CC_BY if self.imported else CC0,
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "encodingFormat": rdf.MEDIA_TYPES[fmt],
                        "contentUrl": self.base_url + f"downloads/{name}",
                    }
                    for fmt, name, _ in DUMPS
                ],
            },
        )


#: The renderer a forked worker inherits (set only while a pool runs).
_WORKER: Renderer | None = None


class _Collector(threading.Thread):
    """Merges the workers' results into the renderer's site and reports progress as they arrive."""

    def __init__(self, rendered, renderer: Renderer):
        super().__init__(name="oaik-site-collector", daemon=True)
        self.rendered = rendered
        self.renderer = renderer
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while True:
                try:
                    count, made = self.rendered.next(timeout=0.1)
                except multiprocessing.TimeoutError:
                    if self.stopping.is_set():
                        return
                    continue
                self.renderer.site.merge(made)
                self.renderer.progress(count, "pages")
        except StopIteration:
            return
        except BaseException as error:  # a worker's exception: raised again in the parent's thread
            self.error = error

    def finish(self) -> None:
        """Wait for every result; a worker's exception is raised here."""
        self.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Stop waiting for results (the parent is stopping)."""
        self.stopping.set()
        self.join()


def _render_chunk(pages: list[tuple[str, str]]) -> tuple[int, Site]:
    """In a worker: render some resource pages (into the output folder when there is one); return what it made."""
    renderer = _WORKER
    assert renderer is not None
    renderer.site = Site(root=renderer.site.root)
    renderer.progress = lambda n, what: None
    for kind, iri in pages:
        renderer.resource_page(kind, iri)
    return len(pages), renderer.site


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely in the block (forked workers too): rendering makes little of it (a few hundred
    objects a build) but allocates much, and collections at Python's default pace took a tenth of its CPU time."""
    threshold = gc.get_threshold()
    gc.set_threshold(RENDERING_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _inline(svg_text: str) -> str:
    """An SVG document for inlining in HTML (the XML namespace declaration for xlink is not needed there)."""
    return svg_text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def _figure_schema(figure: Figure, base_url: str) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "name": figure.title,
        "caption": figure.caption,
        "contentUrl": base_url + f"figures/{figure.slug}.svg",
        "encodingFormat": "image/svg+xml",
    }


def _walk(root) -> list[str]:
    out: list[str] = []
    for item in root.iterdir():
        if item.name.startswith("."):
            continue
        if item.is_dir():
            out.extend(f"{item.name}/{sub}" for sub in _walk(item))
        else:
            out.append(item.name)
    return sorted(out)


def progress_bar(total: int):
    """A progress callback drawing a bar on standard error when it is a terminal (else silent)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    import click

    bar = click.progressbar(length=total, label="Building the site", file=sys.stderr, width=30)
    bar.__enter__()
    drawing = threading.Lock()  # pages come from the workers' collector thread and from the parent's own pages

    def update(n: int, what: str) -> None:
        with drawing:
            bar.update(n)

    return update, (lambda: bar.__exit__(None, None, None))
