"""Ranking knobs (field boosts, BM25 parameters) passed to onu-search, when its public API takes them."""

from __future__ import annotations

import inspect

from search import Index

NEEDED = {
    "boosts": "a `boosts: dict[str, float]` keyword of `search.Index(...)` (or of `Index.search`), "
              "handed to `WhooshSearcher(boosts=...)`, which already takes it",
    "bm25": "`b` and `k1` keywords of `search.Index(...)` (or one `bm25={'b': .., 'k1': ..}`), "
            "handed to `WhooshSearcher(b=..., k1=...)`, which already takes them",
}


def parse_pairs(text: str) -> dict[str, float]:
    """'title=2,agenda=1.5' -> {'title': 2.0, 'agenda': 1.5}."""
    out = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"expected name=value, got {item!r}")
        out[name.strip()] = float(value)
    return out


def _params(fn) -> set[str]:
    return set(inspect.signature(fn).parameters)


def options(boosts: dict[str, float] | None, bm25: dict[str, float] | None) -> tuple[dict, dict, list[str]]:
    """Keyword arguments for Index() and Index.search(), and what is missing from the API to honour the rest."""
    init, search = _params(Index.__init__), _params(Index.search)
    index_kw: dict = {}
    search_kw: dict = {}
    missing = []
    if boosts:
        if "boosts" in init:
            index_kw["boosts"] = boosts
        elif "boosts" in search:
            search_kw["boosts"] = boosts
        else:
            missing.append(f"--boosts needs {NEEDED['boosts']}")
    if bm25:
        unknown = set(bm25) - {"b", "k1"}
        if unknown:
            raise ValueError(f"--bm25 takes b and k1, not {sorted(unknown)}")
        if "bm25" in init:
            index_kw["bm25"] = bm25
        elif set(bm25) <= init:
            index_kw.update(bm25)
        else:
            missing.append(f"--bm25 needs {NEEDED['bm25']}")
    return index_kw, search_kw, missing
