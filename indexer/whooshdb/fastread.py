"""Bulk reads of a Whoosh segment: posting blocks, field-length columns, position values.

Whoosh reads a posting list one document at a time through three method calls
per posting, and a length column one document at a time through a file read
each; on this corpus that was most of a query's time. The functions here read
a block (up to 128 postings) or a whole column at once, and decode positions
without building span objects. They rely on the internals of the pinned
whoosh-reloaded 2.7.5 (W3 codec), checked against the public, slow path by
tests/test_fastread.py; any other matcher, reader or format falls back to the
public API.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from pickle import loads

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.formats import Format, Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.columns import MultiColumnReader
from whoosh.reading import MultiReader, SegmentReader, TermNotFound
from whoosh.system import _INT_SIZE

from .formats import PackedPositions
from whoosh.util.numeric import byte_to_length

_LENGTHS = tuple(byte_to_length(i) for i in range(256))

Block = tuple[Sequence[int], Sequence]


def posting_blocks(reader, fieldname: str, text: str, values: bool = False,
                   only: Sequence[int] | None = None) -> Iterator[Block]:
    """(document numbers, weights) of a word's postings in one segment, a block at a time;
    with `values`, (document numbers, encoded values) instead; with `only` (ascending
    document numbers), just the blocks that may hold one of them.

    Deleted documents are included: the caller drops them (and counts them, as
    Whoosh's document frequencies do).
    """
    try:
        m = reader.postings(fieldname, text)
    except TermNotFound:
        return
    if isinstance(m, FilterMatcher):
        m = m.child
    if isinstance(m, W3LeafMatcher):
        wanted, previous_top = 0, -1
        while m.is_active():
            if only is not None:
                top = m.block_max_id()
                wanted = bisect_right(only, previous_top, wanted)
                if wanted == len(only):
                    return
                previous_top = top
                if only[wanted] > top:  # the block header says no wanted document is in it
                    m._next_block()
                    continue
            m._read_ids()
            if values:
                m._read_values()
                yield m._ids, m._values
            else:
                m._read_weights()
                yield m._ids, m._weights
            m._next_block()
        return
    ids: list = []
    data: list = []
    while m.is_active():
        ids.append(m.id())
        data.append(m.value() if values else m.weight())
        m.next()
    if ids:
        yield ids, data


def posting_values(reader, fieldname: str, text: str, only: Sequence[int] | None = None) -> dict[int, bytes]:
    """{document number: encoded value (positions, characters)} of a word in one segment, deleted
    included; with `only`, at least for those of the documents (ascending) that hold the word."""
    out: dict[int, bytes] = {}
    for ids, values in posting_blocks(reader, fieldname, text, values=True, only=only):
        out.update(zip(ids, values))
    return out


class ValueCache:
    """The encoded posting values read while answering one query, so that a phrase, the
    closeness of words and the highlights read each posting block once."""

    def __init__(self) -> None:
        self._lists: dict[tuple[int, str, str], tuple[object, dict[int, bytes], set[int] | None]] = {}

    def __call__(self, reader, fieldname: str, text: str, only: Sequence[int] | None = None) -> dict[int, bytes]:
        """`posting_values`, from memory when an earlier read covered the documents asked for."""
        key = (id(reader), fieldname, text)
        cached = self._lists.get(key)
        if cached is not None:
            _, found, covered = cached
            if covered is None or (only is not None and covered.issuperset(only)):
                return found
        found = posting_values(reader, fieldname, text, only)
        # The reader is kept with its values, so that its id stays its own.
        self._lists[key] = (reader, found, None if only is None else set(only))
        return found


def positions_decoder(fmt: Format) -> Callable[[bytes], Sequence[int]]:
    """A function from an encoded value to its word positions, ascending (Whoosh's, for other formats)."""
    if isinstance(fmt, PackedPositions):
        return fmt.positions
    if type(fmt) is Positions:
        return lambda raw: list(accumulate(_codes(raw)))
    return fmt.decode_positions


def _codes(raw: bytes) -> list:
    """The pickled deltas of a Positions value (Whoosh drops the pickle's final '.')."""
    return loads(raw[_INT_SIZE:] if raw.endswith(b".") else raw[_INT_SIZE:] + b".")


def column(reader, fieldname: str, translate: bool = True):
    """A column of values by document number over every segment. Whoosh's MultiReader leaves
    out the segments that have no file for the column (none of their documents had a value),
    which shifts the documents of the segments after them onto the wrong values."""
    if isinstance(reader, MultiReader):
        parts = [r.column_reader(fieldname, translate=translate) for r in reader.readers]
        return MultiColumnReader(parts, reader.doc_offsets)
    return reader.column_reader(fieldname, translate=translate)


def field_lengths(reader, fieldname: str) -> list[int]:
    """The length (in words, as Whoosh stores it: approximate above 100) of a field in every document of a segment."""
    if isinstance(reader, SegmentReader):
        return perdoc_lengths(reader._perdoc, fieldname)
    return [reader.doc_field_length(d, fieldname) or 0 for d in range(reader.doc_count_all())]


def perdoc_lengths(perdoc, fieldname: str) -> list[int]:
    """`field_lengths` from a segment's per-document reader (which the writer also has)."""
    count = perdoc.doc_count_all()
    if not isinstance(perdoc, W3PerDocReader):
        return [perdoc.doc_field_length(d, fieldname) or 0 for d in range(count)]
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return [0] * count
    raw = column._dbfile.get(column._basepos, min(column._count, count))
    return [_LENGTHS[b] for b in raw] + [0] * (count - len(raw))
