"""The Whoosh schema, and how a Statement becomes one Whoosh document."""

from __future__ import annotations

import json
from collections.abc import Callable

from unidecode import unidecode
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Format
from whoosh.system import pack_uint

from corpus.record import FILTER_ROLES, Statement, statement_to_json
from corpus.states import registry

from ..fields import EXACT_FIELD, POSITIONS_FIELD, TEXT_BOOSTS
from .analysis import Analysed, WordCache, exact_analyzer, french_analyzer
from .formats import PackedPositions, pack_offsets, pack_text

BODY_COLUMN = "body_text"  # formats.pack_text
OFFSETS_COLUMN = "body_offsets"  # characters of the body's word at each position (formats.pack_offsets)


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


def _positions(analyzer) -> FrenchText:
    """The body's word positions (packed, see formats.py): they select and highlight
    documents but keep no lengths, as nothing scores them."""
    field_type = FrenchText(analyzer=analyzer, phrase=True)
    field_type.format = PackedPositions(field_boost=field_type.format.field_boost)
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
        **{POSITIONS_FIELD: _positions(fr)},
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
        # The body apart from the record, uncompressed: a hit's snippets read it without
        # inflating and parsing the whole record; and where each word of it stands.
        **{BODY_COLUMN: COLUMN(VarBytesColumn()), OFFSETS_COLUMN: COLUMN(VarBytesColumn())},
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
    """The Whoosh fields of one record; the record is stored (compressed) without its body,
    which goes in its own column."""
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
    """Analyses documents for a schema, ahead of writing (in a worker process); what each
    distinct word of the bodies becomes is remembered from one document to the next."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.folded = WordCache(schema[POSITIONS_FIELD].analyzer)
        self.exact = WordCache(schema[EXACT_FIELD].analyzer)

    def __call__(self, doc: dict) -> dict:
        """The document with its text and keyword fields analysed (picklable).

        The body is tokenized once for its three fields (positions, frequencies, exact forms)
        and the offsets of its words.
        """
        schema = self.schema
        out = dict(doc)
        body = doc.get("body")
        if body:
            tokens = self.folded.tokens(body)
            analysed = self.folded(tokens)
            positions = _grouped(analysed)
            fmt = schema[POSITIONS_FIELD].format
            out[POSITIONS_FIELD] = _items(fmt, positions, _positions_of(fmt))
            out["body"] = _items(schema["body"].format, positions, _frequency)
            out[OFFSETS_COLUMN] = pack_offsets(_offsets(analysed))
            # The exact twin holds accented words only: the others need not be looked at.
            exact = _grouped(self.exact([t for t in tokens if not t[0].isascii()]))
            out[EXACT_FIELD] = _items(schema[EXACT_FIELD].format, exact, _frequency)
        for name, value in out.items():
            field_type = schema[name]
            if isinstance(field_type, _TakesAnalyzed) and isinstance(value, str):
                out[name] = Analyzed(field_type.index(value))
        return out


def _items(fmt: Format, grouped: dict[str, list[tuple[int, int, int]]],
           encode: Callable[[list[tuple[int, int, int]]], bytes]) -> Analyzed:
    """Whoosh's (term, frequency, weight, encoded value) index items of grouped occurrences."""
    boost = fmt.field_boost
    return Analyzed((term.encode("utf-8"), len(occ), len(occ) * boost, encode(occ)) for term, occ in grouped.items())


def _frequency(occurrences: list[tuple[int, int, int]]) -> bytes:
    return pack_uint(len(occurrences))


def _positions_of(fmt: Format) -> Callable[[list[tuple[int, int, int]]], bytes]:
    return lambda occurrences: fmt.encode([pos for pos, _, _ in occurrences])


def _offsets(analysed: list[Analysed]) -> list[tuple[int, int]]:
    """The (start, end) of the word at each position; a position no word holds (if any) gets
    the end of the one before, as an empty span."""
    out: list[tuple[int, int]] = []
    for _, pos, start, end in analysed:
        if pos < len(out):
            continue  # a second word at one position: the first one's place stands
        while len(out) < pos:
            out.append((out[-1][1],) * 2 if out else (0, 0))
        out.append((start, end))
    return out


def _grouped(analysed: list[Analysed]) -> dict[str, list[tuple[int, int, int]]]:
    """The (position, start, end) occurrences of each term, in text order."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    for term, pos, start, end in analysed:
        occ = out.get(term)
        if occ is None:
            out[term] = [(pos, start, end)]
        else:
            occ.append((pos, start, end))
    return out
