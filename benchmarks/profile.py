"""`python -m benchmarks.profile --index DIR [--class phrase]`: cProfile of onu-search on one query class.

The index is opened once and warmed by one untimed pass, as in the speed
benchmark; then every query of the class runs `--repeat` times under the
profiler. Prints the per-query times and the top functions by own and
cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys

from .measure import run_query, timed
from .onu import OnuSearch
from .querysets import CLASSES, load


def main(argv: list[str] | None = None) -> int:
    """Profile one class of queries on a built onu-search index."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    ap.add_argument("--index", required=True, help="an onu-search index folder (either engine)")
    ap.add_argument("--class", dest="cls", default="phrase", choices=CLASSES)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    engine = OnuSearch()
    engine.open(args.index)
    queries = [q for q in load() if q.cls == args.cls]
    for q in queries:
        print(f"{q.id} {timed(lambda: run_query(engine, q, []))[0] * 1000:7.1f} ms (first run)  {q.query}")
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.repeat):
        for q in queries:
            run_query(engine, q, [])
    prof.disable()
    engine.close()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n=== by {order} ===\n" + out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
