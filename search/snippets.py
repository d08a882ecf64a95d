"""Snippets cut from the original text around the spans the engine matched."""

from __future__ import annotations

import re
from dataclasses import dataclass

WIDTH = 220
MAX_SNIPPETS = 3
MAX_SPANS = 400  # passages are looked for among the first matches only


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


def make_snippets(body: str, spans: tuple[tuple[int, int], ...], width: int = WIDTH,
                  count: int = MAX_SNIPPETS) -> tuple[Snippet, ...]:
    """Up to `count` passages, the richest in distinct matched words first, in text order.

    Without spans (a match in the title or metadata only), the opening of the text.
    """
    if not body:
        return ()
    if not spans:
        return (Snippet(_cut(body, 0, width)[0]),)
    spans = spans[:MAX_SPANS]
    words = [body[a:b].lower() for a, b in spans]
    inside: dict[str, int] = {}  # distinct words in the current window, with their counts
    windows = []
    end = 0  # spans[i:end] lie in the window that starts at span i
    for i, (start, _) in enumerate(spans):
        lo = max(0, start - width // 3)
        while end < len(spans) and spans[end][1] <= lo + width:
            inside[words[end]] = inside.get(words[end], 0) + 1
            end += 1
        windows.append((len(inside), end - i, -start, lo))
        left = inside[words[i]] - 1
        if left:
            inside[words[i]] = left
        else:
            del inside[words[i]]
    chosen: list[int] = []
    for _, _, _, lo in sorted(windows, reverse=True):
        if all(abs(lo - c) >= width for c in chosen):
            chosen.append(lo)
        if len(chosen) == count:
            break
    snippets = []
    for lo in sorted(chosen):
        text, offset = _cut(body, lo, width)
        marks = tuple((a - offset, b - offset) for a, b in spans if a >= offset and b <= offset + len(text))
        snippets.append(Snippet(text, marks))
    return tuple(snippets)


def _cut(body: str, lo: int, width: int) -> tuple[str, int]:
    """A passage near [lo, lo+width) widened to whole words; returns it and its offset."""
    if lo > 0:
        space = body.rfind(" ", max(0, lo - 20), lo)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(body), lo + width)
    if hi < len(body):
        space = body.find(" ", hi, hi + 20)
        hi = space if space >= 0 else hi
    raw = body[lo:hi]
    # Paragraph breaks become spaces, keeping offsets: one character for one.
    return re.sub(r"\s", " ", raw), lo
