"""Index files read through memory maps.

Whoosh reads a segment with a seek and a read for every term lookup, posting
block and stored record (hundreds per query). Its storage has an mmap flag but
does not use it for reading; here a read-only file is mapped once and each
read is a slice of the map. Segment files are never changed once written, and
a map stays valid after its file is deleted by a later merge (on POSIX).
"""

from __future__ import annotations

import mmap
import os

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile


class MappedFile(StructFile):
    """A StructFile over a read-only memory map: `get` is a slice, no seek."""

    def __init__(self, mapped: mmap.mmap, name: str) -> None:
        super().__init__(mapped, name=name)
        self.is_real = False  # no file number: arrays are read from bytes

    def get(self, position: int, length: int) -> bytes:
        return self.file[position:position + length]


class MappedStorage(FileStorage):
    """A FileStorage whose files open as memory maps (empty files open normally)."""

    def open_file(self, name: str, **kwargs) -> StructFile:
        with open(self._fpath(name), "rb") as f:
            if os.fstat(f.fileno()).st_size == 0:
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return MappedFile(mapped, name)
