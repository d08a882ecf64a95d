"""The index's logical fields and their boosts, independent of any engine.

Ranking knobs were chosen by nDCG@10 on the judged query set (benchmarks/relevance).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from corpus.record import Statement
from corpus.states import registry

# Text fields searched by bare words, with their weights in the ranking.
TEXT_BOOSTS: dict[str, float] = {
    "body": 1.0,
    "title": 2.0,
    "agenda": 1.5,
    "people": 1.5,
    "groups": 1.0,
    "symbol": 3.0,
    "state_names": 1.5,
}
# Fields searched by bare words and prefixes only: a phrase or a quoted word is looked for as
# written in the document's texts, not in the names of the states that sent, signed or sponsored it.
WORD_ONLY_FIELDS = ("state_names",)
# The accent-keeping twin of the body, where the exact (accented) form typed earns a bonus.
EXACT_FIELD = "body_exact"
# The body's words, stopwords included, with their positions: phrases, closeness, snippets.
# (The body itself keeps frequencies only, which are five times faster to read for scoring.)
POSITIONS_FIELD = "body_pos"
# The same for the short text fields (title, agenda, ...), each word's key behind its field's name.
SHORT_POSITIONS_FIELD = "short_pos"
# How far apart (in words, stopwords included) bare query words may stand to earn the closeness bonus.
PROXIMITY_SLOP = 6


@dataclass(frozen=True)
class Ranking:
    """The knobs of relevance ranking; the defaults are the measured best (benchmarks/relevance)."""

    boosts: dict[str, float] = field(default_factory=lambda: dict(TEXT_BOOSTS))
    b: float = 0.3             # BM25F length normalisation: low suits these documents
    k1: float = 1.2            # BM25F term-frequency saturation
    exact_boost: float = 0.3   # bonus for the exact accented form typed ("traité" vs "traite")
    proximity_boost: float = 0.5  # bonus for bare words standing close together
    proximity_depth: int = 20  # how many of the best hits that bonus may reorder (10: worse; 50: no better)

    def replace(self, **changes: Any) -> Ranking:
        """A copy with some knobs changed; `boosts` entries are merged."""
        if "boosts" in changes:
            changes["boosts"] = {**self.boosts, **changes["boosts"]}
        return dataclasses.replace(self, **changes)


# Filter fields: exact keys, the same in every engine.
FILTER_FIELDS = ("states", "state_roles", "agenda_num", "organ", "doc_type", "language",
                 "references", "symbol_key", "session", "date", "year", "id", "path")
# Fields a query may name, and the logical field each maps to.
QUERY_FIELDS: dict[str, str] = {
    "title": "title", "titre": "title",
    "agenda": "agenda", "point": "agenda",
    "state": "states", "etat": "states", "état": "states", "pays": "states",
    "session": "session",
    "organ": "organ", "organe": "organ",
    "type": "doc_type",
    "symbol": "symbol_key", "cote": "symbol_key",
    "cites": "references", "cite": "references",
    "date": "date", "year": "year", "annee": "year", "année": "year",
    "body": "body", "texte": "body",
    "signatory": "people", "signataire": "people",
    "group": "groups", "groupe": "groups",
}


def text_fields(rec: Statement) -> dict[str, str]:
    """The text of each text field of a record, as every engine indexes it."""
    return {
        "body": rec.body,
        "title": rec.title,
        # A Security Council resolution's subject is the Council's agenda item.
        "agenda": "\n".join([*(f"{a.number} {a.title or ''}" for a in rec.agenda_items), *filter(None, [rec.subject])]),
        "people": "\n".join(rec.signatories),
        "groups": "\n".join(rec.groups),
        "symbol": symbol_text(rec.symbol, rec.doc_type) if rec.symbol else "",
        "state_names": "\n".join(state_names(rec)),
    }


def symbol_text(symbol: str, doc_type: str | None = None) -> str:
    """The symbol field's text: the symbol, then the document's type and number, so that
    "résolution 2677" finds S/RES/2677 (2023) by its symbol."""
    number = re.search(r"(\d+)\s*(?:\(\w+\))?\s*$", symbol)
    return " ".join(filter(None, (symbol, doc_type, number.group(1) if number else None)))


def state_names(rec: Statement) -> list[str]:
    """The French and English names and the code of each state that sent, signed or sponsored."""
    reg = registry()
    return [name for code in rec.state_codes() for name in (reg.get(code).name_fr, reg.get(code).name_en, code)]
