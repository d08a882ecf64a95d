"""Compiling the engine-neutral query tree into the queries the evaluator runs.

What each node means is the reference engine's (tests/reference.py):
a bare word matches its key (inflections join); a quoted single word its
folded form only; a phrase the keys of its words in a row, stopwords
included; a prefix the folded words that start with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from whoosh import query as wq

from .. import query as q
from ..analysis import analyse, prefix_form
from ..engine import agenda_keys, date_key, key
from ..fields import WORD_ONLY_FIELDS, Ranking
from ..marks import Accent, Marks
from .analysis import word_term
from .bm25f import FieldsPhrase, FieldsPrefix, FieldsTerm

NUMERIC_FIELDS = {"session", "date", "year"}


@dataclass
class Compiler:
    """Turns a query tree into a query for the evaluator; keeps what to mark and the accented words typed."""

    ranking: Ranking = field(default_factory=Ranking)
    marks: Marks = field(default_factory=Marks)
    accents: list[Accent] = field(default_factory=list)

    def compile(self, node: q.Node) -> wq.Query:
        """The query of a tree (NullQuery when nothing can match)."""
        main = self._node(node, negated=False)
        return wq.NullQuery if main is None else main

    def near_words(self, node: q.Node) -> list[str]:
        """The keys of the bare words of a conjunction, whose closeness in the body earns a bonus."""
        if self.ranking.proximity_boost <= 0 or not isinstance(node, q.And):
            return []
        found = [w.key for c in node.children if isinstance(c, q.Term) and c.field is None
                 for w in analyse(c.text) if not w.stop]
        return found if len(set(found)) > 1 else []

    def _node(self, node: q.Node, negated: bool) -> wq.Query | None:
        if isinstance(node, q.Term):
            return self._term(node, negated)
        if isinstance(node, q.Phrase):
            return self._phrase(node.text, node.field, node.slop, negated)
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
            return wq.And(parts) if isinstance(node, q.And) else wq.Or(parts)
        if isinstance(node, q.Not):
            inner = self._node(node.child, not negated)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, q.All):
            return wq.Every()
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

    def _term(self, node: q.Term, negated: bool) -> wq.Query | None:
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
        return FieldsTerm(w.key, self._fields(node.field))

    def _phrase(self, text: str, field_name: str | None, slop: int, negated: bool) -> wq.Query | None:
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
        if len(words) == 1 and not words[0].stop:
            w = words[0]
            if marked:
                self.marks.words.add((w.key, w.folded))
            return FieldsTerm(word_term(w.folded), self._fields(field_name, as_written=True))
        keys = tuple(w.key for w in words)
        if marked:
            self.marks.phrases.add((keys, slop))
        return FieldsPhrase(keys, self._fields(field_name, as_written=True), slop)

    def _accent(self, text: str, w) -> None:
        surface = text[w.start:w.end]
        if not surface.isascii():
            self.accents.append(Accent(surface.lower(), w.folded, w.key))

    def _prefix(self, node: q.Prefix, negated: bool) -> wq.Query | None:
        stem = prefix_form(node.text)
        if not stem:
            return None
        if self._marked(node.field, negated):
            self.marks.prefixes.add(stem)
        return FieldsPrefix(stem, self._fields(node.field))

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
