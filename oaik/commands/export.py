"""``oaik export``: the graph as JSON-LD, Turtle, N-Triples, RDF/XML or TriG; DCAT, VoID, SSSOM."""

from __future__ import annotations

import click

_FORMAT_HELP = (
    "jsonld, turtle, ntriples, rdfxml or trig (the graph); "
    "dcat (DCAT-AP catalogue record), void (VoID description) or sssom (cross-references)."
)


@click.command()
@click.option("--format", "-f", "fmt", default="turtle", show_default=True, metavar="FORMAT", help=_FORMAT_HELP)
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="PART",
    help="Export only data, ontology or shapes (repeatable). Default: all three.",
)
@click.option(
    "--frame",
    metavar="NAME",
    help="With --format jsonld: a nested view from ontology/frames/NAME.jsonld, e.g. project (of the data, unless --only says otherwise).",
)
@click.option("--syntax", metavar="SYNTAX", help="With --format dcat or void: turtle (default) or jsonld.")
@click.option(
    "--endpoint",
    default="http://127.0.0.1:7878/sparql",
    show_default=True,
    metavar="URL",
    help="With --format dcat or void: the SPARQL endpoint to describe (where `oaik serve` listens).",
)
@click.option(
    "--download-base",
    metavar="URL",
    help="With --format dcat or void: where release files are published (adds download URLs).",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
def export(
    fmt: str,
    only: tuple[str, ...],
    frame: str | None,
    syntax: str | None,
    endpoint: str,
    download_base: str | None,
    output: str | None,
) -> None:
    """Export the graph, or describe it for other catalogues.

    \b
    oaik export --format jsonld --frame project -o projects.jsonld
    oaik export --format trig --only data --only ontology
    oaik export --format dcat --syntax jsonld
    oaik export --format sssom -o oaik.sssom.tsv

    JSON-LD uses the context https://w3id.org/oaik/context/<version>.jsonld
    (shipped as ontology/context.jsonld; never fetched over the network).
    Errors leave no file behind: output is written to a temporary file and
    renamed into place.
    """
    from pathlib import Path

    from oaik.errors import OaikError
    from oaik.publish import export as ex

    fmt = fmt.lower()
    if fmt not in ex.FORMATS:
        raise ex.format_error(fmt)
    if output not in (None, "-"):
        ex.check_output(Path(output))  # fail before the work, not after
    if syntax is not None and fmt not in ("dcat", "void"):
        raise OaikError(
            f"--syntax applies to --format dcat or void only; for the graph itself choose the format with --format (got --format {fmt})."
        )
    syntax = (syntax or "turtle").lower()
    if syntax not in ("turtle", "jsonld"):
        raise OaikError(f"unknown --syntax {syntax!r}: choose turtle or jsonld.")
    if fmt in ex.GRAPH_FORMATS:
        if frame is not None and not only:
            only = ("data",)  # a nested view of the curated data; concepts stay plain values
        data = ex.export_graph(fmt, only, frame)
    else:
        if frame is not None:
            raise OaikError(f"--frame works with --format jsonld only (not {fmt}).")
        if only and fmt != "void":
            raise OaikError(f"--only does not apply to --format {fmt}: it describes the whole graph. Leave --only out.")
        data = _describe(fmt, syntax, endpoint, only, download_base)
    ex.write(data, output)


def _describe(fmt: str, syntax: str, endpoint: str, only: tuple[str, ...], download_base: str | None) -> bytes:
    from oaik.publish import export as ex

    if fmt == "sssom":
        from oaik.publish.links import collect_links, crosswalk_mappings, sssom_tsv
        from oaik.store.graph import to_store

        selections = ex.load_selections(["ontology", "data"])
        store = to_store(f for parsed in selections.values() for f in parsed)
        return sssom_tsv(collect_links(store), crosswalk=crosswalk_mappings(store)).encode("utf-8")

    from oaik.publish import catalog

    if fmt == "dcat":
        triples = catalog.dcat_record(endpoint=endpoint, download_base=download_base)
    else:
        triples = catalog.void_description(only=only, endpoint=endpoint, download_base=download_base)
    return catalog.serialize(triples, syntax)
