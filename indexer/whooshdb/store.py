"""Opening, reading the manifest of, and writing a Whoosh index on disk."""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import whoosh.index
from whoosh.columns import EmptyColumnReader
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.reading import EmptyReader, TermNotFound
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from corpus.record import Statement

from ..engine import Entry
from ..errors import (IndexDamagedError, IndexLockedError, IndexWriteError)
from ..location import absent, locate, located_version, settle
from .codec import OnuCodec
from .damage import check_sizes, describe, is_damage, note_sizes, verify
from .fastread import column, perdoc_lengths
from .merging import merge_policy
from .schema import DocumentAnalysis, build_schema, to_document

LOCK_NAME = "MAIN_WRITELOCK"
INDEX_NAME = "MAIN"
TOC_NAME = re.compile(r"_MAIN_(\d+)\.toc")
RETRIES = 10
GRACE_SECONDS = 60.0  # how long files of a replaced commit stay for the searches still reading them
PENDING_NAME = "onu-unused.json"
RETRY_DELAY = 0.02
# Whoosh's posting pool, by its own estimate: a commit of 1,500 documents of the unxml corpus
# takes ~350 MB (the process ~500 MB); larger commits spill sorted runs to disk, slower.
POOL_MB = 512
T = TypeVar("T")


ENTRY_COLUMNS = ("path", "id", "fingerprint", "checksum")  # the path, then Entry's fields in order



def prepare(rec: Statement, fingerprint: str) -> dict:
    """The Whoosh document of a record, analysed; safe to compute in another process."""
    return _analysis()(to_document(rec, fingerprint))


@functools.lru_cache(maxsize=1)
def _schema():
    return build_schema()


@functools.lru_cache(maxsize=1)
def _analysis() -> DocumentAnalysis:
    """One per process: it remembers the words it has analysed."""
    return DocumentAnalysis(_schema())


def doc_count(ix: whoosh.index.Index) -> int:
    """How many live documents the index holds, counted by `verify`: a sync that reports a count
    has checked that searches can read the index."""
    return retrying(ix.storage.folder, lambda: verify(ix))


def exists(index_dir: str) -> bool:
    """Whether a Whoosh index lives in the folder (a table of contents is there; it is not read)."""
    try:
        return any(TOC_NAME.fullmatch(name) for name in os.listdir(index_dir))
    except OSError:
        return False


def create(index_dir: str, follows: str | None = None) -> whoosh.index.Index:
    """A new, empty index (the folder is created as needed). With `follows`, the folder of the
    index it will replace, its commits are numbered after that one's: searchers open on the old
    index see the new one as newer (Whoosh numbers a new index from 0, and a searcher tells a
    newer index by a higher number)."""
    after = latest_version(follows) if follows else -1
    try:
        os.makedirs(index_dir, exist_ok=True)
        storage = FileStorage(index_dir)
        TOC(build_schema(), [], after + 1).write(storage, INDEX_NAME)
        return _FileIndex(storage, build_schema(), INDEX_NAME)
    except OSError as exc:
        raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None


def version(ix: whoosh.index.Index) -> int:
    """The number of the index's latest commit; it grows with each commit, rebuilds included."""
    return retrying(ix.storage.folder, ix.latest_generation)


def latest_version(index_dir: str) -> int:
    """The number of the latest commit of the index in a folder (-1 if there is none)."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return -1
    return max((int(m.group(1)) for m in map(TOC_NAME.fullmatch, names) if m), default=-1)


def pending_bytes(index_dir: str) -> int:
    """Bytes of files that replaced commits left, kept GRACE_SECONDS for the searches reading them
    and deleted by a later commit."""
    try:
        with open(os.path.join(index_dir, PENDING_NAME), encoding="utf-8") as handle:
            names = json.load(handle)
    except (OSError, ValueError):
        return 0
    total = 0
    for name in names if isinstance(names, dict) else ():
        try:
            total += os.path.getsize(os.path.join(index_dir, name))
        except (OSError, TypeError, ValueError):
            continue
    return total


def open_index(index_dir: str) -> whoosh.index.Index:
    """Open an existing index (its table of contents), turning each failure into one of our errors.

    Segments are opened by the readers that need them (`manifest`, the searcher), inside `retrying`.
    While a rebuild swaps folders, the index is read where `locate` finds it.
    """
    if settle(index_dir, exists, RETRIES, RETRY_DELAY) is None:
        raise absent(index_dir)

    def read() -> whoosh.index.Index:
        ix = open_dir(locate(index_dir))
        if set(ix.schema.names()) != set(build_schema().names()):
            raise IndexDamagedError(index_dir, "written by another version of onu-search")
        return ix
    return retrying(index_dir, read)


def open_dir(index_dir: str) -> whoosh.index.Index:
    """Whoosh's index in a folder, read as `_FileIndex` (no error on an index without documents)."""
    return FileStorage(index_dir).open_index(indexclass=_FileIndex)


class _FileIndex(FileIndex):
    """Whoosh's index, except that one without segments (nothing was ever indexed, or a
    rebuild of an empty folder) has a reader with columns, like an index of no documents,
    and that a reader is opened once: `retrying` tries again when the index changed."""

    def reader(self, reuse=None):
        """Whoosh's reader without Whoosh's own loop, which waited half a second on any missing
        file, damage included (and `retrying` ran it ten times: 4.8 s to report a damaged index),
        once the files of every segment are checked to have the sizes they were written with."""
        toc = self._read_toc()
        check_sizes(self.storage.folder, toc.segments)
        return self._reader(self.storage, toc.schema, toc.segments, toc.generation, reuse=reuse)

    @classmethod
    def _reader(cls, storage, schema, segments, generation, reuse=None):
        if not segments and reuse is None:
            return _EmptyReader(schema)
        return super()._reader(storage, schema, segments, generation, reuse)


class _EmptyReader(EmptyReader):
    """Whoosh's reader of no segments, whose columns are empty instead of NotImplementedError."""

    def column_reader(self, fieldname, column=None, reverse=False, translate=False):
        return EmptyColumnReader(None, 0)


def retrying(index_dir: str, action: Callable[[], T]) -> T:
    """Run an action that reads index files; when it fails as on a damaged file (`is_damage`: a file
    missing, bytes that make no sense), try again only if a commit or a rebuild changed the index
    meanwhile (the files it had listed were replaced): if nothing changed, the index is damaged, and
    saying so takes no longer than the failed attempt. Any other exception is a bug, raised as is."""
    for attempt in range(RETRIES):
        before = located_version(index_dir, latest_version)
        try:
            return action()
        except Exception as exc:  # what damaged files make Whoosh raise, and files replaced meanwhile
            if not is_damage(exc):
                raise
            if attempt == RETRIES - 1 or located_version(index_dir, latest_version) == before:
                raise IndexDamagedError(index_dir, describe(exc)) from None
            time.sleep(RETRY_DELAY)
    raise AssertionError("unreachable")


def opened_whole(index_dir: str, open_files: Callable[[], T], close: Callable[[T], None]) -> T:
    """Open the files of the latest commit with `open_files`, again if the index changed
    meanwhile: Whoosh takes a column whose file is missing for one with no value, so a reader
    opened across a commit or a rebuild would answer from an empty column."""
    for _ in range(RETRIES):
        before = located_version(index_dir, latest_version)
        opened = retrying(index_dir, open_files)
        if located_version(index_dir, latest_version) == before:
            return opened
        close(opened)
        time.sleep(RETRY_DELAY)
    raise IndexDamagedError(index_dir, f"the index changed during each of {RETRIES} attempts to open it")


def manifest(ix: whoosh.index.Index, paths: Iterable[str] | None = None) -> dict[str, Entry]:
    """path -> Entry for every live document, read from columns (no stored fields);
    with `paths`, for the documents of those files only (looked up one by one)."""
    def read() -> dict[str, Entry]:
        with ix.reader() as reader:
            if reader.doc_count_all() == 0:
                return {}
            if paths is not None:
                found = ((path, _first_live(reader, "path", path)) for path in paths)
                return {path: _entry(reader, n) for path, n in found if n is not None}
            # Whole columns at once: a lookup per document costs five times as much.
            columns = [list(column(reader, name, translate=False)) for name in ENTRY_COLUMNS]
            return {_text(columns[0][n]): Entry(*(_text(c[n]) for c in columns[1:]))
                    for n in reader.all_doc_ids()}
    return retrying(ix.storage.folder, read)


def owners(ix: whoosh.index.Index, doc_id: str, checksum: str) -> tuple[str | None, str | None]:
    """The paths of the documents with this id and with these bytes (checksum), or None."""
    def read() -> tuple[str | None, str | None]:
        with ix.reader() as reader:
            by_id, by_checksum = _first_live(reader, "id", doc_id), _first_live(reader, "checksum", checksum)
            paths = column(reader, "path", translate=False)
            return (None if by_id is None else _text(paths[by_id]),
                    None if by_checksum is None else _text(paths[by_checksum]))
    return retrying(ix.storage.folder, read)


def _first_live(reader, fieldname: str, value: str) -> int | None:
    """The first live document holding a term, or None."""
    try:
        m = reader.postings(fieldname, value)
    except TermNotFound:
        return None
    return m.id() if m.is_active() else None


def _entry(reader, docnum: int) -> Entry:
    return Entry(*(_text(column(reader, name, translate=False)[docnum]) for name in ENTRY_COLUMNS[1:]))


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
def writing(ix: whoosh.index.Index, index_dir: str, timeout: float) -> Iterator[Writer]:
    """Hold the write lock (waiting up to `timeout` s) and commit on success, cancel otherwise."""
    lock = ix.lock("WRITELOCK")
    try:
        acquired = try_for(lock.acquire, timeout, 0.05) if timeout > 0 else lock.acquire()
    except OSError as exc:
        raise IndexWriteError(index_dir, _why(exc)) from None
    if not acquired:
        raise IndexLockedError(os.path.join(index_dir, LOCK_NAME), timeout)
    try:
        # Segments stay as separate files: Whoosh reads a compound file's parts by
        # copying each into memory whenever a reader opens, which costs seconds.
        writer = _SegmentWriter(ix, _lk=False, limitmb=POOL_MB, compound=False, codec=OnuCodec())
    except BaseException as exc:
        lock.release()
        if isinstance(exc, OSError):
            raise IndexWriteError(index_dir, _why(exc)) from None
        raise
    writer.writelock = lock
    try:
        yield Writer(writer)
        writer.commit(mergetype=merge_policy)
    except OSError as exc:
        _cancel_quietly(writer)
        raise IndexWriteError(index_dir, _why(exc)) from None
    except BaseException:
        _cancel_quietly(writer)
        raise


class _SegmentWriter(SegmentWriter):
    """Whoosh's writer, except that the files a commit leaves unused are deleted a while later:
    a search that opened the previous commit may still be reading them."""

    def _commit_toc(self, segments) -> None:
        note_sizes(self.storage.folder, segments)
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        retire(self.storage.folder, self.indexname, self.generation, segments)

    def per_document_reader(self):
        return _Lengths(super().per_document_reader(), self.schema)

    def _merge_segments(self, mergetype, optimize, merge):
        """Whoosh's merge, which reads the segments it merges: what their damaged files raise says
        the index is damaged (an OSError stays one: writing the merged segment can fail too)."""
        try:
            return super()._merge_segments(mergetype, optimize, merge)
        except Exception as exc:
            if isinstance(exc, OSError) or not is_damage(exc):
                raise
            raise IndexDamagedError(self.storage.folder, describe(exc)) from None


class _Lengths:
    """The field lengths Whoosh's posting writer asks for, once per posting. Whoosh reads
    them a byte at a time from the file, and for a field that is not scored looks for a
    length file on disk every time (a stat per posting: a quarter of a build). Here each
    column is read once, and unscored fields answer 0 at once."""

    def __init__(self, lengths, schema) -> None:
        self._lengths = lengths
        self._scored = frozenset(name for name, field_type in schema.items() if field_type.scorable)
        self._columns: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        if fieldname not in self._scored:
            return default
        column = self._columns.get(fieldname)
        if column is None:
            column = self._columns[fieldname] = perdoc_lengths(self._lengths, fieldname)
        return column[docnum] if docnum < len(column) else default

    def __getattr__(self, name: str):
        return getattr(self._lengths, name)


def retire(folder: str, indexname: str, generation: int, segments) -> None:
    """Note the files no commit uses any more, and delete those unused for GRACE_SECONDS."""
    keep = {seg.segment_id() for seg in segments}
    toc, seg = TOC._pattern(indexname), TOC._segment_pattern(indexname)
    unused = set()
    for name in os.listdir(folder):
        toc_match, seg_match = toc.match(name), seg.match(name)
        if (toc_match and int(toc_match.group(1)) != generation) or (seg_match and seg_match.group(1) not in keep):
            unused.add(name)
    pending_path = os.path.join(folder, PENDING_NAME)
    try:
        with open(pending_path, encoding="utf-8") as handle:
            pending = {k: v for k, v in json.load(handle).items() if k in unused}
    except (OSError, ValueError, AttributeError):
        pending = {}
    now = time.time()
    for name in unused:
        since = pending.setdefault(name, now)
        if now - since >= GRACE_SECONDS:
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                continue
            del pending[name]
    tmp = pending_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(pending, handle)
    os.replace(tmp, pending_path)


def _why(exc: OSError) -> str:
    return "disk full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)


def _cancel_quietly(writer: SegmentWriter) -> None:
    """Give up a writer, whatever state a failure left it in, and free its lock."""
    try:
        writer.cancel()
    except Exception:  # a writer half-closed by a failed commit
        if writer.writelock:
            writer.writelock.release()
