"""The reference snippets: `make_snippets` as it stood before it was made faster, frozen.

It is the meaning the snippets of search/snippets.py are checked against
(tests/test_snippets_reference.py): the same passages and marks for every body and spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from indexer.query import Span
from search.settings import SNIPPET_WIDTH, SNIPPETS
from search.snippets import Passages, Snippet

MAX_SPANS = 400  # passages are looked for among the first matches only
_WHITESPACE = re.compile(r"\s")


def make_snippets(body: Passages, spans: Sequence[Span], width: int = SNIPPET_WIDTH,
                  count: int = SNIPPETS) -> tuple[Snippet, ...]:
    """Up to `count` passages, the richest in distinct matched words first, in text order.

    `body` is the text (or anything that slices like it); `spans` are the (start, end,
    word) of each match in text order; `word` (the index word) tells which matches count
    as the same word. Without spans (a match in the title or metadata only), the opening
    of the text.
    """
    if not body or count < 1:
        return ()
    if not spans:
        return (Snippet(_cut(body, 0, width)[0]),)
    spans = spans[:MAX_SPANS]
    starts = [a for a, _, _ in spans]
    ends = [b for _, b, _ in spans]
    numbers: dict[str, int] = {}
    words = [numbers.setdefault(w, len(numbers)) for _, _, w in spans]
    inside = [0] * len(numbers)  # how often each word occurs in the current window
    distinct = 0
    n = len(spans)
    windows = []
    end = 0  # spans[i:end] lie in the window that starts at span i
    for i, start in enumerate(starts):
        lo = start - width // 3 if start > width // 3 else 0
        limit = lo + width
        while end < n and ends[end] <= limit:
            word = words[end]
            if not inside[word]:
                distinct += 1
            inside[word] += 1
            end += 1
        windows.append((distinct, end - i, -start, lo))
        word = words[i]
        inside[word] -= 1
        if not inside[word]:
            distinct -= 1
    windows.sort(reverse=True)
    chosen: list[int] = []
    for _, _, _, lo in windows:
        if all(abs(lo - c) >= width for c in chosen):
            chosen.append(lo)
            if len(chosen) == count:
                break
    snippets = []
    for lo in sorted(chosen):
        text, offset = _cut(body, lo, width)
        stop = offset + len(text)
        first = bisect_left(starts, offset)
        marks = tuple((a - offset, b - offset) for a, b, _ in spans[first:bisect_right(starts, stop)] if b <= stop)
        snippets.append(Snippet(text, marks))
    return tuple(snippets)


def _cut(body: Passages, lo: int, width: int) -> tuple[str, int]:
    """A passage near [lo, lo+width) widened to whole words; returns it and its offset."""
    size = len(body)
    if lo > 0:
        before = max(0, lo - 20)
        space = body[before:lo].rfind(" ")
        lo = before + space + 1 if space >= 0 else lo
    hi = min(size, lo + width)
    if hi < size:
        space = body[hi:hi + 20].find(" ")
        hi = hi + space if space >= 0 else hi
    # Paragraph breaks become spaces, keeping offsets: one character for one.
    return _WHITESPACE.sub(" ", body[lo:hi]), lo
