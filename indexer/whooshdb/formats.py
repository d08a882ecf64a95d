"""A posting format for the body's positions and character offsets, decoded without pickle.

Whoosh's `Characters` format pickles a list of (position, start, end) deltas
for every posting; a phrase or the highlights of a common word unpickle
thousands of them per query. `PackedCharacters` keeps the same deltas as three
arrays of unsigned integers (16 bits when they fit, else 32), read back with
views of the bytes (`memoryview.cast`): no Python loop per occurrence, and
phrases look positions up by bisection without decoding them at all.

Value layout: one typecode byte (b"H" or b"I"), then n positions (ascending),
n start deltas (from the previous occurrence's end) and n lengths, little-endian.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Sequence
from itertools import accumulate
from operator import add, sub

from whoosh.formats import Characters

_LITTLE = sys.byteorder == "little"
_SIZES = {b"H"[0]: 2, b"I"[0]: 4}


class PackedCharacters(Characters):
    """Positions and character offsets of each occurrence, as packed arrays."""

    def encode(self, poslist) -> bytes:
        positions: list[int] = []
        starts: list[int] = []
        lengths: list[int] = []
        charbase = 0
        for pos, startchar, endchar in poslist:
            positions.append(pos)
            starts.append(startchar - charbase)
            lengths.append(endchar - startchar)
            charbase = endchar
        values = positions + starts + lengths
        typecode = "H" if max(values, default=0) < 65536 else "I"
        packed = array(typecode, values)
        if not _LITTLE:
            packed.byteswap()
        return typecode.encode("ascii") + packed.tobytes()

    def _arrays(self, value: bytes, parts: int) -> list:
        """The first `parts` of the three arrays (views of `value`, no copy, where the
        machine is little-endian)."""
        typecode = chr(value[0])
        n = (len(value) - 1) // (3 * _SIZES[value[0]])
        if _LITTLE:
            ints = memoryview(value)[1:].cast(typecode)
        else:
            ints = array(typecode)
            ints.frombytes(value[1:1 + parts * n * ints.itemsize])
            ints.byteswap()
        return [ints[i * n:(i + 1) * n] for i in range(parts)]

    def decode_frequency(self, value: bytes) -> int:
        return (len(value) - 1) // (3 * _SIZES[value[0]])

    def positions(self, value: bytes) -> Sequence[int]:
        """The positions, ascending, as a read-only sequence (a view where possible)."""
        return self._arrays(value, 1)[0]

    def decode_positions(self, value: bytes) -> list[int]:
        return list(self.positions(value))

    def decode_characters(self, value: bytes) -> list[tuple[int, int, int]]:
        positions, starts, lengths = self._arrays(value, 3)
        ends = list(accumulate(map(add, starts, lengths)))
        return list(zip(positions, map(sub, ends, lengths), ends))
