"""The packed positions and offsets: what goes in comes out; and the phrase rule on positions
agrees with a plain reading of it."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from indexer.whooshdb.formats import TEXT_CHUNK, Offsets, PackedPositions, Text, pack_offsets, pack_text
from indexer.phrasing import phrase_matches

ascending = st.lists(st.integers(0, 200_000), max_size=60, unique=True).map(sorted)


@settings(max_examples=300, deadline=None)
@given(ascending)
def test_packed_positions_round_trip_like_whooshs(positions):
    packed, whoosh = PackedPositions(), Positions()
    value = packed.encode(positions)
    assert packed.decode_positions(value) == whoosh.decode_positions(whoosh.encode(positions)) == positions
    assert list(packed.positions(value)) == positions
    assert packed.decode_frequency(value) == len(positions)


def test_small_positions_take_two_bytes_each():
    assert PackedPositions().encode([3, 9, 700]) == b"H" + bytes([3, 0, 9, 0, 188, 2])
    assert PackedPositions().encode([70_000])[:1] == b"I"


@st.composite
def spans(draw):
    """(start, end) of words in text order, some far apart or long."""
    out, start = [], 0
    for _ in range(draw(st.integers(0, 50))):
        start += draw(st.sampled_from([0, 1, 5, 70_000]))
        end = start + draw(st.sampled_from([1, 4, 300]))
        out.append((start, end))
        start = end
    return out


@settings(max_examples=300, deadline=None)
@given(spans())
def test_offsets_round_trip(words):
    where = Offsets(pack_offsets(words))
    assert len(where) == len(words)
    assert [where.span(p) for p in range(len(words))] == words
    every = list(range(len(words) + 2))  # two positions past the last word: left out
    assert list(where.spans(every, "mot")) == [(a, b, "mot") for a, b in words]


def test_no_offsets():
    assert len(Offsets(b"")) == 0


def _plain(lists, slop):
    """The first position of each choice of one position per list, each 1 to `slop` after the previous."""
    return sorted({choice[0] for choice in itertools.product(*lists)
                   if all(1 <= b - a <= slop for a, b in zip(choice, choice[1:]))})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=8, unique=True).map(sorted), min_size=1, max_size=4),
       st.integers(1, 3))
def test_phrase_matches_are_the_plain_rule(lists, slop):
    found = phrase_matches(lists, slop)
    assert [first for first, _ in found] == _plain(lists, slop)
    for first, last in found:  # each occurrence ends on a position of the last word, in reach
        assert last in lists[-1] and len(lists) - 1 <= last - first <= (len(lists) - 1) * slop


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aé’ œ\u202f𝄞\n", max_size=3000), st.integers(0, 3100), st.integers(0, 3100))
def test_text_slices_like_a_str(text, start, stop):
    packed = Text(pack_text(text))
    assert len(packed) == len(text) and str(packed) == text
    assert packed[start:stop] == text[start:stop]
    assert packed[-5:] == text[-5:] and packed[:start:2] == text[:start:2]


def test_text_chunks_are_cut_on_characters():
    text = "é" * (TEXT_CHUNK - 1) + "’œ" + "a" * TEXT_CHUNK
    packed = Text(pack_text(text))
    assert packed[TEXT_CHUNK - 2:TEXT_CHUNK + 2] == "é’œa"
    assert len(Text(b"")) == 0 and str(Text(b"")) == ""
