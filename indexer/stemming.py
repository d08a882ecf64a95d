"""A French inflectional stemmer: number and gender, nothing else.

Works on folded, lower-case words (accents are gone: "déplacées" is
"deplacees"), so a word typed with or without accents gets the same stem.
Derivation is left alone, so that words French keeps apart stay apart
(conseil / conseiller, traite / traitement, trait / traite, parti / partie).

| step | rule | example |
|---|---|---|
| plural | -eaux -> -eau, -aux -> -al, then one final -s or -x | nationaux -> national, enfants -> enfant |
| feminine | -ee -> -e | deplacee -> deplace |
| | -euse -> -eux, -ive -> -if, -ere -> -er | nombreuse -> nombreux, active -> actif, premiere -> premier |
| | -elle -> -el, -enne -> -en, -onne -> -on, -ette -> -et | naturelle -> naturel, europeenne -> europeen |
| | -ale -> -al, -aine -> -ain, -ante -> -ant, -ente -> -ent, -ue -> -u | nationale -> national, humaine -> humain |
| | -aise -> -ais | francaise -> francais |
| masculine in -s, -x | one final -s or -x again | francais -> francai, nombreux -> nombreu |

Words of 3 letters or fewer, and anything but letters (numbers, symbols), are kept as they are.
"""

from __future__ import annotations

FEMININE = (
    ("euse", "eux"), ("ive", "if"), ("ere", "er"), ("elle", "el"), ("enne", "en"), ("onne", "on"),
    ("ette", "et"), ("aine", "ain"), ("ante", "ant"), ("ente", "ent"), ("aise", "ais"), ("ale", "al"),
    ("ee", "e"), ("ue", "u"),
)
IRREGULAR = {"travaux": "travail"}


def stem(word: str) -> str:
    """The stem of a folded, lower-case word: its plural and feminine endings removed."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = IRREGULAR.get(word, word)
    word = _singular(word)
    for feminine, masculine in FEMININE:
        if word.endswith(feminine) and len(word) - len(feminine) >= 2:
            return _singular(word[:-len(feminine)] + masculine)
    return word


def _singular(word: str) -> str:
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word[-1] in "sx" and len(word) > 3:
        return word[:-1]
    return word
