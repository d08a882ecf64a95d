"""Whether a text file holds the prose of a document, or data, code or markup named like one.

A file taken as a statement must read as one: most of its text in sentences,
runs of words that hold the small words of French (or of English, which the
scan then skips as not French); not lines of `key: value`, fields, log records,
tags or code. Only the first SAMPLE characters are looked at, so the cost is
bounded whatever the file.
"""

from __future__ import annotations

import re
from collections import Counter

SAMPLE = 100_000  # characters looked at: the first pages say what a file is
# Below this many words rates mean little: a short note needs only one French small word
# (the tests for markup, data, logs and code still apply).
MIN_WORDS = 50
# The lowest rates among the 3,046 French AKN texts of the shared corpus (and the 41 Word
# files of office/), with a margin: letters make 68 % of the non-space characters at least,
# and sentences 53 % of the lines (by characters).
MIN_LETTERS = 0.5
MIN_SENTENCES = 0.35
MOSTLY = 0.5  # share of the lines that makes a file data, a log or configuration
TAGS = 0.05  # share of the characters in <tags> that makes a file markup (French texts hold none)
# Lines of code are 52 % or more of the lines of the Python, C and JavaScript files tried, 29 % at
# most of a French text (operative paragraphs cite "MEPC.203(62)", bulleted lines start with "* ").
CODE = 0.4
RUN = 4  # words in a row, one of them a small word, make a line a sentence

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TOKEN_EDGES = "«»“”\"'‘’()[]*_,;:.!?…-–—"
# Small words (articles, prepositions, pronouns, elided l' d' qu'...): every sentence holds some.
_FRENCH = frozenset("le la les l de des du d et à au aux en un une est sont dans pour par sur qui que qu ne n pas "
                    "se s sa son ses ce cette il elle nous vous j".split())
_ENGLISH = frozenset("the of and to a an in is are that for with by on as at this which from it be".split())
_SMALL_WORDS = _FRENCH | _ENGLISH
_NUMBER = re.compile(r"[\d/.,%-]+")
_MARKUP_START = re.compile(r"\s*<(?:\?xml|!doctype)", re.IGNORECASE)
_TAG = re.compile(r"<(?:[/!?]?[A-Za-z][^<>\n]{0,300}|!--[^<>]{0,300})>")
_JSON = re.compile(r"\s*(?:\{\s*[\"}]|\[\s*[\[{\"\d\]-])")
# key: value, key=value, "key": value, root:x:0:0 (a colon glued to the key; French puts a space before it)
_KEY_VALUE = re.compile(r"[-\s]*[\"']?[A-Za-z_][\w.\-]{0,60}[\"']?(?::(?!//)|\s*=)")
_LOG = re.compile(r".{0,40}?\b\d{1,2}:\d{2}:\d{2}\b|\[?\d{4}-\d{2}-\d{2}[T ]\d")
# A line of code: a call, a comparison or arrow, a brace or glued semicolon at an end, a keyword first.
# (A name is tried from its first letter only, so that a long line costs linear time.)
_CODE = re.compile(r"(?<![\w.])[A-Za-z_][\w.]*\(|[=!<>]=|->|=>|\S;$|^[{}]|[{}]$"
                   r"|^(?:def|class|import|from|return|if|for|while|function|var|let|const|public|private|package"
                   r"|#include|#define)\b|^#!|^#\S|^(?://|/\*|\*/)")
# Field separators: a tab, a bar, or a comma or semicolon without the space that prose puts after it
# (and a comma that is not a decimal one: 1,5).
_FIELDS = re.compile(r";(?! )|(?<!\d),(?! )|,(?![\d ])|[\t|]")


def not_prose(text: str) -> str | None:
    """Why a text is not the prose of a document ("JSON data", "log lines on 30 of 30 lines"...), or None."""
    sample = text[:SAMPLE]
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    if not lines:
        return None  # nothing to judge: the reader says "no text"
    if _MARKUP_START.match(sample.lstrip("\ufeff")) or _share(_TAG.findall(sample), sample) >= TAGS:
        return "HTML or XML markup"
    if _JSON.match(sample):
        return "JSON data"
    found = _field_counts(lines)
    if found >= 2 and found >= MOSTLY * len(lines):
        return f"fields separated like CSV on {found} of {len(lines)} lines"
    for name, pattern, part in (("log lines", _LOG.match, MOSTLY), ("source code", _CODE.search, CODE),
                                ("key: value lines (configuration or data)", _KEY_VALUE.match, MOSTLY)):
        found = sum(1 for line in lines if pattern(line))
        if found >= 2 and found >= part * len(lines):
            return f"{name} on {found} of {len(lines)} lines"
    words = _WORD.findall(sample)
    if len(words) < MIN_WORDS:
        if any(_FRENCH.intersection(_parts(word)) for word in words):
            return None
        return f"no French article or preposition among its {len(words)} words"
    letters = sum(map(len, words)) / max(1, sum(1 for c in sample if not c.isspace()))
    if letters < MIN_LETTERS:
        return f"mostly digits and signs, not words ({letters:.0%} letters)"
    sentences = _share([line for line in lines if _is_sentence(line)], "".join(lines))
    if sentences < MIN_SENTENCES:
        return f"few sentences ({sentences:.0%} of the text)"
    return None


def _share(parts: list[str], whole: str) -> float:
    """The part of `whole`'s characters that `parts` hold."""
    return sum(map(len, parts)) / max(1, len(whole))


def _field_counts(lines: list[str]) -> int:
    """How many lines hold the most frequent number (two or more) of field separators of one kind."""
    counts: Counter[tuple[str, int]] = Counter()
    for line in lines:
        seps = Counter(m.group()[0] for m in _FIELDS.finditer(line))
        counts.update((sep, n) for sep, n in seps.items() if n >= 2)
    return max(counts.values(), default=0)


def _parts(word: str) -> list[str]:
    """A word in lower case, split at its apostrophes: "l’honneur" is "l" and "honneur"."""
    return re.split(r"['’]", word.lower())


def _is_sentence(line: str) -> bool:
    """Whether a line holds RUN words in a row, one of them a small word; numbers between them
    ("du 8 mai 2006, 62/247 du") neither count nor break the run."""
    run, small = 0, False
    for token in line.split():
        word = token.strip(_TOKEN_EDGES)
        if not word or _NUMBER.fullmatch(word):
            continue
        if _WORD.fullmatch(word):
            run += 1
            small = small or not _SMALL_WORDS.isdisjoint(_parts(word))
            if run >= RUN and small:
                return True
        else:
            run, small = 0, False
    return False
