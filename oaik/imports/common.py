"""Helpers the per-source readers share: slugs, URLs, quoting located values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

from oaik.imports.records import Problem, Quoted
from oaik.imports.yamlread import Document, Node


def slugify(text: str) -> str:
    """Lower-case kebab slug of ``text``, accents dropped ('Tülu 3.1' -> 'tulu-3-1', 'Command-R+' -> 'command-r-plus')."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("+", " plus ")).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_web_url(value: str) -> bool:
    if not value or any(c.isspace() for c in value) or '"' in value or "\\" in value:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def text_of(node: Node | None) -> str | None:
    """A scalar's text, stripped; None for a missing, empty or non-scalar value."""
    if node is None or isinstance(node.value, (dict, list)) or node.value is None:
        return None
    text = str(node.value).strip()
    return text or None


def quoted(doc: Document, node: Node | None) -> Quoted | None:
    text = text_of(node)
    return None if text is None or node is None else Quoted(text, node.line, doc.quote(node.line))


def urls_of(doc: Document, node: Node | None, file: str, where: str, problems: list[Problem]) -> list[Quoted]:
    """The web addresses of a value that is a URL or a list of URLs; other values become notes."""
    if node is None or node.value is None or node.value == "":
        return []
    items = node.value if isinstance(node.value, list) else [node]
    found: list[Quoted] = []
    for item in items:
        text = text_of(item)
        if text is None:
            continue
        if is_web_url(text):
            found.append(Quoted(text, item.line, doc.quote(item.line)))
        else:
            problems.append(Problem(file, item.line, f"{where}: {text!r} is not a web address; left out", False))
    return found


def other_lines(located: Iterable[Quoted | None], line: int) -> tuple[Quoted, ...]:
    """The located values not on ``line``, one per line, in line order: the further lines a claim's facts come from."""
    by_line = {q.line: q for q in located if q is not None and q.line != line}
    return tuple(by_line[n] for n in sorted(by_line))


#: The forms of a release date -> their XML Schema datatype.
_DATE_FORMS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "date"),
    (re.compile(r"\d{4}-\d{2}"), "gYearMonth"),
    (re.compile(r"\d{4}"), "gYear"),
)


def release_date_type(text: str) -> str | None:
    """The XML Schema datatype of a release date written YYYY, YYYY-MM or YYYY-MM-DD (a real date); else None."""
    import datetime

    for form, datatype in _DATE_FORMS:
        if form.fullmatch(text):
            padded = text + "-01-01"[len(text) - 4 :]
            try:
                datetime.date.fromisoformat(padded)
            except ValueError:
                return None
            return datatype
    return None
