"""Every knob of the library that users may set, in one place, with its default and why.

`Index(...)` and `Index.search(...)` take them as keyword arguments; the `onu` command
takes its option defaults and choices from here. Nothing heavy is imported, so that
`onu` starts fast.
"""

from __future__ import annotations

from indexer.settings import ENGINE, ENGINES, FACET_FIELDS, LOCK_TIMEOUT, SORTS, WORKERS

FACETS = tuple(FACET_FIELDS)  # the names `facets=` takes
LIMIT = 10  # hits per page: a screenful, each with its passages
MAX_LIMIT = 1000  # hits per page at most: every hit of a page is read and has its passages cut
SNIPPETS = 3  # passages per hit, the richest in matched words
SNIPPET_WIDTH = 220  # characters of a passage: about three lines of a terminal

__all__ = ["ENGINE", "ENGINES", "FACETS", "LIMIT", "LOCK_TIMEOUT", "MAX_LIMIT", "SNIPPETS", "SNIPPET_WIDTH", "SORTS",
           "WORKERS"]
