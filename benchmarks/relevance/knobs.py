"""Ranking knobs (field boosts, BM25F b and k1, bonuses) handed to onu-search as `Index(ranking=...)`."""

from __future__ import annotations

import dataclasses
import inspect


def parse_pairs(text: str) -> dict[str, float]:
    """'title=2,agenda=1.5' -> {'title': 2.0, 'agenda': 1.5}."""
    out = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"expected name=value, got {item!r}")
        out[name.strip()] = float(value)
    return out


def ranking_options(boosts: dict[str, float], bm25: dict[str, float], other: dict[str, float]) -> dict:
    """Keyword arguments of `search.Index` for these knobs ({} when none is set); ValueError if the API lacks one."""
    if not (boosts or bm25 or other):
        return {}
    from search import Index
    if "ranking" not in inspect.signature(Index.__init__).parameters:
        raise ValueError("search.Index takes no `ranking=`: the knobs cannot be set through the public API")
    from search import Ranking
    default = Ranking()
    scalars = {f.name for f in dataclasses.fields(Ranking) if f.name != "boosts"}
    unknown = (set(bm25) - {"b", "k1"}) | (set(other) - scalars)
    if unknown:
        raise ValueError(f"unknown ranking knobs {sorted(unknown)} (known: {sorted(scalars)})")
    bad_fields = set(boosts) - set(default.boosts)
    if bad_fields:
        raise ValueError(f"no text field {sorted(bad_fields)} to boost (fields: {sorted(default.boosts)})")
    changes: dict = {**bm25, **other}
    if boosts:
        changes["boosts"] = boosts
    return {"ranking": default.replace(**changes)}
