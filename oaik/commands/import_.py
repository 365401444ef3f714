"""``oaik import``: import an openness index from a local checkout into data/imports/."""

from __future__ import annotations

import argparse
from pathlib import Path

from oaik.commands.common import echo
from oaik.commands.common import path as path_type


def import_index_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "index",
        metavar="INDEX",
        choices=["osai", "mot"],
        help="osai (European Open Source AI Index) or mot (Model Openness Tool).",
    )
    parser.add_argument("path", metavar="PATH", type=path_type(file_okay=False), help="The index's checkout.")
    parser.add_argument(
        "--commit",
        metavar="SHA",
        help="The upstream commit PATH is at (default: read from PATH/.git or PATH/SOURCE.md).",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="The date of that commit (default: from PATH/SOURCE.md, if it says)."
    )
    parser.add_argument(
        "--out",
        metavar="DIRECTORY",
        type=path_type(file_okay=False),
        help="Where to write (default: data/imports/ of the checkout of the repository you are in).",
    )


def import_index(index: str, path: str, commit: str | None, date: str | None, out: str | None) -> None:
    """Import INDEX (osai: European Open Source AI Index; mot: Model Openness Tool) from the checkout at PATH.

    Reads every model file with a YAML parser, reports each deviation as one
    line FILE:LINE: problem, imports the rest, matches models and
    organisations to OAIK's curated entities (and, for mot, its releases to
    the model families of the osai import: import osai first), and writes
    one Turtle file per model family or release under data/imports/INDEX/
    (byte-identical when re-run on the same input), the ambiguous matches
    under data/imports/curation/, and the disagreements between the two
    indices.

    Exit codes: 0 everything imported (notes may be listed); 1 some file,
    criterion or component was left out (listed; the rest is written);
    2 PATH is not a usable checkout.
    """
    import re
    import sys

    from oaik.errors import EXIT_FAILED, OaikError
    from oaik.imports.run import progress_bar, run

    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise OaikError(f"--date {date!r} is not a date: write it as YYYY-MM-DD.")
    target = Path(out) if out else _default_target()
    report = run(index, Path(path), target, commit, date, progress_bar)
    echo(report.summary())
    if report.dropped:
        sys.exit(EXIT_FAILED)


def _default_target() -> Path:
    """data/imports/ of the checkout the working directory is in; else of the checkout ``oaik`` runs from.
    Never into an installed package's copy of the graph."""
    from oaik.errors import OaikError
    from oaik.paths import checkout_root, data_dir, installed_copy

    here = checkout_root(Path.cwd().resolve())
    if here is not None:
        return here / "data" / "imports"
    if not installed_copy():
        return data_dir() / "imports"
    raise OaikError(
        "the working directory is not in a checkout of the OAIK repository, and the graph of this oaik is the copy "
        "installed with it, which imports must not change. Run the command in your checkout, or name the folder "
        "to write to with --out."
    )
