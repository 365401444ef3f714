"""``oaik site``: build the static website from the graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site to (new, empty, or an earlier `oaik site` output, which is replaced).",
)
@click.option(
    "--endpoint",
    default="",
    help="SPARQL endpoint the query page uses (default: /sparql of the server that serves the page, e.g. `oaik serve`).",
)
@click.option(
    "--base-url",
    default="https://oaik.github.io/oaik/",
    show_default=True,
    help="Where the site will be published (used in badge Markdown and schema.org download links).",
)
def site(output: Path, endpoint: str, base_url: str) -> None:
    """Build the static website: entity pages at their IRIs' paths, figures, ontology docs, downloads, query page.

    The build is deterministic (the same graph gives byte-identical files) and
    replaces the output folder in one step, so a failed build leaves an earlier
    site intact. Serve it with `oaik serve --site DIR` or any static host.
    """
    from oaik.publish.site.build import build_site

    count = build_site(output, endpoint=endpoint, base_url=base_url, show_progress=sys.stderr.isatty())
    click.echo(f"oaik site: wrote {count} files to {output}", err=True)
