"""make_snippets cuts the same passages, with the same marks, as the reference snippets
(tests/reference_snippets.py): on drawn French-like texts and spans, and on the real corpus."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import corpus
from indexer.analysis import TOKEN_PATTERN, analyse
from indexer.whooshdb.formats import Text, pack_text
from search.settings import SNIPPET_WIDTH, SNIPPETS
from search.snippets import MAX_SPANS, make_snippets
from tests import reference_snippets

WORDS = ("résolution", "État", "l’Assemblée", "d'une", "sécurité", "œuvre", "À", "Côte d’Ivoire", "aujourd’hui",
         "S/RES/2677", "13,5", "x" * 300, "é" * 40, "« paix »")
SEPARATORS = (" ", "\u00a0", "\u202f", "\n", "\n\n", " ; ", "’", "'", "\t", "\r\n", "", " " * 30)
LABELS = ("secur", "etat", "paix", "resolution")  # index words: which matches count as the same word


class Sliced:
    """A body with a length and slices and nothing more: the `Passages` contract."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __len__(self) -> int:
        return len(self._text)

    def __getitem__(self, where: slice) -> str:
        assert isinstance(where, slice) and where.step is None
        return self._text[where]


@st.composite
def bodies(draw) -> str:
    """French-like text: accents, both apostrophes, narrow and no-break spaces, line breaks, long
    words, runs with no space at all, one word repeated hundreds of times, or nothing."""
    kind = draw(st.sampled_from(["words", "repeated", "no spaces", "any"]))
    if kind == "repeated":
        return (draw(st.sampled_from(WORDS)) + draw(st.sampled_from(SEPARATORS[:5]))) * draw(st.integers(0, 900))
    if kind == "no spaces":
        return draw(st.sampled_from(WORDS)) * draw(st.integers(0, 200))
    if kind == "any":
        return draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=600))
    parts = draw(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=300))
    return "".join(word + separator for word, separator in parts)


@st.composite
def spans_of(draw, body: str) -> list[tuple[int, int, str]]:
    """Spans in text order: some of the body's words (often all of them), and spans drawn anywhere,
    overlapping, empty, at 0, at the end or past it."""
    words = [(m.start(), m.end()) for m in TOKEN_PATTERN.finditer(body)]
    words = words[draw(st.integers(0, 2))::draw(st.integers(1, 3))]  # over MAX_SPANS in long texts
    size = len(body)
    anywhere = draw(st.lists(st.tuples(st.integers(0, size + 5), st.integers(0, 300)), max_size=40))
    edges = draw(st.sampled_from([[], [(0, 1)], [(max(0, size - 3), size)], [(0, size)]]))
    found = [(a, b) for a, b in words] + [(a, a + n) for a, n in anywhere] + edges
    labels = st.sampled_from(LABELS[:draw(st.integers(1, len(LABELS)))])
    return sorted(((a, b, draw(labels)) for a, b in found), key=lambda span: span[0])


@st.composite
def cases(draw) -> tuple[str, list[tuple[int, int, str]], int, int]:
    """A body, its spans, a width and a count."""
    body = draw(bodies())
    width = draw(st.one_of(st.sampled_from([1, 2, 3, 20, SNIPPET_WIDTH]), st.integers(1, 700)))
    return body, draw(spans_of(body)), width, draw(st.integers(-1, 6))


@settings(max_examples=600, deadline=None)
@given(cases())
def test_the_same_snippets_as_the_reference(case):
    body, spans, width, count = case
    expected = reference_snippets.make_snippets(body, spans, width, count)
    assert make_snippets(body, spans, width, count) == expected
    assert make_snippets(Sliced(body), spans, width, count) == expected
    assert make_snippets(Text(pack_text(body)), tuple(spans), width, count) == expected


def test_a_word_repeated_past_the_spans_read():
    body = "sécurité\u00a0" * 500
    spans = [(m.start(), m.end(), "secur") for m in TOKEN_PATTERN.finditer(body)]
    spans = sorted([*spans, (0, 30, "paix"), (len(body) - 1, len(body), "etat")], key=lambda span: span[0])
    assert len(spans) > MAX_SPANS
    for width in (1, 30, SNIPPET_WIDTH):
        assert make_snippets(body, spans, width) == reference_snippets.make_snippets(body, spans, width)


def real_cases(folder: Path, every: int = 60) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Bodies of some real documents, with spans of their five commonest words and of each
    pair of them that stands side by side (as a phrase's span covers its words)."""
    out = []
    for path in sorted(folder.rglob("*.xml"))[::every]:
        body = corpus.read(str(path)).body
        words = [w for w in analyse(body) if not w.stop]
        counts: dict[str, int] = {}
        for w in words:
            counts[w.key] = counts.get(w.key, 0) + 1
        common = set(sorted(counts, key=counts.__getitem__, reverse=True)[:5])
        spans = [(w.start, w.end, w.key) for w in words if w.key in common]
        spans += [(a.start, b.end, "phrase") for a, b in zip(words, words[1:]) if {a.key, b.key} <= common]
        out.append((body, sorted(spans, key=lambda span: span[0])))
    return out


def test_the_same_snippets_as_the_reference_on_the_real_corpus(real_corpus):
    cases = real_cases(real_corpus / "unxml")
    assert len(cases) > 40 and sum(len(spans) > MAX_SPANS for _, spans in cases) > 5
    for body, spans in cases:
        for width, count in ((SNIPPET_WIDTH, SNIPPETS), (60, 1), (500, 5)):
            assert make_snippets(body, spans, width, count) == reference_snippets.make_snippets(body, spans, width,
                                                                                                count)
