"""What every engine's compiler does the same: walking the query tree, analysing its words,
choosing the fields each searches, and noting what to mark and the accented words typed.

What each node means is the reference engine's (tests/reference.py): a bare word
matches its key (inflections join); a quoted single word its folded form only; a
phrase the keys of its words in a row, stopwords included; a prefix the folded
words that start with it. An engine's compiler says how each becomes its query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from . import query as q
from .analysis import WORD_MARK, Word, analyse, prefix_form
from .engine import agenda_keys, date_key, key
from .fields import WORD_ONLY_FIELDS, Ranking
from .marks import Accent, Marks

Q = TypeVar("Q")
NUMERIC_FIELDS = {"session", "date", "year"}


@dataclass
class TreeCompiler(Generic[Q]):
    """Turns a query tree into an engine's query (type Q); keeps what to mark and the accented words typed."""

    ranking: Ranking = field(default_factory=Ranking)
    marks: Marks = field(default_factory=Marks)
    accents: list[Accent] = field(default_factory=list)

    # -- what an engine provides -------------------------------------------------------------
    def word(self, text: str, weights: dict[str, float]) -> Q:
        """One index term ("deplac", "=deplacees") in weighted text fields."""
        raise NotImplementedError

    def phrase(self, keys: tuple[str, ...], weights: dict[str, float], slop: int) -> Q:
        """Keys in a row (each 1 to slop + 1 positions after the one before) in weighted text fields."""
        raise NotImplementedError

    def prefix(self, stem: str, weights: dict[str, float]) -> Q:
        """The folded words starting with `stem` in weighted text fields."""
        raise NotImplementedError

    def match(self, field_name: str, value: str | int) -> Q:
        """An exact key of a filter field (already normalised, see `match_value`)."""
        raise NotImplementedError

    def range(self, field_name: str, start: int | None, end: int | None) -> Q:
        """Keys of a numeric filter field between two bounds (None: open)."""
        raise NotImplementedError

    def conjunction(self, parts: list[Q]) -> Q:
        raise NotImplementedError

    def disjunction(self, parts: list[Q]) -> Q:
        raise NotImplementedError

    def negation(self, inner: Q) -> Q:
        raise NotImplementedError

    def everything(self) -> Q:
        raise NotImplementedError

    def nothing(self) -> Q:
        raise NotImplementedError

    def finish(self, query: Q) -> Q:
        """The compiled tree as a query of its own."""
        return query

    def distinct(self, parts: list[Q]) -> list[Q]:
        """The parts of a conjunction or disjunction, each once."""
        return parts

    # -- the walk ----------------------------------------------------------------------------
    def compile(self, node: q.Node) -> Q:
        """The query of a tree (`nothing()` when nothing can match)."""
        main = self._node(node, negated=False)
        return self.nothing() if main is None else self.finish(main)

    def near_words(self, node: q.Node) -> list[str]:
        """The keys of the bare words of a conjunction, whose closeness in the body earns a bonus."""
        if self.ranking.proximity_boost <= 0 or not isinstance(node, q.And):
            return []
        found = [w.key for c in node.children if isinstance(c, q.Term) and c.field is None
                 for w in analyse(c.text) if not w.stop]
        return found if len(set(found)) > 1 else []

    def _node(self, node: q.Node, negated: bool) -> Q | None:
        if isinstance(node, q.Term):
            return self._term(node, negated)
        if isinstance(node, q.Phrase):
            return self._phrase(node.text, node.field, node.slop, negated)
        if isinstance(node, q.Prefix):
            return self._prefix(node, negated)
        if isinstance(node, q.Match):
            return self.match(node.field, match_value(node.field, node.value))
        if isinstance(node, q.Range):
            return self.range(node.field, bound(node.field, node.start), bound(node.field, node.end))
        if isinstance(node, (q.And, q.Or)):
            # A part repeated ("a* a* a*") is the same condition: kept once.
            parts = self.distinct([p for c in dict.fromkeys(node.children)
                                   if (p := self._node(c, negated)) is not None])
            if len(parts) < 2:
                return parts[0] if parts else None
            return self.conjunction(parts) if isinstance(node, q.And) else self.disjunction(parts)
        if isinstance(node, q.Not):
            inner = self._node(node.child, not negated)
            return None if inner is None else self.negation(inner)
        if isinstance(node, q.All):
            return self.everything()
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

    def _term(self, node: q.Term, negated: bool) -> Q | None:
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
        return self.word(w.key, self._fields(node.field))

    def _phrase(self, text: str, field_name: str | None, slop: int, negated: bool) -> Q | None:
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
            return self.word(WORD_MARK + w.folded, fields)
        keys = tuple(w.key for w in words)
        if marked:
            self.marks.phrases.add((keys, slop))
        return self.phrase(keys, fields, slop)

    def _accent(self, text: str, w: Word) -> None:
        surface = text[w.start:w.end]
        if not surface.isascii():
            self.accents.append(Accent(surface.lower(), w.folded, w.key))

    def _prefix(self, node: q.Prefix, negated: bool) -> Q | None:
        stem = prefix_form(node.text)
        if not stem:
            return None
        if self._marked(node.field, negated):
            self.marks.prefixes.add(stem)
        return self.prefix(stem, self._fields(node.field))


def match_value(field_name: str, value: str | int) -> str | int:
    """A filter value as the filter field holds it (a state code in capitals, an agenda item's key...)."""
    if field_name in NUMERIC_FIELDS:
        return int(value)
    if field_name == "states":
        return str(value).upper()
    if field_name == "agenda_num":
        return agenda_keys(str(value))[0]
    if field_name in ("id", "path", "language"):
        return str(value)
    return key(str(value))


def bound(field_name: str, value: int | dt.date | None) -> int | None:
    """A range bound as the numeric field holds it (a date as yyyymmdd, or its year)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return date_key(value) if field_name == "date" else value.year
    return int(value)
