"""The French stemmers compared on this corpus, each a `str -> str` on folded lower-case words.

The index folds accents before it stems, so every candidate sees ASCII
("déplacées" arrives as "deplacees"). The two ports of Jacques Savoy's
stemmers (as Lucene has them) are adapted accordingly: their accented endings
("ère", "ième", "ète", "é") are matched folded, and their own accent folding
has nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from whoosh.lang.snowball.french import FrenchStemmer

from indexer.stemming import stem as inflectional


def _norm(s: str) -> str:
    """The end of Savoy's light stemmer: runs of a letter made single, then -ie, -r, -e, -e and a double letter."""
    if len(s) > 4:
        s = "".join(k if k.isalpha() else "".join(g) for k, g in groupby(s))
    if len(s) > 4 and s.endswith("ie"):
        s = s[:-2]
    if len(s) > 4:
        for letter in "ree":
            if s.endswith(letter):
                s = s[:-1]
        if s[-1] == s[-2] and s[-1].isalpha():
            s = s[:-1]
    return s


def savoy_light(s: str) -> str:
    """Savoy's light French stemmer ("UniNE"), as Lucene's FrenchLightStemmer."""
    if len(s) > 5 and s[-1] == "x":
        s = s[:-2] + "l" if s[-3:-1] == "au" and s[-4] != "e" else s[:-1]
    if len(s) > 3 and s[-1] == "x":
        s = s[:-1]
    if len(s) > 3 and s[-1] == "s":
        s = s[:-1]
    n = len(s)
    if n > 9 and s.endswith("issement"):
        return _norm(s[:-7] + "r")
    if n > 8 and s.endswith("issant"):
        return _norm(s[:-5] + "r")
    if n > 6 and s.endswith("ement"):
        s = s[:-4]
        if len(s) > 3 and s.endswith("ive"):
            s = s[:-2] + "f"
        return _norm(s)
    if n > 11 and s.endswith("ficatrice"):
        return _norm(s[:-7] + "er")
    if n > 10 and s.endswith("ficateur"):
        return _norm(s[:-6] + "er")
    if n > 9 and s.endswith("catrice"):
        return _norm(s[:-7] + "quer")
    if n > 8 and s.endswith("cateur"):
        return _norm(s[:-6] + "quer")
    if n > 8 and s.endswith("atrice"):
        return _norm(s[:-6] + "er")
    if n > 7 and s.endswith("ateur"):
        return _norm(s[:-5] + "er")
    if n > 6 and s.endswith("trice"):
        s = s[:-5] + "teur"
        n = len(s)
    if n > 5 and s.endswith("ieme"):
        return _norm(s[:-4])
    if n > 7 and s.endswith("teuse"):
        return _norm(s[:-3] + "r")
    if n > 6 and s.endswith("teur"):
        return _norm(s[:-2] + "r")
    if n > 5 and s.endswith("euse"):
        return _norm(s[:-2])
    if n > 8 and s.endswith("ere"):
        return _norm(s[:-1])
    if n > 7 and s.endswith("ive"):
        return _norm(s[:-2] + "f")
    if n > 4 and s.endswith(("folle", "molle")):
        return _norm(s[:-3] + "u")
    if n > 9 and s.endswith("nnelle"):
        return _norm(s[:-5])
    if n > 9 and s.endswith("nnel"):
        return _norm(s[:-3])
    if n > 4 and s.endswith("ete"):
        s = s[:-1]
        n = len(s)
    if n > 8 and s.endswith("ique"):
        s = s[:-4]
        n = len(s)
    if n > 8 and s.endswith("esse"):
        return _norm(s[:-3])
    if n > 7 and s.endswith("inage"):
        return _norm(s[:-3])
    if n > 9 and s.endswith("isation"):
        s = s[:-7]
        if len(s) > 5 and s.endswith("ual"):
            s = s[:-2] + "el"
        return _norm(s)
    if n > 9 and s.endswith("isateur"):
        return _norm(s[:-7])
    if n > 8 and s.endswith(("ation", "ition")):
        return _norm(s[:-5])
    return _norm(s)


def savoy_minimal(s: str) -> str:
    """Savoy's minimal French stemmer, as Lucene's FrenchMinimalStemmer: -aux to -al, a final -x,
    then -s, -r, -e, -e ("é" once folded) and a double letter, on words of six letters or more."""
    if len(s) < 6:
        return s
    if s[-1] == "x":
        return s[:-2] + "l" if s[-3:-1] == "au" else s[:-1]
    for letter in "sree":
        if s.endswith(letter):
            s = s[:-1]
    if s[-1] == s[-2] and s[-1].isalpha():
        s = s[:-1]
    return s


def plural_only(s: str) -> str:
    """A final -s or -x removed from words of four letters or more, nothing else."""
    return s[:-1] if len(s) > 3 and s[-1] in "sx" else s


def unchanged(s: str) -> str:
    """No stemming."""
    return s


CANDIDATES: dict[str, Callable[[str], str]] = {
    "Snowball (before issue 12)": FrenchStemmer().stem,
    "Savoy light (Lucene FrenchLight)": savoy_light,
    "Savoy minimal (Lucene FrenchMinimal)": savoy_minimal,
    "plural only (-s, -x)": plural_only,
    "no stemming": unchanged,
    "inflectional (indexer.stemming)": inflectional,
}
