"""French analysis, declared once, as Whoosh `Tokenizer | Filter | ...` chains.

Two forms of each text are indexed: a folded, stemmed one that matches
whatever the user types ("etres" finds "êtres", "enfant" finds "enfants"), and
an exact one of the accented words, so ranking can prefer "traité"
(treaty) over "traite" (trafficking) when the user typed the accent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from unidecode import unidecode
from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, StemFilter, Token, Tokenizer
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.french import FrenchStemmer

# UN symbols stay whole ("A/RES/78/144", "E/2023/L.20", "68/192", "ES-11/6"),
# as do numbers; words may hold apostrophes (elisions, "aujourd'hui") but not
# hyphens, so "extra-atmosphérique" gives "extra" then "atmosphérique".
TOKEN_PATTERN = re.compile(
    r"[A-Z]{1,6}(?:/[A-Za-z0-9.\-]*[A-Za-z0-9])+"
    r"|(?:[A-Z]{1,3}-)?\d+/\d+(?:/\d+)*"
    r"|\w+(?:['’ʼ]\w+)*"
)
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split())
APOSTROPHES = "'’ʼ"
# Snowball's French list, plus common words it lacks ("les", "cette", "dont"),
# each both as written and folded, so either form of a token is looked up directly.
_STOP_LIST = [*stopwords_for_language("fr"), "les", "a", "à", "où", "cet", "cette", "dont", "ni", "si"]
STOPWORDS = frozenset([w.lower() for w in _STOP_LIST] + [unidecode(w).lower() for w in _STOP_LIST])


class FrenchTokenizer(Tokenizer):
    """Words, numbers and UN symbols, with positions and original character offsets."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, match in enumerate(TOKEN_PATTERN.finditer(value), start_pos):
            t.text = match.group()
            t.boost, t.stopped = 1.0, False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            yield t

    def spans(self, value: str) -> list[tuple[str, int, int, int]]:
        """Every word as (text, position, start, end): what a call yields, without Token objects."""
        return [(m.group(), pos, m.start(), m.end()) for pos, m in enumerate(TOKEN_PATTERN.finditer(value))]


class ElisionFilter(Filter):
    """Drops elided articles and conjunctions: "l'enfant" -> "enfant", "jusqu’à" -> "à"."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text or "ʼ" in text:
                i = min(text.find(a) for a in APOSTROPHES if a in text)
                if text[:i].lower() in ELISIONS and i + 1 < len(text):
                    t.text = text[i + 1:]
                    if t.chars:
                        t.startchar += i + 1
            yield t


class FoldFilter(Filter):
    """Lower-cases and folds accents and ligatures with unidecode (É->e, œ->oe, ’->')."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = self.cache
        for t in tokens:
            text = t.text
            folded = cache.get(text)
            if folded is None:
                folded = unidecode(text).lower() if not text.isascii() else text.lower()
                if len(cache) < 200_000:
                    cache[text] = folded
            t.text = folded
            yield t


class StopwordFilter(Filter):
    """Removes French stopwords, accented or folded ("été" and "ete" both stop), and renumbers positions.

    Comes after lower-casing; the list holds every stopword as written and folded.
    """

    def __init__(self, stoplist: frozenset[str] = STOPWORDS) -> None:
        self.stoplist = stoplist

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stoplist = self.stoplist
        pos = None
        for t in tokens:
            if t.text in stoplist:
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            if t.positions:
                if pos is None:
                    pos = t.pos
                t.pos = pos
                pos += 1
            yield t

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stoplist == self.stoplist


class AccentedOnly(Filter):
    """Keeps the words that carry an accent or a ligature: the forms that folding merges."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        return (t for t in tokens if not t.text.isascii())


class Recorded(Tokenizer):
    """Replays recorded tokens through filters, instead of a new tokenization."""

    def __init__(self, tokens: list[tuple[str, int, int, int]]) -> None:
        self.tokens = tokens

    def __call__(self, value: str = "", positions: bool = False, chars: bool = False,
                 removestops: bool = True, mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, pos, start, end in self.tokens:
            t.text, t.pos, t.startchar, t.endchar = text, pos, start, end
            t.boost, t.stopped = 1.0, False
            yield t


def french_analyzer() -> CompositeAnalyzer:
    """Folded and stemmed French: what every word query matches against."""
    return FrenchTokenizer() | ElisionFilter() | FoldFilter() | StopwordFilter() | \
        StemFilter(stemfn=FrenchStemmer().stem, cachesize=-1)


def exact_analyzer() -> CompositeAnalyzer:
    """Accented words as written (lower-cased), for exact-form ranking ("traité" is not "traite")."""
    return FrenchTokenizer() | ElisionFilter() | LowercaseFilter() | StopwordFilter() | AccentedOnly()


# Filters that map each token on its own, so that what they make of a word can be
# remembered (the stopword filter also renumbers positions, which WordCache redoes).
PER_WORD = (ElisionFilter, FoldFilter, LowercaseFilter, StopwordFilter, StemFilter, AccentedOnly)
Analysed = tuple[str, int, int, int]  # term, position, first character, end character


class WordCache:
    """An analyzer whose filters run once per distinct word instead of once per occurrence.

    A body of 5,000 words holds about 1,000 distinct ones, and most recur from
    document to document: indexing runs the tokenizer, then looks each word up.
    The results are the analyzer's own (tests/test_analysis.py compares them).
    """

    def __init__(self, analyzer: CompositeAnalyzer, limit: int = 200_000) -> None:
        self.tokenizer, *self.filters = analyzer.items
        if not all(isinstance(f, PER_WORD) for f in self.filters):
            raise ValueError(f"not a per-word analyzer: {analyzer!r}")
        stops = [i for i, f in enumerate(self.filters) if isinstance(f, StopwordFilter)]
        self.renumbers = bool(stops)
        self.until_stop = self.filters[:stops[0] + 1] if stops else self.filters
        self.known: dict[str, tuple[bool, tuple[tuple[str, int, int], ...]]] = {}
        self.limit = limit

    def tokens(self, text: str) -> list[Analysed]:
        """The tokenizer's words, before any filter."""
        if isinstance(self.tokenizer, FrenchTokenizer):
            return self.tokenizer.spans(text)
        return [(t.text, t.pos, t.startchar, t.endchar) for t in self.tokenizer(text, positions=True, chars=True)]

    def __call__(self, tokens: list[Analysed]) -> list[Analysed]:
        """What the whole analyzer makes of the tokenized words, positions renumbered as it does."""
        out: list[Analysed] = []
        known = self.known
        renumbers = self.renumbers
        pos = None
        for text, p, start, end in tokens:
            entry = known.get(text) or self._learn(text)
            counted, results = entry
            if not counted:
                continue
            if renumbers:
                if pos is None:
                    pos = p
                p = pos
                pos += 1
            for term, shift_start, shift_end in results:
                out.append((term, p, start + shift_start, end + shift_end))
        return out

    def _learn(self, text: str) -> tuple[bool, tuple[tuple[str, int, int], ...]]:
        """Whether a word keeps a position (is not a stopword), and what the filters make of it."""
        counted = any(True for _ in self._run(text, self.until_stop))
        results = tuple((t.text, t.startchar, t.endchar - len(text)) for t in self._run(text, self.filters)) \
            if counted else ()
        if len(self.known) < self.limit:
            self.known[text] = (counted, results)
        return counted, results

    @staticmethod
    def _run(text: str, filters: list[Filter]) -> Iterator[Token]:
        return CompositeAnalyzer(Recorded([(text, 0, 0, len(text))]), *filters)(text, positions=True, chars=True)


def words(text: str, analyzer=None) -> list[str]:
    """The index terms of a text (for tests, suggestions and query building)."""
    return [t.text for t in (analyzer or french_analyzer())(text)]
