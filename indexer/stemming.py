"""A French inflectional stemmer: number and gender, nothing else.

Works on folded, lower-case words (accents are gone: "déplacées" is
"deplacees"), so a word typed with or without accents gets the same stem.
Derivation is left alone, so that words French keeps apart stay apart
(conseil / conseiller, traite / traitement, trait / traite, parti / partie):
a feminine ending is removed only where French makes a feminine of it, not
every final -e (that would join trait and traite, sort and sorte, base and bas).

| step | rule | example |
|---|---|---|
| plural | -eaux -> -eau, -aux -> -al, then one final -x, or -s but not -ss | nationaux -> national, enfants -> enfant |
| feminine | -ee -> -e, -ie -> -i, -ue -> -u | deplacee -> deplace, unie -> uni, reconnue -> reconnu |
| | -euse -> -eux, -ive -> -if, -ere -> -er, -trice -> -teur | nombreuse -> nombreux, active -> actif, premiere -> premier |
| | -elle -> -el, -enne -> -en, -ette -> -et, -ete -> -et | naturelle -> naturel, europeenne -> europeen, complete -> complet |
| | -ale -> -al, -aine -> -ain, -ante -> -ant, -ente -> -ent, -ique -> -ic | nationale -> national, humaine -> humain, publique -> public |
| | -aise -> -ais, -oise -> -ois, -ise -> -is, -eure -> -eur | francaise -> francais, prise -> pris, meilleure -> meilleur |
| masculine | -eur -> -eu (5 letters or more) | rapporteur -> rapporteu = rapporteuse |
| | then one final -s or -x again | francais -> francai, nombreux -> nombreu |

Words of 3 letters or fewer, and anything but letters (numbers, symbols), are
kept as they are; no rule leaves fewer than 3 letters. IRREGULAR holds the few
words the rules would join to another frequent word of UN texts (fois and foi,
cours and Cour, mère and mer, entrée and entre, crise and cris, partie and parti, voie and voix).
"""

from __future__ import annotations

FEMININE = (
    ("trice", "teur"), ("euse", "eux"), ("elle", "el"), ("enne", "en"), ("ette", "et"), ("aine", "ain"),
    ("ante", "ant"), ("ente", "ent"), ("aise", "ais"), ("oise", "ois"), ("ique", "ic"), ("eure", "eur"),
    ("ive", "if"), ("ere", "er"), ("ete", "et"), ("ale", "al"), ("ise", "is"),
    ("ee", "e"), ("ie", "i"), ("ue", "u"),
)
SHORTEST = 3
# Words the rules would send elsewhere: an irregular plural, invariable words in -s whose
# singular-looking form is another frequent word of UN texts, feminines that are other words.
IRREGULAR = {"travaux": "travail", "fois": "fois", "sans": "sans", "vers": "vers", "fonds": "fonds",
             "cours": "cours", "mere": "mere", "meres": "mere", "entree": "entree", "entrees": "entree",
             "crise": "crise", "crises": "crise", "partie": "partie", "parties": "partie",
             "voie": "voie", "voies": "voie", "prie": "prie"}


def stem(word: str) -> str:
    """The stem of a folded, lower-case word: its plural and feminine endings removed.

    The rules run again on their result until it stays the same (a stem is its own stem).
    """
    for _ in range(8):
        stemmed = _once(word)
        if stemmed == word:
            break
        word = stemmed
    return word


def _once(word: str) -> str:
    """One pass of the rules."""
    if len(word) <= SHORTEST or not word.isalpha():
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    word = _singular(word)
    for feminine, masculine in FEMININE:
        if word.endswith(feminine) and len(word) - len(feminine) + len(masculine) >= SHORTEST:
            word = word[:-len(feminine)] + masculine
            break
    if word.endswith("eur") and len(word) > 4:
        word = word[:-1]
    return _singular(word)


def _singular(word: str) -> str:
    """The word without a plural -s or -x (-aux: -al), if three letters remain."""
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if len(word) > SHORTEST and (word[-1] == "x" or (word[-1] == "s" and word[-2] != "s")):
        return word[:-1]
    return word
