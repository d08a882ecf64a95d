"""Compiling the engine-neutral query tree into Tantivy queries (the walk and what each node
means are indexer/compiling.py's, shared by the engines). Filters add nothing to the score.

Ranking: a bare word searched in every text field with the default weights is one term
of the field that holds them all, each word repeated by its field's weight, so that
Tantivy's BM25 of it is a BM25F (weighted frequencies summed before one saturation);
a phrase in a row likewise. Otherwise each field is a clause weighted by its boost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import tantivy
from tantivy import Occur, Query

from ..compiling import TreeCompiler
from ..errors import QueryLimitError
from ..fields import EXACT_FIELD, POSITIONS_FIELD, SHORT_POSITIONS_FIELD, TEXT_BOOSTS, WORD_ONLY_FIELDS
from ..phrasing import phrase_starts
from . import wordmap
from .schema import ALL_POSITIONS, ALL_WORDS, FIELD_MARK, WORD_MAP, WORD_MARK, term
from .store import schema

# The weights of the fields a phrase searches by default, for which one field holds them all.
PHRASE_BOOSTS = {name: w for name, w in TEXT_BOOSTS.items() if name not in WORD_ONLY_FIELDS}
SHORT_NEAR_FIELDS = ("title", "symbol")  # words close together there count as close in the document
MAX_EXPANSIONS = 1024  # words a query's prefixes may stand for, as the Whoosh engine and Lucene's maxClauseCount


def _filter(query: Any) -> Any:
    """A query that selects documents without adding to their score."""
    return Query.const_score_query(query, 0.0)


@dataclass
class Compiler(TreeCompiler[Any]):
    """Turns a query tree into a Tantivy query for one searcher (which expands prefixes and checks
    sloppy phrases); keeps what to mark and the accented words typed."""

    searcher: Any = None
    expansions: dict[str, set[str]] = field(default_factory=dict)  # prefix -> the words it stood for

    def ranked(self, main: Any) -> Any:
        """The query with the exact-form bonus as optional clauses: documents that write an
        accented word as it was typed rank higher than those writing it other ways."""
        if self.ranking.exact_boost <= 0 or not self.accents:
            return main
        bonus = [Query.boost_query(Query.term_query(schema(), EXACT_FIELD, term(exact)), self.ranking.exact_boost)
                 for exact in dict.fromkeys(a.exact for a in self.accents)]
        return Query.boolean_query([(Occur.Must, main), *((Occur.Should, b) for b in bonus)])

    def word(self, text: str, weights: dict[str, float]) -> Any:
        if weights == TEXT_BOOSTS:
            return Query.term_query(schema(), ALL_WORDS, term(text))
        return _either([Query.boost_query(Query.term_query(schema(), name, term(text)), w)
                        for name, w in weights.items()])

    def phrase(self, keys: tuple[str, ...], weights: dict[str, float], slop: int) -> Any:
        if not slop and weights == PHRASE_BOOSTS:
            in_all: list[str | tuple[int, str]] = [term(k) for k in keys]
            return (Query.term_query(schema(), ALL_POSITIONS, in_all[0]) if len(in_all) == 1
                    else Query.phrase_query(schema(), ALL_POSITIONS, in_all))
        clauses = []
        for name, weight in weights.items():
            where, terms = _positions_of(name, keys)
            found = (Query.term_query(schema(), where, terms[0]) if len(terms) == 1
                     else Query.phrase_query(schema(), where, list(terms), slop))
            clauses.append(Query.boost_query(found, weight))
        query = _either(clauses)
        if slop and len(keys) > 1:
            query = self._verified(query, keys, weights, slop)
        return query

    def _verified(self, query: Any, keys: tuple[str, ...], fields: dict[str, float], slop: int) -> Any:
        """Tantivy's sloppy phrases take some words out of order or a word for two of itself, and miss
        some chains of words: the documents holding all the words are checked against their word maps,
        and those that hold them in order, each 1 to slop + 1 positions after the one before, are kept
        (scored by Tantivy's phrase, or failing that by the words)."""
        s = self.searcher
        placed = [_positions_of(name, keys) for name in fields]
        holding = _either([Query.boolean_query([(Occur.Must, Query.term_query(schema(), where, t))
                                                for t in dict.fromkeys(terms)]) for where, terms in placed])
        looked = {t for _, terms in placed for t in terms}
        kept = []
        for _, address in s.search(_filter(holding), max(1, s.num_docs), count=False).hits:
            doc = s.doc(address)
            at = wordmap.read(doc.get_first(WORD_MAP) or b"", looked)
            if any(all(t in at for t in terms) and phrase_starts([at[t][0] for t in terms], slop + 1)
                   for _, terms in placed):
                kept.append(doc.get_first("id"))
        if not kept:
            return Query.empty_query()
        return Query.boolean_query([(Occur.Must, _filter(Query.term_set_query(schema(), "id", kept))),
                                    (Occur.Should, query), (Occur.Should, Query.boost_query(holding, 0.1))])

    def prefix(self, stem: str, weights: dict[str, float]) -> Any:
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

    def match(self, field_name: str, value: str | int) -> Any:
        return _filter(Query.term_query(schema(), field_name, value))

    def range(self, field_name: str, start: int | None, end: int | None) -> Any:
        if start is None and end is None:  # any value: the documents that have one
            return _filter(Query.exists_query(field_name))
        return _filter(Query.range_query(schema(), field_name, tantivy.FieldType.Integer, start, end))

    def conjunction(self, parts: list[Any]) -> Any:
        clauses = [(Occur.MustNot, self.finish(p.inner)) if isinstance(p, _Negation) else (Occur.Must, p)
                   for p in parts]
        if all(occur is Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, _filter(Query.all_query())))
        return Query.boolean_query(clauses)

    def disjunction(self, parts: list[Any]) -> Any:
        return Query.boolean_query([(Occur.Should, self.finish(p)) for p in parts])

    def negation(self, inner: Any) -> Any:
        return _Negation(inner)

    def everything(self) -> Any:
        return _filter(Query.all_query())

    def nothing(self) -> Any:
        return Query.empty_query()

    def finish(self, query: Any) -> Any:
        """A compiled part as a query of its own (a negation alone is every other document)."""
        if isinstance(query, _Negation):
            return Query.boolean_query([(Occur.Must, _filter(Query.all_query())),
                                        (Occur.MustNot, self.finish(query.inner))])
        return query


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
