"""Validate the knowledge graph, or a contribution together with it.

``Validator().validate()`` checks the shipped graph (ontology, vocabularies
and data) against ``shapes/``; ``Validator().validate([paths])`` checks the
given files or folders *together with* the rest of the shipped graph, so a
contribution can reference existing entities, and reports only the problems of
the given files. Three kinds of checks run, in order:

1. Turtle syntax (an undeclared prefix is a syntax error): if a file does not
   parse, nothing else runs and the exit code is 2;
2. terms used but not defined (:mod:`oaik.validation.termcheck`);
3. the SHACL shapes (:mod:`oaik.validation.shacl`).

Every problem becomes a :class:`Result` that names the file and line of the
node it is about, the rule (the shape IRI, e.g. ``oaiksh:EvidenceShape-quote``)
and a message saying how to fix it. A :class:`Validator` keeps the parsed
shipped graph, so that many contributions (the test suite) are validated
without parsing it again.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from oaik.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, OaikError
from oaik.namespaces import PREFIXES, compact
from oaik.paths import graph_files, ontology_dir, resource_root, shapes_dir
from oaik.store.graph import ParsedFile, expand_paths, parse_file, to_store

SEVERITIES = ("Violation", "Warning", "Info")
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
        return asdict(self)


@dataclass
class Report:
    results: list[Result]
    files: list[str]  # the files whose problems are reported
    syntax_errors: int = 0
    timings: dict[str, float] = field(default_factory=dict)

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
    """Validates the shipped graph or contributions; parses each shipped file once."""

    def __init__(self, shipped: Iterable[Path] | None = None):
        self.shipped = list(graph_files() if shipped is None else shipped)
        self._parsed: dict[Path, ParsedFile | Result] = {}
        self._base: tuple | None = None  # (store, rdflib graph) of the whole shipped graph, built once

    def validate(self, paths: Iterable[Path | str] | None = None, *, restrict: bool = True) -> Report:
        """Validate the shipped graph, or ``paths`` together with it.

        With ``restrict`` (the default) the shapes are evaluated only on the
        nodes of ``paths``; without it, on the whole graph, and the results are
        then filtered to ``paths``. Both give the same report; the first is faster.
        """
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        contribution = None if paths is None else _contribution(paths)
        given = {p.resolve() for p in contribution or []}
        base = [p for p in self.shipped if p.resolve() not in given]
        files = [(p, True) for p in base] + [(p, False) for p in contribution or []]
        parsed, errors = [], []
        for path, cached in files:
            outcome = self._parse(path, cached)
            (errors if isinstance(outcome, Result) else parsed).append(outcome)
        reported = [p.path for p in parsed] if contribution is None else list(contribution)
        timings["parse"] = time.perf_counter() - clock
        if errors:
            return Report(errors, [_display(p) for p in reported], syntax_errors=len(errors), timings=timings)
        extra = [p for p in parsed if p.path.resolve() in given]
        results = self._check(parsed, extra if contribution is not None else None, timings, restrict)
        return Report(results, [_display(p) for p in reported], timings=timings)

    # -- steps ---------------------------------------------------------------

    def _parse(self, path: Path, cached: bool) -> ParsedFile | Result:
        if cached and path in self._parsed:
            return self._parsed[path]
        try:
            outcome: ParsedFile | Result = parse_file(path)
        except OaikError as error:
            outcome = _syntax_result(path, error)
        if cached:
            self._parsed[path] = outcome
        return outcome

    def _check(
        self, parsed: list[ParsedFile], contribution: list[ParsedFile] | None, timings: dict, restrict: bool = True
    ) -> list[Result]:
        from oaik.store.locate import Locator
        from oaik.validation.shacl import prepare_shapes, quiet_rdflib, run_shacl
        from oaik.validation.termcheck import Definitions, check_terms

        clock = time.perf_counter()
        with quiet_rdflib():
            store, graph, undo = self._data(parsed, contribution)
        timings["store"] = time.perf_counter() - clock
        try:
            clock = time.perf_counter()
            ontology = ontology_dir().resolve()
            in_ontology = [p for p in parsed if ontology in p.path.resolve().parents]
            data_files = {p.path for p in parsed} - {p.path for p in in_ontology}
            problems = check_terms(
                parsed if contribution is None else contribution, Definitions(in_ontology), data_files
            )
            timings["terms"] = time.perf_counter() - clock
            clock = time.perf_counter()
            focus = None if contribution is None or not restrict else _nodes(contribution)
            shapes = prepare_shapes(store, focus)
            timings["shapes"] = time.perf_counter() - clock
            clock = time.perf_counter()
            with quiet_rdflib():
                raw = run_shacl(graph, store, shapes)
            timings["shacl"] = time.perf_counter() - clock
        finally:
            undo()
        clock = time.perf_counter()
        locator = Locator(parsed)
        among = None if contribution is None else {p.path for p in contribution}
        results = [_from_problem(p, locator) for p in problems]
        results += [r for r in (_from_shacl(r, locator, among) for r in raw) if r is not None]
        results = _sorted(results)
        timings["report"] = time.perf_counter() - clock
        return results

    def _data(self, parsed: list[ParsedFile], contribution: list[ParsedFile] | None):
        """The merged graph as a store and an rdflib graph, and a function that undoes additions.

        For a contribution that replaces no shipped file, the shipped graph is
        built once and the contribution's triples are added, then removed.
        """
        from oaik.store.graph import rdflib_converter, to_rdflib

        replaces = contribution is not None and len(parsed) - len(contribution) != len(self.shipped)
        if contribution is None or replaces:
            return to_store(parsed), to_rdflib(parsed), lambda: None
        if self._base is None:
            extra = {id(p) for p in contribution}
            base = [p for p in parsed if id(p) not in extra]
            self._base = (to_store(base), to_rdflib(base))
        store, graph = self._base
        convert = rdflib_converter()
        added = {ox.Quad(t.subject, t.predicate, t.object) for f in contribution for t in f.triples}
        quads = [q for q in added if q not in store]
        # Checked apart: the store compares literals by value ("07"^^xsd:integer is "7"), rdflib by form.
        triples = [
            t for t in ((convert(q.subject), convert(q.predicate), convert(q.object)) for q in added) if t not in graph
        ]
        store.extend(quads)
        for triple in triples:
            graph.add(triple)

        def undo() -> None:
            for quad in quads:
                store.remove(quad)
            for triple in triples:
                graph.remove(triple)

        return store, graph, undo


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
        resolved = path.resolve()
        if shapes not in resolved.parents:
            unique.setdefault(resolved, path)
    return list(unique.values())


def _nodes(files: list[ParsedFile]) -> set[str]:
    """Subjects, and blank nodes anywhere, of the given files."""
    nodes: set[str] = set()
    for parsed_file in files:
        for triple in parsed_file.triples:
            nodes.add(triple.subject.value)
            if isinstance(triple.object, ox.BlankNode):
                nodes.add(triple.object.value)
    return nodes


def _display(path: Path) -> str:
    """A shipped file relative to the repository layout (``data/projects/x.ttl``, also when
    installed as a package); another file relative to the working directory when inside it.
    GitHub annotations need paths relative to the repository root."""
    resolved = path.resolve()
    for root in (resource_root().resolve(), Path.cwd().resolve()):
        try:
            return str(resolved.relative_to(root))
        except ValueError:
            continue
    return str(path)


def _text(text: str) -> str:
    return _IRI_IN_TEXT.sub(lambda m: compact(m.group(1)), text)


def _term(term) -> str | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, BNode):
        return "[ ]"
    if isinstance(term, Literal):
        lexical = str(term)
        shown = f'"{lexical[:77]}…"' if len(lexical) > 80 else f'"{lexical}"'
        if term.language:
            return f"{shown}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{shown}^^{compact(str(term.datatype))}"
        return shown
    return str(term)


def _from_shacl(raw, locator, among: set[Path] | None) -> Result | None:
    from rdflib import URIRef

    from oaik.validation.shacl import shape_messages

    node = str(raw.focus)
    path = locator.file_of(node, among)
    if among is not None and path is None:
        return None
    fix = shape_messages(raw.shape)
    details = [m for m in raw.messages if m not in fix]
    message = " ".join([_text(m) for m in details] + sorted(fix))
    rule = compact(str(raw.shape)) if isinstance(raw.shape, URIRef) else compact(str(raw.component))
    result_path = _term(raw.path) if isinstance(raw.path, URIRef) else raw.path
    return Result(
        severity=raw.severity,
        rule=rule,
        message=message,
        focus=locator.describe(node),
        file=_display(path) if path else None,
        line=locator.line_of(node, path),
        path=result_path,
        value=None if str(raw.value) == node else _term(raw.value),
        component=compact(str(raw.component)) if raw.component is not None else None,
        node=node,
    )


def _from_problem(problem, locator) -> Result:
    from oaik.validation.shacl import shape_info
    from oaik.validation.termcheck import describe

    _, fix, severity = shape_info(problem.rule) or ("", "", "Violation")
    return Result(
        severity=severity,
        rule=problem.rule,
        message=f"{describe(problem)} {fix}".strip(),
        focus=locator.describe(problem.subject),
        file=_display(problem.path),
        line=locator.line_of(problem.subject, problem.path),
        path=compact(problem.predicate),
        value=None if problem.term == problem.predicate else compact(problem.term),
        node=problem.subject,
    )


def _syntax_result(path: Path, error: OaikError) -> Result:
    from oaik.validation.shacl import shape_info

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
