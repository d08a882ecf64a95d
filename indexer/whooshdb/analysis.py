"""The French analysis of indexer/analysis.py as the terms of each kind of Whoosh field.

The analysis itself is declared once, engine-neutral; here it becomes index
terms. A scored field holds each word's key ("deplac") and, marked, its
folded form ("=deplacees": quoted single words and prefixes match it); a
positions field holds the key of every word, stopwords included, at its
place; the exact field holds the accented words as written, for the
exact-accent ranking.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from ..analysis import WORD_MARK, Word, analyse

FIELD_MARK = ":"  # between a field's name and a key in the short fields' positions: "title:sud"
SCORED, POSITIONS, EXACT = "scored", "positions", "exact"
Term = tuple[str, int, int, int]  # index term, position, first character, end character


def word_term(folded: str) -> str:
    """The term of a folded word as written (unstemmed) in a scored field."""
    return WORD_MARK + folded


def field_term(field_name: str, key: str) -> str:
    """The term of a key in the positions of a short field (title, agenda...)."""
    return field_name + FIELD_MARK + key


def terms(text: str, words: list[Word], kind: str, prefix: str = "") -> Iterator[Term]:
    """The index terms of an analysed text, for one kind of field."""
    if kind == SCORED:
        for w in words:
            if not w.stop:
                yield w.key, w.position, w.start, w.end
                yield WORD_MARK + w.folded, w.position, w.start, w.end
    elif kind == POSITIONS:
        for w in words:
            yield prefix + w.key, w.position, w.start, w.end
    elif kind == EXACT:
        for w in words:
            surface = text[w.start:w.end]
            if not w.stop and not surface.isascii():
                yield surface.lower(), w.position, w.start, w.end
    else:
        raise ValueError(f"unknown kind of field {kind!r}")


class FrenchTerms(Tokenizer):
    """Whoosh's view of a field's analysis (the writer gets pre-analysed values instead;
    tests compare the two)."""

    def __init__(self, kind: str, prefix: str = "") -> None:
        self.kind = kind
        self.prefix = prefix

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and (other.kind, other.prefix) == (self.kind, self.prefix)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, mode=mode, **kwargs)
        for text, pos, start, end in terms(value, analyse(value), self.kind, self.prefix):
            t.text, t.boost, t.stopped = text, 1.0, False
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start, end
            yield t
