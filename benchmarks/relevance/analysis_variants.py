"""`python -m benchmarks.relevance.analysis_variants --corpus DIR`: the stemmer, chosen by measurement.

Prints each candidate stemmer's score on the word families of
tests/test_stemming.py (forms that must meet, words that must stay apart),
then builds one index per candidate (the project's analysis otherwise:
elisions, folding, stopwords) and prints nDCG@10 on the judged queries,
accents kept and stripped, and how many documents a few one-word queries
find. A candidate replaces `indexer.analysis.stem`, the one place the
analysis stems, for the run only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable

import indexer.analysis
from indexer.whooshdb import store
from tests.test_stemming import APART, FAMILIES, family_score

from ..onu import OnuSearch
from .__main__ import mean
from .evaluate import VARIANTS, load_corpus, load_topics
from .stemmers import CANDIDATES
from .tune import scores

# One-word queries whose document counts show what a stemmer joins.
PROBES = ("conseiller", "conseil", "traite", "traitement", "déplacées", "déplacés", "concernées", "concernés")


def use(stem: Callable[[str], str]) -> None:
    """Make the analysis stem with this function (and forget what it remembered of another)."""
    indexer.analysis.stem = stem
    store._analysis.cache_clear()


def counts(index_dir: str) -> list[int]:
    """How many documents each probe word finds, as a one-word query."""
    engine = OnuSearch()
    engine.open(index_dir)
    try:
        return [engine.search_hits(word, 1).total for word in PROBES]
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    """Score each stemmer on the word families, then build and score an index with each."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.relevance.analysis_variants", description=__doc__)
    ap.add_argument("--corpus", required=True, help="the unxml folder the judgments are relative to")
    ap.add_argument("--only", default="", help="build only the candidates whose name contains this text")
    args = ap.parse_args(argv)
    print(f"| stemmer | families joined (of {len(FAMILIES)}) | pairs kept apart (of {len(APART)}) |\n|---|---|---|")
    for name, fn in CANDIDATES.items():
        joined, apart = family_score(fn)
        print(f"| {name} | {joined} | {apart} |")
    root = os.path.abspath(args.corpus)
    c = load_corpus(root)
    topics, qrels = load_topics()
    from indexer.sync import sync
    rows = []
    print("\n| stemmer | nDCG@10 as written | nDCG@10 accents stripped |\n|---|---|---|")
    for name, fn in CANDIDATES.items():
        if args.only not in name:
            continue
        use(fn)
        work = tempfile.mkdtemp(prefix="onu-variant-")
        try:
            sync([root], os.path.join(work, "ix"), workers=1)
            per = scores(os.path.join(work, "ix"), None, topics, qrels, c)
            rows.append((name, counts(os.path.join(work, "ix"))))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"| {name} | {mean(list(per[VARIANTS[0]].values())):.4f} | "
              f"{mean(list(per[VARIANTS[1]].values())):.4f} |", flush=True)
    print(f"\n| stemmer | {' | '.join(PROBES)} |\n|---|{'---|' * len(PROBES)}")
    for name, found in rows:
        print(f"| {name} | {' | '.join(f'{n:,}' for n in found)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
