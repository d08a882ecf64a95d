"""Whoosh's W3 codec, with smaller posting blocks for the body's positions, and column
files that stay what they were when a reader opened them.

A posting block is read (inflated and unpickled) whole. Scoring reads every
block of a word's frequencies, so those keep Whoosh's 128 postings a block;
the positions are read for a few top hits at a time (closeness, snippets), and
a block of 128 documents' positions is large: there, smaller blocks mean less
is read for the documents wanted.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PerDocReader

from ..fields import POSITIONS_FIELD

# Postings a block, where not Whoosh's 128. 32 against 128, two segments: keywords 5 % and
# frequent words 8 % faster, phrases 7 % slower (64 sits between).
BLOCK_LIMITS = {POSITIONS_FIELD: 32}


class OnuCodec(W3Codec):
    """W3 with per-field posting block sizes; reads like W3 (the segments of the table of
    contents keep their codec, so readers of the index get this one)."""

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return _PerDocReader(storage, segment)


class _PerDocReader(W3PerDocReader):
    """W3's, except that a column whose file it has open is there. W3 asks the folder each
    time, and a searcher whose index was replaced by a rebuild (its files deleted, still open)
    got empty columns: no facets, dates out of order."""

    def has_column(self, fieldname):
        return fieldname in self._colfiles or super().has_column(fieldname)


class _FieldWriter(W3FieldWriter):
    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._postwriter._blocklimit = BLOCK_LIMITS.get(fieldname, self._codec._blocklimit)
