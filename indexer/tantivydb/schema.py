"""The Tantivy schema, and how a Statement becomes one Tantivy document.

Tantivy never analyses French itself: the project's analysis (indexer/analysis.py)
runs in the sync's worker processes, and each text field receives its terms joined
by single spaces, which Tantivy's whitespace tokenizer splits again at no cost. The
n-th term of a positions field is the n-th word of the text, stopwords included,
so phrases and positions mean what they mean for the Whoosh engine.

The word map, stored with each document, says where the words of the body stand
(position, first and end character) and where the words of the short fields stand:
snippets, sloppy phrases and "did you mean" read it for the few documents shown.
"""

from __future__ import annotations

import json
from typing import Any

from corpus.record import FILTER_ROLES, Statement, statement_to_json

from ..analysis import MEMO_LIMIT, TOKEN_PATTERN, WORD_MARK, analyse, read_word
from ..engine import agenda_keys, date_key, key, session_label, symbol_keys, type_name
from ..fields import EXACT_FIELD, POSITIONS_FIELD, SHORT_POSITIONS_FIELD, TEXT_BOOSTS, WORD_ONLY_FIELDS, text_fields
from . import wordmap

TOKENIZER = "onu"  # Tantivy's whitespace tokenizer, registered under this name on every opening
FIELD_MARK = ":"  # between a short field's name and a key in their shared positions: "title:sud"
ALL_WORDS = "words"  # every scored field in one, each word repeated by its field's weight (BM25F)
SHORT_FIELDS = tuple(name for name in TEXT_BOOSTS if name != "body")
# How many times a word of each field stands in ALL_WORDS: twice its weight, so that 1.5 is whole.
REPEATS = {name: max(1, round(2 * boost)) for name, boost in TEXT_BOOSTS.items()}
# Every text's words at their places, the short fields' repeated by their weights: phrases
# searched in all the texts at once (BM25F of the phrase). A filler ends each repetition,
# so that no phrase in a row runs from one into the next.
ALL_POSITIONS = "all_pos"
PHRASE_REPEATS = {name: max(1, round(boost)) for name, boost in TEXT_BOOSTS.items() if name not in WORD_ONLY_FIELDS}
FILLER = "\ue001"
# Filter fields (exact keys; several values a document for some), facet labels, numbers.
KEY_FIELDS = ("symbol_key", "agenda_num", "states", "state_roles", "organ", "doc_type", "language", "references")
FACET_LABELS = {"session": "session_label", "organ": "organ_label", "doc_type": "type_label",
                "states": "states", "agenda_num": "agenda_num", "year": "year"}
NUMBER_FIELDS = ("session", "date", "year")
BODY_TEXT = "body_text"
WORD_MAP = "word_map"
STORED_ONLY = ("record", BODY_TEXT, WORD_MAP)
ENTRY = "entry"  # path, id, fingerprint and checksum in one fast value: the manifest, without stored fields
ENTRY_SEP = "\x1f"
# Terms never hold a space (the whitespace tokenizer would split them): unidecode writes some
# letters as words ("中" -> "Zhong "), whose spaces become this private-use character.
SPACE = "\ue000"


def term(text: str) -> str:
    """A term as Tantivy receives it, at index and at query time alike."""
    return text.replace(" ", SPACE) if " " in text else text


def build_schema() -> Any:
    """Every field of the index (built where tantivy is imported)."""
    import tantivy

    sb = tantivy.SchemaBuilder()
    for name in ("id", "path", "checksum"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field(ENTRY, fast=True, tokenizer_name="raw", index_option="basic")
    for name in (ALL_WORDS, *TEXT_BOOSTS, EXACT_FIELD):
        sb.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    for name in (POSITIONS_FIELD, SHORT_POSITIONS_FIELD, ALL_POSITIONS):
        sb.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    for name in KEY_FIELDS:
        sb.add_text_field(name, fast=name in FACET_LABELS, tokenizer_name="raw", index_option="basic")
    for name in ("session_label", "organ_label", "type_label"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in NUMBER_FIELDS:
        sb.add_integer_field(name, indexed=True, fast=True)
    for name in STORED_ONLY:  # as bytes: Tantivy's text fields are always indexed
        sb.add_bytes_field(name, stored=True)
    return sb.build()


def to_document(rec: Statement, fingerprint: str, memo: dict | None = None) -> dict:
    """The Tantivy fields of one record, analysed (picklable: made in a worker process)."""
    memo = {} if memo is None else memo
    doc: dict[str, object] = {
        "id": rec.id,
        "path": rec.path,
        "checksum": rec.checksum,
        ENTRY: ENTRY_SEP.join((rec.path, rec.id, fingerprint, rec.checksum)),
        "symbol_key": symbol_keys(rec.symbol or rec.id),
        "agenda_num": list(dict.fromkeys(k for a in rec.agenda_items for k in agenda_keys(a.number))),
        "states": list(dict.fromkeys(rec.state_codes(*FILTER_ROLES))),
        "state_roles": list(dict.fromkeys(f"{sr.code}:{sr.role}" for sr in rec.states)),
        "organ": key(rec.organ or ""),
        "doc_type": key(rec.doc_type or ""),
        "language": rec.language,
        "references": list(dict.fromkeys(k for r in rec.references for k in symbol_keys(r))),
        "record": json.dumps({**statement_to_json(rec), "body": ""}, ensure_ascii=False).encode("utf-8"),
        BODY_TEXT: rec.body.encode("utf-8"),
    }
    if rec.organ:
        doc["organ_label"] = key(rec.organ).upper()
    if rec.doc_type:
        doc["type_label"] = type_name(key(rec.doc_type))
    if rec.session is not None:
        doc["session"] = rec.session
        doc["session_label"] = session_label(key(rec.organ).upper() if rec.organ else None, rec.session)
    if rec.date is not None:
        doc["date"] = date_key(rec.date)
        doc["year"] = rec.date.year
    doc.update(_texts(text_fields(rec), memo))
    return {name: value for name, value in doc.items() if value not in ("", b"", [], None)}


def _texts(texts: dict[str, str], memo: dict) -> dict[str, str | bytes]:
    """The text fields' terms: scored, all fields together, positions, exact forms, and the word map."""
    out: dict[str, str | bytes] = {}
    words_all: list[str] = []
    body_map: dict[str, tuple[list[int], list[int]]] = {}
    body = texts.get("body", "")
    body_placed = ""
    if body:
        scored, placed, exact, where = _body(body, memo)
        body_placed = " ".join(placed)
        out["body"] = " ".join(scored)
        out[POSITIONS_FIELD] = body_placed
        out[EXACT_FIELD] = " ".join(exact)
        words_all += scored * REPEATS["body"]
        body_map = where
    short: list[str] = []
    short_where: dict[str, list[int]] = {}
    placed_all: list[str] = []
    for name in SHORT_FIELDS:
        text = texts.get(name)
        if not text:
            continue
        scored = []
        words = analyse(text)
        if name in PHRASE_REPEATS:
            placed_all += [*(term(w.key) for w in words), FILLER] * PHRASE_REPEATS[name]
        for w in words:
            marked = term(f"{name}{FIELD_MARK}{w.key}")
            short_where.setdefault(marked, []).append(len(short))
            short.append(marked)
            if not w.stop:
                scored += (term(w.key), term(WORD_MARK + w.folded))
        out[name] = " ".join(scored)
        words_all += scored * REPEATS[name]
    out[SHORT_POSITIONS_FIELD] = " ".join(short)
    out[ALL_WORDS] = " ".join(words_all)
    out[ALL_POSITIONS] = " ".join([*placed_all, body_placed])
    out[WORD_MAP] = wordmap.pack(body_map, short_where)
    return {name: value for name, value in out.items() if value}


def _body(text: str, memo: dict) -> tuple[list[str], list[str], list[str], dict[str, tuple[list[int], list[int]]]]:
    """The body in one pass: scored terms, the key at each position, accented forms as written,
    and for each key its positions and characters."""
    scored: list[str] = []
    placed: list[str] = []
    exact: list[str] = []
    where: dict[str, tuple[list[int], list[int]]] = {}
    for position, match in enumerate(TOKEN_PATTERN.finditer(text)):
        surface = match.group()
        reading = memo.get(surface)
        if reading is None:
            reading = _learn(surface, memo)
        cut, key_term, stop, marked, accented = reading
        placed.append(key_term)
        at = where.get(key_term)
        if at is None:
            at = where[key_term] = ([], [])
        at[0].append(position)
        at[1].extend((match.start() + cut, match.end()))
        if stop:
            continue
        scored += (key_term, marked)
        if accented:
            exact.append(accented)
    return scored, placed, exact, where


def _learn(surface: str, memo: dict) -> tuple[int, str, bool, str, str | None]:
    """A word's terms: characters of its elided article, key, stop or not, marked folded form,
    accented form as written (None if it has no accent)."""
    cut, folded, key_, stop = read_word(surface)
    written = surface[cut:]
    reading = (cut, term(key_), stop, term(WORD_MARK + folded), None if written.isascii() else term(written.lower()))
    if len(memo) < MEMO_LIMIT:
        memo[surface] = reading
    return reading


def stored_text(doc: Any, name: str) -> str:
    """A stored-only field of a Tantivy document, as text."""
    value = doc.get_first(name)
    return value.decode("utf-8") if value else ""
