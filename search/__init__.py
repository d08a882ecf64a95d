"""onu-search: full-text search over United Nations documents in French.

    from search import Index
    with Index() as ix:
        for hit in ix.search("traite des enfants", states=["Bélarus"]):
            print(hit.symbol, hit.title)

Names are imported on first use, so that `onu` starts fast.
"""

from importlib import import_module

_EXPORTS = {
    "OnuError": "corpus.errors", "ReadError": "corpus.errors", "UnknownStateError": "corpus.errors",
    "AgendaItem": "corpus.record", "Statement": "corpus.record", "StateRole": "corpus.record",
    "IndexDamagedError": "indexer.errors", "IndexLockedError": "indexer.errors",
    "IndexMissingError": "indexer.errors", "IndexWriteError": "indexer.errors", "NoSuchPathError": "indexer.errors",
    "IndexAccessError": "indexer.errors", "IndexPlaceError": "indexer.errors", "SyncInterrupted": "indexer.errors",
    "SyncReport": "indexer.sync", "Ranking": "indexer.fields",
    "Index": "search.index", "IndexStats": "search.index", "NotFoundError": "search.index",
    "QueryError": "indexer.errors", "QueryLimitError": "indexer.errors", "parse": "search.parser",
    "Hit": "search.results", "Results": "search.results", "Snippet": "search.snippets",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
