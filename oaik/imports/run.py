"""``oaik import``: read a checkout, match, write Turtle under data/imports/<index>/, report."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from oaik.errors import OaikError
from oaik.files import write_atomically
from oaik.imports import mot, osai, turtle
from oaik.imports.common import slugify
from oaik.imports.records import Entry, Problem, Quoted
from oaik.imports.report import Report
from oaik.imports.resolve import RESOLVES_AGAINST, Resolver, index_catalogue, load_resolver, normal_name
from oaik.imports.sources import INDICES, Index

READERS = {"osai": osai, "mot": mot}
_SHA = re.compile(r"\b[0-9a-f]{40}\b")


def upstream_commit(root: Path) -> str | None:
    """The commit a checkout is at: .git/HEAD (and its ref), else a SOURCE.md that names one."""
    git = root / ".git"
    head = git / "HEAD"
    if head.is_file():
        text = head.read_text(encoding="utf-8").strip()
        if _SHA.fullmatch(text):
            return text
        ref = text.removeprefix("ref: ").strip()
        if (git / ref).is_file():
            return (git / ref).read_text(encoding="utf-8").strip()
        packed = git / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                if line.endswith(" " + ref) and _SHA.match(line):
                    return line[:40]
    source = root / "SOURCE.md"
    if source.is_file():
        found = re.search(r"commit\s+([0-9a-f]{40})", source.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    return None


def upstream_date(root: Path, commit: str) -> str | None:
    """The commit's date when a SOURCE.md gives it next to the commit: '<sha> (YYYY-MM-DD)'."""
    source = root / "SOURCE.md"
    if source.is_file():
        found = re.search(re.escape(commit) + r"\s*\((\d{4}-\d{2}-\d{2})\)", source.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    return None


def run(
    key: str,
    root: Path,
    out: Path,
    commit: str | None = None,
    date: str | None = None,
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> Report:
    """Import index ``key`` from checkout ``root`` into ``out`` (data/imports); return the report."""
    index, reader = INDICES[key], READERS[key]
    if not root.is_dir():
        raise OaikError(f"{root}: not a folder. Give the path of a checkout of {index.repository}.")
    _check_target(out)
    files = reader.model_files(root)
    if not files:
        where = "models/*.yml" if key == "mot" else "*.yaml"
        raise OaikError(f"{root}: no {where} files. Is this a checkout of {index.repository}?")
    commit = commit or upstream_commit(root)
    if commit is None or not _SHA.fullmatch(commit):
        raise OaikError(
            f"{root}: cannot tell which upstream commit this checkout is at (no .git/HEAD, no SOURCE.md naming one). "
            "Pass it with --commit <40-hex sha> so that the evidence can cite it."
        )
    date = date or upstream_date(root, commit)
    report = Report(key, files=len(files))
    if key == "osai":
        report.problems += osai.check_parameters(root)
        report.notes += [
            f"{name}: the index's submission template, not a model: not read, not counted"
            for name in sorted(osai.NOT_MODELS)
            if (root / name).is_file()
        ]
    entries: list[Entry] = []
    slugs: dict[str, str] = {}
    for path in progress(files) if progress else files:
        entry, problems = reader.read(root, path)
        report.problems += problems
        if entry is not None and entry.slug in slugs:
            problems = [Problem(entry.file, 0, f"its slug {entry.slug!r} is that of {slugs[entry.slug]}; file skipped")]
            report.problems += problems
            entry = None
        if entry is None:
            report.skipped.append(next(p for p in problems if p.dropped))
            continue
        slugs[entry.slug] = entry.file
        entries.append(entry)
    duplicates = _note_duplicate_names(entries, report)
    decisions = out / "curation" / "decisions.tsv"
    if not decisions.is_file():
        report.notes.append(
            f"no curator's decisions ({decisions} does not exist): every match was made by the rules alone; "
            "to apply the decisions the committed import was made with, copy data/imports/curation/decisions.tsv "
            "there and import again"
        )
    resolver = load_resolver(decisions, key, out)
    against = RESOLVES_AGAINST.get(key)
    if against and resolver.other is None:
        report.notes.append(
            f"no {against.upper()} import in {out}: the releases were matched against the curated graph only; "
            f"run `oaik import {against}` first, then this import again"
        )
    later = [k for k, a in RESOLVES_AGAINST.items() if a == key and (out / k).is_dir()]
    before = index_catalogue(out / key) if later else None
    texts = _render(index, commit, date, entries, resolver, report, duplicates)
    _write_folder(out / key, texts, report)
    _write_curation(out / "curation" / f"{key}-ambiguous.tsv", resolver)
    changed = report.written or report.removed  # else the folder, and so its models, are as they were
    after = index_catalogue(out / key) if before is not None and changed else None
    if before is not None and after is not None and before.signature() != after.signature():
        report.notes += [
            f"the {key.upper()} models changed, and the {k.upper()} import matches its releases against them: "
            f"run `oaik import {k}` again"
            for k in later
        ]
    _write_licence_families(out / "licences.ttl")
    from oaik.imports.disagreements import write_disagreements

    write_disagreements(out)
    return report


def _check_target(out: Path) -> None:
    """Refuse an output that is not a folder that can be made and written, before anything is read."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OaikError(
            f"{out}: cannot be used as the import folder ({error.strerror}). "
            "Name a folder you can write with --out (by default data/imports/ of your checkout)."
        ) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OaikError(f"{out}: the folder cannot be written. Name a folder you can write with --out.")


def _note_duplicate_names(entries: list[Entry], report: Report) -> set[str]:
    """Note entries that share a name; return the files of all of them."""
    seen: dict[str, Entry] = {}
    duplicates: set[str] = set()
    for entry in entries:
        first = seen.setdefault(slugify(entry.name.value), entry)
        if first is not entry:
            duplicates.update({first.file, entry.file})
            report.problems.append(
                Problem(
                    entry.file,
                    entry.name.line,
                    f"the name {entry.name.value!r} is also the name in {first.file}; both imported as separate entries",
                    False,
                )
            )
    return duplicates


def _render(
    index: Index,
    commit: str,
    date: str | None,
    entries: list[Entry],
    resolver: Resolver,
    report: Report,
    duplicates: set[str],
) -> dict[str, str]:
    texts: dict[str, str] = {"_snapshot.ttl": turtle.snapshot_turtle(index, commit, date, report.files)}
    new_orgs: dict[str, list[tuple[str, str, Quoted, Quoted | None]]] = {}
    made: dict[str, str] = {}  # normalised name -> the IRI of the organisation made for its first mention
    for entry in entries:
        named: list[turtle.Producer] = []
        producers: list[tuple[str, str]] = []
        for ref in entry.orgs:
            urls = [(_url_rule(ref.link.value), ref.link.value)] if ref.link else []
            new = turtle.new_iri("organization", index, slugify(ref.name.value))
            if normal_name(ref.name.value):  # a name of no Latin letters or digits is known by its slug alone
                new = made.setdefault(normal_name(ref.name.value), new)
            match = resolver.organization(index.key, entry.file, ref.name.value, urls, new)
            if match.rule == "new-entity":
                new_orgs.setdefault(match.entity, []).append((entry.slug, entry.file, ref.name, ref.link))
            else:
                report.org_rules[(match.rule, match.across or "")] += 1
            named.append(turtle.Producer(match.entity, match.rule, match.across, ref.name))
            producers.append((match.entity, ref.name.value))
        urls = [
            (rule, quoted.value)
            for rule, quoted in (
                ("hugging-face-url", entry.hugging_face),
                ("repository-url", entry.repository),
                ("website", entry.website),
            )
            if quoted is not None
        ]
        model = resolver.model(
            index.key, entry.file, entry.name.value, urls, turtle.new_iri("model", index, entry.slug), producers
        )
        if model.across:
            report.across[(model.rule, "part-of" if model.part_of else "same")] += 1
        else:
            report.rules[model.rule] += 1
        report.new_models += model.rule == "new-entity" or bool(model.part_of)
        report.imported += 1
        report.claims += len(entry.grades)
        texts[f"{entry.slug}.ttl"] = turtle.entry_turtle(index, commit, entry, model, named, entry.file in duplicates)
    report.new_orgs = len(new_orgs)
    report.ambiguous = len(resolver.ambiguous)
    texts["_organizations.ttl"] = turtle.organizations_turtle(index, commit, new_orgs)
    return texts


def _url_rule(url: str) -> str:
    if url.startswith("https://huggingface.co/"):
        return "hugging-face-url"
    return "repository-url" if url.startswith("https://github.com/") else "website"


def _write_folder(folder: Path, texts: dict[str, str], report: Report) -> None:
    """Write changed files atomically, remove files no longer produced, leave unchanged ones alone."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(texts.items()):
        target = folder / name
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            report.unchanged += 1
            continue
        write_atomically(target, text)
        report.written += 1
    for stale in sorted(folder.glob("*.ttl")):
        if stale.name not in texts:
            stale.unlink()
            report.removed += 1


def _write_curation(target: Path, resolver: Resolver) -> None:
    from oaik.namespaces import compact

    lines = [
        "# Ambiguous matches found by the last import: each entry was imported as a new entity.",
        "# To merge one, add a row to decisions.tsv (relation same or part-of) with your justification.",
        "index\tfile\tkind\tname\tcandidates\treason",
    ]
    for index, file, kind, name, candidates, reason in sorted(resolver.ambiguous):
        lines.append("\t".join([index, file, kind, name, " ".join(compact(c) for c in candidates), reason]))
    write_atomically(target, "\n".join(lines) + "\n")


def _write_licence_families(target: Path) -> None:
    from oaik.imports.licences import families_turtle

    header = (
        "# GENERATED by `oaik import` from the licence table of oaik/imports/licences.py; do not edit by hand.\n"
        "# The family of each licence an index names, for grading components and for counting models per family.\n\n"
    )
    write_atomically(target, families_turtle(header, turtle.prefixes()))


def progress_bar(files: list[Path]) -> Iterable[Path]:
    """A click progress bar on stderr when it is a terminal; plain iteration otherwise."""
    import click

    if not sys.stderr.isatty():
        yield from files
        return
    with click.progressbar(
        files, label="reading", file=sys.stderr, item_show_func=lambda p: p.name if p else ""
    ) as bar:
        yield from bar
