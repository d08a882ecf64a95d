"""onu-search behind the same interface as the peers, through its public API only."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from search import Index


class OnuSearch:
    """onu-search: builds from files with `indexer.sync`, adds by syncing one file, searches with `Index`."""

    name = "onu-search"

    def __init__(self, index_options: dict | None = None, engine: str = "whoosh") -> None:
        self.ix: Index | None = None
        self.index_options = dict(index_options or {})  # extra keyword arguments of Index(), e.g. ranking=
        self.engine = engine  # the engine a build uses

    def build_files(self, paths: Iterable[str], index_dir: str) -> int:
        """Index the files under `paths` (read by worker processes); return the document count."""
        from indexer.sync import sync
        report = sync([os.fspath(p) for p in paths], index_dir, engine=self.engine)
        self.open(index_dir)
        return report.documents

    def open(self, index_dir: str) -> None:
        """Open an index built earlier."""
        self.ix = Index(index_dir, **self.index_options)

    def add_file(self, path: str) -> None:
        """Index one new file (a sync of that file alone)."""
        self.ix.sync([path])

    def search_hits(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
                    session: int | None = None):
        """The full `Results` (hits with records and snippets), as the library returns them."""
        return self.ix.search(query, states=list(states or ()), session=session, limit=limit)

    def search(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
               session: int | None = None) -> list[str]:
        """Record ids, best first; `states` may be names or codes."""
        return [hit.id for hit in self.search_hits(query, limit, states, session)]

    def search_paths(self, query: str, limit: int = 10) -> list[str]:
        """File paths of the hits, best first."""
        return [hit.path for hit in self.search_hits(query, limit)]

    def close(self) -> None:
        """Release the index."""
        if self.ix is not None:
            self.ix.close()
        self.ix = None
