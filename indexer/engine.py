"""The engine interface: what the query layer and the sync ask of a search engine.

Everything above this module (search/, indexer/sync.py, indexer/pipeline.py)
speaks to an engine through these protocols and types only; `load` picks the
engine, in this one place. The Whoosh engine lives in indexer/whooshdb/; the
tests' reference engine (tests/reference.py) answers the same protocol by
brute force, and defines what a query means.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol

from corpus.errors import OnuError
from corpus.french import DOC_TYPE_NAMES, ascii_text
from corpus.record import Statement

from . import query as q
from .errors import EngineMissingError, UnknownEngineError
from .fields import Ranking
from .location import IndexMeta, settle
# Part of the interface: the sorts and facets an engine answers.
from .settings import ENGINE, FACET_FIELDS as FACET_FIELDS, SORTS as SORTS

# Each engine's module, and the extra that installs what it needs (None: the base install).
ENGINES = {"whoosh": "indexer.whooshdb", "tantivy": "indexer.tantivydb"}
EXTRAS: dict[str, str | None] = {"whoosh": None, "tantivy": "tantivy"}


@dataclass(frozen=True)
class Entry:
    """What the index knows of one file: the document id, the file's fingerprint and checksum."""

    id: str
    fingerprint: str
    checksum: str


class Text(Protocol):
    """A document's body as hits carry it: its length, and slices of it (a str will do)."""

    def __len__(self) -> int: ...

    def __getitem__(self, where: slice) -> str: ...


@dataclass(frozen=True)
class EngineHit:
    """One matching document: its stored record (body left out), its body, score, and the
    body spans that matched (start, end, what matched), in text order."""

    record: dict
    body: Text
    score: float
    spans: tuple[q.Span, ...]


@dataclass(frozen=True)
class EngineResults:
    """A page of hits, the total count, and facet counts over all matches."""

    total: int
    hits: list[EngineHit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class Searcher(Protocol):
    """Answers query trees on one index; safe to share between threads.

    Ranking contract: hits are ordered by one ranking of all matches that does
    not depend on `offset` and `limit`, so pages are slices of it.
    """

    def search(self, node: q.Node, *, offset: int = 0, limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> EngineResults: ...

    def get(self, doc_id: str) -> dict | None: ...

    def find_ids(self, node: q.Node, limit: int = 20) -> list[str]: ...

    def closest_word(self, word: str) -> str | None: ...

    def stats(self) -> dict: ...

    def close(self) -> None: ...


class Writer(Protocol):
    """A batch of additions and deletions, committed at once or not at all."""

    def add(self, path: str, document: dict) -> None: ...

    def delete(self, path: str) -> None: ...


class Engine(Protocol):
    """An engine: its store (create, open, write, list) and its searcher.

    `create(dir, follows=old_dir)` starts an index that will replace the one in old_dir, and
    whose `version` (the number of its latest commit) continues the old one's, so a searcher
    open on the old index sees the new one as newer. `pending_bytes` is the size of files
    that replaced commits left for the searches still reading them.
    """

    def exists(self, index_dir: str) -> bool: ...

    def create(self, index_dir: str, follows: str | None = None) -> Any: ...

    def version(self, ix: Any) -> int: ...

    def pending_bytes(self, index_dir: str) -> int: ...

    def open_index(self, index_dir: str) -> Any: ...

    def manifest(self, ix: Any, paths: Sequence[str] | None = None) -> dict[str, Entry]: ...

    def owners(self, ix: Any, doc_id: str, checksum: str) -> tuple[str | None, str | None]: ...

    def prepare(self, rec: Statement, fingerprint: str) -> dict: ...

    def writing(self, ix: Any, index_dir: str, timeout: float) -> AbstractContextManager[Writer]: ...

    def doc_count(self, ix: Any) -> int: ...

    def searcher(self, index_dir: str, ranking: Ranking) -> Searcher: ...


def load(name: str = ENGINE) -> Engine:
    """The engine of that name (the one place where an engine is chosen); an engine whose
    extra is not installed is an error that names the extra."""
    if name not in ENGINES:
        raise UnknownEngineError(name, list(ENGINES))
    try:
        return import_module(ENGINES[name])
    except ImportError as exc:
        extra = EXTRAS[name]
        if extra is None or exc.name is None or exc.name.startswith(("indexer", "corpus", "search")):
            raise
        raise EngineMissingError(name, extra) from None


def default_engine() -> str:
    """The engine a new index is built with when none is named: $ONU_SEARCH_ENGINE, else settings.ENGINE."""
    return os.environ.get("ONU_SEARCH_ENGINE") or ENGINE


def engine_of(index_dir: str) -> str:
    """The name of the engine that built the index in a folder: as its metadata says, or when that
    file is missing or damaged, the engine whose files are there (the default one if none is).
    While a rebuild swaps folders, the engine is told from where `settle` finds the index."""
    return settle(index_dir, _engine_in) or default_engine()


def _engine_in(folder: str) -> str | None:
    """The engine of the index in a folder, or None if no index is there."""
    meta = IndexMeta.read(folder)
    if meta is not None and meta.format != 0:
        return meta.engine
    for name in ENGINES:
        try:
            if load(name).exists(folder):
                return name
        except OnuError:  # an engine not installed: its files cannot be told
            continue
    return None


# -- keys of the filter fields, the same in every engine -----------------------

def key(text: str) -> str:
    """Folded, space-free key of a symbol, code or name, as filter fields hold it."""
    return "".join(ascii_text(text).lower().split())


def symbol_keys(symbol: str) -> list[str]:
    """'S/RES/2677 (2023)' is found as itself and without its year."""
    whole = key(symbol)
    bare = whole.split("(", 1)[0]
    return [whole] if bare == whole or not bare else [whole, bare]


def type_name(type_key: str) -> str:
    """A document type as it is written ("projet de résolution"), from the key filters hold."""
    return _TYPE_NAMES.get(type_key, type_key)


def agenda_keys(number: str) -> list[str]:
    """'19 b)' is found as '19b' and as '19'."""
    whole = key(number).rstrip(")")
    head = whole.rstrip("abcdefghijklmnopqrstuvwxyz")
    return [whole] if head == whole or not head else [whole, head]


def date_key(value: dt.date) -> int:
    """A date as the integer yyyymmdd."""
    return value.year * 10000 + value.month * 100 + value.day


def session_label(organ: str | None, session: int) -> str:
    """A session with its organ ('GA 78', 'HRC 54'): GA 74 is not HRC 74."""
    return f"{organ.upper()} {session}" if organ else str(session)


_TYPE_NAMES = {key(name): name for name in DOC_TYPE_NAMES}
