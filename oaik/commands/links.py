"""``oaik links``: how many entities of each kind link to each other catalogue, and which do not."""

from __future__ import annotations

import argparse
import json
import textwrap

from oaik.commands.common import echo


def links_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=["table", "json"], default="table", help="Output format.")
    parser.add_argument(
        "--target",
        dest="targets",
        action="append",
        default=[],
        metavar="TARGET",
        help="Only these targets: wikidata, ror, huggingface, github, spdx, website (repeatable).",
    )
    parser.add_argument("--brief", action="store_true", help="Table only: leave out the lists of unlinked entities.")


def links(fmt: str, targets: list[str], brief: bool) -> None:
    """Report link coverage to other catalogues (Wikidata, ROR, Hugging Face, GitHub, SPDX, websites).

    For each target: entities linked / entities of each kind, which entities
    are not linked, how many links each source verifies (the evidence whose
    quote holds the link) and any link no evidence verifies.
    """
    from oaik.errors import OaikError
    from oaik.publish.links import TARGET_KEYS, coverage, coverage_json
    from oaik.store import open_store

    unknown = [t for t in targets if t not in TARGET_KEYS]
    if unknown:
        raise OaikError(f"unknown --target {unknown[0]!r}: choose from {', '.join(TARGET_KEYS)}.")
    report = coverage(open_store(read_only=True), [t for t in TARGET_KEYS if t in targets or not targets])
    if fmt == "json":
        echo(json.dumps(coverage_json(report), indent=2, ensure_ascii=False))
        return
    echo(_table(report, brief))


def _table(report, brief: bool) -> str:
    from oaik.namespaces import compact
    from oaik.publish.links import KINDS

    kinds = list(KINDS)
    width = max(len(item.target.name) for item in report)
    lines = ["Entities linked / entities of each kind ('-': the target does not apply to the kind)", ""]
    lines.append(
        f"{'target':<{width}}  " + "  ".join(f"{kind:>12}" for kind in kinds) + f"  {'links':>6}  {'unverified':>10}"
    )
    for item in report:
        cells = []
        for kind in kinds:
            cov = item.kinds.get(kind)
            cells.append(f"{'-' if cov is None else f'{len(cov.linked)}/{cov.total}':>12}")
        lines.append(
            f"{item.target.name:<{width}}  " + "  ".join(cells) + f"  {len(item.links):>6}  {len(item.unverified):>10}"
        )
    lines.append("")
    for item in report:
        lines.append(f"{item.target.name} ({item.target.key}): {len(item.links)} links")
        if item.note:
            lines.extend(
                textwrap.wrap(item.note, 100, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
            )
        sources = item.by_source()
        if sources:
            lines.append(
                "  verified by: "
                + ", ".join(
                    f"{compact(source) if source.startswith('http') else source} {n}" for source, n in sources.items()
                )
            )
        for link in item.unverified:
            lines.append(
                f"  unverified: {compact(link.entity)} {compact(link.predicate)} {link.value} (no evidence quote holds it)"
            )
        if not brief:
            for kind, cov in item.kinds.items():
                if cov.unlinked:
                    names = ", ".join(compact(iri) for iri in cov.unlinked)
                    lines.extend(
                        textwrap.wrap(
                            f"not linked ({kind}, {len(cov.unlinked)}): {names}",
                            100,
                            initial_indent="  ",
                            subsequent_indent="    ",
                            break_on_hyphens=False,
                        )
                    )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
