"""What the pages show, made from the library's results: facet links, marked text, French labels.

Everything here returns plain data or `Markup` built with escaping, so that a document's
text and metadata reach the page only as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from corpus.record import StateRole
from corpus.states import registry
from indexer.engine import key as engine_key
from indexer.errors import QueryError
from search.parser import organ_code

from .params import SearchParams

PAGE_FACETS = ("state", "year", "organ", "session", "agenda", "type")
FACET_TITLES = {"state": "États", "year": "Années", "organ": "Organes", "session": "Sessions",
                "agenda": "Points de l’ordre du jour", "type": "Types de document"}
FACET_SHOWN = 12  # values of each facet listed
ORGANS = {"GA": "Assemblée générale", "SC": "Conseil de sécurité", "ECOSOC": "Conseil économique et social",
          "HRC": "Conseil des droits de l’homme"}
ROLES = {"sender": "Expéditeurs", "signatory": "Signataires", "sponsor": "Auteurs", "cosponsor": "Coauteurs",
         "member": "Membres du groupe", "for_group": "Au nom du groupe", "person": "États de personnes citées"}
# The six official languages, in the order the UN lists them, for undocs.org links.
LANGUAGES = (("ar", "العربية"), ("zh", "中文"), ("en", "English"), ("fr", "Français"), ("ru", "Русский"),
             ("es", "Español"))
SORTS = (("", "pertinence (ou les plus récents sans mots)"), ("relevance", "pertinence"),
         ("-date", "les plus récents d’abord"), ("date", "les plus anciens d’abord"))


@dataclass(frozen=True)
class FacetValue:
    """One count of a facet: clicking it adds its filter, or removes it when it is on."""

    label: str
    count: int
    url: str
    active: bool


def state_name(code: str) -> str:
    """A state's French name from its code (the code itself if the registry does not know it)."""
    try:
        return registry().get(code).name_fr
    except KeyError:
        return code


def doc_url(symbol_or_id: str, query: str = "") -> str:
    """The document page of a symbol or id; its slashes stay slashes, the rest is quoted."""
    return "/documents/" + quote(symbol_or_id, safe="/") + (f"?{urlencode({'q': query})}" if query.strip() else "")


def mark(text: str, marks: Sequence[tuple[int, int]]) -> Markup:
    """The text escaped, with each (start, end) span wrapped in <mark>."""
    out, last = [], 0
    for start, end in marks:
        if start < last or end <= start:  # overlapping or empty: the first span wins
            continue
        out += [escape(text[last:start]), Markup("<mark>%s</mark>") % text[start:end]]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def facets(params: SearchParams, counts: dict[str, dict[str, int]]) -> list[tuple[str, list[FacetValue]]]:
    """Each facet's title and its first values, with the URL that adds or removes its filter."""
    chosen = {st.alpha3 for s in params.states if (st := registry().lookup(s))}
    out = []
    for name in PAGE_FACETS:
        values = []
        for key, count in list(counts.get(name, {}).items())[:FACET_SHOWN]:
            label, active, url = _facet_link(params, name, key, chosen)
            values.append(FacetValue(label, count, url, active))
        if values:
            out.append((FACET_TITLES[name], values))
    return out


def _facet_link(params: SearchParams, name: str, key: str, chosen: set[str]) -> tuple[str, bool, str]:
    """The label of a facet value, whether its filter is on, and the URL that toggles it."""
    f = params.filters
    if name == "state":
        active = key in chosen
        states = [s for s in params.states if getattr(registry().lookup(s), "alpha3", None) != key]
        return state_name(key), active, params.url(state=states if active else [*params.states, key])
    if name == "year":
        since, until = f"{key}-01-01", f"{key}-12-31"
        active = f.get("since") == since and f.get("until") == until
        return key, active, params.url(since=None if active else since, until=None if active else until)
    active = _same(name, f.get(name, ""), key)
    label = f"{key} – {ORGANS[key]}" if name == "organ" and key in ORGANS else key
    return label, active, params.url(**{name: None if active else key})


def same_organ(value: str) -> str:
    """The code of the organ a URL names in any of its ways ("AG", "Assemblée générale"), or ''."""
    try:
        return organ_code(value) if value.strip() else ""
    except QueryError:
        return ""


def _same(name: str, value: str, key: str) -> bool:
    """Whether a URL's filter is the facet value `key`, however the URL spells it."""
    if not value:
        return False
    if name == "organ":
        return same_organ(value) == key
    if name == "type":
        return engine_key(value) == engine_key(key)
    if name == "session":
        written = re.fullmatch(r"\s*([^\d:]*?)[\s:]*(\d+)\s*", value)
        if written and written[1] and same_organ(written[1]):
            return f"{same_organ(written[1])} {int(written[2])}" == key
    return value.casefold() == key.casefold()


def roles(states: Sequence[StateRole]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The states of a document grouped by the part they play: (French title, [(code, name)])."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for sr in states:
        groups.setdefault(sr.role, []).append((sr.code, state_name(sr.code)))
    return [(ROLES.get(role, role), members) for role, members in groups.items()]


def pages(current: int, last: int, around: int = 3) -> list[int]:
    """The page numbers a pager lists: the first, the last and those near the current one."""
    return sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
