"""The Tantivy engine (the `tantivy` extra): every line of Tantivy-specific code lives in this package.

It provides the engine interface of indexer/engine.py (store functions and a searcher), with the
project's own French analysis: Tantivy receives terms, never text to analyse.
"""

from __future__ import annotations

from ..fields import Ranking
from ..location import IndexMeta, locate
from .searching import TantivySearcher
from .store import create, doc_count, exists, manifest, open_index, owners, pending_bytes, prepare, version, writing


def searcher(index_dir: str, ranking: Ranking) -> TantivySearcher:
    """A searcher over the index in a folder (checked to be there, then of this version's format)."""
    open_index(index_dir)
    IndexMeta.load(locate(index_dir)).check(index_dir)
    return TantivySearcher(index_dir, ranking)


__all__ = ["create", "doc_count", "exists", "manifest", "open_index", "owners", "pending_bytes", "prepare",
           "searcher", "version", "writing"]
