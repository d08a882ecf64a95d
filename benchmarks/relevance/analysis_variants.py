"""`python -m benchmarks.relevance.analysis_variants --corpus DIR`: the French chain, piece by piece.

Builds one index per variant of the analysis (the project's chain; without
stemming; without stopwords; stemming before folding, as Whoosh's stock
chain does) and prints nDCG@10 on the judged queries, accents kept and
stripped. The variants replace `french_analyzer` for the run only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile

from whoosh.analysis import LowercaseFilter, StemFilter
from whoosh.lang.snowball.french import FrenchStemmer

from indexer.whooshdb import analysis, compile as compile_module, schema, searching, store
from indexer.whooshdb.analysis import ElisionFilter, FoldFilter, FrenchTokenizer, StopwordFilter

from .__main__ import mean
from .evaluate import VARIANTS, load_corpus, load_topics
from .tune import scores


def _stem() -> StemFilter:
    return StemFilter(stemfn=FrenchStemmer().stem, cachesize=-1)


VARIANT_CHAINS = {
    "project chain (fold, stopwords, Snowball)": analysis.french_analyzer,
    "without stemming": lambda: FrenchTokenizer() | ElisionFilter() | FoldFilter() | StopwordFilter(),
    "without stopwords": lambda: FrenchTokenizer() | ElisionFilter() | FoldFilter() | _stem(),
    "stemming before folding": lambda: (FrenchTokenizer() | ElisionFilter() | LowercaseFilter()
                                        | StopwordFilter() | _stem() | FoldFilter()),
}


def use(chain) -> None:
    """Make every module of the engine build its analyzers with this chain."""
    for module in (analysis, compile_module, schema, searching):
        module.french_analyzer = chain
    store._schema.cache_clear()


def main(argv: list[str] | None = None) -> int:
    """Build and score each variant."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.relevance.analysis_variants", description=__doc__)
    ap.add_argument("--corpus", required=True, help="the unxml folder the judgments are relative to")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.corpus)
    c = load_corpus(root)
    topics, qrels = load_topics()
    from indexer.sync import sync
    print("| analysis | nDCG@10 as written | nDCG@10 accents stripped |\n|---|---|---|")
    for name, chain in VARIANT_CHAINS.items():
        use(chain)
        work = tempfile.mkdtemp(prefix="onu-variant-")
        try:
            sync([root], os.path.join(work, "ix"), workers=1)
            per = scores(os.path.join(work, "ix"), None, topics, qrels, c)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"| {name} | {mean(list(per[VARIANTS[0]].values())):.4f} | "
              f"{mean(list(per[VARIANTS[1]].values())):.4f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
