"""True BM25F (Robertson and Zaragoza) as a Whoosh weighting model and term query.

Whoosh's own BM25F scores each field apart and adds the scores, so one word in
a short title outweighs a body that matches every word. Here the term
frequencies of all fields are weighted, length-normalised per field and added
*before* one saturation:

    tf~(d) = sum_f  w_f * tf_f(d) / (1 - b_f + b_f * len_f(d) / avglen_f)
    score  = idf * tf~ / (k1 + tf~)

A `FieldsTerm` query reads the postings of its word in every field once (a
block at a time, see fastread.py) and hands Whoosh a list matcher of ready
scores, so Boolean queries stay Whoosh's; evaluate.py uses the same sums.
"""

from __future__ import annotations

import math
import weakref
from array import array
from collections.abc import Sequence
from operator import mul

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.scoring import BM25FScorer, WeightingModel, WeightScorer

from .fastread import field_lengths, posting_blocks


class BM25F(WeightingModel):
    """Field weights and parameters of true BM25F; other queries (phrases) get per-field BM25."""

    def __init__(self, weights: dict[str, float], b: float = 0.3, k1: float = 1.2,
                 field_b: dict[str, float] | None = None) -> None:
        self.weights = dict(weights)
        self.b = b
        self.k1 = k1
        self.field_b = dict(field_b or {})
        self._scales: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def scorer(self, searcher, fieldname, text, qf=1):
        """Per-field BM25, for the queries that are not `FieldsTerm` (phrases, exact forms)."""
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        return BM25FScorer(searcher, fieldname, text, self.field_b.get(fieldname, self.b), self.k1, qf=qf)

    def scales(self, searcher, fieldname: str, weight: float) -> array:
        """weight / (1 - b + b * len/avglen) for every document of this segment (computed once per reader)."""
        reader = searcher.reader()
        per_reader = self._scales.setdefault(reader, {})
        key = (fieldname, weight)
        if key not in per_reader:
            b = self.field_b.get(fieldname, self.b)
            avg = searcher.get_parent().avg_field_length(fieldname) or 1.0
            per_reader[key] = array("d", (weight / (1 - b + b * n / avg) for n in field_lengths(reader, fieldname)))
        return per_reader[key]

    def idf_of(self, df: int, n: int) -> float:
        """Inverse document frequency of a word found in `df` of `n` documents."""
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def word_idf(self, searcher, text: str, weights: dict[str, float]) -> float:
        """Inverse document frequency of a word, taking its most frequent field as its frequency."""
        parent = searcher.get_parent()
        df = max((parent.doc_frequency(f, text) for f, w in weights.items() if w > 0), default=0)
        return self.idf_of(df, parent.doc_count_all())

    def tf_sums(self, searcher, text: str, weights: dict[str, float]) -> tuple[dict[int, float], dict[str, int]]:
        """The weighted, length-normalised frequencies of a word summed over the fields, by document
        number in this segment (deleted documents included), and its document frequency per field."""
        return self.tf_sums_many(searcher, {name: (text,) for name in weights}, weights)

    def tf_sums_many(self, searcher, texts: dict[str, Sequence[str]],
                     weights: dict[str, float]) -> tuple[dict[int, float], dict[str, int]]:
        """`tf_sums` of several words taken as one (the forms of a prefix), each field with its
        own words; a document counts once in a field's frequency."""
        reader = searcher.reader()
        combined: dict[int, float] = {}
        df: dict[str, int] = {}
        for fieldname, weight in weights.items():
            if weight <= 0 or not texts.get(fieldname):
                continue
            scale = None
            seen: set[int] = set()
            first = not combined and len(texts[fieldname]) == 1
            for text in texts[fieldname]:
                for ids, freqs in posting_blocks(reader, fieldname, text):
                    if scale is None:
                        scale = self.scales(searcher, fieldname, weight)
                    seen.update(ids)
                    values = map(mul, freqs, map(scale.__getitem__, ids))
                    if first:  # one word in the first field: its documents are distinct, no sums
                        combined.update(zip(ids, values))
                    else:
                        get = combined.get
                        for d, v in zip(ids, values):
                            combined[d] = get(d, 0.0) + v
            if seen:
                df[fieldname] = len(seen)
        return combined, df

    def counted(self, searcher, counts: dict[str, dict[int, int]],
                weights: dict[str, float]) -> tuple[dict[int, float], dict[str, int]]:
        """`tf_sums` of a phrase, from how often it occurs in each field of each document."""
        combined: dict[int, float] = {}
        df: dict[str, int] = {}
        for fieldname, by_doc in counts.items():
            if not by_doc:
                continue
            scale = self.scales(searcher, fieldname, weights[fieldname])
            df[fieldname] = len(by_doc)
            get = combined.get
            for d, n in by_doc.items():
                combined[d] = get(d, 0.0) + n * scale[d]
        return combined, df

    def saturate(self, tf: dict[int, float], factor: float, offset: int = 0,
                 deleted: frozenset[int] = frozenset()) -> dict[int, float]:
        """factor * tf / (k1 + tf) for each document, numbered from `offset`, without the deleted ones."""
        k1 = self.k1
        if deleted:
            return {offset + d: factor * t / (k1 + t) for d, t in tf.items() if d not in deleted}
        return {offset + d: factor * t / (k1 + t) for d, t in tf.items()}


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
        tf, _ = model.tf_sums(searcher, self.text, self.weights)
        if not tf:
            return NullMatcher()
        factor = self.boost * model.word_idf(searcher, self.text, self.weights)
        scores = model.saturate(tf, factor, deleted=searcher.reader().deleted_docs_set)
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        return ListMatcher(ids, weights=[scores[d] for d in ids], all_weights=None)


class FieldsPrefix(wq.Query):
    """The folded words that start with `prefix`, in several weighted fields, scored by true
    BM25F as one word (all its forms together); run by the evaluator."""

    def __init__(self, prefix: str, weights: dict[str, float]) -> None:
        self.prefix = prefix
        self.weights = weights
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (other.prefix, other.weights) == (self.prefix, self.weights)

    def __hash__(self) -> int:
        return hash((self.prefix, tuple(sorted(self.weights.items()))))

    def __repr__(self) -> str:
        return f"FieldsPrefix({self.prefix!r}, {self.weights!r})"

    def is_leaf(self) -> bool:
        return True


class FieldsPhrase(wq.Query):
    """Keys in a row (at most `slop` extra positions between two), in several weighted fields,
    scored by true BM25F of how often the phrase occurs; run by the evaluator."""

    def __init__(self, keys: Sequence[str], weights: dict[str, float], slop: int = 0) -> None:
        self.keys = tuple(keys)
        self.weights = weights
        self.slop = slop
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self)
                and (other.keys, other.weights, other.slop) == (self.keys, self.weights, self.slop))

    def __hash__(self) -> int:
        return hash((self.keys, tuple(sorted(self.weights.items())), self.slop))

    def __repr__(self) -> str:
        return f"FieldsPhrase({self.keys!r}, {self.weights!r}, slop={self.slop})"

    def is_leaf(self) -> bool:
        return True
