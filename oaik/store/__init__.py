"""Files to graph: parsing Turtle, the persistent store, and which file defines which node.

The API other modules use (see docs/store.md):

- :func:`open_store` — the up-to-date store of the shipped graph (or of given
  folders/files), one named graph per source file and their merge as the
  default graph, which queries read (or through :func:`query`);
- :func:`update_store` — the same, reporting which files were parsed, removed
  or failed (:class:`StoreUpdate`);
- :func:`graph_name` / :func:`graph_path` — a source file's named graph and back;
- :func:`files_defining` — the files that type given nodes;
- :func:`close_store` — release this process's hold on a store.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:  # the names below are imported lazily (pyoxigraph is not needed to import oaik.store)
    from typing import Any

    from oaik.store.persistent import (
        StoreUpdate,
        close_store,
        files_defining,
        graph_name,
        graph_path,
        open_store,
        query,
        source_files,
        store_location,
        update_store,
    )

__all__ = [
    "StoreUpdate",
    "close_store",
    "files_defining",
    "graph_name",
    "graph_path",
    "open_store",
    "query",
    "source_files",
    "store_location",
    "update_store",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from oaik.store import persistent

        return getattr(persistent, name)
    raise AttributeError(name)
