"""Phrase matching from the stored positions, a posting block at a time.

The documents holding all the words are found from the posting lists first
(the rarest word first; the others read only in the blocks that may hold a
candidate), and positions are decoded for those only. A phrase occurs where
each word stands 1 to `reach` positions after the one before it (`reach` is
1 for words in a row, slop + 1 otherwise); how often it occurs is the number
of positions where an occurrence starts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from ..phrasing import phrase_starts
from .fastread import positions_decoder, posting_values


def phrase_counts(reader, fieldname: str, words: Sequence[str], reach: int = 1,
                  values: Callable[..., dict[int, bytes]] = posting_values) -> dict[int, int]:
    """{document number: occurrences} of the words in order, for the live documents of one segment.

    `values(reader, fieldname, word, only)` reads a posting list, for the `only` documents at
    least (a `ValueCache` shares the reads).
    """
    if fieldname not in reader.schema:
        return {}
    deleted: Collection[int] = getattr(reader, "deleted_docs_set", frozenset())
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
    out = {}
    for d in candidates or ():
        # A word the phrase repeats ("de la ... de la") is decoded once per document.
        decoded = {w: decode(found[d]) for w, found in postings.items()}
        n = len(phrase_starts([decoded[w] for w in words], reach))
        if n:
            out[d] = n
    return out
