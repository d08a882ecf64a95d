"""The lock a sync holds, the same for every engine: one writer at a time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.util.filelock import FileLock, try_for

from .errors import IndexLockedError, IndexWriteError

SYNC_LOCK_SUFFIX = ".lock"


@contextmanager
def sync_lock(index_dir: str, timeout: float) -> Iterator[None]:
    """Held for a whole sync, so that a second one waits (up to `timeout` s), then fails clearly.
    The lock file lies beside the index folder, which a rebuild replaces (the parent must exist)."""
    path = index_dir + SYNC_LOCK_SUFFIX
    try:
        lock = FileLock(path)
        acquired = try_for(lock.acquire, timeout, 0.05) if timeout > 0 else lock.acquire()
    except OSError as exc:
        raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None
    if not acquired:
        raise IndexLockedError(path, timeout)
    try:
        yield
    finally:
        lock.release()
