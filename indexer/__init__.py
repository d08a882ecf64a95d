"""Indexing: French analysis, the engine interface (engine.py), its Whoosh and Tantivy engines, and the sync.

Names are imported on first use, so that `onu` starts fast; type checkers and
editors read them from the imports below.
"""

from __future__ import annotations

from corpus.lazy import exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import (EngineMissingError, IndexAccessError, IndexDamagedError, IndexLockedError,
                         IndexMissingError, IndexPlaceError, IndexProblemError, IndexWriteError, NoSuchPathError,
                         NothingToSyncError, QueryError, QueryLimitError, SyncInterrupted, UnknownEngineError)
    from .fields import Ranking
    from .sync import SyncReport

_EXPORTS = {
    "IndexAccessError": "errors", "IndexDamagedError": "errors", "IndexLockedError": "errors",
    "IndexMissingError": "errors", "IndexPlaceError": "errors", "IndexProblemError": "errors",
    "IndexWriteError": "errors", "NoSuchPathError": "errors", "NothingToSyncError": "errors",
    "QueryError": "errors", "QueryLimitError": "errors", "SyncInterrupted": "errors",
    "EngineMissingError": "errors", "UnknownEngineError": "errors",
    "Ranking": "fields", "SyncReport": "sync",
}
__all__ = ["EngineMissingError", "IndexAccessError", "IndexDamagedError", "IndexLockedError", "IndexMissingError",
           "IndexPlaceError", "IndexProblemError", "IndexWriteError", "NoSuchPathError", "NothingToSyncError",
           "QueryError", "QueryLimitError", "Ranking", "SyncInterrupted", "SyncReport", "UnknownEngineError"]

if not TYPE_CHECKING:  # hidden from type checkers, which would take any unknown name for one of these
    __getattr__ = exports(__name__, {name: f".{module}" for name, module in _EXPORTS.items()})
