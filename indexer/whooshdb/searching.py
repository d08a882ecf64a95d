"""Running compiled queries on a Whoosh index: hits, counts, facets and match spans."""

from __future__ import annotations

import difflib
import functools
import heapq
import pickle
import struct
import threading
import time
import zlib
from collections.abc import Callable
from collections import Counter

import whoosh.index
from whoosh import query as wq
from whoosh.searching import Searcher

from .. import query as q
from ..analysis import keys
from ..engine import FACET_FIELDS, EngineHit, EngineResults, session_label
from ..errors import IndexDamagedError
from ..fields import POSITIONS_FIELD, PROXIMITY_SLOP, Ranking
from .bm25f import BM25F
from .compile import Compiler
from .evaluate import Evaluator
from .fastread import column
from .formats import Offsets, Text
from .occurrences import matches, near_counts
from .schema import BODY_COLUMN, OFFSETS_COLUMN, stored_record
from ..location import locate
from .store import latest_version, open_dir, opened_whole

REFRESH_SECONDS = 1.0
MISSING_NUMBER = 2**31 - 1  # what Whoosh's numeric columns hold for a document without the value
# What Whoosh raises when the bytes of an index file are not what it wrote.
DAMAGE = (OSError, EOFError, pickle.UnpicklingError, struct.error, zlib.error, ValueError)
MIN_SUGGEST_DOCS = 2


def _reading(method: Callable) -> Callable:
    """Turn what a damaged index file raises while being read into IndexDamagedError."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DAMAGE as exc:
            raise IndexDamagedError(self.folder, f"{type(exc).__name__}: {exc}") from None
    return wrapper


class WhooshSearcher:
    """Answers queries on one index; safe to share between threads (one Whoosh searcher per thread)."""

    def __init__(self, index_dir: str, ranking: Ranking | None = None) -> None:
        self.folder = index_dir
        self.ranking = ranking or Ranking()
        self.weighting = BM25F(self.ranking.boosts, b=self.ranking.b, k1=self.ranking.k1)
        self._local = threading.local()
        self._all: list[Searcher] = []
        self._lock = threading.Lock()

    def searcher(self) -> Searcher:
        """This thread's searcher, replaced (at most once a second) when the index has changed:
        a commit, or a rebuild (whose commits are numbered after the old index's)."""
        local = self._local
        now = time.monotonic()
        s: Searcher | None = getattr(local, "searcher", None)
        if s is not None and now - local.checked > REFRESH_SECONDS:
            local.checked = now
            if latest_version(locate(self.folder)) != local.version:
                with self._lock:
                    self._all.remove(s)
                s.close()
                s = None
        if s is None:
            local.version = latest_version(locate(self.folder))
            s = opened_whole(self.folder, self._open_searcher, Searcher.close)
            with self._lock:
                self._all.append(s)
            local.checked = now
        local.searcher = s
        return s

    def _open_searcher(self) -> Searcher:
        """A searcher over the latest commit, with every file of it open, so that a later
        merge deleting those files cannot pull them away from under it."""
        s = open_dir(locate(self.folder)).searcher(weighting=self.weighting)
        try:
            for leaf, _ in s.leaf_searchers():
                reader = leaf.reader()
                if reader.doc_count_all():
                    reader.stored_fields(0)
                    for name, field_type in s.schema.items():
                        if field_type.scorable:
                            reader.doc_field_length(0, name)
                        if field_type.column_type:
                            reader.column_reader(name)
        except BaseException:
            s.close()
            raise
        return s

    def close(self) -> None:
        """Close every thread's searcher."""
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()
        self._local = threading.local()

    @_reading
    def search(self, node: q.Node, *, offset: int = 0, limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> EngineResults:
        """Run a query tree; `sort` is relevance, date or -date.

        The ranking does not depend on `offset` and `limit`: the closeness bonus reorders
        a fixed number of the best hits (`Ranking.proximity_depth`), so pages are slices of it.
        """
        s = self.searcher()
        compiler = Compiler(self.ranking)
        evaluator = Evaluator(s)
        scores = evaluator.run(compiler.compile(node))
        total = len(scores)
        reader = s.reader()
        words = compiler.near_words(node) if sort == "relevance" else []
        if sort in ("date", "-date"):
            dates = column(reader, "date")
            dated = [d for d in scores if dates[d] not in (None, MISSING_NUMBER)]
            undated = sorted(scores.keys() - set(dated))  # last, in either order
            order = sorted(dated, key=lambda d: (dates[d], -d), reverse=sort == "-date") + undated
            ranked = [(d, scores[d]) for d in order[:offset + limit]]
        else:
            if compiler.accents and self.ranking.exact_boost > 0:
                evaluator.accent_penalty(scores, compiler.accents, self.ranking.exact_boost)
            depth = int(self.ranking.proximity_depth) if words else 0
            ranked = heapq.nlargest(max(depth, offset + limit), scores.items(), key=lambda item: (item[1], -item[0]))
            if depth:
                head = ranked[:depth]
                near = near_counts(s, [d for d, _ in head], words, evaluator.values, PROXIMITY_SLOP)
                ranked = self._rerank(s, head, near, words) + ranked[depth:]
        page = ranked[offset:offset + limit]
        bodies = self._column(s, BODY_COLUMN)
        texts = {d: Text(bodies[d]) for d, _ in page}
        found = matches(s, list(texts), compiler.marks, evaluator.values, self._offsets(s), texts.__getitem__)
        stored = s.stored_fields
        hits = [EngineHit(stored_record(stored(d)["record"]), texts[d], float(score), found[d]) for d, score in page]
        return EngineResults(total, hits, self._facets(s, scores.keys(), facets) if facets else {})

    def _rerank(self, s: Searcher, top: list[tuple[int, float]], near: dict[int, int],
                words: list[str]) -> list[tuple[int, float]]:
        """The top hits again, with a bonus where the words stand close together in the body."""
        bonus = self.ranking.proximity_boost * sum(s.idf("body", w) for w in set(words))
        rescored = [(d, score + bonus * near.get(d, 0) / (1.2 + near.get(d, 0))) for d, score in top]
        return sorted(rescored, key=lambda item: (-item[1], item[0]))

    @_reading
    def get(self, doc_id: str) -> dict | None:
        """The stored record of a document id, or None."""
        s = self.searcher()
        docnum = s.document_number(id=doc_id)
        return None if docnum is None else self._record(s, docnum)

    @_reading
    def find_ids(self, node: q.Node, limit: int = 20) -> list[str]:
        """Ids of documents matching a query tree (for lookups by symbol), in index order."""
        s = self.searcher()
        docnums = sorted(Evaluator(s).run(Compiler(self.ranking).compile(node)))[:limit]
        return [s.stored_fields(d)["id"] for d in docnums]

    @_reading
    def closest_word(self, word: str) -> str | None:
        """A frequent word of the index close to an unknown one, as written in a document; None if known."""
        s = self.searcher()
        reader = s.reader()
        stems = keys(word)
        if len(stems) != 1 or ("body", stems[0]) in reader:
            return None
        key = stems[0]
        candidates = [t for t in self._lexicon(reader).get(key[:1], ())
                      if 0.6 * len(key) <= len(t) <= len(key) + 2]
        scored = [(difflib.SequenceMatcher(None, key[:len(t) + 2], t).ratio(), t) for t in candidates]
        scored = [(ratio, reader.doc_frequency("body", t), t) for ratio, t in scored if ratio >= 0.8]
        scored = [item for item in scored if item[1] >= MIN_SUGGEST_DOCS]
        if not scored:
            return None
        best = max(scored)[2]
        m = reader.postings(POSITIONS_FIELD, best)
        start, end = self._offsets(s)(m.id()).span(m.value_as("positions")[0])
        body = self._record(s, m.id())["body"]
        return body[start:end].lower()

    def _record(self, s: Searcher, docnum: int) -> dict:
        """The stored record of a document, body included."""
        return stored_record(s.stored_fields(docnum)["record"], str(Text(self._column(s, BODY_COLUMN)[docnum])))

    def _offsets(self, s: Searcher) -> Callable[[int], Offsets]:
        """The character offsets of a document's words, by document number."""
        column = self._column(s, OFFSETS_COLUMN)
        return lambda docnum: Offsets(column[docnum])

    def _column(self, s: Searcher, name: str):
        """A column reader of this searcher (opened once per searcher and thread)."""
        cached = getattr(self._local, "columns", None)
        if cached is None or cached[0] is not s:
            cached = self._local.columns = (s, {})
        readers = cached[1]
        if name not in readers:
            readers[name] = column(s.reader(), name)
        return readers[name]

    def _lexicon(self, reader) -> dict[str, list[str]]:
        """Body terms by first letter (built once per reader and thread)."""
        cached = getattr(self._local, "lexicon", None)
        if cached is None or cached[0] is not reader:
            groups: dict[str, list[str]] = {}
            for raw in reader.lexicon("body"):
                term = raw.decode("utf-8")
                if term.isalpha():
                    groups.setdefault(term[:1], []).append(term)
            cached = self._local.lexicon = (reader, groups)
        return cached[1]

    @_reading
    def stats(self) -> dict:
        """Counts of documents by organ, session and state."""
        s = self.searcher()
        everything = set(s.docs_for_query(wq.Every()))
        return {"documents": len(everything),
                **self._facets(s, everything, ("organ", "session", "state", "year"))}

    def _facets(self, s: Searcher, docset: set[int], names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        """Counts over all matching documents, most frequent first."""
        reader = s.reader()
        out: dict[str, dict[str, int]] = {}
        for name in names:
            field_name = FACET_FIELDS[name]
            counts: Counter = Counter()
            if field_name in ("states", "agenda_num"):
                for term in reader.lexicon(field_name):
                    n = sum(1 for d in reader.postings(field_name, term).all_ids() if d in docset)
                    if n:
                        counts[term.decode("utf-8")] = n
            elif field_name == "session":
                sessions, organs = column(reader, "session"), column(reader, "organ")
                for d in docset:
                    value = sessions[d]
                    if value not in (None, MISSING_NUMBER):
                        counts[session_label(_label("organ", organs[d]), value)] += 1
            else:
                values = column(reader, field_name)
                for d in docset:
                    value = values[d]
                    if value not in (None, "", b"", MISSING_NUMBER):
                        counts[_label(field_name, value)] += 1
            out[name] = dict(counts.most_common())
        return out


def _label(field_name: str, value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if field_name == "organ":
        return str(value).upper()
    return str(value)
