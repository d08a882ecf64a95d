"""Running compiled queries on a Tantivy index: hits, counts, facets and match spans.

Tantivy ranks and counts every match, in Rust; Python only reads the page's
documents (record, body and word map, stored together) and cuts their match
spans from the word map.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterable
from itertools import chain
from typing import Any

from tantivy import Order, Query

from .. import query as q
from ..analysis import fold, key_of, keys
from ..engine import FACET_FIELDS, EngineHit, EngineResults
from ..errors import reporting_damage
from ..fields import PROXIMITY_SLOP, Ranking
from ..location import locate
from ..marks import Marks
from ..phrasing import MAX_NEAR, closeness, phrase_matches
from ..suggesting import MAX_SUGGEST_LENGTH, MAX_SUGGEST_READS, MIN_SUGGEST_DOCS, allowed_slips, distance, one_slip
from .compile import SHORT_NEAR_FIELDS, Compiler
from . import wordmap
from .schema import BODY_TEXT, FACET_LABELS, FIELD_MARK, WORD_MAP, WORD_MARK, stored_text, term
from .store import TantivyIndex, damage, latest_version, open_index, reading, schema

REFRESH_SECONDS = 1.0
MAX_PREFIX_TERMS = 64  # forms of a prefix marked in the shown documents
MAX_FACET_VALUES = 65_000  # Tantivy's limit of buckets an aggregation returns
K1_PLUS_1 = 2.2  # Tantivy's BM25 scores are (k1 + 1) times the Whoosh engine's: bonuses are scaled alike


# What a damaged index file raises while being read becomes IndexDamagedError.
_reading = reporting_damage(damage)


class TantivySearcher:
    """Answers queries on one index; safe to share between threads (one Tantivy searcher per thread)."""

    def __init__(self, index_dir: str, ranking: Ranking | None = None) -> None:
        self.folder = index_dir
        self.ranking = ranking or Ranking()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._index: tuple[int, TantivyIndex] | None = None

    def searcher(self) -> Any:
        """This thread's searcher, replaced (at most once a second) when the index has changed:
        a commit, or a rebuild (whose commits are numbered after the old index's)."""
        local = self._local
        now = time.monotonic()
        s = getattr(local, "searcher", None)
        if s is not None and now - local.checked <= REFRESH_SECONDS:
            return s
        local.checked = now
        if s is not None and latest_version(locate(self.folder)) == local.version:
            return s
        local.searcher = None
        local.version, local.searcher = reading(self.folder, self._fresh)
        return local.searcher

    def _fresh(self) -> tuple[int, Any]:
        """The latest version and a searcher over it, the index being opened once for all threads.
        An index that fails to give a searcher is forgotten: a rebuild may have renamed its folder."""
        version = latest_version(locate(self.folder))
        with self._lock:
            if self._index is None or self._index[0] != version:
                self._index = (version, open_index(self.folder))
            index = self._index[1]
        try:
            return version, index.searcher()
        except BaseException:
            with self._lock:
                if self._index is not None and self._index[1] is index:
                    self._index = None
            raise

    def close(self) -> None:
        """Forget every thread's searcher."""
        with self._lock:
            self._index = None
        self._local = threading.local()

    @_reading
    def search(self, node: q.Node, *, offset: int = 0, limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> EngineResults:
        """Run a query tree; `sort` is relevance, date or -date. Tantivy's order (score, then the
        document's place in the index) does not depend on `offset` and `limit`: pages are slices of it."""
        s = self.searcher()
        compiler = Compiler(self.ranking, searcher=s)
        matching = compiler.compile(node)
        want = max(1, limit)
        docs: dict[tuple[int, int], Any] = {}
        if sort in ("date", "-date"):
            found = s.search(matching, want, count=True, order_by_field="date", offset=offset,
                             order=Order.Asc if sort == "date" else Order.Desc)
            page = [(0.0, address) for _, address in found.hits]
        else:
            words = compiler.near_words(node)
            depth = int(self.ranking.proximity_depth) if words else 0
            found = s.search(compiler.ranked(matching), max(want + offset, depth), count=True)
            ranked = found.hits
            if depth and ranked:
                ranked = self._rerank(s, words, ranked[:depth], min(depth, offset + want), docs) + ranked[depth:]
            page = ranked[offset:offset + want]
        hits = [_hit(s, self._doc(s, address, docs), float(score), compiler.marks) for score, address in page[:limit]]
        return EngineResults(int(found.count), hits, self._facets(s, matching, facets) if facets else {})

    def _rerank(self, s: Any, words: list[str], top: list[tuple[float, Any]], need: int, docs: dict) -> list:
        """The best hits again, with a bonus where the words stand close together in the body (or
        together in the title or symbol), as the Whoosh engine gives it: the same positions, the same counts.

        Only the first `need` places are asked for: hits are read best first, and reading stops once
        no unread hit, even with the largest bonus, could pass the `need` best so far. Those places
        are the ones a full rerank gives (each read costs as much as the search itself).
        """
        n = max(1, s.num_docs)
        bonus = K1_PLUS_1 * self.ranking.proximity_boost * sum(
            math.log(n / (s.doc_freq("body", term(w)) + 1)) + 1 for w in set(words))
        most = bonus * MAX_NEAR / (1.2 + MAX_NEAR)
        prefixed = [[term(name + FIELD_MARK + w) for w in words] for name in SHORT_NEAR_FIELDS]
        looked = {term(w) for w in words} | {t for ts in prefixed for t in ts}
        rescored: list[tuple[float, Any]] = []
        for score, address in top:
            if len(rescored) >= need:
                best = sorted(rescored, key=_order)
                if best[need - 1][0] > score + most:  # no hit from here on can reach the first `need` places
                    return best[:need]
            at = wordmap.read(self._doc(s, address, docs).get_first(WORD_MAP) or b"", looked)
            positions = {t: p for t, (p, _) in at.items()}
            near = closeness({0: {w: positions[term(w)] for w in words if term(w) in positions}},
                             words, PROXIMITY_SLOP).get(0, 0)
            if any(closeness({0: {t: positions[t] for t in ts if t in positions}}, ts, PROXIMITY_SLOP)
                   for ts in prefixed):
                near = MAX_NEAR
            rescored.append((score + bonus * near / (1.2 + near), address))
        return sorted(rescored, key=_order)

    @staticmethod
    def _doc(s: Any, address: Any, docs: dict) -> Any:
        """A document's stored fields, read once per search."""
        where = _place(address)
        if where not in docs:
            docs[where] = s.doc(address)
        return docs[where]

    @_reading
    def get(self, doc_id: str) -> dict | None:
        """The stored record of a document id, with its body, or None."""
        s = self.searcher()
        hits = s.search(Query.term_query(schema(), "id", doc_id), 1, count=False).hits
        if not hits:
            return None
        doc = s.doc(hits[0][1])
        return {**json.loads(doc.get_first("record")), "body": stored_text(doc, BODY_TEXT)}

    @_reading
    def find_ids(self, node: q.Node, limit: int = 20) -> list[str]:
        """Ids of documents matching a query tree (for lookups by symbol), in index order."""
        s = self.searcher()
        query = Query.const_score_query(Compiler(self.ranking, searcher=s).compile(node), 1.0)
        return [s.doc(address).get_first("id") for _, address in s.search(query, max(1, limit), count=False).hits]

    @_reading
    def closest_word(self, word: str) -> str | None:
        """A word of the index a few typing slips away from an unknown one, as written in a document;
        None if the word is known or none is close (looked up in the term dictionary, never walked whole)."""
        s = self.searcher()
        stems = keys(word)
        if len(stems) != 1 or s.doc_freq("body", term(stems[0])):
            return None
        key = stems[0]
        if not key.isalpha() or len(key) > MAX_SUGGEST_LENGTH:
            return None
        frequent = _frequent(s, one_slip(key))
        slips = allowed_slips(key)
        if not frequent and slips > 1:
            frequent = _frequent(s, _slips_away(s, key, slips))
        if not frequent:
            return None
        best = max(frequent, key=lambda t: (-distance(key, t), frequent[t], t))
        hits = s.search(Query.const_score_query(Query.term_query(schema(), "body_pos", best), 1.0), 1,
                        count=False).hits
        if not hits:
            return None
        doc = s.doc(hits[0][1])
        at = wordmap.read(doc.get_first(WORD_MAP) or b"", [best], chars={best}).get(best)
        if not at or not at[1]:
            return None
        start, end = at[1][0]
        return stored_text(doc, BODY_TEXT)[start:end].lower()

    @_reading
    def stats(self) -> dict:
        """Counts of documents by organ, session and state."""
        s = self.searcher()
        return {"documents": int(s.num_docs),
                **self._facets(s, Query.all_query(), ("organ", "session", "state", "year"))}

    def _facets(self, s: Any, query: Any, names: Iterable[str]) -> dict[str, dict[str, int]]:
        """Counts over all matching documents, most frequent first (then by value)."""
        names = list(names)
        aggs = {name: {"terms": {"field": FACET_LABELS[FACET_FIELDS[name]], "size": MAX_FACET_VALUES}}
                for name in names}
        found = s.aggregate(query, aggs) if aggs else {}
        out = {}
        for name in names:
            buckets = found.get(name, {}).get("buckets", [])
            counts = [(_label(b["key"]), int(b["doc_count"])) for b in buckets if b["doc_count"]]
            out[name] = dict(sorted(counts, key=lambda item: (-item[1], item[0])))
        return out


def _hit(s: Any, doc: Any, score: float, marks: Marks) -> EngineHit:
    """A hit from its stored document: record, text, and where the query matched."""
    body = stored_text(doc, BODY_TEXT)
    record = json.loads(doc.get_first("record"))
    spans = _spans(s, doc.get_first(WORD_MAP) or b"", body, marks)
    return EngineHit(record, body, score, spans)


def _place(address: Any) -> tuple[int, int]:
    """Where a document stands in the index: the order of equal scores."""
    return address.segment_ord, address.doc


def _order(hit: tuple[float, Any]) -> tuple[float, int, int]:
    """Best score first, then index order."""
    return -hit[0], *_place(hit[1])


def _label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _frequent(s: Any, words: set[str]) -> dict[str, int]:
    """{word: documents} of the words in enough documents of the body to be suggested."""
    return {w: n for w in words if (n := s.doc_freq("body", w)) >= MIN_SUGGEST_DOCS}


def _slips_away(s: Any, key: str, slips: int) -> set[str]:
    """Body terms at most `slips` letters away from a key that begin with its first letter; when
    more than MAX_SUGGEST_READS terms begin so, those that begin with its first two."""
    for kept in (1, 2):
        terms = [t for t, _ in s.terms_with_prefix("body", key[:kept], limit=MAX_SUGGEST_READS + 1)]
        if len(terms) <= MAX_SUGGEST_READS:
            break
    return {t for t in terms[:MAX_SUGGEST_READS]
            if abs(len(t) - len(key)) <= slips and t.isalpha() and t[:kept] == key[:kept]
            and distance(key, t) <= slips}


def _spans(s: Any, word_map: bytes, body: str, marks: Marks) -> tuple[q.Span, ...]:
    """The (start, end, what matched) of every match in the body, in text order: a bare word's every
    occurrence, a quoted word or a prefix where the text holds that form, a phrase from its first
    word to its last."""
    forms: dict[str, list[str]] = {}
    for prefix in marks.prefixes:
        found = s.terms_with_prefix("body", term(WORD_MARK + prefix), limit=MAX_PREFIX_TERMS)
        forms[prefix] = [t[len(WORD_MARK):] for t, _ in found]
    marked = set(marks.keys) | {k for k, _ in marks.words} | {k for ks, _ in marks.phrases for k in (ks[0], ks[-1])}
    marked |= {key_of(form) for found in forms.values() for form in found}
    placed = {k for ks, _ in marks.phrases for k in ks}  # a phrase's inner words: their positions only
    at = wordmap.read(word_map, {term(k) for k in marked | placed}, chars={term(k) for k in marked})
    if not at:
        return ()

    def where(k: str) -> list[tuple[int, int]]:
        return at[term(k)][1] if term(k) in at else []

    # Lists, not generators: a generator would read the loop's variables once the loop has moved on.
    spans: list[list[q.Span]] = [[(a, b, k) for a, b in where(k)] for k in marks.keys]
    for k, folded in marks.words:
        spans.append([(a, b, folded) for a, b in where(k) if fold(body[a:b]) == folded])
    for prefix, words in forms.items():
        for k in {key_of(w) for w in words}:
            spans.append([(a, b, prefix + "*") for a, b in where(k) if fold(body[a:b]).startswith(prefix)])
    for phrase_keys, slop in marks.phrases:
        if all(term(k) in at for k in phrase_keys):
            label = " ".join(phrase_keys)
            places = {k: dict(zip(*at[term(k)])) for k in (phrase_keys[0], phrase_keys[-1])}
            occurrences = phrase_matches([at[term(k)][0] for k in phrase_keys], slop + 1)
            spans.append([(places[phrase_keys[0]][first][0], places[phrase_keys[-1]][last][1], label)
                          for first, last in occurrences])
    return tuple(sorted(chain.from_iterable(spans)))
