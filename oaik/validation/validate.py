"""Validate the knowledge graph, or a contribution together with it.

``Validator().validate()`` checks the shipped graph (ontology, vocabularies
and data) against ``shapes/``; ``Validator().validate([paths])`` checks the
given files or folders *together with* the rest of the shipped graph, so a
contribution can reference existing entities, and reports only the problems of
the given files. These checks run, in order:

1. Turtle syntax (an undeclared prefix is a syntax error): if a file does not
   parse, nothing else runs and the exit code is 2;
2. the SHACL shapes (:mod:`oaik.validation.shacl`), among them the rules on
   terms used but not defined (:mod:`oaik.validation.termcheck` suggests the
   defined term, or the described entity of a dangling reference);
3. one defining file per entity (:mod:`oaik.validation.definitions`), which
   needs the files, not their merge.

Every problem becomes a :class:`Result` that names the file and line of the
node it is about, the rule (the shape IRI, e.g. ``oaiksh:EvidenceShape-quote``)
and a message saying how to fix it. The graph is read from the persistent
store (:mod:`oaik.store.persistent`), which parses a file again only when it
changed, so many validations in a row (the test suite, an edit loop) cost
little more than their SHACL queries.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from oaik.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, OaikError
from oaik.inputfile import TURTLE, check_file
from oaik.namespaces import PREFIXES, compact
from oaik.paths import checkout_root, ontology_dir, resource_root, shapes_dir
from oaik.store.graph import ParsedFile, expand_paths, parse_file
from oaik.store.literals import RewrittenLiteral, check_stored_as_written
from oaik.validation.compile import Term, solutions
from oaik.validation.shacl import many_nodes

if TYPE_CHECKING:
    from oaik.store.locate import Locator
    from oaik.store.persistent import StoreUpdate

SEVERITIES = ("Violation", "Warning", "Info")
INSTANCES = "https://w3id.org/oaik/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Every subject, and every node that is the value of a triple.
_EVERY_NODE = "SELECT DISTINCT ?n WHERE { { ?n ?p ?o } UNION { ?s ?p ?n FILTER (!isLiteral(?n)) } }"
#: The derivation properties: prov:wasDerivedFrom and its sub-properties, as the ontology in the store defines them.
_DERIVATION_PROPERTIES = "SELECT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>* <http://www.w3.org/ns/prov#wasDerivedFrom> }"
_IRI_IN_TEXT = re.compile(r"<(https?://[^<>\s\"]+)>")


@dataclass(frozen=True)
class Result:
    """One problem, as a contributor reads it."""

    severity: str  # "Violation" (blocks), "Warning" (advises) or "Info" (notes)
    rule: str  # the shape that found it, e.g. "oaiksh:EvidenceShape-quote"
    message: str  # what is wrong and how to fix it
    focus: str = ""  # the node, e.g. "evidence:eleutherai-5-1-1" or "collab:x oaik:participation [ … ]"
    file: str | None = None
    line: int | None = None
    path: str | None = None  # the property, e.g. "oaik:quote"
    value: str | None = None
    component: str | None = None  # the SHACL constraint component, e.g. "sh:MinCountConstraintComponent"
    node: str = ""  # the focus node's IRI or blank node id

    def as_dict(self) -> dict:
        """The fields by name (all of them plain values: ``asdict``'s deep copy took 40 µs a result)."""
        return {name: getattr(self, name) for name in _RESULT_FIELDS}


_RESULT_FIELDS = tuple(f.name for f in fields(Result))


@dataclass
class Report:
    results: list[Result]
    files: list[str]  # the files whose problems are reported
    syntax_errors: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # blank focus node -> the nearest IRI above it
    note: str = ""  # why more was validated than asked for

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def exit_code(self, strict: bool = False) -> int:
        if self.syntax_errors:
            return EXIT_USAGE
        if self.count("Violation") or (strict and self.count("Warning")):
            return EXIT_FAILED
        return EXIT_OK

    def conforms(self, strict: bool = False) -> bool:
        return self.exit_code(strict) == EXIT_OK


class Validator:
    """Validates the shipped graph (or the files ``shipped``), or contributions together with it.

    Every file of the graph is read from the persistent store
    (:mod:`oaik.store.persistent`), which parses only what changed since the
    last run; only contribution files outside the graph's folders are parsed
    here. No Python object is made per triple of the graph.
    """

    def __init__(self, shipped: Iterable[Path] | None = None):
        self.roots = None if shipped is None else list(shipped)

    def validate(
        self, paths: Iterable[Path | str] | None = None, *, restrict: bool = True, since: str | None = None
    ) -> Report:
        """Validate the graph, or ``paths`` together with it, or the files changed since the git revision ``since``.

        With ``restrict`` (the default) the shapes are evaluated only on the
        nodes of ``paths`` and those they affect; without it, on the whole
        graph, and the results are then filtered. Both give the same report;
        the first is faster. Results elsewhere are reported when they do not
        hold without ``paths``, or, with ``since``, with the files as they
        were at that revision (:mod:`oaik.validation.since`).
        """
        from oaik.store.persistent import default_roots, resolved_paths, update_store

        timings: dict[str, float] = {}
        clock = time.perf_counter()
        contribution = None if paths is None else _contribution(paths)
        update = update_store(self.roots, read_only=True)
        previous, gone, note = None, [], ""
        if since is not None:
            from oaik.validation.since import changes_since

            changes = changes_since(since, update.files, self.roots or default_roots(), shapes_dir())
            contribution, previous, gone = changes.changed, changes.old, changes.deleted
            if changes.whole:
                contribution, note = (
                    None,
                    f"{changes.whole}: the whole graph is validated and all its results reported.",
                )
        tree = set(resolved_paths(update.files))
        errors = [_syntax_result(p, update.errors[p]) for p in update.files if p in update.errors]
        outside: list[ParsedFile] = []
        for path in contribution or []:
            try:
                check_file(path, TURTLE)  # a link, a device, a pipe or a huge file is refused unread
                if path.resolve() not in tree:
                    parsed = parse_file(path)
                    check_stored_as_written(path, parsed.triples)
                    outside.append(parsed)
            except OaikError as error:
                errors.append(_syntax_result(path, error))
        replaced = _stood_in_for(contribution or [], update.files, tree)
        timings["parse"] = time.perf_counter() - clock
        reported = update.files if contribution is None else [*contribution, *gone]
        if errors:
            return Report(errors, [_display(p) for p in reported], syntax_errors=len(errors), timings=timings)
        anchors: dict[str, str] = {}
        if contribution is None:
            results = _check_graph(update, timings, anchors)
        else:
            results = _check_contribution(update, contribution, outside, replaced, restrict, timings, previous)
        return Report(results, [_display(p) for p in reported], timings=timings, anchors=anchors, note=note)

    def revise(self, previous: Report, before: dict[str, str], now: dict[str, str]) -> Report | None:
        """``previous`` (of the files with hashes ``before``) for the files as they are, validating only what
        their changes can affect (:mod:`oaik.validation.revise`); None when everything must be validated."""
        from oaik.validation.revise import revise

        return revise(self.roots, previous, before, now)


def _check_graph(update: StoreUpdate, timings: dict, anchors: dict[str, str]) -> list[Result]:
    """Every result on the whole graph (and in ``anchors`` the nearest IRI above each blank focus node).

    The shapes run on an in-memory copy loaded straight from the files
    (Oxigraph's parser, no Python objects): its queries run about twice as
    fast as on the on-disk store, which more than pays for the load. The
    store places the results in their files.
    """
    from concurrent.futures import ThreadPoolExecutor

    from oaik.store.locate import Locator
    from oaik.validation.definitions import definition_results

    with ThreadPoolExecutor(max_workers=1) as pool:  # on the store while the copy loads (both release the GIL)
        defined_twice = pool.submit(definition_results, update.store, update.files)
        clock = time.perf_counter()
        memory = _memory_copy(update.files)
        timings["store"] = time.perf_counter() - clock
    clock = time.perf_counter()
    raw = _shacl(memory, None)
    timings["shacl"] = time.perf_counter() - clock
    locator = Locator(memory, update.files, graphs=update.store)
    results = _results(raw, [], locator, None, timings)
    anchors.update({r.node: locator.anchor(r.node) for r in results if r.node and locator.is_blank(r.node)})
    return _sorted(results + defined_twice.result())


def _check_contribution(
    update: StoreUpdate,
    contribution: list[Path],
    outside: list[ParsedFile],
    replaced: set[Path],
    restrict: bool,
    timings: dict,
    previous: dict[str, list[ox.Triple]] | None = None,
) -> list[Result]:
    """Results on the contribution's nodes, and new results on the nodes it affects elsewhere.

    A contribution changes what holds for some nodes of other files: those
    that refer to its nodes or that it refers to (dangling references,
    inverse paths such as a project's governance claim), entities with
    the same label, and the derivation lineage it joins. Those nodes are
    validated with the contribution and without it, in a private copy of the
    store (:func:`oaik.store.persistent.scratch_copy`); their new results are
    reported (as problems of the file that defines them). A node the
    contribution states something about but another file also describes is
    one of those: only its new results are the contribution's doing. The
    graph's files in ``replaced`` are left out: contribution files stand in
    for them (:func:`_stood_in_for`). With ``previous`` (the triples each
    file held at a revision, by graph name), results elsewhere are new when they
    did not hold with those versions of the files instead: then the nodes that
    the old versions named are affected too.
    """
    from oaik.store.locate import Locator
    from oaik.store.persistent import graph_name, remove_file_graph, resolved, resolved_paths, scratch_copy
    from oaik.validation.definitions import definition_results
    from oaik.validation.shacl import RawResult

    clock = time.perf_counter()
    given = {p.resolve() for p in contribution}
    with scratch_copy(update) as store:
        for path in replaced:
            remove_file_graph(store, graph_name(path))
        outside_quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph_name(f.path)) for f in outside for t in f.triples
        ]
        store.extend([*outside_quads, *(ox.Quad(q.subject, q.predicate, q.object) for q in outside_quads)])
        inside = [p for p, real in zip(update.files, resolved_paths(update.files), strict=True) if real in given]
        names = [graph_name(p) for p in inside] + [graph_name(f.path) for f in outside]
        kept = [q for name in names for q in store.quads_for_pattern(None, None, None, name)]  # the files' graphs
        triples = [q.triple for q in kept]
        files = [*(p for p in update.files if p not in replaced), *(f.path for f in outside)]
        locator = Locator(store, files)
        own = _nodes(triples)
        iris = [n for n in own if not locator.is_blank(n)]  # a blank node is in one file only
        locator.prefetch(iris)
        outside_given = {path: Path(resolved(path)) not in given for path in files}
        own -= {n for n in iris if any(outside_given[f] for f in locator.files_of(n))}
        old = [triple for held in (previous or {}).values() for triple in held]
        named = {t.value for triple in old for t in (triple.subject, triple.object) if isinstance(t, ox.NamedNode)}
        if describes_terms([*triples, *old]):  # any node may depend on a class, property or concept
            affected = _column(store, _EVERY_NODE) - own
        else:
            affected = affected_nodes(store, [*triples, *old], also=named) - own  # a superset of those before it
        timings["store"] = time.perf_counter() - clock
        clock = time.perf_counter()
        focus = (own | affected) if restrict else None
        checked = store  # on disk, every node validated: in a copy in memory (1.7 s), where the shapes run 3x as fast
        if update.location is not None and (focus is None or many_nodes(len(focus), store)):
            checked = ox.Store()
            checked.bulk_extend(store.quads_for_pattern(None, None, None, None))  # the same blank node ids
        before, after = _without_and_with(checked, names, kept, affected, focus, previous or {})
        timings["shacl"] = time.perf_counter() - clock

        def key(r: RawResult) -> tuple:
            return (r.focus, r.path, r.value, r.shape, r.component, r.messages)

        known = Counter(key(r) for r in before if r.focus.value in affected)
        elsewhere = []
        for result in after:
            if result.focus.value in affected:
                if known[key(result)]:
                    known[key(result)] -= 1
                else:
                    elsewhere.append(result)
        mine = [r for r in after if r.focus.value in own]
        among = {*inside, *(f.path for f in outside)}
        defined = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
        return _sorted(
            _results(mine, elsewhere, locator, among, timings) + definition_results(store, files, defined, among, old)
        )


def _results(raw: list, elsewhere: list, locator: Locator, among: set[Path] | None, timings: dict) -> list[Result]:
    """Results as contributors read them: ``raw`` placed among the files ``among``, ``elsewhere`` anywhere."""
    from oaik.store.persistent import resolved_paths
    from oaik.validation.termcheck import Definitions, Instances

    clock = time.perf_counter()
    ontology = ontology_dir().resolve()
    files = list(locator.paths.values())
    in_ontology = [p for p, real in zip(files, resolved_paths(files), strict=True) if ontology in real.parents]
    definitions = Definitions.of(locator.graphs, in_ontology)
    locator.prefetch(r.focus.value for r in [*raw, *elsewhere])
    instances = Instances(locator.graphs)
    results = [r for r in (_from_shacl(r, locator, among, definitions, instances) for r in raw) if r is not None]
    results += [r for r in (_from_shacl(r, locator, None, definitions, instances) for r in elsewhere) if r is not None]
    timings["report"] = time.perf_counter() - clock
    return _sorted(results)


def _shacl(store: ox.Store, focus: set[str] | None, only: set | None = None) -> list:
    from oaik.validation.shacl import run

    return run(store, focus, data_graph=lambda: _rdflib_graph(store), only=only)


def _without_and_with(
    store: ox.Store,
    names: list[ox.NamedNode],
    kept: list[ox.Quad],
    affected: set[str],
    focus: set[str] | None,
    previous: dict[str, list[ox.Triple]],
) -> tuple[list, list]:
    """The SHACL results on ``affected`` without the files of graphs ``names`` (but with the versions
    ``previous`` of files, by graph name), and on ``focus`` with them.

    ``store`` holds the files, and holds them again afterwards. Only results
    that hold with the files can be new, so without them only the shapes
    that found those are run, on the nodes they found them on.
    """
    from oaik.store.persistent import remove_file_graph

    after = _shacl(store, focus)
    found = [r for r in after if r.focus.value in affected]
    if not found:
        return [], after
    for name in names:
        remove_file_graph(store, name)
    try:
        for graph, triples in previous.items():
            name = ox.NamedNode(graph)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
            store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)  # the default graph
        before = _shacl(store, {r.focus.value for r in found}, only={r.shape for r in found})
    finally:
        for graph in previous:
            remove_file_graph(store, ox.NamedNode(graph))
        store.extend([*kept, *(ox.Quad(q.subject, q.predicate, q.object) for q in kept)])
    return before, after


def _memory_copy(files: list[Path]) -> ox.Store:
    """An in-memory store of the files' merge (their default graph), loaded by Oxigraph's own parser.

    ``load``, not ``bulk_load``: for files of a few hundred triples it is a
    fifth faster (0.38 s against 0.48 s for the shipped graph's 531 files).
    """
    from oaik.store.persistent import graph_name

    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=graph_name(path).value)
    return store


#: Namespaces of the terms that decide what other nodes must be (classes, properties, concepts, shapes).
_TERMS = ("https://w3id.org/oaik/ns", "https://w3id.org/oaik/vocab/", "https://w3id.org/oaik/shapes")
_SCHEMA = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#", "http://www.w3.org/ns/shacl#")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: RDFS and OWL predicates that describe an entity itself (shapes check them on that entity only).
_DATA_PREDICATES = {
    RDFS_LABEL,
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://www.w3.org/2002/07/owl#sameAs",
}


def describes_terms(triples: Iterable[ox.Triple]) -> bool:
    """Whether the triples describe a term (an OAIK class, property, concept or shape, or any RDFS/OWL/SHACL
    statement but a label, comment, see-also or same-as): such a change can reach any node (a class
    hierarchy decides what ``sh:class`` accepts), so all nodes are validated again."""
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(_TERMS):
            return True
        if predicate.startswith(_SCHEMA) and predicate not in _DATA_PREDICATES:
            return True
        if predicate == _RDF + "type" and isinstance(obj, ox.NamedNode) and obj.value.startswith((*_SCHEMA, _RDF)):
            return True
    return False


def affected_nodes(store: ox.Store, triples: list[ox.Triple], also: Iterable[str] = ()) -> set[str]:
    """Nodes of ``store`` whose constraints can change when ``triples`` are added or removed (and the IRIs ``also``).

    No shape path goes more than one step from its focus node before looking
    at a value's own triples (sh:class, sh:node, the SPARQL rules), so a
    changed triple ``s p o`` can change what holds for: ``s`` and ``o`` (the
    instances, ``https://w3id.org/oaik/id/``, it mentions; ``o`` through
    inverse paths), the nodes that refer to ``s``, directly or through a
    blank node such as a participation naming an organisation (their
    values' triples changed), and that ``s`` refers to (``s`` may be the subject of their
    inverse path), the nodes with a label of the triples (ignoring case), and
    the derivation ancestors of all of these (a cycle through a new edge
    ``s p o`` runs through ancestors of ``o``); then the blank nodes
    (participations, evidence) hanging from them. Nodes that merely refer to
    ``o`` are left out: nothing about them changed, and with shared
    organisations or base models they are most of the graph.
    """
    instances, subjects, labels = set(), set(), set()
    for triple in triples:
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(INSTANCES):
                instances.add(term.value)
        if isinstance(triple.subject, ox.NamedNode):
            subjects.add(triple.subject.value)
        if triple.predicate.value == RDFS_LABEL and isinstance(triple.object, ox.Literal):
            labels.add(triple.object.value.lower())
    found = instances | subjects | set(also)
    if many_nodes(len(subjects), store):  # most of the graph: every node, cheaper than looking them up
        return found | _column(store, _EVERY_NODE)
    if subjects:
        values = _values(subjects)
        found |= _column(  # ?b's pattern first: Oxigraph keeps this order, and ?n ?q ?b first reads every triple
            store,
            "SELECT DISTINCT ?n WHERE { VALUES ?x { "
            + values
            + " } { ?n ?p ?x } UNION { ?b ?p ?x . ?n ?q ?b FILTER isBlank(?b) }"
            " UNION { ?x ?p ?n } FILTER isIRI(?n) }",
        )
    if labels:
        keys = " ".join(str(ox.Literal(label)) for label in sorted(labels))
        found |= _column(  # a join on ?key: each label is lower-cased once (FILTER IN compares it with every key)
            store,
            f"SELECT DISTINCT ?n WHERE {{ ?n <{RDFS_LABEL}> ?l BIND (LCASE(STR(?l)) AS ?key) VALUES ?key {{ {keys} }} }}",
        )
    iris = _values(n for n in found if "://" in n)
    if iris:
        derivation = "(" + "|".join(f"<{p}>" for p in sorted(_column(store, _DERIVATION_PROPERTIES))) + ")"
        found |= _column(store, f"SELECT DISTINCT ?n WHERE {{ VALUES ?x {{ {iris} }} ?x {derivation}* ?n }}")
        iris = _values(n for n in found if "://" in n)
        found |= _column(
            store,
            f"SELECT DISTINCT ?n WHERE {{ VALUES ?x {{ {iris} }} {{ ?x ?p ?n }} UNION {{ ?x ?p ?b . ?b ?q ?n FILTER isBlank(?b) }} FILTER isBlank(?n) }}",
        )
    return found


def _values(iris: Iterable[str]) -> str:
    """IRIs as the terms of a VALUES block, in a stable order."""
    return " ".join(f"<{iri}>" for iri in sorted(iris))


def _column(store: ox.Store, query: str) -> set[str]:
    return {row[0].value for row in solutions(store, query)}


def validate(paths: Iterable[Path | str] | None = None) -> Report:
    """Validate the shipped graph, or the given files together with it (see :class:`Validator`)."""
    return Validator().validate(paths)


# -- helpers -----------------------------------------------------------------


def _contribution(paths: Iterable[Path | str]) -> list[Path]:
    """The Turtle files to validate; SHACL shapes (``shapes/``) are not data and are skipped."""
    paths = list(paths)
    files = expand_paths(paths)
    if not files and paths:
        raise OaikError("no Turtle (.ttl) files in the given folders. Name Turtle files or folders that contain them.")
    shapes = shapes_dir().resolve()
    unique: dict[Path, Path] = {}
    for path in files:
        resolved = path.absolute() if path.is_symlink() else path.resolve()  # a link is refused, not merged
        checkout = checkout_root(resolved.parent)
        if shapes not in resolved.parents and (checkout is None or checkout / "shapes" not in resolved.parents):
            unique.setdefault(resolved, path)
    return list(unique.values())


def _stood_in_for(contribution: list[Path], files: list[Path], tree: set[Path]) -> set[Path]:
    """The graph's files that files of ``contribution`` stand in for: those at the same place in another
    checkout of the repository (``data/projects/x.ttl`` of a user's clone, when the ``oaik`` that runs was
    installed from a wheel and validates the copy of the graph installed with it)."""
    from oaik.store.persistent import resolved, resolved_paths

    root = resource_root().resolve()
    places: dict[Path, Path] = {}
    for path in contribution:
        real = Path(resolved(path))
        checkout = None if real in tree else checkout_root(real.parent)
        if checkout is not None and checkout != root:
            places[real.relative_to(checkout)] = path
    if not places:
        return set()

    return {
        path
        for path, real in zip(files, resolved_paths(files), strict=True)
        if real.is_relative_to(root) and real.relative_to(root) in places
    }


def _nodes(triples: list[ox.Triple]) -> set[str]:
    """Subjects, and blank nodes anywhere, of the given triples."""
    nodes: set[str] = set()
    for triple in triples:
        nodes.add(triple.subject.value)  # type: ignore[union-attr]  # pyoxigraph stubs / Optional SPARQL columns
        if isinstance(triple.object, ox.BlankNode):
            nodes.add(triple.object.value)
    return nodes


def _display(path: Path) -> str:
    """A shipped file relative to the repository layout (``data/projects/x.ttl``, also when
    installed as a package); another file relative to the working directory when inside it.
    GitHub annotations need paths relative to the repository root."""
    return _display_from(path, os.getcwd())


@lru_cache(maxsize=4096)
def _display_from(path: Path, cwd: str) -> str:
    from oaik.store.persistent import resolved

    real = Path(resolved(path.parent)) / path.name if os.path.islink(path) else Path(resolved(path))  # a link: itself
    for root in _display_roots(cwd):
        try:
            return str(real.relative_to(root))
        except ValueError:
            continue
    return str(path)


@lru_cache(maxsize=16)
def _display_roots(cwd: str) -> tuple[Path, Path]:
    return resource_root().resolve(), Path(cwd).resolve()


def _text(text: str) -> str:
    return _IRI_IN_TEXT.sub(lambda m: compact(m.group(1)), text)


def _rdflib_graph(store: ox.Store):
    """The data (the store's default graph) as an rdflib graph, for shapes only pySHACL evaluates."""
    import rdflib

    from oaik.validation.shacl import quiet_rdflib

    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    with quiet_rdflib():
        return rdflib.Graph().parse(data=data, format="nt")


def _term(term: Term | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "[ ]"
    lexical = term.value
    shown = f'"{lexical[:77]}…"' if len(lexical) > 80 else f'"{lexical}"'
    if term.language:
        return f"{shown}@{term.language}"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"{shown}^^{compact(term.datatype.value)}"
    return shown


def _from_shacl(raw, locator, among: set[Path] | None, definitions, instances) -> Result | None:
    from oaik.validation.shacl import shape_messages
    from oaik.validation.termcheck import TERM_RULES, describe, suggest

    node = raw.focus.value
    path = locator.file_of(node, among)
    if among is not None and path is None:
        return None
    fix = shape_messages(raw.shape)
    details = [m for m in raw.messages if m not in fix]
    rule = compact(raw.shape.value) if isinstance(raw.shape, ox.NamedNode) else compact(raw.component)
    if rule == "oaiksh:DanglingReferenceRule" and isinstance(raw.value, ox.NamedNode):
        closest = instances.closest(raw.value.value)
        details += [f"Did you mean {compact(closest)}?"] if closest else []
    message = " ".join([_text(m) for m in details] + sorted(fix))
    result_path = compact(raw.path) if raw.path is not None and "://" in raw.path else raw.path
    value = raw.value
    if rule in TERM_RULES and value is not None:  # say which file uses the term, and suggest the defined one
        term = value.value
        message = (
            f"{describe(rule, term, path, suggest(rule, term, raw.path or '', definitions))} {' '.join(sorted(fix))}"
        )
        if term == raw.path:
            value = None
    return Result(
        severity=raw.severity,
        rule=rule,
        message=message,
        focus=locator.describe(node),
        file=_display(path) if path else None,
        line=locator.line_of(node, path),
        path=result_path,
        value=None if value is None or value.value == node else _term(value),
        component=compact(raw.component),
        node=node,
    )


def _syntax_result(path: Path, error: OaikError) -> Result:
    from oaik.validation.shacl import shape_info

    if isinstance(error, RewrittenLiteral):
        node = error.subject.value if isinstance(error.subject, ox.NamedNode) else ""
        above = f"{compact(error.anchor.value)} … [ ]" if isinstance(error.anchor, ox.NamedNode) else "[ ]"
        return Result(
            severity="Violation",
            rule=error.rule,
            message=f"{error.detail}.",
            focus=compact(node) if node else above,
            file=_display(path),
            line=error.line,
            path=compact(error.predicate.value),
            value=error.written,
            node=node,
        )
    cause = error.__context__
    if isinstance(cause, SyntaxError):
        line, detail = cause.lineno, cause.msg
    else:  # unreadable file
        line, detail = None, str(error)
    hint = ""
    undeclared = re.search(r"prefix (\S*): has not been declared", detail)
    if undeclared and undeclared.group(1) in PREFIXES:
        prefix = undeclared.group(1)
        hint = f" Declare it: @prefix {prefix}: <{PREFIXES[prefix]}> ."
    fix = (shape_info("oaiksh:TurtleSyntaxRule") or ("", "", ""))[1] if isinstance(cause, SyntaxError) else ""
    return Result(
        severity="Violation",
        rule="oaiksh:TurtleSyntaxRule",
        message=f"{detail.rstrip('.')}.{hint} {fix}".strip(),
        file=_display(path),
        line=line,
    )


def _sorted(results: list[Result]) -> list[Result]:
    unique: dict[tuple, Result] = {}
    for result in results:
        unique.setdefault(
            (result.node, result.rule, result.component, result.path, result.value, result.message, result.file), result
        )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(
        unique.values(),
        key=lambda r: (
            r.file or "~",
            r.line or 0,
            r.focus,
            rank.get(r.severity, 9),
            r.rule,
            r.path or "",
            r.value or "",
        ),
    )
