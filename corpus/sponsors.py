"""Sponsor lists of AKN4UN workflow steps (the by= attribute): split them and classify each entry.

An entry is a state ("Belarus"), a group, most often with the state acting for it ("Uganda (on
behalf of ... the Group of 77 and China)"), a person with their state ("Ahmed Magdy (Egypt)"), an
office or organ ("submitted by the Chair of the Committee"), or "unknown"; nothing is dropped.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from corpus.states import MemberState, StateRegistry, fold_name, registry

_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_LIST_SEPARATOR = re.compile(
    r",|(?:(?<=[^\W\d_]{4})|(?<=\)))\.\s+(?=[-–A-ZÀ-Ý])|\s+and\s+(?=(?:sponsored|submitted)\s+by\b)")
_COMMA = re.compile(",")
_AND = re.compile(r"(?<!Group of 77)\s+and\s+|(?<!Groupe des 77)\s+et\s+", re.I)
_CONNECTIVE = re.compile(r"^(?:(?:and|et|y|subsequently)\b[\s,]*|[-–]\s*)+", re.I)
_ATTACHED = re.compile(
    r"\s*(?:and\s+)?(?:on\s+(?:the\s+)?basis\s+of|following|on\s+behalf|of\s+behalf|in\s+(?:its|his|her)\s+"
    r"capacity|au\s+nom|en\s+(?:sa\s+)?qualité|sur\s+la\s+base|à\s+l['’]issue)\b", re.I)
_PREFIX = re.compile(
    r"^(?:was\s+)?(?:submitted|sponsored|introduced|presented|proposed)(?:\s+in\s+the\s+\w+)?\s+by\s+"
    r"|^(?:présentée?s?|soumise?s?)\s+par\s+", re.I)
_QUALIFIER = re.compile(
    r"\s*,?\s+(?![^(]*\))(?:and\s+|et\s+)?(?:on\s+the\s+basis\s+of|following|on\s+the\s+recommendation\s+of"
    r"|sur\s+la\s+base\s+d|à\s+l['’]issue\s+d|sur\s+la\s+recommandation\s+d)\b.*$", re.I | re.S)
_SYMBOL = re.compile(r"\s*\(\s*[A-Z][A-Z0-9.]*/[^()]*\)$")
_ARTICLE = re.compile(r"^(?:(?:the|le|la|les|du|des|de\s+la|de)\s+|(?:de\s+)?[ld]['’]\s*)(?=\S)", re.I)
_REPRESENTATIVE = re.compile(r"^(?:the\s+|le\s+|la\s+)?(?:representative|représentante?)\s+(?:of|de|du)\s+", re.I)
_ACTING = re.compile(
    r"^(?P<actor>.+?)\s*(?:,\s*|\(\s*|\s+)(?P<verb>on\s+behalf(?:\s+of)?|of\s+behalf\s+of|in\s+(?:its|his|her)\s+"
    r"capacity\s+as|au\s+nom|en\s+(?:sa\s+)?qualité\s+de)\s+(?P<target>.+?)\s*\)?$", re.I | re.S)
_MEMBERS_OF = re.compile(
    r"^(?:States|États)(?:\s+(?:Members|Membres))?\b.*?\b(?:that\s+are\s+members\s+of|qui\s+sont\s+membres)\s+"
    r"(?:the\s+)?(?:members\s+of\s+(?:the\s+)?)?", re.I | re.S)
_GROUP = re.compile(
    r"^(?:(?:Group|Groupe)\s+(?:of|des|d['’])\s*\w|(?:States|États)\s+(?:Members|Membres)\b"
    r"|(?:European|African)\s+Union|Union\s+(?:européenne|africaine)"
    r"|Movement\s+of\s+Non-Aligned|Mouvement\s+des\s+pays\s+non\s+alignés"
    r"|Organi[sz]ation\s+(?:of\s+Islamic|de\s+la\s+coopération\s+islamique)"
    r"|League\s+of\s+Arab|Ligue\s+des\s+États\s+arabes)", re.I)
_GLUED = re.compile(r"\bthe(?=[A-Z])|(?<=[a-z])(?=and\s+[A-Z])")
_STRAY_LETTER = re.compile(r"^[a-z]\s+(?=[A-Z])")
_PERSON = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|M|Mme|Mlle|H\.\s?E)\.?\s+)?(?P<name>[^()]+?)\s*\((?P<state>[^()]+)\)$")
_REPORT = re.compile(
    r"^(?:on\s+the\s+basis\s+of\s+)?(?:the\s+)?report\s+of\s+(?P<office>.+)$|^(?:le\s+)?rapport\s+(?P<rapport>d.+)$",
    re.I | re.S)
_OFFICE_WORD = (
    r"(?:Vice-)?(?:Chair(?:man|person|woman)?|Co-Chairs?|President|Présidente?|Rapporteur|Rapporteuse)|Bureau"
    r"|Secretary-General|Secrétaire\s+général|Secretariat|Secrétariat|Committee|Comité|Commission|Council|Conseil"
    r"|Assembly|Assemblée|Forum|Office|Board|Plenary|Working\s+Group|Groupe\s+de\s+travail|Conference|Conférence"
    r"|(?:Co-)?[Ff]acilitators?")
_OFFICE = re.compile(
    r"^(?:UN\b|(?:(?:[A-ZÀ-Ý][\w'’-]*|and|of|on|for|the|et|de|des|du|la|le|l['’]\w+)\s+){0,6}(?:"
    + _OFFICE_WORD + r")\b)")
_UN_PREFIX = re.compile(r"^UN\b\.?\s*")
_GROUP_ALIASES = {
    fold_name("Organisation of Islamic Cooperation"): "Organization of Islamic Cooperation",
    fold_name("Association of South-East Asian Nations"): "Association of Southeast Asian Nations",
}
_MAX_SPAN = 6       # "and"-separated segments one entry may span
_NEAR_CUTOFF = 0.85  # difflib ratio for reading a misspelt state name ...
_NEAR_EDITS = 4      # ... and the most characters it may get wrong


@dataclass(frozen=True)
class Sponsor:
    """One entry of a sponsor list, as written and as understood."""

    kind: str            # "state" | "group" | "person" | "office" | "unknown"
    text: str            # the entry as written
    state: str | None = None  # alpha-3: the state, the state acting for a group or office, or a person's state
    name: str | None = None   # the group, person or office; None for a plain state


def parse_sponsors(by: str, reg: StateRegistry | None = None) -> list[Sponsor]:
    """Split and classify a whole by= attribute."""
    reg = reg or registry()
    return [classify(entry, reg) for entry in split_entries(by, reg)]


def split_entries(by: str, reg: StateRegistry | None = None) -> list[str]:
    """Split "A, B, C and D" into entries, keeping "and" inside names and anything inside parentheses.

    Commas, full stops between sentences and "and sponsored by" separate entries (not the full
    stops of a "UN. Organ. Body" heading); a clause such as "on the basis of ..." or "on behalf
    of ..." stays with the entry before it; "Angola Bahamas" (a lost comma) is read as two states.
    """
    reg = reg or registry()
    text = _tidy(by)
    spans: list[tuple[int, int]] = []
    for begin, end in _split_top(text, _COMMA if _UN_PREFIX.match(text) else _LIST_SEPARATOR):
        if spans and _ATTACHED.match(text, begin, end):
            spans[-1] = (spans[-1][0], end)
        elif text[begin:end].strip():
            spans.append((begin, end))
    entries = []
    for chunk in (text[begin:end].strip() for begin, end in spans):
        for piece in _split_and(chunk, reg):
            entries.extend(_split_run_on(piece, reg) if _classify(piece, reg).kind == "unknown" else [piece])
    return [entry for entry in map(_tidy, entries) if entry]


def classify(entry: str, reg: StateRegistry | None = None) -> Sponsor:
    """Classify one entry; a misspelt or cut state name is read when it can only be one state."""
    return _classify(entry, reg or registry())


@functools.lru_cache(maxsize=8192)
def _classify(entry: str, reg: StateRegistry, near: bool = True) -> Sponsor:
    """Classify an entry; with near, read misspelt state names too (slower)."""
    text = _tidy(entry)
    body = _PREFIX.sub("", text)
    prefixed = body != text
    body = _SYMBOL.sub("", _QUALIFIER.sub("", body))
    state = _state(body, reg)
    if state:
        return Sponsor("state", entry, state.alpha3)
    acting = _ACTING.match(body)
    actor = acting and _balanced(acting["target"]) and _state(_REPRESENTATIVE.sub("", acting["actor"]), reg, near)
    if acting and actor:
        target = _ARTICLE.sub("", acting["target"].strip())
        if _MEMBERS_OF.match(target) or not _OFFICE.match(target):
            return Sponsor("group", entry, actor.alpha3, _group_name(target))
        return Sponsor("office", entry, actor.alpha3, _office_name(target))
    person = _PERSON.match(body)
    named = person and _is_person_name(person["name"], reg) and _state(person["state"], reg, near)
    if person and named:
        return Sponsor("person", entry, named.alpha3, person["name"].strip())
    if _GROUP.match(_ARTICLE.sub("", body)):
        return Sponsor("group", entry, None, _group_name(_ARTICLE.sub("", body)))
    report = _REPORT.match(body)
    if report:
        return Sponsor("office", entry, None, _office_name(report["office"] or report["rapport"]))
    if prefixed or _OFFICE.match(_ARTICLE.sub("", body)):
        holder = person and _state(person["state"], reg, near)
        if person and holder:
            return Sponsor("office", entry, holder.alpha3, _office_name(person["name"]))
        return Sponsor("office", entry, None, _office_name(body))
    state = _state(body, reg, near)
    return Sponsor("state", entry, state.alpha3) if state else Sponsor("unknown", entry)


def _tidy(text: str) -> str:
    """Clean an entry: invisible characters, spacing, leading connectives, trailing stops and stray ")"."""
    text = " ".join(_INVISIBLE.sub("", text).split())
    text = _CONNECTIVE.sub("", text).rstrip(" .,;")
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(" .,;")
    return text


def _split_top(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the parts of text between the separator matches that lie outside parentheses."""
    parts, start = [], 0
    for begin, end in _top_spans(text, separator):
        parts.append((start, begin))
        start = end
    return [*parts, (start, len(text))]


def _top_spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the separator matches outside parentheses."""
    matches = list(separator.finditer(text))
    if not matches or "(" not in text and ")" not in text:
        return [m.span() for m in matches]
    depth, depths = 0, []
    for char in text:
        depths.append(depth)
        depth = max(0, depth + (char == "(") - (char == ")"))
    return [m.span() for m in matches if depths[m.start()] == 0]


def _split_and(chunk: str, reg: StateRegistry) -> list[str]:
    """Cut a chunk at the "and"s that separate entries.

    The cut leaves the fewest characters in unknown pieces, then makes the most exactly named
    states, persons and groups, then the fewest pieces (so "Economic and Social Council" stays
    whole); misspelt names are tried only when exact ones leave something unknown.
    """
    spans = _top_spans(chunk, _AND)
    if not spans:
        return [chunk]
    starts = [0] + [end for _, end in spans] + [len(chunk)]
    ends = [begin for begin, _ in spans] + [len(chunk)]
    for near in (False, True):
        best: list[tuple[tuple[int, int, int], list[str]]] = [((0, 0, 0), [])]
        for j in range(1, len(ends) + 1):
            options = []
            for i in range(max(0, j - _MAX_SPAN), j):
                piece = chunk[starts[i]:ends[j - 1]]
                (unknown, named, count), pieces = best[i]
                if _classify(piece, reg, near).kind == "unknown":
                    unknown += starts[j] - starts[i]
                named -= _classify(piece, reg, False).kind in ("state", "person", "group")
                options.append(((unknown, named, count + 1), [*pieces, piece]))
            best.append(min(options, key=lambda option: option[0]))
        if best[-1][0][0] == 0:
            break
    return best[-1][1]


def _split_run_on(piece: str, reg: StateRegistry) -> list[str]:
    """Read "Angola Bahamas" or "United Kingdomand Uruguay" (a lost comma) as several states, else keep it whole."""
    for text in (piece, _GLUED.sub(" ", piece)):
        words = text.split()
        found: list[list[str] | None] = [[]] + [None] * len(words)
        for j in range(1, len(words) + 1):
            if words[j - 1].lower() in ("and", "et"):
                found[j] = found[j - 1]
                continue
            for i in range(j):
                before, name = found[i], " ".join(words[i:j])
                if before is not None and _state(name, reg):
                    found[j] = [*before, name]
                    break
        if found[-1] is not None and len(found[-1]) > 1:
            return found[-1]
    return [piece]


def _state(text: str, reg: StateRegistry, near: bool = False) -> MemberState | None:
    """The state this text names (not by code); if near, also a fragment or a misspelling of one state's name."""
    names = _name_index(reg)
    key = fold_name(text)
    code = names.get(key)
    if code is None and near and len(key) >= 4:
        part_of = {c for k, c in names.items() if f" {key} " in f" {k} "}
        close = {names[k] for k in difflib.get_close_matches(key, names, n=3, cutoff=_NEAR_CUTOFF)
                 if _edits(key, k) <= _NEAR_EDITS}
        code = _only(part_of) if part_of else _only(close)
    return reg.get(code) if code else None


def _only(codes: set[str]) -> str | None:
    """The one code of the set, or None if it holds none or several."""
    return next(iter(codes)) if len(codes) == 1 else None


def _edits(a: str, b: str) -> int:
    """Characters to change, insert or delete to turn a into b (as difflib aligns them)."""
    ops = difflib.SequenceMatcher(None, a, b).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


@functools.lru_cache(maxsize=4)
def _name_index(reg: StateRegistry) -> dict[str, str]:
    """Folded French, English and variant names of the registry's states, to alpha-3."""
    return {fold_name(name): s.alpha3 for s in reg for name in (s.name_fr, s.name_en, *s.variants)}


def _balanced(text: str) -> bool:
    """Whether the parentheses of text all close, in order."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return depth == 0


def _is_person_name(name: str, reg: StateRegistry) -> bool:
    """Whether text before "(State)" reads as a person's name rather than an office or a state."""
    name = name.strip()
    return (bool(name) and name[0].isupper() and len(name.split()) <= 7 and not re.search(r"\d", name)
            and not re.search(_OFFICE_WORD + r"|\b(?:and|et)\b", name) and _state(name, reg) is None)


def _group_name(target: str) -> str:
    """The name of the group a state speaks for, without "the States Members ... that are members of"."""
    name = _STRAY_LETTER.sub("", _ARTICLE.sub("", _MEMBERS_OF.sub("", target))).strip()
    name = " ".join(name.split())
    return _GROUP_ALIASES.get(fold_name(name), name)


def _office_name(text: str) -> str:
    """The office or organ itself: no "UN." catalogue prefix, leading article or trailing symbol."""
    return " ".join(_SYMBOL.sub("", _ARTICLE.sub("", _UN_PREFIX.sub("", text.strip()))).split())
