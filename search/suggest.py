"""'Did you mean': the query again, with each unknown word replaced by a close word of the index."""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_SUGGEST_WORDS = 8  # different words of a query looked up for "did you mean"


def suggest(query: str, closest_word: Callable[[str], str | None]) -> tuple[str, ...]:
    """The corrected query, or () when no word needed a correction; only the first
    MAX_SUGGEST_WORDS different words of three letters or more are looked up."""
    looked_up: dict[str, str | None] = {}
    out = []
    for token in re.split(r"(\s+)", query):
        if token not in looked_up and len(looked_up) < MAX_SUGGEST_WORDS and re.fullmatch(r"\w{3,}", token):
            looked_up[token] = closest_word(token)
        out.append(looked_up.get(token) or token)
    return ("".join(out),) if any(looked_up.values()) else ()
