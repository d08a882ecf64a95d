"""The reference engine: what a query means, answered by brute force over the records.

It implements the `Searcher` protocol of indexer/engine.py, slowly and plainly, so
that the differential tests (tests/test_differential.py) can hold a real engine to it.
`search.Index(path, engine=ReferenceEngine(records))` runs the public API on it.

Semantics (this is the definition)
----------------------------------

Documents. A record is indexed as text fields and filter fields.

- Text fields: body, title, agenda, people, groups, symbol, state_names (`TEXT_BOOSTS`), with the texts
  `indexer.fields.text_fields` gives, as every engine indexes them. Each
  text is `analyse`d (indexer/analysis.py): a list of words numbered from 0 in text order,
  stopwords included, each word at its place, each read as `folded` (no elided article, no
  case, no accents), `key` (folded, inflection removed; a stopword is its own key) and `stop`.
- Filter fields: exact keys, `filter_keys` (as `to_document` keys them): states (upper-case
  codes of the filtering roles), agenda_num (`agenda_keys`), organ and doc_type (`key`),
  references (`symbol_keys` of each), symbol_key (`symbol_keys` of the symbol, else of the id), language,
  id, path; session (int), date (the date), year (int). A missing or empty value is absent.

Word nodes. The searched fields are the node's `field`, or, when it is None, every field of
the ranking's boosts (TEXT_BOOSTS by default) whose boost is > 0; for a Phrase (and so a quoted
word, and a Term of several words) less the WORD_ONLY_FIELDS (state_names): quotes look for
what the document's texts say, not for the states that sent, signed or sponsored it.

- `Term(text)`: the non-stopword words of `analyse(text)`.
  None: the node is void (see below). One: a document matches if a searched field holds a
  non-stopword word with the same `key`. Several ("extra-atmosphérique"): it is
  `Phrase(text, 0, field)`, the phrase of the whole text.
- `Phrase(text, slop)`: the words of `analyse(text)`, stopwords included.
  None: void. One non-stopword word: a document matches if a searched field holds a
  non-stopword word with the same `folded` form (unstemmed: "conseiller" does not match
  "conseillers"; accents and case still optional). One stopword: a one-word phrase, by key.
  Two or more: a document matches if, in ONE searched field, there are positions
  p0 < p1 < ... with 1 <= p(i+1) - p(i) <= slop + 1 and the word at p(i) has the key of
  the phrase's word i (stopwords included, compared by key like the others).
- `Prefix(text)`: P = `prefix_form(text)` ("l’Enf" -> "enf"). Empty: void. Otherwise a
  document matches if a searched field holds a NON-stopword word whose `folded` form starts
  with P.

Filter nodes.

- `Match(field, value)`: the document holds the key of the value in that filter field, the
  value keyed as indexer/whooshdb/compile.py `_match` keys it: session, date (yyyymmdd) and
  year as int; states upper-cased; agenda_num the first of `agenda_keys`; id, path and
  language as given; every other field by `key`.
- `Range(field, start, end)` on session, date or year: the document has a value in that
  field, and start <= value <= end (both inclusive; None is open). A date bound is the date
  for `date`, its year for the other fields.

Boolean nodes. `And`: every child matches; `Or`: any child; `Not`: the child does not;
`All`: every document. A void node (a word node with no word, or an And/Or/Not whose
children are all void) is left out of its parent And/Or, as if it were not written; a query
that is void as a whole matches nothing.

Results. `total` is the number of matching documents. Facets (FACET_FIELDS) count the
matching documents by filter key, over all matches whatever the page: state (codes),
agenda (every agenda key: "19 b)" counts as "19b" and "19"), organ (its key upper-cased),
type (its name as written, `type_name`), year, session (labelled with its organ, `session_label`: "GA 78").

Order. The reference does not rank by relevance (scores are the engine's business): with
sort "relevance" it lists matches in record order. With "date" / "-date" it orders dated
documents by date, ascending / descending, and puts the documents without a date after
them in both orders; ties keep record order (an engine breaks them its own way, so the
tests compare dates only).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.record import FILTER_ROLES, Statement, statement_to_json
from indexer import query as q
from indexer.analysis import Word, analyse, prefix_form
from indexer.engine import (FACET_FIELDS, EngineHit, EngineResults, agenda_keys, date_key, key,
                            session_label, symbol_keys, type_name)
from indexer.fields import TEXT_BOOSTS, WORD_ONLY_FIELDS, Ranking, text_fields

TEXT_FIELDS = tuple(TEXT_BOOSTS)
NUMERIC_FIELDS = ("session", "date", "year")
VOID = None  # what a node with no word evaluates to


def filter_keys(rec: Statement) -> dict[str, set]:
    """The keys of each filter field (as `to_document` keys them); empty keys are absent."""
    keys: dict[str, set] = {
        "states": set(rec.state_codes(*FILTER_ROLES)),
        "agenda_num": {k for a in rec.agenda_items for k in agenda_keys(a.number)},
        "organ": {key(rec.organ or "")},
        "doc_type": {key(rec.doc_type or "")},
        "references": {k for r in rec.references for k in symbol_keys(r)},
        "symbol_key": set(symbol_keys(rec.symbol or rec.id)),
        "language": {rec.language},
        "id": {rec.id},
        "path": {rec.path},
        "session": set() if rec.session is None else {rec.session},
        "date": set() if rec.date is None else {date_key(rec.date)},
        "year": set() if rec.date is None else {rec.date.year},
    }
    return {name: {v for v in values if v != ""} for name, values in keys.items()}


def match_value(field: str, value: str | int) -> str | int:
    """The key a Match looks for (as indexer/whooshdb/compile.py `_match` keys it)."""
    if field in NUMERIC_FIELDS:
        return int(value)
    if field == "states":
        return str(value).upper()
    if field == "agenda_num":
        return agenda_keys(str(value))[0]
    if field in ("id", "path", "language"):
        return str(value)
    return key(str(value))


def bound(field: str, value: int | dt.date | None) -> int | None:
    """A Range bound as the field's number: a date is yyyymmdd for `date`, its year elsewhere."""
    if value is None or not isinstance(value, dt.date):
        return value
    return date_key(value) if field == "date" else value.year


@dataclass(frozen=True)
class Document:
    """A record as the reference searches it."""

    record: Statement
    fields: dict[str, list[Word]]
    keys: dict[str, set]


def document(rec: Statement) -> Document:
    return Document(rec, {name: analyse(text) for name, text in text_fields(rec).items()}, filter_keys(rec))


def phrase_in(words: Sequence[Word], keys: Sequence[str], slop: int) -> bool:
    """Whether the keys occur in this order, each 1 to slop + 1 positions after the one before."""
    at: dict[str, set[int]] = {}
    for w in words:
        at.setdefault(w.key, set()).add(w.position)
    # The positions where word i of the phrase can stand, the words before it in reach.
    reached = at.get(keys[0], set())
    for k in keys[1:]:
        reached = {p for p in at.get(k, ()) if any(1 <= p - before <= slop + 1 for before in reached)}
    return bool(reached)


class ReferenceSearcher:
    """The `Searcher` protocol, by brute force over a list of records (see the module docstring)."""

    def __init__(self, records: Sequence[Statement], ranking: Ranking | None = None) -> None:
        self.ranking = ranking or Ranking()
        self.docs = [document(rec) for rec in records]

    # -- what matches -------------------------------------------------------------------------
    def matching(self, node: q.Node) -> list[Document]:
        """The documents that match a query tree, in record order."""
        return [d for d in self.docs if self.matches(node, d) is True]

    def searched(self, field: str | None, as_written: bool = False) -> tuple[str, ...]:
        if field is not None:
            return (field,)
        return tuple(name for name, boost in self.ranking.boosts.items()
                     if boost > 0 and not (as_written and name in WORD_ONLY_FIELDS))

    def matches(self, node: q.Node, doc: Document) -> bool | None:
        """Whether one document matches; VOID (None) for a node that holds no word."""
        if isinstance(node, q.Term):
            words = [w for w in analyse(node.text) if not w.stop]
            if not words:
                return VOID
            if len(words) > 1:
                return self.matches(q.Phrase(node.text, 0, node.field), doc)
            return any(not w.stop and w.key == words[0].key
                       for name in self.searched(node.field) for w in doc.fields.get(name, ()))
        if isinstance(node, q.Phrase):
            words = analyse(node.text)
            if not words:
                return VOID
            if len(words) == 1 and not words[0].stop:
                return any(not w.stop and w.folded == words[0].folded
                           for name in self.searched(node.field, True) for w in doc.fields.get(name, ()))
            keys = [w.key for w in words]
            return any(phrase_in(doc.fields.get(name, ()), keys, node.slop)
                       for name in self.searched(node.field, True))
        if isinstance(node, q.Prefix):
            start = prefix_form(node.text)
            if not start:
                return VOID
            return any(not w.stop and w.folded.startswith(start)
                       for name in self.searched(node.field) for w in doc.fields.get(name, ()))
        if isinstance(node, q.Match):
            return match_value(node.field, node.value) in doc.keys[node.field]
        if isinstance(node, q.Range):
            low, high = bound(node.field, node.start), bound(node.field, node.end)
            return any((low is None or low <= v) and (high is None or v <= high) for v in doc.keys[node.field])
        if isinstance(node, (q.And, q.Or)):
            found = [m for m in (self.matches(c, doc) for c in node.children) if m is not VOID]
            if not found:
                return VOID
            return all(found) if isinstance(node, q.And) else any(found)
        if isinstance(node, q.Not):
            inner = self.matches(node.child, doc)
            return VOID if inner is VOID else not inner
        if isinstance(node, q.All):
            return True
        raise TypeError(f"not a query node: {node!r}")

    # -- the Searcher protocol ----------------------------------------------------------------
    def search(self, node: q.Node, *, offset: int = 0, limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> EngineResults:
        found = self.matching(node)
        if sort in ("date", "-date"):
            dated = sorted((d for d in found if d.record.date), key=lambda d: d.record.date, reverse=sort == "-date")
            found = dated + [d for d in found if not d.record.date]
        hits = [self._hit(d) for d in found[offset:offset + limit]]
        return EngineResults(len(found), hits, self.facets(found, facets))

    def facets(self, found: list[Document], names: Sequence[str]) -> dict[str, dict[str, int]]:
        """Counts over all the matching documents, by the facets' labels."""
        out = {}
        for name in names:
            field = FACET_FIELDS[name]
            counts: Counter = Counter()
            for d in found:
                if field == "session":
                    organ = next(iter(d.keys["organ"]), None)
                    counts.update(session_label(organ, s) for s in d.keys["session"])
                elif field == "organ":
                    counts.update(k.upper() for k in d.keys["organ"])
                elif field == "doc_type":
                    counts.update(type_name(k) for k in d.keys["doc_type"])
                else:
                    counts.update(str(k) for k in d.keys[field])
            out[name] = dict(counts.most_common())
        return out

    def _hit(self, d: Document) -> EngineHit:
        return EngineHit({**statement_to_json(d.record), "body": ""}, d.record.body, 0.0, ())

    def get(self, doc_id: str) -> dict | None:
        for d in self.docs:
            if d.record.id == doc_id:
                return statement_to_json(d.record)
        return None

    def find_ids(self, node: q.Node, limit: int = 20) -> list[str]:
        return [d.record.id for d in self.matching(node)][:limit]

    def closest_word(self, word: str) -> str | None:
        """Spelling suggestions are not part of the specification."""
        return None

    def stats(self) -> dict:
        return {"documents": len(self.docs), **self.facets(self.docs, ("organ", "session", "state", "year"))}

    def close(self) -> None:
        pass


class ReferenceEngine:
    """An engine whose searcher is the reference over these records (whatever the path)."""

    def __init__(self, records: Sequence[Statement]) -> None:
        self.records = list(records)

    def searcher(self, index_dir: str, ranking: Ranking) -> ReferenceSearcher:
        return ReferenceSearcher(self.records, ranking)
