"""Typed search results: what the library returns and the CLI prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from corpus.record import AgendaItem

from .snippets import Snippet


@dataclass(frozen=True)
class Hit:
    """One matching document, with what a result page shows and the passages that matched."""

    id: str
    symbol: str | None
    title: str
    date: dt.date | None
    organ: str | None
    organ_name: str | None
    doc_type: str | None
    session: int | None
    agenda_items: tuple[AgendaItem, ...]
    states: tuple[str, ...]
    score: float
    path: str
    subject: str | None = None  # what the document is about where its title does not say (Statement.subject)
    snippets: tuple[Snippet, ...] = ()

    def to_json(self) -> dict:
        """A JSON-ready dict."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["snippets"] = [{"text": s.text, "marks": [list(m) for m in s.marks]} for s in self.snippets]
        return data


@dataclass(frozen=True)
class Results:
    """A page of hits with the total count, facet counts, and hints when nothing matched."""

    query: str
    total: int
    hits: tuple[Hit, ...]
    page: int = 1
    limit: int = 10
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    partial: bool = False
    suggestions: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @property
    def pages(self) -> int:
        """How many pages the total makes."""
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    def to_json(self) -> dict:
        """A JSON-ready dict."""
        return {"query": self.query, "total": self.total, "page": self.page, "limit": self.limit,
                "partial": self.partial, "suggestions": list(self.suggestions),
                "facets": self.facets, "hits": [h.to_json() for h in self.hits]}
