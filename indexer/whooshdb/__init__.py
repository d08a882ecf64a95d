"""The Whoosh engine: every line of Whoosh-specific code lives in this package.

Another engine (Tantivy, OpenSearch) would provide the same functions.
"""

from .store import Entry, create, exists, manifest, open_index, owners, prepare, sync_lock, writing

__all__ = ["Entry", "create", "exists", "manifest", "open_index", "owners", "prepare", "sync_lock", "writing"]
