"""The Whoosh engine: every line of Whoosh-specific code lives in this package.

It provides the engine interface of indexer/engine.py (store functions and a searcher).
"""

from __future__ import annotations

from ..fields import Ranking
from ..location import IndexMeta
from .searching import WhooshSearcher
from .store import create, doc_count, exists, manifest, open_index, owners, prepare, sync_lock, writing


def searcher(index_dir: str, ranking: Ranking) -> WhooshSearcher:
    """A searcher over the index in a folder (checked to be of this version's format)."""
    IndexMeta.load(index_dir).check(index_dir)
    return WhooshSearcher(open_index(index_dir), ranking)


__all__ = ["create", "doc_count", "exists", "manifest", "open_index", "owners", "prepare", "searcher",
           "sync_lock", "writing"]
