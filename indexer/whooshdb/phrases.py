"""Phrase matching from the stored positions, a posting block at a time.

Whoosh's `Phrase` builds span objects for every occurrence of every word in
every candidate document; on phrases of common words ("droits de l'homme")
that was 60-80 % of a query. Here the documents holding all the words are
found from the posting lists first, and positions are decoded only for them.
The rule is Whoosh's (`SpanNear2`, ordered, mindist 1): each word stands 1 to
`slop` positions after the previous one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher

from .fastread import positions_decoder, posting_values


def in_sequence(positions: Sequence[Sequence[int]], slop: int = 1) -> bool:
    """Whether some position of each (ascending) list follows one of the previous list by 1 to `slop`."""
    if slop == 1:
        # Word i of a match stands at start + i: only the starts that the word with the
        # fewest positions allows are tried, each word's position found by bisection.
        k = min(range(len(positions)), key=lambda i: len(positions[i]))
        others = [(i - k, seq) for i, seq in enumerate(positions) if i != k]
        for p in positions[k]:
            for shift, seq in others:
                want = p + shift
                j = bisect_left(seq, want)
                if j == len(seq) or seq[j] != want:
                    break
            else:
                return True
        return False
    reach = set(positions[0])
    for following in positions[1:]:
        reach = {p for p in following if any(p - d in reach for d in range(1, slop + 1))}
        if not reach:
            return False
    return bool(reach)


def phrase_docs(reader, fieldname: str, words: Sequence[str], slop: int = 1,
                values: Callable[..., dict[int, bytes]] = posting_values) -> list[int]:
    """Document numbers (ascending, live only) of one segment where the words stand in order.

    `values(reader, fieldname, word, only)` reads a posting list, for the `only` documents at
    least (a `ValueCache` shares the reads).
    """
    if fieldname not in reader.schema:
        return []
    fmt = reader.schema[fieldname].format
    if not fmt or not fmt.supports("positions"):
        return []
    # The rarest word first; the others are read only in the blocks that may hold a candidate.
    deleted = getattr(reader, "deleted_docs_set", frozenset())
    postings: dict[str, dict[int, bytes]] = {}
    candidates: list[int] | None = None
    for word in sorted(dict.fromkeys(words), key=lambda w: reader.doc_frequency(fieldname, w)):
        found = values(reader, fieldname, word, candidates)
        if candidates is None:
            candidates = sorted(d for d in found if d not in deleted)
        else:
            candidates = [d for d in candidates if d in found]
        if not candidates:
            return []
        postings[word] = found
    decode = positions_decoder(fmt)
    lists = [postings[w] for w in words]
    return [d for d in candidates if in_sequence([decode(values[d]) for values in lists], slop)]


class PhraseIn(wq.Query):
    """Words in order in one field, 1 to `slop` positions apart; selects documents, scores nothing."""

    def __init__(self, fieldname: str, words: Sequence[str], slop: int = 1) -> None:
        self.fieldname = fieldname
        self.words = tuple(words)
        self.slop = slop
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return (type(other) is type(self) and other.fieldname == self.fieldname
                and other.words == self.words and other.slop == self.slop)

    def __hash__(self) -> int:
        return hash((self.fieldname, self.words, self.slop))

    def __repr__(self) -> str:
        return f"PhraseIn({self.fieldname!r}, {self.words!r}, slop={self.slop})"

    def is_leaf(self) -> bool:
        return True

    def terms(self, phrases: bool = False):
        return ((self.fieldname, w) for w in self.words) if phrases else iter(())

    def estimate_size(self, ixreader) -> int:
        return min((ixreader.doc_frequency(self.fieldname, w) for w in self.words), default=0)

    def matcher(self, searcher, context=None):
        docs = phrase_docs(searcher.reader(), self.fieldname, self.words, self.slop)
        return ListMatcher(docs, all_weights=0.0) if docs else NullMatcher()
