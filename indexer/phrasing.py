"""Phrase occurrences from word positions, the same for every engine.

A phrase occurs where each word stands 1 to `reach` positions after the one
before it (`reach` is 1 for words in a row, slop + 1 otherwise); how often it
occurs is the number of positions where an occurrence starts.
"""

from __future__ import annotations

import bisect
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import compress, count
from operator import sub

MAX_NEAR = 8  # closeness counts saturate long before this


def phrase_matches(positions: Sequence[Sequence[int]], reach: int = 1) -> list[tuple[int, int]]:
    """(first, last) position of each occurrence, one per starting position, ascending.

    `positions` holds each word's positions, ascending.
    """
    if len(positions) == 1 or reach == 1:
        n = len(positions)
        return [(p, p + n - 1) for p in phrase_starts(positions, reach)]
    valid = _chains(positions, reach)
    out = []
    for start in valid[0]:
        at = start
        for following in valid[1:]:
            at = following[bisect_right(following, at)]  # the nearest next word; one is in reach
        out.append((start, at))
    return out


def phrase_starts(positions: Sequence[Sequence[int]], reach: int = 1) -> Sequence[int]:
    """The positions where an occurrence starts, ascending; the cost does not grow with `reach`."""
    n = len(positions)
    if n == 1:
        return positions[0]
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
                out.append(p - k)
        return out
    return _chains(positions, reach)[0]


def _chains(positions: Sequence[Sequence[int]], reach: int) -> list[Sequence[int]]:
    """For each word, its positions from which the rest of the phrase can follow (all empty if none)."""
    n = len(positions)
    valid: list[Sequence[int]] = [()] * n
    valid[-1] = positions[-1]
    for i in range(n - 2, -1, -1):
        valid[i] = _followed(positions[i], valid[i + 1], reach)
        if not valid[i]:
            return [()] * n
    return valid


def _followed(seq: Sequence[int], following: Sequence[int], reach: int) -> Sequence[int]:
    """The positions p of `seq` with a position of `following` in p + 1 .. p + reach.

    Those p are the union of the windows q - reach .. q - 1 of the following positions q;
    windows less than `reach` apart merge into runs, found at C speed, and `seq` is sliced
    to each run: a large reach makes few runs, a small one is checked position by position.
    """
    if not seq or not following:
        return []
    ends = list(compress(count(1), map(reach.__lt__, map(sub, following[1:], following))))
    if len(ends) >= len(seq):
        return [p for p in seq
                if (j := bisect_right(following, p)) < len(following) and following[j] <= p + reach]
    out: list[int] = []
    first = 0
    for end in (*ends, len(following)):
        lo = bisect_left(seq, following[first] - reach)
        out.extend(seq[lo:bisect_left(seq, following[end - 1], lo)])
        first = end
    return out


def closeness(found: dict[int, dict[str, Sequence[int]]], words: list[str], slop: int) -> dict[int, int]:
    """For each document, how often all the words occur within a few positions of each other."""
    distinct = list(dict.fromkeys(words))
    width = len(distinct) - 1 + slop
    counts = {}
    for d, by_term in found.items():
        if not all(w in by_term for w in distinct):
            continue
        lists = sorted((by_term[w] for w in distinct), key=len)
        first, others = lists[0], lists[1:]
        n = 0
        for p in first:
            if all(_near(other, p, width) for other in others):
                n += 1
                if n == MAX_NEAR:
                    break
        if n:
            counts[d] = n
    return counts


def _near(sorted_positions: Sequence[int], p: int, width: int) -> bool:
    i = bisect.bisect_left(sorted_positions, p - width)
    return i < len(sorted_positions) and sorted_positions[i] <= p + width
