"""The word map stored with each document: where each word of its texts stands.

For each key of the body, its positions and the characters of each occurrence;
for each key of the short fields ("title:sud"), its positions. Snippets, the
closeness bonus and sloppy phrases read it for a few documents at a time, a
few keys each, so a key is found without reading the whole map: keys are
spread by a hash over buckets of about KEYS_PER_BUCKET keys, a header says how
many buckets there are and where each starts, and numbers are little-endian
arrays. Each document read costs in proportion to its size, so the map is kept
small: positions take 2 bytes in a text of fewer than 65,536 words (4 beyond),
and an occurrence's characters are its start (4 bytes) and length (2 bytes).

Header: the number of buckets (4 bytes, the top bit set when positions take 4 bytes),
then where each bucket starts (4 bytes each). An entry: key length (2 bytes), key
(UTF-8), count n (4 bytes), whether characters follow (1 byte), n positions, then
(for body keys) n starts and n lengths.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence

KEYS_PER_BUCKET = 4  # entries compared, at most a few, before a key is found
WIDE = 1 << 31  # in the header's first number: positions take 4 bytes
_HEAD = struct.Struct("<H")
_COUNT = struct.Struct("<IB")
Entry = tuple[Sequence[int], list[tuple[int, int]]]  # positions, and (for body keys) (start, end) of each


def _bucket(key: bytes, buckets: int) -> int:
    return zlib.crc32(key) % buckets


def _pack(code: str, values: Sequence[int]) -> bytes:
    packed = array(code, values)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack(code: str, data: bytes) -> array:
    out = array(code)
    out.frombytes(data)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def pack(body: dict[str, tuple[list[int], list[int]]], short: dict[str, list[int]]) -> bytes:
    """The map of a document: body keys with their positions and characters (start, end, start,
    end...), short-field keys with their positions."""
    entries = [(k, p, c) for k, (p, c) in body.items()] + [(k, p, None) for k, p in short.items()]
    wide = any(p and p[-1] > 0xFFFF for _, p, _ in entries)
    code = "I" if wide else "H"
    count = max(1, len(entries) // KEYS_PER_BUCKET)
    buckets: list[list[bytes]] = [[] for _ in range(count)]
    for k, positions, chars in entries:
        key = k.encode("utf-8", "surrogatepass")[:0xFFFF]
        entry = _HEAD.pack(len(key)) + key + _COUNT.pack(len(positions), chars is not None) + _pack(code, positions)
        if chars is not None:
            starts = chars[::2]
            entry += _pack("I", starts) + _pack("H", [min(0xFFFF, e - s) for s, e in zip(starts, chars[1::2])])
        buckets[_bucket(key, count)].append(entry)
    parts = [b"".join(b) for b in buckets]
    offsets, at = [count | (WIDE if wide else 0)], 4 * (count + 1)
    for part in parts:
        offsets.append(at)
        at += len(part)
    return _pack("I", offsets) + b"".join(parts)


def read(word_map: bytes, keys: Iterable[str]) -> dict[str, Entry]:
    """The entries of some keys (those the map holds)."""
    out: dict[str, Entry] = {}
    size = len(word_map)
    if size < 8:
        return out
    first = _unpack("I", word_map[:4])[0]
    count, code = first & ~WIDE, "I" if first & WIDE else "H"
    width = 4 if first & WIDE else 2
    offsets = _unpack("I", word_map[4:4 * (count + 1)])
    for k in keys:
        key = k.encode("utf-8", "surrogatepass")
        b = _bucket(key, count)
        at, end = offsets[b], offsets[b + 1] if b + 1 < count else size
        while at < end:
            (length,) = _HEAD.unpack_from(word_map, at)
            start = at + 2 + length
            n, has_chars = _COUNT.unpack_from(word_map, start)
            data = start + 5
            chars_at = data + width * n
            stop = chars_at + (6 * n if has_chars else 0)
            if word_map[at + 2:start] == key:
                positions = _unpack(code, word_map[data:chars_at])
                spans: list[tuple[int, int]] = []
                if has_chars:
                    starts = _unpack("I", word_map[chars_at:chars_at + 4 * n])
                    lengths = _unpack("H", word_map[chars_at + 4 * n:stop])
                    spans = [(s, s + size) for s, size in zip(starts, lengths)]
                out[k] = (positions, spans)
                break
            at = stop
    return out
