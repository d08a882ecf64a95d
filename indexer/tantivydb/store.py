"""Opening, reading the manifest of, and writing a Tantivy index on disk.

Tantivy's own commit is atomic (its meta.json is replaced whole), and files a
commit no longer uses are deleted at once: searchers of other processes keep
them through their memory maps, so nothing is left pending.
"""

from __future__ import annotations

import functools
import json
import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import tantivy

from corpus.record import Statement

from ..engine import Entry
from ..errors import IndexDamagedError, IndexLockedError, IndexWriteError
from ..location import META_NAME, absent, locate, located_version, settle
from .schema import ENTRY, ENTRY_SEP, TOKENIZER, build_schema, to_document

TANTIVY_META = "meta.json"
BASE_NAME = "onu-tantivy.json"  # {"base": n}: this index's commits are numbered from n
SIZES_NAME = "onu-sizes.json"  # the size, time and checksum of each file of the live segments, at the last commit
HEAP_BYTES = 256_000_000  # the writer's memory for a commit, shared by its threads
RETRIES = 10
RETRY_DELAY = 0.02
T = TypeVar("T")


@dataclass
class TantivyIndex:
    """An open Tantivy index and the folder it lives in."""

    folder: str
    index: Any  # tantivy.Index

    def searcher(self) -> Any:
        """A searcher over the latest commit."""
        self.index.reload()
        return self.index.searcher()


def damage(exc: BaseException) -> bool:
    """Whether Tantivy raised this on reading files it could not make sense of (or panicked)."""
    return isinstance(exc, (ValueError, OSError)) or type(exc).__name__ == "PanicException"


def reading(folder: str, action: Callable[[], T]) -> T:
    """Run an action that reads the index; what a damaged file makes Tantivy raise becomes
    IndexDamagedError, unless a commit or a rebuild changed the index meanwhile (then it is tried again)."""
    for attempt in range(RETRIES):
        before = located_version(folder, latest_version)
        try:
            return action()
        except BaseException as exc:
            if not (damage(exc) or isinstance(exc, IndexDamagedError)):
                raise
            if attempt == RETRIES - 1 or located_version(folder, latest_version) == before:
                if isinstance(exc, IndexDamagedError):
                    raise
                raise IndexDamagedError(folder, _first_line(exc)) from None
            time.sleep(RETRY_DELAY)
    raise AssertionError("unreachable")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


@functools.lru_cache(maxsize=1)
def schema() -> Any:
    return build_schema()


def _analyzer() -> Any:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def _opened(index: Any, folder: str) -> TantivyIndex:
    """Our handle on a Tantivy index: reloaded when we ask (no thread watching its files, which
    would write a lock file in it at any time), with the whitespace tokenizer its fields name."""
    index.config_reader(reload_policy="manual")
    index.register_tokenizer(TOKENIZER, _analyzer())
    return TantivyIndex(folder, index)


@functools.lru_cache(maxsize=1)
def _memo() -> dict:
    """One per process: the analysis of each distinct word, remembered from document to document."""
    return {}


def prepare(rec: Statement, fingerprint: str) -> dict:
    """The Tantivy document of a record, analysed; safe to compute in another process."""
    return to_document(rec, fingerprint, _memo())


def exists(index_dir: str) -> bool:
    """Whether a Tantivy index lives in the folder (its meta.json is there; it is not read)."""
    return os.path.isfile(os.path.join(index_dir, TANTIVY_META))


def create(index_dir: str, follows: str | None = None) -> TantivyIndex:
    """A new, empty index. With `follows`, the folder of the index it will replace, its commits
    are numbered after that one's, so searchers open on the old index see the new one as newer."""
    base = latest_version(follows) + 1 if follows else 0
    try:
        os.makedirs(index_dir, exist_ok=True)
        with open(os.path.join(index_dir, BASE_NAME), "w", encoding="utf-8") as handle:
            json.dump({"base": base}, handle)
        return _opened(tantivy.Index(schema(), index_dir, reuse=False), index_dir)
    except (OSError, ValueError) as exc:
        raise IndexWriteError(index_dir, str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


def latest_version(index_dir: str) -> int:
    """The number of the latest commit of the index in a folder (-1 if there is none): the
    operation stamp of Tantivy's commit, after those of the index this one replaced."""
    try:
        with open(os.path.join(index_dir, TANTIVY_META), encoding="utf-8") as handle:
            opstamp = int(json.load(handle).get("opstamp", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return -1
    try:
        with open(os.path.join(index_dir, BASE_NAME), encoding="utf-8") as handle:
            base = int(json.load(handle).get("base", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        base = 0  # lost: commits still count up from Tantivy's own
    return base + opstamp


def version(ix: TantivyIndex) -> int:
    """The number of the index's latest commit; it grows with each commit, rebuilds included."""
    return latest_version(ix.folder)


def pending_bytes(index_dir: str) -> int:
    """Nothing waits for removal: Tantivy deletes a replaced commit's files at once."""
    return 0


def open_index(index_dir: str) -> TantivyIndex:
    """Open an existing index, turning each failure into one of our errors; while a rebuild
    swaps folders, the index is read where `locate` finds it."""
    if settle(index_dir, exists, RETRIES, RETRY_DELAY) is None:
        if os.path.exists(os.path.join(index_dir, META_NAME)):  # a sync wrote here: Tantivy's file is gone
            raise IndexDamagedError(index_dir, f"{TANTIVY_META} is missing")
        raise absent(index_dir)
    def read() -> TantivyIndex:
        folder = locate(index_dir)
        check_sizes(folder)
        return _opened(tantivy.Index.open(folder), folder)
    return reading(index_dir, read)


def _live_files(folder: str) -> tuple[set[str], set[str]]:
    """The segments of the latest commit (as file names hold them), and the names of their files
    of deletions, from Tantivy's meta.json: a segment's deletions are rewritten as new files."""
    with open(os.path.join(folder, TANTIVY_META), encoding="utf-8") as handle:
        segments = json.load(handle)["segments"]
    ids = {seg["segment_id"].replace("-", "") for seg in segments}
    deletions = {f"{seg['segment_id'].replace('-', '')}.{seg['deletes']['opstamp']}.del"
                 for seg in segments if seg.get("deletes")}
    return ids, deletions


def _live(name: str, ids: set[str], deletions: set[str]) -> bool:
    return name in deletions if name.endswith(".del") else name.split(".", 1)[0] in ids


def _clear_leftovers(folder: str) -> None:
    """Delete the segment files no commit uses: those a killed writer left would be in the way of
    this one's, which may reuse their names (Tantivy then fails with FileAlreadyExists). Called with
    the writer's lock held; searches still reading older files keep them through their memory maps."""
    try:
        ids, deletions = _live_files(folder)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # what is live cannot be told: nothing is deleted
    for name in os.listdir(folder):
        head = name.split(".", 1)[0]
        if len(head) == 32 and not name.startswith(".") and not _live(name, ids, deletions):
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                continue


def note_sizes(folder: str) -> None:
    """Record the size, time and checksum of every file of the live segments: a file cut short,
    deleted or rewritten since is then told before Tantivy reads it (Tantivy takes such a file for a
    bug of its own, and panics, or on a length read from damaged bytes, aborts the whole process).
    Files recorded by the previous commit with the same size and time keep their checksum."""
    ids, deletions = _live_files(folder)
    before = _recorded(folder)
    record = {}
    for name in os.listdir(folder):
        if not _live(name, ids, deletions):
            continue
        path = os.path.join(folder, name)
        st = os.stat(path)
        size, mtime, crc = before.get(name, (None, None, None))
        same = (size, mtime) == (st.st_size, st.st_mtime_ns) and crc is not None
        record[name] = [st.st_size, st.st_mtime_ns, crc if same else checksum(path)]
    tmp = os.path.join(folder, SIZES_NAME + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
    os.replace(tmp, os.path.join(folder, SIZES_NAME))


def check_sizes(folder: str) -> None:
    """IndexDamagedError if a file of the latest commit is missing, not the size it was written with,
    or rewritten since with other bytes (its time changed: only then is its checksum read, so a
    search does not read the whole index). Files written after the record, which a crash may leave
    unrecorded, are not checked."""
    try:
        recorded = _recorded(folder, strict=True)
        ids, deletions = _live_files(folder)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return  # no record (or Tantivy's own meta.json is damaged: Tantivy says so)
    for name, (size, mtime, crc) in recorded.items():
        if not _live(name, ids, deletions):
            continue
        path = os.path.join(folder, name)
        try:
            st = os.stat(path)
        except OSError:
            raise IndexDamagedError(folder, f"{name} is missing") from None
        if st.st_size != size:
            raise IndexDamagedError(folder, f"{name} has {st.st_size} bytes, {size} were written") from None
        if crc is not None and st.st_mtime_ns != mtime and checksum(path) != crc:
            raise IndexDamagedError(folder, f"{name} was changed since it was written") from None


def _recorded(folder: str, strict: bool = False) -> dict[str, tuple[int, int | None, int | None]]:
    """name -> (size, time, checksum) of the files the last commit recorded; an index written before
    times and checksums were recorded has sizes only. Without `strict`, no readable record gives {}."""
    try:
        with open(os.path.join(folder, SIZES_NAME), encoding="utf-8") as handle:
            data = json.load(handle)
        return {name: (entry, None, None) if isinstance(entry, int) else (int(entry[0]), int(entry[1]), int(entry[2]))
                for name, entry in data.items()}
    except (OSError, ValueError, TypeError, AttributeError, IndexError):
        if strict:
            raise
        return {}


def checksum(path: str) -> int:
    """The CRC-32 of a file's bytes, read a megabyte at a time."""
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def doc_count(ix: TantivyIndex) -> int:
    """How many live documents the index holds; counting them reads what every search reads."""
    def count() -> int:
        s = ix.searcher()
        found = s.search(tantivy.Query.all_query(), 1, count=True)
        for _, address in found.hits:
            s.doc(address)
        return int(found.count)
    return reading(ix.folder, count)


def manifest(ix: TantivyIndex, paths: Iterable[str] | None = None) -> dict[str, Entry]:
    """path -> Entry for every live document, from the term dictionary of one fast field (no
    stored fields read); with `paths`, for the documents of those files only."""
    def read() -> dict[str, Entry]:
        s = ix.searcher()
        live = tantivy.Query.all_query()
        prefixes = [""] if paths is None else [p + ENTRY_SEP for p in paths]
        out = {}
        for prefix in prefixes:
            for value, n in s.terms_with_prefix(ENTRY, prefix, filter_query=live):
                if n:
                    path, doc_id, fingerprint, checksum = value.split(ENTRY_SEP)
                    out[path] = Entry(doc_id, fingerprint, checksum)
        return out
    return reading(ix.folder, read)


def owners(ix: TantivyIndex, doc_id: str, checksum: str) -> tuple[str | None, str | None]:
    """The paths of the documents with this id and with these bytes (checksum), or None."""
    def read() -> tuple[str | None, str | None]:
        s = ix.searcher()
        return _path_of(s, "id", doc_id), _path_of(s, "checksum", checksum)
    return reading(ix.folder, read)


def _path_of(s: Any, field_name: str, value: str) -> str | None:
    hits = s.search(tantivy.Query.term_query(schema(), field_name, value), 1, count=False).hits
    return s.doc(hits[0][1])["path"][0] if hits else None


class Writer:
    """A batch of additions and deletions, committed at once or not at all."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def add(self, path: str, document: dict) -> None:
        """Add or replace a prepared document (by its path and by its id)."""
        self._writer.delete_documents_by_term("path", path)
        self._writer.delete_documents_by_term("id", document["id"])
        self._writer.add_document(tantivy.Document.from_dict(document, schema()))

    def delete(self, path: str) -> None:
        """Remove the document read from a path."""
        self._writer.delete_documents_by_term("path", path)


@contextmanager
def writing(ix: TantivyIndex, index_dir: str, timeout: float) -> Iterator[Writer]:
    """Hold Tantivy's writer lock (waiting up to `timeout` s) and commit on success (then wait
    for the merges it started), roll back otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            writer = ix.index.writer(HEAP_BYTES)
            break
        except ValueError as exc:
            if "lock" not in str(exc).lower():
                raise IndexWriteError(index_dir, _first_line(exc)) from None
            if time.monotonic() >= deadline:
                raise IndexLockedError(os.path.join(ix.folder, ".tantivy-writer.lock"), timeout) from None
            time.sleep(0.05)
    try:
        _clear_leftovers(ix.folder)
        yield Writer(writer)
        writer.commit()
        writer.wait_merging_threads()
        note_sizes(ix.folder)
    except ValueError as exc:
        _rollback_quietly(writer)
        writer = None  # dropped now: Tantivy's lock goes with it, not with the traceback
        raise IndexWriteError(index_dir, _first_line(exc)) from None
    except BaseException:
        _rollback_quietly(writer)
        writer = None
        raise


def _rollback_quietly(writer: Any) -> None:
    """Give up a writer's uncommitted work, whatever state a failure left it in."""
    try:
        writer.rollback()
    except Exception:  # a writer consumed by a failed commit
        pass
