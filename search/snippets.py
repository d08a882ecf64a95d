"""Snippets cut from the original text around the spans the engine matched."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from indexer.query import Span

from .settings import SNIPPET_WIDTH, SNIPPETS

MAX_SPANS = 400  # passages are looked for among the first matches only
_BREAKS = re.compile(r"[^\S ]")  # white space other than a plain space


class Passages(Protocol):
    """A text as snippets read it: its length, and slices of it (a str will do)."""

    def __len__(self) -> int: ...

    def __getitem__(self, where: slice) -> str: ...


@dataclass(frozen=True)
class Snippet:
    """A passage of the original text; `marks` are (start, end) offsets of matched words in it."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each matched word wrapped in the given marks."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)


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
    before = width // 3  # a window opens this far before its span, or at the start of the text
    los = [start - before if start > before else 0 for start in starts]
    scores = _scores(spans, los, width)
    chosen: list[int] = []
    # The best windows first; of equal ones, the earliest (the sort is stable).
    for i in sorted(range(len(los)), key=scores.__getitem__, reverse=True):
        lo = los[i]
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


def _scores(spans: Sequence[Span], los: list[int], width: int) -> list[int]:
    """How good each window is: its distinct words, then its spans, as one number.

    The window at span i opens at los[i] and holds spans i up to the first that ends beyond
    it: at most MAX_SPANS spans, so a word more outweighs any number of spans.
    """
    ends: list[float] = [b for _, b, _ in spans]
    ends.append(math.inf)  # beyond every window: the scan below stops there
    words = [w for _, _, w in spans]
    scores = []
    end = 0
    for i, lo in enumerate(los):
        while ends[end] <= lo + width:
            end += 1
        held = end - i  # 0 or less when a span up to i ends beyond the window
        distinct = len(set(words[i:end])) if held > 1 else int(held == 1)
        scores.append(distinct * (MAX_SPANS + 1) + held)
    return scores


def _cut(body: Passages, lo: int, width: int) -> tuple[str, int]:
    """A passage near [lo, lo+width) widened to whole words; returns it and its offset.

    The body is sliced once (a stored text decodes what each slice covers), from 20
    characters before `lo` to 20 after the passage's end.
    """
    first = max(0, lo - 20)
    near = body[first:lo + width + 20]
    if lo > 0:
        space = near.rfind(" ", 0, lo - first)
        lo = first + space + 1 if space >= 0 else lo
    size = len(body)
    hi = min(size, lo + width)
    if hi < size:
        space = near.find(" ", hi - first, hi - first + 20)
        hi = first + space if space >= 0 else hi
    # Paragraph breaks become spaces, keeping offsets: one character for one.
    return _BREAKS.sub(" ", near[lo - first:hi - first]), lo
