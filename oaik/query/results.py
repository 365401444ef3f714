"""Format query results: an aligned table, CSV, TSV, JSON or a Markdown table; graphs as N-Triples or JSON-LD."""

from __future__ import annotations

import io
import json

from oaik.errors import OaikError
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


def render(result: QueryResult, fmt: str | None) -> str:
    """The result in a display format (None: the default, a table; N-Triples for a graph).

    A graph (CONSTRUCT, DESCRIBE) is N-Triples by default and compact JSON-LD
    with ``json``; the tabular formats are refused for it.
    """
    if result.ntriples is not None:
        return _graph(result, fmt)
    result = _blank_nodes_renamed(result)
    fmt = fmt or "table"
    if result.json is None:
        return ""
    if "boolean" in result.json:
        return json.dumps(result.json, indent=2) if fmt == "json" else ("true" if result.json["boolean"] else "false")
    if fmt == "json":
        return json.dumps(result.json, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        import csv

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


def check_format(form: str, fmt: str | None) -> None:
    """Refuse, before the query runs, a tabular format for a query that answers with a graph."""
    if form in ("CONSTRUCT", "DESCRIBE") and fmt not in (None, "json"):
        raise OaikError(
            f"--format {fmt} lays out rows, but a {form} query answers with a graph: use --format json for "
            "JSON-LD, or leave --format out for N-Triples."
        )


def _blank_nodes_renamed(result: QueryResult) -> QueryResult:
    """The rows with their blank nodes named b0, b1, … in the order they first appear.

    A store names blank nodes its own way (another store, or the same one
    rebuilt, names them otherwise); renamed, the same answer prints the same.
    """
    rows = result.bindings
    if not any(value.get("type") == "bnode" for row in rows for value in row.values()):
        return result
    names: dict[str, str] = {}

    def renamed(value: dict) -> dict:
        if value.get("type") != "bnode":
            return value
        return {**value, "value": names.setdefault(value["value"], f"b{len(names)}")}

    return result.with_bindings([{variable: renamed(value) for variable, value in row.items()} for row in rows])


def _graph(result: QueryResult, fmt: str | None) -> str:
    """The graph of a CONSTRUCT or DESCRIBE: each triple once (a store may give one several times), blank nodes
    named canonically (:mod:`oaik.publish.canonical`) and the triples sorted, so the same graph prints the same from any store."""
    check_format(result.form, fmt)
    import pyoxigraph as ox

    from oaik.publish.jsonld import graph_jsonld
    from oaik.publish.site.rdf import canonical_ntriples

    data = canonical_ntriples((result.ntriples or "").encode("utf-8"))
    if fmt is None:
        return data.decode("utf-8")
    return graph_jsonld(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))).decode("utf-8").rstrip("\n")
