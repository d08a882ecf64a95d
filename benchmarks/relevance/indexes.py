"""Indexes for the relevance runs, kept in a scratch folder and rebuilt only when their inputs change.

An index is reused when its key matches: the corpus (file count, sizes,
newest mtime) plus, for onu-search, the source of corpus/ and indexer/ (what
decides how documents are read and analysed), and for a peer, benchmarks/peers.py
and the installed versions.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus.record import Statement

from ..buildproc import ONU_ENGINES
from ..corpora import corpus_files
from ..machine import REPO, versions

BUILD_INPUTS = ("corpus", "indexer")


def corpus_signature(root: str) -> str:
    """What changes when the corpus does: file count, total size, newest modification."""
    files = corpus_files(root)
    stats = [os.stat(f) for f in files]
    return f"{len(files)}:{sum(s.st_size for s in stats)}:{max((s.st_mtime_ns for s in stats), default=0)}"


def source_digest(parts: Sequence[str]) -> str:
    """Digest of the source files (.py, .tsv) below some folders or files of the repository."""
    h = hashlib.sha1()
    for part in parts:
        target = REPO / part
        files = [target] if target.is_file() else sorted(
            p for p in target.rglob("*") if p.suffix in (".py", ".tsv") and "__pycache__" not in p.parts)
        for p in files:
            h.update(str(p.relative_to(REPO)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def key_for(engine: str, root: str) -> str:
    """The cache key of one engine's index of a corpus."""
    if engine in ONU_ENGINES:
        return f"{corpus_signature(root)}|{source_digest(BUILD_INPUTS)}"
    return f"{corpus_signature(root)}|{source_digest(['benchmarks/peers.py'])}|{sorted(versions().items())}"


def ensure(engine: str, make: Callable[[], object], root: str, work: str, records: Callable[[], list[Statement]],
           rebuild: bool, log: Callable[[str], None]):
    """The engine (made by `make`) opened on an up-to-date index of the corpus, building it if needed."""
    index_dir = os.path.join(work, engine)
    key_file = Path(index_dir + ".key")
    key = key_for(engine, root)
    fresh = not rebuild and key_file.exists() and key_file.read_text() == key and os.path.isdir(index_dir)
    engine_obj = make()
    if fresh:
        log(f"{engine}: reusing {index_dir}")
        engine_obj.open(index_dir)
        return engine_obj
    log(f"{engine}: building {index_dir}")
    key_file.unlink(missing_ok=True)
    shutil.rmtree(index_dir, ignore_errors=True)
    if engine in ONU_ENGINES:
        engine_obj.build_files([root], index_dir)
    else:
        engine_obj.build(records(), index_dir)
    key_file.write_text(key)
    return engine_obj
