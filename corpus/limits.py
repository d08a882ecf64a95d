"""How many words one document may hold: what bounds the memory and time of indexing it."""

from __future__ import annotations

import re
from dataclasses import replace

from .record import Statement

# The longest of the shared corpus's 3,053 AKN texts (A/RES/76/258; its PDF and Word files are
# made from the same texts) holds 42,741 words, 5,712 of them different. Both caps leave a margin
# of about five. Indexing costs grow with the different words most: before these caps, a 15 MiB
# text of 1.5 million different words took 95 s and 2.1 GB to index and made a 540 MB index
# (100,000 different words alone: 12 s, 210 MB).
MAX_WORDS = 200_000
MAX_DISTINCT = 30_000
_WORD = re.compile(r"\S+")


def cut_words(text: str) -> tuple[str, int] | None:
    """The text up to the last word within the caps, and how many words it keeps; None when within."""
    seen: set[str] = set()
    for count, match in enumerate(_WORD.finditer(text)):
        seen.add(match.group().lower())
        if count == MAX_WORDS or len(seen) > MAX_DISTINCT:
            return text[:match.start()].rstrip(), count
    return None


def cut_warning(kept: int) -> str:
    """What is said of a text cut after `kept` words."""
    return (f"text cut after {kept:,} words (a document may hold {MAX_WORDS:,} words, {MAX_DISTINCT:,} of them "
            f"different); the rest is not indexed")


def capped(record: Statement) -> tuple[Statement, list[str]]:
    """The record with its title and body cut at the caps, and a warning for each text cut."""
    texts = {"title": record.title, "body": record.body}
    warnings: list[str] = []
    for name, text in texts.items():
        cut = cut_words(text)
        if cut is not None:
            texts[name] = cut[0]
            warnings.append(cut_warning(cut[1]))
    return (replace(record, title=texts["title"], body=texts["body"]) if warnings else record), warnings
