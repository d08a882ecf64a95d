"""'Did you mean': close real words (not stems) from the index's own vocabulary."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from unidecode import unidecode

MIN_DOCS = 2


class Speller:
    """Proposes, for each unknown query word, the closest frequent word of the index."""

    def __init__(self, vocabulary: list[tuple[str, int]]) -> None:
        self.freq: dict[str, int] = {}
        for word, docs in vocabulary:
            if docs >= MIN_DOCS and word.isalpha():
                self.freq[word] = max(docs, self.freq.get(word, 0))
        self.folded: dict[str, str] = {}
        for word in sorted(self.freq, key=self.freq.get):
            self.folded[_fold(word)] = word
        self.buckets: dict[str, list[str]] = defaultdict(list)
        for key in self.folded:
            self.buckets[key[:1]].append(key)

    def correct(self, word: str) -> str | None:
        """The closest known word, or None when the word is known or nothing is close."""
        key = _fold(word)
        if len(key) < 3 or key in self.folded:
            return None
        candidates = [c for c in self.buckets.get(key[:1], []) if abs(len(c) - len(key)) <= 2]
        close = difflib.get_close_matches(key, candidates, n=5, cutoff=0.75)
        if not close:
            return None
        best = max(close, key=lambda c: (difflib.SequenceMatcher(None, key, c).ratio(), self.freq[self.folded[c]]))
        return self.folded[best]

    def suggest(self, query: str) -> tuple[str, ...]:
        """The query with its unknown words corrected, if any were."""
        changed = False
        out = []
        for token in re.split(r"(\s+)", query):
            fixed = self.correct(token) if re.fullmatch(r"\w+", token) else None
            changed |= fixed is not None
            out.append(fixed or token)
        return ("".join(out),) if changed else ()


def _fold(word: str) -> str:
    return unidecode(word).lower()
