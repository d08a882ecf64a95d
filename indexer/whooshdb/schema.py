"""The Whoosh schema, and how a Statement becomes one Whoosh document."""

from __future__ import annotations

import json
import zlib

from unidecode import unidecode
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.system import pack_uint

from corpus.record import FILTER_ROLES, Statement, statement_to_json
from corpus.states import registry

from ..fields import EXACT_FIELD, POSITIONS_FIELD, TEXT_BOOSTS
from .analysis import exact_analyzer, french_analyzer, record, replayed


class Analyzed(tuple):
    """A field value already analysed (in a worker process): Whoosh's (term, freq, weight, value) items."""


class _TakesAnalyzed:
    """Lets a field accept an `Analyzed` value, so analysis can run outside the writing process."""

    def index(self, value, **kwargs):
        if isinstance(value, Analyzed):
            return iter(value)
        return super().index(value, **kwargs)


class FrenchText(_TakesAnalyzed, TEXT):
    """A TEXT field that also takes pre-analysed values."""


class Keywords(_TakesAnalyzed, KEYWORD):
    """A KEYWORD field that also takes pre-analysed values."""


def _unscored(field_type: FrenchText) -> FrenchText:
    """A field that selects documents but keeps no lengths, as nothing scores it."""
    field_type.scorable = False
    return field_type


def build_schema() -> Schema:
    """Every field of the index; text fields share one French analyzer.

Boosts are applied at query time, so they can be measured without re-indexing.
"""
    fr = french_analyzer()
    text = {name: FrenchText(analyzer=fr, phrase=True) for name in TEXT_BOOSTS if name != "body"}
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        path=ID(stored=True, sortable=True),
        fingerprint=ID(sortable=True),
        checksum=ID(sortable=True),
        body=FrenchText(analyzer=fr, phrase=False),
        **{POSITIONS_FIELD: _unscored(FrenchText(analyzer=fr, chars=True))},
        **{EXACT_FIELD: FrenchText(analyzer=exact_analyzer(), phrase=False)},
        **text,
        symbol_key=ID(),
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
    )


def key(text: str) -> str:
    """Folded, space-free key of a symbol, code or name, as filter fields store it."""
    return "".join(unidecode(text).lower().split())


def agenda_keys(number: str) -> list[str]:
    """'19 b)' is found as '19b' and as '19'."""
    whole = key(number).rstrip(")")
    head = whole.rstrip("abcdefghijklmnopqrstuvwxyz")
    return [whole] if head == whole or not head else [whole, head]


def date_key(value) -> int:
    """A date as the integer yyyymmdd."""
    return value.year * 10000 + value.month * 100 + value.day


def to_document(rec: Statement, fingerprint: str) -> dict:
    """The Whoosh fields of one record; the full record is stored, compressed."""
    reg = registry()
    people = list(rec.signatories)
    for code in rec.state_codes():
        state = reg.get(code)
        people += [state.name_fr, state.name_en, state.alpha3]
    filter_codes = rec.state_codes(*FILTER_ROLES)
    doc = {
        "id": rec.id,
        "path": rec.path,
        "fingerprint": fingerprint,
        "checksum": rec.checksum,
        "body": rec.body,
        EXACT_FIELD: rec.body,
        "title": rec.title,
        "agenda": "\n".join(f"{a.number} {a.title or ''}" for a in rec.agenda_items),
        "people": "\n".join(people),
        "groups": "\n".join(rec.groups),
        "symbol": rec.symbol or "",
        "symbol_key": key(rec.symbol or rec.id),
        "agenda_num": " ".join(k for a in rec.agenda_items for k in agenda_keys(a.number)),
        "states": " ".join(filter_codes),
        "state_roles": " ".join(dict.fromkeys(f"{sr.code}:{sr.role}" for sr in rec.states)),
        "organ": key(rec.organ or ""),
        "doc_type": key(rec.doc_type or ""),
        "language": rec.language,
        "references": " ".join(key(r) for r in rec.references),
        "record": zlib.compress(json.dumps(statement_to_json(rec), ensure_ascii=False).encode(), 1),
    }
    if rec.session is not None:
        doc["session"] = rec.session
    if rec.date is not None:
        doc["date"] = date_key(rec.date)
        doc["year"] = rec.date.year
    return {name: value for name, value in doc.items() if value != ""}


def _items(field_type: FrenchText, tokens: list[tuple[str, int, int, int]]) -> Analyzed:
    """A field's index items from recorded tokens."""
    values = field_type.format.word_values("", replayed(field_type.analyzer, tokens), mode="index")
    return Analyzed((text.encode("utf-8"), freq, weight, value) for text, freq, weight, value in values)


def stored_record(blob: bytes) -> dict:
    """The JSON record stored with a document."""
    return json.loads(zlib.decompress(blob))


def analyze(doc: dict, schema: Schema) -> dict:
    """The document with its text and keyword fields analysed now (picklable, for a worker).

    The body and its exact twin share one tokenization.
    """
    out = dict(doc)
    body = doc.get("body")
    if body:
        tokens = record(schema["body"].analyzer, body)
        out[POSITIONS_FIELD] = _items(schema[POSITIONS_FIELD], tokens)
        # The body's frequencies are those of the positions field, re-encoded.
        out["body"] = Analyzed((text, freq, weight, pack_uint(freq)) for text, freq, weight, _ in out[POSITIONS_FIELD])
        # The exact twin holds accented words only, so only those are replayed into it.
        out[EXACT_FIELD] = _items(schema[EXACT_FIELD], [t for t in tokens if not t[0].isascii()])
    for name, value in out.items():
        field_type = schema[name]
        if isinstance(field_type, _TakesAnalyzed) and isinstance(value, str):
            out[name] = Analyzed(field_type.index(value))
    return out
