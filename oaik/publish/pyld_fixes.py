"""Two changes to pyld 3.3, installed once before it runs: one correctness fix, one memo.

- ``unresolve`` rebuilds relative IRIs with ``urlunparse``, which drops an
  empty fragment (``https://w3id.org/oaik/ns#`` became ``../ns``); such an IRI
  is now left absolute.
- ``_compact_iri`` looks for a compact IRI by trying every term of the
  context (about 200) on every IRI, which made compaction run at about 8K
  triples a second. Its answer depends only on the active context, its
  arguments and whether a value is given, except where it selects a term by
  the value (keywords, and IRIs some term maps with ``vocab``): those answers
  are remembered per context object (the memo holds the object, so its
  identity cannot be reused), for the last few contexts only.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

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


def _memoized(compact_iri):
    memos: OrderedDict[int, tuple[Any, dict]] = OrderedDict()  # id(context) -> (context, {arguments: IRI})

    def remembering(self, active_ctx, iri, value=None, vocab=False, base=None, reverse=False):
        if not isinstance(iri, str) or (value is not None and _selects_by_value(self, active_ctx, iri, vocab)):
            return compact_iri(self, active_ctx, iri, value, vocab, base, reverse)
        entry = memos.get(id(active_ctx))
        if entry is None or entry[0] is not active_ctx:
            entry = memos[id(active_ctx)] = (active_ctx, {})
            while len(memos) > CONTEXTS:
                memos.popitem(last=False)
        known = entry[1]
        key = (iri, vocab, base, reverse, value is None)
        if key not in known:
            known[key] = compact_iri(self, active_ctx, iri, value, vocab, base, reverse)
        return known[key]

    remembering.__wrapped__ = compact_iri
    return remembering


def _selects_by_value(processor, active_ctx, iri: str, vocab: bool) -> bool:
    """Whether ``_compact_iri`` picks a term by looking at the value (a keyword, or a vocabulary IRI that
    some term maps). Otherwise the value matters only by being None or not, in the prefix search."""
    from pyld import jsonld

    return jsonld._is_keyword(iri) or (vocab and iri in processor._get_inverse_context(active_ctx))
