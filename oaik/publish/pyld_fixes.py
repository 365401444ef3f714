"""Two changes to pyld 3.3, installed once before it runs: one correctness fix, one memo.

- ``unresolve`` rebuilds relative IRIs with ``urlunparse``, which drops an
  empty fragment (``https://w3id.org/oaik/ns#`` became ``../ns``); such an IRI
  is now left absolute.
- ``_compact_iri`` looks for a compact IRI by trying every term of the
  context (about 200) on every IRI, which made compaction run at about 8K
  triples a second. Its answer depends only on the active context, its
  arguments and whether a value is given, except where it selects a term by
  the value (keywords, and IRIs some term maps with ``vocab``). There it
  reads only the value's shape (:func:`_value_shape`: which keywords it has,
  its language, direction and datatype, and for a node whether its ``@id``
  compacts to a term), so the answer is remembered per shape; keywords and
  values of other shapes (lists, graphs, indexed or preserved values) are
  not remembered. Answers are remembered per context object (the memo holds
  the object, so its identity cannot be reused), for the last few contexts.
- Where an answer is not remembered yet, the compact-IRI search still loops
  over every term (about 400) in Python. ``_compact_iri`` now gets a copy of
  the context whose term definitions iterate over only the terms that search
  can use for this IRI: those whose IRI starts this one, and those that,
  followed by ``:``, start it. Every other term fails the search's own tests,
  so the answer is the same; lookups by term still see every definition.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

#: Memos are kept for this many active contexts (a compaction uses a few); older ones are dropped whole.
CONTEXTS = 16


def install() -> None:
    """Apply both changes to pyld (idempotent)."""
    from pyld import jsonld

    if getattr(jsonld, "oaik_fixes", False):
        return
    jsonld.unresolve = _keeping_empty_fragments(jsonld.unresolve)
    jsonld.JsonLdProcessor._compact_iri = _memoized(jsonld.JsonLdProcessor._compact_iri)
    jsonld.oaik_fixes = True


def _keeping_empty_fragments(unresolve):
    def keeping(absolute_iri: str, base_iri: str) -> str:
        if absolute_iri.endswith(("#", "?")):
            return absolute_iri
        return unresolve(absolute_iri, base_iri)

    return keeping


#: In the narrowed copy of an active context: the context it was copied from.
_ORIGINAL = "_oaik_original"


@dataclass
class _Memo:
    """What is remembered for one active context."""

    context: dict
    answers: dict = field(default_factory=dict)  # (iri, vocab, base, reverse, value shape) -> compact IRI
    terms: _Terms | None = None  # its terms indexed for the compact-IRI search, once needed


def _memoized(compact_iri):
    memos: OrderedDict[int, _Memo] = OrderedDict()  # id(context) -> memo; the memo holds the context

    def remembering(self, active_ctx, iri, value=None, vocab=False, base=None, reverse=False):
        context = active_ctx.get(_ORIGINAL, active_ctx)  # a nested call gets the narrowed copy
        memo = memos.get(id(context))
        if memo is None or memo.context is not context:
            memo = memos[id(context)] = _Memo(context)
            while len(memos) > CONTEXTS:
                memos.popitem(last=False)
        if not isinstance(iri, str) or (value is not None and _is_keyword(iri)):
            return compact_iri(self, context, iri, value, vocab, base, reverse)
        shape: object = value is None  # elsewhere the value matters only by being None or not
        if value is not None and vocab and iri in self._get_inverse_context(context):  # term selection
            shape = _value_shape(self, context, value)
            if shape is None:
                return compact_iri(self, context, iri, value, vocab, base, reverse)
        key = (iri, vocab, base, reverse, shape)
        if key not in memo.answers:
            memo.answers[key] = compact_iri(self, _narrowed(self, memo, iri), iri, value, vocab, base, reverse)
        return memo.answers[key]

    remembering.__wrapped__ = compact_iri
    return remembering


class _Definitions(dict):
    """A context's term definitions, all of them, whose ``items()`` yields only the terms given."""

    def __init__(self, definitions: dict, items: list):
        super().__init__(definitions)
        self._items = items

    def items(self):  # a list is all the compact-IRI search needs (it only iterates)
        return self._items


class _Terms:
    """A context's terms indexed for the compact-IRI search: by the IRI each maps, and by length of that IRI."""

    def __init__(self, definitions: dict):
        self.order = {term: position for position, term in enumerate(definitions)}
        self.by_iri: dict[str, list[str]] = {}
        for term, definition in definitions.items():
            mapped = definition.get("@id") if isinstance(definition, dict) else None
            if isinstance(mapped, str) and mapped:
                self.by_iri.setdefault(mapped, []).append(term)
        self.lengths = sorted({len(mapped) for mapped in self.by_iri})

    def usable(self, iri: str) -> list[str]:
        """The terms whose IRI starts ``iri``, and those that followed by a colon start it, in context order."""
        found: set[str] = set()
        for length in self.lengths:
            if length > len(iri):
                break
            found.update(self.by_iri.get(iri[:length], ()))
        colon = iri.find(":")
        while colon != -1:
            if iri[:colon] in self.order:
                found.add(iri[:colon])
            colon = iri.find(":", colon + 1)
        return sorted(found, key=self.order.__getitem__)


def _narrowed(processor, memo: _Memo, iri: str) -> dict:
    """A copy of the memo's context whose term definitions iterate over only the terms usable for ``iri``."""
    context = memo.context
    processor._get_inverse_context(context)  # built (and cached) from every term, never from a narrowed copy
    if memo.terms is None:
        memo.terms = _Terms(context["mappings"])
    definitions = context["mappings"]
    narrowed = dict(context)
    narrowed["mappings"] = _Definitions(definitions, [(t, definitions[t]) for t in memo.terms.usable(iri)])
    narrowed[_ORIGINAL] = context
    return narrowed


#: Keywords whose presence sends term selection down paths :func:`_value_shape` does not cover.
_UNCOVERED = frozenset({"@list", "@graph", "@preserve", "@index", "@set"})
_VALUE_KEYS = frozenset({"@value", "@language", "@type", "@direction"})


def _value_shape(processor, active_ctx, value) -> tuple | None:
    """What of ``value`` pyld's term selection reads (``_compact_iri``, ``_select_term``), or None for
    values of other shapes.

    A value object: its keywords, language, direction and datatype (never the
    literal itself). A node: whether it has an ``@id``, and whether that
    ``@id`` compacts to a term mapping exactly it (``_select_term`` then
    prefers ``@vocab`` to ``@id``).
    """
    if not isinstance(value, dict) or not _UNCOVERED.isdisjoint(value):
        return None
    keys = frozenset(value)
    if "@value" in value:
        if not keys <= _VALUE_KEYS:
            return None
        return ("value", keys, value.get("@language"), value.get("@direction"), value.get("@type"))
    if "@id" not in value:
        return ("node", False, False)
    node = value["@id"]
    term = processor._compact_iri(active_ctx, node, None, vocab=True)
    mapping = active_ctx["mappings"].get(term)
    return ("node", True, bool(term is not None and mapping and mapping["@id"] == node))


def _is_keyword(iri: str) -> bool:
    from pyld import jsonld

    return jsonld._is_keyword(iri)
