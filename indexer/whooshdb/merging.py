"""Which segments a commit merges: small ones by levels and once they weigh, and those with
many deletions.

A sync of a few changed files writes a small segment and marks the old copies
deleted. Whoosh's own policy merges small segments late and never reclaims the
space of deleted documents: a 300-document index grew to 1.5x a fresh build over
a dozen such syncs (a small segment carries a whole term dictionary: five
documents take three times the bytes they take in a large segment). Here
- a segment of which more than MAX_DELETED is deleted is rewritten without them;
- small segments are merged together once they hold SMALL_SHARE of the index's bytes;
- MERGE_FACTOR segments of one level (sizes within a factor MERGE_FACTOR) are merged,
  as in Lucene's log merge policy, so that their number stays small.
Segments of SMALL_DOCS documents or more (a first build writes such) are merged only
for their deletions: rewriting them costs about 40 ms a document.
"""

from __future__ import annotations

import math
from collections import defaultdict

from whoosh.reading import SegmentReader

MAX_DELETED = 0.08   # share of a segment's documents deleted before it is rewritten
SMALL_SHARE = 0.07   # share of the index's bytes that small segments may hold
SMALL_RATIO = 4      # a segment is small below 1/SMALL_RATIO of the largest ...
SMALL_DOCS = 1500    # ... and below this many documents
MERGE_FACTOR = 4     # segments of one level merged together


def segment_bytes(storage, segment) -> int:
    """Bytes of a segment's files on disk."""
    prefix = segment.segment_id() + "."
    return sum(storage.file_length(name) for name in storage.list() if name.startswith(prefix))


def to_merge(storage, segments: list) -> list:
    """The segments that the next commit should merge into the one it writes."""
    if not segments:
        return []
    chosen = [s for s in segments if s.deleted_count() > MAX_DELETED * s.doc_count_all()]
    rest = [s for s in segments if s not in chosen and s.doc_count_all() < SMALL_DOCS]
    levels: dict[int, list] = defaultdict(list)
    for s in rest:
        levels[int(math.log(max(s.doc_count_all(), 1), MERGE_FACTOR))].append(s)
    chosen += [s for level in levels.values() if len(level) >= MERGE_FACTOR for s in level]
    limit = max(s.doc_count_all() for s in segments) / SMALL_RATIO
    small = [s for s in rest if s not in chosen and s.doc_count_all() < limit]
    if len(small) > 1:
        sizes = {s.segment_id(): segment_bytes(storage, s) for s in segments}
        if sum(sizes[s.segment_id()] for s in small) > SMALL_SHARE * sum(sizes.values()):
            chosen += small
    return chosen


def merge_policy(writer, segments: list) -> list:
    """Whoosh merge policy: merge what `to_merge` chooses into the segment being written."""
    chosen = to_merge(writer.storage, segments)
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
    return [s for s in segments if s not in chosen]
