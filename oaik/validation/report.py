"""Print a validation :class:`~oaik.validation.validate.Report` as text, JSON or GitHub annotations.

Text and annotations show control characters of values and parser messages
escaped (:func:`oaik.printable.visible`); JSON escapes them itself.
"""

from __future__ import annotations

import json
from itertools import groupby

from oaik.printable import visible
from oaik.validation.validate import Report, Result

LABELS = {"Violation": "violation", "Warning": "warning", "Info": "info"}
GITHUB_LEVELS = {"Violation": "error", "Warning": "warning", "Info": "notice"}


def render(report: Report, fmt: str = "text", *, strict: bool = False, verbose: bool = False) -> str:
    if fmt == "json":
        return as_json(report, strict=strict)
    if fmt == "github":
        return as_github(report, verbose=verbose)
    return as_text(report, strict=strict, verbose=verbose)


def summary(report: Report, strict: bool = False) -> str:
    counts = [report.count(s) for s in ("Violation", "Warning", "Info")]
    words = [_plural(n, word) for n, word in zip(counts, ("violation", "warning", "info"), strict=False)]
    files = len({r.file for r in report.results if r.file})
    where = f"in {_plural(files, 'file')} of {len(report.files)} checked"
    if report.syntax_errors:
        verdict = "cannot validate: fix the files that cannot be read first (exit code 2)"
    elif report.conforms(strict):
        verdict = "conforms"
    elif not counts[0]:
        verdict = "does not conform (--strict: warnings fail)"
    else:
        verdict = "does not conform"
    return f"{', '.join(words)} {where}: {verdict}."


def as_text(report: Report, *, strict: bool = False, verbose: bool = False) -> str:
    """Results grouped by file, then by entity; infos only when ``verbose``."""
    shown = [r for r in report.results if verbose or r.severity != "Info"]
    lines: list[str] = []
    for file, in_file in groupby(shown, key=lambda r: r.file):
        lines.append(file or "(no file)")
        for (line, focus), about in groupby(in_file, key=lambda r: (r.line, r.focus)):
            where = f"line {line}" if line else "line ?"
            lines.append(f"  {where}: {focus}" if focus else f"  {where}")
            for result in about:
                lines.append(f"    {LABELS.get(result.severity, result.severity):<9} {_subject(result)}".rstrip())
                lines.append(f"      {result.message}")
                lines.append(f"      rule: {result.rule}" + (f" ({result.component})" if result.component else ""))
        lines.append("")
    hidden = report.count("Info") if not verbose else 0
    tail = summary(report, strict)
    if hidden:
        tail += f" ({_plural(hidden, 'info')} hidden; use --verbose to list them.)"
    lines.append(tail)
    return "\n".join(visible(line) for line in lines)  # values and parser messages may hold control characters


def as_json(report: Report, *, strict: bool = False) -> str:
    document = {
        "conforms": report.conforms(strict),
        "exit_code": report.exit_code(strict),
        "summary": {
            "violations": report.count("Violation"),
            "warnings": report.count("Warning"),
            "infos": report.count("Info"),
            "syntax_errors": report.syntax_errors,
            "files_checked": len(report.files),
        },
        "results": [_public(r) for r in report.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _public(result: Result) -> dict:
    """A result as tools read it: ``node`` is the focus node's IRI, or null for a blank node (``focus`` describes
    it), whose name the parser picks anew at each run."""
    fields = result.as_dict()
    if ":" not in result.node:
        fields["node"] = None
    return fields


def as_github(report: Report, *, verbose: bool = False) -> str:
    """GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per result."""
    lines = []
    for result in report.results:
        if result.severity == "Info" and not verbose:
            continue
        properties = []
        if result.file:
            properties.append(f"file={_escape_property(visible(result.file))}")
        if result.line:
            properties.append(f"line={result.line}")
        properties.append(f"title={_escape_property(visible(result.rule))}")
        text = f"{result.focus} {_subject(result)}: {result.message}" if result.focus else result.message
        lines.append(
            f"::{GITHUB_LEVELS.get(result.severity, 'error')} {','.join(properties)}::{_escape_data(visible(text))}"
        )
    lines.append(summary(report))
    return "\n".join(lines)


def _subject(result: Result) -> str:
    if result.path and result.value is not None:
        return f"{result.path} {result.value}"
    if result.rule == "oaiksh:TurtleSyntaxRule":
        return "Turtle syntax"
    return result.path or result.value or ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
