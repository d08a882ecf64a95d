"""The speed benchmark's queries (benchmarks/queries.json), each tagged with its class."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from corpus.states import registry

QUERIES_FILE = Path(__file__).with_name("queries.json")
CLASSES = ("keywords_accents", "keywords_no_accents", "phrase", "state", "state_base", "frequent")
BASE_SUFFIX = "-nofilter"  # the same words as a "state" query, without its filters (to price them)


@dataclass(frozen=True)
class BenchQuery:
    """One query: words as typed, optional member states (French names) and session."""

    id: str
    cls: str
    query: str
    states: tuple[str, ...] = ()
    session: int | None = None

    def state_codes(self) -> list[str]:
        """The states as ISO alpha-3 codes, for the peers' filters."""
        reg = registry()
        return [reg.resolve(name).alpha3 for name in self.states]


def load(path: Path = QUERIES_FILE) -> list[BenchQuery]:
    """Every query of the file, in order, then each state query again without its filters."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    out = [BenchQuery(q["id"], q["class"], q["query"], tuple(q.get("states", ())), q.get("session"))
           for q in raw]
    unknown = {q.cls for q in out} - set(CLASSES)
    if unknown:
        raise ValueError(f"unknown query classes in {path}: {sorted(unknown)}")
    return out + [BenchQuery(q.id + BASE_SUFFIX, "state_base", q.query) for q in out if q.cls == "state"]
