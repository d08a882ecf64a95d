"""The knobs of indexing and searching that an engine must know, with their defaults and why.

Nothing is imported here: `onu` reads its option defaults and choices from this module
(through search/settings.py) at start-up, without loading the engine.
"""

from __future__ import annotations

# The engine a new index is built with (`onu index --engine`); an index records its own.
ENGINE = "whoosh"
ENGINES = ("whoosh", "tantivy")
# Orders of hits: best first (the default for a query with words), oldest first, newest
# first (the default for filters alone, which all match equally well).
SORTS = ("relevance", "date", "-date")
# Facet names users ask for, and the filter field each counts.
FACET_FIELDS = {"state": "states", "session": "session", "organ": "organ", "agenda": "agenda_num",
                "year": "year", "type": "doc_type"}
# Seconds a second writer waits for the first before saying the index is locked: long enough
# for a small sync to finish, short enough that a long one is reported rather than waited out.
LOCK_TIMEOUT = 10.0
# Processes that read and analyse files during a sync; None: one per core (reading is CPU-bound,
# and fewer than pipeline.PARALLEL_MIN files are read in-process whatever this says).
WORKERS: int | None = None
