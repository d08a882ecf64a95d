"""Errors about the index itself, and about queries and syncs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from corpus.errors import OnuError


class IndexProblemError(OnuError):
    """Base class of the errors about the index itself: missing, misplaced, locked, damaged, unreadable, unwritable."""


class IndexMissingError(IndexProblemError):
    """No index at the given place."""

    def __init__(self, index_dir: str) -> None:
        super().__init__(f"no index at {index_dir}; build one with: onu index PATH")


class IndexPlaceError(IndexProblemError):
    """No index can be kept where it is asked for: a file stands in the way, or no folder can be made there."""

    def __init__(self, index_dir: str, why: str) -> None:
        super().__init__(f"no index can be at {index_dir} ({why}); "
                         f"choose another folder with --index DIR or set ONU_SEARCH_INDEX")


class IndexLockedError(IndexProblemError):
    """Another process holds the index's write lock for longer than we wait."""

    def __init__(self, lock_path: str, waited: float) -> None:
        super().__init__(f"the index is locked by another writer ({lock_path}); waited {waited:g} s, try again later")


class IndexDamagedError(IndexProblemError):
    """The index is unreadable, or was written by another version."""

    def __init__(self, index_dir: str, why: str, paths_known: bool = True) -> None:
        command = "onu index --rebuild" if paths_known else "onu index --rebuild PATH"
        super().__init__(f"the index at {index_dir} cannot be read ({why}); rebuild it with: {command}")


class IndexAccessError(IndexProblemError):
    """The index belongs to another user, who did not let others read it."""

    def __init__(self, path: str) -> None:
        super().__init__(f"cannot read {path} (permission denied); the index belongs to a user who "
                         "did not share it: use your own (--index or ONU_SEARCH_INDEX)")


class IndexWriteError(IndexProblemError):
    """Writing failed (disk full, read-only folder); the previous index is intact."""

    def __init__(self, index_dir: str, why: str) -> None:
        super().__init__(f"could not write the index at {index_dir} ({why}); the previous index is intact")


class NothingToSyncError(IndexProblemError):
    """No paths were given and the index remembers none."""

    def __init__(self, index_dir: str, exists: bool) -> None:
        if exists:
            super().__init__(f"the index at {index_dir} remembers no folders; name them: onu index --rebuild PATH")
        else:
            super().__init__(f"no index at {index_dir}; build one with: onu index PATH")


class SyncInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sync; the message says what the index holds now. A KeyboardInterrupt,
    so that code stopping on Ctrl-C still stops; not an OnuError, and not named ...Error:
    like KeyboardInterrupt, it is the user's decision, not something that went wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QueryError(OnuError):
    """A query that cannot be parsed or run; the message says where and why."""

    def __init__(self, message: str, position: int | None = None) -> None:
        where = f" (at character {position + 1})" if position is not None else ""
        super().__init__(f"{message}{where}")
        self.position = position


class QueryLimitError(QueryError):
    """A query past one of the limits on what a query may cost (words, phrases, slop, numbers,
    words a prefix stands for); the message names the limit."""


class NoSuchPathError(OnuError):
    """Files or folders named for a sync do not exist; nothing was read, written or remembered."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(f"no such file or folder: {', '.join(paths)}")
        self.paths = paths


# Their names before they were named ...Error, for code that still imports them.
IndexProblem = IndexProblemError
NothingToSync = NothingToSyncError


class EngineMissingError(OnuError):
    """The engine an index was built with, or that was asked for, is not installed."""

    def __init__(self, engine: str, extra: str) -> None:
        super().__init__(f"the {engine} engine is not installed; install it with: pip install 'onu-search[{extra}]'")


class UnknownEngineError(OnuError):
    """An engine name that is not one of ours."""

    def __init__(self, engine: str, known: list[str]) -> None:
        super().__init__(f"no engine named {engine!r}; choose one of: {', '.join(known)}")


def reporting_damage(is_damage: Callable[[BaseException], bool]) -> Callable[[Callable], Callable]:
    """A decorator for a searcher's methods (the searcher has a `folder`): what `is_damage` says a
    damaged index makes the engine raise becomes IndexDamagedError; other exceptions are bugs, and
    go through unchanged."""
    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except BaseException as exc:
                if not is_damage(exc):
                    raise
                raise IndexDamagedError(self.folder, f"{type(exc).__name__}: {str(exc)[:200]}") from None
        return wrapper
    return decorate
