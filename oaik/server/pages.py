"""The HTML of ``oaik serve``: the query page and result pages.

Self-contained pages (inline CSS, no scripts, nothing loaded from elsewhere);
every value from the graph or the request is escaped.
"""

from __future__ import annotations

from html import escape

from oaik.query.backends import DEFAULT_GRAPH, QueryResult

EXAMPLE_QUERY = """SELECT ?project ?label ?organizationLabel
WHERE {
  ?project a oaik:Project ;
           rdfs:label ?label ;
           oaik:coordinatedBy/rdfs:label ?organizationLabel .
}
ORDER BY ?label
LIMIT 50"""

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1d2430; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d6dbe3; }
h3 { font-size: 1.02rem; margin: 1.4rem 0 .2rem; } h3 code { font-size: 1rem; }
code, pre, textarea { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { background: #f5f7fa; padding: .6rem .8rem; overflow: auto; border: 1px solid #e2e6ec; }
textarea { width: 100%; box-sizing: border-box; min-height: 12rem; padding: .5rem; }
.muted { color: #5c6675; } .summary { margin: .1rem 0; } .tags { color: #5c6675; font-size: .85rem; }
form.params { display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: end; margin: .4rem 0; }
form.params label { display: flex; flex-direction: column; font-size: .85rem; color: #3a4350; }
input[type=text] { font: inherit; padding: .2rem .35rem; min-width: 18rem; }
button { font: inherit; padding: .25rem .9rem; cursor: pointer; }
table { border-collapse: collapse; margin-top: .6rem; font-size: .9rem; }
th, td { border: 1px solid #d6dbe3; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; position: sticky; top: 0; } tr:nth-child(even) td { background: #fafbfc; }
a { color: #1f5fbf; } details { margin: .3rem 0; } summary { cursor: pointer; color: #3a4350; }
"""


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def index_page(server) -> str:
    limits = server.limits
    url = server.url
    parts = [
        "<h1>OAIK SPARQL endpoint</h1>",
        f'<p class="muted">The knowledge graph of open-source AI collaboration: {server.triples} triples, read-only. '
        f"SPARQL 1.1 Protocol endpoint: <code>{escape(url)}/sparql</code> (GET <code>?query=…</code>, or POST); "
        f"the graph is the default graph (<code>default-graph-uri={escape(DEFAULT_GRAPH)}</code> is accepted too). "
        f"Queries stop after {limits.timeout:g} s; results hold at most {limits.max_rows} rows. "
        f"OAIK's prefixes (<code>oaik:</code>, <code>project:</code>, <code>organization:</code>, <code>rdfs:</code>, …) are declared for you.</p>",
        "<h2>Your query</h2>",
        _query_form(EXAMPLE_QUERY),
        "<details><summary>From the command line</summary><pre>"
        + escape(
            f"curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE {{ ?s a oaik:Project }} LIMIT 5' {url}/sparql\n"
            f"oaik query table-1 --endpoint {url}/sparql\n"
            f"curl -H 'Accept: text/csv' '{url}/queries/table-1'"
        )
        + "</pre></details>",
        f"<h2>Canned queries ({len(server.catalogue)})</h2>",
        '<p class="muted">Each runs with its defaults, or with the values you give. '
        "The same queries run offline with <code>oaik query NAME</code>. "
        "A script can ask <code>/queries/NAME?param=value</code> for JSON, CSV, … with an Accept header.</p>",
    ]
    for canned in server.catalogue.values():
        parts.append(_canned_block(canned))
    return page("OAIK SPARQL endpoint", "\n".join(parts))


def _query_form(text: str) -> str:
    return (
        '<form method="post" action="/sparql">'
        f'<textarea name="query" spellcheck="false" aria-label="SPARQL query">{escape(text)}</textarea>'
        '<p><button type="submit">Run query</button></p></form>'
    )


def _canned_block(canned, values: dict[str, str] | None = None, heading: bool = True) -> str:
    values = values or {}
    name = escape(canned.name)
    out = []
    if heading:
        out.append(f'<h3 id="{name}"><a href="/queries/{name}"><code>{name}</code></a></h3>')
    out.append(f'<p class="summary">{escape(canned.summary)}</p>')
    description = f"<p>{escape(canned.description)}</p>" if canned.description else ""
    out.append(
        f"<details><summary>{'Description and query' if description else 'Query'} text</summary>{description}<pre>{escape(canned.text)}</pre></details>"
    )
    if canned.tags:
        out.append(f'<p class="tags">tags: {escape(", ".join(canned.tags))}</p>')
    fields = []
    for param in canned.params:
        need = "required" if param.required and param.default is None else "optional"
        placeholder = param.default or ""
        fields.append(
            f"<label>{escape(param.name)} ({escape(param.type_label)}, {need})"
            f'<input type="text" name="{escape(param.name)}" value="{escape(values.get(param.name, ""))}" placeholder="{escape(placeholder)}"></label>'
        )
    out.append(
        f'<form class="params" method="get" action="/queries/{name}">{"".join(fields)}<button type="submit">Run</button></form>'
    )
    return "\n".join(out)


def query_page(query: str, fragment: str, server) -> str:
    body = "\n".join(
        [
            '<p><a href="/">← OAIK SPARQL endpoint</a></p>',
            "<h1>Query results</h1>",
            fragment,
            "<h2>Query</h2>",
            _query_form(query),
        ]
    )
    return page("OAIK query results", body)


def canned_page(canned, values: dict[str, str], fragment: str, server) -> str:
    body = "\n".join(
        [
            '<p><a href="/">← OAIK SPARQL endpoint</a></p>',
            f"<h1><code>{escape(canned.name)}</code></h1>",
            _canned_block(canned, values, heading=False),
            fragment,
        ]
    )
    return page(f"OAIK: {canned.name}", body)


def solutions_fragment(result: QueryResult) -> str:
    """A SELECT result as a table (IRIs compacted, linked), or an ASK result as a sentence."""
    from oaik.query.results import cell

    answer = result.json or {}
    if "boolean" in answer:
        return f"<p>ASK: <strong>{'true' if answer['boolean'] else 'false'}</strong></p>"
    rows = result.bindings
    head = "".join(f"<th>{escape(var)}</th>" for var in result.variables)
    lines = [
        f'<p class="muted">{len(rows)} row{"" if len(rows) == 1 else "s"}</p>',
        f"<table><thead><tr>{head}</tr></thead><tbody>",
    ]
    for row in rows:
        cells = []
        for var in result.variables:
            binding = row.get(var)
            text = escape(cell(binding, compact_iris=True))
            if binding and binding["type"] == "uri" and binding["value"].startswith(("http://", "https://")):
                text = f'<a href="{escape(binding["value"])}" title="{escape(binding["value"])}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def graph_fragment(turtle: str, count: int) -> str:
    return f'<p class="muted">{count} triple{"" if count == 1 else "s"} (Turtle)</p><pre>{escape(turtle)}</pre>'
