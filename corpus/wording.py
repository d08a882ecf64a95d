"""Counts in the messages people read."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """'1 document', '0 documents', '2 documents': the count and the noun, plural unless it is one."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
