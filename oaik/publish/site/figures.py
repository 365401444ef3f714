"""The cartography's figures, regenerated from the canned queries as hand-built SVG.

Each figure's numbers are the rows of one canned query (named in its caption),
written next to the SVG as CSV; the figure page repeats them as a table, the
text alternative. Figures whose data is absent (e.g. openness grades before
they are imported) are left out.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from oaik.publish.site import svg
from oaik.publish.site.graphview import GraphView
from oaik.query.backends import EmbeddedBackend
from oaik.query.canned import bind, load_queries

_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', re.IGNORECASE
)


@dataclass
class Figure:
    slug: str
    title: str
    query: str  # the canned query whose rows are the figure's data
    caption: str
    columns: list[str]
    rows: list[dict[str, str]]
    svg: str = ""
    alt: str = ""
    params: list[str] = field(default_factory=list)  # bindings used, e.g. "model=<iri>"

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({column: row.get(column, "") for column in self.columns})
        return out.getvalue().encode("utf-8")


class QueryRunner:
    """Canned query rows as {variable: lexical value} ('' for unbound), columns in query order."""

    def __init__(self, view: GraphView):
        self.backend = EmbeddedBackend(view.store)
        self.queries = load_queries()
        self._answers: dict[tuple, tuple[list[str], list[dict[str, str]]]] = {}

    def run(self, name: str, **params: str) -> tuple[list[str], list[dict[str, str]]]:
        """Rows of a canned query (each query and parameters run once); GROUP_CONCAT cells sorted."""
        key = (name, *sorted(params.items()))
        if key not in self._answers:
            self._answers[key] = self._run(name, params)
        columns, rows = self._answers[key]
        return list(columns), [dict(row) for row in rows]

    def _run(self, name: str, params: dict[str, str]) -> tuple[list[str], list[dict[str, str]]]:
        text = bind(self.queries[name], params)
        result = self.backend.run(text)
        columns = result.variables
        joined = {variable: separator for separator, variable in _CONCAT.findall(text)}
        rows = []
        for binding in result.bindings:
            row = {}
            for column in columns:
                value = binding[column]["value"] if column in binding else ""
                separator = joined.get(column)
                row[column] = separator.join(sorted(value.split(separator))) if separator and value else value
            rows.append(row)
        return columns, rows


def build_figures(view: GraphView, runner: QueryRunner) -> list[Figure]:
    figures = [
        onramp_matrix(view, runner),
        motivations(runner),
        governance(runner),
        compute(runner),
        lineage(view, runner),
        openness(view, runner),
    ]
    return [figure for figure in figures if figure.rows]


# -- on-ramp matrix (Figures 2-7) --------------------------------------------------


def matrix_axes(view: GraphView) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(IRI, label) of the lifecycle stages in order and of the artifact domains in figure order."""
    stages = view.select(
        "SELECT ?s ?l ?o WHERE { ?s skos:inScheme <https://w3id.org/oaik/vocab/stage> ; skos:prefLabel ?l ; oaik:order ?o }"
    )
    stages.sort(key=lambda r: (int(r["o"].value), r["s"].value))
    domains = view.select(
        "SELECT ?d ?l (SAMPLE(?sec) AS ?section) WHERE { ?d skos:inScheme <https://w3id.org/oaik/vocab/domain> ; skos:prefLabel ?l "
        "OPTIONAL { ?d oaik:section ?sec } } GROUP BY ?d ?l"
    )
    domains.sort(key=lambda r: (r["section"].value if r["section"] else "~", r["l"].value))
    return [(r["s"].value, r["l"].value) for r in stages], [(r["d"].value, r["l"].value) for r in domains]


def onramp_matrix(view: GraphView, runner: QueryRunner) -> Figure:
    columns, rows = runner.run("onramp-matrix")
    figure = Figure(
        "onramp-matrix",
        "Collaboration on-ramps by lifecycle stage and artifact domain",
        "onramp-matrix",
        "Each cell counts the collaboration on-ramps the paper identifies for a lifecycle stage and artifact domain "
        "(the paper's Figures 2–7), with the collaborations recorded for them and the projects they come from.",
        columns,
        rows,
    )
    stages, domains = matrix_axes(view)
    cells = {(r["stageLabel"], r["domainLabel"]): r for r in rows}
    most = max((int(r["onramps"]) for r in rows), default=0)
    left, top, width, height = 150, 40, 128, 76
    body = []
    for j, (_, domain) in enumerate(domains):
        body.append(svg.text(left + j * width + width / 2, top - 12, domain, 13, "middle", "bold"))
    for i, (_, stage) in enumerate(stages):
        y = top + i * height
        body.append(svg.text(left - 10, y + height / 2 + 4, stage, 13, "end", "bold"))
        for j, (_, domain) in enumerate(domains):
            x = left + j * width
            row = cells.get((stage, domain))
            count = int(row["onramps"]) if row else 0
            fill, ink = svg.shade(count, most)
            anchor = f"cell-{_slug(stage)}-{_slug(domain)}"
            rect = svg.element(
                "rect",
                x=svg.num(x + 2),
                y=svg.num(y + 2),
                width=svg.num(width - 4),
                height=svg.num(height - 4),
                rx="4",
                fill=fill,
                stroke="#555555",
                class_="cell" if row else "cell empty",
                data_stage=stage,
                data_domain=domain,
                data_onramps=str(count),
            )
            if row:
                label = f"{stage}, {domain}: {_cell_counts(row)}"
                texts = [
                    svg.text(x + width / 2, y + 30, _plural(count, "on-ramp"), 14, "middle", "bold", ink),
                    svg.text(
                        x + width / 2,
                        y + 48,
                        _plural(int(row["collaborations"]), "collaboration"),
                        11,
                        "middle",
                        fill=ink,
                    ),
                    svg.text(x + width / 2, y + 63, _plural(int(row["projects"]), "project"), 11, "middle", fill=ink),
                ]
                body.append(
                    svg.element(
                        "a",
                        rect + "".join(texts) + svg.element("title", label),
                        href=f"onramp-matrix.html#{anchor}",
                        aria_label=label,
                    )
                )
            else:
                body.append(
                    rect + svg.text(x + width / 2, y + height / 2 + 4, "no on-ramp", 11, "middle", fill="#555555")
                )
    total = sum(int(r["onramps"]) for r in rows)
    figure.alt = (
        f"A grid of {_plural(len(stages), 'lifecycle stage')} by {_plural(len(domains), 'artifact domain')}; "
        f"{_plural(len(rows), 'cell')} {'holds' if len(rows) == 1 else 'hold'} {_plural(total, 'on-ramp')} in all. "
        + "; ".join(f"{r['stageLabel']} / {r['domainLabel']}: {_cell_counts(r)}" for r in rows)
        + "."
    )
    figure.svg = svg.document(
        left + len(domains) * width + 10, top + len(stages) * height + 10, figure.title, figure.alt, body, figure.slug
    )
    return figure


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _cell_counts(row: dict) -> str:
    """What a cell of the on-ramp matrix shows, in words: its on-ramps, collaborations and projects."""
    counts = (("onramps", "on-ramp"), ("collaborations", "collaboration"), ("projects", "project"))
    return ", ".join(_plural(int(row[column]), noun) for column, noun in counts)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


# -- bar charts --------------------------------------------------------------------


def _bars(ident: str, title: str, desc: str, items: list[tuple[str, int, int, str]], unit: str) -> str:
    """Horizontal bars: (label, main count, extra count drawn hatched, group) per row, grouped by group."""
    label_width = max((svg.text_width(label) for label, *_ in items), default=0) + 20
    scale = 36
    most = max((a + b for _, a, b, _ in items), default=1) or 1
    width = label_width + most * scale + 150
    body = [
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#deebf7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#2171b5" stroke-width="2"/></pattern></defs>'
    ]
    y, group = 10.0, None
    for label, main, extra, this_group in items:
        if this_group != group:
            group = this_group
            y += 14
            body.append(svg.text(6, y + 4, group, 13, weight="bold"))
            y += 10
        body.append(svg.text(label_width - 8, y + 15, label, 12, "end"))
        body.append(
            svg.element(
                "rect",
                x=svg.num(label_width),
                y=svg.num(y + 4),
                width=svg.num(main * scale),
                height="16",
                fill="#2171b5",
                class_="bar",
            )
        )
        if extra:
            body.append(
                svg.element(
                    "rect",
                    x=svg.num(label_width + main * scale),
                    y=svg.num(y + 4),
                    width=svg.num(extra * scale),
                    height="16",
                    fill="url(#hatch)",
                    stroke="#2171b5",
                    class_="bar extra",
                )
            )
        note = f"{main} {unit}" + (f" (+{extra} inferred)" if extra else "")
        body.append(svg.text(label_width + (main + extra) * scale + 6, y + 16, note, 12))
        y += 24
    return svg.document(width, y + 10, title, desc, body, ident)


def motivations(runner: QueryRunner) -> Figure:
    columns, rows = runner.run("projects-per-motivation")
    figure = Figure(
        "motivations",
        "Motivations by number of projects",
        "projects-per-motivation",
        "For each motivation of §6, the number of projects the source states it for (solid bar, the paper's Figure 8) "
        "and those added by curators' inferences (hatched).",
        columns,
        rows,
    )
    items = [
        (
            r["motivationLabel"],
            int(r["statedProjects"]),
            int(r["projects"]) - int(r["statedProjects"]),
            r["categoryLabel"],
        )
        for r in rows
    ]
    figure.alt = (
        "Bars per motivation: "
        + "; ".join(
            f"{label} ({group}): {main} projects stated" + (f", {extra} inferred" if extra else "")
            for label, main, extra, group in items
        )
        + "."
    )
    figure.svg = _bars(figure.slug, figure.title, figure.alt, items, "projects")
    return figure


def compute(runner: QueryRunner) -> Figure:
    columns, rows = runner.run("compute-providers")
    figure = Figure(
        "compute-partnerships",
        "Compute partnerships by provider kind",
        "compute-providers",
        "The compute partnerships recorded, counted by the kind of compute provided; the table lists each provider, "
        "beneficiary project and what the compute enabled.",
        columns,
        rows,
    )
    per_kind: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        per_kind[row["kindLabel"]].add(row["partnership"])
    items = [(kind, len(per_kind[kind]), 0, "Kind of compute") for kind in sorted(per_kind)]
    figure.alt = "Bars per compute kind: " + "; ".join(f"{k}: {n} partnerships" for k, n, _, _ in items) + "."
    figure.svg = _bars(figure.slug, figure.title, figure.alt, items, "partnerships")
    return figure


# -- governance (§7) ---------------------------------------------------------------


def governance(runner: QueryRunner) -> Figure:
    columns, rows = runner.run("projects-by-governance-model")
    figure = Figure(
        "governance",
        "Governance models and their projects",
        "projects-by-governance-model",
        "Each governance model of §7 with the projects claimed for it: ● the source states it, ○ a curator inferred it, "
        "⚠ another claim about the same project conflicts with it.",
        columns,
        rows,
    )
    # (group, model) -> project IRI -> [label, stated?, conflicting?]; a claim naming a group itself sits in that group
    models: dict[tuple[str, str], dict[str, list]] = defaultdict(dict)
    for row in rows:
        key = (row["groupLabel"] or row["modelLabel"], row["modelLabel"])
        entry = models[key].setdefault(row["project"], [row["projectLabel"], False, False])
        entry[1] = entry[1] or row["status"] == "stated"
        entry[2] = entry[2] or row["conflicting"] == "true"
    texts = [model for _, model in models] + [f"● ⚠  {e[0]}" for m in models.values() for e in m.values()]
    box = max((svg.text_width(text, 12) for text in texts), default=200) + 40
    body, y, group = [], 10.0, None
    lines = []
    for group_label, model in sorted(models):
        if group_label != group:
            group = group_label
            y += 16
            body.append(svg.text(6, y, group, 13, weight="bold"))
            y += 8
        projects = models[(group_label, model)]
        title = (
            f"{model} ({len(projects)})"
            if model != group_label
            else f"{model}, no finer model claimed ({len(projects)})"
        )
        body.append(
            svg.element(
                "rect",
                x="16",
                y=svg.num(y),
                width=svg.num(box),
                height=svg.num(22 + 18 * len(projects)),
                fill="#deebf7",
                rx="4",
            )
        )
        body.append(svg.text(24, y + 16, title, 12, weight="bold"))
        y += 22
        for project, (label, stated, conflicting) in sorted(projects.items(), key=lambda item: item[1][0]):
            marks = ("●" if stated else "○") + (" ⚠" if conflicting else "")
            body.append(
                svg.element(
                    "a", svg.text(36, y + 13, f"{marks}  {label}", 12, fill="#08519c"), href=_page_href(project)
                )
            )
            lines.append(
                f"{model}: {label} ({'stated' if stated else 'inferred'}{', conflicting' if conflicting else ''})"
            )
            y += 18
        y += 8
    figure.alt = "Governance models with their projects: " + "; ".join(lines) + "."
    figure.svg = svg.document(box + 40, y + 10, figure.title, figure.alt, body, figure.slug)
    return figure


def _page_href(iri: str) -> str:
    """A link from a figure (in figures/) to an entity's page."""
    from oaik.publish.site.urls import page_path

    path = page_path(iri)
    return f"../{path}" if path else iri


# -- lineage -----------------------------------------------------------------------


def lineage(view: GraphView, runner: QueryRunner) -> Figure:
    """The derivatives of every project's base models (canned query derivatives-of, once per base model)."""
    bases = view.select("SELECT DISTINCT ?m WHERE { ?p a oaik:Project ; oaik:baseModel ?m }")
    rows: list[dict[str, str]] = []
    columns = ["model"]
    for base in sorted(r["m"].value for r in bases):
        query_columns, found = runner.run("derivatives-of", model=base)
        columns = ["model", *query_columns]
        rows.extend({"model": base, **row} for row in found)
    figure = Figure(
        "lineage",
        "Derivation lineage of the projects' base models",
        "derivatives-of",
        "The models derived, directly or through other derivatives, from each project's base models "
        "(the canned query run once per base model, its parameter in the first column).",
        columns,
        rows,
    )
    body, y = [], 10.0
    lines = []
    by_base: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_base[row["model"]].append(row)
    for base in sorted(by_base, key=lambda iri: (view.labels.get(iri, iri), iri)):
        y += 20
        body.append(svg.text(10, y, view.labels.get(base, base), 13, weight="bold"))
        for row in by_base[base]:
            y += 18
            text = f"{row['derivativeLabel']}  ← {row['fromLabel']}" + (
                f"  ({row['producerLabel']})" if row.get("producerLabel") else ""
            )
            body.append(svg.element("line", x1="16", y1=svg.num(y - 22), x2="16", y2=svg.num(y - 4), stroke="#2171b5"))
            body.append(svg.element("line", x1="16", y1=svg.num(y - 4), x2="28", y2=svg.num(y - 4), stroke="#2171b5"))
            body.append(svg.text(32, y, text, 12))
            lines.append(f"{row['derivativeLabel']} derives from {row['fromLabel']}")
        y += 6
    width = max((svg.text_width(line) for line in lines), default=200) + 120
    figure.alt = "Derivation lineage: " + "; ".join(lines) + "."
    figure.svg = svg.document(width, y + 10, figure.title, figure.alt, body, figure.slug)
    return figure


# -- openness heat map (when grades are imported) -----------------------------------

#: Okabe-Ito colours (colour-blind safe) for grades without an order; the grade's label is always printed too.
CATEGORICAL = ("#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#999999")
#: From most to least open when grades are ordered (oaik:order): green to red.
DIVERGING = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027", "#a50026", "#7f0000")


def grade_colours(view: GraphView) -> dict[str, str]:
    """A fill colour per grade label: ordered (green to red) when every grade has oaik:order, else categorical."""
    rows = view.select(
        "SELECT ?l (SAMPLE(?o) AS ?order) WHERE { ?g skos:inScheme <https://w3id.org/oaik/vocab/opennessgrade> ; "
        "skos:prefLabel ?l OPTIONAL { ?g oaik:order ?o } } GROUP BY ?l"
    )
    ordered = bool(rows) and all(r["order"] is not None for r in rows)
    if ordered:
        rows.sort(key=lambda r: (int(r["order"].value), r["l"].value))
        palette = DIVERGING
    else:
        rows.sort(key=lambda r: r["l"].value)
        palette = CATEGORICAL
    return {r["l"].value: palette[min(i, len(palette) - 1)] for i, r in enumerate(rows)}


def openness(view: GraphView, runner: QueryRunner) -> Figure:
    """Grades of the projects' models by criterion (canned query openness-profile, once per model)."""
    figure = Figure(
        "openness",
        "Openness grades of the projects' models",
        "openness-profile",
        "The grades openness indices give the projects' base and derivative models, one row per assessed model and "
        "one column per criterion of each framework (the canned query run once per model, its parameter in the first column).",
        ["model"],
        [],
    )
    if "openness-profile" not in runner.queries:
        return figure
    models = view.select("SELECT DISTINCT ?m WHERE { ?p a oaik:Project ; oaik:baseModel|oaik:derivativeModel ?m }")
    for model in sorted(r["m"].value for r in models):
        columns, found = runner.run("openness-profile", model=model)
        figure.columns = ["model", *columns]
        figure.rows.extend({"model": model, **row} for row in found)
    if not figure.rows:
        return figure
    colours = grade_colours(view)
    frameworks: dict[str, dict[tuple[str, str], dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for row in figure.rows:
        frameworks[row["frameworkLabel"]][(view.labels.get(row["model"], row["model"]), row["indexedName"])][
            row["criterionLabel"]
        ] = row["gradeLabel"]
    cell_w, cell_h = max((svg.text_width(g, 11) for g in colours), default=60) + 12, 20
    body, y, lines, width = [], 10.0, [], 0.0
    for framework in sorted(frameworks):
        grid = frameworks[framework]
        criteria = sorted({c for cells in grid.values() for c in cells})
        label_w = max(svg.text_width(f"{m} ({n})", 12) for m, n in grid) + 16
        y += 18
        body.append(svg.text(6, y, framework, 13, weight="bold"))
        head = max(svg.text_width(c, 11) for c in criteria) * 0.72 + 16
        y += head
        for j, criterion in enumerate(criteria):
            x = label_w + j * cell_w + cell_w / 2
            body.append(svg.text(x, y - 6, criterion, 11, transform=f"rotate(-45 {svg.num(x)} {svg.num(y - 6)})"))
        for (model, name), cells in sorted(grid.items()):
            body.append(svg.text(label_w - 8, y + 14, f"{model} ({name})" if name != model else model, 12, "end"))
            for j, criterion in enumerate(criteria):
                grade = cells.get(criterion, "")
                x = label_w + j * cell_w
                fill = colours.get(grade, "#ffffff")
                body.append(
                    svg.element(
                        "rect",
                        x=svg.num(x + 1),
                        y=svg.num(y + 1),
                        width=svg.num(cell_w - 2),
                        height=str(cell_h - 2),
                        fill=fill,
                        stroke="#777777",
                        class_="grade",
                        data_grade=grade,
                    )
                )
                body.append(svg.text(x + cell_w / 2, y + 14, grade or "—", 11, "middle"))
            lines.append(f"{framework}, {name}: " + ", ".join(f"{c} {cells[c]}" for c in criteria if c in cells))
            y += cell_h
        width = max(width, label_w + len(criteria) * cell_w + 20)
        y += 10
    figure.alt = "Openness grades by model and criterion: " + "; ".join(lines) + "."
    figure.svg = svg.document(width, y + 10, figure.title, figure.alt, body, figure.slug)
    return figure
