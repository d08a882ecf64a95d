"""The word map stored with each document: where each word of its texts stands.

For each key of the body, its positions and the characters of each occurrence;
for each key of the short fields ("title:sud"), its positions. Snippets, the
closeness bonus and sloppy phrases read it for a few documents at a time, a
few keys each, so a key is found without reading the whole map: keys are
spread by a hash over buckets of about KEYS_PER_BUCKET keys, a header says how
many buckets there are and where each starts, and numbers are stored as
32-bit little-endian integers, read as arrays.

An entry: key length (2 bytes), key (UTF-8), count n (4 bytes), whether characters
follow (1 byte), n positions, then (for body keys) n pairs of start and end.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence

KEYS_PER_BUCKET = 4  # entries compared, at most a few, before a key is found
_HEAD = struct.Struct("<H")
_COUNT = struct.Struct("<IB")
Entry = tuple[Sequence[int], list[tuple[int, int]]]  # positions, and (for body keys) (start, end) of each


def _bucket(key: bytes, buckets: int) -> int:
    return zlib.crc32(key) % buckets


def _ints(values: Sequence[int]) -> bytes:
    packed = array("I", values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _array(data: bytes) -> array:
    out = array("I")
    out.frombytes(data)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def pack(body: dict[str, tuple[list[int], list[int]]], short: dict[str, list[int]]) -> bytes:
    """The map of a document: body keys with their positions and characters (start, end, start,
    end...), short-field keys with their positions."""
    entries = [(k, p, c) for k, (p, c) in body.items()] + [(k, p, None) for k, p in short.items()]
    count = max(1, len(entries) // KEYS_PER_BUCKET)
    buckets: list[list[bytes]] = [[] for _ in range(count)]
    for k, positions, chars in entries:
        key = k.encode("utf-8", "surrogatepass")[:0xFFFF]
        buckets[_bucket(key, count)].append(_HEAD.pack(len(key)) + key + _COUNT.pack(len(positions), chars is not None)
                                     + _ints(positions) + (_ints(chars) if chars is not None else b""))
    parts = [b"".join(b) for b in buckets]
    offsets, at = [count], 4 * (count + 1)
    for part in parts:
        offsets.append(at)
        at += len(part)
    return _ints(offsets) + b"".join(parts)


def read(word_map: bytes, keys: Iterable[str]) -> dict[str, Entry]:
    """The entries of some keys (those the map holds)."""
    out: dict[str, Entry] = {}
    size = len(word_map)
    if size < 8:
        return out
    count = _array(word_map[:4])[0]
    offsets = _array(word_map[4:4 * (count + 1)])
    for k in keys:
        key = k.encode("utf-8", "surrogatepass")
        b = _bucket(key, count)
        at, end = offsets[b], offsets[b + 1] if b + 1 < count else size
        while at < end:
            (length,) = _HEAD.unpack_from(word_map, at)
            start = at + 2 + length
            n, has_chars = _COUNT.unpack_from(word_map, start)
            data = start + 5
            stop = data + 4 * n * (3 if has_chars else 1)
            if word_map[at + 2:start] == key:
                positions = _array(word_map[data:data + 4 * n])
                chars = _array(word_map[data + 4 * n:stop]) if has_chars else array("I")
                out[k] = (positions, list(zip(chars[::2], chars[1::2])))
                break
            at = stop
    return out
