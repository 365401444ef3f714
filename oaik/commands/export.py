"""``oaik export``: the graph as JSON-LD, Turtle, N-Triples, RDF/XML or TriG; DCAT, VoID, SSSOM."""

from __future__ import annotations

import argparse

from oaik.commands.common import echo

_DEFAULT_NOTE = (
    "oaik export: ontology, data and shapes (the default); `--only ontology --only data` "
    "gives the graph that `oaik stats` counts and `oaik query` searches."
)

_FORMAT_HELP = (
    "jsonld, turtle, ntriples, rdfxml or trig (the graph); "
    "dcat (DCAT-AP catalogue record), void (VoID description) or sssom (cross-references)."
)


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--format", dest="fmt", default="turtle", metavar="FORMAT", help=_FORMAT_HELP)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PART",
        help="Export only data, ontology or shapes (repeatable). Default: all three, so the export holds the "
        "SHACL shapes too (more triples than `oaik stats` counts); `--only ontology --only data` is the graph "
        "`oaik query`, `oaik serve` and `oaik push` use.",
    )
    parser.add_argument(
        "--frame",
        metavar="NAME",
        help="With --format jsonld: a nested view from ontology/frames/NAME.jsonld, e.g. project (of the data, unless "
        "--only says otherwise). Nothing is left out: what the frame does not nest follows as flat nodes in the same @graph.",
    )
    parser.add_argument(
        "--context-url",
        metavar="URL",
        nargs="?",
        const="published",
        default=None,
        help="With --format jsonld: reference the JSON-LD context by URL instead of embedding it "
        "(alone: the published https://w3id.org/oaik/context/<version>.jsonld). "
        "Default: the context is embedded, so the file reads offline in any JSON-LD processor.",
    )
    parser.add_argument("--syntax", metavar="SYNTAX", help="With --format dcat or void: turtle (default) or jsonld.")
    parser.add_argument(
        "--endpoint",
        default="http://127.0.0.1:7878/sparql",
        metavar="URL",
        help="With --format dcat or void: the SPARQL endpoint to describe (where `oaik serve` listens).",
    )
    parser.add_argument(
        "--download-base",
        metavar="URL",
        help="With --format dcat or void: where release files are published (adds download URLs).",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to FILE instead of standard output: a regular file is replaced atomically; a device, FIFO or /dev/stdout is written to; a symlink is followed.",
    )


def export(
    fmt: str,
    only: list[str],
    frame: str | None,
    context_url: str | None,
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

    JSON-LD embeds OAIK's context (ontology/context.jsonld), so rdflib, pyld,
    jsonld.js or Jena read it offline; --context-url references the published
    https://w3id.org/oaik/context/<version>.jsonld instead.
    Errors leave no file behind: a regular output file is written to a
    temporary file and renamed into place (through a symlink, the file it
    points to); devices, FIFOs and /dev/stdout are written to directly.
    """
    from oaik.errors import OaikError
    from oaik.publish import export as ex
    from oaik.publish import output as output_file

    parts = tuple(only)
    fmt = fmt.lower()
    if fmt not in ex.FORMATS:
        raise ex.format_error(fmt)
    output_file.check_output(output)  # fail before the work, not after
    if syntax is not None and fmt not in ("dcat", "void"):
        raise OaikError(
            f"--syntax applies to --format dcat or void only; for the graph itself choose the format with --format (got --format {fmt})."
        )
    syntax = (syntax or "turtle").lower()
    if syntax not in ("turtle", "jsonld"):
        raise OaikError(f"unknown --syntax {syntax!r}: choose turtle or jsonld.")
    if context_url is not None and fmt != "jsonld":
        raise OaikError(
            f"--context-url applies to --format jsonld only (got --format {fmt}); leave it out or add --format jsonld."
        )
    if context_url == "published":
        from oaik.publish.jsonld import context_iri

        context_url = context_iri()
    if fmt in ex.GRAPH_FORMATS:
        if frame is not None and not parts:
            parts = ("data",)  # a nested view of the curated data; concepts stay plain values
        if not parts:  # say what the default holds: more than `oaik stats` counts
            echo(_DEFAULT_NOTE, err=True)
        with output_file.open_output(output) as stream:  # streamed, file by file
            ex.write_graph(stream, fmt, parts, frame, context_url)
        return
    if frame is not None:
        raise OaikError(f"--frame works with --format jsonld only (not {fmt}).")
    if parts and fmt != "void":
        raise OaikError(f"--only does not apply to --format {fmt}: it describes the whole graph. Leave --only out.")
    if fmt in ("dcat", "void"):
        _check_urls(endpoint, download_base)
    output_file.write(_describe(fmt, syntax, endpoint, parts, download_base), output)


def _check_urls(endpoint: str, download_base: str | None) -> None:
    """The URLs a catalogue record states: absolute http(s) URLs that are IRIs, without credentials (exit 2)."""
    from oaik.endpoints import check_http_url

    public = "A catalogue record is public: state the URL without them."
    check_http_url(endpoint, "--endpoint", "Give the SPARQL endpoint's URL, e.g. https://example.org/sparql.", public)
    if download_base is not None:
        check_http_url(
            download_base,
            "--download-base",
            "Give the URL of the release folder, e.g. https://example.org/oaik/.",
            public,
        )


def _describe(fmt: str, syntax: str, endpoint: str, only: tuple[str, ...], download_base: str | None) -> bytes:
    from oaik.publish import export as ex

    if fmt == "sssom":
        from oaik.publish.catalog import imported_sources
        from oaik.publish.links import collect_links, crosswalk_mappings, sssom_tsv
        from oaik.store.graph import to_store

        selections = ex.load_selections(["ontology", "data"])
        store = to_store(f for parsed in selections.values() for f in parsed)
        return sssom_tsv(
            collect_links(store), crosswalk=crosswalk_mappings(store), sources=imported_sources(store)
        ).encode("utf-8")

    from oaik.publish import catalog

    if fmt == "dcat":
        triples = catalog.dcat_record(endpoint=endpoint, download_base=download_base)
    else:
        triples = catalog.void_description(only=only, endpoint=endpoint, download_base=download_base)
    return catalog.serialize(triples, syntax)
