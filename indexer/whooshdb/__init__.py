"""The Whoosh engine: every line of Whoosh-specific code lives in this package.

It provides the engine interface of indexer/engine.py (store functions and a searcher).
"""

from __future__ import annotations

from ..fields import Ranking
from ..location import IndexMeta, locate
from .searching import WhooshSearcher
from .store import create, doc_count, exists, manifest, open_index, owners, pending_bytes, prepare, version, writing


def searcher(index_dir: str, ranking: Ranking) -> WhooshSearcher:
    """A searcher over the index in a folder (checked to be there, then of this version's format)."""
    open_index(index_dir)  # fails now, clearly, if there is no index or it is not ours
    IndexMeta.load(locate(index_dir)).check(index_dir)
    return WhooshSearcher(index_dir, ranking)


__all__ = ["create", "doc_count", "exists", "manifest", "open_index", "owners", "pending_bytes", "prepare",
           "searcher", "version", "writing"]
