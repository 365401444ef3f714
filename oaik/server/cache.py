"""Answers to canned queries, kept while the server runs: the graph is read-only, so they never go stale."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class ResultCache:
    """Least-recently-used bodies, at most ``max_bytes`` in all and ``max_item`` each."""

    def __init__(self, max_bytes: int = 64 * 1024**2, max_item: int = 8 * 1024**2):
        self.max_bytes = max_bytes
        self.max_item = max_item
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0

    def get(self, key: Hashable) -> bytes | None:
        body = self._items.get(key)
        if body is not None:
            self._items.move_to_end(key)
        return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_item or key in self._items:
            return
        self._items[key] = body
        self._size += len(body)
        while self._size > self.max_bytes:
            _, dropped = self._items.popitem(last=False)
            self._size -= len(dropped)
