"""Where the query matched in the body of the top hits: for closeness and for snippets.

Positions are read from the postings of the positions field, characters from
each shown document's offsets column; the text is never analysed again, but
a word that must match as written (a quoted word, a prefix) is checked
against the text it stands for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from ..analysis import fold, key_of
from ..fields import POSITIONS_FIELD, SHORT_POSITIONS_FIELD
from ..phrasing import MAX_NEAR, closeness, phrase_matches
from ..query import Span
from .analysis import field_term, word_term
from ..marks import Marks
from .fastread import ValueCache, positions_decoder
from .formats import Offsets, Text

Positions = dict[int, dict[str, Sequence[int]]]

MAX_PREFIX_TERMS = 64  # forms of a prefix marked in the shown documents
SHORT_NEAR_FIELDS = ("title", "symbol")


def marked_keys(reader, marks: Marks) -> tuple[set[str], dict[str, list[str]]]:
    """The keys whose positions the marks need, and the folded forms of each prefix (bounded)."""
    forms: dict[str, list[str]] = {}
    marked = word_term("")
    for prefix in marks.prefixes:
        found = []
        for i, term in enumerate(reader.expand_prefix("body", word_term(prefix))):
            if i >= MAX_PREFIX_TERMS:
                break
            found.append((term.decode("utf-8") if isinstance(term, bytes) else term)[len(marked):])
        forms[prefix] = found
    keys = set(marks.keys) | {k for k, _ in marks.words} | {k for ks, _ in marks.phrases for k in ks}
    keys |= {key_of(form) for found in forms.values() for form in found}
    return keys, forms


def matches(searcher, docnums: list[int], marks: Marks, values: ValueCache,
            offsets: Callable[[int], Offsets], bodies: Callable[[int], Text]) -> dict[int, tuple[Span, ...]]:
    """For each document, the (start, end, what matched) of every match in text order: a bare
    word's every occurrence, a quoted word or a prefix where the text holds that form, a phrase
    from its first word to its last."""
    keys, forms = marked_keys(searcher.reader(), marks)
    out: dict[int, tuple[Span, ...]] = {}
    for d, found in positions(searcher, docnums, keys, values).items():
        where, body = offsets(d), bodies(d)
        # Lists, not generators: a generator would read the loop's variables once the loop has moved on.
        spans: list[Iterable[Span]] = [where.spans(found[k], k) for k in marks.keys if k in found]
        for key, folded in marks.words:
            if key in found:
                spans.append([s for s in where.spans(found[key], folded) if fold(body[s[0]:s[1]]) == folded])
        for prefix, words in forms.items():
            wanted = {key_of(w) for w in words}
            for key in wanted & found.keys():
                spans.append([(a, b, prefix + "*") for a, b, _ in where.spans(found[key], prefix)
                              if fold(body[a:b]).startswith(prefix)])
        for phrase_keys, slop in marks.phrases:
            if all(k in found for k in phrase_keys):
                label = " ".join(phrase_keys)
                occurrences = phrase_matches([found[k] for k in phrase_keys], slop + 1)
                spans.append([(where.span(first)[0], where.span(last)[1], label) for first, last in occurrences
                              if last < len(where)])
        out[d] = tuple(sorted(chain.from_iterable(spans)))
    return out


def positions(searcher, docnums: list[int], terms: set[str], values: ValueCache,
              fieldname: str = POSITIONS_FIELD) -> Positions:
    """For each document, the positions of each term, decoded for those documents only."""
    found: Positions = {d: {} for d in docnums}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        local = sorted(d - offset for d in docnums if offset <= d < offset + reader.doc_count_all())
        if not local:
            continue
        decode = positions_decoder(reader.schema[fieldname].format)
        for term in terms:
            encoded = values(reader, fieldname, term, local)
            for d in local:
                if d in encoded:
                    found[d + offset][term] = decode(encoded[d])
    return found


def near_counts(searcher, docnums: list[int], words: list[str], values: ValueCache, slop: int) -> dict[int, int]:
    """How often the words stand close together in each document's body; words that stand
    together in its title or symbol ("Résolution 2677") count as close as can be."""
    counts = closeness(positions(searcher, docnums, set(words), values), words, slop)
    for name in SHORT_NEAR_FIELDS:
        prefixed = [field_term(name, w) for w in words]
        for d in closeness(positions(searcher, docnums, set(prefixed), values, SHORT_POSITIONS_FIELD), prefixed, slop):
            counts[d] = MAX_NEAR
    return counts
