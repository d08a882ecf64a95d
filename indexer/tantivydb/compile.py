"""Compiling the engine-neutral query tree into Tantivy queries.

What each node means is the reference engine's (tests/reference.py), as for the
Whoosh engine: a bare word matches its key, a quoted single word its folded
form, a phrase the keys of its words in a row (stopwords included), a prefix
the folded words that start with it. Filters add nothing to the score.

Ranking: a bare word searched in every text field with the default weights is
one term of the field that holds them all, each word repeated by its field's
weight, so that Tantivy's BM25 of it is a BM25F (weighted frequencies summed
before one saturation). Otherwise each field is a clause weighted by its boost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import tantivy
from tantivy import Occur, Query

from .. import query as q
from ..analysis import analyse, prefix_form
from ..engine import agenda_keys, date_key, key
from ..errors import QueryLimitError
from ..fields import EXACT_FIELD, POSITIONS_FIELD, SHORT_POSITIONS_FIELD, TEXT_BOOSTS, WORD_ONLY_FIELDS, Ranking
from ..marks import Accent, Marks
from ..phrasing import phrase_starts
from . import wordmap
from .schema import ALL_POSITIONS, ALL_WORDS, FIELD_MARK, WORD_MAP, WORD_MARK, term
from .store import schema

# The weights of the fields a phrase searches by default, for which one field holds them all.
PHRASE_BOOSTS = {name: w for name, w in TEXT_BOOSTS.items() if name not in WORD_ONLY_FIELDS}
NUMERIC_FIELDS = {"session", "date", "year"}
SHORT_NEAR_FIELDS = ("title", "symbol")  # words close together there count as close in the document
MAX_EXPANSIONS = 1024  # words a query's prefixes may stand for, as the Whoosh engine and Lucene's maxClauseCount


def _filter(query: Any) -> Any:
    """A query that selects documents without adding to their score."""
    return Query.const_score_query(query, 0.0)


@dataclass
class Compiler:
    """Turns a query tree into a Tantivy query for one searcher; keeps what to mark and the accented words typed."""

    searcher: Any
    ranking: Ranking = field(default_factory=Ranking)
    marks: Marks = field(default_factory=Marks)
    accents: list[Accent] = field(default_factory=list)
    expansions: dict[str, set[str]] = field(default_factory=dict)  # prefix -> the folded words it stood for

    def compile(self, node: q.Node) -> Any:
        """The query of a tree (an empty query when nothing can match)."""
        main = self._node(node, negated=False)
        return Query.empty_query() if main is None else finish(main)

    def ranked(self, main: Any) -> Any:
        """The query with the exact-form bonus as optional clauses: documents that write an
        accented word as it was typed rank higher than those writing it other ways."""
        if self.ranking.exact_boost <= 0 or not self.accents:
            return main
        bonus = [Query.boost_query(Query.term_query(schema(), EXACT_FIELD, term(exact)), self.ranking.exact_boost)
                 for exact in dict.fromkeys(a.exact for a in self.accents)]
        return Query.boolean_query([(Occur.Must, main), *((Occur.Should, b) for b in bonus)])

    def near_words(self, node: q.Node) -> list[str]:
        """The keys of the bare words of a conjunction, whose closeness earns a bonus."""
        if self.ranking.proximity_boost <= 0 or not isinstance(node, q.And):
            return []
        found = [w.key for c in node.children if isinstance(c, q.Term) and c.field is None
                 for w in analyse(c.text) if not w.stop]
        found = list(dict.fromkeys(found))
        return found if len(found) > 1 else []

    def _node(self, node: q.Node, negated: bool) -> Any | None:
        if isinstance(node, q.Term):
            return self._term(node, negated)
        if isinstance(node, q.Phrase):
            return self._phrase(node.text, node.field, node.slop, negated)
        if isinstance(node, q.Prefix):
            return self._prefix(node, negated)
        if isinstance(node, q.Match):
            return _filter(self._match(node))
        if isinstance(node, q.Range):
            lo, hi = _num(node.field, node.start), _num(node.field, node.end)
            if lo is None and hi is None:  # any value: the documents that have one
                return _filter(Query.exists_query(node.field))
            return _filter(Query.range_query(schema(), node.field, tantivy.FieldType.Integer, lo, hi))
        if isinstance(node, (q.And, q.Or)):
            # A part repeated ("a* a* a*") is the same condition: kept once.
            children = list(dict.fromkeys(node.children))
            parts = [(c, p) for c in children if (p := self._node(c, negated)) is not None]
            if len(parts) == 1:
                return parts[0][1]
            if not parts:
                return None
            if isinstance(node, q.Or):
                return Query.boolean_query([(Occur.Should, finish(p)) for _, p in parts])
            clauses = [(Occur.MustNot, finish(p.inner)) if isinstance(p, _Negation) else (Occur.Must, p)
                       for _, p in parts]
            if all(occur is Occur.MustNot for occur, _ in clauses):
                clauses.append((Occur.Must, _filter(Query.all_query())))
            return Query.boolean_query(clauses)
        if isinstance(node, q.Not):
            inner = self._node(node.child, not negated)
            return None if inner is None else _Negation(inner)
        if isinstance(node, q.All):
            return _filter(Query.all_query())
        raise TypeError(f"not a query node: {node!r}")

    def _fields(self, field_name: str | None, as_written: bool = False) -> dict[str, float]:
        """The fields a word node searches, with their weights; `as_written` (phrases, quoted
        words) leaves out the fields that are not the document's texts."""
        if field_name is None:
            return {name: boost for name, boost in self.ranking.boosts.items()
                    if boost > 0 and not (as_written and name in WORD_ONLY_FIELDS)}
        return {field_name: self.ranking.boosts.get(field_name, 1.0) or 1.0}

    def _marked(self, field_name: str | None, negated: bool) -> bool:
        return not negated and field_name in (None, "body")

    def _scored(self, text: str, weights: dict[str, float]) -> Any:
        """One term in weighted fields: the all-fields term when the weights are the defaults."""
        if weights == TEXT_BOOSTS:
            return Query.term_query(schema(), ALL_WORDS, term(text))
        return _either([Query.boost_query(Query.term_query(schema(), name, term(text)), w)
                        for name, w in weights.items()])

    def _term(self, node: q.Term, negated: bool) -> Any | None:
        """A bare word: its key; a word that is several ("extra-atmosphérique") is their phrase."""
        words = [w for w in analyse(node.text) if not w.stop]
        if len(words) > 1:
            return self._phrase(node.text, node.field, 0, negated)
        if not words:
            return None
        w = words[0]
        if self._marked(node.field, negated):
            self.marks.keys.add(w.key)
            self._accent(node.text, w)
        return self._scored(w.key, self._fields(node.field))

    def _phrase(self, text: str, field_name: str | None, slop: int, negated: bool) -> Any | None:
        """Words in a row (up to `slop` more positions between them), stopwords included; a quoted
        single word is that word alone, unstemmed."""
        words = analyse(text)
        if not words:
            return None
        marked = self._marked(field_name, negated)
        if marked:
            for w in words:
                if not w.stop:
                    self._accent(text, w)
        fields = self._fields(field_name, as_written=True)
        if len(words) == 1 and not words[0].stop:
            w = words[0]
            if marked:
                self.marks.words.add((w.key, w.folded))
            return _either([Query.boost_query(Query.term_query(schema(), name, term(WORD_MARK + w.folded)), weight)
                            for name, weight in fields.items()])
        keys = tuple(w.key for w in words)
        if marked:
            self.marks.phrases.add((keys, slop))
        if not slop and fields == self._fields(None, as_written=True) == PHRASE_BOOSTS:
            in_all: list[str | tuple[int, str]] = [term(k) for k in keys]
            return (Query.term_query(schema(), ALL_POSITIONS, in_all[0]) if len(in_all) == 1
                    else Query.phrase_query(schema(), ALL_POSITIONS, in_all))
        clauses = []
        for name, weight in fields.items():
            where, terms = _positions_of(name, keys)
            found = (Query.term_query(schema(), where, terms[0]) if len(terms) == 1
                     else Query.phrase_query(schema(), where, list(terms), slop))
            clauses.append(Query.boost_query(found, weight))
        query = _either(clauses)
        if slop and len(keys) > 1:
            query = self._verified(query, keys, fields, slop)
        return query

    def _verified(self, query: Any, keys: tuple[str, ...], fields: dict[str, float], slop: int) -> Any:
        """Tantivy's sloppy phrases also take words out of order or a word for two of itself: the
        documents it finds are checked against the word maps, and only those that hold the words
        in order, each 1 to slop + 1 positions after the one before, are kept."""
        s = self.searcher
        found = s.search(_filter(query), max(1, s.num_docs), count=False).hits
        looked = {where_terms for name in fields for where_terms in _positions_of(name, keys)[1]}
        kept = []
        for _, address in found:
            doc = s.doc(address)
            at = wordmap.read(doc.get_first(WORD_MAP) or b"", looked)
            for name in fields:
                terms = _positions_of(name, keys)[1]
                if all(t in at for t in terms) and phrase_starts([at[t][0] for t in terms], slop + 1):
                    kept.append(doc.get_first("id"))
                    break
        if not kept:
            return Query.empty_query()
        return Query.boolean_query([(Occur.Must, query),
                                    (Occur.Must, _filter(Query.term_set_query(schema(), "id", kept)))])

    def _accent(self, text: str, w: Any) -> None:
        surface = text[w.start:w.end]
        if not surface.isascii():
            self.accents.append(Accent(surface.lower(), w.folded, w.key))

    def _prefix(self, node: q.Prefix, negated: bool) -> Any | None:
        stem = prefix_form(node.text)
        if not stem:
            return None
        if self._marked(node.field, negated):
            self.marks.prefixes.add(stem)
        weights = self._fields(node.field)
        marked = term(WORD_MARK + stem)
        words = self.expansions.setdefault(stem, set())
        by_field: dict[str, list[str]] = {}
        for name in weights:
            # One more word than the limit is enough to know it is passed: the rest is never read.
            found = [t for t, _ in self.searcher.terms_with_prefix(name, marked, limit=MAX_EXPANSIONS + 1)]
            by_field[name] = found
            words.update(found)
            if sum(map(len, self.expansions.values())) > MAX_EXPANSIONS:
                many = "the prefixes of the query stand" if len(self.expansions) > 1 else f"'{stem}*' stands"
                raise QueryLimitError(f"{many} for more than {MAX_EXPANSIONS} words; type more letters")
        if weights == TEXT_BOOSTS:
            return _either([Query.term_query(schema(), ALL_WORDS, t) for t in sorted(words)])
        return _either([Query.boost_query(Query.term_query(schema(), name, t), weights[name])
                        for name, found in by_field.items() for t in found])

    def _match(self, node: q.Match) -> Any:
        name, value = node.field, node.value
        if name in NUMERIC_FIELDS:
            return Query.term_query(schema(), name, int(value))
        if name == "states":
            return Query.term_query(schema(), name, str(value).upper())
        if name == "agenda_num":
            return Query.term_query(schema(), name, agenda_keys(str(value))[0])
        if name in ("id", "path", "language"):
            return Query.term_query(schema(), name, str(value))
        return Query.term_query(schema(), name, key(str(value)))


@dataclass(frozen=True)
class _Negation:
    """A negated part: a MustNot clause of the conjunction it is in; alone, every other document."""

    inner: Any


def _either(clauses: Sequence[Any]) -> Any:
    if not clauses:
        return Query.empty_query()
    return clauses[0] if len(clauses) == 1 else Query.boolean_query([(Occur.Should, c) for c in clauses])


def _positions_of(field_name: str, keys: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The positions field of a text field, and the terms of some keys there."""
    if field_name == "body":
        return POSITIONS_FIELD, tuple(term(k) for k in keys)
    return SHORT_POSITIONS_FIELD, tuple(term(field_name + FIELD_MARK + k) for k in keys)


def finish(query: Any) -> Any:
    """A compiled part as a query of its own (a negation alone is every other document)."""
    if isinstance(query, _Negation):
        return Query.boolean_query([(Occur.Must, _filter(Query.all_query())), (Occur.MustNot, finish(query.inner))])
    return query


def _num(field_name: str, value: int | dt.date | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return date_key(value) if field_name == "date" else value.year
    return int(value)

