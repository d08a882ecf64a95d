"""The word map stored with each document: where each word of its texts stands.

For each key of the body, its positions and the characters of each occurrence;
for each key of the short fields ("title:sud"), its positions. Snippets, the
closeness bonus and sloppy phrases read it for a few documents at a time, a
few keys each, so a key is found without reading the whole map: keys are
spread by a hash over buckets of about KEYS_PER_BUCKET keys, a header says how
many buckets there are and where each starts, and numbers are little-endian
arrays. Each document read costs in proportion to its size, so the map is kept
small: positions take 2 bytes in a text of fewer than 65,536 words (4 beyond),
and an occurrence's characters are its start (2 bytes in a text of fewer than
65,536 characters, 4 beyond) and length (1 byte if no word is longer than 255
characters, 2 beyond).

Header: the number of buckets (4 bytes, whose top bits say which numbers take the
longer widths), then where each bucket starts (4 bytes each). An entry: key length
(2 bytes), key (UTF-8), count n (4 bytes), whether characters follow (1 byte),
n positions, then (for body keys) n starts and n lengths.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Container, Iterable, Sequence

KEYS_PER_BUCKET = 4  # entries compared, at most a few, before a key is found
WIDE = 1 << 31  # in the header's first number: positions take 4 bytes
NARROW_STARTS = 1 << 30  # starts take 2 bytes
NARROW_LENGTHS = 1 << 29  # lengths take 1 byte
FLAGS = WIDE | NARROW_STARTS | NARROW_LENGTHS
MAX_LENGTH = 0xFFFF  # characters of an occurrence beyond this are not marked
_HEAD = struct.Struct("<H")
_OFFSET = struct.Struct("<I")
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
    narrow_starts = all(c[-2] <= 0xFFFF for _, _, c in entries if c)
    narrow_lengths = all(e - s <= 0xFF for _, _, c in entries if c for s, e in zip(c[::2], c[1::2]))
    codes = ("I" if wide else "H", "H" if narrow_starts else "I", "B" if narrow_lengths else "H")
    count = max(1, len(entries) // KEYS_PER_BUCKET)
    buckets: list[list[bytes]] = [[] for _ in range(count)]
    for k, positions, chars in entries:
        key = k.encode("utf-8", "surrogatepass")[:0xFFFF]
        entry = _HEAD.pack(len(key)) + key + _COUNT.pack(len(positions), chars is not None) + _pack(codes[0], positions)
        if chars is not None:
            starts = chars[::2]
            entry += _pack(codes[1], starts) + _pack(codes[2], [min(MAX_LENGTH, e - s)
                                                                for s, e in zip(starts, chars[1::2])])
        buckets[_bucket(key, count)].append(entry)
    parts = [b"".join(b) for b in buckets]
    flags = (WIDE if wide else 0) | (NARROW_STARTS if narrow_starts else 0) | (NARROW_LENGTHS if narrow_lengths else 0)
    offsets, at = [count | flags], 4 * (count + 1)
    for part in parts:
        offsets.append(at)
        at += len(part)
    return _pack("I", offsets) + b"".join(parts)


def read(word_map: bytes, keys: Iterable[str], chars: Container[str] = ()) -> dict[str, Entry]:
    """The entries of some keys (those the map holds): their positions (what closeness and phrases
    need), and the characters of those keys that are also in `chars` (what marks need)."""
    out: dict[str, Entry] = {}
    size = len(word_map)
    if size < 8:
        return out
    (first,) = _OFFSET.unpack_from(word_map, 0)
    count = first & ~FLAGS
    codes = ("I" if first & WIDE else "H", "H" if first & NARROW_STARTS else "I",
             "B" if first & NARROW_LENGTHS else "H")
    width, start_width = (4 if first & WIDE else 2), (2 if first & NARROW_STARTS else 4)
    occurrence = start_width + (1 if first & NARROW_LENGTHS else 2)
    for k in keys:
        key = k.encode("utf-8", "surrogatepass")
        b = _bucket(key, count)
        (at,) = _OFFSET.unpack_from(word_map, 4 * (b + 1))
        end = _OFFSET.unpack_from(word_map, 4 * (b + 2))[0] if b + 1 < count else size
        while at < end:
            (length,) = _HEAD.unpack_from(word_map, at)
            start = at + 2 + length
            n, has_chars = _COUNT.unpack_from(word_map, start)
            data = start + 5
            chars_at = data + width * n
            stop = chars_at + (occurrence * n if has_chars else 0)
            if word_map[at + 2:start] == key:
                positions = _unpack(codes[0], word_map[data:chars_at])
                spans: list[tuple[int, int]] = []
                if has_chars and k in chars:
                    lengths_at = chars_at + start_width * n
                    starts = _unpack(codes[1], word_map[chars_at:lengths_at])
                    lengths = _unpack(codes[2], word_map[lengths_at:stop])
                    spans = [(s, s + n) for s, n in zip(starts, lengths)]
                out[k] = (positions, spans)
                break
            at = stop
    return out
