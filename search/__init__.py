"""onu-search: full-text search over United Nations documents in French.

    from search import Index
    with Index() as ix:
        for hit in ix.search("traite des enfants", states=["Bélarus"]):
            print(hit.symbol, hit.title)

Names are imported on first use, so that `onu` starts fast; type checkers and
editors read them from the imports below. Every error the library raises on
purpose is an `OnuError`.
"""

from __future__ import annotations

from corpus.lazy import exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.errors import OnuError, ReadError, UnknownStateError
    from corpus.record import AgendaItem, Statement, StateRole
    from indexer.errors import (EngineMissingError, IndexAccessError, IndexDamagedError, IndexLockedError,
                                IndexMissingError, IndexPlaceError, IndexProblemError, IndexWriteError,
                                NoSuchPathError, QueryError, QueryLimitError, SyncInterrupted, UnknownEngineError)
    from indexer.fields import Ranking
    from indexer.sync import SyncReport
    from search.errors import NotFoundError
    from search.index import Index, IndexStats
    from search.parser import parse
    from search.results import Hit, Results
    from search.snippets import Snippet

_EXPORTS = {
    "OnuError": "corpus.errors", "ReadError": "corpus.errors", "UnknownStateError": "corpus.errors",
    "AgendaItem": "corpus.record", "Statement": "corpus.record", "StateRole": "corpus.record",
    "IndexDamagedError": "indexer.errors", "IndexLockedError": "indexer.errors",
    "IndexMissingError": "indexer.errors", "IndexWriteError": "indexer.errors", "NoSuchPathError": "indexer.errors",
    "IndexAccessError": "indexer.errors", "IndexPlaceError": "indexer.errors", "IndexProblemError": "indexer.errors",
    "SyncInterrupted": "indexer.errors", "QueryError": "indexer.errors", "QueryLimitError": "indexer.errors",
    "EngineMissingError": "indexer.errors", "UnknownEngineError": "indexer.errors",
    "SyncReport": "indexer.sync", "Ranking": "indexer.fields",
    "Index": "search.index", "IndexStats": "search.index", "NotFoundError": "search.errors",
    "parse": "search.parser", "Hit": "search.results", "Results": "search.results", "Snippet": "search.snippets",
}
__all__ = ["AgendaItem", "EngineMissingError", "Hit", "Index", "IndexAccessError", "IndexDamagedError",
           "IndexLockedError", "IndexMissingError", "IndexPlaceError", "IndexProblemError", "IndexStats",
           "IndexWriteError", "NoSuchPathError", "NotFoundError", "OnuError", "QueryError", "QueryLimitError",
           "Ranking", "ReadError", "Results", "Snippet", "StateRole", "Statement", "SyncInterrupted", "SyncReport",
           "UnknownEngineError", "UnknownStateError", "parse"]

if not TYPE_CHECKING:  # hidden from type checkers, which would take any unknown name for one of these
    __getattr__ = exports(__name__, _EXPORTS)
