"""Running the judged queries on every engine and scoring the rankings.

Duplicates: the corpus holds a few files that repeat a document (same symbol
or same bytes). The readers keep the first and skip the others, and the
judgments list all of them; every file is mapped to the kept file of its
group, judgments take the best grade in the group, and a ranking counts each
group once (its first appearance). So a twin is neither a second relevant hit
nor a relevant document that no engine could return.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from unidecode import unidecode

from corpus.record import Statement
from corpus.scanning import DUPLICATE, read, scan

from ..onu import OnuSearch
from .metrics import collapse, collapse_qrels, measures

HERE = Path(__file__).resolve().parent
VARIANTS = ("as written", "accents stripped")
DEPTH = 100
PAGE = 10  # a first page of results, as users ask for it


@dataclass
class Corpus:
    """The records as the peers index them, and how files map to the kept file of their group."""

    root: str
    records: list[Statement]
    path_of: dict[str, str] = field(default_factory=dict)      # record id -> path relative to root
    kept: dict[str, str] = field(default_factory=dict)         # skipped twin -> kept file (relative)

    def canonical(self, rel: str) -> str:
        """The kept file of a file's group (itself when it has no twin)."""
        return self.kept.get(rel, rel)


def load_corpus(root: str) -> Corpus:
    """Read the corpus once with the project's readers; find which skipped files repeat which."""
    s = scan([root])
    records = list(s)
    rel = lambda p: os.path.relpath(p, root).replace(os.sep, "/")  # noqa: E731
    c = Corpus(root, records, {r.id: rel(r.path) for r in records})
    by_checksum = {r.checksum: rel(r.path) for r in records}
    for item in s.skipped:
        if item.kind == DUPLICATE:
            twin = read(item.path)
            kept = c.path_of.get(twin.id) or by_checksum.get(twin.checksum)
            if kept:
                c.kept[rel(item.path)] = kept
    return c


def load_topics() -> tuple[list[dict], dict[str, dict[str, int]]]:
    """The judged queries and their judgments (files relative to the corpus folder)."""
    topics = json.loads((HERE / "topics.json").read_text(encoding="utf-8"))
    qrels = json.loads((HERE / "qrels.json").read_text(encoding="utf-8"))
    return topics, qrels


def variant(query: str, which: str) -> str:
    """The query as written, or with accents (and other non-ASCII) folded by unidecode."""
    return query if which == VARIANTS[0] else unidecode(query)


def ranking(engine, query: str, c: Corpus) -> list[str]:
    """The engine's first DEPTH files, relative to the corpus folder (onu-search: from `hit.path`).

    onu-search's first PAGE files are its first page as a user asks for it (the closeness
    re-ranking only looks that deep into a page), the rest its answer to a deeper request.
    """
    if isinstance(engine, OnuSearch):
        page = engine.search_paths(query, PAGE)
        rest = [p for p in engine.search_paths(query, DEPTH) if p not in page]
        return [os.path.relpath(p, c.root).replace(os.sep, "/") for p in page + rest]
    return [c.path_of[i] for i in engine.search(query, DEPTH)]


def evaluate(engines: dict, topics: list[dict], qrels: dict[str, dict[str, int]], c: Corpus,
             log: Callable[[str], None]) -> dict:
    """Per engine, variant and query: the measures, the number of relevant groups, the top 10."""
    out: dict = {name: {v: {} for v in VARIANTS} for name in engines}
    for name, engine in engines.items():
        log(f"{name}: {len(topics)} queries x {len(VARIANTS)}")
        for t in topics:
            grades = collapse_qrels(qrels.get(t["id"], {}), c.canonical)
            if not any(g > 0 for g in grades.values()):
                continue
            for v in VARIANTS:
                q = variant(t["query"], v)
                try:
                    ranked = collapse(ranking(engine, q, c), c.canonical)
                    error = None
                except Exception as exc:  # a failing query scores 0 and is reported, not fatal
                    ranked, error = [], f"{type(exc).__name__}: {exc}"
                row = {"query": q, "kind": t["kind"], "relevant": sum(g > 0 for g in grades.values()),
                       **measures(ranked, grades), "top10": ranked[:10]}
                if error:
                    row["error"] = error
                out[name][v][t["id"]] = row
    return out
