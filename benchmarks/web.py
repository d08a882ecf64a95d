"""`python -m benchmarks.web --index DIR`: a load test of `onu serve` on 127.0.0.1.

The server runs as `onu serve` in a process of its own (uvicorn, as users start it); CLIENTS
threads ask it for the search page and for /api/search in turns, with the speed benchmark's
queries, for SECONDS, then stop. Reported: answers, errors (any status but 200, any failed
connection), p50 and p95 of the answer times of each kind, next to the library's own
`Index.search` time for the same queries (with the page's facets for the page, without for
the API, as each asks), measured in this process, one query at a time, before the load.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from search import Index
from search.web.views import PAGE_FACETS

from . import querysets
from .stats import percentile

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "web.json"
TIMEOUT = 30.0  # seconds for one answer


def query_params(q: querysets.BenchQuery) -> list[tuple[str, str]]:
    """A benchmark query as URL parameters."""
    return [("q", q.query), *(("state", s) for s in q.states), *([("session", str(q.session))] if q.session else [])]


def library_times(index_dir: str, queries: list[querysets.BenchQuery], facets: tuple[str, ...],
                  reps: int = 3) -> list[float]:
    """Milliseconds of Index.search for each query (median of reps, after a warm-up)."""
    out = []
    with Index(index_dir) as ix:
        for q in queries:
            ix.search(q.query, states=q.states, session=q.session, facets=facets)
            runs = []
            for _ in range(reps):
                start = time.perf_counter()
                ix.search(q.query, states=q.states, session=q.session, facets=facets)
                runs.append((time.perf_counter() - start) * 1000)
            out.append(sorted(runs)[len(runs) // 2])
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index_dir: str, port: int) -> subprocess.Popen:
    """`onu serve` on 127.0.0.1:port, answering once it is up."""
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", index_dir,
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("onu serve did not start")
            time.sleep(0.1)


def load(base: str, queries: list[querysets.BenchQuery], clients: int, seconds: float) -> dict:
    """CLIENTS threads, each asking page then API for the next query until SECONDS have passed."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        i, turn = n, n
        while time.monotonic() < stop_at:
            q = queries[i % len(queries)]
            kind = "page" if turn % 2 == 0 else "api"
            turn += 1
            url = base + ("/?" if kind == "page" else "/api/search?") + urllib.parse.urlencode(query_params(q))
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
                    answer.read()
                    ok = answer.status == 200
                    why = f"status {answer.status}"
            except (OSError, urllib.error.HTTPError) as exc:
                ok, why = False, f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                times[kind].append(elapsed)
                if not ok:
                    errors.append(f"{url}: {why}")
            i += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + TIMEOUT + 5)
    wall = time.monotonic() - started
    return {"seconds": wall, "errors": errors, "times": dict(times)}


def main(argv: list[str] | None = None) -> int:
    """Run the load test, print a table, write the raw figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.web", description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, help="an index built with onu index (e.g. of ../shared/corpus/unxml)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args(argv)
    queries = [q for q in querysets.load() if q.cls != "state_base"]
    library = {"api": library_times(args.index, queries, ()), "page": library_times(args.index, queries, PAGE_FACETS)}
    port = free_port()
    server = start_server(args.index, port)
    try:
        result = load(f"http://127.0.0.1:{port}", queries, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = [row for kind, what in (("page", "search page (6 facets)"), ("api", "/api/search (no facets)"))
            for row in ((f"{what}: library's Index.search, one at a time", library[kind]),
                        (f"{what}: server's answers under load", result["times"].get(kind, [])))]
    answers = sum(len(v) for v in result["times"].values())
    print(f"{args.clients} clients, {result['seconds']:.1f} s, {answers} answers "
          f"({answers / result['seconds']:.0f}/s), {len(result['errors'])} errors\n")
    print("| | answers | p50 (ms) | p95 (ms) |\n|---|---|---|---|")
    for name, values in rows:
        print(f"| {name} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} |")
    for line in result["errors"][:10]:
        print("error:", line, file=sys.stderr)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"clients": args.clients, "library_ms": library, **result}, handle)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
