"""True BM25F (Robertson and Zaragoza) as a Whoosh weighting model and term query.

Whoosh's own BM25F scores each field apart and adds the scores, so one word in
a short title outweighs a body that matches every word. Here the term
frequencies of all fields are weighted, length-normalised per field and added
*before* one saturation:

    tf~(d) = sum_f  w_f * tf_f(d) / (1 - b_f + b_f * len_f(d) / avglen_f)
    score  = idf * tf~ / (k1 + tf~)

A `FieldsTerm` query reads the postings of its word in every field once and
hands Whoosh a list matcher of ready scores, so Boolean queries stay Whoosh's.
"""

from __future__ import annotations

import math
import weakref
from array import array

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.scoring import BM25FScorer, WeightingModel, WeightScorer


class BM25F(WeightingModel):
    """Field weights and parameters of true BM25F; other queries (phrases) get per-field BM25."""

    def __init__(self, weights: dict[str, float], b: float = 0.3, k1: float = 1.2,
                 field_b: dict[str, float] | None = None) -> None:
        self.weights = dict(weights)
        self.b = b
        self.k1 = k1
        self.field_b = dict(field_b or {})
        self._norms: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def scorer(self, searcher, fieldname, text, qf=1):
        """Per-field BM25, for the queries that are not `FieldsTerm` (phrases, exact forms)."""
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        return BM25FScorer(searcher, fieldname, text, self.field_b.get(fieldname, self.b), self.k1, qf=qf)

    def norms(self, searcher, fieldname: str) -> array:
        """1 - b + b * len/avglen for every document of this segment (computed once per reader)."""
        reader = searcher.reader()
        per_reader = self._norms.setdefault(reader, {})
        if fieldname not in per_reader:
            b = self.field_b.get(fieldname, self.b)
            avg = searcher.get_parent().avg_field_length(fieldname) or 1.0
            length = reader.doc_field_length
            per_reader[fieldname] = array("d", (1 - b + b * (length(d, fieldname) or 0) / avg
                                                for d in range(reader.doc_count_all())))
        return per_reader[fieldname]

    def word_idf(self, searcher, text: str, weights: dict[str, float]) -> float:
        """Inverse document frequency of a word, taking its most frequent field as its frequency."""
        parent = searcher.get_parent()
        df = max((parent.doc_frequency(f, text) for f, w in weights.items() if w > 0), default=0)
        n = parent.doc_count_all()
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def term_scores(self, searcher, text: str, weights: dict[str, float],
                    idf: float | None = None) -> tuple[list[int], list[float]]:
        """Document numbers (ascending, in this segment) and BM25F scores of one word over weighted fields."""
        reader = searcher.reader()
        combined: dict[int, float] = {}
        for fieldname, weight in weights.items():
            if weight <= 0 or (fieldname, text) not in reader:
                continue
            norm = self.norms(searcher, fieldname)
            m = reader.postings(fieldname, text)
            get = combined.get
            while m.is_active():
                d = m.id()
                combined[d] = get(d, 0.0) + weight * m.weight() / norm[d]
                m.next()
        if not combined:
            return [], []
        idf = self.word_idf(searcher, text, weights) if idf is None else idf
        k1 = self.k1
        ids = sorted(combined)
        return ids, [idf * combined[d] / (k1 + combined[d]) for d in ids]


class FieldsTerm(wq.Query):
    """One analysed word searched in several weighted fields, scored by true BM25F."""

    def __init__(self, text: str, weights: dict[str, float], boost: float = 1.0) -> None:
        self.text = text
        self.weights = weights
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and other.text == self.text
                and other.weights == self.weights and other.boost == self.boost)

    def __hash__(self) -> int:
        return hash((self.text, tuple(sorted(self.weights.items())), self.boost))

    def __repr__(self) -> str:
        return f"FieldsTerm({self.text!r}, {self.weights!r})"

    def is_leaf(self) -> bool:
        return True

    def terms(self, phrases: bool = False):
        return ((name, self.text) for name in self.weights)

    def estimate_size(self, ixreader) -> int:
        return max((ixreader.doc_frequency(f, self.text) for f in self.weights), default=0)

    def matcher(self, searcher, context=None):
        model = searcher.weighting
        if not isinstance(model, BM25F):
            raise TypeError("FieldsTerm needs the BM25F weighting model")
        ids, scores = model.term_scores(searcher, self.text, self.weights)
        if not ids:
            return NullMatcher()
        if self.boost != 1.0:
            scores = [s * self.boost for s in scores]
        return ListMatcher(ids, weights=scores, all_weights=None)
