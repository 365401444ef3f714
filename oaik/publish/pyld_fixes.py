"""Two changes to pyld 3.3, installed once before it runs: one correctness fix, one memo.

- ``unresolve`` rebuilds relative IRIs with ``urlunparse``, which drops an
  empty fragment (``https://w3id.org/oaik/ns#`` became ``../ns``); such an IRI
  is now left absolute.
- ``_compact_iri`` looks for a compact IRI by trying every term of the
  context (about 200) on every IRI, which made compaction run at about 8K
  triples a second. Its answer depends only on the active context and its
  arguments when no value is given (node and type IRIs, most calls), so those
  answers are remembered per context object (the memo holds the object, so
  its identity cannot be reused), for the last few contexts only.
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
        if value is not None or not isinstance(iri, str):
            return compact_iri(self, active_ctx, iri, value, vocab, base, reverse)
        entry = memos.get(id(active_ctx))
        if entry is None or entry[0] is not active_ctx:
            entry = memos[id(active_ctx)] = (active_ctx, {})
            while len(memos) > CONTEXTS:
                memos.popitem(last=False)
        known = entry[1]
        key = (iri, vocab, base, reverse)
        if key not in known:
            known[key] = compact_iri(self, active_ctx, iri, value, vocab, base, reverse)
        return known[key]

    remembering.__wrapped__ = compact_iri
    return remembering
