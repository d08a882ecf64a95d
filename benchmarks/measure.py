"""The timed operations: queries on an open index, adding one file, syncing, the `onu` command."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus.scanning import read

from .onu import OnuSearch
from .querysets import BenchQuery
from .stats import median, percentile

Engine = object  # an OnuSearch or a peers.Peer


def run_query(engine: Engine, q: BenchQuery, codes: list[str], limit: int = 10) -> int:
    """Run one query as an application would; return the number of hits on the page."""
    if isinstance(engine, OnuSearch):
        return len(engine.search_hits(q.query, limit, q.states, q.session).hits)
    return len(engine.search(q.query, limit, codes, q.session))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by a call, and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def first_query(engine: Engine, q: BenchQuery) -> float:
    """Seconds for the first query on a freshly opened index (opening costs included)."""
    return timed(lambda: run_query(engine, q, q.state_codes()))[0]


def latencies(engines: dict[str, Engine], queries: Sequence[BenchQuery], reps: int) -> dict[str, dict[str, float]]:
    """Per engine and query id, the median of `reps` runs; engines take turns on each query."""
    codes = {q.id: q.state_codes() for q in queries}
    names = list(engines)
    for q in queries:  # warm-up: every engine runs every query once, untimed
        for name in names:
            run_query(engines[name], q, codes[q.id])
    out: dict[str, dict[str, float]] = {name: {} for name in names}
    for i, q in enumerate(queries):
        samples: dict[str, list[float]] = {name: [] for name in names}
        for rep in range(reps):
            shift = (i + rep) % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(timed(lambda: run_query(engines[name], q, codes[q.id]))[0])
        for name in names:
            out[name][q.id] = median(samples[name])
    return out


def by_class(per_query: dict[str, float], queries: Sequence[BenchQuery]) -> dict[str, dict[str, float]]:
    """p50 and p95 (seconds) of the per-query times, per query class, and over all queries."""
    groups: dict[str, list[float]] = {}
    for q in queries:
        if q.id in per_query:
            groups.setdefault(q.cls, []).append(per_query[q.id])
            if q.cls != "state_base":  # "all" is the queries of the file, each once
                groups.setdefault("all", []).append(per_query[q.id])
    return {cls: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for cls, v in groups.items()}


def add_one(engine: Engine, path: str, marker: str, new_id: str) -> dict:
    """Add one new file to a built, open index, then find it by its marker word."""
    if isinstance(engine, OnuSearch):
        add_s, _ = timed(lambda: engine.add_file(path))
    else:
        add_s, _ = timed(lambda: engine.add(read(path)))
    search_s, ids = timed(lambda: engine.search(marker, 10))
    return {"add_seconds": add_s, "search_seconds": search_s, "total_seconds": add_s + search_s,
            "found_first": bool(ids) and ids[0] == new_id, "hits": len(ids)}


def sync_unchanged(paths: list[str], index_dir: str) -> dict:
    """A sync of the same files right after the build: nothing to do but check."""
    from indexer.sync import sync
    seconds, report = timed(lambda: sync(paths, index_dir))
    return {"seconds": seconds, "changed": report.changed, "unchanged": report.unchanged}


def command_seconds(cmd: list[str], runs: int) -> list[float]:
    """Wall seconds of a command run `runs` times as a fresh process (output discarded)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        out.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return out


def cli(index_dir: str, query: str, runs: int) -> dict:
    """`onu search` as a fresh process (import and all), with Python's own start-up for scale."""
    onu = str(Path(sys.executable).with_name("onu"))
    search = command_seconds([onu, "search", "--index", index_dir, query], runs)
    python = command_seconds([sys.executable, "-c", "pass"], runs)
    return {"query": query, "runs": runs, "search_p50": median(search), "search_all": search,
            "python_startup_p50": median(python)}
