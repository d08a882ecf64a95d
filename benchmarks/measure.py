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
    """Run one query as an application would; return the count of matches where the engine gives one
    (onu-search's `Results.total`), else the number of hits on the page."""
    if isinstance(engine, OnuSearch):
        return engine.search_hits(q.query, limit, q.states, q.session).total
    return len(engine.search(q.query, limit, codes, q.session))


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds taken by a call, and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def first_query(engine: Engine, q: BenchQuery) -> float:
    """Seconds for the first query on a freshly opened index (opening costs included)."""
    return timed(lambda: run_query(engine, q, q.state_codes()))[0]


def latencies(engines: dict[str, Engine], queries: Sequence[BenchQuery],
              reps: int) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]]]:
    """Per engine and query id, the median of `reps` runs; engines take turns on each query.
    Also the count of matches of every query, per onu-search engine (from the untimed warm-up)."""
    codes = {q.id: q.state_codes() for q in queries}
    names = list(engines)
    totals: dict[str, dict[str, int]] = {name: {} for name in names if isinstance(engines[name], OnuSearch)}
    for q in queries:  # warm-up: every engine runs every query once, untimed
        for name in names:
            total = run_query(engines[name], q, codes[q.id])
            if name in totals:
                totals[name][q.id] = total
    out: dict[str, dict[str, float]] = {name: {} for name in names}
    for i, q in enumerate(queries):
        samples: dict[str, list[float]] = {name: [] for name in names}
        for rep in range(reps):
            shift = (i + rep) % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(timed(lambda: run_query(engines[name], q, codes[q.id]))[0])
        for name in names:
            out[name][q.id] = median(samples[name])
    return out, totals


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


# Runs a command with its output discarded and prints its wall seconds and peak RSS (KiB): a tiny
# launcher (python -S), so that the command's ru_maxrss is its own, not the harness's (see buildproc).
TIMER = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL); s = time.perf_counter() - t; "
         "print(s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)")


def command_run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one run of a command as a fresh process."""
    proc = subprocess.run([sys.executable, "-S", "-c", TIMER, *cmd], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr[-2000:]}")
    seconds, kib = proc.stdout.split()
    return float(seconds), float(kib) / 1024


def cli(index_dirs: dict[str, str], query: str, runs: int) -> dict:
    """`onu search` as a fresh process (import and all) on each index, the indexes taking turns, with
    Python's own start-up for scale; the CLI picks each index's engine by itself."""
    onu = str(Path(sys.executable).with_name("onu"))
    names = list(index_dirs)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    python = []
    for k in range(runs):
        for name in names[k % len(names):] + names[:k % len(names)]:
            samples[name].append(command_run([onu, "search", "--index", index_dirs[name], query]))
        python.append(command_run([sys.executable, "-c", "pass"])[0])
    engines = {name: {"search_p50": median([t for t, _ in runs_]), "search_all": [t for t, _ in runs_],
                      "peak_rss_mib": median([m for _, m in runs_])} for name, runs_ in samples.items()}
    return {"query": query, "runs": runs, "engines": engines, "python_startup_p50": median(python)}
