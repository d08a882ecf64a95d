"""Other engines, each behind one small interface, indexing the same records as onu-search.

Every peer indexes title and body (plus state codes and session, for filters),
and answers a query made of bare words and "quoted phrases" with every part
required (as onu-search does), ranked by the engine's own BM25.

    peer = PEERS["whoosh"]()
    peer.build(corpus.scan(["unxml/"]), "/tmp/ix")   # or peer.open("/tmp/ix")
    ids = peer.search("traite des êtres humains", 10, states=["BLR"])
    peer.close()
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from corpus.record import FILTER_ROLES, Statement

_UNIT = re.compile(r'"([^"]*)"|(\S+)')


def units(query: str) -> list[str]:
    """The parts of a query: each "quoted phrase" and each bare word, quotes removed."""
    out = []
    for phrase, word in _UNIT.findall(query):
        text = (phrase or word).replace("\\", " ").strip()
        if any(c.isalnum() for c in text):
            out.append(text)
    return out


def filter_codes(rec: Statement) -> list[str]:
    """The state codes that onu-search's `states=` filters on."""
    return list(rec.state_codes(*FILTER_ROLES))


class Peer(Protocol):
    """What the benchmarks need from an engine."""

    name: str

    def build(self, records: Iterable[Statement], index_dir: str) -> int:
        """Index the records into a new index in `index_dir` (left open); return how many."""

    def open(self, index_dir: str) -> None:
        """Open an index built earlier, for searching and adding."""

    def add(self, record: Statement) -> None:
        """Add one document and commit, so the next search sees it."""

    def search(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
               session: int | None = None) -> list[str]:
        """Record ids, best first; `states` are ISO alpha-3 codes, all required."""

    def close(self) -> None:
        """Release the index."""


class WhooshPeer:
    """Plain Whoosh: LanguageAnalyzer("fr") on title and body, default BM25F, one writer."""

    name = "whoosh"

    def __init__(self) -> None:
        self.ix = None
        self.searcher = None

    def _schema(self):
        from whoosh.analysis import LanguageAnalyzer
        from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
        return Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=LanguageAnalyzer("fr")),
                      body=TEXT(analyzer=LanguageAnalyzer("fr")), states=KEYWORD,
                      session=NUMERIC(int, bits=32))

    def build(self, records: Iterable[Statement], index_dir: str) -> int:
        import whoosh.index
        os.makedirs(index_dir, exist_ok=True)
        self.ix = whoosh.index.create_in(index_dir, self._schema())
        writer = self.ix.writer(procs=1, limitmb=256)
        n = 0
        for rec in records:
            writer.add_document(**self._doc(rec))
            n += 1
        writer.commit()
        return n

    def open(self, index_dir: str) -> None:
        import whoosh.index
        self.ix = whoosh.index.open_dir(index_dir)

    @staticmethod
    def _doc(rec: Statement) -> dict:
        doc = {"id": rec.id, "title": rec.title, "body": rec.body, "states": " ".join(filter_codes(rec))}
        if rec.session is not None:
            doc["session"] = rec.session
        return doc

    def add(self, record: Statement) -> None:
        writer = self.ix.writer(procs=1, limitmb=256)
        writer.add_document(**self._doc(record))
        writer.commit()
        if self.searcher is not None:
            self.searcher = self.searcher.refresh()

    def _query(self, query: str):
        from whoosh import query as wq
        analyzer = self.ix.schema["body"].analyzer
        parts = []
        for unit in units(query):
            words = [t.text for t in analyzer(unit, mode="query")]
            if len(words) == 1:
                parts.append(wq.Or([wq.Term(f, words[0]) for f in ("title", "body")]))
            elif words:
                parts.append(wq.Or([wq.Phrase(f, words) for f in ("title", "body")]))
        return wq.And(parts) if parts else wq.NullQuery

    def search(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
               session: int | None = None) -> list[str]:
        from whoosh import query as wq
        if self.searcher is None:
            self.searcher = self.ix.searcher()
        filters = [wq.Term("states", code) for code in states or ()]
        if session is not None:
            filters.append(wq.NumericRange("session", session, session))
        flt = wq.And(filters) if filters else None
        results = self.searcher.search(self._query(query), limit=limit, filter=flt)
        return [hit["id"] for hit in results]

    def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        self.searcher = self.ix = None


class Fts5Peer:
    """SQLite FTS5 (standard library): unicode61 with diacritics removed, bm25() ranking."""

    name = "sqlite-fts5"
    TOKENIZE = "unicode61 remove_diacritics 2"

    def __init__(self) -> None:
        self.db: sqlite3.Connection | None = None

    def build(self, records: Iterable[Statement], index_dir: str) -> int:
        os.makedirs(index_dir, exist_ok=True)
        path = os.path.join(index_dir, "fts.sqlite")
        if os.path.exists(path):
            os.remove(path)
        self.db = sqlite3.connect(path)
        self.db.executescript(f"""
            CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{self.TOKENIZE}');
            CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, session INTEGER);
            CREATE TABLE doc_state(code TEXT NOT NULL, docid INTEGER NOT NULL, PRIMARY KEY (code, docid))
                WITHOUT ROWID;
        """)
        n = 0
        with self.db:
            for rec in records:
                self._insert(rec)
                n += 1
        return n

    def open(self, index_dir: str) -> None:
        self.db = sqlite3.connect(os.path.join(index_dir, "fts.sqlite"))

    def _insert(self, rec: Statement) -> None:
        cur = self.db.execute("INSERT INTO docs(title, body) VALUES (?, ?)", (rec.title, rec.body))
        rowid = cur.lastrowid
        self.db.execute("INSERT INTO meta(rowid, id, session) VALUES (?, ?, ?)", (rowid, rec.id, rec.session))
        self.db.executemany("INSERT INTO doc_state(code, docid) VALUES (?, ?)",
                            [(code, rowid) for code in filter_codes(rec)])

    def add(self, record: Statement) -> None:
        with self.db:
            self._insert(record)

    @staticmethod
    def match_expression(query: str) -> str:
        """Each part as an FTS5 string (a phrase), all required."""
        return " ".join('"' + u.replace('"', '""') + '"' for u in units(query))

    def search(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
               session: int | None = None) -> list[str]:
        expr = self.match_expression(query)
        if not expr:
            return []
        sql = "SELECT meta.id FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE docs MATCH ?"
        args: list = [expr]
        for code in states or ():  # '+': filter the matches, rather than run the MATCH per listed row
            sql += " AND +docs.rowid IN (SELECT docid FROM doc_state WHERE code = ?)"
            args.append(code)
        if session is not None:
            sql += " AND meta.session = ?"
            args.append(session)
        sql += " ORDER BY rank LIMIT ?"
        return [row[0] for row in self.db.execute(sql, (*args, limit))]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
        self.db = None


class TantivyPeer:
    """Tantivy: simple tokenizer, lowercase, ASCII folding, French stemmer; BM25; default writer."""

    name = "tantivy"
    ANALYZER = "fr_folded"

    def __init__(self) -> None:
        self.index = None

    @staticmethod
    def _analyzer():
        import tantivy as t
        return (t.TextAnalyzerBuilder(t.Tokenizer.simple()).filter(t.Filter.remove_long(40))
                .filter(t.Filter.lowercase()).filter(t.Filter.ascii_fold())
                .filter(t.Filter.stemmer("french")).build())

    def _schema(self):
        import tantivy as t
        sb = t.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("title", tokenizer_name=self.ANALYZER)
        sb.add_text_field("body", tokenizer_name=self.ANALYZER)
        sb.add_text_field("states", tokenizer_name="raw", index_option="basic")
        sb.add_integer_field("session", indexed=True)
        return sb.build()

    def _attach(self, index) -> None:
        index.register_tokenizer(self.ANALYZER, self._analyzer())
        self.index = index

    def build(self, records: Iterable[Statement], index_dir: str) -> int:
        import tantivy as t
        os.makedirs(index_dir, exist_ok=True)
        self._attach(t.Index(self._schema(), path=index_dir, reuse=False))
        writer = self.index.writer()
        n = 0
        for rec in records:
            writer.add_document(self._doc(rec))
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return n

    def open(self, index_dir: str) -> None:
        import tantivy as t
        self._attach(t.Index.open(index_dir))

    @staticmethod
    def _doc(rec: Statement):
        import tantivy as t
        doc = t.Document(id=rec.id, title=rec.title, body=rec.body)
        for code in filter_codes(rec):
            doc.add_text("states", code)
        if rec.session is not None:
            doc.add_integer("session", rec.session)
        return doc

    def add(self, record: Statement) -> None:
        writer = self.index.writer(heap_size=15_000_000, num_threads=1)
        writer.add_document(self._doc(record))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()

    def search(self, query: str, limit: int = 10, states: Sequence[str] | None = None,
               session: int | None = None) -> list[str]:
        import tantivy as t
        text = " ".join(f'"{u}"' for u in units(query))
        if not text:
            return []
        main = self.index.parse_query(text, default_field_names=["title", "body"], conjunction_by_default=True)
        schema = self.index.schema
        filters = [t.Query.term_query(schema, "states", code, index_option="basic") for code in states or ()]
        if session is not None:
            filters.append(t.Query.term_query(schema, "session", session))
        if filters:
            main = t.Query.boolean_query([(t.Occur.Must, main)] + [
                (t.Occur.Must, t.Query.const_score_query(f, 0.0)) for f in filters])
        searcher = self.index.searcher()
        hits = searcher.search(main, limit, count=False).hits
        return [searcher.doc(address)["id"][0] for _, address in hits]

    def close(self) -> None:
        self.index = None


def tantivy_missing() -> str | None:
    """Why the tantivy peer cannot run, or None when it can."""
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:
        return f"tantivy not importable ({exc}); pip install tantivy"
    return None


PEERS: dict[str, Callable[[], Peer]] = {"whoosh": WhooshPeer, "sqlite-fts5": Fts5Peer, "tantivy": TantivyPeer}


def available(names: Iterable[str] = PEERS) -> tuple[list[str], dict[str, str]]:
    """The peers that can run, and a note for each one skipped."""
    skipped = {}
    why = tantivy_missing()
    if why:
        skipped["tantivy"] = why
    return [n for n in names if n not in skipped], {n: w for n, w in skipped.items() if n in names}
