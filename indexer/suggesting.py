"""The words a "did you mean" looks for, the same for every engine: those a few typing slips
away from an unknown word, looked up in the term dictionary, never found by walking all of it."""

from __future__ import annotations

MIN_SUGGEST_DOCS = 2  # a word in fewer documents is never suggested
MAX_SUGGEST_LENGTH = 24  # letters of the longest word a suggestion is looked for
SUGGEST_LETTERS = "abcdefghijklmnopqrstuvwxyz"  # what the keys of French words are made of
MAX_SUGGEST_READS = 10_000  # terms of the dictionary read while looking for a word two or three slips away


def allowed_slips(key: str) -> int:
    """How many letters a suggestion may differ by: one for a word of up to 5 letters, two up to 8, three beyond."""
    return 1 if len(key) < 6 else 2 if len(key) < 9 else 3


def one_slip(key: str) -> set[str]:
    """The words one letter away from a key (a letter left out, added, changed, or two swapped):
    about 55 per letter of the key."""
    letters = set(SUGGEST_LETTERS) | set(key)
    cuts = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    out = {a + b[1:] for a, b in cuts if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    out |= {a + c + b[1:] for a, b in cuts if b for c in letters}
    out |= {a + c + b for a, b in cuts for c in letters}
    out.discard(key)
    return {w for w in out if len(w) > 1}


def distance(a: str, b: str) -> int:
    """Levenshtein distance between two words (letters left out, added or changed)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]
