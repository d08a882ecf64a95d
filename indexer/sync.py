"""Keeping the index equal to the files: add new, re-read changed, drop vanished."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from corpus.scanning import (DUPLICATE, UNREADABLE, WARNING, Deduplicator, Folders, Skipped, admit, format_rank,
                             iter_files, printable)
from corpus.wording import plural

from corpus.errors import OnuError

from .engine import Engine, Entry, Writer, engine_of, load
from .errors import NoSuchPathError, NothingToSyncError, SyncInterrupted
from .location import META_NAME, IndexMeta, default_index_dir, make_folder, recover, replace
from .locking import sync_lock
from .pipeline import Prepared, prepare_all
from .settings import LOCK_TIMEOUT, WORKERS

Progress = Callable[[int, int, str], None]
BATCH = 1500  # documents in the first commits; later ones take a third of what is written


@dataclass
class SyncReport:
    """What a sync did; lists hold file paths. `committed` counts the changes written so far
    (all of them once the sync is done), `notes` what was found wrong with the index itself."""

    index_dir: str
    roots: list[str]
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[Skipped] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0
    committed: int = 0
    notes: list[str] = field(default_factory=list)
    engine: str = ""  # the engine of the index

    @property
    def changed(self) -> bool:
        """Whether the index was written."""
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One line for people."""
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{self.unchanged} unchanged, {len(self.skipped)} skipped; "
                f"{plural(self.documents, 'document')} in the {self.engine} index ({self.seconds:.1f} s)")


@dataclass
class _Plan:
    """Files to read (with their fingerprints) and indexed paths to drop; the files lie `within` those folders."""

    todo: list[tuple[str, str]]
    gone: list[str]
    dedup: Deduplicator
    within: Folders


def fingerprint(path: str) -> str:
    """Size and modification time: the fast test of whether a file changed."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}"


def sync(paths: Iterable[str | os.PathLike[str]] | None = None, index_dir: str | None = None, *,
         rebuild: bool = False, lock_timeout: float = LOCK_TIMEOUT,
         progress: Progress | None = None, workers: int | None = WORKERS, engine: str | None = None) -> SyncReport:
    """Bring the index at `index_dir` in line with the files under `paths`.

    Without paths, the folders of earlier runs are synced again; a path that does
    not exist is an error (NoSuchPathError) before anything is written or
    remembered. Each commit is whole, and every document is either in its old or
    its new state, so a run that fails or is killed loses nothing; the next run
    finishes the work. A rebuild is written beside the index and replaces it only
    when complete. Files are read and analysed by `workers` processes (default:
    one per core). A new index is built with `engine` (default: $ONU_SEARCH_ENGINE, else
    settings.ENGINE); an existing one keeps the engine it was built with, and naming another
    rebuilds it.
    """
    started = time.monotonic()
    given = [os.path.abspath(os.fspath(p)) for p in paths or ()]
    missing = [printable(p) for p in given if not os.path.exists(p)]
    if missing:
        raise NoSuchPathError(missing)
    if engine is not None:
        load(engine)  # an unknown or missing engine is an error before anything is locked or written
    index_dir = os.path.abspath(index_dir or default_index_dir())
    make_folder(os.path.dirname(index_dir), index_dir)
    with sync_lock(index_dir, lock_timeout):
        recover(index_dir)
        make_folder(index_dir)
        meta = IndexMeta.load(index_dir)
        meta.engine = engine_of(index_dir)  # as it says, or as its files say when it is damaged
        present = _present(index_dir, meta)
        # An index keeps its engine, even one whose files are damaged (engine_of: the default for none).
        name = engine or meta.engine
        switching = present and name != meta.engine
        # A change of engine rebuilds every folder of the index, not only those named now.
        roots = list(dict.fromkeys([*meta.roots, *given])) if switching else given or list(meta.roots)
        if not roots:
            raise NothingToSyncError(index_dir, present)
        report = SyncReport(index_dir, roots, engine=name)
        if switching:
            rebuild = True
            report.notes.append(f"the index was built with the {meta.engine} engine: rebuilt with {name}")
        chosen = load(name)
        target, ix, meta = _target(chosen, name, index_dir, meta, present, roots, rebuild,
                                   bool(given) and not switching, report)
        rebuilding = target != index_dir
        try:
            _update(chosen, name, ix, target, roots, report, lock_timeout, progress, workers)
            meta.remember(roots)
            meta.version = chosen.version(ix)
            meta.save(target)
            report.documents = chosen.doc_count(ix)
            if rebuilding:
                replace(index_dir, target)
        except KeyboardInterrupt:
            raise SyncInterrupted(_interrupted(report, rebuilding)) from None
        finally:
            if rebuilding:  # gone once swapped in; otherwise abandoned
                shutil.rmtree(target, ignore_errors=True)
    report.warnings = [s for s in report.skipped if s.kind == WARNING]
    report.skipped = [s for s in report.skipped if s.kind != WARNING]
    report.seconds = time.monotonic() - started
    return report


def _present(index_dir: str, meta: IndexMeta) -> bool:
    """Whether an index is in the folder, built by the engine its metadata names (whose files
    are taken to be there when that engine is not installed: the folder is not written over)."""
    try:
        return load(meta.engine).exists(index_dir)
    except OnuError:
        return os.path.exists(os.path.join(index_dir, META_NAME))


def _target(engine: Engine, name: str, index_dir: str, meta: IndexMeta, present: bool, roots: list[str],
            rebuild: bool, named: bool, report: SyncReport) -> tuple[str, Any, IndexMeta]:
    """The folder to write (the index, or beside it for a rebuild), its index and metadata.

    The roots of a run that writes the index in place are remembered at once, so that
    `onu index` alone finishes a run that was interrupted.
    """
    if rebuild or not present:
        target = index_dir + ".new" if present else index_dir
        meta = IndexMeta(roots=[] if named else roots, engine=name)
        ix = engine.create(target, follows=index_dir if target != index_dir else None)
    else:
        meta.check(index_dir)
        target, ix = index_dir, engine.open_index(index_dir)
        report.notes += _rolled_back(engine.version(ix), meta.version)
    if target == index_dir:
        meta.remember(roots)
        meta.save(target)
    return target, ix, meta


def _update(engine: Engine, name: str, ix: Any, target: str, roots: list[str], report: SyncReport,
            lock_timeout: float, progress: Progress | None, workers: int | None) -> None:
    """Compare the files under the roots with the index and write the differences.

    Files named one by one (adding a document) are looked up alone, so that their cost
    does not grow with the index; a folder is compared with the whole index.
    """
    few = all(os.path.isfile(root) for root in roots)
    indexed = engine.manifest(ix, roots if few else None)
    plan = _plan(roots, indexed, report, (engine, ix) if few else None)
    _apply(engine, name, ix, target, plan, indexed, report, lock_timeout, progress, workers)


def _rolled_back(found: int, written: int) -> list[str]:
    """A note when the index is older than the last commit a sync wrote (a table of contents
    was deleted, or an old copy restored): the sync goes on and brings it up to date."""
    if found >= written:
        return []
    return [f"the index is older than what the last sync wrote (commit {found}, not {written}): "
            "its newest files were deleted or an older copy was restored; this sync brings it up to date"]


def _interrupted(report: SyncReport, rebuilding: bool) -> str:
    """What Ctrl-C left: a rebuild is dropped whole, a sync keeps the commits it made."""
    if rebuilding:
        return "interrupted; the rebuild was abandoned, and the index is as it was before this run"
    if not report.committed:
        return "interrupted before anything was written; the index is as it was before this run"
    return (f"interrupted; {plural(report.committed, 'change')} had been committed and stay in the index; "
            "run `onu index` again to finish")


def _plan(roots: list[str], indexed: dict[str, Entry], report: SyncReport,
          opened: tuple[Engine, Any] | None = None) -> _Plan:
    """Compare the files on disk with the index; only size and mtime are read here.

    `indexed` holds every document of the index, or (with `opened`, an engine and its index)
    those of the files under the roots only: then duplicates of other documents are looked up there.
    """
    files = list(iter_files(roots, report.skipped))
    present = set(files)
    under_roots = _under(roots)
    gone = [p for p in sorted(indexed) if under_roots(p) and p not in present]
    todo: list[tuple[str, str]] = []
    for path in files:
        try:
            fp = fingerprint(path)
        except OSError as exc:
            report.skipped.append(Skipped(path, UNREADABLE, exc.strerror or str(exc)))
            gone += [path] if path in indexed else []
            continue
        entry = indexed.get(path)
        if entry is not None and entry.fingerprint == fp:
            report.unchanged += 1
        else:
            todo.append((path, fp))
    todo.sort(key=lambda item: format_rank(item[0]))  # a document's richest file first
    # Every document that stays as it is, here or under other folders, is known,
    # so that a new file repeating one of them is reported, not swapped in.
    leaving = {p for p, _ in todo} | set(gone)
    dedup = Deduplicator(lookup=None if opened is None else _lookup(*opened, leaving))
    for path, entry in indexed.items():
        if path not in leaving:
            dedup.remember(entry.id, "fr", entry.checksum, path)
    return _Plan(todo, gone, dedup, Folders.of(roots))


def _lookup(engine: Engine, ix: Any, leaving: set[str]) -> Callable[[str, str], tuple[str | None, str | None]]:
    """Paths of indexed documents with an id or checksum, but for the files being re-read or removed."""
    def lookup(doc_id: str, checksum: str) -> tuple[str | None, str | None]:
        by_id, by_checksum = engine.owners(ix, doc_id, checksum)
        return (None if by_id in leaving else by_id, None if by_checksum in leaving else by_checksum)
    return lookup


def _apply(engine: Engine, name: str, ix: Any, index_dir: str, plan: _Plan, indexed: dict, report: SyncReport,
           lock_timeout: float, progress: Progress | None, workers: int | None) -> None:
    """Write the plan in commits of BATCH documents, then of a third of what is already written;
    a rest smaller than half a BATCH joins the commit before it.

    Documents stream from the readers into the open commit. Commits that grow with
    the index keep a first build to a dozen segments that Whoosh never needs to merge
    (equal commits had it rewrite the 10x corpus every few dozen commits). Each segment
    costs every query a lookup per word and field: 1,500 documents a commit make the
    3,053-file corpus two segments instead of five (queries 10 % faster); Whoosh's posting
    pool holds them without spilling to disk (store.POOL_MB), which also makes the build
    faster. A run that is killed keeps three quarters of its work.
    """
    prepared = iter(prepare_all(plan.todo, workers, plan.within, name))
    done = 0
    gone = plan.gone
    while True:
        size = max(BATCH, done // 3)
        if len(plan.todo) - done - size < BATCH // 2:
            size = len(plan.todo) - done
        batch = islice(prepared, size)
        first = next(batch, None)
        if first is None and not gone:
            return
        with engine.writing(ix, index_dir, lock_timeout) as writer:
            for path in gone:
                writer.delete(path)
                report.removed.append(path)
            gone = []
            for item in chain(() if first is None else (first,), batch):
                done += 1
                if progress:
                    progress(done, len(plan.todo), item.path)
                _write_one(writer, item, plan.dedup, indexed, report)
        report.committed = len(report.added) + len(report.updated) + len(report.removed)


def _write_one(writer: Writer, item: Prepared, dedup: Deduplicator, indexed: dict, report: SyncReport) -> None:
    path = item.path
    if item.record is None:
        report.skipped.append(Skipped(path, UNREADABLE, item.error or "unreadable"))
        record = None
    else:
        record = admit(item.record, item.warnings, "fr", dedup, report.skipped)
    if record is None:
        if path in indexed:
            writer.delete(path)
            report.removed.append(path)
        return
    assert item.document is not None, "a file read comes with its document (pipeline.prepare)"
    writer.add(path, item.document)
    (report.updated if path in indexed else report.added).append(path)
    while dedup.displaced:  # a poorer format of this document was kept before: it goes
        old, reason = dedup.displaced.pop()
        writer.delete(old)
        report.skipped.append(Skipped(old, DUPLICATE, reason))
        for done in (report.added, report.updated):
            if old in done:
                done.remove(old)


def _under(roots: list[str]) -> Callable[[str], bool]:
    """A test of whether a path lies in one of the roots (a root may be a file)."""
    prefixes = tuple(r.rstrip(os.sep) + os.sep for r in roots)
    exact = set(roots)
    return lambda path: path in exact or path.startswith(prefixes)
