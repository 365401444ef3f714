"""``oaik site``: build the static website from the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from oaik.commands.common import echo, int_range
from oaik.commands.common import path as path_type


def site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        type=path_type(kind=Path),  # not a folder-only check: the build's own check says what to do instead
        help="Folder to write the site to (new, empty, or an earlier `oaik site` output, which is replaced; "
        "files it did not write there, such as CNAME or .git, are kept).",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        default="",
        help="SPARQL endpoint the query page uses (default: /sparql of the server that serves the page, e.g. `oaik serve`).",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        default="https://oaik.github.io/oaik/",
        help="Where the site will be published (used in badge Markdown and schema.org download links).",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=int_range(1),
        default=None,
        help="Processes rendering entity pages (default: the number of CPUs, at most 4).",
    )


def site(output: Path, endpoint: str, base_url: str, jobs: int | None) -> None:
    """Build the static website: entity pages at their IRIs' paths, figures, ontology docs, downloads, query page.

    The build is deterministic (the same graph gives byte-identical files) and
    replaces the output folder in one step, so a failed build leaves an earlier
    site intact. Serve it with `oaik serve --site DIR` or any static host.
    """
    import os

    from oaik.publish.site.build import build_site
    from oaik.publish.site.signals import Terminated

    jobs = jobs or min(os.cpu_count() or 1, 4)
    try:
        built = build_site(output, endpoint=endpoint, base_url=base_url, show_progress=sys.stderr.isatty(), jobs=jobs)
    except Terminated:
        echo("oaik site: terminated (SIGTERM); no unfinished site is left behind.", err=True)
        sys.exit(143)
    kept = f"; kept from the earlier site what the build does not write: {', '.join(built.kept)}" if built.kept else ""
    echo(f"oaik site: wrote {built.files} files to {output}{kept}", err=True)
