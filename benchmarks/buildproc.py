"""One full build in a fresh process, so its time and peak memory are its own.

Run by the harness as `python -m benchmarks.buildproc ENGINE INDEX_DIR PATH...`;
prints one JSON line: seconds, documents, and peak resident memory (MiB) of
the build process and of its largest worker (onu-search, under either of
its engines, reads files in worker processes; the peers have none).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONU = "onu-search"
ONU_TANTIVY = "onu-tantivy"  # onu-search with its Tantivy engine
ONU_ENGINES = {ONU: "whoosh", ONU_TANTIVY: "tantivy"}  # onu-search under each engine, by name
# Linux carries the peak RSS of the process image an exec replaces into the new
# program's ru_maxrss, so a build started straight from the (large) harness
# would report the harness's peak. A tiny launcher (python -S) starts it instead.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"


def _warm_imports(engine: str) -> None:
    """Import the engine's modules before the clock starts: building, not importing, is measured."""
    if engine in ONU_ENGINES:
        from indexer.engine import load
        load(ONU_ENGINES[engine])
    elif engine == "whoosh":
        import whoosh.analysis, whoosh.fields, whoosh.index  # noqa: F401, E401
    elif engine == "tantivy":
        import tantivy  # noqa: F401


def _reap_workers(timeout: float = 10.0) -> None:
    """Wait for worker processes to end, so that RUSAGE_CHILDREN counts them."""
    deadline = time.monotonic() + timeout
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.02)


def build(engine: str, index_dir: str, paths: list[str]) -> dict:
    """Build one index from the files and measure it (runs in the child)."""
    _warm_imports(engine)
    from corpus.scanning import scan
    from indexer.sync import sync

    from .peers import PEERS
    start = time.perf_counter()
    if engine in ONU_ENGINES:
        docs = sync(paths, index_dir, engine=ONU_ENGINES[engine]).documents
    else:
        peer = PEERS[engine]()
        docs = peer.build(scan(paths), index_dir)
        peer.close()
    seconds = time.perf_counter() - start
    _reap_workers()
    mib = 1024.0  # ru_maxrss is in KiB on Linux
    return {"seconds": seconds, "documents": docs,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / mib,
            "workers_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / mib}


def dir_size(path: str) -> int:
    """Bytes of every file below a folder."""
    return sum(os.path.getsize(os.path.join(folder, f)) for folder, _, files in os.walk(path) for f in files)


def run_build(engine: str, index_dir: str, paths: list[str], timeout: float = 4 * 3600) -> dict:
    """Build in a fresh interpreter (the old index removed first); add the index size."""
    shutil.rmtree(index_dir, ignore_errors=True)
    cmd = [sys.executable, "-S", "-c", LAUNCHER,
           sys.executable, "-m", "benchmarks.buildproc", engine, index_dir, *paths]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} build failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    figures["size_mib"] = dir_size(index_dir) / 2**20
    return figures


if __name__ == "__main__":
    engine_name, target, *roots = sys.argv[1:]
    print(json.dumps(build(engine_name, target, roots)))
