"""onu-search: full-text search over United Nations documents in French.

    from search import Index
    with Index() as ix:
        for hit in ix.search("traite des enfants", states=["Bélarus"]):
            print(hit.symbol, hit.title)
"""

from corpus.errors import OnuError, ReadError, UnknownStateError
from corpus.record import AgendaItem, Statement, StateRole
from indexer.errors import IndexDamagedError, IndexLockedError, IndexMissingError, IndexWriteError
from indexer.sync import SyncReport

from .index import Index, IndexStats, NotFoundError
from .parser import QueryError, parse
from .results import Hit, Results
from .snippets import Snippet

__all__ = [
    "AgendaItem", "Hit", "Index", "IndexDamagedError", "IndexLockedError", "IndexMissingError",
    "IndexStats", "IndexWriteError", "NotFoundError", "OnuError", "QueryError", "ReadError", "Results",
    "Snippet", "Statement", "StateRole", "SyncReport", "UnknownStateError", "parse",
]
