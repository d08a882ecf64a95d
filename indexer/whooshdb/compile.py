"""Compiling the engine-neutral query tree into Whoosh queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from unidecode import unidecode
from whoosh import query as wq

from .. import query as q
from ..fields import EXACT_FIELD, POSITIONS_FIELD, Ranking
from .analysis import exact_analyzer, french_analyzer
from .bm25f import FieldsTerm
from .phrases import PhraseIn
from .schema import agenda_keys, date_key, key

NUMERIC_FIELDS = {"session", "date", "year"}


class Any_(wq.Or):
    """Or with Whoosh's union matcher: its default 'array' matcher clears a 2,048-slot
    array in Python for every block, which costs more than the search on small indexes."""

    matcher_type = wq.Or.DEFAULT_MATCHER


@dataclass
class Compiler:
    """Turns a query tree into a Whoosh query; keeps the analyzed words for highlighting."""

    ranking: Ranking = field(default_factory=Ranking)
    body_terms: set[str] = field(default_factory=set)
    body_prefixes: set[str] = field(default_factory=set)
    exact_terms: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.analyzer = french_analyzer()
        self.exact = exact_analyzer()

    def compile(self, node: q.Node) -> wq.Query:
        """The Whoosh query for a tree, with a bonus for the exact (accented) forms typed."""
        main = self._node(node, negated=False)
        if main is None:
            return wq.NullQuery
        bonus: list[wq.Query] = []
        boost = self.ranking.exact_boost
        if self.exact_terms and boost > 0:
            bonus += [FieldsTerm(t, {EXACT_FIELD: boost}) for t in dict.fromkeys(self.exact_terms)]
        if not bonus:
            return main
        return wq.AndMaybe(main, bonus[0] if len(bonus) == 1 else Any_(bonus))

    def near_words(self, node: q.Node) -> list[str]:
        """The analysed bare words of a conjunction, whose closeness in the body earns a bonus."""
        if self.ranking.proximity_boost <= 0 or not isinstance(node, q.And):
            return []
        words = [t.text for c in node.children if isinstance(c, q.Term) and c.field is None
                 for t in self.analyzer(c.text, mode="query")]
        return words if len(set(words)) > 1 else []

    def _node(self, node: q.Node, negated: bool) -> wq.Query | None:
        if isinstance(node, q.Term):
            return self._words(node.text, node.field, 1, negated)
        if isinstance(node, q.Phrase):
            return self._words(node.text, node.field, node.slop + 1, negated, phrase=True)
        if isinstance(node, q.Prefix):
            return self._prefix(node, negated)
        if isinstance(node, q.Match):
            return self._match(node)
        if isinstance(node, q.Range):
            return wq.NumericRange(node.field, _num(node.field, node.start), _num(node.field, node.end))
        if isinstance(node, (q.And, q.Or)):
            # A part repeated ("a* a* a*") is the same condition: kept once.
            parts = list(dict.fromkeys(p for p in (self._node(c, negated) for c in node.children) if p is not None))
            if len(parts) < 2:
                return parts[0] if parts else None
            return wq.And(parts) if isinstance(node, q.And) else Any_(parts)
        if isinstance(node, q.Not):
            inner = self._node(node.child, not negated)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, q.All):
            return wq.Every()
        raise TypeError(f"not a query node: {node!r}")

    def _fields(self, field_name: str | None) -> dict[str, float]:
        if field_name is None:
            return self.ranking.boosts
        return {field_name: self.ranking.boosts.get(field_name, 1.0)}

    def _words(self, text: str, field_name: str | None, slop: int, negated: bool,
               phrase: bool = False) -> wq.Query | None:
        tokens = [t.text for t in self.analyzer(text, mode="query")]
        if not tokens:
            return None
        if not negated and field_name in (None, "body"):
            self.body_terms.update(tokens)
            self.exact_terms.extend(t.text for t in self.exact(text, mode="query"))
        fields = self._fields(field_name)
        words = [FieldsTerm(t, fields) for t in dict.fromkeys(tokens)]
        if len(tokens) == 1:
            return words[0]
        # A phrase selects the documents where the words stand in order (the body's
        # positions live in their own field); its words score them like any others.
        placed = [PhraseIn(POSITIONS_FIELD if name == "body" else name, tokens, slop) for name in fields]
        where = placed[0] if len(placed) == 1 else Any_(placed)
        return wq.And([wq.ConstantScoreQuery(where, 0.0), *words])

    def _prefix(self, node: q.Prefix, negated: bool) -> wq.Query | None:
        stem = unidecode(node.text).lower().strip()
        if not stem:
            return None
        if not negated and node.field in (None, "body"):
            self.body_prefixes.add(stem)
        per_field = [wq.Prefix(name, stem, boost=boost) for name, boost in self._fields(node.field).items()]
        return per_field[0] if len(per_field) == 1 else Any_(per_field)

    def _match(self, node: q.Match) -> wq.Query:
        name, value = node.field, node.value
        if name in NUMERIC_FIELDS:
            return wq.Term(name, int(value))
        if name == "states":
            return wq.Term(name, str(value).upper())
        if name == "agenda_num":
            return wq.Term(name, agenda_keys(str(value))[0])
        if name in ("id", "path", "language"):
            return wq.Term(name, str(value))
        return wq.Term(name, key(str(value)))


def _num(field_name: str, value: int | dt.date | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return date_key(value) if field_name == "date" else value.year
    return int(value)
