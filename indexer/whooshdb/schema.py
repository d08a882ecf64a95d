"""The Whoosh schema, and how a Statement becomes one Whoosh document."""

from __future__ import annotations

import json
from collections.abc import Callable

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Format
from whoosh.system import pack_uint

from corpus.record import FILTER_ROLES, Statement, statement_to_json

from ..analysis import MEMO_LIMIT, TOKEN_PATTERN, analyse, read_word
from ..engine import agenda_keys, date_key, key, symbol_keys
from ..fields import EXACT_FIELD, POSITIONS_FIELD, SHORT_POSITIONS_FIELD, TEXT_BOOSTS, text_fields
from .analysis import EXACT, POSITIONS, SCORED, FrenchTerms, Term, field_term, terms, word_term
from .formats import PackedPositions, pack_offsets, pack_text

BODY_COLUMN = "body_text"  # formats.pack_text
OFFSETS_COLUMN = "body_offsets"  # characters of the body's word at each position (formats.pack_offsets)
SHORT_FIELDS = tuple(name for name in TEXT_BOOSTS if name != "body")


class Analyzed(tuple):
    """A field value already analysed (in a worker process): Whoosh's (term, freq, weight, value) items."""


class _TakesAnalyzed:
    """Lets a field accept an `Analyzed` value, so analysis can run outside the writing process."""

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            return iter(value)
        return super().index(value, **kwargs)  # type: ignore[misc]  # a mixin: the Whoosh field class after it


class FrenchText(_TakesAnalyzed, TEXT):
    """A TEXT field that also takes pre-analysed values."""


class Keywords(_TakesAnalyzed, KEYWORD):
    """A KEYWORD field that also takes pre-analysed values."""


def _positions(kind_prefix: str = "") -> FrenchText:
    """Word positions (packed, see formats.py): they select and highlight documents but
    keep no lengths, as nothing scores them."""
    field_type = FrenchText(analyzer=FrenchTerms(POSITIONS, kind_prefix), phrase=True)
    field_type.format = PackedPositions(field_boost=field_type.format.field_boost)
    field_type.scorable = False
    return field_type


def build_schema() -> Schema:
    """Every field of the index.

Boosts are applied at query time, so they can be measured without re-indexing.
"""
    scored = FrenchTerms(SCORED)
    short = {name: FrenchText(analyzer=scored, phrase=False) for name in SHORT_FIELDS}
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        path=ID(stored=True, sortable=True),
        fingerprint=ID(sortable=True),
        checksum=ID(sortable=True),
        body=FrenchText(analyzer=scored, phrase=False),
        **{POSITIONS_FIELD: _positions(), SHORT_POSITIONS_FIELD: _positions()},
        **{EXACT_FIELD: FrenchText(analyzer=FrenchTerms(EXACT), phrase=False)},
        **short,
        symbol_key=Keywords(),
        agenda_num=Keywords(),
        states=Keywords(),
        state_roles=Keywords(),
        organ=ID(sortable=True),
        doc_type=ID(sortable=True),
        language=ID(),
        references=Keywords(),
        session=NUMERIC(int, bits=32, sortable=True),
        date=NUMERIC(int, bits=32, sortable=True),
        year=NUMERIC(int, bits=32, sortable=True),
        record=STORED(),
        # The body apart from the record, uncompressed: a hit's snippets read it without
        # inflating and parsing the whole record; and where each word of it stands.
        **{BODY_COLUMN: COLUMN(VarBytesColumn()), OFFSETS_COLUMN: COLUMN(VarBytesColumn())},
    )


def to_document(rec: Statement, fingerprint: str) -> dict:
    """The Whoosh fields of one record; the record is stored (compressed) without its body,
    which goes in its own column."""
    filter_codes = rec.state_codes(*FILTER_ROLES)
    doc: dict[str, object] = {
        "id": rec.id,
        "path": rec.path,
        "fingerprint": fingerprint,
        "checksum": rec.checksum,
        **text_fields(rec),
        "symbol_key": " ".join(symbol_keys(rec.symbol or rec.id)),
        "agenda_num": " ".join(k for a in rec.agenda_items for k in agenda_keys(a.number)),
        "states": " ".join(filter_codes),
        "state_roles": " ".join(dict.fromkeys(f"{sr.code}:{sr.role}" for sr in rec.states)),
        "organ": key(rec.organ or ""),
        "doc_type": key(rec.doc_type or ""),
        "language": rec.language,
        "references": " ".join(k for r in rec.references for k in symbol_keys(r)),
        # Whoosh compresses each document's stored fields already: the JSON goes in as text.
        "record": json.dumps({**statement_to_json(rec), "body": ""}, ensure_ascii=False),
        BODY_COLUMN: pack_text(rec.body),
    }
    if rec.session is not None:
        doc["session"] = rec.session
    if rec.date is not None:
        doc["date"] = date_key(rec.date)
        doc["year"] = rec.date.year
    return {name: value for name, value in doc.items() if value != ""}


def stored_record(blob: str, body: str = "") -> dict:
    """The JSON record stored with a document (stored without its body), with `body`."""
    record = json.loads(blob)
    record["body"] = body
    return record


class DocumentAnalysis:
    """Analyses documents for the schema, ahead of writing (in a worker process); what each
    distinct word becomes is remembered from one document to the next."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.memo: dict[str, tuple[int, str, str, bool, str, str | None]] = {}

    def __call__(self, doc: dict) -> dict:
        """The document with its text and keyword fields analysed (picklable).

        The body is read in one pass for its scored terms, positions, exact forms and the
        place of each word (a third of a build's time); the short fields are analysed with
        `terms`, which says the same (tests compare the two).
        """
        schema = self.schema
        out = dict(doc)
        if doc.get("body"):
            out.update(self._body(doc["body"]))
        short_positions: list[Term] = []
        for name in SHORT_FIELDS:
            text = doc.get(name)
            if text:
                words = analyse(text)
                out[name] = _items(schema[name].format, _grouped(terms(text, words, SCORED)), _frequency)
                short_positions += terms(text, words, POSITIONS, field_prefix(name))
        if short_positions:
            fmt = schema[SHORT_POSITIONS_FIELD].format
            out[SHORT_POSITIONS_FIELD] = _items(fmt, _grouped(short_positions), _positions_of(fmt))
        for name, value in out.items():
            field_type = schema[name]
            if isinstance(field_type, _TakesAnalyzed) and isinstance(value, str):
                out[name] = Analyzed(field_type.index(value))
        return out

    def _body(self, text: str) -> dict:
        """The body's fields: what `terms` gives for each kind, and the offsets column."""
        memo = self.memo
        scored: dict[str, list[int]] = {}
        exact: dict[str, list[int]] = {}
        placed: dict[str, list[int]] = {}
        offsets = []
        for position, match in enumerate(TOKEN_PATTERN.finditer(text)):
            surface = match.group()
            reading = memo.get(surface)
            if reading is None:
                reading = self._learn(surface)
            cut, folded, key, stop, marked, accented = reading
            offsets.append((match.start() + cut, match.end()))
            placed.setdefault(key, []).append(position)
            if stop:
                continue
            scored.setdefault(key, []).append(position)
            scored.setdefault(marked, []).append(position)
            if accented:
                exact.setdefault(accented, []).append(position)
        schema = self.schema
        fmt = schema[POSITIONS_FIELD].format
        return {"body": _items(schema["body"].format, scored, _frequency),
                POSITIONS_FIELD: _items(fmt, placed, _positions_of(fmt)),
                EXACT_FIELD: _items(schema[EXACT_FIELD].format, exact, _frequency),
                OFFSETS_COLUMN: pack_offsets(offsets)}

    def _learn(self, surface: str) -> tuple[int, str, str, bool, str, str | None]:
        """A word's readings, with its marked folded form and (if accented) its exact form."""
        cut, folded, key, stop = read_word(surface)
        written = surface[cut:]
        reading = (cut, folded, key, stop, word_term(folded), None if written.isascii() else written.lower())
        if len(self.memo) < MEMO_LIMIT:
            self.memo[surface] = reading
        return reading


def field_prefix(name: str) -> str:
    """What precedes a key of a short field in the shared positions field ("title:")."""
    return field_term(name, "")


def _items(fmt: Format, grouped: dict[str, list[int]], encode: Callable[[list[int]], bytes]) -> Analyzed:
    """Whoosh's (term, frequency, weight, encoded value) index items of grouped positions."""
    boost = fmt.field_boost
    return Analyzed((term.encode("utf-8"), len(occ), len(occ) * boost, encode(occ)) for term, occ in grouped.items())


def _frequency(positions: list[int]) -> bytes:
    return pack_uint(len(positions))


def _positions_of(fmt: Format) -> Callable[[list[int]], bytes]:
    return lambda positions: fmt.encode(positions)


def _grouped(items) -> dict[str, list[int]]:
    """The positions of each term, in text order."""
    out: dict[str, list[int]] = {}
    for term, pos, _, _ in items:
        occ = out.get(term)
        if occ is None:
            out[term] = [pos]
        else:
            occ.append(pos)
    return out
