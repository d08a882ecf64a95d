"""The index's logical fields and their boosts, independent of any engine.

Boosts were chosen by nDCG@10 on the judged query set (benchmarks/relevance).
"""

from __future__ import annotations

# Text fields searched by bare words, with their weights in the ranking.
TEXT_BOOSTS: dict[str, float] = {
    "body": 1.0,
    "title": 2.0,
    "agenda": 1.5,
    "people": 1.5,
    "groups": 1.0,
    "symbol": 3.0,
}
# The accent-keeping twin of the body: a bonus for the exact form typed.
EXACT_FIELD = "body_exact"
EXACT_BOOST = 0.3
# Bare query words found within a few positions of each other in the body.
PROXIMITY_BOOST = 0.5
PROXIMITY_SLOP = 4
# True BM25F parameters: a low length normalisation suits these documents,
# whose length says little about how much they are about a subject.
BM25_B = 0.3
BM25_K1 = 1.2

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
