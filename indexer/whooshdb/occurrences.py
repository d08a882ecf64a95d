"""Where the query's words occur in the body of the top hits: for closeness and for snippets.

Positions are read from the postings of the positions field, characters from
each shown document's offsets column; the text is never analysed again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from itertools import chain

from ..fields import POSITIONS_FIELD
from ..query import Span
from .fastread import ValueCache, positions_decoder
from .formats import Offsets

Positions = dict[int, dict[str, Sequence[int]]]

MAX_PREFIX_TERMS = 64
MAX_NEAR = 8  # closeness counts saturate long before this


def expand(reader, terms: set[str], prefixes: set[str]) -> set[str]:
    """The words, plus the index words that start with each prefix (a bounded number)."""
    out = set(terms)
    for prefix in prefixes:
        for i, term in enumerate(reader.expand_prefix(POSITIONS_FIELD, prefix)):
            if i >= MAX_PREFIX_TERMS:
                break
            out.add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return out


def matches(searcher, docnums: list[int], terms: set[str], values: ValueCache,
            offsets: Callable[[int], Offsets]) -> dict[int, tuple[Span, ...]]:
    """For each document, the (start, end, index word) of every occurrence of the terms, in
    text order: positions from the postings, characters from the document's `offsets`."""
    out: dict[int, tuple[Span, ...]] = {}
    for d, by_term in positions(searcher, docnums, terms, values).items():
        where = offsets(d)
        out[d] = tuple(sorted(chain.from_iterable(where.spans(found, term) for term, found in by_term.items())))
    return out


def positions(searcher, docnums: list[int], terms: set[str], values: ValueCache) -> Positions:
    """For each document, the positions of each term, decoded for those documents only."""
    found: Positions = {d: {} for d in docnums}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        local = sorted(d - offset for d in docnums if offset <= d < offset + reader.doc_count_all())
        if not local:
            continue
        decode = positions_decoder(reader.schema[POSITIONS_FIELD].format)
        for term in terms:
            encoded = values(reader, POSITIONS_FIELD, term, local)
            for d in local:
                if d in encoded:
                    found[d + offset][term] = decode(encoded[d])
    return found


def closeness(found: Positions, words: list[str], slop: int) -> dict[int, int]:
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


def _near(sorted_positions: list[int], p: int, width: int) -> bool:
    i = bisect.bisect_left(sorted_positions, p - width)
    return i < len(sorted_positions) and sorted_positions[i] <= p + width
