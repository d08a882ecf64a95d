"""The packed positions format: what goes in comes out, as Whoosh's own format would give it;
and the phrase rule on positions agrees with a plain reading of it."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Characters

from indexer.whooshdb.formats import PackedCharacters
from indexer.whooshdb.phrases import in_sequence


@st.composite
def occurrences(draw, big: int = 70_000):
    """(position, start, end) triples in text order, some beyond 16 bits."""
    n = draw(st.integers(0, 40))
    pos = start = 0
    out = []
    for _ in range(n):
        pos += draw(st.integers(0 if not out else 1, big if draw(st.booleans()) else 20))
        start += draw(st.integers(0, big if draw(st.booleans()) else 30))
        end = start + draw(st.integers(1, 40))
        out.append((pos, start, end))
        start = end
    return out


@settings(max_examples=300, deadline=None)
@given(occurrences())
def test_packed_values_round_trip_like_whooshs_characters(occ):
    packed, whoosh = PackedCharacters(), Characters()
    value = packed.encode(occ)
    assert packed.decode_characters(value) == whoosh.decode_characters(whoosh.encode(occ)) == occ
    assert packed.decode_positions(value) == [p for p, _, _ in occ]
    assert list(packed.positions(value)) == [p for p, _, _ in occ]
    assert packed.decode_frequency(value) == len(occ)


def test_small_values_take_two_bytes_each():
    occ = [(3, 10, 15), (9, 40, 48)]
    assert len(PackedCharacters().encode(occ)) == 1 + 2 * 3 * len(occ)
    assert PackedCharacters().encode(occ)[:1] == b"H"
    assert PackedCharacters().encode([(70_000, 0, 5)])[:1] == b"I"


def _plain(lists, slop):
    """Some choice of one position per list, each 1 to `slop` after the previous."""
    return any(all(1 <= b - a <= slop for a, b in zip(choice, choice[1:])) for choice in itertools.product(*lists))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=8, unique=True).map(sorted), min_size=1, max_size=4),
       st.integers(1, 3))
def test_in_sequence_is_the_plain_rule(lists, slop):
    assert in_sequence(lists, slop) == _plain(lists, slop)
