"""Evaluating a compiled Whoosh query as sets of documents and their scores.

Whoosh's matchers walk every match one document at a time through layers of
Python objects, and its counts are wrong when collection stops early. On
indexes of this size it is several times faster to score each word once over
all its postings (true BM25F, see bm25f.py) and to combine the words with
set operations. Phrases are matched from the positions (phrases.py), with the
posting lists they read kept for the highlights; prefixes and filters are
still run by Whoosh.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.searching import Searcher

from .bm25f import BM25F, FieldsTerm
from .fastread import ValueCache
from .phrases import PhraseIn, phrase_docs

Scores = dict[int, float]

# Leaf queries that only select documents; they add nothing to the score.
FILTERS = (wq.NumericRange, wq.Every)


class Evaluator:
    """Runs one compiled query on one searcher and returns {document number: score}."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        self.model: BM25F = searcher.weighting
        self._live: set[int] | None = None
        self.values = ValueCache()

    def run(self, q: wq.Query) -> Scores:
        """Every matching live document with its score."""
        if isinstance(q, FieldsTerm):
            return self.term(q)
        if isinstance(q, wq.And):
            return self.conjunction(q.subqueries)
        if isinstance(q, wq.Or):
            return self.disjunction(q.subqueries)
        if isinstance(q, wq.AndMaybe):
            main, bonus = self.run(q.a), self.run(q.b)
            for d in main.keys() & bonus.keys():
                main[d] += bonus[d]
            return main
        if isinstance(q, wq.Not):
            return {d: 0.0 for d in self.live() - self.run(q.query).keys()}
        if q is wq.NullQuery:
            return {}
        if isinstance(q, wq.Every):
            return dict.fromkeys(self.live(), 0.0)
        if isinstance(q, PhraseIn):
            return dict.fromkeys((offset + d for sub, offset in self.s.leaf_searchers()
                                  for d in phrase_docs(sub.reader(), q.fieldname, q.words, q.slop, self.values)), 0.0)
        if isinstance(q, wq.ConstantScoreQuery):
            return dict.fromkeys(self.run(q.child), q.score)
        if isinstance(q, FILTERS) or (isinstance(q, wq.Term) and not self.s.schema[q.fieldname].scorable):
            return dict.fromkeys(self.s.docs_for_query(q), 0.0)
        results = self.s.search(q, limit=None)
        return {results.docnum(i): results.score(i) or 0.0 for i in range(results.scored_length())}

    def term(self, q: FieldsTerm) -> Scores:
        """BM25F scores of one word, gathered over the segments; one read of each posting list."""
        parts = []
        df: dict[str, int] = {}
        for sub, offset in self.s.leaf_searchers():
            tf, counts = self.model.tf_sums(sub, q.text, q.weights)
            for name, n in counts.items():
                df[name] = df.get(name, 0) + n
            if tf:
                parts.append((tf, offset, sub.reader()))
        factor = q.boost * self.model.idf_of(max(df.values(), default=0), self.s.doc_count_all())
        out: Scores = {}
        for tf, offset, reader in parts:
            scores = self.model.saturate(tf, factor, offset, reader.deleted_docs_set)
            if out:
                out.update(scores)
            else:
                out = scores
        return out

    def conjunction(self, subs: list[wq.Query]) -> Scores:
        """Documents that match every positive part and no negated one; scores add up."""
        positive = [self.run(sub) for sub in subs if not isinstance(sub, wq.Not)]
        negative = [sub.query for sub in subs if isinstance(sub, wq.Not)]
        if not positive:
            positive = [dict.fromkeys(self.live(), 0.0)]
        positive.sort(key=len)
        result = positive[0]
        for other in positive[1:]:
            keys = result.keys() & other.keys()
            result = {d: result[d] + other[d] for d in keys}
            if not result:
                return result
        for sub in negative:
            for d in self.run(sub).keys() & result.keys():
                del result[d]
        return result

    def disjunction(self, subs: list[wq.Query]) -> Scores:
        """Documents that match any part; scores add up."""
        result: Scores = {}
        for sub in subs:
            part = self.run(sub)
            if not result:
                result = part
                continue
            get = result.get
            for d, v in part.items():
                result[d] = get(d, 0.0) + v
        return result

    def live(self) -> set[int]:
        """Every document not deleted."""
        if self._live is None:
            self._live = set(self.s.reader().all_doc_ids())
        return self._live
