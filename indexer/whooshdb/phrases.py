"""Phrase matching from the stored positions, a posting block at a time.

The documents holding all the words are found from the posting lists first
(the rarest word first; the others read only in the blocks that may hold a
candidate), and positions are decoded for those only. A phrase occurs where
each word stands 1 to `reach` positions after the one before it (`reach` is
1 for words in a row, slop + 1 otherwise); how often it occurs is the number
of positions where an occurrence starts.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from .fastread import positions_decoder, posting_values


def phrase_matches(positions: Sequence[Sequence[int]], reach: int = 1) -> list[tuple[int, int]]:
    """(first, last) position of each occurrence, one per starting position, ascending.

    `positions` holds each word's positions, ascending.
    """
    n = len(positions)
    if n == 1:
        return [(p, p) for p in positions[0]]
    if reach == 1:
        # Word i of an occurrence stands at start + i: only the starts that the word with
        # the fewest positions allows are tried, each word's position found by bisection.
        k = min(range(n), key=lambda i: len(positions[i]))
        others = [(i - k, seq) for i, seq in enumerate(positions) if i != k]
        out = []
        for p in positions[k]:
            for shift, seq in others:
                want = p + shift
                j = bisect_left(seq, want)
                if j == len(seq) or seq[j] != want:
                    break
            else:
                out.append((p - k, p - k + n - 1))
        return out
    # From the last word back: the positions of word i from which the rest can follow.
    valid: list[Sequence[int]] = [()] * n
    valid[-1] = positions[-1]
    for i in range(n - 2, -1, -1):
        following = valid[i + 1]
        valid[i] = [p for p in positions[i]
                    if (j := bisect_right(following, p)) < len(following) and following[j] <= p + reach]
        if not valid[i]:
            return []
    out = []
    for start in valid[0]:
        at = start
        for following in valid[1:]:
            at = following[bisect_right(following, at)]  # the nearest next word; one is in reach
        out.append((start, at))
    return out


def phrase_counts(reader, fieldname: str, words: Sequence[str], reach: int = 1,
                  values: Callable[..., dict[int, bytes]] = posting_values) -> dict[int, int]:
    """{document number: occurrences} of the words in order, for the live documents of one segment.

    `values(reader, fieldname, word, only)` reads a posting list, for the `only` documents at
    least (a `ValueCache` shares the reads).
    """
    if fieldname not in reader.schema:
        return {}
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
            return {}
        postings[word] = found
    decode = positions_decoder(reader.schema[fieldname].format)
    lists = [postings[w] for w in words]
    out = {}
    for d in candidates or ():
        n = len(phrase_matches([decode(values[d]) for values in lists], reach))
        if n:
            out[d] = n
    return out
