"""The public API: one Index object for syncing, searching and reading documents.

    from search import Index
    with Index("path/to/index") as ix:
        ix.sync(["../shared/corpus"])
        res = ix.search("traite des enfants", states=["Bélarus"], agenda="107", session=78)
        for hit in res: print(hit.symbol, hit.title, hit.snippets)
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.french import normalize_symbol
from corpus.record import FILTER_ROLES, Statement, statement_from_json
from corpus.states import registry
from indexer import query as q
from indexer.engine import Engine, EngineHit, Searcher, engine_of, load
from indexer.fields import Ranking
from indexer.location import IndexMeta, default_index_dir, disk_size, settle

from .errors import NotFoundError
from .parser import QueryError, field_node, organ_code, parse, session_node
from .results import Hit, Results
from .settings import FACETS, LIMIT, LOCK_TIMEOUT, MAX_LIMIT, SNIPPET_WIDTH, SNIPPETS, SORTS, WORKERS
from .snippets import make_snippets
from .suggest import suggest

if TYPE_CHECKING:  # sync pulls in the readers; searching does not need them
    from indexer.sync import Progress, SyncReport

@dataclass(frozen=True)
class IndexStats:
    """What an index holds."""

    path: str
    engine: str  # the engine that built it: "whoosh" or "tantivy"
    documents: int
    size_bytes: int
    pending_bytes: int  # of size_bytes: files of replaced commits, kept a while for searches still reading them
    last_sync: str | None
    roots: tuple[str, ...]
    by_organ: dict[str, int]
    by_session: dict[str, int]
    by_year: dict[str, int]
    by_state: dict[str, int]


class Index:
    """A search index on disk; one object serves many queries and threads.

    The knobs, with their defaults and reasons, are in search/settings.py: `lock_timeout`
    (seconds a sync waits for another writer), `workers` (processes that read files during
    a sync; None: one per core), `snippets` and `snippet_width` (passages per hit, and
    their length in characters).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 lock_timeout: float = LOCK_TIMEOUT, workers: int | None = WORKERS,
                 snippets: int = SNIPPETS, snippet_width: int = SNIPPET_WIDTH,
                 ranking: Ranking | None = None, engine: Engine | None = None) -> None:
        if snippets < 0 or snippet_width < 1:
            raise ValueError(f"snippets must be 0 or more and snippet_width 1 or more, not {snippets} and "
                             f"{snippet_width}")
        self.path = os.path.abspath(os.fspath(path) if path else default_index_dir())
        self.lock_timeout = lock_timeout
        self.workers = workers
        self.snippets = snippets
        self.snippet_width = snippet_width
        self.ranking = ranking or Ranking()
        self._given_engine = engine
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the open files."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None

    # -- writing ------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The engine of this index: the one it was built with (see `sync`'s `engine`)."""
        return self._given_engine or load(engine_of(self.path))

    def sync(self, paths: Iterable[str | os.PathLike[str]] | None = None, *, rebuild: bool = False,
             progress: Progress | None = None, engine: str | None = None) -> SyncReport:
        """Add new files, re-read changed ones, drop vanished ones (see indexer.sync). A new index is
        built with `engine` ("whoosh", the default, or "tantivy"); naming another engine than an
        existing index's rebuilds it with that one."""
        from indexer.sync import sync

        report = sync(paths, self.path, rebuild=rebuild, lock_timeout=self.lock_timeout, progress=progress,
                      workers=self.workers, engine=engine)
        if report.changed or rebuild or engine:
            self.close()
        return report

    # -- reading ------------------------------------------------------------
    def _engine(self) -> Searcher:
        with self._lock:
            if self._searcher is None:
                self._searcher = self.engine.searcher(self.path, self.ranking)
            return self._searcher

    def search(self, query: str = "", *, states: Sequence[str] = (), any_state: bool = False,
               agenda: str | None = None, session: int | str | None = None, organ: str | None = None,
               doc_type: str | None = None, since: dt.date | str | None = None,
               until: dt.date | str | None = None, symbol: str | None = None,
               sort: str | None = None, limit: int = LIMIT, page: int = 1,
               facets: Sequence[str] = ()) -> Results:
        """Search with the query language and filters; an empty query lists every match, newest first."""
        if sort is not None and sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}' (use one of {', '.join(SORTS)})")
        if limit < 0 or limit > MAX_LIMIT:
            raise QueryError(f"limit must be between 0 and {MAX_LIMIT}")
        if page < 1:
            raise QueryError("page numbers start at 1")
        unknown = [f for f in facets if f not in FACETS]
        if unknown:
            raise QueryError(f"unknown facet '{unknown[0]}' (use {', '.join(FACETS)})")
        tree = parse(query)
        filters = self._filters(states, any_state, agenda, session, organ, doc_type, since, until, symbol)
        node = q.And((tree, *filters)) if filters else tree
        sort = sort or ("relevance" if q.positive_words(tree) else "-date")
        engine = self._engine()
        offset = (page - 1) * limit
        raw = engine.search(node, offset=offset, limit=limit, sort=sort, facets=tuple(facets))
        partial = False
        if raw.total == 0 and isinstance(tree, q.And) and sum(isinstance(c, q.Term) for c in tree.children) > 1:
            relaxed = q.Or(tuple(c for c in tree.children if isinstance(c, q.Term)))
            others = tuple(c for c in tree.children if not isinstance(c, q.Term))
            relaxed_node = q.And((relaxed, *others, *filters))
            raw = engine.search(relaxed_node, offset=offset, limit=limit, sort=sort, facets=tuple(facets))
            partial = raw.total > 0
        suggestions = suggest(query, engine.closest_word) if raw.total == 0 and query.strip() else ()
        return Results(query, raw.total, tuple(self._hit(h) for h in raw.hits), page, limit, raw.facets,
                       partial, suggestions)

    def get(self, symbol_or_id: str) -> Statement:
        """The full record of a document, by symbol ("A/RES/78/144") or id."""
        if not _is_unicode(symbol_or_id):  # bytes that were not UTF-8 (a command line): no id is like that
            raise NotFoundError(f"no document {symbol_or_id!r} in the index")
        engine = self._engine()
        record = engine.get(symbol_or_id) or engine.get(normalize_symbol(symbol_or_id))
        if record is None:
            ids = engine.find_ids(q.Match("symbol_key", normalize_symbol(symbol_or_id)), limit=1)
            record = engine.get(ids[0]) if ids else None
        if record is None:
            raise NotFoundError(f"no document {symbol_or_id!r} in the index")
        return statement_from_json(record)

    def marks(self, symbol_or_id: str, query: str) -> tuple[tuple[int, int], ...]:
        """Where the words of a query stand in a document's text, as (start, end) offsets:
        for showing the whole text with them marked. NotFoundError if there is no such document."""
        record = self.get(symbol_or_id)
        tree = parse(query)
        if not q.positive_words(tree):
            return ()
        raw = self._engine().search(q.And((tree, q.Match("id", record.id))), limit=1)
        return tuple((start, end) for start, end, _ in raw.hits[0].spans) if raw.hits else ()

    def stats(self) -> IndexStats:
        """Documents by organ, session, year and state; size on disk; last sync."""
        raw = self._engine().stats()
        meta = settle(self.path, IndexMeta.read) or IndexMeta()  # where a rebuild has put it
        return IndexStats(self.path, engine_of(self.path), raw["documents"], disk_size(self.path),
                          self.engine.pending_bytes(self.path), meta.last_sync, tuple(meta.roots),
                          raw["organ"], raw["session"], raw["year"], raw["state"])

    # -- helpers ------------------------------------------------------------
    def _filters(self, states: Sequence[str], any_state: bool, agenda: str | None, session: int | str | None,
                 organ: str | None, doc_type: str | None, since: dt.date | str | None, until: dt.date | str | None,
                 symbol: str | None) -> list[q.Node]:
        out: list[q.Node] = []
        if states:
            reg = registry()  # built on first use: a fresh `onu search` without states never needs it
            codes = [q.Match("states", reg.resolve(s).alpha3) for s in states]
            out += [q.Or(tuple(codes))] if any_state and len(codes) > 1 else codes
        if agenda:
            out.append(field_node("agenda", str(agenda), "word" if " " not in str(agenda) else "phrase", None, None))
        if session is not None:
            out.append(session_node(str(session)))
        if organ:
            out.append(q.Match("organ", organ_code(organ)))
        if doc_type:
            out.append(field_node("doc_type", doc_type, "word", None, None))
        if since or until:
            out.append(q.Range("date", _as_date(since, "since"), _as_date(until, "until")))
        if symbol:
            out.append(q.Match("symbol_key", normalize_symbol(symbol)))
        return out

    def _hit(self, raw: EngineHit) -> Hit:
        rec = statement_from_json(raw.record)
        return Hit(id=rec.id, symbol=rec.symbol, title=rec.title, date=rec.date, organ=rec.organ,
                   organ_name=rec.organ_name, doc_type=rec.doc_type, session=rec.session,
                   agenda_items=rec.agenda_items, states=rec.state_codes(*FILTER_ROLES), score=round(raw.score, 4),
                   path=rec.path, subject=rec.subject,
                   snippets=make_snippets(raw.body, raw.spans, self.snippet_width, self.snippets))


def _is_unicode(text: str) -> bool:
    """Whether a str holds text only, not the surrogates that stand for bytes of another encoding."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"--{name} needs a date as YYYY-MM-DD, not {value!r}") from None

