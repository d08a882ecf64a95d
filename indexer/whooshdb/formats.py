"""Packed integers for the body: word positions in the postings, character offsets in a column.

Whoosh's `Characters` format pickles a list of (position, start, end) deltas
for every posting; a phrase or the closeness of common words unpickled
thousands of them per query, and inflated the offsets with the positions
though only the positions were wanted. Here:

- `PackedPositions` keeps a posting's positions as an array of unsigned
  integers (16 bits when they fit, else 32), read back as a view of the bytes
  (`memoryview.cast`): no Python loop per occurrence, and phrases look
  positions up by bisection without decoding them at all;
- `pack_offsets` keeps, per document, the start and end character of the word
  at each position (one column value), so that the few documents shown read
  their offsets directly, and the postings stay small;
- `pack_text` keeps the body as UTF-8 with the byte offset of every
  TEXT_CHUNK-th character, so that snippets decode the passages they cut, not
  the whole text (`Text`).

All arrays are little-endian, behind a typecode byte.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import add
from typing import TypeVar

from whoosh.formats import Positions

_LITTLE = sys.byteorder == "little"
T = TypeVar("T")


def _pack(values: Sequence[int]) -> bytes:
    """A typecode byte (b"H" or b"I") and the values, little-endian."""
    typecode = "H" if max(values, default=0) < 65536 else "I"
    packed = array(typecode, values)
    if not _LITTLE:
        packed.byteswap()
    return typecode.encode("ascii") + packed.tobytes()


def _unpack(data: bytes | memoryview) -> Sequence[int]:
    """The values behind a typecode byte, as a view of `data` where the machine is little-endian."""
    typecode = chr(data[0])
    if _LITTLE:
        try:
            return memoryview(data)[1:].cast(typecode)  # type: ignore[call-overload]  # a code read from the data
        except TypeError:  # not a whole number of values: damaged bytes, as array.frombytes says below
            raise ValueError(f"{len(data) - 1} bytes are not a whole number of {typecode!r} values") from None
    values = array(typecode)
    values.frombytes(bytes(data[1:]))
    values.byteswap()
    return values


def _sized(values: Sequence[int]) -> bytes:
    """`_pack`, behind its own size in 4 bytes, so that more can follow it."""
    packed = _pack(values)
    return len(packed).to_bytes(4, "little") + packed


def _unsized(view: memoryview) -> tuple[Sequence[int], memoryview]:
    """The values of a `_sized` array at the start of `view`, and what follows it."""
    size = int.from_bytes(view[:4], "little")
    return _unpack(view[4:4 + size]), view[4 + size:]


class PackedPositions(Positions):
    """The positions of a word in a document, ascending, as one packed array."""

    def encode(self, poslist) -> bytes:
        return _pack(poslist)

    def positions(self, value: bytes) -> Sequence[int]:
        """The positions, ascending, as a read-only sequence (a view where possible)."""
        return _unpack(value)

    def decode_positions(self, value: bytes) -> list[int]:
        return list(_unpack(value))

    def decode_frequency(self, value: bytes) -> int:
        return len(_unpack(value))


def pack_offsets(spans: Sequence[tuple[int, int]]) -> bytes:
    """The (start, end) characters of the words at positions 0, 1, 2...: the starts, then
    the lengths."""
    return _sized([start for start, _ in spans]) + _pack([end - start for start, end in spans])


class Offsets:
    """The character offsets of a document's words, by position (from `pack_offsets`)."""

    def __init__(self, data: bytes) -> None:
        if not data:
            self._starts: Sequence[int] = ()
            self._lengths: Sequence[int] = ()
            return
        self._starts, rest = _unsized(memoryview(data))
        self._lengths = _unpack(rest)

    def __len__(self) -> int:
        return len(self._starts)

    def span(self, position: int) -> tuple[int, int]:
        """The start and end character of the word at a position."""
        start = self._starts[position]
        return start, start + self._lengths[position]

    def spans(self, positions: Sequence[int], tag: T) -> Iterator[tuple[int, int, T]]:
        """(start, end, tag) of the words at some positions (ascending; those past the last
        word are left out)."""
        positions = positions[:bisect_left(positions, len(self._starts))]
        starts = list(map(self._starts.__getitem__, positions))
        ends = map(add, starts, map(self._lengths.__getitem__, positions))
        return zip(starts, ends, repeat(tag))


TEXT_CHUNK = 1024  # characters between two byte offsets of `pack_text`


def pack_text(text: str) -> bytes:
    """The text as UTF-8, behind its length in characters and the byte offset of each chunk."""
    parts = [text[i:i + TEXT_CHUNK].encode("utf-8") for i in range(0, len(text), TEXT_CHUNK)]
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part)
    return len(text).to_bytes(4, "little") + _sized(starts) + b"".join(parts)


class Text:
    """A text from `pack_text`, sliced by characters while decoding only the chunks a slice covers.

    Bytes that are not UTF-8 (a damaged file) raise in `str`, but read as U+FFFD in a slice:
    snippets are cut after the engine has answered, where damage could only be a traceback.
    """

    def __init__(self, data: bytes) -> None:
        if not data:
            data = pack_text("")
        self._length = int.from_bytes(data[:4], "little")
        self._starts, self._utf8 = _unsized(memoryview(data)[4:])
        if len(self._starts) != -(-self._length // TEXT_CHUNK):
            raise ValueError(f"a text of {self._length} characters in {len(self._starts)} chunks")

    def __len__(self) -> int:
        return self._length

    def __str__(self) -> str:
        return str(self._utf8, "utf-8")

    def __getitem__(self, where: slice) -> str:
        start, stop, step = where.indices(self._length)
        if step != 1 or start >= stop:
            return str(self._utf8, "utf-8", "replace")[where]
        first, last = start // TEXT_CHUNK, (stop - 1) // TEXT_CHUNK + 1
        end = self._starts[last] if last < len(self._starts) else len(self._utf8)
        chunk = str(self._utf8[self._starts[first]:end], "utf-8", "replace")
        base = first * TEXT_CHUNK
        return chunk[start - base:stop - base]
