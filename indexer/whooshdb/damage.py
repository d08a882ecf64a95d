"""Telling a damaged index from a bug of ours, and finding damage before a search meets it.

Whoosh keeps no checksums, and reads a missing column file as a column of default values.
So each commit records the sizes of its segments' files (in the table of contents), readers
check them, and a sync reads what every search reads before it reports success.
"""

from __future__ import annotations

import os
import pickle
import struct
import zlib
from itertools import islice

import whoosh
import whoosh.index
from whoosh.fields import NUMERIC
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import IndexError as WhooshIndexError

from ..engine import FACET_FIELDS
from ..errors import IndexDamagedError
from .fastread import field_lengths

SIZES = "onu_sizes"  # the attribute of a segment (pickled in the table of contents) naming its files' sizes
# What reading index files that are not as written raises (each file of an index deleted, emptied,
# halved, flipped, garbled: tests/test_damaged_index.py): a missing or short file (OSError), bytes
# that decode to nonsense (struct, zlib, pickle, UTF-8, array typecodes: ValueError), Whoosh's own
# format errors, and its bare `raise Exception` ("Block tag error" of a posting block)...
DAMAGE = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error, ValueError,
          FileFormatError, WhooshIndexError)
# ...and these, only when raised in Whoosh's code: a number read past the end of a file, offsets
# computed from garbage. Raised in ours, they are bugs, and go through unchanged.
DAMAGE_IN_WHOOSH = (TypeError, OverflowError)
WHOOSH_CODE = os.path.dirname(whoosh.__file__) + os.sep
FACET_COLUMNS = frozenset(FACET_FIELDS.values())  # read whole by facet counts and stats


def verify(ix: whoosh.index.Index) -> int:
    """Read from every segment of the latest commit what every search reads, and return the number
    of live documents; damaged files raise what `retrying` turns into IndexDamagedError.

    Every file is checked for its size and opened (its tables decoded); the text columns that
    facets count and the field lengths are read whole, the other columns and the stored records
    at their first and last document, the postings at their first word. Damage elsewhere (inside
    a stored record, a text, the postings of a word) is found by the searches that read it,
    which say to rebuild.
    """
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            _verify_segment(leaf)
        return reader.doc_count()


def _verify_segment(reader) -> None:
    count = reader.doc_count_all()
    if not count:
        return
    ends = sorted({0, count - 1})
    for docnum in ends:
        reader.stored_fields(docnum)
    for fieldname, text in islice(reader.all_terms(), 1):  # a postings file of garbage fails every word
        reader.postings(fieldname, text).is_active()  # reads the first block (all deleted: none active)
    for name, field_type in reader.schema.items():
        if field_type.column_type and reader.has_column(name):
            # Facets decode every value of a text column (any bytes make some number).
            whole = name in FACET_COLUMNS and not isinstance(field_type, NUMERIC)
            values = reader.column_reader(name, translate=whole)
            for docnum in range(count) if whole else ends:
                values[docnum]
        if field_type.scorable:
            field_lengths(reader, name)


def describe(exc: Exception) -> str:
    """What a damaged file raised, for a message: the missing file's name, or the exception."""
    if isinstance(exc, FileNotFoundError):
        return f"{os.path.basename(exc.filename)} is missing" if exc.filename else "files of the index are missing"
    return f"{type(exc).__name__}: {exc}"


def is_damage(exc: BaseException) -> bool:
    """Whether an exception is what index files that are not as written make Whoosh raise (DAMAGE,
    a bare Exception, or DAMAGE_IN_WHOOSH raised by Whoosh's code), not a bug of ours."""
    if isinstance(exc, DAMAGE) or type(exc) is Exception:  # noqa: E721 - exactly Exception, no subclass
        return True
    return isinstance(exc, DAMAGE_IN_WHOOSH) and _raised_in(exc, WHOOSH_CODE)


def _raised_in(exc: BaseException, folder: str) -> bool:
    """Whether the innermost frame of an exception's traceback runs code from under a folder."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_filename.startswith(folder)


def note_sizes(folder: str, segments) -> None:
    """Write into each segment that has none the sizes of its files, which never change once
    committed: a reader then tells a deleted or truncated file (Whoosh reads a missing column
    as a column of default values, and a short one as whatever the bytes say)."""
    names = os.listdir(folder)
    for seg in segments:
        if getattr(seg, SIZES, None) is None:
            prefix = seg.segment_id() + "."
            setattr(seg, SIZES, {n: os.path.getsize(os.path.join(folder, n)) for n in names if n.startswith(prefix)})


def check_sizes(folder: str, segments) -> None:
    """Raise FileNotFoundError for a missing file of a segment, IndexDamagedError for one whose size changed."""
    for seg in segments:
        for name, size in (getattr(seg, SIZES, None) or {}).items():
            found = os.path.getsize(os.path.join(folder, name))
            if found != size:
                raise IndexDamagedError(folder, f"{name} has {found} bytes instead of {size}")
