"""A French inflectional stemmer: number and gender, nothing else (provisional rules)."""

from __future__ import annotations


def stem(word: str) -> str:
    """The stem of a folded, lower-case word: plural and feminine endings removed."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word[-1] in "sx":
        word = word[:-1]
    for fem, masc in (("euse", "eu"), ("ive", "if"), ("elle", "el"), ("enne", "en"), ("onne", "on"), ("ette", "et")):
        if word.endswith(fem) and len(word) > len(fem) + 1:
            return word[:-len(fem)] + masc
    while word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word
