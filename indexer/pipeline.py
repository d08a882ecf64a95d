"""Reading and analysing documents in worker processes while the index is written.

Only reading and analysis run in parallel; a single writer adds the results
in order (Whoosh's own multi-process writer loses documents, so it is not used).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from dataclasses import dataclass, field

from corpus.errors import ReadError
from corpus.record import Statement
from corpus.scanning import Folders, read_with_warnings

from .engine import load
from .settings import ENGINE, WORKERS

PARALLEL_MIN = 32     # fewer files than this are read in-process
IN_FLIGHT = 64        # prepared documents waiting per worker, to bound memory
ORPHAN_CHECK = 0.5    # seconds between a worker's checks that the sync is still there


@dataclass
class Prepared:
    """A file read and analysed: the record and engine document, or why it could not be read."""

    path: str
    fingerprint: str
    record: Statement | None = None
    document: dict | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def prepare(item: tuple[str, str], within: Folders | None = None, engine: str = ENGINE) -> Prepared:
    """Read one file (found in the folders `within`) and analyse it for the engine of that name."""
    path, fingerprint = item
    try:
        record, warnings = read_with_warnings(path, within)
    except ReadError as exc:
        return Prepared(path, fingerprint, error=exc.reason)
    return Prepared(path, fingerprint, record, load(engine).prepare(record, fingerprint), warnings)


def prepare_all(items: Sequence[tuple[str, str]], workers: int | None = WORKERS,
                within: Folders | None = None, engine: str = ENGINE) -> Iterator[Prepared]:
    """Prepared files in the order given, using worker processes for large batches."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < PARALLEL_MIN:
        yield from (prepare(item, within, engine) for item in items)
        return
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker,
                               initargs=(os.getpid(),))
    pending: deque[Future] = deque()
    todo = iter(items)
    try:
        for item in todo:
            pending.append(pool.submit(prepare, item, within, engine))
            if len(pending) >= IN_FLIGHT * workers:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(prepare, nxt, within, engine))
            elif not pending:
                # The last file: the pool is shut down and its idle workers waited for. A pool left
                # running raced Python's exit, which printed "OSError: Bad file descriptor" (gh-125451).
                pool.shutdown(wait=True)
            yield done
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # stopped early (Ctrl-C, an error): no waiting


def _context() -> BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _start_worker(parent: int) -> None:
    """Workers leave Ctrl-C to the main process, which cancels the run cleanly, and stop when it
    is gone: a forked worker of a sync killed alone (kill -9, the OOM killer) would otherwise wait
    for ever on its queue, holding the sync's lock, which it shares."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK)
    os._exit(1)
