"""Format query results: an aligned table, CSV, TSV, JSON or a Markdown table."""

from __future__ import annotations

import csv
import io
import json

from oaik.namespaces import compact
from oaik.query.backends import QueryResult

FORMATS = ("table", "csv", "tsv", "json", "md")


def cell(binding: dict | None, compact_iris: bool) -> str:
    """One value as text: IRIs compacted for display, literals as their lexical form."""
    if not binding:
        return ""
    value = binding["value"]
    if binding["type"] == "uri":
        return compact(value) if compact_iris else value
    if binding["type"] == "bnode":
        return f"_:{value}"
    return value


def table_rows(result: QueryResult, compact_iris: bool) -> list[list[str]]:
    return [[cell(row.get(var), compact_iris) for var in result.variables] for row in result.bindings]


def render(result: QueryResult, fmt: str) -> str:
    """The result in a display format; graph results are N-Triples whatever the format."""
    if result.ntriples is not None:
        return result.ntriples
    if "boolean" in result.json:
        return json.dumps(result.json, indent=2) if fmt == "json" else ("true" if result.json["boolean"] else "false")
    if fmt == "json":
        return json.dumps(result.json, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(table_rows(result, compact_iris=False))
        return buffer.getvalue().rstrip("\n")
    rows = table_rows(result, compact_iris=True)
    if fmt == "md":
        escape = lambda text: text.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = ["| " + " | ".join(result.variables) + " |", "|" + "---|" * len(result.variables)]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    return _aligned(result.variables, rows)


def _aligned(header: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    clip = lambda text: (text if len(text) <= max_width else text[: max_width - 1] + "…").replace("\n", " ")  # noqa: E731
    rows = [[clip(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()  # noqa: E731
    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
