"""`python -m benchmarks.relevance --corpus DIR`: ranking quality of onu-search and its peers on the judged queries."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from pathlib import Path

from .. import machine, snapshot
from ..buildproc import ONU, ONU_ENGINES  # noqa: F401  (ONU: tune.py imports it from here)
from ..onu import OnuSearch
from ..peers import PEERS, available
from . import indexes, knobs
from .evaluate import VARIANTS, evaluate, load_corpus, load_topics

MEASURES = ("ndcg@10", "p@10", "recall@100", "mrr")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "results" / "relevance.json"
DEFAULT_WORK = os.path.join("/tmp", "onu-search-relevance")


def mean(values: list[float]) -> float:
    """Arithmetic mean, NaN for none."""
    return sum(values) / len(values) if values else float("nan")


def subset(per_query: dict[str, dict], which: str) -> dict[str, dict]:
    """All queries, or those with odd or even ids (t01 is odd)."""
    if which == "all":
        return per_query
    odd = which == "odd"
    return {q: row for q, row in per_query.items() if (int("".join(filter(str.isdigit, q)) or 0) % 2 == 1) == odd}


def means(results: dict, which: str = "all") -> dict:
    """Mean of every measure per engine and variant, over a subset of queries."""
    out: dict = {}
    for name, by_variant in results.items():
        for v, per_query in by_variant.items():
            rows = subset(per_query, which)
            out.setdefault(name, {})[v] = {m: mean([r[m] for r in rows.values()]) for m in MEASURES}
            out[name][v]["queries"] = len(rows)
    return out


def table(summary: dict, title: str) -> list[str]:
    """One markdown table: engines x variants, the four measures."""
    lines = [f"### {title}", "", "| engine | query | queries | " + " | ".join(MEASURES) + " |",
             "|---|---|---|" + "---|" * len(MEASURES)]
    for name, by_variant in summary.items():
        for v in VARIANTS:
            row = by_variant[v]
            lines.append(f"| {name} | {v} | {row['queries']} | " + " | ".join(f"{row[m]:.3f}" for m in MEASURES) + " |")
    return lines + [""]


def by_kind(results: dict) -> list[str]:
    """nDCG@10 per query kind, queries as written."""
    first = next(iter(results.values()))[VARIANTS[0]].values()
    counts: dict[str, int] = {}
    for r in first:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    lines = ["### nDCG@10 by query kind (as written)", "",
             "| engine | " + " | ".join(f"{k} ({n})" for k, n in counts.items()) + " |", "|---|" + "---|" * len(counts)]
    for name, by_variant in results.items():
        rows = by_variant[VARIANTS[0]].values()
        lines.append(f"| {name} | " + " | ".join(f"{mean([r['ndcg@10'] for r in rows if r['kind'] == k]):.3f}"
                                                 for k in counts) + " |")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the indexes, run the queries, print the tables, write per-query figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.relevance", description=__doc__)
    ap.add_argument("--corpus", required=True, help="the unxml folder the judgments are relative to")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="per-query JSON (default: %(default)s)")
    ap.add_argument("--work", default=DEFAULT_WORK, help="where indexes are kept between runs (default: %(default)s)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild every index even if up to date")
    ap.add_argument("--engines", default=",".join([*ONU_ENGINES, *PEERS]), help="comma-separated (default: all)")
    ap.add_argument("--split", action="store_true", help="also report odd and even query ids apart")
    ap.add_argument("--boosts", default="",
                    help="onu-search field boosts, merged with the defaults, e.g. title=2,agenda=1.5")
    ap.add_argument("--bm25", default="", help="onu-search BM25F parameters, e.g. b=0.3,k1=1.2")
    ap.add_argument("--ranking", default="",
                    help="other onu-search ranking knobs, e.g. exact_boost=0.3,proximity_boost=0.5")
    ap.add_argument("--snapshot", action="store_true", help="evaluate a frozen copy of the code")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.corpus)
    if not os.path.isdir(root):
        ap.error(f"no folder {args.corpus}")
    if args.snapshot:
        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--snapshot"]
        fixed = ["--corpus", root, "--out", os.path.abspath(args.out), "--work", os.path.abspath(args.work)]
        return snapshot.rerun_frozen("benchmarks.relevance", rest + fixed)
    try:
        index_kw = knobs.ranking_options(knobs.parse_pairs(args.boosts), knobs.parse_pairs(args.bm25),
                                         knobs.parse_pairs(args.ranking))
    except ValueError as exc:
        ap.error(str(exc))
    wanted = [n.strip() for n in args.engines.split(",") if n.strip()]
    peers, skipped = available([n for n in wanted if n not in ONU_ENGINES])
    names = [n for n in ONU_ENGINES if n in wanted] + peers
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    log("reading the corpus")
    c = load_corpus(root)
    topics, qrels = load_topics()
    os.makedirs(args.work, exist_ok=True)
    makers = {**{n: functools.partial(OnuSearch, index_kw, engine) for n, engine in ONU_ENGINES.items()},
              **{n: PEERS[n] for n in peers}}
    engines = {n: indexes.ensure(n, makers[n], root, args.work, lambda: c.records, args.rebuild, log) for n in names}
    try:
        results = evaluate(engines, topics, qrels, c, log)
    finally:
        for engine in engines.values():
            engine.close()
    splits = ("all", "odd", "even") if args.split else ("all",)
    summary = {s: means(results, s) for s in splits}
    lines = [f"## Relevance on {len(topics)} judged queries ({machine.code_state()})", ""]
    if index_kw:
        lines += [f"onu-search: {index_kw['ranking']}", ""]
    lines += [f"{n} skipped: {why}" for n, why in skipped.items()]
    if c.kept:
        lines += [f"Duplicates: {len(c.kept)} files repeat another; each group counts once "
                  "(best grade; first appearance in a ranking).", ""]
    for s in splits:
        lines += table(summary[s], {"all": "All queries", "odd": "Odd query ids", "even": "Even query ids"}[s])
    lines += by_kind(results)
    lines += [f"ERROR {n} {v} {q}: {r['error']}" for n, bv in results.items() for v, pq in bv.items()
              for q, r in pq.items() if "error" in r]
    print("\n".join(lines))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"machine": machine.describe(), "ranking": str(index_kw.get("ranking", "default")),
                   "duplicates": c.kept, "summary": summary, "per_query": results},
                  handle, ensure_ascii=False, indent=1)
    log(f"per-query figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
