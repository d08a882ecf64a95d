"""Opening, reading the manifest of, and writing a Whoosh index on disk."""

from __future__ import annotations

import errno
import functools
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import whoosh.index
from whoosh.util.filelock import FileLock, try_for
from whoosh.writing import SegmentWriter

from corpus.record import Statement

from ..errors import IndexDamagedError, IndexLockedError, IndexMissingError, IndexWriteError
from .schema import analyze, build_schema, to_document

LOCK_NAME = "MAIN_WRITELOCK"
# Segments stay as separate files: Whoosh reads a compound file's parts by
# copying each into memory whenever a reader opens, which costs seconds.
SYNC_LOCK_NAME = "ONU_SYNC.lock"


@dataclass(frozen=True)
class Entry:
    """What the index knows of one file: the document id, the file's fingerprint and checksum."""

    id: str
    fingerprint: str
    checksum: str


def prepare(rec: Statement, fingerprint: str) -> dict:
    """The Whoosh document of a record, analysed; safe to compute in another process."""
    return analyze(to_document(rec, fingerprint), _schema())


@functools.lru_cache(maxsize=1)
def _schema():
    return build_schema()


def exists(index_dir: str) -> bool:
    """Whether a Whoosh index lives in the folder."""
    return os.path.isdir(index_dir) and whoosh.index.exists_in(index_dir)


def create(index_dir: str) -> whoosh.index.Index:
    """A new, empty index (the folder is created as needed)."""
    try:
        os.makedirs(index_dir, exist_ok=True)
        return whoosh.index.create_in(index_dir, build_schema())
    except OSError as exc:
        raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None


def open_index(index_dir: str) -> whoosh.index.Index:
    """Open an existing index, turning every failure into one of our errors."""
    if not exists(index_dir):
        raise IndexMissingError(index_dir)
    try:
        ix = whoosh.index.open_dir(index_dir)
    except Exception as exc:  # Whoosh raises many types on damaged files
        raise IndexDamagedError(index_dir, f"{type(exc).__name__}: {exc}") from None
    if set(ix.schema.names()) != set(build_schema().names()):
        raise IndexDamagedError(index_dir, "written by another version of onu-search")
    return ix


def manifest(ix: whoosh.index.Index) -> dict[str, Entry]:
    """path -> Entry for every live document, read from columns (no stored fields)."""
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}
        paths = reader.column_reader("path")
        ids = reader.column_reader("id")
        prints = reader.column_reader("fingerprint")
        sums = reader.column_reader("checksum")
        return {_text(paths[n]): Entry(_text(ids[n]), _text(prints[n]), _text(sums[n]))
                for n in reader.all_doc_ids()}


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class Writer:
    """A batch of additions and deletions, committed at once or not at all."""

    def __init__(self, writer: SegmentWriter) -> None:
        self._writer = writer

    def add(self, path: str, document: dict) -> None:
        """Add or replace a prepared document (by its path and by its id)."""
        self._writer.delete_by_term("path", path)
        self._writer.update_document(**document)

    def delete(self, path: str) -> None:
        """Remove the document read from a path."""
        self._writer.delete_by_term("path", path)


@contextmanager
def sync_lock(index_dir: str, timeout: float) -> Iterator[None]:
    """Held for a whole sync, so that a second one waits (up to `timeout` s), then fails clearly."""
    path = os.path.join(index_dir, SYNC_LOCK_NAME)
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


@contextmanager
def writing(ix: whoosh.index.Index, index_dir: str, timeout: float) -> Iterator[Writer]:
    """Hold the write lock (waiting up to `timeout` s) and commit on success, cancel otherwise."""
    start = time.monotonic()
    try:
        writer = ix.writer(timeout=timeout, delay=0.05, limitmb=256, compound=False)
    except whoosh.index.LockError:
        raise IndexLockedError(os.path.join(index_dir, LOCK_NAME), round(time.monotonic() - start, 1)) from None
    except OSError as exc:
        raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None
    try:
        yield Writer(writer)
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit()
    except OSError as exc:
        _cancel_quietly(writer)
        why = "disk full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise IndexWriteError(index_dir, why) from None


def _cancel_quietly(writer: SegmentWriter) -> None:
    try:
        writer.cancel()
    except Exception:  # the writer may be half-closed after a failed commit
        if writer.writelock:
            writer.writelock.release()
