"""The registry of UN member and observer states, and name lookup over it."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from corpus.errors import UnknownStateError
from corpus.french import ascii_text

_HEADER = ("alpha3", "alpha2", "observer", "name_fr", "name_en", "variants")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_TRAILING_PAREN = re.compile(r"^(?P<head>[^()]+?)\s*\((?P<inner>[^()]*)\)\s*$")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ARTICLES = frozenset({"the", "le", "la", "les", "l"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_SUGGEST_CUTOFF = 0.75


@functools.lru_cache(maxsize=16384)
def fold_name(text: str) -> str:
    """Return the lookup key of a name: no case, accents, punctuation, article or "X (Y)" order.

    Apostrophes, hyphens and every kind of space become one plain space; "Pays-Bas (Royaume des)"
    becomes "royaume des pays bas", as "Royaume des Pays-Bas" does.
    """
    text = _INVISIBLE.sub("", text)
    paren = _TRAILING_PAREN.match(text)
    if paren:
        text = f"{paren['inner']} {paren['head']}"
    text = ascii_text(text).lower().replace("&", " and ").replace(".", "")
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 1:
        words = [_ABBREVIATIONS.get(w, w) for w in (words[1:] if words[0] in _ARTICLES else words)]
    return " ".join(words)


@dataclass(frozen=True)
class MemberState:
    """A UN member or observer state: ISO codes, official short names and usual variants."""

    alpha3: str
    alpha2: str
    name_fr: str
    name_en: str
    observer: bool
    variants: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every form of the state's name: French, English, variants, then the two codes."""
        return (self.name_fr, self.name_en, *self.variants, self.alpha3, self.alpha2)


class StateRegistry:
    """A set of states looked up by code or by any folded name form."""

    def __init__(self, states: Iterable[MemberState]) -> None:
        self._states: dict[str, MemberState] = {}
        self._names: dict[str, MemberState] = {}
        self._codes: dict[str, MemberState] = {}
        for state in states:
            if state.alpha3 in self._states:
                raise ValueError(f"duplicate state code {state.alpha3}")
            self._states[state.alpha3] = state
            for name in (state.name_fr, state.name_en, *state.variants):
                other = self._names.setdefault(fold_name(name), state)
                if other is not state:
                    raise ValueError(f"{name!r} names both {other.alpha3} and {state.alpha3}")
            for code in (state.alpha3, state.alpha2):
                if self._codes.setdefault(code.lower(), state) is not state:
                    raise ValueError(f"duplicate state code {code}")

    def __iter__(self) -> Iterator[MemberState]:
        return iter(self._states.values())

    def __len__(self) -> int:
        return len(self._states)

    def get(self, code: str) -> MemberState:
        """Return the state with this alpha-3 code; KeyError if there is none."""
        return self._states[code]

    def lookup(self, name: str) -> MemberState | None:
        """Return the state with this name, variant or code (a name wins over a code), or None."""
        key = fold_name(name)
        return self._names.get(key) or self._codes.get(key)

    def resolve(self, name: str) -> MemberState:
        """Return the state with this name or code; UnknownStateError with suggestions if none."""
        state = self.lookup(name)
        if state is None:
            raise UnknownStateError(name, self.suggest(name))
        return state

    def suggest(self, name: str, n: int = 3) -> tuple[str, ...]:
        """Return the French names of up to n states whose names are close to this one."""
        keys = difflib.get_close_matches(fold_name(name), self._names, n=4 * n, cutoff=_SUGGEST_CUTOFF)
        found = dict.fromkeys(self._names[key].name_fr for key in keys)
        return tuple(found)[:n]

    def complete(self, text: str, n: int = 8) -> tuple[MemberState, ...]:
        """Up to n states for a name being typed: those with a name or code that starts with it,
        then those with a word of a name that does, then names close to it (a typo)."""
        key = fold_name(text)
        if not key:
            return ()
        starts = [st for name, st in self._names.items() if name.startswith(key)]
        starts += [st for code, st in self._codes.items() if code == key]
        words = [st for name, st in self._names.items() if f" {key}" in f" {name}"]
        close = [self._names[name] for name in difflib.get_close_matches(key, self._names, n=n, cutoff=0.6)]
        return tuple(dict.fromkeys(starts + words + close))[:n]


def parse_states(text: str) -> list[MemberState]:
    """Parse the registry's TSV text (header line, then one state per line)."""
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != _HEADER:
        raise ValueError(f"states table must start with the header {'|'.join(_HEADER)}")
    states = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(_HEADER) or fields[2] not in ("0", "1"):
            raise ValueError(f"states table line {number} is malformed: {line!r}")
        alpha3, alpha2, observer, name_fr, name_en, variants = fields
        states.append(MemberState(
            alpha3=alpha3,
            alpha2=alpha2,
            name_fr=name_fr,
            name_en=name_en,
            observer=observer == "1",
            variants=tuple(v for v in variants.split("|") if v),
        ))
    return states


@functools.lru_cache(maxsize=1)
def registry() -> StateRegistry:
    """Return the default registry, read once from the package's data/states.tsv."""
    text = resources.files("corpus").joinpath("data/states.tsv").read_text(encoding="utf-8")
    return StateRegistry(parse_states(text))
