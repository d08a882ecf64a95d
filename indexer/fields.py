"""The index's logical fields and their boosts, independent of any engine.

Ranking knobs were chosen by nDCG@10 on the judged query set (benchmarks/relevance).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

# Text fields searched by bare words, with their weights in the ranking.
TEXT_BOOSTS: dict[str, float] = {
    "body": 1.0,
    "title": 2.0,
    "agenda": 1.5,
    "people": 1.5,
    "groups": 1.0,
    "symbol": 3.0,
}
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

    def replace(self, **changes) -> Ranking:
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
