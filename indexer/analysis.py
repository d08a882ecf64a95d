"""French analysis, declared once for every engine, at index and at query time.

A text is a sequence of words (UN symbols and numbers stay whole). Each word
is read three ways:

- `folded`: the elided article dropped ("l'enfant" -> "enfant"), lower-cased,
  accents and ligatures folded ("Œuvre" -> "oeuvre"): what prefixes and
  quoted single words match, so accents and case are optional;
- `key`: the folded word with its inflection removed ("déplacées" ->
  "deplac", see stemming.py), what bare words and phrases match; a stopword
  is its own key;
- `stop`: French function words ("de", "la", "été"). They keep their place,
  so a phrase matches its words in a row, stopwords included, but a bare
  stopword matches nothing.

Engines index these readings; the reference engine of the tests answers
queries from them directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unidecode import unidecode

from .stemming import stem

# UN symbols stay whole ("A/RES/78/144", "E/2023/L.20", "68/192", "ES-11/6"),
# as do numbers; words may hold apostrophes (elisions, "aujourd'hui") but not
# hyphens, so "extra-atmosphérique" gives "extra" then "atmosphérique".
TOKEN_PATTERN = re.compile(
    r"[A-Z]{1,6}(?:/[A-Za-z0-9.\-]*[A-Za-z0-9])+"
    r"|(?:[A-Z]{1,3}-)?\d+/\d+(?:/\d+)*"
    r"|\w+(?:['’ʼ]\w+)*"
)
# Engines index a word's folded form beside its key, marked so ("=deplacees"): quoted words and prefixes match it.
WORD_MARK = "="
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split())
APOSTROPHES = "'’ʼ"
_APOSTROPHE = re.compile("[" + APOSTROPHES + "]")
# Snowball's French stopword list, plus common words it lacks ("les", "cette", "dont"),
# each both as written and folded, so either form of a word is looked up directly.
_STOP_LIST = (
    "ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons "
    "auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants ayez ayons "
    "c ce ces d dans de des du elle en es est et eu eue eues eurent eus eusse eussent eusses eussiez "
    "eussions eut eux eûmes eût eûtes furent fus fusse fussent fusses fussiez fussions fut fûmes fût "
    "fûtes il j je l la le leur lui m ma mais me mes moi mon même n ne nos notre nous on ont ou par pas "
    "pour qu que qui s sa se sera serai seraient serais serait seras serez seriez serions serons seront "
    "ses soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre "
    "vous y à étaient étais était étant étante étantes étants étiez étions été étée étées étés êtes "
    "les a où cet cette dont ni si"
).split()
STOPWORDS = frozenset(_STOP_LIST) | frozenset(unidecode(w) for w in _STOP_LIST)
MEMO_LIMIT = 200_000  # distinct words remembered by `analyse` for one caller


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a text: where it stands, and its three readings."""

    position: int
    start: int      # first character of the word (after an elided article)
    end: int
    folded: str
    key: str
    stop: bool


def elide(word: str) -> tuple[str, int]:
    """The word without an elided article or conjunction, and how many characters went:
    "l'enfant" -> ("enfant", 2), "jusqu’à" -> ("à", 6), "aujourd'hui" unchanged."""
    match = _APOSTROPHE.search(word)
    if match and word[:match.start()].lower() in ELISIONS and match.end() < len(word):
        return word[match.end():], match.end()
    return word, 0


def fold(word: str) -> str:
    """Lower case without accents or ligatures (É -> e, œ -> oe, ’ -> ')."""
    return word.lower() if word.isascii() else unidecode(word).lower()


def key_of(folded: str) -> str:
    """What a folded word matches as a bare word or in a phrase: its stem, or itself for a stopword."""
    return folded if folded in STOPWORDS or not folded.isalpha() else stem(folded)


Reading = tuple[int, str, str, bool]  # characters of elided article, folded, key, stop


def read_word(surface: str) -> Reading:
    """The readings of one word as written: how many characters of an elided article
    it begins with, its folded form, its key, and whether it is a stopword."""
    word, cut = elide(surface)
    folded = fold(word)
    return cut, folded, key_of(folded), folded in STOPWORDS


def analyse(text: str, memo: dict[str, Reading] | None = None) -> list[Word]:
    """Every word of a text, stopwords included, numbered from 0.

    `memo` (the caller's, kept from text to text) remembers the readings of each
    distinct word as written: a body of 5,000 words holds about 1,000 distinct ones.
    """
    memo = {} if memo is None else memo
    out = []
    for position, match in enumerate(TOKEN_PATTERN.finditer(text)):
        surface = match.group()
        reading = memo.get(surface)
        if reading is None:
            reading = read_word(surface)
            if len(memo) < MEMO_LIMIT:
                memo[surface] = reading
        cut, folded, key, stop = reading
        out.append(Word(position, match.start() + cut, match.end(), folded, key, stop))
    return out


def keys(text: str) -> list[str]:
    """The keys of the words that are not stopwords: what a bare word of a query looks for."""
    return [w.key for w in analyse(text) if not w.stop]


def prefix_form(text: str) -> str:
    """How a prefix ("l’Enf*" -> "enf") is compared with the folded words of the texts."""
    return fold(elide(text.strip())[0])


def exact_form(word: str) -> str:
    """A word as written, lower-cased: the form the exact-accent ranking compares ("traité")."""
    return elide(word)[0].lower()
