"""An entity is defined (typed or labelled) in exactly one file: ``oaiksh:DefinedOnceRule``.

SHACL sees the merge of the files, where an entity typed and labelled the
same way in two files is one node with nothing wrong. The persistent store
keeps each file in a named graph (:func:`oaik.store.persistent.graph_name`),
so the check is a query there: the IRIs that are the subject of ``rdf:type``
or ``rdfs:label`` in two or more files. Each such file gets a result naming
the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from oaik.namespaces import compact
from oaik.validation.compile import solutions
from oaik.validation.validate import RDFS_LABEL, Result, _display

RULE = "oaiksh:DefinedOnceRule"
#: A file defines the IRIs it types or labels.
_DEFINING_PREDICATES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", RDFS_LABEL)
#: ``?s`` typed or labelled in the file graph ``?g``. A UNION, not ``VALUES ?p``: with a ``VALUES ?s`` block,
#: Oxigraph reads every quad for ``VALUES ?p`` (87 ms against 2 ms for 65 IRIs on the shipped graph's store).
_DEFINING = " UNION ".join(f"{{ GRAPH ?g {{ ?s <{p}> ?o }} }}" for p in _DEFINING_PREDICATES)
#: IRIs looked up in one query when only some are checked.
_BATCH = 1000


def defined_twice(store: ox.Store, files: list[Path], iris: Iterable[str] | None = None) -> dict[str, list[Path]]:
    """The IRIs (all, or those among ``iris``) typed or labelled in two or more of ``files``, with those files
    in the order given. ``store`` holds each file in its named graph."""
    from oaik.store.persistent import graph_name

    paths: dict[str, Path] = {}
    for path in files:
        paths.setdefault(graph_name(path).value, path)
    asked = None if iris is None else set(iris)
    if asked is None or len(asked) > _BATCH * 4:  # many: all IRIs defined twice, in one query, then those asked
        # (subject, file) pairs made distinct first: twice as fast as COUNT(DISTINCT ?g) per subject
        everywhere = [
            row[0].value
            for row in solutions(
                store,
                f"SELECT ?s WHERE {{ {{ SELECT DISTINCT ?s ?g WHERE {{ {_DEFINING} }} }} }} "
                "GROUP BY ?s HAVING (COUNT(*) > 1)",
            )
        ]
        asked = set(everywhere) if asked is None else asked.intersection(everywhere)
    chosen = sorted(asked)
    queries = [
        f"SELECT ?s ?g WHERE {{ VALUES ?s {{ {' '.join(f'<{iri}>' for iri in chosen[i : i + _BATCH])} }} {_DEFINING} }}"
        for i in range(0, len(chosen), _BATCH)
    ]
    graphs: dict[str, set[str]] = {}
    for query in queries:
        for row in solutions(store, query):
            graphs.setdefault(row[0].value, set()).add(row[1].value)
    rank = {name: index for index, name in enumerate(paths)}
    return {
        iri: [paths[name] for name in sorted(names & paths.keys(), key=rank.__getitem__)]
        for iri, names in sorted(graphs.items())
        if len(names & paths.keys()) > 1
    }


def definition_results(
    store: ox.Store,
    files: list[Path],
    iris: Iterable[str] | None = None,
    among: set[Path] | None = None,
    before: Iterable[ox.Triple] = (),
) -> list[Result]:
    """A violation in each file that defines an IRI another file defines too. With ``among``, only in those
    files, and in a file outside them whose definition was the only one outside them (unless the triples
    ``before``, of the earlier versions of the files, define it too): the files of ``among`` made it wrong."""
    from oaik.store.locate import subject_lines
    from oaik.validation.shacl import shape_info

    fix = (shape_info(RULE) or ("", "", ""))[1]
    earlier = {
        t.subject.value
        for t in before
        if isinstance(t.subject, ox.NamedNode) and t.predicate.value in _DEFINING_PREDICATES
    }
    lines: dict[Path, dict[str, int]] = {}
    results = []
    for iri, defining in defined_twice(store, files, iris).items():
        for path in defining:
            if path not in lines:
                lines[path] = subject_lines(path)
        elsewhere = [] if among is None else [path for path in defining if path not in among]
        for path in defining:
            if path in elsewhere and (len(elsewhere) > 1 or iri in earlier):
                continue
            others = ", ".join(
                f"{_display(other)} (line {lines[other][iri]})" if iri in lines[other] else _display(other)
                for other in defining
                if other != path
            )
            results.append(
                Result(
                    severity="Violation",
                    rule=RULE,
                    message=f"{compact(iri)} is also defined (typed or labelled) in {others}. {fix}",
                    focus=compact(iri),
                    file=_display(path),
                    line=lines[path].get(iri),
                    node=iri,
                )
            )
    return results
