"""What a query asks to be marked in the shown documents, and the accented words it typed:
collected by every engine's compiler from the query tree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Marks:
    """What to mark in the body of a shown document, collected while compiling."""

    keys: set[str] = field(default_factory=set)                      # bare words: every occurrence
    words: set[tuple[str, str]] = field(default_factory=set)         # (key, folded): that form only
    prefixes: set[str] = field(default_factory=set)                  # folded words starting so
    phrases: set[tuple[tuple[str, ...], int]] = field(default_factory=set)  # (keys, slop): the phrase


@dataclass(frozen=True)
class Accent:
    """A word typed with accents: its form as written (lower case), folded, and its key."""

    exact: str
    folded: str
    key: str
