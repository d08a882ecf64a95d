"""`python -m benchmarks.relevance.tune --corpus DIR`: each ranking knob measured, with and without.

For every knob, each candidate value is scored by nDCG@10 on the judged
queries, accents kept and stripped. Values are chosen by cross-validation: the
value best on the odd query ids is reported on the even ones, and the other
way round, so no figure is measured on the queries that chose it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from search import Ranking

from . import indexes
from .__main__ import DEFAULT_WORK, ONU, mean
from ..onu import OnuSearch
from .evaluate import VARIANTS, evaluate, load_corpus, load_topics

# Each knob and the values tried; the first value of each is "without" where that means anything.
GRID: dict[str, list[float]] = {
    "boosts.title": [0.0, 1.0, 2.0, 3.0],
    "boosts.agenda": [0.0, 0.75, 1.5, 3.0],
    "boosts.people": [0.0, 0.75, 1.5, 3.0],
    "boosts.groups": [0.0, 1.0],
    "boosts.symbol": [0.0, 3.0],
    "b": [0.1, 0.2, 0.3, 0.5, 0.75],
    "k1": [0.8, 1.2, 1.6, 2.0],
    "exact_boost": [0.0, 0.3, 0.6],
    "proximity_boost": [0.0, 0.25, 0.5, 1.0],
}


def with_knob(base: Ranking, knob: str, value: float) -> Ranking:
    """The ranking with one knob set."""
    if knob.startswith("boosts."):
        return base.replace(boosts={knob.split(".", 1)[1]: value})
    return base.replace(**{knob: value})


def scores(index_dir: str, ranking: Ranking | None, topics: list[dict], qrels: dict, c) -> dict[str, dict[str, float]]:
    """nDCG@10 per variant and query id, through the harness's own evaluation."""
    engine = OnuSearch({"ranking": ranking} if ranking else None)
    engine.open(index_dir)
    try:
        results = evaluate({ONU: engine}, topics, qrels, c, lambda message: None)[ONU]
    finally:
        engine.close()
    return {v: {q: row["ndcg@10"] for q, row in results[v].items()} for v in VARIANTS}


def half(per_query: dict[str, float], parity: int) -> float:
    """Mean over the query ids whose number has this parity (t01 is odd)."""
    return mean([s for q, s in per_query.items() if int(q[1:]) % 2 == parity])


def main(argv: list[str] | None = None) -> int:
    """Measure every knob value; print the with/without table and the cross-validated choice."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.relevance.tune", description=__doc__)
    ap.add_argument("--corpus", required=True, help="the unxml folder the judgments are relative to")
    ap.add_argument("--work", default=DEFAULT_WORK, help="where indexes are kept between runs")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.corpus)
    started = time.monotonic()
    c = load_corpus(root)
    topics, qrels = load_topics()
    engine = indexes.ensure(ONU, OnuSearch, root, args.work, lambda: c.records, False,
                            lambda m: print(m, file=sys.stderr))
    engine.close()
    index_dir = os.path.join(args.work, ONU)
    base = Ranking()
    default = scores(index_dir, base, topics, qrels, c)
    print(f"## Ranking knobs, nDCG@10 ({len(default[VARIANTS[0]])} queries)\n")
    print(f"defaults {base}: as written {mean(list(default[VARIANTS[0]].values())):.4f}, "
          f"accents stripped {mean(list(default[VARIANTS[1]].values())):.4f}\n")
    print("| knob | value | all, as written | all, stripped | odd | even |")
    print("|---|---|---|---|---|---|")
    chosen = {}
    for knob, values in GRID.items():
        rows = {}
        for value in values:
            per = scores(index_dir, with_knob(base, knob, value), topics, qrels, c)
            rows[value] = per
            w, s = per[VARIANTS[0]], per[VARIANTS[1]]
            print(f"| {knob} | {value:g} | {mean(list(w.values())):.4f} | {mean(list(s.values())):.4f} "
                  f"| {half(w, 1):.4f} | {half(w, 0):.4f} |")
        # choose on one half, report on the other
        on_odd = max(values, key=lambda v: half(rows[v][VARIANTS[0]], 1))
        on_even = max(values, key=lambda v: half(rows[v][VARIANTS[0]], 0))
        chosen[knob] = (on_odd, half(rows[on_odd][VARIANTS[0]], 0), on_even, half(rows[on_even][VARIANTS[0]], 1))
    print("\n| knob | best on odd | its nDCG@10 on even | best on even | its nDCG@10 on odd |")
    print("|---|---|---|---|---|")
    for knob, (v1, s1, v2, s2) in chosen.items():
        print(f"| {knob} | {v1:g} | {s1:.4f} | {v2:g} | {s2:.4f} |")
    print(f"\n({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
