"""Jinja2 environment and the link helper that turns RDF terms into HTML, relative to a page."""

from __future__ import annotations

import json
from functools import lru_cache

import pyoxigraph as ox
from markupsafe import Markup, escape

from oaik.publish.site.graphview import GraphView
from oaik.publish.site.urls import page_path, relative

XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"
#: Blank nodes shown inside a blank node's one-line rendering, nested at most this deep.
INLINE_DEPTH = 3
_EXTERNAL = ("http://", "https://")
#: The caption of an evidence record: its values of these properties, each after its text.
EVIDENCE_CAPTION = (
    ("section", "Section "),
    ("source", " of "),
    ("interviewee", "; interviewee "),
    ("claimStatus", "; "),
)
#: Site files every page links to (icon, style sheet, the header's menu): their links are worked out once per folder.
CHROME = (
    "static/favicon.svg",
    "static/site.css",
    "index.html",
    "browse/project.html",
    "browse/org.html",
    "browse/model.html",
    "vocab/onramp.html",
    "figures/index.html",
    "ns.html",
    "downloads.html",
    "query.html",
)


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("oaik.publish.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates ship with the package; no stat() per page
    )
    env.filters["json_script"] = json_script
    return env


def json_script(document: object) -> Markup:
    """JSON for a <script> element: sorted keys; <, > and & as \\u escapes, so data can never end the element."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Linker:
    """Render terms as HTML for one page: links to pages relative to it, external links, literals."""

    def __init__(self, view: GraphView, page: str, pages: frozenset[str], known: dict | None = None):
        self.view = view
        self.page = page
        self.pages = pages
        self.folder = page.rpartition("/")[0]
        self.chrome = _chrome(self.folder)
        # (IRI, text) -> its link, for the pages of this folder; shared by the pages of a build
        self.known = ({} if known is None else known).setdefault(self.folder, {})

    def href(self, target: str) -> str:
        """A site file, relative to this page."""
        return relative(self.page, target)

    def page_of(self, iri: str) -> str | None:
        path = page_path(iri)
        return path if path in self.pages else None

    def __call__(self, term, text: str | None = None) -> Markup:
        if isinstance(term, ox.NamedNode):
            term = term.value
        if isinstance(term, str):
            made = self.known.get((term, text))
            if made is None:
                label = text if text is not None else self.view.label(ox.NamedNode(term))
                made = self.known[term, text] = self._link(term, label)
            return made
        if isinstance(term, ox.Literal):
            if term.datatype.value == XSD_ANYURI and term.value.startswith(_EXTERNAL):
                return Markup('<a href="{0}" rel="external">{0}</a>').format(term.value)
            if term.language and term.language != "en":
                return Markup('<span lang="{}">{}</span>').format(term.language, term.value)
            return escape(term.value)
        return self.inline(term)

    def _link(self, iri: str, label: str) -> Markup:
        target = self.page_of(iri)
        if target is not None:
            return Markup(f'<a href="{escape(self.href(target))}">{escape(label)}</a>')
        if iri.startswith(_EXTERNAL):
            return Markup(f'<a href="{escape(iri)}" rel="external">{escape(label)}</a>')
        return escape(label)

    def values(self, items) -> Markup:
        """Terms as HTML, separated by commas."""
        return Markup(self._joined(items))

    def _joined(self, items) -> str:
        """The HTML of :meth:`values` as a plain string, for the HTML built here (no Markup made to be unwrapped)."""
        return ", ".join([self(item) for item in items])  # each item is Markup: no escaping to do

    def facts(self, groups) -> Markup:
        """Property groups as a definition list: the property, then its values."""
        if not groups:
            return Markup("")
        rows = "".join(f"<dt>{self(g.predicate, g.label)}</dt>\n<dd>{self._joined(g.values)}</dd>\n" for g in groups)
        return Markup(f'<dl class="facts">\n{rows}</dl>\n')

    def claim(self, card: dict) -> Markup:
        """A claim card (:meth:`.Entities.claim`): its kinds, facts, the claims it conflicts with, its evidence."""
        conflicts = card["conflicts"]
        flag = ' <span class="flag">⚠ conflicts with another claim</span>' if conflicts else ""
        listed = f"<p>Conflicts with: {self._joined(conflicts)}</p>" if conflicts else ""
        return Markup(
            f'<article class="card claim">\n<h4>{self(card["iri"])}{flag}</h4>\n'
            f'<p class="kind">{self._joined(card["types"])}</p>\n{self.facts(card["facts"])}\n'
            f"{listed}{self.evidence(card['evidence'])}\n</article>\n"
        )

    def evidence(self, records: list[dict]) -> Markup:
        """Evidence records (:meth:`.Entities.evidence_record`) as figures: quotes, a caption, the record's link."""
        return Markup("".join(map(self._evidence, records)))

    def _evidence(self, record: dict) -> str:
        quotes = "".join(f"<blockquote>{self(q)}</blockquote>\n" for q in record.get("quote", ()))
        caption = "".join(f"{text}{self._joined(record[key])}" for key, text in EVIDENCE_CAPTION if key in record)
        note = record.get("curatorNote")
        note_html = f'<br><span class="note">Curator\'s note: {self._joined(note)}</span>' if note else ""
        return (
            f'<figure class="evidence">\n{quotes}<figcaption>\n{caption} — {self(record["iri"], "evidence record")}\n'
            f"{note_html}</figcaption>\n</figure>\n"
        )

    def inline(self, node: ox.BlankNode, depth: int = 0) -> Markup:
        """A blank node (e.g. a participation) as 'property value; ...' on one line; blank values inside it
        in brackets, down to :data:`INLINE_DEPTH` levels (then '[…]': a nesting may be deep, or a cycle)."""
        parts = []
        for predicate, obj in self.view.outgoing(node):
            if predicate.value.endswith("#type"):
                continue
            if isinstance(obj, ox.BlankNode):
                value = Markup("[{}]").format(self.inline(obj, depth + 1) if depth < INLINE_DEPTH else "…")
            else:
                value = self(obj)
            parts.append(Markup("{} {}").format(self.view.label(predicate), value))
        return Markup("; ").join(parts) if parts else escape("(empty node)")


@lru_cache(maxsize=256)
def _chrome(folder: str) -> dict[str, str]:
    """The links from a page in ``folder`` to the files of CHROME."""
    page = f"{folder}/page.html" if folder else "page.html"
    return {target: relative(page, target) for target in CHROME}
