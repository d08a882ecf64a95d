"""Evaluating a compiled query as sets of documents and their scores.

Whoosh's matchers walk every match one document at a time through layers of
Python objects, and its counts are wrong when collection stops early. On
indexes of this size it is several times faster to score each word once over
all its postings (true BM25F, see bm25f.py) and to combine the words with
set operations. Phrases are matched from the positions (phrases.py), with the
posting lists they read kept for the highlights; filters are Whoosh's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from whoosh import query as wq
from whoosh.searching import Searcher

from ..errors import QueryLimitError
from ..fields import POSITIONS_FIELD, SHORT_POSITIONS_FIELD
from .analysis import field_term, word_term
from .bm25f import BM25F, FieldsPhrase, FieldsPrefix, FieldsTerm
from ..marks import Accent
from .fastread import ValueCache, posting_blocks
from .phrases import phrase_counts

Scores = dict[int, float]

# Leaf queries that only select documents; they add nothing to the score.
FILTERS = (wq.NumericRange, wq.Every)
MAX_EXPANSIONS = 1024  # words a query's prefixes may stand for, as Lucene's maxClauseCount


class Evaluator:
    """Runs one compiled query on one searcher and returns {document number: score}."""

    def __init__(self, searcher: Searcher) -> None:
        self.s = searcher
        self.model: BM25F = searcher.weighting
        self._live: set[int] | None = None
        self.values = ValueCache()
        self.expansions: dict[str, set[str]] = {}  # prefix -> the folded words it stood for

    def run(self, q: wq.Query) -> Scores:
        """Every matching live document with its score."""
        if isinstance(q, FieldsTerm):
            return self.term(q)
        if isinstance(q, FieldsPhrase):
            return self.phrase(q)
        if isinstance(q, FieldsPrefix):
            return self.prefix(q)
        if isinstance(q, wq.And):
            return self.conjunction(q.subqueries)
        if isinstance(q, wq.Or):
            return self.disjunction(q.subqueries)
        if isinstance(q, wq.Not):
            return {d: 0.0 for d in self.live() - self.run(q.query).keys()}
        if q is wq.NullQuery:
            return {}
        if isinstance(q, wq.Every):
            return dict.fromkeys(self.live(), 0.0)
        if isinstance(q, FILTERS) or isinstance(q, wq.Term):
            return dict.fromkeys(self.s.docs_for_query(q), 0.0)
        raise TypeError(f"the evaluator does not run {q!r}")

    def term(self, q: FieldsTerm) -> Scores:
        """BM25F scores of one word, gathered over the segments; one read of each posting list."""
        return self._scored(q.weights, lambda sub: self.model.tf_sums(sub, q.text, q.weights), q.boost)

    def prefix(self, q: FieldsPrefix) -> Scores:
        """BM25F scores of all the folded words that start with the prefix, taken as one word."""
        marked = word_term(q.prefix)
        skip = len(marked) - len(q.prefix)  # the mark before each folded word
        words = self.expansions.setdefault(q.prefix, set())
        by_segment: list[dict[str, Sequence[str]]] = []
        for sub, _ in self.s.leaf_searchers():
            reader = sub.reader()
            # One more word than the limit is enough to know it is passed: the rest is never read.
            texts: dict[str, Sequence[str]] = {name: [t.decode("utf-8") if isinstance(t, bytes) else t
                            for t in islice(reader.expand_prefix(name, marked), MAX_EXPANSIONS + 1)]
                     for name in q.weights}
            for found in texts.values():
                words.update(t[skip:] for t in found)
            by_segment.append(texts)
            if sum(map(len, self.expansions.values())) > MAX_EXPANSIONS:
                many = "the prefixes of the query stand" if len(self.expansions) > 1 else f"'{q.prefix}*' stands"
                raise QueryLimitError(f"{many} for more than {MAX_EXPANSIONS} words; type more letters")
        segments = iter(by_segment)
        return self._scored(q.weights, lambda sub: self.model.tf_sums_many(sub, next(segments), q.weights), q.boost)

    def phrase(self, q: FieldsPhrase) -> Scores:
        """BM25F scores of how often the phrase occurs in each field."""
        def counted(sub):
            reader = sub.reader()
            counts = {}
            for name in q.weights:
                if name == "body":
                    counts[name] = phrase_counts(reader, POSITIONS_FIELD, q.keys, q.slop + 1, self.values)
                else:
                    counts[name] = phrase_counts(reader, SHORT_POSITIONS_FIELD,
                                                 [field_term(name, k) for k in q.keys], q.slop + 1, self.values)
            return self.model.counted(sub, counts, q.weights)
        return self._scored(q.weights, counted, q.boost)

    def _scored(self, weights: dict[str, float], sums, boost: float) -> Scores:
        """Saturated BM25F scores from a segment's weighted frequencies (`sums(segment searcher)`)."""
        parts = []
        df: dict[str, int] = {}
        for sub, offset in self.s.leaf_searchers():
            tf, counts = sums(sub)
            for name, n in counts.items():
                df[name] = df.get(name, 0) + n
            if tf:
                parts.append((tf, offset, sub.reader()))
        factor = boost * self.model.idf_of(max(df.values(), default=0), self.s.doc_count_all())
        out: Scores = {}
        for tf, offset, reader in parts:
            scores = self.model.saturate(tf, factor, offset, reader.deleted_docs_set)
            if out:
                out.update(scores)
            else:
                out = scores
        return out

    def accent_penalty(self, scores: Scores, accents: Iterable[Accent], boost: float) -> None:
        """Documents that write a word typed with accents in other ways lose up to `boost` times
        its idf, in proportion to those other spellings ("traite" when "traité" was typed).
        A document holding the form typed only, or not the word at all, keeps its score."""
        n = self.s.doc_count_all()
        for accent in dict.fromkeys(accents):
            written = self._frequencies("body", word_term(accent.folded))
            if not written:
                continue
            exact = self._frequencies("body_exact", accent.exact)
            cost = boost * self.model.idf_of(len(written), n)
            for d, total in written.items():
                if d in scores:
                    scores[d] -= cost * (1.0 - min(1.0, exact.get(d, 0) / total))

    def _frequencies(self, fieldname: str, text: str) -> dict[int, float]:
        """{document number: frequency} of a term over the segments."""
        out: dict[int, float] = {}
        for sub, offset in self.s.leaf_searchers():
            for ids, freqs in posting_blocks(sub.reader(), fieldname, text):
                out.update(zip((offset + d for d in ids), freqs))
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
