"""'Did you mean': the query again, with each unknown word replaced by a close word of the index."""

from __future__ import annotations

import re
from collections.abc import Callable


def suggest(query: str, closest_word: Callable[[str], str | None]) -> tuple[str, ...]:
    """The corrected query, or () when no word needed a correction."""
    changed = False
    out = []
    for token in re.split(r"(\s+)", query):
        fixed = closest_word(token) if re.fullmatch(r"\w{3,}", token) else None
        changed |= fixed is not None
        out.append(fixed or token)
    return ("".join(out),) if changed else ()
