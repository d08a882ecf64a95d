"""The query tree: what the query layer parses user text into, and engines compile;
and the spans engines report of what matched.

No engine's parser ever sees user text; each engine module compiles these
nodes to its own queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeAlias

Span = tuple[int, int, str]  # a match in a body: first character, end character, index word


@dataclass(frozen=True)
class Term:
    """One word (analysed like the text); in the default text fields when field is None."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words in this order, up to `slop` positions apart."""

    text: str
    slop: int = 0
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    """Words that start with `text` ("trait*")."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Match:
    """An exact key in a filter field: a state code, an organ, a session, a cited symbol."""

    field: str
    value: str | int


@dataclass(frozen=True)
class Range:
    """Keys between start and end, both inclusive; None is open-ended."""

    field: str
    start: int | dt.date | None
    end: int | dt.date | None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class All:
    """Every document (a query of filters only)."""


Node: TypeAlias = Term | Phrase | Prefix | Match | Range | And | Or | Not | All


def positive_words(node: Node) -> list[Node]:
    """Term, Phrase and Prefix nodes that a match must or may contain (not under Not)."""
    if isinstance(node, (Term, Phrase, Prefix)):
        return [node]
    if isinstance(node, (And, Or)):
        return [w for child in node.children for w in positive_words(child)]
    return []
