"""Running compiled queries on a Whoosh index: hits, counts, facets and match spans."""

from __future__ import annotations

import heapq
import threading
import time
from collections.abc import Callable, Collection
from collections import Counter
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh.codec.base import Automata
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from .. import query as q
from ..analysis import keys
from ..engine import FACET_FIELDS, EngineHit, EngineResults, session_label, type_name
from ..errors import reporting_damage
from ..fields import POSITIONS_FIELD, PROXIMITY_SLOP, Ranking
from .bm25f import BM25F
from .compile import Compiler
from .evaluate import Evaluator
from .fastread import column
from .formats import Offsets, Text
from .occurrences import matches, near_counts
from .schema import BODY_COLUMN, OFFSETS_COLUMN, stored_record
from ..location import locate
from ..suggesting import MAX_SUGGEST_LENGTH, MAX_SUGGEST_READS, MIN_SUGGEST_DOCS, allowed_slips, one_slip
from .damage import is_damage
from .store import latest_version, open_index, opened_whole

REFRESH_SECONDS = 1.0
# What a facet counts: the documents of each value, or the value (None without) of each document.
FacetLabels = dict[str, set[int]] | list[str | None]
MISSING_NUMBER = 2**31 - 1  # what Whoosh's numeric columns hold for a document without the value


# What a damaged index file raises while being read becomes IndexDamagedError.
_reading = reporting_damage(is_damage)


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
                local.searcher = None  # gone even if no other can be opened (the index was deleted)
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
        s = open_index(self.folder).searcher(weighting=self.weighting)
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
        if not top:  # nothing to reorder (and an index of no documents has no idf: log(0))
            return []
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
        """A word of the index a few typing slips away from an unknown one, as written in a document;
        None if the word is known or none is close. Candidates are looked up in the term dictionary,
        never found by walking all of it: the cost does not grow with the words of the index."""
        s = self.searcher()
        reader = s.reader()
        stems = keys(word)
        if len(stems) != 1 or ("body", stems[0]) in reader:
            return None
        key = stems[0]
        if not key.isalpha() or len(key) > MAX_SUGGEST_LENGTH:
            return None
        frequent = self._frequent(reader, one_slip(key))
        slips = allowed_slips(key)
        if not frequent and slips > 1:
            frequent = self._frequent(reader, slips_away(reader, key, slips))
        if not frequent:
            return None
        best = max(frequent, key=lambda t: (-distance(key, t), frequent[t], t))
        m = reader.postings(POSITIONS_FIELD, best)
        start, end = self._offsets(s)(m.id()).span(m.value_as("positions")[0])
        body = self._record(s, m.id())["body"]
        return body[start:end].lower()

    @staticmethod
    def _frequent(reader, words: set[str]) -> dict[str, int]:
        """{word: documents} of the words in enough documents of the body to be suggested."""
        return {w: n for w in words if (n := reader.doc_frequency("body", w)) >= MIN_SUGGEST_DOCS}

    def _record(self, s: Searcher, docnum: int) -> dict:
        """The stored record of a document, body included."""
        return stored_record(s.stored_fields(docnum)["record"], str(Text(self._column(s, BODY_COLUMN)[docnum])))

    def _offsets(self, s: Searcher) -> Callable[[int], Offsets]:
        """The character offsets of a document's words, by document number."""
        column = self._column(s, OFFSETS_COLUMN)
        return lambda docnum: Offsets(column[docnum])

    def _column(self, s: Searcher, name: str):
        """A column reader of this searcher (opened once per searcher and thread)."""
        return self._once(s, ("column", name), lambda: column(s.reader(), name))

    def _once(self, s: Searcher, key: tuple[str, str], make: Callable[[], Any]) -> Any:
        """What `make` gives, made once per searcher and thread (dropped with the searcher)."""
        cached = getattr(self._local, "made", None)
        if cached is None or cached[0] is not s:
            cached = self._local.made = (s, {})
        made: dict[tuple[str, str], Any] = cached[1]
        if key not in made:
            made[key] = make()
        return made[key]

    @_reading
    def stats(self) -> dict:
        """Counts of documents by organ, session and state."""
        s = self.searcher()
        everything = set(s.docs_for_query(wq.Every()))
        return {"documents": len(everything),
                **self._facets(s, everything, ("organ", "session", "state", "year"))}

    def _facets(self, s: Searcher, docset: Collection[int], names: tuple[str, ...]) -> dict[str, dict[str, int]]:
        """Counts over all matching documents, most frequent first."""
        out: dict[str, dict[str, int]] = {}
        matched = docset if isinstance(docset, (set, frozenset)) else set(docset)  # `&` walks the smaller set
        for name in names:
            labels = self._facet_labels(s, name)
            if isinstance(labels, dict):  # a field of many values a document: its postings
                counts = Counter({label: n for label, docs in labels.items() if (n := len(docs & matched))})
            else:
                counts = Counter(label for d in docset if (label := labels[d]) is not None)
            out[name] = dict(counts.most_common())
        return out

    def _facet_labels(self, s: Searcher, name: str) -> FacetLabels:
        """What a facet counts, read once per searcher and thread: for states and agenda items
        the documents of each value, for the others the value of each document (None without).
        Reading and decoding these at every query was twenty times the cost of the search."""
        labels: FacetLabels = self._once(s, ("facet", name), lambda: _read_facet(s.reader(), FACET_FIELDS[name]))
        return labels


def _read_facet(reader, field_name: str) -> FacetLabels:
    if field_name in ("states", "agenda_num"):
        return {term.decode("utf-8"): set(reader.postings(field_name, term).all_ids())
                for term in reader.lexicon(field_name)}
    count = reader.doc_count_all()
    if field_name == "session":
        sessions, organs = column(reader, "session"), column(reader, "organ")
        return [None if sessions[d] in (None, MISSING_NUMBER)
                else session_label(_label("organ", organs[d]), sessions[d]) for d in range(count)]
    values = column(reader, field_name)
    return [None if (value := values[d]) in (None, "", b"", MISSING_NUMBER) else _label(field_name, value)
            for d in range(count)]


def slips_away(reader, key: str, slips: int) -> set[str]:
    """Body terms at most `slips` letters away from a key (Levenshtein) that begin with its first
    letter; when more than MAX_SUGGEST_READS terms begin so, those that begin with its first two.
    The terms are read in order up to that many: junk in the dictionary costs nothing more (it can
    only hide a word)."""
    for kept in (1, 2):
        region = (raw for segment, _ in reader.leaf_readers() for raw in segment.expand_prefix("body", key[:kept]))
        terms = list(islice(region, MAX_SUGGEST_READS + 1))
        if len(terms) <= MAX_SUGGEST_READS:
            break
    dfa = Automata.levenshtein_dfa(key, slips, prefix=kept)
    found = set()
    for raw in terms[:MAX_SUGGEST_READS]:
        term = raw.decode("utf-8")
        if abs(len(term) - len(key)) <= slips and term.isalpha() and dfa.accept(term):
            found.add(term)
    return found


def _label(field_name: str, value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if field_name == "organ":
        return str(value).upper()
    if field_name == "doc_type":
        return type_name(str(value))
    return str(value)
