"""``oaik validate``: SHACL validation (and, on request, OWL reasoning) for people and CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from oaik.commands.common import echo
from oaik.commands.common import path as path_type


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", metavar="PATHS", nargs="*", type=path_type(), help="Turtle files or folders to check with the graph."
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=["text", "json", "github"],
        default="text",
        help="text for people, json for tools, github for GitHub Actions annotations.",
    )
    parser.add_argument(
        "--since",
        metavar="REV",
        help="Validate the graph's files changed since the git revision REV (a commit, branch or tag), and report "
        "what they break elsewhere compared with REV, such as references to an entity renamed or deleted. "
        "If the shapes changed since REV, the whole graph is validated.",
    )
    parser.add_argument("--strict", action="store_true", help="Fail (exit code 1) on warnings too.")
    parser.add_argument(
        "--reason", action="store_true", help="Also check OWL consistency with HermiT (starts Java; slower)."
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="Also list infos (notes that never fail validation)."
    )


def validate(paths: list[str], fmt: str, since: str | None, strict: bool, reason: bool, verbose: bool) -> None:
    """Validate the graph, or the Turtle files PATHS (files or folders) together with it.

    Without PATHS, the whole shipped graph (ontology, vocabularies and data) is
    checked against the SHACL shapes. With PATHS, the given files are checked
    together with the rest of the graph, so they may reference entities defined
    elsewhere, and only their problems are reported: theirs, and those they
    cause in other files (that do not occur without them). What an edit breaks
    elsewhere, such as references to an entity it renamed or a file it deleted,
    shows with --since (in a git checkout: compared with the files at a
    revision, e.g. `oaik validate --since origin/main` in a pull request's CI)
    or without PATHS.

    Exit codes: 0 conforms (warnings allowed unless --strict), 1 violations
    found, 2 a file does not parse or cannot be read (or a usage error).
    """
    from oaik.errors import OaikError
    from oaik.validation.report import render
    from oaik.validation.validate import Validator

    if since is not None:
        if paths:
            raise OaikError(
                "name PATHS or give --since, not both: --since validates every file changed since the revision."
            )
        report = Validator().validate(since=since)
    elif paths:
        report = Validator().validate(list(paths))
    else:
        from oaik.paths import graph_files
        from oaik.validation.cache import full_report

        validator = Validator()
        report = full_report(graph_files(), lambda: validator.validate(None), validator.revise)
    note = _other_checkout_note([Path(p) for p in paths])
    if note:
        echo(note, err=True)
    if report.note:
        echo(f"oaik: note: {report.note}", err=True)
    code = report.exit_code(strict)
    outcome = None
    if reason and not report.syntax_errors:
        from oaik.validation.reason import reason as run_reasoner

        outcome = run_reasoner(list(paths) if paths else None)
        code = max(code, outcome.exit_code)
    if fmt == "json":  # one JSON document: the SHACL report, with the reasoner's verdict inside
        document = json.loads(render(report, fmt, strict=strict))
        if outcome is not None:
            document["reasoning"] = json.loads(outcome.as_json())
            document["exit_code"] = code
            document["conforms"] = code == 0
        echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        echo(render(report, fmt, strict=strict, verbose=verbose))
        if outcome is not None:
            echo(outcome.as_github() if fmt == "github" else "\n" + outcome.as_text())
    sys.exit(code)


def _other_checkout_note(named: list[Path]) -> str | None:
    """A note when the working directory is in a checkout of the repository whose graph files differ from
    those of the installed ``oaik`` (installed from a wheel, before the user's edits), named files aside."""
    from filecmp import cmp

    from oaik.paths import checkout_root, resource_root, turtle_files

    checkout, root = checkout_root(Path.cwd().resolve()), resource_root().resolve()
    if checkout is None or checkout == root:
        return None
    skipped = {path.resolve() for path in named if path.is_file()}

    def graph(folder: Path) -> dict[Path, Path]:
        return {p.relative_to(folder): p for p in turtle_files(folder / "ontology", folder / "data")}

    theirs, ours = graph(checkout), graph(root)
    differ = sorted(
        place
        for place in theirs.keys() | ours.keys()
        if theirs.get(place, checkout / place).resolve() not in skipped
        and (place not in theirs or place not in ours or not cmp(theirs[place], ours[place], shallow=False))
    )
    if not differ:
        return None
    others = f" and {len(differ) - 1} other files" if len(differ) > 1 else ""
    return (
        f"oaik: note: the graph validated is the one installed with oaik ({root}), not this checkout ({checkout}); "
        f"they differ in {differ[0]}{others}. Files named on the command line stand in for theirs; to validate "
        f"every edit of the checkout, install it in editable mode: pip install -e {checkout}"
    )
